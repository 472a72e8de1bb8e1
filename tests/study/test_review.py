"""Leitner boxes: a missed question comes back at once, a known one later and later."""

from datetime import datetime, timedelta

import pytest

from study import learners, review

T0 = datetime(2026, 1, 5, 9, 0)


@pytest.mark.parametrize(
    ("box", "grade", "after"),
    [
        (None, "knew", 2),
        (None, "partly", 1),
        (None, "missed", 1),
        (1, "knew", 2),
        (3, "knew", 4),
        (5, "knew", 5),
        (4, "partly", 4),
        (4, "missed", 1),
    ],
)
def test_boxes_move_by_grade(box, grade, after):
    assert review.next_box(box, grade) == after


def test_intervals_grow_with_the_box():
    gaps = [review.INTERVALS[b] for b in range(1, review.BOXES + 1)]
    assert gaps[0] == timedelta(0)
    assert gaps == sorted(gaps) and len(set(gaps)) == len(gaps)
    with pytest.raises(ValueError):
        review.next_box(1, "perfect")


def test_checklist_suggests_a_grade():
    assert review.grade_for(4, 4) == "knew"
    assert review.grade_for(2, 4) == "partly"
    assert review.grade_for(1, 4) == "missed"
    assert review.grade_for(0, 0) == "partly"


def test_a_missed_card_is_due_now_and_a_known_one_tomorrow(store):
    code = learners.new_code()
    with store.write() as s:
        known = review.record(s, code, "lesson:trees", "knew", ticked=3, points=3, now=T0)
        missed = review.record(s, code, "lesson:dropout", "missed", now=T0)
    assert known.box == 2 and known.due_at == T0 + timedelta(days=1)
    assert missed.box == 1 and missed.due_at == T0
    with store.read() as s:
        assert [c.question for c in review.due(s, code, T0)] == ["lesson:dropout"]
        day_later = review.due(s, code, T0 + timedelta(days=1))
        assert {c.question for c in day_later} == {"lesson:trees", "lesson:dropout"}


def test_a_lapse_sends_a_card_back_to_box_one(store):
    code = learners.new_code()
    with store.write() as s:
        for day in range(3):
            review.record(s, code, "q", "knew", now=T0 + timedelta(days=day * 30))
        card = review.record(s, code, "q", "missed", now=T0 + timedelta(days=100))
    assert (card.box, card.reviews, card.lapses) == (1, 4, 1)


def test_next_question_prefers_due_cards_then_new_ones_and_never_repeats_at_once():
    pool = ["a", "b", "c"]
    due_a = review.CardState("a", 1, T0, 1, 1, "missed")
    later_b = review.CardState("b", 2, T0 + timedelta(days=1), 1, 0, "knew")
    assert review.next_question(pool, [due_a, later_b], T0) == "a"
    assert review.next_question(pool, [due_a, later_b], T0, avoid="a") == "c"
    everything = [due_a, later_b, review.CardState("c", 3, T0 + timedelta(days=3), 2, 0, "knew")]
    assert review.next_question(pool, everything, T0, avoid="a") == "b"
    assert review.next_question(["a"], [due_a], T0, avoid="a") == "a"
