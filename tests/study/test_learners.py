"""Learner codes: random, unguessable, never stored; export gives everything, delete removes it."""

import json

import pytest
from sqlalchemy import select

from study import learners, review
from study.models import Learner


def test_codes_are_random_url_safe_and_128_bits():
    codes = {learners.new_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(learners.valid_code(c) for c in codes)
    assert not learners.valid_code("short")
    assert not learners.valid_code("a" * 21 + "!")
    assert not learners.valid_code(None)
    with pytest.raises(ValueError):
        learners.key_of("<script>")


def test_the_database_keeps_a_hash_not_the_code(store):
    code = learners.new_code()
    with store.write() as s:
        review.record(s, code, "lesson:trees", review.KNEW, ticked=3, points=3)
    with store.read() as s:
        keys = s.scalars(select(Learner.key)).all()
    assert code not in keys and learners.key_of(code) in keys


def test_export_lists_the_queue_and_the_log_as_json(store):
    code = learners.new_code()
    with store.write() as s:
        review.record(s, code, "lesson:trees", review.KNEW, ticked=2, points=2, seconds=40.0)
        review.record(s, code, "quiz:softmax", review.MISSED, ticked=0, points=2)
    with store.read() as s:
        data = learners.export(s, code)
    json.dumps(data)
    assert data["format"] == learners.EXPORT_FORMAT
    assert [c["question"] for c in data["review_queue"]] == ["lesson:trees", "quiz:softmax"]
    assert [r["grade"] for r in data["practice_log"]] == ["knew", "missed"]
    assert data["practice_log"][0]["seconds"] == 40.0


def test_delete_removes_only_that_learner(store):
    mine, theirs = learners.new_code(), learners.new_code()
    with store.write() as s:
        for code in (mine, theirs):
            review.record(s, code, "lesson:trees", review.KNEW, ticked=1, points=1)
    with store.write() as s:
        assert learners.forget(s, mine)
        assert not learners.forget(s, mine)
    with store.read() as s:
        assert learners.export(s, mine)["review_queue"] == []
        assert review.practised(s, mine) == 0
        assert review.practised(s, theirs) == 1
