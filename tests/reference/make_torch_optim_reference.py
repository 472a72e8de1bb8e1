"""Write tests/reference/torch_optim.json: PyTorch optimizer trajectories on a seeded problem.

Run by a developer with torch installed (``python tests/reference/make_torch_optim_reference.py``);
the tests compare ``core.optim`` against the JSON it writes, and against torch live when it is
importable. The problem and the cases live here, in plain NumPy, so both sides share them.

The objective is a float64 quadratic plus a quartic over all parameters taken as one vector,
``f(theta) = 0.5 theta' A theta - c' theta + (q / 4) sum(theta**4)``, whose gradient
``A theta - c + q theta**3`` is exact, so only optimizer arithmetic can differ between the two.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

SEED = 0
STEPS = 20
SHAPES = {"W": (3, 2), "b": (2,), "s": (1,)}
QUARTIC = 0.5
OUT = Path(__file__).with_name("torch_optim.json")

# (name, torch optimizer class, keyword arguments, max_norm for clip_grad_norm_ or None).
# The keyword names are those of both torch.optim and core.optim's factories.
CASES = [
    ("sgd", "SGD", {"lr": 0.05}, None),
    ("sgd_wd", "SGD", {"lr": 0.05, "weight_decay": 0.1}, None),
    ("momentum", "SGD", {"lr": 0.02, "momentum": 0.9}, None),
    ("momentum_wd", "SGD", {"lr": 0.02, "momentum": 0.5, "weight_decay": 0.05}, None),
    ("nesterov", "SGD", {"lr": 0.02, "momentum": 0.9, "nesterov": True}, None),
    (
        "nesterov_wd",
        "SGD",
        {"lr": 0.02, "momentum": 0.8, "nesterov": True, "weight_decay": 0.01},
        None,
    ),
    ("adagrad", "Adagrad", {"lr": 0.3}, None),
    ("adagrad_eps", "Adagrad", {"lr": 0.1, "eps": 1e-2}, None),
    ("rmsprop", "RMSprop", {"lr": 0.01}, None),
    ("rmsprop_alpha", "RMSprop", {"lr": 0.03, "alpha": 0.9, "eps": 1e-4}, None),
    ("adam", "Adam", {"lr": 0.05}, None),
    (
        "adam_betas_wd",
        "Adam",
        {"lr": 0.05, "betas": [0.8, 0.99], "eps": 1e-6, "weight_decay": 0.1},
        None,
    ),
    # 1 - beta1 >= 0.5 takes the other branch of torch.lerp.
    ("adam_low_beta1", "Adam", {"lr": 0.05, "betas": [0.3, 0.9]}, None),
    ("adamw", "AdamW", {"lr": 0.05}, None),
    ("adamw_wd", "AdamW", {"lr": 0.05, "betas": [0.5, 0.95], "weight_decay": 0.3}, None),
    (
        "clip_momentum_wd",
        "SGD",
        {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.01},
        1.0,
    ),
    ("clip_adam", "Adam", {"lr": 0.05}, 0.5),
]


def make_problem(seed: int = SEED):
    """Return ``(params0, grad_fn, loss_fn)`` for the seeded quadratic-plus-quartic problem.

    ``params0`` is a dict of float64 arrays shaped as ``SHAPES``; ``grad_fn(params)`` returns a
    dict of new arrays with the same keys and shapes; ``loss_fn(params)`` a float.
    """
    rng = np.random.default_rng(seed)
    n = sum(int(np.prod(s)) for s in SHAPES.values())
    M = rng.normal(size=(n, n))
    A = M.T @ M / n + 0.5 * np.eye(n)
    c = rng.normal(size=n)
    theta0 = 1.5 * rng.normal(size=n)
    keys = list(SHAPES)
    sizes = [int(np.prod(SHAPES[k])) for k in keys]
    splits = np.cumsum(sizes)[:-1]

    def flat(params):
        return np.concatenate([np.asarray(params[k], dtype=np.float64).ravel() for k in keys])

    def tree(theta):
        parts = np.split(theta, splits)
        return {k: part.reshape(SHAPES[k]).copy() for k, part in zip(keys, parts, strict=True)}

    def grad_fn(params):
        theta = flat(params)
        return tree(A @ theta - c + QUARTIC * theta**3)

    def loss_fn(params):
        theta = flat(params)
        return float(0.5 * theta @ A @ theta - c @ theta + QUARTIC / 4 * np.sum(theta**4))

    return tree(theta0), grad_fn, loss_fn


def flatten(params) -> list[float]:
    """Parameters in ``SHAPES`` order as one list of floats."""
    return [float(x) for k in SHAPES for x in np.asarray(params[k]).ravel()]


def run_torch(optimizer: str, kwargs: dict, max_norm: float | None, steps: int = STEPS):
    """Run ``steps`` torch updates; return the flat params after each, shape (steps, n)."""
    import torch

    params0, grad_fn, _ = make_problem()
    tensors = {k: torch.nn.Parameter(torch.from_numpy(v.copy())) for k, v in params0.items()}
    kw = dict(kwargs)
    if "betas" in kw:
        kw["betas"] = tuple(kw["betas"])
    # Pin the single-tensor code path: the one documented update formula, on any device.
    opt = getattr(torch.optim, optimizer)(list(tensors.values()), foreach=False, **kw)
    trajectory = []
    for _ in range(steps):
        grads = grad_fn({k: t.detach().numpy() for k, t in tensors.items()})
        for k, t in tensors.items():
            t.grad = torch.from_numpy(grads[k])
        if max_norm is not None:
            torch.nn.utils.clip_grad_norm_(list(tensors.values()), max_norm, foreach=False)
        opt.step()
        trajectory.append(flatten({k: t.detach().numpy() for k, t in tensors.items()}))
    return np.array(trajectory)


def main() -> None:
    import torch

    params0, _, _ = make_problem()
    cases = []
    for name, optimizer, kwargs, max_norm in CASES:
        trajectory = run_torch(optimizer, kwargs, max_norm)
        cases.append(
            {
                "name": name,
                "optimizer": optimizer,
                "kwargs": kwargs,
                "max_norm": max_norm,
                "trajectory": trajectory.tolist(),
            }
        )
    header = {
        "about": "torch.optim trajectories on make_problem(); see make_torch_optim_reference.py",
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "seed": SEED,
        "steps": STEPS,
        "shapes": {k: list(v) for k, v in SHAPES.items()},
        "params0": flatten(params0),
    }
    # One case per line: small diffs when a case changes, still plain JSON.
    lines = [json.dumps(header)[:-1] + ', "cases": [']
    lines += [
        json.dumps(case) + ("," if i < len(cases) - 1 else "") for i, case in enumerate(cases)
    ]
    lines.append("]}")
    OUT.write_text("\n".join(lines) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KB, {len(cases)} cases)", file=sys.stderr)


if __name__ == "__main__":
    main()
