"""Write PyTorch's float64 attention outputs and autograd gradients to torch_attention.json.

PyTorch is not a project requirement, so the tests compare ``core.attention`` to the file this
script writes. Regenerate it (after changing the cases below, or to check a new PyTorch
release) with::

    pip install torch            # developer machine only
    python tests/reference/make_torch_attention_reference.py

Every case draws its inputs and an upstream gradient G with NumPy from a seed, so both sides
share them; PyTorch computes ``out`` and the gradients of ``L = Σ out ⊙ G``.

- ``sdpa`` cases: ``torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=...,
  scale=...)`` against ``core.attention.attention_forward`` / ``attention_backward``.
- ``multi_head`` cases: heads built the way frameworks build them, one projection
  X @ W_full of width n_heads · d_head split into heads, then the same ``sdpa`` per head,
  transposed back, concatenated and multiplied by W_o; against ``multi_head_forward`` /
  ``multi_head_backward``, whose heads are separate small matrices (W_full's column blocks).

``build_reference(seed)`` is also imported by the live parity tests, which run when torch is
importable.
"""

from __future__ import annotations

import json
import platform
from pathlib import Path

import numpy as np

OUTPUT = Path(__file__).with_name("torch_attention.json")

# (name, batch shape, L queries, S keys, d_k, d_v, causal, scale, input scale): the default
# 1/√d_k, no scaling (1.0) and another scale; a causal mask on square and on wide (L < S)
# scores; batch and head dimensions; and inputs large enough to saturate the softmax.
SDPA_CASES = [
    ("plain", (), 5, 5, 4, 3, False, None, 1.0),
    ("causal", (), 6, 6, 4, 4, True, None, 1.0),
    ("unscaled", (), 5, 5, 8, 3, False, 1.0, 1.0),
    ("unscaled_causal", (), 5, 5, 8, 2, True, 1.0, 1.0),
    ("other_scale", (), 4, 4, 3, 3, False, 0.3, 1.0),
    ("batched_heads", (2, 2), 4, 4, 3, 3, False, None, 1.0),
    ("batched_causal", (2,), 4, 4, 2, 3, True, None, 1.0),
    ("cross", (), 3, 6, 4, 2, False, None, 1.0),
    ("cross_causal", (), 3, 5, 4, 2, True, None, 1.0),
    ("one_key", (), 1, 1, 4, 2, False, None, 1.0),
    ("saturated", (), 5, 5, 16, 3, False, 1.0, 4.0),
    ("saturated_causal", (), 6, 6, 32, 3, True, 1.0, 3.0),
]

# (name, n tokens, d_model, n_heads, d_head, causal, scale, embedding scale)
MULTI_HEAD_CASES = [
    ("two_heads", 5, 8, 2, 4, False, None, 1.0),
    ("two_heads_causal", 6, 8, 2, 4, True, None, 1.0),
    ("four_heads_unscaled", 5, 12, 4, 3, False, 1.0, 1.0),
    ("one_wide_head", 4, 6, 1, 12, True, None, 1.0),
    ("three_heads_narrow", 7, 4, 3, 2, False, None, 2.0),
    ("saturated", 5, 8, 2, 8, False, 1.0, 3.0),
]


def sdpa_inputs(case, seed: int) -> dict[str, np.ndarray]:
    """Q, K, V and G of one ``sdpa`` case (NumPy, float64)."""
    _, batch, n_q, n_k, d_k, d_v, _, _, size = case
    rng = np.random.default_rng([seed, SDPA_CASES.index(case)])
    return {
        "Q": size * rng.normal(size=(*batch, n_q, d_k)),
        "K": size * rng.normal(size=(*batch, n_k, d_k)),
        "V": rng.normal(size=(*batch, n_k, d_v)),
        "G": rng.normal(size=(*batch, n_q, d_v)),
    }


def multi_head_inputs(case, seed: int) -> dict[str, np.ndarray]:
    """X, the per-head weights W_q, W_k, W_v of shape (h, d_model, d_head), W_o and G."""
    _, n, d_model, h, d_head, _, _, size = case
    rng = np.random.default_rng([seed, 100 + MULTI_HEAD_CASES.index(case)])
    out = {"X": size * rng.normal(size=(n, d_model))}
    for w in ("W_q", "W_k", "W_v"):
        out[w] = rng.normal(0.0, 1.0 / np.sqrt(d_model), size=(h, d_model, d_head))
    out["W_o"] = rng.normal(0.0, 1.0 / np.sqrt(h * d_head), size=(h * d_head, d_model))
    out["G"] = rng.normal(size=(n, d_model))
    return out


