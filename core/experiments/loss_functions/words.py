"""The loss-functions lesson's fixed words: its prediction, presets and model answer."""

from __future__ import annotations

from core.experiments.loss_functions.claims import CROSS, SQUARED
from core.experiments.loss_functions.experiment import Config
from core.facts import KeyPoint, ModelAnswer, Prediction, Preset

PREDICTION = Prediction(
    "A class-1 example gets the logit z₀ set in the sidebar (at the default −6 the network is "
    "confidently wrong about it). Which loss gives it the larger gradient |∂L/∂z|?",
    (SQUARED, CROSS),
)

PRESETS = {
    "Textbook [0.7, 0.2, 0.1]": Preset(
        "Probabilities 0.7, 0.2, 0.1 with the first class true: the loss is −log 0.7 ≈ 0.357.",
        Config(input_mode="probabilities", probability_1=0.7, probability_2=0.2, probability_3=0.1),
        shows=("true_class_loss",),
    ),
    "Confidently wrong": Preset(
        "The network bets on class 2 while class 1 is true: −log p is large and p − y pushes hard.",
        Config(logit_1=-2.0, logit_2=4.0, logit_3=1.0),
        shows=("true_class_loss",),
    ),
    "Fair start (z₀ = 0)": Preset(
        "Both nets start undecided (σ near 1/2): squared error trains too, only more slowly.",
        Config(start_logit=0.0),
        shows=("start_undecided", "mse_slower"),
    ),
    "Saturated start (z₀ = −8)": Preset(
        "Every example starts as a confident 'class 0': squared error's gradient is ~0.0007 "
        "of cross-entropy's, and its accuracy stays where it started.",
        Config(start_logit=-8.0),
        shows=("start_class0", "mse_stalled"),
    ),
}

MODEL_ANSWER = ModelAnswer(
    "Cross-entropy measures how much probability the model gives to the true class: "
    "L = −Σ y_i log p_i, which for a one-hot label is −log p_true. It is the negative "
    "log-likelihood of the labels, so minimizing it is maximum-likelihood estimation. "
    "Numbers to know: p = 0.9 costs 0.105, p = 0.6 costs 0.511, and 0.7 of [0.7, 0.2, 0.1] costs "
    "0.357; p → 0 costs without bound, so confident mistakes are punished hard.\n\n"
    "For classification, squared error through a sigmoid has gradient 2(σ − y)·σ(1 − σ) on the "
    "logit (through a softmax, 2[diag(p) − p pᵀ](p − y)): the slope factor vanishes when the "
    "output saturates, so a confidently wrong network's first updates are tiny, and at the same "
    "step size it usually starts out far slower than with cross-entropy. Cross-entropy's log cancels "
    "that factor: the gradient on the logit is σ − y through a sigmoid, p − y through a softmax. "
    "Frameworks fuse the softmax (or sigmoid) with the log, so CrossEntropyLoss and "
    "BCEWithLogitsLoss take logits, for numerical stability: log-sum-exp never overflows or "
    "takes log 0, and the backward pass is simply p − y.",
    formulas=(
        # a line each, aligned: one line was wider than the model answer's box on a 390 px
        # phone (audit pass 64 h)
        r"\begin{aligned}L &= -\sum_{i=1}^{k} y_i \log p_i\\"
        r"p &= \operatorname{softmax}(z)\end{aligned}",
        r"\frac{\partial L}{\partial z_i} = p_i - y_i",
        r"\begin{aligned}\frac{\partial p_i}{\partial z_j} &= p_i(\delta_{ij} - p_j)\\"
        r"\Longleftrightarrow\;J &= \operatorname{diag}(p) - p\,p^\top\end{aligned}",
    ),
    pitfalls=(
        "Writing p − y as the derivative with respect to the probabilities ŷ: it is the "
        "derivative with respect to the logits z. With respect to p it is −y/p.",
        "Giving the softmax Jacobian as only its diagonal p_i(1 − p_i): every probability "
        "depends on every logit, and the off-diagonal −p_i p_j terms are what push the wrong "
        "classes down. The full Jacobian is diag(p) − p pᵀ.",
        "Computing log(softmax(z)) in two steps: use log-softmax (log-sum-exp) so that large "
        "logits neither overflow nor take log 0.",
    ),
    points=(
        KeyPoint(
            "Cross-entropy is −Σ y_i log p_i, −log p_true for a one-hot label (0.7 of [0.7, 0.2, 0.1] costs 0.357).",
            "Textbook [0.7, 0.2, 0.1]",
        ),
        KeyPoint(
            "It is the negative log-likelihood of the labels: minimizing it is maximum-likelihood estimation.",
            None,
        ),
        KeyPoint(
            "Confident mistakes cost without bound as p → 0, and the gradient p − y pushes hard.",
            "Confidently wrong",
        ),
        KeyPoint(
            "Squared error through a sigmoid carries σ(1 − σ): a saturated, confidently wrong net's first steps are tiny.",
            "Saturated start (z₀ = −8)",
        ),
        KeyPoint(
            "Cross-entropy's log cancels that factor: the gradient on the logit is p − y; from an undecided start squared error trains too, usually more slowly.",
            "Fair start (z₀ = 0)",
        ),
        KeyPoint(
            "Frameworks fuse the softmax with the log (losses take logits) for numerical stability.",
            None,
        ),
    ),
)
