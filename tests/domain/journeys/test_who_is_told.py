"""The one table of who is told of what: a test per row (DESIGN.md "Alerts", "Hot handover")."""

from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain import customers
from baton.domain.access import Actor, load_actor
from baton.domain.journeys import check_in, delivery_dates
from baton.domain.journeys.cases.escalation import sweep_escalations
from baton.domain.journeys.cases.raising import bring_in_collaborator, raise_case
from baton.domain.journeys.who_is_told import WHO_IS_TOLD
from baton.texts import catalogue
from tests.conftest import AsUser
from tests.support.cases import OrgChart, org_chart, touchpoint
from tests.support.orders import OrderRecord, submitted, tasks_by_kind
from tests.support.records import make_record
from tests.support.texts import alert_text
from tests.support.world import World

MakeOrder = Callable[..., Awaitable[OrderRecord]]
Kind = models.AlertKind


async def alerts_of(db: AsyncSession, user: Actor) -> list[models.Alert]:
    rows = await db.scalars(
        select(models.Alert).where(models.Alert.user_id == user.id).order_by(models.Alert.id)
    )
    return list(rows)


async def kinds_of(db: AsyncSession, user: Actor) -> list[Kind]:
    return [alert.kind for alert in await alerts_of(db, user)]


def test_every_alert_the_table_raises_has_a_title_and_body_in_both_languages() -> None:
    kinds = {notice.kind for notices in WHO_IS_TOLD.values() for notice in notices}
    for language in ("zh-CN", "en"):
        texts = catalogue(language)
        missing = [
            f"alert.{kind.value}.{part}"
            for kind in kinds
            for part in ("title", "body")
            if f"alert.{kind.value}.{part}" not in texts
        ]
        assert missing == [], language


async def test_a_submitted_order_tells_each_assignee_of_their_new_task(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=1)
    order = await submitted(db, record, as_user, clock)
    delivery = await as_user("delivery_specialist")
    found = await tasks_by_kind(db, order.id)
    mine = {kind for kind, task in found.items() if task.assignee_id == delivery.id}
    assert mine == {"three_way_intro", "three_party_confirmation", "prepare_promised_items"}
    alerts = await alerts_of(db, delivery)
    assert {(a.kind, a.subject_id) for a in alerts} == {
        (Kind.TASK_ASSIGNED, found[kind].id) for kind in mine
    }
    assert {a.kind for a in await alerts_of(db, record.sales)} == {Kind.TASK_ASSIGNED}


async def reschedule(
    db: AsyncSession, actor: Actor, record: OrderRecord, clock: ManualClock, *, days: int = 21
) -> models.DeliveryDateChange:
    change = await delivery_dates.reschedule_delivery(
        db,
        actor,
        record.order.id,
        new_date=record.today(clock) + timedelta(days=days),
        customer_told=False,
        customer_told_how="",
        reason="",
        expected_version=record.order.version,
        now=clock.now(),
    )
    await db.commit()
    return change


async def test_a_date_change_tells_sales_and_delivery_as_a_date_change_but_not_its_maker(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=1)
    await submitted(db, record, as_user, clock)
    delivery = await as_user("delivery_specialist")
    before = {"sales": await kinds_of(db, record.sales), "delivery": await kinds_of(db, delivery)}

    await reschedule(db, delivery, record, clock)

    assert await kinds_of(db, delivery) == before["delivery"]
    told = (await kinds_of(db, record.sales))[len(before["sales"]) :]
    assert told == [Kind.DELIVERY_DATE_CHANGED]
    [alert] = [a for a in await alerts_of(db, record.sales) if a.kind in told]
    title, body = await alert_text(db, alert, "en")
    assert title == f"Delivery date changed: {record.customer.name}"
    assert body.endswith("(customer not told yet, please call)")


async def test_a_date_change_awaiting_approval_tells_the_manager_and_sales_and_delivery(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=1)
    order = await submitted(db, record, as_user, clock)
    delivery, manager = await as_user("delivery_specialist"), await as_user("store_manager")
    await customers.record_special_circumstance(
        db,
        record.sales,
        record.customer.id,
        kind=models.CircumstanceKind.SOLD_OLD_CAR,
        note="",
        starts_on=None,
        ends_on=None,
        now=clock.now(),
    )
    before = len(await alerts_of(db, delivery))

    change = await reschedule(db, record.sales, record, clock)

    assert change.status is models.DateChangeStatus.PENDING_APPROVAL
    approval = (await tasks_by_kind(db, order.id))["approve_delivery_date_change"]
    [asked] = await alerts_of(db, manager)
    assert (asked.kind, asked.subject_type, asked.subject_id) == (
        Kind.APPROVAL_NEEDED,
        "Task",
        approval.id,
    )
    assert (await alert_text(db, asked))[0].startswith("待审批：审批改期（客户有特殊情况）")
    waiting = (await alerts_of(db, delivery))[before:]
    assert [a.kind for a in waiting] == [Kind.DELIVERY_DATE_CHANGE_REQUESTED]
    assert waiting[0].subject_id == change.id
    assert Kind.DELIVERY_DATE_CHANGE_REQUESTED not in await kinds_of(db, record.sales)

    await delivery_dates.decide_date_change(
        db,
        manager,
        change.id,
        approve=False,
        note="客户要求按原计划",
        expected_version=1,
        now=clock.now(),
    )
    await db.commit()
    for person in (record.sales, delivery):
        assert (await kinds_of(db, person))[-1] is Kind.DELIVERY_DATE_CHANGE_REJECTED
    rejected = (await alerts_of(db, delivery))[-1]
    assert (await alert_text(db, rejected))[1].endswith("不变更：客户要求按原计划")


