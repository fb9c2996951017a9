"""My tasks: overdue, today (store-local), upcoming; high-priority customers first."""

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain import customers, tasks
from tests.conftest import AsUser


async def test_tasks_fall_into_overdue_today_and_upcoming_by_store_local_day(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, make_customer: object
) -> None:
    advisor = await as_user("service_advisor")
    now = clock.now()  # 10:00 in Shanghai
    store_id = advisor.user.store_id or 0
    plan = {
        "overdue": now - timedelta(hours=1),
        "later today": now + timedelta(hours=13, minutes=59),  # 23:59 Shanghai
        "tomorrow": now + timedelta(hours=14, minutes=1),  # 00:01 Shanghai next day
    }
    for subject, due in plan.items():
        await tasks.create_task(
            db,
            store_id=store_id,
            kind="callback",
            params={"customer": subject},
            assignee_id=advisor.id,
            due_at=due,
            now=now,
        )
    await db.commit()
    buckets = await tasks.my_tasks(db, advisor, now=now, time_zone="Asia/Shanghai")
    assert [t.params["customer"] for t in buckets.overdue] == ["overdue"]
    assert [t.params["customer"] for t in buckets.today] == ["later today"]
    assert [t.params["customer"] for t in buckets.upcoming] == ["tomorrow"]


async def test_high_priority_customers_come_first_within_a_group(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, make_customer: object
) -> None:
    advisor = await as_user("service_advisor")
    calm = await make_customer(name="平常")  # type: ignore[operator]
    urgent = await make_customer(name="着急")  # type: ignore[operator]
    await customers.record_special_circumstance(
        db,
        advisor,
        urgent.customer.id,
        kind=models.CircumstanceKind.SOLD_OLD_CAR,
        note="",
        starts_on=date(2026, 11, 20),
        ends_on=None,
        now=clock.now(),
    )
    now = clock.now()
    for record, offset in ((calm, 1), (urgent, 2)):
        await tasks.create_task(
            db,
            store_id=advisor.user.store_id or 0,
            kind="callback",
            params={"customer": record.customer.name},
            assignee_id=advisor.id,
            due_at=now + timedelta(hours=offset),
            now=now,
            customer_id=record.customer.id,
        )
    await db.commit()
    buckets = await tasks.my_tasks(db, advisor, now=now, time_zone="Asia/Shanghai")
    assert [t.params["customer"] for t in buckets.today] == ["着急", "平常"]


async def test_others_tasks_and_done_tasks_are_not_mine(
    db: AsyncSession, as_user: AsUser, clock: ManualClock
) -> None:
    advisor = await as_user("service_advisor")
    sales = await as_user("sales_consultant")
    now = clock.now()
    theirs = await tasks.create_task(
        db,
        store_id=sales.user.store_id or 0,
        kind="call",
        params={"customer": "theirs"},
        assignee_id=sales.id,
        due_at=now,
        now=now,
    )
    done = await tasks.create_task(
        db,
        store_id=advisor.user.store_id or 0,
        kind="call",
        params={"customer": "done"},
        assignee_id=advisor.id,
        due_at=now,
        now=now,
    )
    done.state = models.TaskState.DONE
    await db.commit()
    buckets = await tasks.my_tasks(db, advisor, now=now, time_zone="Asia/Shanghai")
    assert buckets.overdue == buckets.today == buckets.upcoming == []
    assert theirs.assignee_id == sales.id
