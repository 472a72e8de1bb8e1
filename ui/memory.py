"""The server's memory: glibc's allocator settings, applied by ui.process in the served app.

Arenas: glibc gives each thread that allocates its own arena (up to 8 per core) and keeps freed
memory in them: with every run in a thread of its own, a server that had explored 200 settings
held 735 MiB with the default and 609 MiB with two arenas (bench/memory.py).

Thresholds: by default glibc moves its mmap and trim thresholds as arrays come and go, and a
training loop whose temporaries are a few hundred KB can end up growing and trimming the top of
the heap on every update: the medium network (2-128-128-128-1, batches of 256) took 110 page
faults an update and ran 12 % slower than with fixed thresholds (bench/train_throughput.py).
Fixed thresholds keep those temporaries on the heap between updates; :func:`release_free_memory`
hands the pages back after each run. Elsewhere (macOS, musl) these calls do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util

# mallopt's parameter numbers in <malloc.h>
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8

ARENAS = 2
MMAP_THRESHOLD = 16 << 20  # arrays above 16 MiB get pages of their own, returned when freed
TRIM_THRESHOLD = 32 << 20  # the heap's free top is kept up to 32 MiB between updates


def _glibc():
    """The C library when it is glibc, else None."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt  # noqa: B018  (both are glibc's own)
        libc.malloc_trim  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc


_LIBC = _glibc()


def configure(arenas: int = ARENAS) -> bool:
    """At most ``arenas`` malloc arenas and fixed thresholds from now on.

    Returns whether the allocator took every setting (False where it is not glibc).
    """
    if _LIBC is None:
        return False
    settings = (
        (M_ARENA_MAX, arenas),
        (M_MMAP_THRESHOLD, MMAP_THRESHOLD),
        (M_TRIM_THRESHOLD, TRIM_THRESHOLD),
    )
    return all([bool(_LIBC.mallopt(param, value)) for param, value in settings])


def release_free_memory() -> None:
    """Hand the allocator's free pages back to the system (after a run)."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
