"""The gradient descent lesson's fixed words: its prediction, presets and model answer."""

from __future__ import annotations

from core.experiments.gradient_descent.experiment import GRADIENT_DRAWS, VARIANTS, Config
from core.facts import KeyPoint, ModelAnswer, Prediction, Preset

# The gradient-variance chart's caption. What falls faster than 1/B is the variance itself (the
# theory line): the measured points are estimates from GRADIENT_DRAWS draws and can fall slower
# (preset "SGD's noise floor": fitted slope -0.96 in the chart's title, beside a caption that
# said "it falls faster than 1/B").
VARIANCE_CAPTION = (
    f"Variance of the mini-batch gradient against B: measured from {GRADIENT_DRAWS} draws per "
    "size (estimates, which scatter: their fitted slope can be above −1), and the theory line "
    "σ²/B · (n−B)/(n−1). Drawn without replacement, as in an epoch, the variance itself (the "
    "theory line) falls faster than 1/B, by the factor (n−B)/(n−1): between 0.75 and 1 over "
    "the B ≤ n/4 shown, down to 0 at B = n."
)
# "slightly over the B ≤ n/4 shown" was said of a factor down to 0.757 (n = 260, B = 64: the
# variance a quarter below σ²/B); over B ≤ n/4 the factor is above 3n/4 / (n − 1) > 0.75 (audit
# pass 59 b)

PREDICTION = Prediction(
    "After **one epoch** (one pass over the data), which variant's training loss is closest to "
    "its minimum L*?",
    VARIANTS,
)

PRESETS = {
    "Learning rate too large": Preset(
        "η = 0.5 is above 2 / λ_max ≈ 0.385 for this data: batch GD overshoots the valley and "
        "diverges (read the warning); the steepest single examples are steeper still.",
        Config(learning_rate=0.5),
        shows=("batch_diverged",),
    ),
    "SGD's noise floor": Preset(
        # "levels off", as the run's own sentence says: its median still fell 7 % (0.778, then
        # 0.727 above L*), and "stopped improving" is the page's word for a median that rose
        # (audit pass 58 d)
        "Noisy data and a constant step: SGD levels off in a noise ball, while 1/t decay "
        "goes lower. At the minimum, single mini-batches still push (histogram).",
        Config(learning_rate=0.05, noise=2.0, epochs=40, sample_at="minimum"),
        shows=("constant_levels_off", "decay_below_constant"),
    ),
    "Decay the step size": Preset(
        "Every variant uses the 1/t schedule: SGD's loss gets within 0.002 of its minimum L*, "
        "while batch GD, with one shrinking step per epoch, is left far above it.",
        Config(learning_rate=0.1, schedule="inverse_time", decay_rate=1.0, epochs=40),
        shows=("one_epoch_sgd_further", "decay_below_constant"),
    ),
    "Exponential decay stops short": Preset(
        "A fast exponential decay (k = 5) at a small η: its steps add up to a finite total "
        "that runs out far from the minimum, and SGD freezes there.",
        Config(learning_rate=0.01, schedule="exponential", decay_rate=5.0, noise=2.0),
        shows=("exponential_froze",),
    ),
    "Noise-free data": Preset(
        "Noise 0: one line fits every example, so constant-step SGD converges with no noise ball.",
        Config(noise=0.0),
        shows=("interpolation_converges",),
    ),
}

