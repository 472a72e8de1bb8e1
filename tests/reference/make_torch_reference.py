"""Write PyTorch's float64 values and autograd gradients for every activation and loss to JSON.

PyTorch is not a project requirement, so the tests compare ``core.activations`` and
``core.losses`` to the file this script writes, ``torch_activations_losses.json``. Regenerate it
(after changing the inputs below, or to check a new PyTorch release) with::

    pip install torch            # developer machine only
    python tests/reference/make_torch_reference.py

``build_reference(seed)`` is also imported by the live parity tests, which run when torch is
importable.
"""

from __future__ import annotations

import json
import platform
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

OUTPUT = Path(__file__).with_name("torch_activations_losses.json")

# Exact zeros (both signs), points on either side of the kink at 0, saturation and the
# overflow-prone extremes; seeded normal points are appended by activation_inputs().
SPECIAL_X = [
    0.0,
    -0.0,
    1e-300,
    -1e-300,
    1e-12,
    -1e-12,
    1e-8,
    -1e-8,
    1e-4,
    -1e-4,
    0.5,
    -0.5,
    1.0,
    -1.0,
    3.0,
    -3.0,
    5.0,
    -5.0,
    8.0,
    -8.0,
    10.0,
    -10.0,
    20.0,
    -20.0,
    30.0,
    -30.0,
    40.0,
    -40.0,
    100.0,
    -100.0,
    700.0,
    -700.0,
    1000.0,
    -1000.0,
    1e300,
    -1e300,
]


def _prelu(x, alpha):
    """PReLU with one shared (here fixed, not learned) float64 weight."""
    return F.prelu(x, torch.tensor([alpha], dtype=torch.float64))


# Registry name -> the torch function of (x, **params) with the same keyword names.
TORCH_ACTIVATIONS = {
    "linear": lambda x: x * 1.0,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": F.relu,
    "leaky_relu": F.leaky_relu,
    "prelu": _prelu,
    "elu": F.elu,
    "selu": F.selu,
    "gelu": lambda x: F.gelu(x, approximate="none"),
    "swish": F.silu,
}

# (registry name, keyword params): the defaults and a second value for each parameter.
ACTIVATION_CASES = [
    ("linear", {}),
    ("sigmoid", {}),
    ("tanh", {}),
    ("relu", {}),
    ("leaky_relu", {"negative_slope": 0.01}),
    ("leaky_relu", {"negative_slope": 0.2}),
    ("prelu", {"alpha": 0.25}),
    ("prelu", {"alpha": -0.1}),
    ("elu", {"alpha": 1.0}),
    ("elu", {"alpha": 0.5}),
    ("selu", {}),
    ("gelu", {}),
    ("swish", {}),
]


def activation_inputs(seed: int) -> np.ndarray:
    """SPECIAL_X followed by 40 seeded points: 20 standard normal, 20 normal with scale 10."""
    rng = np.random.default_rng(seed)
    return np.concatenate([SPECIAL_X, rng.normal(size=20), 10.0 * rng.normal(size=20)])


def torch_activation(fn, x: np.ndarray, params: dict) -> tuple[list, list]:
    """Value and elementwise autograd derivative of fn at x, float64."""
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = fn(t, **params)
    (g,) = torch.autograd.grad(y.sum(), t)
    return y.detach().numpy().tolist(), g.numpy().tolist()


