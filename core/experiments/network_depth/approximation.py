"""One wide ReLU layer or several narrow ones: fit a 1-D target within a parameter budget, count pieces."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd

from core import mlp, optim
from core.train import fit

UA_TARGETS = ("sawtooth", "sine")
UA_BUDGETS = (25, 50, 100, 200, 400)
UA_POINTS = 256
UA_LEARNING_RATE = 0.01
PIECE_GRID = 4097


# ---- universal approximation vs depth (1-D, ReLU) --------------------------------------------


def tent(x: np.ndarray) -> np.ndarray:
    """The tent map on [0, 1]: 2x below 1/2, 2 - 2x above."""
    return np.where(x < 0.5, 2.0 * x, 2.0 - 2.0 * x)


def sawtooth(x: np.ndarray, level: int) -> np.ndarray:
    """``tent`` composed ``level`` times: 2**(level-1) teeth and 2**level linear pieces on [0, 1]."""
    for _ in range(level):
        x = tent(x)
    return x


def sawtooth_params(level: int) -> dict[str, np.ndarray]:
    """Hand-set weights of a width-2 ReLU net with ``level`` hidden layers that equals ``sawtooth``.

    Each hidden layer computes relu(t) and relu(t - 1/2) of the previous tent value t, and
    tent(t) = 2 relu(t) - 4 relu(t - 1/2) on [0, 1]; the next layer folds that in. 6 * level + 1
    parameters draw 2**level pieces (Telgarsky, 2016).
    """
    params = {"W1": np.array([[1.0, 1.0]]), "b1": np.array([0.0, -0.5])}
    fold = np.array([[2.0, 2.0], [-4.0, -4.0]])
    for k in range(2, level + 1):
        params[f"W{k}"], params[f"b{k}"] = fold.copy(), np.array([0.0, -0.5])
    params[f"W{level + 1}"], params[f"b{level + 1}"] = np.array([[2.0], [-4.0]]), np.array([0.0])
    return params


def one_layer_sawtooth_params(level: int) -> dict[str, np.ndarray]:
    """Hand-set weights of ONE hidden ReLU layer of 2**level units that equals ``sawtooth`` on [0, 1].

    Unit 0 is relu(x) (the first piece's slope); unit j = 1 .. 2**level - 1 bends at j / 2**level,
    where the slope flips between +2**level and -2**level. 3 * 2**level + 1 parameters: at
    level 1 and 2 as many as :func:`sawtooth_params`' 6 * level + 1, more from level 3 on.
    """
    k = 2**level
    slope = float(k)
    W1 = np.ones((1, k))
    b1 = -np.arange(k) / k
    changes = np.array([2.0 * slope * (-1.0) ** j for j in range(1, k)])
    W2 = np.concatenate([[slope], changes])[:, None]
    return {"W1": W1, "b1": b1, "W2": W2, "b2": np.array([0.0])}


def bends(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The x positions of the kinks of a piecewise-linear curve sampled on an even grid.

    A kink shows as a non-zero second difference at one or two neighbouring samples; each run
    of such samples is one kink (placed at its first sample).
    """
    d2 = np.abs(np.diff(y, 2))
    scale = max(float(np.abs(np.diff(y)).max()), 1e-12)
    bent = d2 > 1e-7 * scale
    starts = np.flatnonzero(bent & ~np.concatenate([[False], bent[:-1]]))
    return x[starts + 1]


# Two bends closer than this count as one: the pieces between them are below float resolution.
BEND_MERGE = 1e-12


def exact_bends(params, scale: float = 2.0, shift: float = -1.0) -> np.ndarray:
    """The x in (0, 1) where a ReLU net of one input and one output bends, from its weights.

    The net reads ``scale * x + shift``. Layer by layer, every hidden unit's pre-activation is
    linear between the bends found so far, so it crosses zero at most once between two of them,
    where a new bend may start; at the end, a point is a bend when the output's slope differs on
    its two sides by more than float round-off. Unlike :func:`bends` on a grid, bends closer
    together than a grid step are not merged (the wide layer's 66 bends, all near x = 0.5).
    """
    depth = sum(1 for k in params if k.startswith("W")) - 1
    xs = np.array([0.0, 1.0])

    def pre(x: np.ndarray, layer: int) -> np.ndarray:
        a = (scale * x + shift)[:, None]
        for k in range(1, layer):
            a = np.maximum(a @ params[f"W{k}"] + params[f"b{k}"], 0.0)
        return a @ params[f"W{layer}"] + params[f"b{layer}"]

    for layer in range(1, depth + 1):
        z = pre(xs, layer)
        za, zb = z[:-1], z[1:]
        cross = za * zb < 0
        rows = np.nonzero(cross)[0]
        t = za[cross] / (za[cross] - zb[cross])
        new = xs[rows] + t * (xs[rows + 1] - xs[rows])
        xs = np.unique(np.concatenate([xs, new]))
        xs = xs[np.concatenate([[True], np.diff(xs) > BEND_MERGE])]
    y = mlp.predict_logits(params, (scale * xs + shift)[:, None])[:, 0]
    dx = np.diff(xs)
    slopes = np.diff(y) / dx
    eps = np.finfo(np.float64).eps
    # each slope's round-off: a few eps of the outputs over its interval, and of the slope itself
    noise = 8 * eps * float(np.max(np.abs(y))) / dx + 8 * eps * np.abs(slopes)
    jump = np.abs(np.diff(slopes)) > 1e-9 * float(np.max(np.abs(slopes), initial=0.0)) + (
        noise[1:] + noise[:-1]
    )
    return xs[1:-1][jump]


def count_pieces(y: np.ndarray, x: np.ndarray) -> int:
    """Linear pieces of a piecewise-linear curve sampled on an even grid: kinks + 1."""
    return len(bends(y, x)) + 1


def _ua_architectures(budget: int, depth: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """One hidden layer and ``depth`` equal layers with at most ``budget`` parameters (1 in, 1 out)."""
    wide = max(1, (budget - 1) // 3)
    narrow = max(
        (w for w in range(1, 65) if mlp.count_params((1, *(w,) * depth, 1)) <= budget), default=1
    )
    return (wide,), (narrow,) * depth


def _ua_target(kind: str, level: int, x: np.ndarray) -> np.ndarray:
    return sawtooth(x, level) if kind == "sawtooth" else np.sin(2.0 * np.pi * level * x)


def _fit_1d(params, u, y, epochs, seed) -> dict[str, np.ndarray]:
    """Full-batch Adam (lr 0.01) on the mean squared error, as the grid's estimator would."""
    history = fit(
        params, u, y, loss="mse", optimizer=optim.adam(UA_LEARNING_RATE), activation="relu",
        epochs=epochs, batch_size=None, seed=seed, eval_every=None,
    )  # fmt: skip
    return history.params


@lru_cache(maxsize=32)
def universal_approximation(
    kind, level, budget, depth, epochs, seed
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit a 1-D target on [0, 1] with one wide ReLU layer (two starts) and a deep narrow net.

    Parameters
    ----------
    kind : {"sawtooth", "sine"}
        ``sawtooth(x, level)`` (2**level linear pieces) or ``sin(2 pi level x)``.
    level : int
    budget : int
        All three trained nets have at most this many parameters; one hidden layer gets
        width (budget - 1) // 3, the deep net ``depth`` layers of the widest width that fits.
    depth : int
    epochs : int
        Full-batch Adam (lr 0.01) updates on 256 evenly spaced points.
    seed : int

    Returns
    -------
    curves : DataFrame (model, x, y), 801 points per model, the target included.
    summary : DataFrame
        model, hidden, n_params, rel_mse (MSE / Var(target) on 4,097 points), pieces (from the
        weights, :func:`exact_bends`), max_pieces (width + 1 for one layer, else NaN),
        bends_from / bends_to (the outermost bends), target_pieces. The cached frames are
        shared: copy before changing them.
    """
    x_train = np.linspace(0.0, 1.0, UA_POINTS)
    # inputs standardized to u in [-1, 1]; the first layer absorbs the affine map
    u_train = 2.0 * x_train[:, None] - 1.0
    y_train = _ua_target(kind, level, x_train)
    x = np.linspace(0.0, 1.0, PIECE_GRID)
    u = 2.0 * x[:, None] - 1.0
    y = _ua_target(kind, level, x)
    wide, deep = _ua_architectures(budget, depth)
    # core.mlp starts every bias at 0, so every first-layer bend relu(w u + b) sits at u = 0
    # (x = 1/2). The "spread" variant draws each bend's position uniformly over [-1, 1] instead.
    zero_bias = mlp.init_params((1, *wide, 1), seed=seed)
    spread = dict(zero_bias)
    where = np.random.default_rng(seed).uniform(-1.0, 1.0, wide[0])
    spread["b1"] = -zero_bias["W1"][0] * where
    nets = {
        "one wide layer": _fit_1d(zero_bias, u_train, y_train, epochs, seed),
        "one wide layer, spread bends": _fit_1d(spread, u_train, y_train, epochs, seed),
        "deep and narrow": _fit_1d(
            mlp.init_params((1, *deep, 1), seed=seed), u_train, y_train, epochs, seed
        ),
    }
    outputs = {name: mlp.predict_logits(p, u)[:, 0] for name, p in nets.items()}
    kinks = {name: exact_bends(p) for name, p in nets.items()}
    hidden = {"one wide layer": wide, "one wide layer, spread bends": wide, "deep and narrow": deep}
    n_params = {name: mlp.count_params(p) for name, p in nets.items()}
    if kind == "sawtooth":
        name = "hand-set weights"
        params = sawtooth_params(level)
        outputs[name] = mlp.predict_logits(params, x[:, None])[:, 0]
        kinks[name] = exact_bends(params, scale=1.0, shift=0.0)
        hidden[name], n_params[name] = (2,) * level, mlp.count_params(params)
    var = float(np.var(y))
    rows = []
    for name, out in outputs.items():
        bent = kinks[name]
        rows.append(
            {
                "model": name,
                "hidden": hidden[name],
                "n_params": n_params[name],
                "rel_mse": float(np.mean((out - y) ** 2)) / var,
                "pieces": len(bent) + 1,
                "max_pieces": hidden[name][0] + 1 if len(hidden[name]) == 1 else math.nan,
                "bends_from": float(bent.min()) if len(bent) else math.nan,
                "bends_to": float(bent.max()) if len(bent) else math.nan,
            }
        )
    summary = pd.DataFrame(rows)
    summary["target_pieces"] = count_pieces(y, x) if kind == "sawtooth" else math.nan
    thin = np.unique(np.linspace(0, PIECE_GRID - 1, 801).round().astype(int))
    curves = {"target": y, **outputs}
    frame = pd.concat(
        [pd.DataFrame({"model": m, "x": x[thin], "y": v[thin]}) for m, v in curves.items()],
        ignore_index=True,
    )
    return frame, summary
