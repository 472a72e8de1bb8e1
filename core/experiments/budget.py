"""One work budget for every page: a run's cost is estimated before it starts, and refused when too long.

Every ``core.experiments.<page>`` module has ``estimated_seconds(config) -> float``: a cheap formula
in the units that drive the run's cost (updates x parameters, folds x cells x epochs, trees x
samples, ...), calibrated by timing on the lab's 2-core machine while other jobs shared it, so
that a run allowed by the budget stays near it on a busy machine (on a quiet one it runs up to
~1.5x faster than estimated); ``bench/budget.py`` checks the estimates against measurements.
Its ``Config`` calls :func:`check_budget` when it is built, so a setting that would keep a shared
server busy for longer than :data:`BUDGET_SECONDS` cannot even be constructed: the page shows the
message, which names the controls (by their labels in the sidebar) that bring the cost down.
"""

from __future__ import annotations

import contextvars
import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence

from core.facts import decimals, listing, num

# About how long one page's computation may take on the lab's machine (one core's CPU seconds).
# A slower or busier server takes longer: what the budget bounds is the work a run may ask for.
BUDGET_SECONDS = 10.0


def format_seconds(seconds: float) -> str:
    """``"3 s"``, ``"14 s"``: whole seconds, except near the limit (``"10.4 s"`` is not "10 s",
    nor 10.04 "10.0 s")."""
    if round(seconds) == BUDGET_SECONDS:
        return f"{decimals(seconds, 1)} s"
    return f"{seconds:.0f} s"  # plain-format: an estimate said "about", whole seconds (from 1 s)


def _either(labels: Sequence[str]) -> str:
    quoted = [f"'{label}'" for label in labels]
    if len(quoted) <= 2:
        return " or ".join(quoted)
    return f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def can_lower(config, name: str) -> bool:
    """Whether the control ``name`` of ``config`` is above the lowest value its sidebar offers
    (the least of its grid, else its domain's low end); True for a field without a numeric
    domain."""
    from core.config import param_of

    domain = param_of(type(config), name)
    if domain is None or domain.kind not in ("integer", "number"):
        return True
    return getattr(config, name) > domain.least


# Off while fits_with builds a cheaper Config to price it (its own check would refuse it).
_CHECKING = contextvars.ContextVar("budget_checking", default=True)


def fits_with(config, estimate: Callable, **change) -> bool:
    """Whether ``config`` with ``change`` applied (built with the budget check off, since its own
    check would refuse it) is priced by ``estimate`` within :data:`BUDGET_SECONDS`; False where
    another rule of the Config refuses the change."""
    token = _CHECKING.set(False)
    try:
        changed = dataclasses.replace(config, **change)
    except ValueError:
        return False
    finally:
        _CHECKING.reset(token)
    return estimate(changed) <= BUDGET_SECONDS


def _lowest(config, names: Sequence[str]) -> dict:
    """The numeric controls among ``names`` at the least value the sidebar offers."""
    from core.config import param_of

    domains = {name: param_of(type(config), name) for name in names}
    return {
        name: domain.least
        for name, domain in domains.items()
        if domain is not None and domain.kind in ("integer", "number")
    }


def fits_alone(config, name: str, estimate: Callable) -> bool:
    """Whether lowering the numeric control ``name`` to the least the sidebar offers, the others
    as they are, brings ``estimate`` within :data:`BUDGET_SECONDS`."""
    change = _lowest(config, [name])
    if not change:
        return True  # not priced: named as before
    return fits_with(config, estimate, **change)


def check_budget(
    seconds: float,
    controls: Sequence[str],
    *,
    what: str = "This run",
    config,
    together: bool = False,
    estimate: Callable | None = None,
    moves: Mapping[str, Mapping] | None = None,
) -> float:
    """Refuse a run whose estimate exceeds :data:`BUDGET_SECONDS`; return the estimate otherwise.

    Parameters
    ----------
    seconds : float
        The run's estimated seconds (``estimated_seconds(config)`` of its module).
    controls : sequence of str
        The sidebar labels of the controls that drive the cost, most effective first.
    what : str
        What would take that long, for the message ("This run", "The depth sweep").
    config : Settings
        The settings being checked: ``controls`` already at the lowest value the sidebar offers
        are not named (audit pass 50: "Lower … 'Trees per forest T' or 'Points (2-D
        sets)'" at 25 trees and 200 points, both the sliders' least).
    together : bool
        ``controls`` bring the run within the limit only when all are lowered, no one of them
        alone: "Lower 'A' and 'B' together (no one of them is enough)" instead of "Lower 'A' or
        'B'" (a caller that checks each control alone, audit pass 51 h).
    estimate : callable, optional
        ``config -> seconds`` (the module's ``estimated_seconds``): with it, only the controls
        that bring the run within the limit alone at their least are named, or all of them
        "together" where none does (network depth said "Lower … 'Points n' or 'Epochs for the
        1-D fits'" where those alone left 13.8 s and 20.4 s of a 20.5 s run).
    moves : mapping, optional
        Other ways out that are changes of the settings, each its phrase for the message and the
        change (``{"turn 'batch_norm' off": {"batch_norm": False}}``), named after the controls.
        With ``estimate``, a move is named only where it alone brings the run within the limit,
        and the controls are dropped where even all of them at their least do not (pass 51 found
        ", or turn 'batch_norm' off" and "select fewer …" unchecked): the message then names the
        moves, or says that no control here brings the run within the limit, never "Lower 'A'"
        of a control that cannot.
        Without ``estimate`` every move is named.

    Raises
    ------
    ValueError
        "This run would take about 14 s (limit 10 s). Lower 'Epochs' or 'Training examples n'."
    """
    if not _CHECKING.get():
        return seconds
    if not seconds <= BUDGET_SECONDS:
        cost = (
            f"would take about {format_seconds(seconds)}"
            if math.isfinite(seconds)
            else "has no finite cost estimate"
        )
        controls = [c for c in controls if can_lower(config, c)]
        priced = estimate is not None and math.isfinite(seconds)
        named = [
            phrase
            for phrase, change in (moves or {}).items()
            if not priced or fits_with(config, estimate, **change)
        ]
        also = f", or {' or '.join(named)}" if named else ""
        if priced and controls:
            alone = [c for c in controls if fits_alone(config, c, estimate)]
            if not alone and not fits_with(config, estimate, **_lowest(config, controls)):
                controls = []  # not even all of them at their least: only the moves help, if any
            together = together or not alone
            controls = alone or controls
        if controls and together and len(controls) > 1:
            quoted = listing([f"'{label}'" for label in controls], "and")
            remedy = f"Lower {quoted} together (no one of them is enough){also}."
        elif controls:
            remedy = f"Lower {_either(controls)}{also}."
        elif named:  # only the moves
            rest = " or ".join(named)
            remedy = f"{rest[:1].upper()}{rest[1:]}."
        else:
            remedy = "No control here brings it within the limit."
        raise ValueError(f"{what} {cost} (limit {num(BUDGET_SECONDS, 6)} s). {remedy}")
    return seconds
