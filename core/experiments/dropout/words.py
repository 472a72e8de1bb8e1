"""The dropout lesson's fixed words: its prediction, presets and model answer."""

from __future__ import annotations

from core.experiments.dropout.claims import OUTCOMES
from core.experiments.dropout.experiment import MC_SAMPLES, Config, eval_every
from core.facts import KeyPoint, ModelAnswer, Prediction, Preset

PREDICTION = Prediction(
    "Keep each hidden unit with probability **q = 0.5** at every training step. Compared with "
    "no dropout (q = 1.0), what happens to this network's final **test loss**?",
    OUTCOMES,
)

PRESETS = {
    "Overfitting: few noisy points, wide net": Preset(
        "40 noisy points and 128 units per layer: without dropout the test loss reaches its "
        "lowest within the first epochs and then climbs, and q = 0.5 ends lower.",
        Config(),
        shows=("test_rose", "answer_lower", "harder_to_fit"),
    ),
    "More data: less to fix": Preset(
        "100 points and 64 units: without dropout the test loss still rises a little after its "
        "lowest, and with q = 0.5 it rises too; the two final test losses differ by less than two "
        "standard errors of their paired difference, which this test set cannot tell apart. "
        "Compare the gap between training and test loss with the first preset's.",
        Config(n_train=100, width=64),
        shows=("test_rose", "answer_same"),
    ),
    "Narrow net": Preset(
        "16 units at η = 0.003 for 200 epochs: without dropout the net does not fit every "
        "training point (training accuracy below 100%) and its test loss rises only a little; "
        "q = 0.5's final test loss differs from it by less than two standard errors of their "
        "paired difference. Dropout has little to fix here.",
        Config(width=16),
        shows=("answer_same", "harder_to_fit"),
    ),
    "Narrow net, larger step": Preset(
        "The same 16 units at η = 0.03: now the net fits every training point without dropout, "
        "its test loss climbs, and q = 0.5 ends lower. Whether a net memorizes depends on the "
        "step size and the training time, not only on its width.",
        Config(width=16, learning_rate=0.03),
        shows=("test_rose", "answer_lower"),
    ),
    "Memorizing anyway": Preset(
        "20 points, 3 × 128 units, η = 0.03 for 400 epochs: even with q = 0.5 the net fits "
        "the training points, its single-pass test loss ends higher than without dropout, and "
        "the average over 25 masks is far below that single pass. Dropout is no guarantee.",
        Config(n_train=20, depth=3, learning_rate=0.03, epochs=400),
        shows=("fits_anyway", "answer_higher", "mc_apart"),
    ),
}

