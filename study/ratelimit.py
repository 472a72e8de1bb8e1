"""Wrong join codes are rate-limited per client, in the shared database (so across replicas).

A client is a hash of its network address. At most ``MAX_FAILURES`` wrong codes per client in a
sliding ``WINDOW``; past that every attempt is refused, right or wrong, until the oldest failure
leaves the window. Codes that cannot be a code (wrong length or letters) are refused without
counting: they could never match, so they cannot help a guesser.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from study.models import JoinFailure

MAX_FAILURES = 20
WINDOW = timedelta(minutes=10)


def client_key(address: str | None) -> str:
    """What the table stores for a client: a hash of its address (never the address)."""
    return hashlib.sha256(f"lab-join:{address or 'unknown'}".encode()).hexdigest()


def retry_after(session: Session, client: str, now: datetime) -> timedelta | None:
    """None while ``client`` may try a code; else how long until it may again."""
    since = now - WINDOW
    failures = session.scalars(
        select(JoinFailure.failed_at)
        .where(JoinFailure.client == client, JoinFailure.failed_at > since)
        .order_by(JoinFailure.failed_at.desc())
        .limit(MAX_FAILURES)
    ).all()
    if len(failures) < MAX_FAILURES:
        return None
    return failures[-1] + WINDOW - now


def record_failure(session: Session, client: str, now: datetime) -> None:
    session.add(JoinFailure(client=client, failed_at=now))


def failures(session: Session, client: str, now: datetime) -> int:
    """Wrong codes from ``client`` inside the window."""
    return session.scalar(
        select(func.count(JoinFailure.id)).where(
            JoinFailure.client == client, JoinFailure.failed_at > now - WINDOW
        )
    )


def purge(session: Session, now: datetime) -> None:
    """Forget failures that have left the window."""
    session.execute(delete(JoinFailure).where(JoinFailure.failed_at <= now - WINDOW))
