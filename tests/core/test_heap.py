"""glibc's heap thresholds (core.heap): fixed once per process by fit, unless the user set them."""

import platform

import numpy as np
import pytest

from core import heap, mlp, optim
from core.train import fit

glibc_only = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt only")


@pytest.fixture
def fresh(monkeypatch):
    """A process in which nothing has fixed the thresholds yet."""
    monkeypatch.setattr(heap, "_steady", None)
    for name in heap.USER_SETTINGS:
        monkeypatch.delenv(name, raising=False)


@glibc_only
def test_glibc_takes_both_thresholds_once(fresh, monkeypatch):
    calls = []
    mallopt = heap.LIBC.mallopt
    monkeypatch.setattr(heap.LIBC, "mallopt", lambda p, v: calls.append((p, v)) or mallopt(p, v))
    assert heap.steady_thresholds() is True
    assert heap.steady_thresholds() is True
    assert calls == [
        (heap.M_MMAP_THRESHOLD, heap.MMAP_THRESHOLD),
        (heap.M_TRIM_THRESHOLD, heap.TRIM_THRESHOLD),
    ]


@pytest.mark.parametrize("name", heap.USER_SETTINGS)
def test_a_users_own_glibc_settings_are_left_alone(fresh, monkeypatch, name):
    monkeypatch.setenv(name, "1048576")
    monkeypatch.setattr(heap, "LIBC", _Refuse())
    assert heap.steady_thresholds() is False


def test_without_glibc_nothing_is_set(fresh, monkeypatch):
    monkeypatch.setattr(heap, "LIBC", None)
    assert heap.steady_thresholds() is False
    assert heap.release_free_memory() is None


def test_fit_fixes_the_thresholds_before_training(fresh, monkeypatch):
    seen = []
    monkeypatch.setattr(heap, "steady_thresholds", lambda: seen.append("fixed") or True)
    X = np.random.default_rng(0).standard_normal((8, 2))
    params = mlp.init_params((2, 3, 1), seed=0)
    fit(params, X, X[:, 0] > 0, loss="bce_with_logits", optimizer=optim.adam(1e-2), epochs=1)
    assert seen == ["fixed"]


class _Refuse:
    """A C library that must not be asked."""

    def mallopt(self, param, value):
        raise AssertionError("mallopt was called")
