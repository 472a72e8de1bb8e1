"""Learning-rate schedules: callables of the update count t = 0, 1, 2, ... (PyTorch's lr_scheduler, stepped per update).

Frozen dataclasses rather than closures, so a schedule compares and hashes by value (a cache
key) and prints as the call that made it; lower-case names because they read as functions.
Pass one as ``lr`` to any optimizer of ``core.optim``.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from core.optim_base import check_lr, check_real

__all__ = [
    "constant_schedule",
    "cosine_decay",
    "exponential_decay",
    "inverse_time_decay",
    "step_decay",
]


@dataclass(frozen=True)
class constant_schedule:
    """``lr_t = lr``."""

    lr: float

    def __post_init__(self):
        object.__setattr__(self, "lr", _lr_value(self.lr))

    def __call__(self, t: int) -> float:
        return self.lr


@dataclass(frozen=True)
class inverse_time_decay:
    """``lr_t = lr / (1 + decay_rate * t)``: sum lr_t diverges, sum lr_t^2 converges, so SGD
    with noisy gradients still converges (Robbins-Monro)."""

    lr: float
    decay_rate: float

    def __post_init__(self):
        object.__setattr__(self, "lr", _lr_value(self.lr))
        object.__setattr__(self, "decay_rate", check_real("decay_rate", self.decay_rate, low=0.0))

    def __call__(self, t: int) -> float:
        return self.lr / (1.0 + self.decay_rate * t)


@dataclass(frozen=True)
class exponential_decay:
    """``lr_t = lr * gamma**t`` (``torch.optim.lr_scheduler.ExponentialLR``, stepped per update)."""

    lr: float
    gamma: float

    def __post_init__(self):
        object.__setattr__(self, "lr", _lr_value(self.lr))
        gamma = check_real("gamma", self.gamma, low=0.0, high=1.0, low_open=True)
        object.__setattr__(self, "gamma", gamma)

    def __call__(self, t: int) -> float:
        return self.lr * self.gamma**t


@dataclass(frozen=True)
class cosine_decay:
    """``lr_t = final_lr + (lr - final_lr) (1 + cos(pi min(t, T) / T)) / 2``; T = total_steps."""

    lr: float
    total_steps: int
    final_lr: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "lr", _lr_value(self.lr))
        steps = self.total_steps
        if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
            raise ValueError(f"'total_steps' must be a whole number >= 1; got {steps!r}.")
        object.__setattr__(self, "total_steps", int(steps))
        final = check_real("final_lr", self.final_lr, low=0.0, high=self.lr)
        object.__setattr__(self, "final_lr", final)

    def __call__(self, t: int) -> float:
        frac = min(t, self.total_steps) / self.total_steps
        return self.final_lr + (self.lr - self.final_lr) * 0.5 * (1.0 + math.cos(math.pi * frac))


@dataclass(frozen=True)
class step_decay:
    """``lr_t = lr * gamma**(t // step_size)`` (``torch.optim.lr_scheduler.StepLR``)."""

    lr: float
    step_size: int
    gamma: float = 0.1

    def __post_init__(self):
        object.__setattr__(self, "lr", _lr_value(self.lr))
        size = self.step_size
        if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 1:
            raise ValueError(f"'step_size' must be a whole number >= 1; got {size!r}.")
        object.__setattr__(self, "step_size", int(size))
        gamma = check_real("gamma", self.gamma, low=0.0, high=1.0, low_open=True)
        object.__setattr__(self, "gamma", gamma)

    def __call__(self, t: int) -> float:
        return self.lr * self.gamma ** (t // self.step_size)


def _lr_value(lr) -> float:
    if callable(lr):
        raise ValueError(f"'lr' of a schedule must be a number; got {lr!r}.")
    return check_lr(lr)
