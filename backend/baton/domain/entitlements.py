"""Entitlements (权益): promises of counted uses ("6 free services within 3 years"), used at
service visits (journeys/entitlement_use.py); never more than promised, never after they
expire."""

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Promise, PromiseDue, PromiseStatus

USABLE = frozenset({PromiseStatus.PENDING, PromiseStatus.PARTIALLY_FULFILLED})


def remaining(promise: Promise, today: date) -> int:
    """Uses left today: none once expired, waived or cancelled."""
    if promise.due is not PromiseDue.ENTITLEMENT or promise.status not in USABLE:
        return 0
    if promise.entitlement_valid_until is None or promise.entitlement_valid_until < today:
        return 0
    return max(0, (promise.entitlement_total or 0) - promise.entitlement_used)


async def usable_entitlements(
    session: AsyncSession, customer_ids: Sequence[int], today: date
) -> list[Promise]:
    rows = await session.scalars(
        select(Promise)
        .where(
            Promise.customer_id.in_(customer_ids),
            Promise.due == PromiseDue.ENTITLEMENT,
            Promise.status.in_(USABLE),
        )
        .order_by(Promise.customer_id, Promise.id)
    )
    return [p for p in rows if remaining(p, today) > 0]
