"""The optimizers lesson's fixed words: its prediction, presets, model answer and memory table."""

from __future__ import annotations

import pandas as pd

from core.experiments.optimizers.claims import ANSWERS
from core.experiments.optimizers.experiment import Config
from core.facts import KeyPoint, ModelAnswer, Prediction, Preset, num
from core.second_order import hessian_memory_bytes

PREDICTION = Prediction(
    "Newton's method steps by −η(H + λI)⁻¹∇f, using the curvature that gradient descent "
    "ignores (with the sidebar's defaults it is the pure step −H⁻¹∇f: η = 1, no damping λ, no "
    "cap). Starting from the same point, **where does Newton end up?**",
    tuple(dict.fromkeys(ANSWERS.values())),
)

PRESETS = {
    "Start exactly on the saddle's stable line": Preset(
        "y = 0 exactly: the gradient never gets a y part, so every method without noise stays "
        "on the line and ends near the saddle. Only noisy GD escapes.",
        Config.for_surface("saddle_two_minima", start_y=0.0, steps=300),
        shows=("gd_on_stable_line", "only_noise_escaped"),
    ),
    "Nudged off the stable line": Preset(
        "y = 0.001: every method but pure Newton ends near a minimum (within r of it, though "
        "AdaGrad, RMSprop and noisy GD never come within 0.001 in the 300 steps), at very "
        "different speeds; pure Newton's own step pulls it into the saddle.",
        Config.for_surface("saddle_two_minima", start_y=0.001, steps=300),
        shows=("newton_answer", "first_to_leave", "reached_minimum"),
    ),
    "Rosenbrock valley": Preset(
        "A curved narrow valley: gradient descent crawls along the floor, momentum and Adam get "
        "far closer, and pure Newton follows the curvature to (1, 1) in a few steps.",
        Config.for_surface("rosenbrock", steps=1000),
        shows=("reached_minimum", "lowest_loss"),
    ),
    "Ill-conditioned bowl": Preset(
        "κ = 100: gradient descent (η = 0.015) zigzags across the steep direction and crawls "
        "along the shallow one; momentum near Polyak's setting (η = 0.03, β = 0.67) is far "
        "faster (see the momentum map).",
        Config.for_surface(
            "ill_conditioned_bowl",
            condition_number=100.0,
            steps=300,
            lr_gd=0.015,
            lr_momentum=0.03,
            momentum=0.67,
        ),
        shows=("reached_minimum", "momentum_rates", "momentum_transient"),
    ),
    "Plateau": Preset(
        "A flat plain (the gradient at the start is 6e-4): gradient descent barely moves. Adam walks at "
        "about η per coordinate, because it divides by the gradient's running size; RMSprop "
        "starts near 10η and slows down; AdaGrad starts at about η, then slows as its sum of "
        "squared gradients piles up (read the step sizes under What to notice).",
        Config.for_surface("plateau", steps=500),
        shows=("adaptive_steps", "gd_never_near"),
    ),
}

