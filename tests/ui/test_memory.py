"""The served app's allocator settings (ui.memory): glibc takes them; elsewhere nothing happens."""

import platform

import pytest

from core import heap
from ui import memory


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt only")
def test_glibc_takes_the_arena_cap_and_thresholds_and_a_trim_runs():
    assert heap.LIBC is not None
    assert memory.configure(memory.ARENAS) is True
    memory.release_free_memory()  # returns nothing, raises nothing


def test_without_glibc_the_calls_do_nothing(monkeypatch):
    monkeypatch.setattr(heap, "LIBC", None)
    assert memory.configure() is False
    assert memory.release_free_memory() is None
