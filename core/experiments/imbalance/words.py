"""The imbalance lesson's fixed words: its prediction, presets and model answer."""

from __future__ import annotations

from core.experiments.imbalance.experiment import Config
from core.facts import KeyPoint, ModelAnswer, Prediction, Preset

PREDICTION = Prediction(
    "Positives are at most half the rows here, usually far fewer (the sidebar sets their "
    "share, or your file does when you upload one), and a test row is flagged positive when the model's predicted probability "
    "reaches the threshold. Compared with always predicting the majority class, the model's "
    "test accuracy is…",
    ("clearly higher", "higher, but within noise", "no higher"),
)

PRESETS = {
    "99 % accuracy, useless model": Preset(
        "1 % positives that overlap the negatives (separation 1.5) and the usual threshold "
        "0.5: the logistic regression flags no one, so its accuracy is exactly that of always "
        "answering 'negative', while recall is 0.",
        Config(prevalence=0.01, separation=1.5, model="logistic", threshold=0.5),
        shows=("accuracy_not_above", "nothing_flagged", "accuracy_hides_recall"),
    ),
    "Rare positives: AUC vs AP": Preset(
        "0.5 % positives in 50,000 rows. Read the sweep: ROC AUC barely moves as the test "
        "sets' prevalence falls, while average precision falls toward its chance level, the "
        "prevalence.",
        Config(prevalence=0.005, n_samples=50_000, separation=3.0, model="boosting"),
        shows=("auc_flatters", "sweep_values"),
    ),
    "Moving the threshold": Preset(
        "1 % positives at the default separation 3, with the threshold lowered to 0.15, near "
        "the F1-optimal threshold the validation split picks: the point moves along both "
        "curves, recall rises and precision falls. The remedies chart compares moving the "
        "threshold (to the validation split's F1-optimal one) with class weights and "
        "over-sampling.",
        Config(prevalence=0.01, separation=3.0, model="logistic", threshold=0.15),
        shows=("operating_point", "tuned_thresholds"),
    ),
    "Class weights distort probabilities": Preset(
        "2 % positives, logistic regression: balanced class weights and over-sampling push "
        "every probability up, so the reliability curves fall below the diagonal and the "
        "Brier score worsens, while the ranking (ROC AUC) changes by less than 0.01.",
        Config(prevalence=0.02, separation=3.0, model="logistic"),
        shows=("weights_distort", "oversampling_distorts"),
    ),
    "Balanced classes": Preset(
        "50 % positives: accuracy means what it seems, the majority baseline is 50 %, and "
        "class weights and over-sampling have nothing to correct.",
        Config(prevalence=0.5, separation=3.0, model="logistic"),
        shows=("accuracy_clearly_above", "balanced_no_remedy"),
    ),
}