MODEL_ANSWER = ModelAnswer(
    "A **saddle point** is a critical point (∇f = 0) that is neither a minimum nor a maximum: f "
    "rises along some directions and falls along others. If the Hessian there has eigenvalues "
    "of both signs and none zero it is a non-degenerate saddle; a degenerate one (a zero "
    "eigenvalue), like the monkey saddle "
    "x³ − 3xy², can have H = 0, and then the second-order test says nothing. In high dimensions "
    "saddles are far more common than poor local minima (Dauphin et al., 2014), so the question "
    "is how not to *linger* at them. Plain gradient descent slows down near a saddle because "
    "its step η∇f shrinks with the gradient, and started exactly on the saddle's stable "
    "manifold, with a step small enough to be stable, it converges to the saddle. The ways "
    "out:\n\n"
    "1. **Noise** (SGD's mini-batches or added Gaussian noise) pushes the iterate off the "
    "stable manifold; at a saddle with λ_min < 0 (every non-degenerate one) the offset along the "
    "negative-curvature direction then grows geometrically, by about 1 + η|λ_min| per step (at "
    "a degenerate saddle with no λ < 0, like the monkey saddle's H = 0, only slowly).\n"
    "2. **Momentum** accumulates the small but consistent gradient along the escape direction "
    "and crosses flat regions faster. On an ill-conditioned quadratic with κ ≫ 1, tuned heavy "
    "ball needs a number of steps per decade of error that grows like √κ, against κ for "
    "gradient descent (in the long run: its rate ρ is a spectral radius, and the error can "
    "first grow).\n"
    "3. **Adaptive steps** divide by a running gradient size. Adam's bias-corrected step is "
    "about η per coordinate even for tiny gradients (above its ε, while the gradient keeps a "
    "steady sign and size); PyTorch's RMSprop starts near η/√(1 − α) (10η at α = 0.99) and, "
    "for a steady gradient, settles to about η "
    "as its average warms up; AdaGrad's sum keeps growing, so for a steady gradient its step "
    "decays like η/√t.\n"
    "4. **Curvature used correctly**: saddle-free Newton ((|H| + λI)⁻¹∇f), trust-region or "
    "negative-curvature steps descend along λ < 0. *Pure* Newton does the opposite: it solves "
    "∇f = 0 and is attracted to saddles.\n\n"
    "Full second-order methods do not scale: the Hessian has n² entries (10¹² for a million "
    "weights, 4 TB in float32) and a solve costs ~n³, so deep learning uses first-order methods "
    "plus Hessian-vector products or diagonal / Kronecker-factored approximations.",
    formulas=(
        r"f(\theta^*+\delta)\approx f(\theta^*)+\tfrac12\sum_i \lambda_i z_i^2,\qquad"
        r"\text{GD: } z_i \leftarrow (1-\eta\lambda_i)\,z_i"
        r"\ \ (\text{grows by } 1+\eta|\lambda_i| \text{ if } \lambda_i<0,\ \text{only if } z_i\neq0)",
        r"\text{momentum: } b \leftarrow \beta b + \nabla f,\ \theta \leftarrow \theta-\eta b"
        r"\qquad \text{Adam: } \theta \leftarrow \theta-\eta\,\hat m/(\sqrt{\hat v}+\epsilon)",
        r"\text{AdaGrad: } \theta \leftarrow \theta-\eta\,g/(\sqrt{\textstyle\sum_s g_s^2}+\epsilon)"
        r"\qquad \text{RMSprop: } v \leftarrow \alpha v+(1-\alpha)g^2,\ "
        r"\theta \leftarrow \theta-\eta\,g/(\sqrt{v}+\epsilon)",
        r"\text{Newton: } \Delta z_i = -\eta\,g_i/(\lambda_i+\lambda) \qquad"
        r"\text{saddle-free Newton: } \Delta z_i = -\eta\,g_i/(|\lambda_i|+\lambda) \qquad"
        r"\text{noisy GD: } \theta \leftarrow \theta-\eta(\nabla f+\sigma\xi)",
    ),
    pitfalls=(
        "“Gradient descent always escapes saddles”: started exactly on the stable line it never "
        "leaves (the first preset); a little noise does.",
        "“Newton's method is strictly better”: the pure Newton step is attracted to saddles "
        "because it solves ∇f = 0; the saddle-free variant uses |eigenvalues|.",
        "“Adaptive methods always step about η”: only Adam's bias-corrected step does (for a "
        "gradient above ε with a steady sign and size); "
        "AdaGrad divides by a sum that only grows (for a steady gradient its step decays like "
        "η/√t), and PyTorch's RMSprop starts near η/√(1 − α), 10η at the default α = 0.99 (the "
        "plateau preset measures all three).",
        "“ρ is the factor by which the error shrinks every step”: it is the spectral radius, the "
        "long-run rate. At Polyak's optimum for κ = 100 the steep direction's error first grows "
        "to 3.7× its start before it shrinks like t·ρᵗ (its roots repeat there).",
        "“Just use the Hessian”: n² memory (4 TB for 10⁶ weights in float32) and n³ time.",
        "“Adam fixes ill-conditioning”: it rescales each *coordinate*. On this axis-aligned bowl "
        "that matches the Hessian's eigenvectors exactly, which flatters it; in a rotated valley "
        "the diagonal rescaling can help much less.",
    ),
    points=(
        KeyPoint(
            "A saddle point has ∇f = 0 and is neither a minimum nor a maximum; in high dimensions saddles are far more common than poor local minima.",
            None,
        ),
        KeyPoint(
            "Plain gradient descent slows near a saddle, and started exactly on its stable line with a stable step it converges to it.",
            "Start exactly on the saddle's stable line",
        ),
        KeyPoint(
            "Noise (SGD's mini-batches, added noise) pushes the iterate off the stable line; at a non-degenerate saddle the escape then grows geometrically.",
            "Start exactly on the saddle's stable line",
        ),
        KeyPoint(
            "Momentum accumulates the consistent gradient: tuned, on an ill-conditioned bowl its steps per decade of error grow like √κ in the long run, GD's like κ.",
            "Ill-conditioned bowl",
        ),
        KeyPoint(
            "Adaptive steps divide by a running gradient size: Adam steps about η per coordinate even on a plateau (gradient above ε, steady in sign and size).",
            "Plateau",
        ),
        KeyPoint(
            "Pure Newton solves ∇f = 0 and is attracted to saddles; saddle-free Newton uses |eigenvalues|.",
            "Nudged off the stable line",
        ),
        KeyPoint(
            "Curvature pays in a curved narrow valley: pure Newton reaches Rosenbrock's minimum in a few steps while GD crawls.",
            "Rosenbrock valley",
        ),
        KeyPoint(
            "The Hessian has n² entries and a solve costs ~n³, so deep learning uses first-order methods.",
            None,
        ),
    ),
)

