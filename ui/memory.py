"""The server's memory: glibc's allocator settings, applied by ui.process in the served app.

Arenas: glibc gives each thread that allocates its own arena (up to 8 per core) and keeps freed
memory in them: with every run in a thread of its own, a server that had explored 200 settings
held 735 MiB with the default and 609 MiB with two arenas (bench/memory.py).

Thresholds: fixed as ``core.heap`` fixes them for any training loop (see there);
:func:`release_free_memory` hands the pages back after each run. Elsewhere (macOS, musl) these
calls do nothing.
"""

from __future__ import annotations

from core import heap
from core.heap import release_free_memory

__all__ = ["ARENAS", "configure", "release_free_memory"]

M_ARENA_MAX = -8  # mallopt's parameter number in <malloc.h>
ARENAS = 2


def configure(arenas: int = ARENAS) -> bool:
    """At most ``arenas`` malloc arenas and fixed thresholds from now on.

    Returns whether the allocator took every setting (False where it is not glibc).
    """
    if heap.LIBC is None:
        return False
    capped = bool(heap.LIBC.mallopt(M_ARENA_MAX, arenas))
    return capped and heap.steady_thresholds()
