"""Class polls: an instructor's class session, students who join by code, anonymous answers.

- A class session has a 6-character join code drawn with ``secrets`` from Crockford's 32-letter
  alphabet (no I, L, O or U; 32⁶ ≈ 1.07 billion codes), and expires ``CLASS_DURATION`` after it
  starts. Wrong codes are rate-limited per client (:mod:`study.ratelimit`).
- The host holds a secret token (its SHA-256 is stored); only the host opens and reveals polls.
- A poll is a lesson's prediction: its prompt and options. Opening one closes the class's
  previous poll. A student's answer is one row per (poll, voter) under a unique constraint, so a
  double click or two replicas count it once; the voter is a hash of the student's random seat
  token and the poll, so answers to different polls cannot be linked.
- Counts are for the host; a student's view gets them only once the poll is revealed
  (:func:`results` refuses otherwise).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from study import ratelimit
from study.db import utcnow
from study.models import ClassSession, Poll, Vote

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
CODE_LENGTH = 6
CLASS_DURATION = timedelta(hours=3)
KEEP_ENDED = timedelta(days=1)  # ended classes (and their answers) are deleted after this
MAX_OPTIONS = 8
TOKEN_BYTES = 16
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})  # what people type for 0 and 1


class PollError(ValueError):
    """An action the class or the poll does not allow now (ended class, revealed poll, ...)."""


@dataclass(frozen=True)
class ClassView:
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class PollView:
    id: int
    lesson: str
    prompt: str
    options: tuple[str, ...]
    revealed: bool


@dataclass(frozen=True)
class Joined:
    """The outcome of a join attempt: ``status`` is joined, wrong, malformed or limited."""

    status: str
    code: str | None = None
    retry_after: timedelta | None = None


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: object) -> str | None:
    """A typed code in canonical form (case, spaces and dashes ignored; O read as 0, I and L as
    1), or None when it cannot be a code."""
    if not isinstance(text, str) or len(text) > 32:
        return None
    code = "".join(text.split()).replace("-", "").upper().translate(_READ_AS)
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def new_token() -> str:
    """A host or seat token: 128 random bits, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def _hash(*parts: object) -> str:
    return hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()


def _active(session: Session, code: str, now: datetime) -> ClassSession | None:
    return session.scalar(
        select(ClassSession).where(
            ClassSession.code == code,
            ClassSession.expires_at > now,
            ClassSession.ended_at.is_(None),
        )
    )


def _hosted(session: Session, code: str, host_token: str, now: datetime) -> ClassSession:
    found = _active(session, code, now)
    if found is None:
        raise PollError("This class session has ended or expired.")
    if not secrets.compare_digest(found.host_key, _hash("host", host_token)):
        raise PollError("Only the instructor who started this class can do that.")
    return found


def start_class(session: Session, now: datetime | None = None) -> tuple[ClassView, str]:
    """A new class session: (its view, the host's secret token)."""
    now = now or utcnow()
    purge(session, now)
    token = new_token()
    for _ in range(10):
        code = new_code()
        try:
            with session.begin_nested():
                row = ClassSession(
                    code=code,
                    host_key=_hash("host", token),
                    created_at=now,
                    expires_at=now + CLASS_DURATION,
                )
                session.add(row)
            return ClassView(code, row.expires_at), token
        except IntegrityError:  # the code is taken (one chance in ~10⁸ per class kept)
            continue
    raise PollError("Could not find a free join code; try again.")


def find_class(session: Session, code: str, now: datetime | None = None) -> ClassView | None:
    """The active class with this (canonical) code, or None (unknown, ended or expired)."""
    found = _active(session, code, now or utcnow())
    return None if found is None else ClassView(found.code, found.expires_at)


def is_host(session: Session, code: str, host_token: str, now: datetime | None = None) -> bool:
    try:
        _hosted(session, code, host_token, now or utcnow())
    except PollError:
        return False
    return True


def join(session: Session, text: str, address: str | None, now: datetime | None = None) -> Joined:
    """Check a typed or linked join code for a client, under the rate limit."""
    now = now or utcnow()
    client = ratelimit.client_key(address)
    wait = ratelimit.retry_after(session, client, now)
    if wait is not None:
        return Joined("limited", retry_after=wait)
    code = normalize_code(text)
    if code is None:
        return Joined("malformed")
    if _active(session, code, now) is None:
        ratelimit.record_failure(session, client, now)
        return Joined("wrong")
    return Joined("joined", code)


def end_class(session: Session, code: str, host_token: str, now: datetime | None = None) -> None:
    now = now or utcnow()
    found = _hosted(session, code, host_token, now)
    found.ended_at = now
    session.execute(
        update(Poll)
        .where(Poll.class_id == found.id, Poll.closed_at.is_(None))
        .values(closed_at=now)
    )


def open_poll(
    session: Session,
    code: str,
    host_token: str,
    lesson: str,
    prompt: str,
    options: tuple[str, ...],
    now: datetime | None = None,
) -> PollView:
    """Put a lesson's prediction to the class (closing its previous poll)."""
    now = now or utcnow()
    if not 2 <= len(options) <= MAX_OPTIONS or len(set(options)) != len(options):
        raise PollError(f"a poll has 2 to {MAX_OPTIONS} different options; got {list(options)}.")
    found = _hosted(session, code, host_token, now)
    session.execute(
        update(Poll)
        .where(Poll.class_id == found.id, Poll.closed_at.is_(None))
        .values(closed_at=now)
    )
    poll = Poll(
        class_id=found.id, lesson=lesson, prompt=prompt, options=list(options), opened_at=now
    )
    session.add(poll)
    session.flush()
    return _view(poll)


