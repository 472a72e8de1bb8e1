"""Charts of the imbalance lesson: valid Vega-Lite, titled axes, the operating point as a named
dataset, the palette's fixed colours, bounded row counts."""

import json

import pytest

from core.experiments import imbalance as im
from tests.ui.specs import checked
from ui.charts import OKABE_ITO, to_spec
from ui.charts import imbalance as ic


@pytest.fixture(scope="module")
def result():
    return im.run(im.Config(n_samples=4_000, prevalence=0.05))


def _charts(result):
    point = result.point("logistic", 0.3)
    return {
        "roc": ic.roc_chart(result.roc),
        "pr": ic.pr_chart(result.pr, result.info["test_prevalence"]),
        "confusion": ic.confusion_chart(point),
        "sweep": ic.sweep_chart(result.sweep),
        "remedies": ic.remedies_chart(result.remedies, "logistic"),
        "reliability": ic.reliability_chart(result.calibration, "boosting"),
    }


def test_every_chart_has_a_title_and_two_titled_axes(result):
    for chart in _charts(result).values():
        checked(chart)


def test_the_curves_read_the_operating_point_from_a_named_dataset(result):
    point = result.point("boosting", 0.2)
    data = ic.point_data(point, "boosting")[ic.POINT]
    assert data.loc[0, "fpr"] == point["fpr"] and data.loc[0, "recall"] == point["recall"]
    for chart in (ic.roc_chart(result.roc), ic.pr_chart(result.pr, 0.05)):
        text = json.dumps(chart.to_dict())
        assert f'"name": "{ic.POINT}"' in text
    nothing = result.point("logistic", 0.999)
    if not nothing["flagged"]:  # no precision: drawn where the curve ends, (0, 1)
        row = ic.point_data(nothing, "logistic")[ic.POINT].iloc[0]
        assert (row["recall"], row["precision"]) == (0.0, 1.0)


def test_models_keep_their_colours_and_rows_stay_few(result):
    spec = json.dumps(ic.roc_chart(result.roc).to_dict())
    assert OKABE_ITO["blue"] in spec and OKABE_ITO["reddish_purple"] in spec
    for name, chart in _charts(result).items():
        rows = sum(
            len(v) for v in to_spec(chart).get("datasets", {}).values() if hasattr(v, "__len__")
        )
        assert rows <= 3_000, name


def test_the_confusion_matrix_shows_the_four_counts(result):
    point = result.point("logistic", 0.3)
    values = ic.confusion_chart(point).to_dict()
    text = json.dumps(values)
    for cell in ("tp", "fp", "fn", "tn"):
        assert f"{cell.upper()} {point[cell]:,}" in text