MODEL_ANSWER = ModelAnswer(
    "Not by itself. With 1 % positives, a model that always answers 'negative' is 99 % "
    "accurate and catches no one, so accuracy must be compared with that **majority "
    "baseline**, and it hides what matters: how many positives are caught and how many alarms "
    "are false. Read the **confusion matrix** at the operating threshold and report "
    "**precision** (of the flagged, how many are positive), **recall** (of the positives, how "
    "many are flagged), their harmonic mean **F1**, or **balanced accuracy** (the mean of the "
    "two classes' recalls).\n\n"
    "Those depend on the **threshold**. Sweeping it traces the **ROC curve** (TPR against "
    "FPR) and the **precision-recall curve**. ROC AUC is the probability that a random "
    "positive is scored above a random negative (ties count half): it does not depend on the prevalence, so "
    "when positives are rare it can stay high while most flagged rows are false alarms. "
    "**Average precision** (the area under the precision-recall curve, as a step sum) falls "
    "with the prevalence, and a random ranking scores about the prevalence itself: report it, "
    "with its chance level, at the prevalence the model will meet.\n\n"
    "Remedies: **move the threshold** (choose it on a validation split for the metric or the "
    "costs you care about, never on the test set); **class weights** or **resampling** the "
    "training split (never the validation or test split). Weights and resampling make the "
    "model act as if positives were common: much of their effect at a fixed threshold of 0.5 "
    "is the same shift a lower threshold gives, and they tend to push the predicted "
    "probabilities up, so the model is then no longer **calibrated** (check with a "
    "reliability diagram and the **Brier score**; recalibrate, or correct the odds, if probabilities are used). Judge any "
    "remedy on held-out data, with its uncertainty: with few positives, F1 moves a lot from "
    "one test set to another.",
    formulas=(
        r"\text{precision} = \frac{TP}{TP + FP},\quad \text{recall} = \text{TPR} = "
        r"\frac{TP}{TP + FN},\quad \text{FPR} = \frac{FP}{FP + TN},\quad F_1 = "
        r"\frac{2\,TP}{2\,TP + FP + FN}",
        r"\text{balanced accuracy} = \tfrac{1}{2}\left(\frac{TP}{TP + FN} + "
        r"\frac{TN}{TN + FP}\right),\qquad \text{majority accuracy} = \max(\pi, 1 - \pi)",
        r"\text{AUC} = P\big(s(x^+) > s(x^-)\big) + \tfrac12 P\big(s(x^+) = s(x^-)\big),\qquad "
        r"\text{AP} = \sum_k (R_k - R_{k-1})"
        r"\,P_k,\qquad \mathbb{E}[\text{AP}_{\text{random}}] \approx \pi",
        r"\text{Brier} = \frac{1}{n}\sum_{i=1}^{n} (p_i - y_i)^2,\qquad "
        r"\operatorname{odds}(x) \approx \operatorname{odds}_w(x)\cdot\frac{w_-}{w_+}"
        r"\quad (\text{weights } w_\pm \text{, for a model that fits the odds well})",
    ),
    pitfalls=(
        "“99 % accuracy is a good model”: compare it with always predicting the majority "
        "class, which scores max(π, 1 − π) with no model at all.",
        "“ROC AUC is the metric for imbalanced data”: it is blind to the prevalence. Report "
        "average precision or precision at a useful recall too, with the chance level (the "
        "prevalence).",
        "Choosing the threshold (or the remedy) on the test set: the test score then "
        "flatters. Choose on a validation split or by cross-validation, then test once.",
        "Resampling before the split: copies of one minority row can land in both training and "
        "test, and the test score then partly measures memory. Over-sample the training split only.",
        "Reading weighted or resampled models' outputs as probabilities: they tend to be "
        "inflated toward the minority class. Recalibrate on untouched data, or correct the "
        "odds by w₋/w₊.",
        "Averaging precision-recall points with trapezoids: linear interpolation between "
        "PR points can be optimistic; scikit-learn's average_precision_score uses the step sum.",
        "Calling one F1 better than another without its uncertainty: with tens of positives "
        "in the test set, differences of a few hundredths can be noise (bootstrap them).",
    ),
    points=(
        KeyPoint(
            "With rare positives, always answering 'negative' is accurate: compare accuracy "
            "with the majority baseline max(π, 1 − π).",
            "99 % accuracy, useless model",
        ),
        KeyPoint(
            "Report precision, recall, F1 or balanced accuracy from the confusion matrix at "
            "the operating threshold, not accuracy alone.",
            None,
        ),
        KeyPoint(
            "Those metrics depend on the threshold: choose it on a validation split for the "
            "metric or costs that matter, never on the test set.",
            "Moving the threshold",
        ),
        KeyPoint(
            "ROC AUC does not depend on the prevalence; average precision falls with it, and "
            "a random ranking's AP is about the prevalence.",
            "Rare positives: AUC vs AP",
        ),
        KeyPoint(
            "Remedies: move the threshold, weight the classes, or resample the training split "
            "only (never validation or test).",
            None,
        ),
        KeyPoint(
            "With a rare class, class weights and over-sampling tend to inflate the predicted "
            "probabilities and worsen the Brier score: the model is no longer calibrated; "
            "recalibrate if they are used.",
            "Class weights distort probabilities",
        ),
        KeyPoint(
            "Judge a remedy on held-out data with its uncertainty: with few positives, F1 "
            "differences of a few hundredths can be noise.",
            None,
        ),
    ),
)
