"""A bottom legend takes as many columns as fit the plot's width (ui.charts.legend_columns): a
fixed three cut optimizers' third column ("Nesterov", "Adam", "Noisy GD") off a phone's plot."""

import re

import altair as alt

from core.experiments.optimizers.experiment import LABELS
from ui.charts import legend_columns

# Plot widths measured in chromium: the optimizers' loss chart at 390 px and at 1400 px.
PHONE_PLOT_PX, DESKTOP_PLOT_PX = 264, 360


def columns_at(legend, width: float) -> int:
    """The columns a ``legend_columns`` value gives at a plot ``width`` (its expression read as
    Vega reads it: the first threshold met, else 1)."""
    if not isinstance(legend, alt.ExprRef):
        return legend
    for threshold, columns in re.findall(r"width >= (\d+) \? (\d+)", legend.expr):
        if width >= int(threshold):
            return int(columns)
    return 1


def test_nine_optimizers_take_one_column_on_a_phone_and_three_on_a_desktop():
    labels = list(LABELS.values())
    assert len(labels) == 9
    legend = legend_columns(labels, 3)
    assert columns_at(legend, PHONE_PLOT_PX) == 1
    assert columns_at(legend, DESKTOP_PLOT_PX) == 3


def test_more_room_never_gives_fewer_columns_and_never_more_than_asked():
    labels = ["Gradient descent", "Momentum", "a", "bb", "Saddle-free Newton", "x" * 30]
    legend = legend_columns(labels, 4)
    counts = [columns_at(legend, w) for w in range(0, 1500, 5)]
    assert counts == sorted(counts) and counts[0] == 1 and counts[-1] == 4


def test_one_label_or_one_column_asked_is_a_plain_count():
    assert legend_columns(["only"], 3) == 1
    assert legend_columns(["a", "b", "c"], 1) == 1
