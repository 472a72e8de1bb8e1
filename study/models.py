"""The tables: learners and their review cards, class sessions, polls and their answers.

No personal data: a learner is the SHA-256 of the private code in their link (the code itself is
never stored), a student's answer carries a hash of a random seat token and the poll, and a
client's failed join attempts a hash of its address. Times are UTC without a time zone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

HASH = 64  # a SHA-256 in hex
QUESTION_KEY = 80  # "lesson:vanishing_gradients", "quiz:backprop_gradient"


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=False)}  # noqa: RUF012


class Learner(Base):
    """Someone practising, known only by the hash of the code in their link."""

    __tablename__ = "learners"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(HASH), unique=True)
    created_at: Mapped[datetime]


class Card(Base):
    """One question in one learner's review queue: its Leitner box and when it is due."""

    __tablename__ = "review_cards"
    __table_args__ = (UniqueConstraint("learner_id", "question", name="uq_card_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(String(QUESTION_KEY))
    box: Mapped[int]
    due_at: Mapped[datetime]
    reviews: Mapped[int]
    lapses: Mapped[int]  # self-graded "missed"
    last_grade: Mapped[str] = mapped_column(String(8))
    last_reviewed_at: Mapped[datetime]


class Review(Base):
    """One practised question: the self-grade and the key points ticked (the typed answer is
    shown back to the learner and never stored)."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(String(QUESTION_KEY))
    grade: Mapped[str] = mapped_column(String(8))
    ticked: Mapped[int]
    points: Mapped[int]
    seconds: Mapped[float | None]
    reviewed_at: Mapped[datetime]


class ClassSession(Base):
    """An instructor's class: a short join code, the hash of the host's secret, an expiry."""

    __tablename__ = "class_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    host_key: Mapped[str] = mapped_column(String(HASH))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime | None]


class Poll(Base):
    """A lesson's prediction put to the class: open until revealed, closed by the next poll."""

    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(
        ForeignKey("class_sessions.id", ondelete="CASCADE"), index=True
    )
    lesson: Mapped[str] = mapped_column(String(QUESTION_KEY))
    prompt: Mapped[str] = mapped_column(Text)
    options: Mapped[list] = mapped_column(JSON)
    opened_at: Mapped[datetime]
    revealed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]


class Vote(Base):
    """One student's answer to one poll: counted once (the unique constraint), anonymous."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("poll_id", "voter", name="uq_vote_voter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    voter: Mapped[str] = mapped_column(String(HASH))
    choice: Mapped[int]
    answered_at: Mapped[datetime]


class JoinFailure(Base):
    """A wrong join code from a client (hashed address): the rate limit counts these."""

    __tablename__ = "join_failures"
    __table_args__ = (Index("ix_join_failures_client_at", "client", "failed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client: Mapped[str] = mapped_column(String(HASH))
    failed_at: Mapped[datetime]