MODEL_ANSWER = ModelAnswer(
    "Gradient descent minimises a loss by repeatedly stepping against its gradient until a "
    "stopping rule holds (a tolerance on the gradient or the loss change, or a fixed budget of "
    "steps). **Batch** GD computes the gradient on the whole training set per update: exact but "
    "expensive. **Stochastic** GD uses one random example: cheap, noisy updates. **Mini-batch** "
    "GD uses a small random subset (typically 32 to 256), the default in deep learning because "
    "it balances noise against vectorised hardware.\n\n"
    "SGD works because a random mini-batch gradient is an *unbiased* estimate of the full "
    "gradient, with a variance that falls like 1/B while B is small next to n (drawn without "
    "replacement, as in an epoch, by the factor (n − B)/(n − 1): a little faster, down to 0 at "
    "the full batch). Each step is far cheaper, so per unit of compute many noisy steps "
    "usually beat a few exact ones. With a constant step size small enough not to diverge and "
    "examples that disagree at the minimum (noisy data), SGD ends in a noise ball around the minimum whose size grows "
    "with η; on data that one model fits exactly, every example's gradient vanishes there and "
    "constant-step SGD with such a step converges too. A step size that decays with Σ η_t = ∞ and Σ η_t² < ∞ "
    "(Robbins–Monro; 1/t qualifies) converges in the limit; an exponential decay's steps add "
    "up to a finite total, so it can stop short of the minimum.\n\n"
    "Gradient descent is the *update rule*; backpropagation is the *algorithm that computes the "
    "gradient* it needs, by the chain rule from the output back to the input.",
    formulas=(
        r"\theta_{t+1} = \theta_t - \eta\,\nabla_\theta L(\theta_t)",
        # a line each, aligned: on one line the formula was three times the width of the model
        # answer's box on a 390 px phone (audit pass 64 h)
        r"\begin{aligned}&g_B = \frac{1}{B}\sum_{i \in \mathcal{B}} \nabla_\theta \ell_i(\theta),\\"
        r"&\mathbb{E}[g_B] = \nabla_\theta L(\theta)\end{aligned}",
        r"\begin{aligned}&\mathbb{E}\,\lVert g_B - \nabla_\theta L\rVert^2"
        r" = \frac{\sigma^2}{B}\cdot\frac{n-B}{n-1},\\"
        r"&\sigma^2 = \frac{1}{n}\sum_{i=1}^{n} \lVert \nabla_\theta \ell_i - \nabla_\theta L\rVert^2"
        r"\end{aligned}",
    ),
    pitfalls=(
        "“SGD converges to the minimum with any small constant step”: only when every example "
        "is fitted exactly at the minimum. With noisy data it hovers in a noise ball; decay the "
        "step (1/t) or grow the batch to converge.",
        "“Any decaying step size lets SGD converge”: an exponential decay's steps have a finite "
        "sum and can freeze SGD short of the minimum; Robbins–Monro asks for Σ η_t = ∞ and "
        "Σ η_t² < ∞.",
        "Comparing variants per epoch only hides the point: compare per update and per second "
        "too (per example processed is the same comparison as per epoch here: every variant "
        "sees n examples a pass).",
        "Too large a step diverges. On a quadratic loss batch GD with a constant step converges "
        "only when η < 2/λ_max (λ_max: the Hessian's largest eigenvalue); SGD needs a smaller step still, "
        "since the steepest single examples curve more than their average.",
    ),
    points=(
        KeyPoint(
            "Gradient descent steps against the gradient, θ ← θ − η∇L, until a stopping rule holds.",
            None,
        ),
        KeyPoint(
            "Batch GD uses every example per update, SGD one, mini-batch a small random subset (typically 32 to 256).",
            None,
        ),
        KeyPoint(
            "A mini-batch gradient is an unbiased estimate of the full gradient; its variance falls like 1/B while B is small next to n (drawn without replacement, down to 0 at B = n).",
            None,
        ),
        KeyPoint(
            "Per unit of compute, many cheap noisy steps usually beat a few exact ones.",
            "Decay the step size",
        ),
        KeyPoint(
            "With a constant step on noisy data (small enough not to diverge), SGD ends in a noise ball around the minimum that grows with η.",
            "SGD's noise floor",
        ),
        KeyPoint(
            "On data that one model fits exactly, constant-step SGD converges (with a step small enough not to diverge).",
            "Noise-free data",
        ),
        KeyPoint(
            "A decay with Σ η_t = ∞ and Σ η_t² < ∞ (such as 1/t) converges in the limit if no step diverges first; an exponential decay can stop short.",
            "Exponential decay stops short",
        ),
        KeyPoint(
            "Too large a step diverges: on a quadratic, batch GD with a constant step needs η < 2/λ_max.",
            "Learning rate too large",
        ),
        KeyPoint(
            "Gradient descent is the update rule; backpropagation computes the gradient it uses.",
            None,
        ),
    ),
)
