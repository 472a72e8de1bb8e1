"""Self-attention step by step, and why its scores are divided by √d_k.

Two experiments share one seed. The step-through runs multi-head self-attention
(``core.attention``) on a few tokens with seeded embeddings and weights, keeps every
intermediate matrix for the page, and checks the hand-written backward pass against central
differences. The sweep draws queries and keys with independent entries of mean 0 and SD σ,
scores each query against ``n_keys`` keys by q · k at growing d_k, and measures the variance of
q · k and what the softmax of the scores looks like, with and without dividing by √d_k.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core import attention as att
from core import gradcheck as gc
from core.config import Settings, flag, integer, number
from core.experiments.budget import check_budget
from core.gradcheck import rel_error
from core.progress import report

D_MODELS = (2, 4, 8, 16, 32)
D_HEADS = (1, 2, 4, 8, 16, 32, 64)
N_KEYS = (4, 8, 16, 32, 64, 128)
MAX_D_KS = (16, 32, 64, 128, 256, 512, 1024)
MAX_TOKENS = 8
SCALINGS = ("unscaled", "scaled")  # q · k, and q · k / √d_k
# The gradient check: a loss L = Σ Y ⊙ G with a fixed random G, CHECK_ENTRIES seeded entries of
# each tensor nudged by ±h and ±2h (as core.gradcheck.numerical_grad, one entry at a time).
CHECK_ENTRIES = 6
CHECK_STEP = 1e-5
AGREE_BELOW = 1e-6
ROUNDOFF_FACTOR = 50.0
TRUNCATION_FACTOR = 2.0
CHECKED = ("X", "W_q", "W_k", "W_v", "W_o")
VERDICTS = (gc.AGREE, gc.AGREE_WITHIN_ROUNDOFF, gc.AGREE_WITHIN_TRUNCATION, gc.DISAGREE)
# The sweep draws its queries and keys in chunks of about this many numbers, reporting progress
# after each (about 0.05 s of work on the lab's machine).
CHUNK_NUMBERS = 1_000_000
# A row puts "nearly all its weight on one key" above this weight.
NEARLY_ONE_HOT = 0.99
SCATTER_POINTS = 1200  # per-draw points drawn on the gradient-against-weight chart
# One core's CPU seconds on the lab's machine (bench/budget.py): a base; the gradient check's
# forward passes, each a fixed Python cost plus its multiply-adds; the sweep per number drawn,
# per softmax entry and per (d_k, scaling) summarized.
SECONDS_BASE = 0.03
SECONDS_PER_FORWARD = 5e-5
SECONDS_PER_FLOP = 2e-10
SECONDS_PER_NUMBER = 1.3e-8
SECONDS_PER_ROW_KEY = 3e-8
SECONDS_PER_SUMMARY = 1.5e-3


@dataclass(frozen=True)
class Config(Settings):
    """Everything one run of the attention lesson depends on.

    The step-through: ``n_tokens`` tokens with embeddings of ``d_model`` entries drawn
    N(0, ``embedding_std``²), ``n_heads`` heads of size ``d_head``, a causal mask or none, scores
    divided by √d_head (``scaled``) or not. The sweep: ``n_draws`` queries, each scored against
    ``n_keys`` keys, all entries N(0, ``entry_std``²), at d_k = 1, 2, 4, ... up to ``max_d_k``.
    """

    n_tokens: int = integer(5, 2, MAX_TOKENS)
    d_model: int = integer(8, 2, 32, grid=D_MODELS)
    n_heads: int = integer(2, 1, 4)
    d_head: int = integer(4, 1, 64, grid=D_HEADS)
    causal: bool = flag(False)
    scaled: bool = flag(True)
    embedding_std: float = number(1.0, 0.1, 3.0, step=0.1)
    max_d_k: int = integer(512, 16, 1024, grid=MAX_D_KS)
    n_keys: int = integer(16, 4, 128, grid=N_KEYS)
    n_draws: int = integer(300, 100, 1000, step=100)
    entry_std: float = number(1.0, 0.25, 2.0, step=0.05)
    seed: int = integer(0, 0, 2**31 - 1)

    def check(self):
        check_budget(
            estimated_seconds(self),
            ("n_draws", "n_keys", "max_d_k"),
            config=self,
            estimate=estimated_seconds,
        )


def sweep_dims(max_d_k: int) -> tuple[int, ...]:
    """d_k = 1, 2, 4, ... below ``max_d_k``, then ``max_d_k`` itself."""
    dims = [2**i for i in range(max_d_k.bit_length()) if 2**i < max_d_k]
    return (*dims, max_d_k)


def _forward_flops(config: Config) -> float:
    n, h, d = config.n_tokens, config.n_heads, config.d_head
    return h * n * d * (3 * config.d_model + 2 * n) + n * h * d * config.d_model


def estimated_seconds(config: Config) -> float:
    """Seconds of ``run(config)``: the gradient check's forward passes plus the sweep's draws."""
    forwards = 4 * CHECK_ENTRIES * len(CHECKED)
    check = forwards * (SECONDS_PER_FORWARD + SECONDS_PER_FLOP * _forward_flops(config))
    numbers = config.n_draws * (config.n_keys + 1) * config.max_d_k
    summaries = len(sweep_dims(config.max_d_k)) * len(SCALINGS)
    rows = config.n_draws * summaries * config.n_keys
    return (
        SECONDS_BASE
        + check
        + numbers * SECONDS_PER_NUMBER
        + rows * SECONDS_PER_ROW_KEY
        + summaries * SECONDS_PER_SUMMARY
    )


# ---- the step-through ---------------------------------------------------------------------------


def token_labels(n: int) -> tuple[str, ...]:
    return tuple(f"t{i + 1}" for i in range(n))


def step_inputs(config: Config):
    """(X, params, G): seeded embeddings, weights and the check's upstream gradient ∂L/∂Y."""
    rng = np.random.default_rng([config.seed, 0])
    X = rng.normal(0.0, config.embedding_std, (config.n_tokens, config.d_model))
    params = att.init_params(
        config.d_model, config.n_heads, config.d_head, seed=int(rng.integers(2**31))
    )
    G = rng.normal(0.0, 1.0, (config.n_tokens, config.d_model))
    return X, params, G