MODEL_ANSWER = ModelAnswer(
    "Dropout zeroes each hidden unit at random on every training step (keeping it with "
    "probability q), so no unit can rely on particular others being present: it discourages "
    "co-adaptation. Every step trains a different thinned sub-network, and all of them share "
    "the same weights: training fits an implicit ensemble of up to 2ᴺ sub-networks (N hidden "
    "units). At test time one pass of the full network stands in for the ensemble's average "
    "(the weight-scaling rule). With one hidden layer and a logistic or softmax output, that "
    "pass gives exactly the normalized geometric mean of the sub-networks' predictions, each "
    "weighted by its mask's probability; with "
    "more hidden layers it is an approximation even of that mean. At any depth, averaging many masked "
    "passes (Monte Carlo dropout, an arithmetic mean of the predictions) can score quite differently. Dropout tends to help most where a large net can memorize a small, "
    "noisy training set, but it is no guarantee: with enough capacity, a large step and long "
    "training the net can fit the training points anyway, and its test loss can end higher than "
    "without dropout.\n\n"
    "**Inverted dropout** (PyTorch, Keras): keep a unit with probability q and divide the kept "
    "ones by q during training, so each unit's expected output, given its input, equals its "
    "inference value. That is exact for the first hidden layer, whose input is never masked; "
    "deeper units see masked inputs, and a non-linearity of a noisy input does not average to "
    "the non-linearity of its average, so for them it holds only approximately. At test time the "
    "full network runs with no masks and no scaling. The older formulation keeps training "
    "unscaled and multiplies the outgoing weights by q at test time instead. Either way, scale "
    "exactly once.",
    formulas=(
        r"m_j \sim \text{Bernoulli}(q),\qquad \tilde a_j = \frac{m_j\,a_j}{q},\qquad "
        r"\mathbb{E}[\tilde a_j \mid a_j] = \frac{q\,a_j}{q} = a_j",
        r"\text{double scaling at inference: } q\cdot\mathbb{E}[\tilde a_j \mid a_j] = q\,a_j "
        r"\ne a_j\quad (a_j \ne 0,\ q < 1)",
        r"\operatorname{Var}[\tilde a_j \mid a_j] = \frac{1-q}{q}\,a_j^2:\ "
        r"\text{the mean of } n \text{ masks has standard error } |a_j|\sqrt{\tfrac{1-q}{q\,n}}",
    ),
    pitfalls=(
        "Scaling by 1/q during training and again at inference (multiplying by q, or dividing "
        "by q once more) double counts: the first dropped layer's outputs are off by exactly a "
        "factor q or 1/q; later layers are off by other, input-dependent amounts, since biases "
        "and non-linearities do not scale, and the error compounds.",
        "Forgetting to switch dropout off at inference (model.eval() in PyTorch): predictions "
        "become random; averaging many of them on purpose is Monte Carlo dropout.",
        "Confusing p and q: PyTorch's Dropout(p) takes the drop probability p = 1 − q.",
        "“Each unit's expected output equals its inference value”: only given its input. After "
        "earlier masked layers and non-linearities, the single deterministic pass only "
        "approximates the average over masks.",
        "Reading the training curve as the objective: a training loss measured without masks "
        "(as on this page) is not the masked loss each step minimizes, which is usually higher "
        "and noisier.",
        "Expecting dropout always to lower the test loss: check it on held-out data, as with any "
        "regularizer, and tune q with the other hyperparameters.",
    ),
    points=(
        KeyPoint(
            "Dropout zeroes each hidden unit at random on every training step (keeping it with probability q), discouraging co-adaptation.",
            None,
        ),
        KeyPoint(
            "Each step trains a thinned sub-network with the same shared weights: an implicit ensemble of up to 2ᴺ sub-networks (N hidden units).",
            None,
        ),
        KeyPoint(
            "At test time one pass of the full network stands in for the ensemble's average (the weight-scaling rule).",
            None,
        ),
        KeyPoint(
            "With one hidden layer and a logistic or softmax output, that pass gives exactly the normalized geometric mean of the sub-networks' predictions, each weighted by its mask's probability.",
            None,
        ),
        KeyPoint(
            "With more hidden layers the pass is an approximation; at any depth, averaging many masked passes (Monte Carlo dropout, an arithmetic mean) can score quite differently.",
            "Memorizing anyway",
        ),
        KeyPoint(
            "Dropout tends to help most where a large net can memorize a small, noisy training set.",
            "Overfitting: few noisy points, wide net",
        ),
        KeyPoint(
            "It is no guarantee: with enough capacity, a large step and long training the net can fit anyway, and its test loss can end higher than without dropout.",
            "Memorizing anyway",
        ),
        KeyPoint(
            "Inverted dropout divides the kept units by q in training, so each unit's expected output, given its input, equals its inference value.",
            None,
        ),
        KeyPoint(
            "That is exact for the first hidden layer; deeper units see masked inputs through non-linearities, so for them it holds only approximately.",
            None,
        ),
        KeyPoint(
            "Scale exactly once: inverted dropout runs the full net with no masks and no scaling at test time; the older form multiplies outgoing weights by q there.",
            None,
        ),
    ),
)


def curves_caption(config: Config, n_test: int) -> str:
    """The caption under the training and test loss curves of the selected keep probabilities.
    "The training curve is not the masked loss each step minimizes" is said only of curves with
    q < 1: with q = 1.0 nothing is masked, and its training curve is the full-batch loss each
    step takes (the caption said it of ?q=1.0 alone, a run without masks; audit pass 54 g)."""
    every = eval_every(config)
    when = "after every epoch" if every == 1 else f"every {every} epochs"
    masked = [q for q in config.keep_probs if q < 1]
    if not masked:
        losses = (
            f"Both losses are measured {when} on the network as used at inference; with q = 1.0 "
            "nothing is masked, so the training curve is the full-batch loss each step minimizes"
        )
    else:
        which = "" if len(masked) == len(config.keep_probs) else " of q < 1"
        losses = (
            f"Both losses are measured without masks, on the network as used at inference, {when}: "
            f"the training curves{which} are not the masked loss each step minimizes"
            + ("" if which == "" else " (with q = 1.0 nothing is masked)")
        )
    return f"{losses}. Test loss: the mean over {n_test} held-out points."


def mc_caption() -> str:
    """The caption under the Monte Carlo maps. ``mc_dropout_logits`` draws a mask for every row
    of its stacked input, so every grid point gets masks of its own: the caption said "Both maps
    read the same 25 random masks … over a grid", as if 25 sub-networks were each drawn over the
    whole grid (audit pass 57 d)."""
    return (
        f"Each grid point averages {MC_SAMPLES} random masks of its own (training mode, 1/q "
        f"scaling; drawn independently from point to point, not {MC_SAMPLES} sub-networks shared "
        "by the grid). Both maps read those same draws: one shows the mean of P, the other its "
        "standard deviation, both Monte Carlo estimates, themselves noisy, so neighbouring "
        "cells can differ by chance."
    )
