"""The batch-size lesson's fixed words: its prediction, presets and model answer."""

from __future__ import annotations

from core.experiments.batch_size.claims import OPTIONS
from core.experiments.batch_size.settings import Config
from core.facts import KeyPoint, ModelAnswer, Prediction, Preset

PREDICTION = Prediction(
    "Same net, same seed, **same number of epochs** (and, with scaling off, the same learning "
    "rate): which batch size ends with the lowest training loss?",
    tuple(OPTIONS.values()),
)

PRESETS = {
    "Same learning rate for every batch": Preset(
        "On the two moons (400 points; not on an uploaded file), SGD with one η for all: per "
        "epoch B = 1 makes 280 updates, B = 32 makes 9 and the full batch 1, and here the more "
        "updates, the lower the training loss after 20 epochs.",
        Config(scaling="none", optimizer="gd", learning_rate=0.1),
        shows=("answer_more_updates", "recipe_unscaled_lags"),
    ),
    "Linear scaling rule": Preset(
        "On the two moons, with SGD, η grows with B (η·B/32): the final training losses line up "
        "within a factor of 1.25 (in the first epochs the full batch still lags; compare "
        "against epochs).",
        Config(scaling="linear", optimizer="gd", learning_rate=0.1),
        shows=("recipe_scaled_aligned",),
    ),
    "Scaling too far": Preset(
        "On the two moons, a large base η (1.0) scaled linearly: B = 256 gets η = 8 and "
        "diverges, and the full batch (η = 8.75) ends above where it started.",
        Config(scaling="linear", optimizer="gd", learning_rate=1.0),
        shows=("diverged", "rose", "recipe_diverged"),
    ),
    "Momentum, same learning rate": Preset(
        "On the two moons, momentum 0.9 at η = 0.1 for every batch: B = 1's many updates no "
        "longer win, and B = 32 ends lowest. More updates help only while each one still lowers "
        "the loss.",
        Config(scaling="none", optimizer="momentum", learning_rate=0.1),
        shows=("answer_other_order",),
    ),
    "Adam with the linear rule": Preset(
        "The linear rule was derived for SGD: on the two moons, with Adam at η = 0.1 it leaves "
        "the final training losses far apart.",
        Config(scaling="linear", optimizer="adam", learning_rate=0.1),
        shows=("recipe_scaled_apart",),
    ),
}

MODEL_ANSWER = ModelAnswer(
    "Batch size trades **noise, speed and memory**. The mini-batch gradient is an unbiased "
    "estimate of the full gradient; its variance falls like 1/B while B is small next to the "
    "data set (drawn without replacement, as in an epoch, a little faster, down to 0 at the full "
    "batch). Larger batches give smoother curves and use vectorized hardware better per "
    "example; smaller ones make more updates per epoch. Their noise *can* help generalization "
    "(Keskar et al., 2017), though with the learning rate and schedule re-tuned for each batch "
    "size much of that gap closes (Hoffer et al., 2017; Shallue et al., 2019): check it on your "
    "own validation curves. Activation memory (the forward pass's cache plus the backward "
    "pass's temporaries) grows linearly with B and often sets the upper limit.\n\n"
    "**Recipe:** start at 32 or 64 (powers of two are a convention that suits memory "
    "alignment, not a rule of the loss); double or halve while watching the train and "
    "validation curves; with SGD (with or without momentum), when you increase B for a fixed "
    "number of epochs, scale the learning rate with it (the linear rule, with a warm-up for "
    "very large batches), or the larger batch makes fewer updates at the same η and "
    "tends to under-train; the rule breaks down once the scaled step is too large to be stable, and "
    "for Adam a square-root rule is the usual starting point. Compare runs per update and per "
    "second, not only per epoch.",
    formulas=(
        r"\mathbb{E}\,\lVert g_B - g\rVert^2 = \frac{\sigma^2}{B}\cdot\frac{n-B}{n-1},\qquad "
        r"\sigma^2 = \frac{1}{n}\sum_{i=1}^{n} \lVert g_i - g\rVert^2"
        r"\quad\text{(B of n drawn without replacement)}",
        r"\eta(B) = \eta_{32}\cdot\frac{B}{32}\quad\text{(linear scaling rule, SGD)}",
        r"M_{\text{cache}}(B) = \text{bytes per number}\cdot B\cdot\Big(d + \sum_l 2h_l + k\Big)"
        r"\quad\text{(forward cache; the backward pass adds its temporaries)}",
    ),
    pitfalls=(
        "Comparing batch sizes per epoch only: the full batch makes one update per epoch, so "
        "it looks slow per epoch; each update costs it the most time but follows the exact "
        "gradient, so per update it tends to look fast; per second it wins only when a full pass "
        "costs little more than a mini-batch step (small data, hardware with parallel work to "
        "spare). Look at all three axes.",
        "Growing the batch without touching η, with SGD and a fixed number of epochs: the run "
        "makes fewer steps at the same η and tends to under-train (unless the smaller "
        "batch's steps were too large to be stable). Scaling η with B tends to keep the final "
        "losses together, but not once the step becomes unstable, nor always when the largest "
        "batch makes only a few updates (with momentum the full batch can still lag), and an "
        "adaptive optimizer such as Adam follows other rules.",
        "The 1/B law is for the variance E‖g_B − g‖², and only while B ≪ n; the gradient's "
        "RMS deviation then falls like 1/√B.",
        "Memory estimates that forget activations: parameters, gradients and optimizer state "
        "are fixed, while the forward cache and the backward temporaries scale with B.",
    ),
    points=(
        KeyPoint(
            "Batch size trades noise, speed and memory.",
            None,
        ),
        KeyPoint(
            "The mini-batch gradient is unbiased; its variance falls like 1/B while B is small next to n.",
            None,
        ),
        KeyPoint(
            "At one SGD η and fixed epochs, a larger batch makes fewer updates, not longer ones (a mini-batch gradient's mean squared length, ‖g‖² + its variance, grows as B shrinks), and tends to under-train.",
            "Same learning rate for every batch",
        ),
        KeyPoint(
            "With SGD, scale η with B (the linear rule, with warm-up for very large batches).",
            "Linear scaling rule",
        ),
        KeyPoint(
            "The linear rule breaks down once the scaled step is too large to be stable.",
            "Scaling too far",
        ),
        KeyPoint(
            "Adam follows other rules: a square-root rule is the usual start.",
            "Adam with the linear rule",
        ),
        KeyPoint(
            "Activation memory grows linearly with B and often sets the upper limit.",
            None,
        ),
        KeyPoint(
            "Start at 32 or 64 and compare runs per update and per second, not only per epoch.",
            None,
        ),
    ),
)