async def test_an_approved_change_tells_sales_and_delivery_that_the_date_moved(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=1)
    await submitted(db, record, as_user, clock)
    delivery, manager = await as_user("delivery_specialist"), await as_user("store_manager")
    await customers.record_special_circumstance(
        db,
        record.sales,
        record.customer.id,
        kind=models.CircumstanceKind.TOOK_LEAVE,
        note="",
        starts_on=None,
        ends_on=None,
        now=clock.now(),
    )
    change = await reschedule(db, record.sales, record, clock)
    await delivery_dates.decide_date_change(
        db, manager, change.id, approve=True, note="", expected_version=1, now=clock.now()
    )
    await db.commit()
    for person in (record.sales, delivery):
        assert (await kinds_of(db, person))[-1] is Kind.DELIVERY_DATE_CHANGED
    assert await kinds_of(db, manager) == [Kind.APPROVAL_NEEDED]


async def test_a_check_in_tells_the_advisor_which_promises_are_still_open(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=2)
    advisor = await as_user("service_advisor")
    visit = await check_in.check_in_for_service(
        db,
        advisor,
        record.customer.id,
        vehicle_id=None,
        mileage_km=None,
        complaint="",
        now=clock.now(),
    )
    await db.commit()
    [alert] = await alerts_of(db, advisor)
    assert (alert.kind, alert.subject_id, alert.urgent) == (Kind.CUSTOMER_HERE, visit.id, True)
    title, body = await alert_text(db, alert)
    assert title == f"客户到店：{record.customer.name}"
    assert body == "2 项承诺未兑现\n• 全车脚垫\n• 家用充电桩安装"


async def _a_case(db: AsyncSession, world: World, clock: ManualClock) -> tuple[OrgChart, int]:
    org = await org_chart(db, world)
    advisor = await load_actor(db, await world.staff(db, models.Role.SERVICE_ADVISOR))
    record = await make_record(db, advisor, clock, name="王芳")
    case = await raise_case(
        db,
        org.sales,
        customer_id=record.customer.id,
        touchpoint_id=await touchpoint(db, world, "temporary_plate"),
        summary="临牌",
        now=clock.now(),
    )
    await db.commit()
    return org, case.id


async def test_a_raised_case_tells_its_owner_and_the_supervisor_not_the_raiser(
    db: AsyncSession, world: World, clock: ManualClock
) -> None:
    org, _ = await _a_case(db, world, clock)
    assert await kinds_of(db, org.delivery_supervisor) == [Kind.CASE_ASSIGNED]
    assert await kinds_of(db, org.sales) == []
    [alert] = await alerts_of(db, org.delivery_supervisor)
    assert await alert_text(db, alert, "en") == (
        "New case: 王芳 (Temporary plate)",
        "Owned by delivery; settle it within 1 day or it escalates",
    )
    assert alert.url.startswith("/cases/")


async def test_a_collaborator_brought_in_is_told(
    db: AsyncSession, world: World, clock: ManualClock
) -> None:
    org, case_id = await _a_case(db, world, clock)
    await bring_in_collaborator(
        db,
        org.delivery_supervisor,
        case_id,
        department=models.Department.SERVICE,
        user_id=None,
        now=clock.now(),
    )
    await db.commit()
    assert await kinds_of(db, org.service_supervisor) == [Kind.CASE_COLLABORATOR_ADDED]


async def test_an_escalated_case_tells_the_new_level_and_the_owner_and_raiser(
    db: AsyncSession, world: World, clock: ManualClock
) -> None:
    org, _ = await _a_case(db, world, clock)
    await sweep_escalations(db, now=clock.now() + timedelta(days=1))
    assert await kinds_of(db, org.delivery_manager) == [Kind.CASE_ESCALATED]
    assert await kinds_of(db, org.sales) == [Kind.CASE_ESCALATED_OWNER]
    assert Kind.CASE_ESCALATED_OWNER in await kinds_of(db, org.delivery_supervisor)
    [alert] = await alerts_of(db, org.delivery_manager)
    assert await alert_text(db, alert) == (
        "问题单升至第 2 级：王芳（临牌）",
        "部门经理协调，请在 24 小时内决定",
    )


async def test_a_preemption_tells_both_sides_and_the_manager_only_when_no_car_is_free(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, world: World
) -> None:
    from baton.domain.journeys.cars.booking import book_car
    from baton.domain.journeys.cars.preemption import preempt_booking
    from tests.support.cars import SATURDAY, at, make_fleet

    fleet = await make_fleet(db, world, backups=1)
    advisor = await as_user("service_advisor")
    sales = await as_user("sales_consultant")
    manager = await as_user("store_manager")
    for hour in (10, 14):
        await book_car(
            db,
            advisor,
            fleet.car_id,
            starts_at=at(SATURDAY, hour),
            ends_at=at(SATURDAY, hour + 2),
            now=clock.now(),
        )
    # The backup car is free in the morning only.
    await book_car(
        db,
        advisor,
        fleet.backup_ids[0],
        starts_at=at(SATURDAY, 14),
        ends_at=at(SATURDAY, 16),
        now=clock.now(),
    )
    await db.commit()
    # The first displaced booking takes the one backup car, the second finds none.
    await preempt_booking(
        db,
        sales,
        fleet.car_id,
        starts_at=at(SATURDAY, 9),
        ends_at=at(SATURDAY, 17),
        reason="车展",
        now=clock.now(),
    )
    await db.commit()
    assert await kinds_of(db, advisor) == [Kind.CAR_BOOKING_PREEMPTED] * 2
    assert await kinds_of(db, sales) == [Kind.CAR_PREEMPTION_MADE] * 2
    assert await kinds_of(db, manager) == [Kind.CAR_NEEDED]
