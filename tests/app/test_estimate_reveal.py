"""The graded estimate beside the answer that prints the same value (ui.lesson.reveal_answer)."""

import re
from decimal import Decimal

import pytest

from core.experiments import attention
from core.facts import agrees
from tests.app.conftest import open_page

PAGE = "app_pages/attention.py"


@pytest.mark.parametrize("typed", [0.85595, 0.8559, 0.7])
def test_a_verdict_is_never_contradicted_by_the_answers_rounding_of_the_value(typed):
    """Audit 38d: at the attention defaults the answer says the top weight 'averages 0.956'
    (0.95585); a typed 0.85595 was graded 'the run's value 0.9558: within ±0.1 ..., so it
    counts', though 0.956 - 0.85595 = 0.10005. Each number of the answer that rounds the value
    gives the typed estimate the same verdict, or the estimate's line names it as a rounding."""
    config = attention.Config()
    answer = next(f for f in attention.facts(config, attention.run(config)) if f.slot == "answer")
    value, estimate = answer.values["mean"], attention.PREDICTION.estimate
    at = open_page(PAGE, state={"estimate_attention": typed})
    assert not at.exception
    line = next(e.value for e in [*at.success, *at.warning] if e.value.startswith("Your estimate"))
    assert ("so it counts" in line) == estimate.grade(typed, value)
    for token in re.findall(r"\d+\.\d+", answer.text):  # its fractions, to their last digit
        if float(token) != value and agrees(token, Decimal(repr(value))):
            same = estimate.grade(typed, float(token)) == estimate.grade(typed, value)
            assert same or f"rounds it to {token}" in line


def test_a_typed_number_past_the_stated_tolerance_is_not_said_to_count():
    """Audit 42g: at the attention defaults (top weight 0.9558493745083477) a typed
    0.8558493745083278, 0.10000000000002 away, was graded 'within ±0.1 of the run's value, so
    it counts' (a relative slack of 1e-12 in Estimate.grade). The verdict holds on the exact
    decimals: the typed number as printed and the run's value."""
    config = attention.Config()
    answer = next(f for f in attention.facts(config, attention.run(config)) if f.slot == "answer")
    value, estimate = answer.values["mean"], attention.PREDICTION.estimate
    typed = 0.8558493745083278
    assert abs(Decimal(repr(typed)) - Decimal(repr(value))) > Decimal(repr(estimate.tolerance))
    at = open_page(PAGE, state={"estimate_attention": typed})
    assert not at.exception
    line = next(e.value for e in [*at.success, *at.warning] if e.value.startswith("Your estimate"))
    assert "so it counts" not in line and "not within ±0.1" in line


def test_the_estimates_line_prints_the_value_on_its_side_of_the_answers_category_edges():
    """Audit pass 48 e: with d_k up to 16, 4 keys, 100 draws, σ = 0.5 and seed 362 the top key's
    weight averages 0.49996: the answer is "under 0.5" and prints "averages 0.49996", but the
    typed estimate's line printed "the run's value 0.5" at 4 digits, the edge of the category
    "0.5 to 0.9". The value prints on the same side of every category edge as it is, and never
    on an edge it is not, with at least the digits the answer prints it with."""
    query = {"dk": "16", "keys": "4", "draws": "100", "sigma": "0.5", "seed": "362"}
    config = attention.Config(max_d_k=16, n_keys=4, n_draws=100, entry_std=0.5, seed=362)
    answer = next(f for f in attention.facts(config, attention.run(config)) if f.slot == "answer")
    value = answer.values["mean"]
    assert 0.4999 < value < 0.5 and answer.values["answer"] == "under 0.5"  # the witness
    at = open_page(PAGE, query=query, state={"estimate_attention": 0.3})
    assert not at.exception
    line = next(e.value for e in [*at.success, *at.warning] if e.value.startswith("Your estimate"))
    shown = Decimal(re.search(r"the run's value ([-\d.e+]+)", line).group(1).rstrip("."))
    for edge in (Decimal("0.5"), Decimal("0.9")):
        assert (shown >= edge) == (Decimal(repr(value)) >= edge), line
        assert shown != edge or Decimal(repr(value)) == edge, line
