"""The network depth lesson's fixed words: its prediction, presets and model answer."""

from __future__ import annotations

from core.experiments.network_depth.claims import DEPTH_OPTIONS
from core.experiments.network_depth.experiment import Config
from core.facts import Estimate, KeyPoint, ModelAnswer, Prediction, Preset

PREDICTION = Prediction(
    "At the width set for the depth curve, which depth does the **one-standard-error rule** "
    "keep: the fewest hidden layers whose mean cross-validated accuracy is within one standard "
    "error of the best depth's?",
    DEPTH_OPTIONS,
    Estimate(
        "Your estimate of the best depth's mean cross-validated accuracy, from 0 to 1 (optional)",
        key="best_mean",
        tolerance=0.03,
        low=0.0,
        high=1.0,
    ),
)

PRESETS = {
    "Moons: a little depth is enough": Preset(
        "At width 8, two hidden layers come within one standard error of the best depth (three "
        "layers, one point more out of 210), so the one-standard-error rule keeps two. Across "
        "the grid the rule keeps a model with 105 parameters where the best has 177.",
        Config(dataset="moons", widths=(2, 8, 32), width=8, max_depth=3, epochs=60),
        shows=("answer_one_se", "best_and_one_se"),
    ),
    "Spiral: depth and width pay": Preset(
        "A spiral needs many bends. At width 32, a second hidden layer lifts the mean CV "
        "accuracy by more than a standard error; the best, four layers, is within one standard "
        "error of two, so the one-standard-error rule keeps two. At one layer, width 32 beats "
        "width 8.",
        Config(dataset="spiral", widths=(8, 32), width=32, max_depth=4, epochs=100),
        shows=("answer_one_se",),
    ),
    "Too deep, too narrow": Preset(
        "At width 2, nets of four or more hidden layers fail to train: their training-fold "
        "accuracy falls to the share of the most common class (about 0.5), below the "
        "shallower width-2 nets. Widths 8 and 32 train at every depth.",
        Config(dataset="moons", widths=(2, 8, 32), width=2, max_depth=6, epochs=60),
        shows=("deep_failed_to_train", "deeper_fits_worse"),
    ),
    "Sawtooth: depth by construction": Preset(
        "A 16-piece sawtooth (L = 4): a hand-set net of 4 hidden layers of 2 units draws it "
        "exactly with 25 parameters, while one hidden layer needs 16 units (49 parameters: "
        "a unit per bend, and one more for the first piece's slope), and the one layer of 8 units that fits the same budget can draw at most "
        "9 pieces. Trained from a random start, the deep net does not find those weights.",
        Config(ua_target="sawtooth", ua_level=4, ua_budget=25, ua_depth=4),
        shows=("ua_depth_saves",),
    ),
}

