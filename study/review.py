"""Spaced review with Leitner boxes: a missed question comes back sooner, a known one later.

Each practised question is a card in one of five boxes. A self-grade moves it:

- **missed** → box 1, whatever its box (a lapse);
- **partly** → stays in its box (a new card starts in box 1);
- **knew it** → one box up, at most box 5 (a new card goes to box 2).

The card is then due after its box's interval: box 1 at once (it comes back in the same sitting,
after at least one other question: the practice page never repeats the card it just showed),
box 2 after 1 day, box 3 after 3 days, box 4 after 7 days, box 5 after 21 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from study import learners
from study.db import utcnow
from study.models import Card, Review

MISSED, PARTLY, KNEW = "missed", "partly", "knew"
GRADES = (MISSED, PARTLY, KNEW)
BOXES = 5
INTERVALS = {
    1: timedelta(0),
    2: timedelta(days=1),
    3: timedelta(days=3),
    4: timedelta(days=7),
    5: timedelta(days=21),
}


def next_box(box: int | None, grade: str) -> int:
    """The box a card moves to after ``grade`` (``box`` None for a card never practised)."""
    if grade not in GRADES:
        raise ValueError(f"a grade is one of {', '.join(GRADES)}; got {grade!r}.")
    if grade == MISSED:
        return 1
    if grade == PARTLY:
        return box or 1
    return min((box or 1) + 1, BOXES)


def grade_for(ticked: int, points: int) -> str:
    """The grade a checklist suggests: all key points knew it, half or more partly."""
    if points <= 0:
        return PARTLY
    if ticked >= points:
        return KNEW
    return PARTLY if 2 * ticked >= points else MISSED


@dataclass(frozen=True)
class CardState:
    """A card as the page shows it."""

    question: str
    box: int
    due_at: datetime
    reviews: int
    lapses: int
    last_grade: str

    def due(self, now: datetime) -> bool:
        return self.due_at <= now


def _state(card: Card) -> CardState:
    return CardState(
        card.question, card.box, card.due_at, card.reviews, card.lapses, card.last_grade
    )


def record(
    session: Session,
    code: str,
    question: str,
    grade: str,
    *,
    ticked: int = 0,
    points: int = 0,
    seconds: float | None = None,
    now: datetime | None = None,
) -> CardState:
    """Keep one self-graded practice of ``question`` and move its card; returns the card."""
    now = now or utcnow()
    if not 0 <= ticked <= max(points, 0):
        raise ValueError(f"ticked must be between 0 and points ({points}); got {ticked}.")
    learner = learners.find_or_create(session, code, now)
    card = session.scalar(
        select(Card).where(Card.learner_id == learner, Card.question == question).with_for_update()
    )
    box = next_box(None if card is None else card.box, grade)
    if card is None:
        card = Card(learner_id=learner, question=question, reviews=0, lapses=0)
        session.add(card)
    card.box = box
    card.due_at = now + INTERVALS[box]
    card.reviews += 1
    card.lapses += grade == MISSED
    card.last_grade = grade
    card.last_reviewed_at = now
    session.add(
        Review(
            learner_id=learner,
            question=question,
            grade=grade,
            ticked=ticked,
            points=points,
            seconds=seconds,
            reviewed_at=now,
        )
    )
    session.flush()
    return _state(card)


def cards(session: Session, code: str) -> list[CardState]:
    """Every card of the learner, soonest due first."""
    learner = learners.find(session, code)
    if learner is None:
        return []
    rows = session.scalars(
        select(Card).where(Card.learner_id == learner).order_by(Card.due_at, Card.question)
    )
    return [_state(c) for c in rows]


def due(session: Session, code: str, now: datetime | None = None) -> list[CardState]:
    """The learner's cards due at ``now``, most overdue first."""
    now = now or utcnow()
    return [c for c in cards(session, code) if c.due(now)]


def practised(session: Session, code: str) -> int:
    """How many practice answers the learner has graded."""
    learner = learners.find(session, code)
    if learner is None:
        return 0
    return session.scalar(select(func.count(Review.id)).where(Review.learner_id == learner)) or 0


def next_question(
    pool: list[str], states: list[CardState], now: datetime, *, avoid: str | None = None
) -> str | None:
    """What to practise next: the most overdue due card (not ``avoid``, the one just shown),
    else the first question of ``pool`` never practised, else the card due soonest."""
    known = {c.question: c for c in states if c.question in pool}
    due_now = [c for c in states if c.question in known and c.due(now) and c.question != avoid]
    if due_now:
        return min(due_now, key=lambda c: c.due_at).question
    fresh = [q for q in pool if q not in known and q != avoid]
    if fresh:
        return fresh[0]
    later = sorted((c for c in known.values() if c.question != avoid), key=lambda c: c.due_at)
    if later:
        return later[0].question
    return avoid if avoid in pool else None
