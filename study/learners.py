"""A learner is a random private code in their link: no account, no personal data.

The code (``secrets.token_urlsafe(16)``: 128 random bits, 22 URL-safe characters) is the only
key to a learner's progress; the database keeps its SHA-256, so a copy of the database gives no
working link. A learner can export everything kept under their code, and delete it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from study.db import utcnow
from study.models import Card, Learner, Review

CODE_BYTES = 16
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{22}")
EXPORT_FORMAT = "ml-interview-lab/progress/1"


def new_code() -> str:
    """A fresh private learner code (22 URL-safe characters, 128 random bits)."""
    return secrets.token_urlsafe(CODE_BYTES)


def valid_code(code: object) -> bool:
    return isinstance(code, str) and CODE_PATTERN.fullmatch(code) is not None


def key_of(code: str) -> str:
    """What the database stores for a code: its SHA-256 in hex."""
    if not valid_code(code):
        raise ValueError("a learner code is 22 URL-safe characters (letters, digits, - and _).")
    return hashlib.sha256(code.encode()).hexdigest()


def find(session: Session, code: str) -> int | None:
    """The learner's row id, or None when nothing has been kept under ``code`` yet."""
    return session.scalar(select(Learner.id).where(Learner.key == key_of(code)))


def find_or_create(session: Session, code: str, now: datetime | None = None) -> int:
    """The learner's row id, created on the first write (two replicas at once: one row)."""
    found = find(session, code)
    if found is not None:
        return found
    try:
        with session.begin_nested():
            learner = Learner(key=key_of(code), created_at=now or utcnow())
            session.add(learner)
        return learner.id
    except IntegrityError:  # another process created it between the select and the insert
        return find(session, code)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds") + "Z"


def export(session: Session, code: str, now: datetime | None = None) -> dict:
    """Everything kept under ``code``, as JSON-ready data (empty lists for an unknown code)."""
    learner = find(session, code)
    cards = reviews = []
    if learner is not None:
        cards = session.scalars(
            select(Card).where(Card.learner_id == learner).order_by(Card.question)
        ).all()
        reviews = session.scalars(
            select(Review).where(Review.learner_id == learner).order_by(Review.id)
        ).all()
    return {
        "format": EXPORT_FORMAT,
        "exported_at": _iso(now or utcnow()),
        "review_queue": [
            {
                "question": c.question,
                "box": c.box,
                "due_at": _iso(c.due_at),
                "reviews": c.reviews,
                "lapses": c.lapses,
                "last_grade": c.last_grade,
                "last_reviewed_at": _iso(c.last_reviewed_at),
            }
            for c in cards
        ],
        "practice_log": [
            {
                "question": r.question,
                "grade": r.grade,
                "key_points_ticked": r.ticked,
                "key_points": r.points,
                "seconds": r.seconds,
                "at": _iso(r.reviewed_at),
            }
            for r in reviews
        ],
    }


def forget(session: Session, code: str) -> bool:
    """Delete everything kept under ``code``; True when there was something to delete."""
    learner = find(session, code)
    if learner is None:
        return False
    # Children first: the foreign keys cascade too, but not every SQLite connection enforces them.
    session.execute(delete(Card).where(Card.learner_id == learner))
    session.execute(delete(Review).where(Review.learner_id == learner))
    session.execute(delete(Learner).where(Learner.id == learner))
    return True
