"""Progress and cancellation of long runs: core reports, whoever started the run may stop it.

The loops that take the time (training epochs, cross-validation fits, ensemble fits, steps of a
path) call :func:`report`. Outside the app nothing listens and a report costs a context-variable
lookup. The app runs each experiment under :func:`listening` with a listener that records the
fraction done for its progress bar and raises :class:`Cancelled` once the page that asked for
the run has stopped (a new setting, a closed tab), so no run outlives its session.

``bench/cancellation.py`` measures the longest stretch of work between two reports for every
lesson's heaviest settings (target: under 0.5 s).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar

Listener = Callable[[float | None, str], None]

_LISTENER: ContextVar[Listener | None] = ContextVar("lab_progress_listener", default=None)


class Cancelled(Exception):
    """Raised by a listener inside a run once nobody waits for its result any more."""


def report(fraction: float | None = None, message: str = "") -> None:
    """Tell the listener (if any) how far the run is; ``fraction`` in [0, 1] or None (a tick).

    May raise :class:`Cancelled`: callers let it propagate.
    """
    listener = _LISTENER.get()
    if listener is not None:
        listener(fraction, message)


def timed_report(fraction: float | None = None, message: str = "") -> float:
    """:func:`report`, returning the seconds the listener took: a timed loop leaves them out of
    its clock (in the app one tick an epoch read as a full batch's whole update; audit pass 71 h)."""
    start = time.perf_counter()
    report(fraction, message)
    return time.perf_counter() - start


@contextlib.contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Send this thread's reports to ``listener`` while the block runs."""
    token = _LISTENER.set(listener)
    try:
        yield
    finally:
        _LISTENER.reset(token)


class Ticker:
    """Reports from a tight loop at most every ``every`` seconds (a clock read per call)."""

    __slots__ = ("every", "last")

    def __init__(self, every: float = 0.05):
        self.every = every
        self.last = time.perf_counter()

    def tick(self, fraction: float | None = None, message: str = "") -> None:
        now = time.perf_counter()
        if now - self.last >= self.every:
            self.last = now
            report(fraction, message)
