"""Hypothesis strategies drawn from a Config's own declaration (core.config): its whole settings space."""

from __future__ import annotations

import math

from hypothesis import strategies as st

from core.config import params


def _log_floats(low: float, high: float):
    return st.floats(math.log10(low), math.log10(high)).map(lambda e: min(high, max(low, 10**e)))


def field_strategy(param):
    """Every valid value of one field: its grid, its bounds and the values between them."""
    if param.kind == "number":
        between = (
            _log_floats(param.low, param.high) if param.log else st.floats(param.low, param.high)
        )
        edges = st.sampled_from([param.low, param.high, *param.grid])
        return st.one_of(edges, between)
    if param.kind == "integer":
        values = st.integers(int(param.low), int(param.high))
        if param.grid:
            values = st.one_of(st.sampled_from(param.grid), values)
        return st.one_of(st.none(), values) if param.optional else values
    if param.kind == "choice":
        return st.sampled_from(param.grid)
    if param.kind == "flag":
        return st.booleans()
    if param.kind == "subset":
        return st.lists(
            st.sampled_from(param.grid),
            unique=True,
            min_size=int(param.low),
            max_size=int(param.high),
        ).map(tuple)
    raise ValueError(f"no strategy for a {param.kind!r} field; pass one in overrides")


@st.composite
def configs(draw, config_class, *, max_seconds: float | None = None, **overrides):
    """A valid ``config_class`` drawn over every declared field.

    ``overrides`` maps a field to a fixed value or a strategy (text fields need one). A draw the
    Config refuses (a rule between fields, the work budget) is rejected, so only settings the
    app can run are tested; ``max_seconds`` rejects those estimated slower (a test's own budget).
    """
    values = {}
    for name, param in params(config_class).items():
        if name in overrides:
            given = overrides[name]
            values[name] = draw(given) if isinstance(given, st.SearchStrategy) else given
        elif param.kind != "text":
            values[name] = draw(field_strategy(param))
    try:
        config = config_class(**values)
    except ValueError:
        from hypothesis import reject

        reject()
    if max_seconds is not None:
        import sys

        from hypothesis import assume

        module = sys.modules[config_class.__module__]
        assume(module.estimated_seconds(config) <= max_seconds)
    return config
