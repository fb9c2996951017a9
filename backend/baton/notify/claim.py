"""Claiming due alerts, so that each is pushed by one dispatcher of the several (app replicas,
`baton worker`) that may run against one database.

A batch is claimed in one statement (`FOR UPDATE SKIP LOCKED` on PostgreSQL; on SQLite the
single writer makes the UPDATE itself the lock). A claim takes a user's alerts whole: while one
dispatcher holds any of a user's alerts no other claims that user's (on PostgreSQL an advisory
lock per user orders concurrent claims), so digests and the rate cap are decided by one
dispatcher that sees everything the user has waiting. A claim is a short lease its owner
renews while it sends, so a dispatcher that dies mid-batch gives its alerts back in seconds.
"""

from datetime import datetime

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from baton.db.models import Alert, PushState

# pg_try_advisory_xact_lock(CLAIM_LOCK, user_id): one claimer of a user's alerts at a time.
CLAIM_LOCK = 0x6261746F  # "bato"


async def claim_due(
    session: AsyncSession, claimer: str, *, now: datetime, until: datetime, limit: int
) -> list[Alert]:
    """Up to `limit` due alerts, now held by `claimer` until `until`; the caller commits."""
    other = aliased(Alert)
    # Users another dispatcher holds, as one set read once (NOT IN): as a correlated
    # NOT EXISTS the plan hung on fresh statistics, and a burst of alerts queued before
    # autovacuum's ANALYZE made PostgreSQL rescan every queued alert per candidate (1 s a
    # claim for 10,000 queued).
    held_elsewhere = select(other.user_id).where(
        other.push_state == PushState.QUEUED,
        other.claimed_until >= now,
        other.claimed_by != claimer,
    )
    conditions = [
        Alert.push_state == PushState.QUEUED,
        Alert.next_attempt_at <= now,
        or_(Alert.claimed_until.is_(None), Alert.claimed_until < now),
        Alert.user_id.not_in(held_elsewhere),
    ]
    if session.get_bind().dialect.name == "postgresql":
        # Two claimers could each take part of one user's alerts before either commits;
        # the advisory lock (held to this transaction's commit) lets one claim a user at
        # a time, and the UPDATE below then sees the other's committed claim.
        candidates = list(
            await session.scalars(
                select(Alert.user_id)
                .where(*conditions)
                .group_by(Alert.user_id)
                .order_by(func.min(Alert.next_attempt_at))
                .limit(limit)
            )
        )
        if not candidates:
            return []
        locked = await session.scalars(
            text(
                "SELECT u FROM unnest(CAST(:ids AS integer[])) AS u"
                " WHERE pg_try_advisory_xact_lock(:key, u)"
            ),
            {"ids": candidates, "key": CLAIM_LOCK},
        )
        conditions.append(Alert.user_id.in_(list(locked)))
    due = (
        select(Alert.id)
        .where(*conditions)
        .order_by(Alert.next_attempt_at, Alert.id)
        .limit(limit)
        # PostgreSQL: rows another dispatcher is claiming are skipped, not waited for.
        # SQLite compiles this away; its one writer serialises the UPDATE instead.
        .with_for_update(skip_locked=True)
        # Read once, as a materialised CTE: inside `IN (...)` PostgreSQL may rescan the
        # subquery per row, and each rescan skips the rows this UPDATE has just claimed,
        # so the LIMIT stopped holding (seen: one dispatcher claimed 6 of a batch of 3).
        .cte("due")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    claimed = await session.scalars(
        update(Alert)
        .where(Alert.id.in_(select(due.c.id)))
        .values(claimed_by=claimer, claimed_until=until)
        .returning(Alert.id)
        .execution_options(synchronize_session=False)
    )
    ids = list(claimed)
    if not ids:
        return []
    rows = await session.scalars(select(Alert).where(Alert.id.in_(ids)).order_by(Alert.id))
    return list(rows)


async def renew_claim(
    session: AsyncSession, claimer: str, alert_ids: list[int], *, until: datetime
) -> None:
    """Extend the lease on those of `alert_ids` that `claimer` still holds."""
    await session.execute(
        update(Alert)
        .where(Alert.id.in_(alert_ids), Alert.claimed_by == claimer)
        .values(claimed_until=until)
        .execution_options(synchronize_session=False)
    )


async def seconds_to_next_due(session: AsyncSession, now: datetime) -> float:
    """Seconds until the next queued alert comes due (alerts due already but held by
    another dispatcher are left to the poll, or two dispatchers would spin on them)."""
    due = await session.scalar(
        select(func.min(Alert.next_attempt_at)).where(
            Alert.push_state == PushState.QUEUED, Alert.next_attempt_at > now
        )
    )
    if due is None:
        return float("inf")
    return max((due - now).total_seconds(), 0.0)
