"""Class polls in the database: codes, joining under a rate limit, one answer per seat, results
only after the reveal, expiry."""

import threading
from datetime import timedelta

import pytest

from study import polls, ratelimit
from study.db import Store, utcnow

T0 = utcnow().replace(microsecond=0)  # classes started "now" stay open for the test
OPTIONS = ("Batch GD", "Mini-batch", "SGD")


def _class_with_poll(store, now=T0):
    with store.write() as s:
        room, host = polls.start_class(s, now)
        poll = polls.open_poll(s, room.code, host, "gradient_descent", "Which?", OPTIONS, now)
    return room, host, poll


def test_codes_use_32_letters_and_six_places():
    assert len(set(polls.ALPHABET)) == 32 and not set("ILOU") & set(polls.ALPHABET)
    codes = {polls.new_code() for _ in range(2000)}
    assert len(codes) > 1990 and all(len(c) == 6 for c in codes)
    assert polls.normalize_code(" 7k3-qzo ") == "7K3QZ0"
    assert polls.normalize_code("il0000") == "110000"
    for bad in ("", "ABCDE", "ABCDEFG", "ABCDE!", None, "x" * 100):
        assert polls.normalize_code(bad) is None


def test_a_wrong_code_is_refused_and_attempts_are_rate_limited(store):
    with store.write() as s:
        room, _ = polls.start_class(s, T0)
    wrong = "000000" if room.code != "000000" else "111111"
    for i in range(ratelimit.MAX_FAILURES):
        with store.write() as s:
            assert polls.join(s, wrong, "10.0.0.9", T0 + timedelta(seconds=i)).status == "wrong"
    with store.write() as s:
        limited = polls.join(s, room.code, "10.0.0.9", T0 + timedelta(seconds=30))
    assert limited.status == "limited" and limited.retry_after <= ratelimit.WINDOW
    with store.write() as s:  # another client is not affected
        assert polls.join(s, room.code, "10.0.0.10", T0 + timedelta(seconds=30)).code == room.code
        # malformed codes are refused without counting
        assert polls.join(s, "hello", "10.0.0.10", T0).status == "malformed"
        assert ratelimit.failures(s, ratelimit.client_key("10.0.0.10"), T0) == 0
    later = T0 + ratelimit.WINDOW + timedelta(minutes=1)
    with store.write() as s:
        assert polls.join(s, room.code, "10.0.0.9", later).status == "joined"


def test_one_answer_per_seat_even_when_sent_twice(store):
    _, _, poll = _class_with_poll(store)
    seat = polls.new_token()
    with store.write() as s:
        assert polls.vote(s, poll.id, seat, 2, T0)
    with store.write() as s:
        assert not polls.vote(s, poll.id, seat, 0, T0)
    with store.read() as s:
        assert polls.my_answer(s, poll.id, seat) == 2


def test_concurrent_double_answers_from_many_threads_count_once(database_url, store):
    room, host, poll = _class_with_poll(store)
    seats = [polls.new_token() for _ in range(12)]
    errors = []

    def answer(seat, choice):
        try:
            with store.write() as s:
                polls.vote(s, poll.id, seat, choice)
        except Exception as err:  # pragma: no cover - the assertion below shows it
            errors.append(err)

    threads = [
        threading.Thread(target=answer, args=(seat, i % 3))
        for i, seat in enumerate(seats)
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with store.read() as s:
        assert sum(polls.live_counts(s, room.code, host, poll.id)) == 12


def test_students_see_no_counts_before_the_reveal(store):
    room, host, poll = _class_with_poll(store)
    with store.write() as s:
        polls.vote(s, poll.id, polls.new_token(), 0)
    with store.read() as s, pytest.raises(polls.PollError):
        polls.results(s, poll.id)
    with store.read() as s:
        assert polls.live_counts(s, room.code, host, poll.id) == [1, 0, 0]
    with store.write() as s:
        polls.reveal(s, room.code, host, poll.id)
    with store.read() as s:
        assert polls.results(s, poll.id) == [1, 0, 0]
    with store.write() as s, pytest.raises(polls.PollError):
        polls.vote(s, poll.id, polls.new_token(), 1)


def test_only_the_host_opens_and_reveals(store):
    room, host, poll = _class_with_poll(store)
    intruder = polls.new_token()
    with store.write() as s:
        assert polls.is_host(s, room.code, host) and not polls.is_host(s, room.code, intruder)
        with pytest.raises(polls.PollError):
            polls.reveal(s, room.code, intruder, poll.id)
        with pytest.raises(polls.PollError):
            polls.open_poll(s, room.code, intruder, "trees", "?", ("a", "b"))
        with pytest.raises(polls.PollError):
            polls.live_counts(s, room.code, intruder, poll.id)


def test_answers_must_be_one_of_the_options(store):
    _, _, poll = _class_with_poll(store)
    with store.write() as s:
        for bad in (-1, 3, "0", 1.0, True):
            with pytest.raises(polls.PollError):
                polls.vote(s, poll.id, polls.new_token(), bad)


def test_a_new_poll_closes_the_previous_one(store):
    room, host, first = _class_with_poll(store)
    with store.write() as s:
        second = polls.open_poll(s, room.code, host, "trees", "Which deeper?", ("a", "b"))
    with store.read() as s:
        assert polls.current_poll(s, room.code).id == second.id
        assert polls.current_poll(s, room.code, lesson="gradient_descent") is None
    with store.write() as s, pytest.raises(polls.PollError):
        polls.vote(s, first.id, polls.new_token(), 0)


def test_a_class_expires_and_is_purged_a_day_later(store):
    room, _host, poll = _class_with_poll(store)
    after = T0 + polls.CLASS_DURATION + timedelta(seconds=1)
    with store.write() as s:
        assert polls.find_class(s, room.code, T0) is not None
        assert polls.find_class(s, room.code, after) is None
        assert polls.join(s, room.code, "10.1.1.1", after).status == "wrong"
        assert polls.current_poll(s, room.code, now=after) is None
        with pytest.raises(polls.PollError):
            polls.vote(s, poll.id, polls.new_token(), 0, after)
    with store.write() as s:
        polls.purge(s, after + polls.KEEP_ENDED + timedelta(minutes=1))
    with store.read() as s:
        assert polls.find_class(s, room.code, T0) is None


def test_a_host_can_end_the_class_early(store):
    room, host, _ = _class_with_poll(store)
    with store.write() as s:
        polls.end_class(s, room.code, host, T0 + timedelta(minutes=5))
    with store.read() as s:
        assert polls.find_class(s, room.code, T0 + timedelta(minutes=6)) is None


def test_two_stores_on_one_database_share_the_class(database_url, store):
    """Two replicas: one store starts the class and opens a poll, the other joins and answers."""
    room, host, poll = _class_with_poll(store, now=None)
    other = Store(database_url)
    try:
        with other.write() as s:
            assert polls.join(s, room.code, "10.2.2.2").status == "joined"
            assert polls.vote(s, polls.current_poll(s, room.code).id, "seat-1", 1)
    finally:
        other.dispose()
    with store.read() as s:
        assert polls.live_counts(s, room.code, host, poll.id) == [0, 1, 0]
