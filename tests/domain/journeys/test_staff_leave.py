"""Staff who leave: everything they hold passes to a successor in one step, and they are out."""

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.db.models import Base
from baton.domain import auth
from baton.domain.errors import Forbidden, NotFound, RuleViolation, ValidationFailed
from baton.domain.journeys import check_in, staff_leave
from tests.conftest import AsUser
from tests.support.counts import row_counts
from tests.support.orders import OrderRecord, submitted
from tests.support.texts import alert_text, timeline_summary

MakeOrder = Callable[..., Awaitable[OrderRecord]]

# Columns that name a person for the record (who wrote, witnessed, decided, was alerted):
# history, which stays with whoever did it. Every other column pointing at a user is a
# responsibility, and must be one of staff_leave.HOLDINGS.
HISTORICAL = {
    ("alerts", "user_id"),
    # A feed shows its owner's own bookings and deadlines, and stops for an inactive user.
    ("calendar_feeds", "user_id"),
    ("car_uses", "checked_out_by_id"),
    ("car_uses", "returned_by_id"),
    ("loaner_requests", "requested_by_id"),
    ("cases", "raised_by_id"),
    ("cases", "closed_by_id"),
    ("case_collaborators", "added_by_id"),
    ("case_comments", "author_id"),
    ("audit_entries", "actor_id"),
    ("checklist_signatures", "witness_id"),
    ("feedback", "created_by_id"),
    ("special_circumstances", "created_by_id"),
    ("delivery_date_changes", "requested_by_id"),
    ("delivery_date_changes", "decided_by_id"),
    ("deliveries", "completed_by_id"),
    ("entitlement_uses", "recorded_by_id"),
    ("handover_briefs", "written_by_id"),
    ("idempotency_keys", "user_id"),
    ("push_subscriptions", "user_id"),
    ("tasks", "completed_by_id"),
    ("teaching_sessions", "author_id"),
    ("teaching_sessions", "teacher_id"),
    ("timeline_events", "actor_id"),
    ("uploads", "uploaded_by_id"),
    ("user_sessions", "user_id"),
}


def user_columns() -> set[tuple[str, str]]:
    return {
        (table.name, column.name)
        for table in Base.metadata.tables.values()
        for column in table.columns
        for key in column.foreign_keys
        if key.column.table.name == "users"
    }


def test_every_column_naming_a_user_is_either_history_or_a_holding_that_passes_on() -> None:
    holdings = {(h.model.__tablename__, h.column) for h in staff_leave.HOLDINGS}
    assert user_columns() - HISTORICAL == holdings


async def left_with(db: AsyncSession, user_id: int) -> dict[str, int]:
    """What the user still holds, per holding (all zero once they have left)."""
    found = {}
    for holding in staff_leave.HOLDINGS:
        column = getattr(holding.model, holding.column)
        query = select(func.count()).select_from(holding.model)
        found[holding.name] = await db.scalar(query.where(column == user_id, holding.still_open))
    return found


async def test_a_leaving_delivery_specialist_hands_everything_to_the_successor(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=2)
    await submitted(db, record, as_user, clock)
    leaver = await as_user("delivery_specialist")
    successor = await as_user("delivery_specialist", name="接班人")
    manager = await as_user("store_manager")
    token = "a-phone-of-the-leaver"
    db.add(
        models.UserSession(
            token_hash=auth._token_hash(token),
            user_id=leaver.id,
            created_at=clock.now(),
            expires_at=clock.now() + timedelta(days=1),
        )
    )
    await db.commit()
    before = await left_with(db, leaver.id)
    assert before["tasks"] == 3 and before["deliveries"] == 1

    await staff_leave.hand_over_and_deactivate(
        db, manager, leaver.id, successor_id=successor.id, now=clock.now()
    )
    await db.commit()

    assert set((await left_with(db, leaver.id)).values()) == {0}
    taken = await left_with(db, successor.id)
    assert taken["tasks"] == 3 and taken["deliveries"] == 1
    assert leaver.user.is_active is False
    assert await auth.signed_in(db, token, clock.now()) is None
    event = await db.scalar(
        select(models.TimelineEvent).where(models.TimelineEvent.kind == "staff_took_over")
    )
    assert event is not None and event.customer_id == record.customer.id
    assert timeline_summary(event, "en") == f"{leaver.user.display_name} left; 接班人 took over"
    [told] = await db.scalars(
        select(models.Alert).where(
            models.Alert.user_id == successor.id,
            models.Alert.kind == models.AlertKind.STAFF_TOOK_OVER,
        )
    )
    assert (await alert_text(db, told, "en"))[1] == "1 customers, 3 open tasks"


