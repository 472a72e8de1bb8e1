"""The server's memory: glibc's allocator settings, applied by ui.process in the served app.

glibc gives each thread that allocates its own arena (up to 8 per core) and keeps freed memory
in them: with every run in a thread of its own, a server that had explored 200 settings held
735 MiB with the default and 609 MiB with two arenas (bench/memory.py). Elsewhere (macOS,
musl) these calls do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_ARENA_MAX = -8  # mallopt's parameter number in <malloc.h>
ARENAS = 2


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


def cap_arenas(arenas: int = ARENAS) -> bool:
    """At most ``arenas`` malloc arenas from now on; whether the allocator took the setting."""
    return _LIBC is not None and bool(_LIBC.mallopt(M_ARENA_MAX, arenas))


def release_free_memory() -> None:
    """Hand the allocator's free pages back to the system (after a run)."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