def torch_sdpa(inputs: dict, causal: bool, scale) -> dict:
    """out and the gradients of Σ out ⊙ G with respect to Q, K and V, from PyTorch."""
    import torch
    import torch.nn.functional as F

    q, k, v = (torch.tensor(inputs[n], dtype=torch.float64, requires_grad=True) for n in "QKV")
    out = F.scaled_dot_product_attention(q, k, v, is_causal=causal, scale=scale)
    (out * torch.tensor(inputs["G"], dtype=torch.float64)).sum().backward()
    return {
        "out": out.detach().numpy(),
        "dQ": q.grad.numpy(),
        "dK": k.grad.numpy(),
        "dV": v.grad.numpy(),
    }


def torch_multi_head(inputs: dict, causal: bool, scale) -> dict:
    """Multi-head self-attention as frameworks write it: one wide projection per role, split."""
    import torch
    import torch.nn.functional as F

    h, _, d_head = inputs["W_q"].shape
    n = inputs["X"].shape[0]
    x = torch.tensor(inputs["X"], dtype=torch.float64, requires_grad=True)
    # (h, d_model, d_head) -> (d_model, h * d_head): head j's columns are block j
    wide = {
        w: torch.tensor(
            np.concatenate(list(inputs[w]), axis=1), dtype=torch.float64, requires_grad=True
        )
        for w in ("W_q", "W_k", "W_v")
    }
    w_o = torch.tensor(inputs["W_o"], dtype=torch.float64, requires_grad=True)

    def split(t):
        return (x @ t).view(n, h, d_head).transpose(0, 1)  # (h, n, d_head)

    heads = F.scaled_dot_product_attention(
        split(wide["W_q"]), split(wide["W_k"]), split(wide["W_v"]), is_causal=causal, scale=scale
    )
    out = heads.transpose(0, 1).reshape(n, h * d_head) @ w_o
    (out * torch.tensor(inputs["G"], dtype=torch.float64)).sum().backward()

    def per_head(grad):
        return np.stack(np.split(grad.numpy(), h, axis=1))  # back to (h, d_model, d_head)

    return {
        "out": out.detach().numpy(),
        "X": x.grad.numpy(),
        "W_q": per_head(wide["W_q"].grad),
        "W_k": per_head(wide["W_k"].grad),
        "W_v": per_head(wide["W_v"].grad),
        "W_o": w_o.grad.numpy(),
    }


def _lists(arrays: dict) -> dict:
    return {k: np.asarray(v).tolist() for k, v in arrays.items()}


def build_reference(seed: int = 0) -> dict:
    """All reference numbers for one seed, as a JSON-ready dict."""
    import torch

    sdpa = []
    for case in SDPA_CASES:
        name, _, _, _, _, _, causal, scale, _ = case
        inputs = sdpa_inputs(case, seed)
        sdpa.append(
            {
                "name": name,
                "causal": causal,
                "scale": scale,
                "inputs": _lists(inputs),
                "torch": _lists(torch_sdpa(inputs, causal, scale)),
            }
        )
    multi = []
    for case in MULTI_HEAD_CASES:
        name, _, _, _, _, causal, scale, _ = case
        inputs = multi_head_inputs(case, seed)
        multi.append(
            {
                "name": name,
                "causal": causal,
                "scale": scale,
                "inputs": _lists(inputs),
                "torch": _lists(torch_multi_head(inputs, causal, scale)),
            }
        )
    return {
        "meta": {
            "generated_by": "tests/reference/make_torch_attention_reference.py",
            "torch": torch.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
            "dtype": "float64",
            "seed": seed,
        },
        "sdpa": sdpa,
        "multi_head": multi,
    }


def main() -> None:
    OUTPUT.write_text(json.dumps(build_reference(seed=0), separators=(",", ":")) + "\n")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size / 1024:.1f} KB)")


if __name__ == "__main__":
    main()
