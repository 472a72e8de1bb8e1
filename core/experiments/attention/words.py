"""The attention lesson's fixed words: its prediction, presets and model answer."""

from __future__ import annotations

from core.experiments.attention.claims import MIDDLE, OVER_SATURATED, UNDER_HALF
from core.experiments.attention.experiment import Config
from core.facts import Estimate, KeyPoint, ModelAnswer, Prediction, Preset

PREDICTION = Prediction(
    "Queries and keys with independent entries of mean 0 are scored by q · k **without** "
    "dividing by √d_k. At the sweep's largest d_k, how much of the softmax's weight does the "
    "top key get, on average over the draws?",
    (UNDER_HALF, MIDDLE, OVER_SATURATED),
    Estimate(
        "Your estimate of the top key's average weight, from 0 to 1 (optional)",
        key="mean",
        tolerance=0.1,
        low=0.0,
        high=1.0,
    ),
)

PRESETS = {
    "Large d_k without scaling": Preset(
        "One head of size 64 on 32-dimensional embeddings, its scores not divided by √64 = 8. "
        "Its dot products have a standard deviation near 8, and four of the five rows put over "
        "0.99 of their weight on one token: the softmax is saturated. The sweep below shows "
        "why: Var(q · k) grows like d_k.",
        Config(n_heads=1, d_head=64, d_model=32, scaled=False),
        shows=("step_saturated", "unscaled_saturates", "gradient_vanishes"),
    ),
    "Causal mask": Preset(
        "Six tokens under a causal mask: every weight above the diagonal is exactly 0, so token "
        "i mixes only tokens 1 to i, and t1 gives itself all of its weight.",
        Config(n_tokens=6, causal=True),
        shows=("causal_zero",),
    ),
    "Many heads": Preset(
        "Four heads of size 4 on 16-dimensional embeddings: each head has its own projections "
        "and its own pattern of weights; their outputs are concatenated into 16 columns and "
        "mixed by W_o.",
        Config(n_heads=4, d_model=16, d_head=4),
        shows=("heads_concat", "heads_compare"),
    ),
    "Small entries, no saturation": Preset(
        "Query and key entries with SD 0.25: Var(q · k) = d_k σ⁴ = d_k / 256, so even unscaled "
        "the scores stay small and the softmax does not saturate at d_k = 512. What the √d_k "
        "fixes is the variance of the scores, not d_k itself.",
        Config(entry_std=0.25),
        shows=("unscaled_not_saturated", "gradient_kept"),
    ),
}


def backward_formula(*, scaled: bool) -> str:
    """The backward pass of softmax(S) V with S = QKᵀ / √d_k (``scaled``) or S = QKᵀ: the page's
    section 5 shows the one its run checks (with the scaling off there is no 1/√d_k in dQ, dK)."""
    head = (
        r"dV = P^\top dO,\quad dP = dO\,V^\top,\quad dS = P \odot \big(dP - "
        r"\operatorname{rowsum}(dP \odot P)\big),\quad "
    )
    if scaled:
        return head + r"dQ = \frac{dS\,K}{\sqrt{d_k}},\quad dK = \frac{dS^\top Q}{\sqrt{d_k}}"
    return head + r"dQ = dS\,K,\quad dK = dS^\top Q"


