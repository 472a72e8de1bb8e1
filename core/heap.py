"""glibc's heap thresholds, fixed for training loops (elsewhere, as on macOS or musl, nothing).

By default glibc moves its mmap and trim thresholds as arrays come and go. A training loop whose
temporaries are a few hundred KB can then end up growing the top of the heap and trimming it
again on every update: the medium network (2-128-128-128-1, batches of 256) took about 115 page
faults an update that way, against about 10 with the thresholds fixed, and ran about 10 % slower
(bench/train_throughput.py). How often that happens depends on where the heap's top falls, so a
change anywhere in the loop can bring it on or take it away.

:func:`steady_thresholds` fixes both thresholds once per process: arrays up to 16 MiB come from
the heap and its free top is kept up to 32 MiB, so an update reuses the memory the last one
freed. ``core.train.fit`` calls it; the served app calls it at start (``ui.memory``). A process
that set glibc's own ``MALLOC_MMAP_THRESHOLD_`` or ``MALLOC_TRIM_THRESHOLD_`` keeps its settings.
:func:`release_free_memory` hands free pages back to the system.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

# mallopt's parameter numbers in <malloc.h>
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3

MMAP_THRESHOLD = 16 << 20  # arrays above 16 MiB get pages of their own, returned when freed
TRIM_THRESHOLD = 32 << 20  # the heap's free top is kept up to 32 MiB between updates
USER_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES")


def _glibc():
    """The C library when it is glibc, else None."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt  # noqa: B018  (both are glibc's own)
        libc.malloc_trim  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc


LIBC = _glibc()
_steady: bool | None = None


def steady_thresholds() -> bool:
    """Fix glibc's mmap and trim thresholds (once per process); whether they are fixed now.

    False where the allocator is not glibc, and where the process's environment already set
    glibc's own thresholds or tunables (those are left as they are).
    """
    global _steady
    if _steady is None:
        if LIBC is None or any(name in os.environ for name in USER_SETTINGS):
            _steady = False
        else:
            settings = ((M_MMAP_THRESHOLD, MMAP_THRESHOLD), (M_TRIM_THRESHOLD, TRIM_THRESHOLD))
            _steady = all([bool(LIBC.mallopt(param, value)) for param, value in settings])
    return _steady


def release_free_memory() -> None:
    """Hand the allocator's free pages back to the system (after a run)."""
    if LIBC is not None:
        LIBC.malloc_trim(0)