def step_scale(config: Config) -> float:
    """What the step-through multiplies its scores by: 1/√d_head, or 1 when unscaled."""
    return 1.0 / math.sqrt(config.d_head) if config.scaled else 1.0


def _loss(X, params, G, config: Config) -> float:
    Y, _ = att.multi_head_forward(X, params, causal=config.causal, scale=step_scale(config))
    return float(np.sum(Y * G))


def roundoff_bound(cache: att.MultiHeadCache, G: np.ndarray, h: float = CHECK_STEP) -> float:
    """A generous bound on float64 round-off in a central difference of L = Σ Y ⊙ G.

    L sums terms of total size ``size`` = Σ |G| ⊙ (|concat| |W_o|), each known to a relative
    error of about ε times (1 + the largest sum of |q_i k_i| · scale in a score): a score's
    rounding error becomes a relative error of its weight through e^s. The difference of two
    such errors is divided by 2h: ``ROUNDOFF_FACTOR · ε · size · (1 + amplification) / h``.
    """
    size = float(np.sum(np.abs(G) * (np.abs(cache.concat) @ np.abs(cache.params["W_o"]))))
    amplification = max(
        float(np.max(np.abs(head.Q) @ np.abs(head.K).T)) * head.attention.scale
        for head in cache.heads
    )
    eps = np.finfo(np.float64).eps
    return ROUNDOFF_FACTOR * eps * size * (1.0 + amplification) / h


