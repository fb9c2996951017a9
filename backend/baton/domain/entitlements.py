"""Entitlements (权益): promises of counted uses ("6 free services within 3 years"), used at
service visits (journeys/entitlement_use.py); never more than promised, never after they
expire."""

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Promise, PromiseDue
from baton.domain.promises import IN_PROGRESS, uses_left


async def usable_entitlements(
    session: AsyncSession, customer_ids: Sequence[int], today: date
) -> list[Promise]:
    rows = await session.scalars(
        select(Promise)
        .where(
            Promise.customer_id.in_(customer_ids),
            Promise.due == PromiseDue.ENTITLEMENT,
            Promise.status.in_(IN_PROGRESS),
        )
        .order_by(Promise.customer_id, Promise.id)
    )
    return [p for p in rows if uses_left(p, today) > 0]
