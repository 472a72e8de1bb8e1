"""Activation memory of one training step: the forward cache and the backward pass's peak."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from core import mlp
from core.experiments.batch_size.settings import (
    BATCH_SIZES,
    STATE_ARRAYS,
    batch_key,
    batch_label,
)


def activation_memory(sizes: Sequence[int], batch_size: int, *, dropout: bool = False) -> int:
    """Bytes of float64 activations one forward pass keeps for the backward pass (its cache).

    ``M(B) = 8 * B * (d + sum_l (2 + m) * h_l + k)``: the input (B x d), every hidden layer's
    pre-activation z and activation a (B x h_l each, plus the dropout mask when ``m = 1``) and the
    logits (B x k). Parameters, gradients and optimizer state do not depend on B.
    """
    d, *hidden, k = (int(s) for s in sizes)
    per_example = d + sum((3 if dropout else 2) * h for h in hidden) + k
    return 8 * int(batch_size) * per_example


def backward_bytes(sizes: Sequence[int]) -> int:
    """Bytes per example the backward pass of ``core.mlp`` holds at its peak beyond the cache.

    Going down from the output, the step into hidden layer l holds the new ``da = dz W^T`` and
    the derivative f'(z) (h_l numbers each; f'(z) becomes the layer's dz in place, and the dz of
    the layer above is already released, as :func:`core.mlp.backward` rebinds one ``dout``
    between the layer pairs) and, while f'(z) is built, ReLU's boolean mask (h_l bytes);
    dL/dlogits (k) stays alive throughout. The peak is the widest step, in float64.
    """
    _, *hidden, k = (int(s) for s in sizes)
    return max((8 * (k + 2 * h) + h for h in hidden), default=0)


def memory_frame(sizes: Sequence[int], n_train: int, optimizer: str) -> pd.DataFrame:
    """Per batch size of the page (the full batch is ``n_train``): key, label, batch_size,
    activation_bytes (the forward cache), step_bytes (the cache plus the backward pass's
    temporaries at their peak, float64) and parameter_bytes (parameters + gradients + the
    optimizer's state, 8 bytes each: none of them depends on B)."""
    n_params = mlp.count_params(sizes)
    parameter_bytes = 8 * n_params * (2 + STATE_ARRAYS[optimizer])
    rows = []
    for B in BATCH_SIZES:
        size = n_train if B is None else B
        cache = activation_memory(sizes, size)
        rows.append(
            {
                "key": batch_key(B),
                "label": batch_label(B, n_train),
                "batch_size": size,
                "activation_bytes": cache,
                "step_bytes": cache + size * backward_bytes(sizes),
                "parameter_bytes": parameter_bytes,
            }
        )
    return pd.DataFrame(rows)