def _view(poll: Poll) -> PollView:
    return PollView(
        poll.id, poll.lesson, poll.prompt, tuple(poll.options), poll.revealed_at is not None
    )


def current_poll(
    session: Session, code: str, lesson: str | None = None, now: datetime | None = None
) -> PollView | None:
    """The class's poll that is not closed (on ``lesson`` when given), or None."""
    found = _active(session, code, now or utcnow())
    if found is None:
        return None
    query = select(Poll).where(Poll.class_id == found.id, Poll.closed_at.is_(None))
    if lesson is not None:
        query = query.where(Poll.lesson == lesson)
    poll = session.scalar(query.order_by(Poll.id.desc()).limit(1))
    return None if poll is None else _view(poll)


def voter_of(seat_token: str, poll_id: int) -> str:
    """The stored voter: a hash of the seat and the poll (unlinkable across polls)."""
    return _hash("seat", seat_token, poll_id)


def vote(
    session: Session, poll_id: int, seat_token: str, choice: int, now: datetime | None = None
) -> bool:
    """Record a student's answer; True if counted now, False if this seat had answered already.

    Raises PollError when the poll is revealed or closed, or ``choice`` is not one of its options.
    """
    now = now or utcnow()
    poll = session.get(Poll, poll_id)
    if poll is None or poll.closed_at is not None or poll.revealed_at is not None:
        raise PollError("This poll is closed.")
    if isinstance(choice, bool) or not isinstance(choice, int):
        raise PollError(f"an answer is an option's number; got {choice!r}.")
    if not 0 <= choice < len(poll.options):
        raise PollError(f"this poll has options 0 to {len(poll.options) - 1}; got {choice}.")
    if _active(session, _class_code(session, poll), now) is None:
        raise PollError("This class session has ended or expired.")
    try:
        with session.begin_nested():
            session.add(
                Vote(
                    poll_id=poll_id,
                    voter=voter_of(seat_token, poll_id),
                    choice=choice,
                    answered_at=now,
                )
            )
    except IntegrityError:  # this seat's answer is already in (a double click, another replica)
        return False
    return True


def _class_code(session: Session, poll: Poll) -> str:
    return session.scalar(select(ClassSession.code).where(ClassSession.id == poll.class_id))


def my_answer(session: Session, poll_id: int, seat_token: str) -> int | None:
    """The option this seat chose, or None."""
    return session.scalar(
        select(Vote.choice).where(
            Vote.poll_id == poll_id, Vote.voter == voter_of(seat_token, poll_id)
        )
    )


def _counts(session: Session, poll: Poll) -> list[int]:
    rows = session.execute(
        select(Vote.choice, func.count(Vote.id))
        .where(Vote.poll_id == poll.id)
        .group_by(Vote.choice)
    ).all()
    counts = [0] * len(poll.options)
    for choice, n in rows:
        counts[choice] = n
    return counts


def live_counts(
    session: Session, code: str, host_token: str, poll_id: int, now: datetime | None = None
) -> list[int]:
    """Answers per option so far, for the host's projector (before or after the reveal)."""
    found = _hosted(session, code, host_token, now or utcnow())
    poll = session.get(Poll, poll_id)
    if poll is None or poll.class_id != found.id:
        raise PollError("No such poll in this class.")
    return _counts(session, poll)


def results(session: Session, poll_id: int) -> list[int]:
    """Answers per option for anyone in the class, once the host has revealed the poll."""
    poll = session.get(Poll, poll_id)
    if poll is None or poll.revealed_at is None:
        raise PollError("The answers are shown once the instructor reveals them.")
    return _counts(session, poll)


def reveal(
    session: Session, code: str, host_token: str, poll_id: int, now: datetime | None = None
) -> None:
    """Close the poll to answers and show its results to everyone."""
    now = now or utcnow()
    found = _hosted(session, code, host_token, now)
    poll = session.get(Poll, poll_id)
    if poll is None or poll.class_id != found.id:
        raise PollError("No such poll in this class.")
    if poll.revealed_at is None:
        poll.revealed_at = now


def purge(session: Session, now: datetime | None = None) -> None:
    """Delete classes ended or expired more than ``KEEP_ENDED`` ago, with their polls and
    answers, and join failures that have left the rate limit's window."""
    now = now or utcnow()
    old = select(ClassSession.id).where(
        (ClassSession.expires_at < now - KEEP_ENDED) | (ClassSession.ended_at < now - KEEP_ENDED)
    )
    old_polls = select(Poll.id).where(Poll.class_id.in_(old))
    session.execute(delete(Vote).where(Vote.poll_id.in_(old_polls)))
    session.execute(delete(Poll).where(Poll.class_id.in_(old)))
    session.execute(delete(ClassSession).where(ClassSession.id.in_(old)))
    ratelimit.purge(session, now)