MODEL_ANSWER = ModelAnswer(
    "**Self-attention** lets every token rebuild its representation as a weighted average of "
    "the values of the tokens it may attend to (all of them, or under a causal mask the ones "
    "up to itself). Each token's embedding x is projected three ways: a query "
    "q = x W_q (what it looks for), a key k = x W_k (what it can be found by) and a value "
    "v = x W_v (what it passes on). Token i scores token j by q_i · k_j; a softmax over each "
    "row turns the scores into weights that are non-negative and sum to 1; token i's output is "
    "Σ_j p_ij v_j. In matrix form, Attention(Q, K, V) = softmax(QKᵀ / √d_k) V. A **causal "
    "mask** (decoders, language models) sets the scores above the diagonal to −∞ before the "
    "softmax, so token i attends only to tokens 1 to i and the other weights are exactly 0. "
    "**Multi-head** attention runs h such heads side by side, each with its own small "
    "projections of size d_head, concatenates their outputs and mixes them with W_o, so "
    "different heads can attend to different tokens; with d_head = d_model / h it costs about "
    "as much as one head of width d_model.\n\n"
    "**Why divide by √d_k:** if the entries of q and k are independent with mean 0 and "
    "variance 1, q · k is a sum of d_k terms of variance 1, so Var(q · k) = d_k and its "
    "standard deviation grows like √d_k. Scores spread that far apart push the softmax toward "
    "one-hot (a softmax ignores a shift common to the whole row; the spread is what counts): "
    "the top weight nears 1, the entropy collapses, and the softmax's Jacobian diag(p) − p pᵀ shrinks "
    "(its norm is at most 2(1 − max p)), so little gradient flows back to the queries and keys "
    "and learning slows. Dividing by √d_k brings the variance back to 1 at any d_k, so the "
    "softmax starts in its responsive range whatever the head size. The argument is about "
    "the scale at initialization: learned queries and keys are neither independent nor of "
    "unit variance.",
    formulas=(
        r"\operatorname{Attention}(Q, K, V) = \operatorname{softmax}\!\Big(\frac{QK^\top}"
        r"{\sqrt{d_k}} + M\Big) V,\qquad M_{ij} = \begin{cases}0 & j \le i\\ -\infty & j > i"
        r"\end{cases}\ (\text{causal})",
        r"\operatorname{Var}(q \cdot k) = \sum_{i=1}^{d_k} \operatorname{Var}(q_i k_i) = "
        r"d_k\,\sigma^4,\qquad \operatorname{Var}\Big(\frac{q \cdot k}{\sqrt{d_k}}\Big) = "
        r"\sigma^4\quad (q_i, k_i \text{ independent, mean } 0, \text{ variance } \sigma^2)",
        r"\frac{\partial p}{\partial s} = \operatorname{diag}(p) - p\,p^\top,\qquad "
        r"\Big\|\frac{\partial p}{\partial s}\Big\|_F \le 2\,(1 - \max_i p_i)",
        r"\operatorname{MultiHead}(X) = [A_1 \mid \dots \mid A_h]\, W_o,\qquad "
        r"A_j = \operatorname{Attention}(X W_q^{(j)}, X W_k^{(j)}, X W_v^{(j)})",
        backward_formula(scaled=True),
    ),
    pitfalls=(
        "Dividing by d_k instead of √d_k: the scores' variance becomes σ⁴ / d_k, and at large "
        "d_k the softmax drifts toward uniform weights instead of one-hot ones.",
        "Calling the scaling a guard against overflow: a stable softmax (every framework's, and "
        "this lab's) subtracts the row's largest score first, so large scores do not overflow. The problem is saturation, a softmax "
        "with almost no gradient.",
        "Masking after the softmax (zeroing weights) leaves rows that no longer sum to 1. Mask "
        "the scores with −∞ before the softmax.",
        "The softmax runs over the keys for each query (along each row of QKᵀ), not over the "
        "queries.",
        "√d_k gives unit variance only for unit-variance entries: in general Var(q · k) = "
        "d_k σ⁴ and Var(q · k / √d_k) = σ⁴. With small entries even unscaled scores can stay "
        "small (the small-entries preset).",
    ),
    points=(
        KeyPoint(
            "Each token's embedding x is projected three ways: a query q = x W_q, a key k = x W_k and a value v = x W_v.",
            None,
        ),
        KeyPoint(
            "Token i scores token j by q_i · k_j; a softmax over each row (over the keys) turns the scores into non-negative weights that sum to 1.",
            None,
        ),
        KeyPoint(
            "Token i's output is Σ_j p_ij v_j; in matrix form, Attention(Q, K, V) = softmax(QKᵀ / √d_k) V.",
            None,
        ),
        KeyPoint(
            "A causal mask sets the scores above the diagonal to −∞ before the softmax, so token i attends only to tokens 1 to i.",
            "Causal mask",
        ),
        KeyPoint(
            "Multi-head attention runs h heads with their own projections, concatenates their outputs and mixes them with W_o; heads can attend to different tokens.",
            "Many heads",
        ),
        KeyPoint(
            "If the entries of q and k are independent with mean 0 and variance 1, Var(q · k) = d_k: the scores' standard deviation grows like √d_k.",
            None,
        ),
        KeyPoint(
            "Widely spread scores push the softmax toward one-hot: the top weight nears 1 and the entropy collapses.",
            "Large d_k without scaling",
        ),
        KeyPoint(
            "A saturated softmax has a small Jacobian diag(p) − p pᵀ (norm ≤ 2(1 − max p)), so little gradient flows back to the queries and keys.",
            "Large d_k without scaling",
        ),
        KeyPoint(
            "For unit-variance entries, dividing by √d_k brings the scores' variance back to 1 at any d_k, so the softmax starts in its responsive range.",
            None,
        ),
        KeyPoint(
            "In general Var(q · k) = d_k σ⁴ (σ² the entries' variance): with small entries even unscaled scores can stay small.",
            "Small entries, no saturation",
        ),
    ),
)