MODEL_ANSWER = ModelAnswer(
    "Treat depth and width as hyperparameters chosen on validation data. Start small (one to "
    "three hidden layers of moderate width), then grow depth, or width, while the "
    "**cross-validated** score improves by more than its noise, and prefer the smallest model "
    "whose mean score is within one standard error of the best (the one-standard-error rule). "
    "The standard error of a K-fold mean (the fold scores' sample standard deviation over √K) "
    "is itself an estimate, and an optimistic one: the folds share training points. Deeper nets "
    "compose features (each ReLU layer folds the input space again), so they can represent some "
    "functions with exponentially fewer units than one wide layer; the universal approximation "
    "theorem only says that one hidden layer of a non-polynomial activation *can* approximate "
    "any continuous function on a compact set, with no bound on how wide it must be or whether "
    "training finds it. Very deep plain nets are harder to train (vanishing or exploding "
    "gradients, dead units, too narrow a stack): residual connections, normalization and good "
    "initialization make depth usable. AIC and BIC are at best rough guides for networks: they "
    "assume a regular model fitted to the maximum likelihood, while a network's weights are "
    "non-identifiable (permutations, dead units), usually trained with early stopping or "
    "penalties rather than to the maximum (this page trains a fixed number of Adam steps), and "
    "its effective number of parameters is often far below k.",
    formulas=(
        r"k = \sum_{l=1}^{L+1} (n_{l-1} + 1)\, n_l"
        r"\quad\text{(weights and biases; } n_0 = \text{inputs},\ n_{L+1} = \text{outputs)}",
        r"\ln L = \sum_{i=1}^{n} \ln \hat p_i(y_i)"
        r"\quad\text{(two classes: } y_i \ln \hat p_i + (1 - y_i) \ln(1 - \hat p_i))",
        r"\mathrm{AIC} = 2k - 2\ln L, \qquad \mathrm{BIC} = k \ln n - 2 \ln L",
        r"\widehat{\mathrm{SE}} = \frac{s}{\sqrt{K}},\quad s^2 = \frac{1}{K-1}\sum_{j=1}^{K}"
        r"(a_j - \bar a)^2\quad (a_j:\ \text{accuracy on fold } j)",
        r"\text{ReLU on } \mathbb{R}:\ \text{one hidden layer of } w \text{ units draws}"
        r"\ \le w + 1 \text{ linear pieces}",
        r"L \text{ hidden layers of width } w:\ \le (w + 1)^L \text{ pieces;}"
        r"\ \text{width 2 can reach } 2^L \text{ (Telgarsky)}",
    ),
    pitfalls=(
        "Choosing depth on the training score: a deeper net *can* fit the training set at least "
        "as well (its extra layers can pass values through), so when training succeeds the "
        "training score favours depth; only held-out (cross-validated) scores say whether it "
        "generalizes. And training need not succeed: narrow deep nets can fit their training "
        "data worse than shallow ones (preset 'Too deep, too narrow').",
        "Reading the universal approximation theorem as 'one layer is enough in practice': the "
        "width it needs can grow exponentially, and it says nothing about learnability.",
        "Trusting AIC/BIC with k = all weights: the effective number of parameters of a trained "
        "network is usually smaller, so they tend to over-penalize depth and width; and the "
        "log-likelihood they need is the maximum, which a net trained a fixed number of steps "
        "has not reached. Compare their picks on held-out data.",
        "Calling a difference real without its noise: compare nets on the same folds and data, "
        "read the standard errors, and rerun with other seeds to see whether the ranking holds. "
        "The same number of epochs for every net favours those that train fast.",
        "Deep and very narrow stacks can fail to train at all; add width, skip connections or "
        "normalization before adding more layers.",
    ),
    points=(
        KeyPoint(
            "Treat depth and width as hyperparameters chosen on validation data; start small: one to three hidden layers of moderate width.",
            None,
        ),
        KeyPoint(
            "Grow depth or width while the cross-validated score improves by more than its noise.",
            None,
        ),
        KeyPoint(
            "Prefer the smallest model whose mean CV score is within one standard error of the best (the one-standard-error rule).",
            "Moons: a little depth is enough",
        ),
        KeyPoint(
            "The standard error of a K-fold mean (s/√K, K folds) is itself an estimate, and an optimistic one: the folds share training points.",
            None,
        ),
        KeyPoint(
            "Deeper nets compose features, so they can represent some functions with exponentially fewer units than one wide layer.",
            "Sawtooth: depth by construction",
        ),
        KeyPoint(
            "One hidden layer of a non-polynomial activation can approximate any continuous function on a compact set, but with no bound on its width and no promise that training finds it.",
            None,
        ),
        KeyPoint(
            "Very deep plain nets are harder to train: vanishing or exploding gradients, dead units, too narrow a stack.",
            "Too deep, too narrow",
        ),
        KeyPoint(
            "Residual connections, normalization and good initialization make depth usable.",
            None,
        ),
        KeyPoint(
            "AIC and BIC are at best rough guides for networks: the weights are non-identifiable, usually not trained to the maximum likelihood, and their effective number is often far below k.",
            None,
        ),
    ),
)