async def test_the_sales_consultants_open_orders_promises_and_visits_pass_on(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=2)
    advisor = await as_user("service_advisor")
    await check_in.check_in_for_service(
        db,
        advisor,
        record.customer.id,
        vehicle_id=None,
        mileage_km=None,
        complaint="",
        now=clock.now(),
    )
    successor = await as_user("sales_consultant", name="新销售")
    manager = await as_user("store_manager")
    assert (await left_with(db, record.sales.id))["orders"] == 1
    assert (await left_with(db, record.sales.id))["promises"] == 2
    await staff_leave.hand_over_and_deactivate(
        db, manager, record.sales.id, successor_id=successor.id, now=clock.now()
    )
    await db.commit()
    assert set((await left_with(db, record.sales.id)).values()) == {0}
    assert (await left_with(db, successor.id))["promises"] == 2
    other_advisor = await as_user("service_advisor", name="新顾问")
    await staff_leave.hand_over_and_deactivate(
        db, manager, advisor.id, successor_id=other_advisor.id, now=clock.now()
    )
    assert (await left_with(db, other_advisor.id))["visits"] == 1


@pytest.mark.parametrize("successor_role", ["sales_consultant", "store_manager"])
async def test_a_successor_of_another_role_or_store_is_refused_and_nothing_changes(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, successor_role: str
) -> None:
    leaver = await as_user("delivery_specialist")
    manager = await as_user("store_manager")
    other_store = await as_user("delivery_specialist", store="B")
    wrong_role = await as_user(successor_role, name="不对口")
    await db.commit()
    before, leaver_id = await row_counts(db), leaver.id
    for successor in (wrong_role, other_store, leaver):
        with pytest.raises(ValidationFailed) as refused:
            await staff_leave.hand_over_and_deactivate(
                db, manager, leaver.id, successor_id=successor.id, now=clock.now()
            )
        assert refused.value.problems[0].path == "input.successorId"
    await db.rollback()
    assert await row_counts(db) == before
    still = select(models.User.is_active).where(models.User.id == leaver_id)
    assert await db.scalar(still) is True


async def test_only_a_manager_of_the_store_decides_and_not_about_themselves(
    db: AsyncSession, as_user: AsUser, clock: ManualClock
) -> None:
    leaver = await as_user("delivery_specialist")
    successor = await as_user("delivery_specialist", name="接班人")
    with pytest.raises(Forbidden):
        await staff_leave.hand_over_and_deactivate(
            db,
            await as_user("sales_consultant"),
            leaver.id,
            successor_id=successor.id,
            now=clock.now(),
        )
    with pytest.raises(NotFound):
        await staff_leave.hand_over_and_deactivate(
            db,
            await as_user("store_manager", store="B"),
            leaver.id,
            successor_id=successor.id,
            now=clock.now(),
        )
    manager = await as_user("store_manager")
    other_manager = await as_user("store_manager", name="副店长")
    with pytest.raises(RuleViolation) as refused:
        await staff_leave.hand_over_and_deactivate(
            db, manager, manager.id, successor_id=other_manager.id, now=clock.now()
        )
    assert [r.code for r in refused.value.reasons] == ["self"]