# How to read the momentum map (true at every setting: rho is defined as the spectral radius).
MOMENTUM_READING = (
    "Each cell is heavy-ball momentum's convergence rate ρ on this quadratic: the spectral radius "
    "of its iteration for the worst eigenvalue, i.e. the long-run factor per step (the error "
    "shrinks like ρᵗ, up to a factor that can grow like t where roots repeat). It is not the "
    "factor of every single step. Grey cells do not converge (ρ ≥ 1; above 1 they diverge)."
)
MOMENTUM_FORMULAS = (
    r"\eta^* = \frac{4}{(\sqrt{\kappa}+1)^2},\quad"
    r"\beta^* = \Big(\frac{\sqrt{\kappa}-1}{\sqrt{\kappa}+1}\Big)^2",
    r"\rho^* = \frac{\sqrt{\kappa}-1}{\sqrt{\kappa}+1}"
    r"\quad\text{vs GD's}\quad \frac{\kappa-1}{\kappa+1}",
)

# The Hessian's size for models of a few sizes (n weights: n² entries, float32).
MODEL_SIZES = {
    "this page": 2,
    "a small MLP": 10_000,
    "a million weights": 1_000_000,
    "a 1-billion-weight LLM": 1_000_000_000,
}


def human_bytes(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB", "TB", "PB", "EB"):
        if n < 1000:
            return f"{num(float(n), 3)} {unit}"
        n /= 1000
    return f"{num(float(n), 3)} ZB"


def hessian_memory_table() -> pd.DataFrame:
    """Weights, Hessian entries, float32 memory and the ~n³ cost of a solve, per model size."""
    return pd.DataFrame(
        {
            "model": list(MODEL_SIZES),
            "weights n": [f"{n:,}" for n in MODEL_SIZES.values()],
            "Hessian entries n²": [num(float(n * n), 3) for n in MODEL_SIZES.values()],
            "memory (float32)": [
                human_bytes(hessian_memory_bytes(n)) for n in MODEL_SIZES.values()
            ],
            "solve H⁻¹∇f (~n³ operations)": [num(float(n) ** 3, 3) for n in MODEL_SIZES.values()],
        }
    )


MEMORY_CAPTION = (
    f"A network with a million weights has a Hessian of 10¹² numbers: "
    f"{human_bytes(hessian_memory_bytes(1_000_000))} in float32 "
    f"({human_bytes(hessian_memory_bytes(1_000_000, bytes_per_entry=8))} in float64), before "
    "the n³ cost of solving with it. That is why deep learning uses first-order methods with "
    "momentum and adaptive steps, and approximations (Hessian-vector products, diagonal or "
    "Kronecker-factored curvature) when it wants curvature."
)

# Under the race table. A "—" in "left the saddle for good" is a run near a saddle at its
# last step (or never near): not one that "never left", since on the stable line momentum swings
# out of the neighbourhood and back (audit pass 40). The step columns print "—", not an empty
# cell (audit pass 57 c: "An empty cell" beside cells that all show "—").
RACE_TABLE_CAPTION = (
    "Near a saddle: within r of it and nearer to it than to any minimum or maximum. A step "
    "shown as “—”: it never left for good (it is near a saddle at its last step, possibly after "
    "leaving and coming back, or it never came near), or never came within 0.001 of a minimum."
)