def check_gradients(config: Config) -> pd.DataFrame:
    """The backward pass beside central differences at CHECK_ENTRIES seeded entries per tensor.

    Returns one row per checked entry: tensor, entry (its index), backprop, central_difference
    (step h), central_difference_2h, abs_error, rel_error (``core.gradcheck.rel_error``),
    roundoff (:func:`roundoff_bound`), truncation (``|ĝ(2h) − ĝ(h)| / 3``) and verdict
    (``core.gradcheck.verdicts`` with AGREE_BELOW and TRUNCATION_FACTOR).
    """
    X, params, G = step_inputs(config)
    _, cache = att.multi_head_forward(X, params, causal=config.causal, scale=step_scale(config))
    grads = att.multi_head_backward(G, cache)
    roundoff = roundoff_bound(cache, G)
    rng = np.random.default_rng([config.seed, 2])
    rows = []
    for name in CHECKED:
        tensor = X if name == "X" else params[name]
        picks = rng.choice(tensor.size, size=min(CHECK_ENTRIES, tensor.size), replace=False)
        for flat in np.sort(picks):
            index = np.unravel_index(flat, tensor.shape)
            estimates = []
            for h in (CHECK_STEP, 2 * CHECK_STEP):
                values = []
                for sign in (1.0, -1.0):
                    nudged = {k: v.copy() for k, v in params.items()}
                    x = X.copy()
                    (x if name == "X" else nudged[name])[index] += sign * h
                    values.append(_loss(x, nudged, G, config))
                estimates.append((values[0] - values[1]) / (2 * h))
            analytic = float(grads[name][index])
            rows.append(
                {
                    "tensor": name,
                    "entry": f"{name}[{', '.join(str(int(i) + 1) for i in index)}]",
                    "backprop": analytic,
                    "central_difference": estimates[0],
                    "central_difference_2h": estimates[1],
                    "abs_error": abs(analytic - estimates[0]),
                    "rel_error": rel_error(analytic, estimates[0]),
                    "roundoff": roundoff,
                    "truncation": abs(estimates[1] - estimates[0]) / 3.0,
                }
            )
    check = pd.DataFrame(rows)
    check["verdict"] = gc.verdicts(
        check["rel_error"],
        check["abs_error"],
        check["roundoff"],
        check["truncation"],
        agree_below=AGREE_BELOW,
        truncation_factor=TRUNCATION_FACTOR,
    )
    return check


def _long(values: np.ndarray, rows, cols, **columns) -> pd.DataFrame:
    """A matrix as tidy rows (row, col, value) plus constant columns."""
    n_rows, n_cols = values.shape
    frame = pd.DataFrame(
        {
            "row": np.repeat(rows, n_cols),
            "col": np.tile(cols, n_rows),
            "value": values.ravel(),
        }
    )
    for key, value in columns.items():
        frame.insert(0, key, value)
    return frame


def step_through(config: Config) -> dict:
    """Every matrix of one multi-head self-attention pass, as tidy tables, and its loss."""
    X, params, G = step_inputs(config)
    scale = step_scale(config)
    Y, cache = att.multi_head_forward(X, params, causal=config.causal, scale=scale)
    tokens = token_labels(config.n_tokens)
    features = [f"{j + 1}" for j in range(config.d_model)]
    head_features = [f"{j + 1}" for j in range(config.d_head)]
    projections, attention, outputs = [], [], []
    allowed = (
        att.causal_mask(config.n_tokens)
        if config.causal
        else np.ones((config.n_tokens,) * 2, dtype=bool)
    )
    for h, head in enumerate(cache.heads, start=1):
        for name, matrix in (("Q", head.Q), ("K", head.K), ("V", head.V)):
            projections.append(_long(matrix, tokens, head_features, head=h, matrix=name))
        dots = head.Q @ head.K.T
        attention.append(
            pd.DataFrame(
                {
                    "head": h,
                    "query": np.repeat(tokens, config.n_tokens),
                    "key": np.tile(tokens, config.n_tokens),
                    "dot": dots.ravel(),
                    "score": head.attention.scores.ravel(),
                    "allowed": allowed.ravel(),
                    "weight": head.attention.weights.ravel(),
                }
            )
        )
        out = head.attention.weights @ head.V
        outputs.append(_long(out, tokens, head_features, head=h))
    return {
        "tokens": tokens,
        "embeddings": _long(X, tokens, features),
        "projections": pd.concat(projections, ignore_index=True),
        "attention": pd.concat(attention, ignore_index=True),
        "head_outputs": pd.concat(outputs, ignore_index=True),
        "output": _long(Y, tokens, features),
        "loss": float(np.sum(Y * G)),
        "scale": scale,
    }