def loss_inputs(seed: int) -> list[dict]:
    """Seeded (name, y_pred, y_true) cases for every loss and output shape, with extremes."""
    rng = np.random.default_rng(seed)
    cases = []
    # mse: (n,), (n, 1) with (n,) targets, (n, d).
    cases.append(("mse", rng.normal(size=8), rng.normal(size=8)))
    cases.append(("mse", rng.normal(size=(8, 1)), rng.normal(size=8)))
    cases.append(("mse", rng.normal(size=(5, 3)), rng.normal(size=(5, 3))))
    cases.append(("mse", 3.0 * rng.normal(size=(6, 1)), rng.normal(size=(6, 1))))
    # bce_with_logits: (n,) and (n, 1) logits, 0/1 labels, soft labels, +-1000 logits.
    labels = rng.integers(0, 2, size=8).astype(float)
    cases.append(("bce_with_logits", 2.0 * rng.normal(size=8), labels))
    cases.append(("bce_with_logits", 2.0 * rng.normal(size=(8, 1)), labels))
    cases.append(("bce_with_logits", rng.normal(size=(6, 1)), rng.random(size=(6, 1))))
    cases.append(
        (
            "bce_with_logits",
            np.array([1000.0, -1000.0, 1000.0, -1000.0, 0.0, 30.0, -30.0, 1e-8]),
            np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0]),
        )
    )
    # cross_entropy: (n, k) logits with integer labels, +-1000 logits, and log-probabilities
    # of the textbook examples (true-class probability 0.9, 0.6 and [0.7, 0.2, 0.1] with class 0).
    cases.append(("cross_entropy", rng.normal(size=(6, 4)), rng.integers(0, 4, size=6)))
    cases.append(("cross_entropy", 3.0 * rng.normal(size=(10, 3)), rng.integers(0, 3, size=10)))
    cases.append(
        (
            "cross_entropy",
            np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0], [0.0, 0.0, 1000.0]]),
            np.array([0, 0, 1]),
        )
    )
    cases.append(
        (
            "cross_entropy",
            np.log([[0.9, 0.05, 0.05], [0.6, 0.3, 0.1], [0.7, 0.2, 0.1]]),
            np.array([0, 0, 0]),
        )
    )
    return cases


def torch_loss(name: str, y_pred: np.ndarray, y_true: np.ndarray) -> tuple[float, list]:
    """Mean-reduced loss value and its gradient w.r.t. y_pred, float64."""
    z = torch.tensor(y_pred, dtype=torch.float64, requires_grad=True)
    if name == "mse":
        # torch broadcasts (n, 1) against (n,) to (n, n); the lab reshapes, so do the same here.
        target = torch.tensor(y_true, dtype=torch.float64).reshape(z.shape)
        loss = F.mse_loss(z, target)
    elif name == "bce_with_logits":
        target = torch.tensor(y_true, dtype=torch.float64).reshape(z.shape)
        loss = F.binary_cross_entropy_with_logits(z, target)
    elif name == "cross_entropy":
        loss = F.cross_entropy(z, torch.tensor(y_true, dtype=torch.long))
    else:
        raise ValueError(f"unknown loss {name!r}")
    loss.backward()
    return loss.item(), z.grad.numpy().tolist()


def build_reference(seed: int = 0) -> dict:
    """All reference numbers for one seed, as a JSON-ready dict."""
    x = activation_inputs(seed)
    activations = []
    for name, params in ACTIVATION_CASES:
        value, grad = torch_activation(TORCH_ACTIVATIONS[name], x, params)
        activations.append({"name": name, "params": params, "fn": value, "grad": grad})
    losses = []
    for name, y_pred, y_true in loss_inputs(seed):
        value, grad = torch_loss(name, y_pred, y_true)
        losses.append(
            {
                "name": name,
                "y_pred": y_pred.tolist(),
                "y_true": y_true.tolist(),
                "value": value,
                "grad": grad,
            }
        )
    return {
        "meta": {
            "generated_by": "tests/reference/make_torch_reference.py",
            "torch": torch.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
            "dtype": "float64",
            "seed": seed,
        },
        "activations": {"x": x.tolist(), "cases": activations},
        "losses": losses,
    }


def main() -> None:
    OUTPUT.write_text(json.dumps(build_reference(seed=0), separators=(",", ":")) + "\n")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size / 1024:.1f} KB)")


if __name__ == "__main__":
    main()
