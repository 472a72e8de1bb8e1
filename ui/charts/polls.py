"""The class poll's histogram: one bar per option, its count written at the bar's end."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ui.charts import OKABE_ITO, finish


def poll_histogram(options, counts, *, title: str, highlight: str | None = None) -> alt.LayerChart:
    """Horizontal bars of ``counts`` per option (in the poll's order); ``highlight`` (the run's
    answer, after the reveal) is drawn in green, the others in blue."""
    frame = pd.DataFrame(
        {
            "option": list(options),
            "answers": [int(c) for c in counts],
            "order": range(len(options)),
            "kind": ["answer" if o == highlight else "other" for o in options],
        }
    )
    top = max(1, int(frame["answers"].max()))
    y = alt.Y("option:N", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelLimit=220))
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(
                "answers:Q",
                title="answers",
                scale=alt.Scale(domain=[0, top * 1.15]),
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            y=y,
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(
                    domain=["other", "answer"],
                    range=[OKABE_ITO["blue"], OKABE_ITO["bluish_green"]],
                ),
                legend=None,
            ),
            tooltip=["option:N", "answers:Q"],
        )
    )
    labels = bars.mark_text(align="left", dx=4, fontSize=14).encode(
        text="answers:Q", color=alt.value("#000000")
    )
    return finish(alt.layer(bars, labels), title=title, height=max(120, 48 * len(options)))
