"""Initial schema: learners, review cards, reviews, class sessions, polls, votes, join failures.

Revision ID: 0001
Revises:
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True)


def upgrade() -> None:
    op.create_table(
        "learners",
        _id(),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "review_cards",
        _id(),
        sa.Column(
            "learner_id",
            sa.Integer(),
            sa.ForeignKey("learners.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("question", sa.String(80), nullable=False),
        sa.Column("box", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("last_grade", sa.String(8), nullable=False),
        sa.Column("last_reviewed_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("learner_id", "question", name="uq_card_question"),
    )
    op.create_index("ix_review_cards_learner_id", "review_cards", ["learner_id"])
    op.create_table(
        "reviews",
        _id(),
        sa.Column(
            "learner_id",
            sa.Integer(),
            sa.ForeignKey("learners.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("question", sa.String(80), nullable=False),
        sa.Column("grade", sa.String(8), nullable=False),
        sa.Column("ticked", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Double(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_reviews_learner_id", "reviews", ["learner_id"])
    op.create_table(
        "class_sessions",
        _id(),
        sa.Column("code", sa.String(8), nullable=False, unique=True),
        sa.Column("host_key", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_class_sessions_expires_at", "class_sessions", ["expires_at"])
    op.create_table(
        "polls",
        _id(),
        sa.Column(
            "class_id",
            sa.Integer(),
            sa.ForeignKey("class_sessions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("lesson", sa.String(80), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("revealed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_polls_class_id", "polls", ["class_id"])
    op.create_table(
        "votes",
        _id(),
        sa.Column(
            "poll_id", sa.Integer(), sa.ForeignKey("polls.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("voter", sa.String(64), nullable=False),
        sa.Column("choice", sa.Integer(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("poll_id", "voter", name="uq_vote_voter"),
    )
    op.create_table(
        "join_failures",
        _id(),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("failed_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_join_failures_client_at", "join_failures", ["client", "failed_at"])


def downgrade() -> None:
    for table in (
        "join_failures",
        "votes",
        "polls",
        "class_sessions",
        "reviews",
        "review_cards",
        "learners",
    ):
        op.drop_table(table)
