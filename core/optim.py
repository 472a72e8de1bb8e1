"""Optimizers as small pure transforms (optax style) that match PyTorch step for step.

The public face of the optimizer modules: the PyTorch-named optimizers (``sgd``, ``adagrad``,
``rmsprop``, ``adam``, ``adamw``) built by chaining the transforms of ``core.transforms``, the
``OPTIMIZERS`` registry for the UI, and re-exports of the interface (``core.optim_base``), the
transforms and the learning-rate schedules (``core.schedules``), so ``core.optim.X`` names them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from core.optim_base import (
    FlatTransform,
    Layout,
    Optimizer,
    OptState,
    Params,
    Schedule,
    apply_updates,
    chain,
    check_beta,
    check_lr,
    check_real,
    global_norm,
)
from core.schedules import (
    constant_schedule,
    cosine_decay,
    exponential_decay,
    inverse_time_decay,
    step_decay,
)
from core.transforms import (
    AdamState,
    RmsState,
    RssState,
    ScheduleState,
    TraceState,
    add_decayed_weights,
    check_nesterov,
    clip_by_global_norm,
    scale,
    scale_by_adam,
    scale_by_learning_rate,
    scale_by_rms,
    scale_by_rss,
    trace,
)

__all__ = [
    "DEFAULT_LR",
    "OPTIMIZERS",
    "AdamState",
    "FlatTransform",
    "Layout",
    "OptState",
    "Optimizer",
    "OptimizerSpec",
    "Params",
    "RmsState",
    "RssState",
    "Schedule",
    "ScheduleState",
    "TraceState",
    "adagrad",
    "adam",
    "adamw",
    "add_decayed_weights",
    "apply_updates",
    "chain",
    "clip_by_global_norm",
    "constant_schedule",
    "cosine_decay",
    "exponential_decay",
    "global_norm",
    "inverse_time_decay",
    "rmsprop",
    "scale",
    "scale_by_adam",
    "scale_by_learning_rate",
    "scale_by_rms",
    "scale_by_rss",
    "sgd",
    "step_decay",
    "trace",
]


# ----------------------------------------------------------------------------------------------
# The PyTorch-named optimizers
# ----------------------------------------------------------------------------------------------


def sgd(lr, momentum: float = 0.0, nesterov: bool = False, weight_decay: float = 0.0) -> Optimizer:
    """``torch.optim.SGD(lr, momentum, nesterov=nesterov, weight_decay=weight_decay)``.

    ``d = g + wd p``; with momentum ``b = d`` on the first step, then ``b = momentum b + d``,
    and ``d = b`` (or ``d + momentum b`` for Nesterov); ``p <- p - lr d``.
    ``lr`` may be a schedule (step count -> lr). Chain = add_decayed_weights, trace, scale.
    """
    lr = check_lr(lr)
    momentum = check_real("momentum", momentum, low=0.0, high=1.0)
    check_nesterov(momentum, nesterov)
    weight_decay = check_real("weight_decay", weight_decay, low=0.0)
    parts = [add_decayed_weights(weight_decay)] if weight_decay else []
    if momentum:
        parts.append(trace(momentum, nesterov))
    opt = chain(*parts, scale_by_learning_rate(lr))
    name = f"sgd(lr={lr!r}, momentum={momentum!r}, nesterov={nesterov!r}, "
    name += f"weight_decay={weight_decay!r})"
    return opt.renamed(name)


def adagrad(lr, eps: float = 1e-10) -> Optimizer:
    """``torch.optim.Adagrad(lr, eps=eps)``: ``s += g^2``; ``p <- p - lr g / (sqrt(s) + eps)``."""
    lr = check_lr(lr)
    opt = chain(scale_by_rss(eps), scale_by_learning_rate(lr))
    return opt.renamed(f"adagrad(lr={lr!r}, eps={eps!r})")


def rmsprop(lr, alpha: float = 0.99, eps: float = 1e-8) -> Optimizer:
    """``torch.optim.RMSprop(lr, alpha, eps)``: ``v = alpha v + (1-alpha) g^2``;
    ``p <- p - lr g / (sqrt(v) + eps)``."""
    lr = check_lr(lr)
    opt = chain(scale_by_rms(alpha, eps), scale_by_learning_rate(lr))
    return opt.renamed(f"rmsprop(lr={lr!r}, alpha={alpha!r}, eps={eps!r})")


def adam(lr, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0.0) -> Optimizer:
    """``torch.optim.Adam(lr, betas, eps, weight_decay)``; its weight decay is coupled L2.

    ``g <- g + wd p``; ``m = b1 m + (1-b1) g``; ``v = b2 v + (1-b2) g^2``;
    ``p <- p - lr / (1-b1^t) * m / (sqrt(v) / sqrt(1-b2^t) + eps)``.
    The first step is ``-lr * g / (|g| + eps)``, about ``-lr * sign(g)``.
    """
    lr = check_lr(lr)
    b1, b2 = _betas(betas)
    weight_decay = check_real("weight_decay", weight_decay, low=0.0)
    parts = [add_decayed_weights(weight_decay)] if weight_decay else []
    opt = chain(*parts, scale_by_adam(b1, b2, eps), scale_by_learning_rate(lr))
    name = f"adam(lr={lr!r}, betas={(b1, b2)!r}, eps={eps!r}, weight_decay={weight_decay!r})"
    return opt.renamed(name)


def adamw(lr, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0.01) -> Optimizer:
    """``torch.optim.AdamW(lr, betas, eps, weight_decay)``: decay decoupled from Adam's scaling.

    ``p <- p (1 - lr wd)`` using the old params, then the Adam step of ``adam`` on the raw
    gradient. As a chain: scale_by_adam, add_decayed_weights(wd), scale_by_learning_rate(lr).
    """
    lr = check_lr(lr)
    b1, b2 = _betas(betas)
    weight_decay = check_real("weight_decay", weight_decay, low=0.0)
    parts = [scale_by_adam(b1, b2, eps)]
    if weight_decay:
        parts.append(add_decayed_weights(weight_decay))
    opt = chain(*parts, scale_by_learning_rate(lr))
    name = f"adamw(lr={lr!r}, betas={(b1, b2)!r}, eps={eps!r}, weight_decay={weight_decay!r})"
    return opt.renamed(name)


def _betas(betas) -> tuple[float, float]:
    try:
        b1, b2 = betas
    except (TypeError, ValueError):
        raise ValueError(f"'betas' must be a pair (b1, b2) in [0, 1); got {betas!r}.") from None
    return check_beta("betas[0]", b1), check_beta("betas[1]", b2)


# ----------------------------------------------------------------------------------------------
# Registry for the UI
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptimizerSpec:
    """A UI entry: ``spec(lr=None, **overrides)`` builds the optimizer (``lr`` defaults)."""

    factory: Callable[..., Optimizer]
    default_lr: float
    label: str

    def __call__(self, lr=None, **overrides) -> Optimizer:
        return self.factory(self.default_lr if lr is None else lr, **overrides)


OPTIMIZERS: dict[str, OptimizerSpec] = {
    "gd": OptimizerSpec(sgd, 0.1, "Gradient descent"),
    "momentum": OptimizerSpec(partial(sgd, momentum=0.9), 0.05, "Momentum (heavy ball)"),
    "nesterov": OptimizerSpec(partial(sgd, momentum=0.9, nesterov=True), 0.05, "Nesterov momentum"),
    "adagrad": OptimizerSpec(adagrad, 0.1, "AdaGrad"),
    "rmsprop": OptimizerSpec(rmsprop, 0.01, "RMSprop"),
    "adam": OptimizerSpec(adam, 0.01, "Adam"),
    "adamw": OptimizerSpec(adamw, 0.01, "AdamW"),
}

DEFAULT_LR: dict[str, float] = {name: spec.default_lr for name, spec in OPTIMIZERS.items()}