# ---- the sweep: why √d_k ------------------------------------------------------------------------


def draw_dots(config: Config) -> np.ndarray:
    """q · k for every draw, d_k and key: shape (n_draws, len(sweep_dims), n_keys).

    Each draw is one query q and ``n_keys`` keys with independent N(0, σ²) entries, drawn at
    the largest d_k; the dot products at a smaller d_k use the first d_k entries of the same
    vectors (so the curves are smooth in d_k), summed block by block.
    """
    dims = sweep_dims(config.max_d_k)
    sigma, n_keys, widest = config.entry_std, config.n_keys, config.max_d_k
    # Queries and keys come from two streams, the keys drawn chunk after chunk: the same
    # numbers whatever the chunk size.
    queries = np.random.default_rng([config.seed, 1, 0]).normal(
        0.0, sigma, (config.n_draws, 1, widest)
    )
    key_stream = np.random.default_rng([config.seed, 1, 1])
    chunk = max(1, CHUNK_NUMBERS // ((n_keys + 1) * widest))
    dots = np.empty((config.n_draws, len(dims), n_keys))
    for start in range(0, config.n_draws, chunk):
        stop = min(config.n_draws, start + chunk)
        q = queries[start:stop]
        keys = key_stream.normal(0.0, sigma, (stop - start, n_keys, widest))
        total, low = np.zeros((stop - start, n_keys)), 0
        for i, d in enumerate(dims):
            total += (keys[:, :, low:d] @ np.swapaxes(q[:, :, low:d], 1, 2))[:, :, 0]
            dots[start:stop, i] = total
            low = d
        report(stop / config.n_draws, "Scoring random queries against keys")
    return dots


def _summarize(values: np.ndarray, name: str) -> dict:
    """Mean, SD, SE of the mean and the 10th, 50th and 90th percentiles over draws."""
    n = values.shape[0]
    sd = float(np.std(values, ddof=1))
    return {
        f"{name}_mean": float(np.mean(values)),
        f"{name}_sd": sd,
        f"{name}_se": sd / math.sqrt(n),
        f"{name}_p10": float(np.percentile(values, 10)),
        f"{name}_p50": float(np.percentile(values, 50)),
        f"{name}_p90": float(np.percentile(values, 90)),
    }


def sweep(config: Config) -> dict:
    """The variance of q · k against d_k, and the softmax of the scores with and without √d_k."""
    dims = sweep_dims(config.max_d_k)
    dots = draw_dots(config)
    sigma4 = config.entry_std**4
    per_draw_square = np.mean(dots**2, axis=2)  # (draws, dims): iid over draws
    variance = pd.DataFrame(
        {
            "d_k": dims,
            "variance": per_draw_square.mean(axis=0),
            "se": per_draw_square.std(axis=0, ddof=1) / math.sqrt(config.n_draws),
            "theory": [d * sigma4 for d in dims],
        }
    )
    variance["scaled_variance"] = variance["variance"] / variance["d_k"]
    variance["scaled_se"] = variance["se"] / variance["d_k"]
    variance["scaled_theory"] = sigma4
    variance["z"] = (variance["variance"] - variance["theory"]) / variance["se"]
    rows, samples = [], []
    keep = max(1, SCATTER_POINTS // (len(dims) * len(SCALINGS)))
    for i, d in enumerate(dims):
        for scaling in SCALINGS:
            scores = dots[:, i] / math.sqrt(d) if scaling == "scaled" else dots[:, i]
            p, _ = att.softmax_forward(scores)
            top = p.max(axis=1)
            remaining = att.remaining_weight(p)
            jacobian = att.jacobian_norm(p)
            row = {"d_k": d, "scaling": scaling}
            row |= _summarize(top, "max_weight")
            row |= _summarize(att.entropy(p), "entropy")
            row |= _summarize(jacobian, "jacobian")
            row["remaining_mean"] = float(np.mean(remaining))
            row["saturated_share"] = float(np.mean(top > NEARLY_ONE_HOT))
            row["bound_ratio_max"] = float(
                np.max(np.where(remaining > 0, jacobian / np.maximum(2 * remaining, 1e-300), 0.0))
            )
            row["one_hot_draws"] = int(np.sum(remaining == 0))
            rows.append(row)
            samples.append(
                pd.DataFrame(
                    {
                        "d_k": d,
                        "scaling": scaling,
                        "max_weight": top[:keep],
                        "remaining": remaining[:keep],
                        "jacobian": jacobian[:keep],
                    }
                )
            )
    return {
        "dims": dims,
        "variance": variance,
        "sweep": pd.DataFrame(rows),
        "samples": pd.concat(samples, ignore_index=True),
        "slope": float(np.polyfit(np.log(dims), np.log(variance["variance"]), 1)[0]),
    }


# ---- one run ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """What the page draws.

    Attributes
    ----------
    tokens : tuple of str, the token labels t1, t2, ...
    embeddings : DataFrame (row = token, col = feature, value): X, n_tokens × d_model
    projections : DataFrame (head, matrix ∈ Q/K/V, row = token, col = feature, value)
    attention : DataFrame (head, query, key, dot = q · k, score = q · k · scale, allowed (the
        mask), weight = the softmax of the allowed scores in the query's row)
    head_outputs : DataFrame (head, row = token, col = feature, value): each head's P V
    output : DataFrame (row = token, col = feature, value): [A_1 | ... | A_H] W_o
    loss : float, L = Σ Y ⊙ G for the check's fixed random G
    scale : float, what the step-through multiplied q · k by (1/√d_head or 1)
    check : DataFrame, one row per checked gradient entry (see :func:`check_gradients`)
    dims : tuple of int, the sweep's d_k values
    variance : DataFrame (d_k, variance = the mean of (q · k)² over draws and keys (its mean is
        0), se (from the per-draw means, which are independent), theory = d_k σ⁴,
        scaled_variance, scaled_se, scaled_theory = σ⁴, z = (variance − theory) / se)
    sweep : DataFrame, per d_k and scaling: mean, SD, SE and 10th/90th percentiles over draws
        (10th, 50th, 90th) of the largest weight, the entropy (nats) and the softmax Jacobian's
        norm ‖∂p/∂s‖_F; remaining_mean (mean 1 − largest weight), saturated_share (share of
        draws whose largest weight is over NEARLY_ONE_HOT), bound_ratio_max (largest ‖J‖_F /
        2(1 − max p)) and one_hot_draws (draws whose other weights all underflowed to 0)
    samples : DataFrame (d_k, scaling, max_weight, remaining, jacobian) for a few draws each
    slope : float, the fitted slope of log variance against log d_k
    """

    tokens: tuple
    embeddings: pd.DataFrame
    projections: pd.DataFrame
    attention: pd.DataFrame
    head_outputs: pd.DataFrame
    output: pd.DataFrame
    loss: float
    scale: float
    check: pd.DataFrame
    dims: tuple
    variance: pd.DataFrame
    sweep: pd.DataFrame
    samples: pd.DataFrame
    slope: float


def run(config: Config) -> Result:
    """The step-through, its gradient check, then the √d_k sweep."""
    step = step_through(config)
    check = check_gradients(config)
    report(0.0, "Scoring random queries against keys")
    return Result(check=check, **step, **sweep(config))
