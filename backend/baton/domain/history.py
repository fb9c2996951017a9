"""What happened: the customer timeline (时间线) every department reads, and the audit trail
of who changed what. A change is usually told to both at once: `record`."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import AuditEntry, TimelineEvent, User
from baton.db.models.base import Base
from baton.domain.access import Actor


def add_timeline_event(
    session: AsyncSession,
    actor: Actor | None,
    *,
    customer_id: int,
    kind: str,
    now: datetime,
    params: dict[str, Any] | None = None,
    subject: Base | None = None,
) -> TimelineEvent:
    """One line; its summary is rendered from `kind` and `params` when read (baton/texts)."""
    event = TimelineEvent(
        customer_id=customer_id,
        at=now,
        kind=kind,
        department=actor.department if actor else None,
        actor_id=actor.id if actor else None,
        params=params or {},
        subject_type=type(subject).__name__ if subject is not None else None,
        subject_id=subject.id if subject is not None else None,  # type: ignore[attr-defined]
    )
    session.add(event)
    return event


def add_audit_entry(
    session: AsyncSession,
    actor: Actor,
    *,
    action: str,
    entity: Base,
    now: datetime,
    changes: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEntry(
            at=now,
            actor_id=actor.id,
            store_id=actor.user.store_id,
            action=action,
            entity_type=type(entity).__name__,
            entity_id=entity.id,  # type: ignore[attr-defined]
            changes=changes or {},
        )
    )


def record(
    session: AsyncSession,
    actor: Actor,
    subject: Base,
    *,
    customer_id: int,
    kind: str,
    params: dict[str, Any],
    action: str,
    changes: dict[str, Any],
    now: datetime,
    audited: Base | None = None,
) -> None:
    """A change told twice: to the customer's timeline (`kind`, `params`, about `subject`)
    and to the audit trail (`action`, `changes`, on `audited`, by default the subject)."""
    add_timeline_event(
        session, actor, customer_id=customer_id, kind=kind, now=now, params=params, subject=subject
    )
    add_audit_entry(
        session, actor, action=action, entity=audited or subject, now=now, changes=changes
    )


@dataclass(frozen=True)
class TimelinePage:
    events: list[TimelineEvent]
    has_next: bool
    # The staff who acted, read in the same statement (the record shows each event's actor).
    actors: list[User] = field(default_factory=list)


def _pages_statement(*, after_cursor: bool) -> Select[TimelineEvent, User]:
    """Each customer's newest events, ranked, and their actors. Built once per shape (a first
    page, a page after a cursor): every record asks it, only its values change."""
    rank = (
        func.row_number()
        .over(
            partition_by=TimelineEvent.customer_id,
            order_by=(TimelineEvent.at.desc(), TimelineEvent.id.desc()),
        )
        .label("rank")
    )
    inner = select(TimelineEvent.id, rank).where(
        TimelineEvent.customer_id.in_(bindparam("customer_ids", expanding=True))
    )
    if after_cursor:
        at: BindParameter[datetime] = bindparam("before_at")
        event_id: BindParameter[int] = bindparam("before_id")
        inner = inner.where(
            (TimelineEvent.at < at) | ((TimelineEvent.at == at) & (TimelineEvent.id < event_id))
        )
    ranked = inner.subquery()
    return (
        select(TimelineEvent, User)
        .join(ranked, ranked.c.id == TimelineEvent.id)
        .outerjoin(User, User.id == TimelineEvent.actor_id)
        .where(ranked.c.rank <= bindparam("kept"))
        .order_by(TimelineEvent.customer_id, TimelineEvent.at.desc(), TimelineEvent.id.desc())
    )


_FIRST_PAGES = _pages_statement(after_cursor=False)
_LATER_PAGES = _pages_statement(after_cursor=True)


async def timeline_pages(
    session: AsyncSession,
    customer_ids: Sequence[int],
    *,
    first: int,
    before: tuple[datetime, int] | None,
) -> dict[int, TimelinePage]:
    """Newest first, `first` per customer, in one statement however many customers are asked."""
    values: dict[str, Any] = {"customer_ids": list(customer_ids), "kept": first + 1}
    if before is not None:
        values["before_at"], values["before_id"] = before
    statement = _LATER_PAGES if before is not None else _FIRST_PAGES
    rows = await session.execute(statement, values)
    grouped: dict[int, list[TimelineEvent]] = {customer_id: [] for customer_id in customer_ids}
    actors: dict[int, dict[int, User]] = {customer_id: {} for customer_id in customer_ids}
    for event, actor in rows:
        grouped[event.customer_id].append(event)
        if actor is not None:
            actors[event.customer_id][actor.id] = actor
    return {
        customer_id: TimelinePage(
            events[:first], len(events) > first, list(actors[customer_id].values())
        )
        for customer_id, events in grouped.items()
    }
