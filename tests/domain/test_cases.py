"""Cases: they land with the touchpoint's owner department and stay there; collaborators help;
closing needs a resolution and the customer's confirmation; reopening is for 7 days."""

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.db.models import CaseState, ConfirmationChannel, Department
from baton.domain.cases import ladder, lifecycle, ownership, queries
from baton.domain.errors import Forbidden, NotFound, RuleViolation, ValidationFailed
from baton.domain.journeys.cases.raising import bring_in_collaborator, raise_case
from baton.texts import Reader
from tests.support.cases import OrgChart, org_chart, touchpoint
from tests.support.counts import row_counts
from tests.support.records import Record
from tests.support.world import World

MakeCustomer = Callable[..., Awaitable[Record]]


@pytest.fixture
async def org(db: AsyncSession, world: World) -> OrgChart:
    return await org_chart(db, world)


async def raised_at_delivery(
    db: AsyncSession, org: OrgChart, world: World, clock: ManualClock, customer_id: int
) -> models.Case:
    case = await raise_case(
        db,
        org.sales,
        customer_id=customer_id,
        touchpoint_id=await touchpoint(db, world, "temporary_plate"),
        summary="临牌还没办好，客户明天要出差",
        now=clock.now(),
    )
    await db.commit()
    return case


async def alerts_of(db: AsyncSession, user_id: int) -> list[models.AlertKind]:
    rows = await db.scalars(select(models.Alert).where(models.Alert.user_id == user_id))
    return [alert.kind for alert in rows]


async def test_a_case_at_a_delivery_touchpoint_lands_with_delivery_and_its_supervisor(
    db: AsyncSession, org: OrgChart, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer()
    case = await raised_at_delivery(db, org, world, clock, record.customer.id)

    assert case.owner_department is Department.DELIVERY
    assert case.owner_id == org.delivery_supervisor.id
    assert case.raised_by_id == org.sales.id
    assert case.level == 1 and case.state is CaseState.OPEN
    assert case.level_due_at == clock.now() + timedelta(days=1)
    assert await alerts_of(db, org.delivery_supervisor.id) == [models.AlertKind.CASE_ASSIGNED]
    assert await alerts_of(db, org.sales.id) == []
    timeline = await db.scalars(
        select(models.TimelineEvent.kind).where(
            models.TimelineEvent.customer_id == record.customer.id
        )
    )
    assert "case_raised" in list(timeline)


async def test_a_named_owner_owns_it_and_the_supervisor_is_told_too(
    db: AsyncSession, org: OrgChart, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer()
    point = await db.get(models.Touchpoint, await touchpoint(db, world, "temporary_plate"))
    assert point is not None
    point.owner_id = org.delivery.id
    await db.commit()
    case = await raised_at_delivery(db, org, world, clock, record.customer.id)

    assert case.owner_id == org.delivery.id
    assert await alerts_of(db, org.delivery.id) == [models.AlertKind.CASE_ASSIGNED]
    assert await alerts_of(db, org.delivery_supervisor.id) == [models.AlertKind.CASE_ASSIGNED]


async def test_a_case_for_another_stores_customer_is_not_found_and_writes_nothing(
    db: AsyncSession, org: OrgChart, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    other = await make_customer(store="B")
    before = await row_counts(db)
    with pytest.raises(NotFound) as refused:
        await raise_case(
            db,
            org.sales,
            customer_id=other.customer.id,
            touchpoint_id=await touchpoint(db, world, "temporary_plate"),
            summary="x",
            now=clock.now(),
        )
    assert refused.value.path == "input.customerId"
    await db.rollback()
    assert await row_counts(db) == before


async def test_a_touchpoint_of_another_store_is_not_found_and_writes_nothing(
    db: AsyncSession, org: OrgChart, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    await org_chart(db, world, "B")
    record = await make_customer()
    before = await row_counts(db)
    with pytest.raises(NotFound) as refused:
        await raise_case(
            db,
            org.sales,
            customer_id=record.customer.id,
            touchpoint_id=await touchpoint(db, world, "temporary_plate", store="B"),
            summary="x",
            now=clock.now(),
        )
    assert refused.value.path == "input.touchpointId"
    await db.rollback()
    assert await row_counts(db) == before


async def test_a_case_without_a_summary_is_refused(
    db: AsyncSession, org: OrgChart, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer()
    with pytest.raises(ValidationFailed) as refused:
        await raise_case(
            db,
            org.sales,
            customer_id=record.customer.id,
            touchpoint_id=await touchpoint(db, world, "temporary_plate"),
            summary="  ",
            now=clock.now(),
        )
    assert [p.path for p in refused.value.problems] == ["input.summary"]


async def test_a_complaint_raises_a_case_that_says_so(
    db: AsyncSession, org: OrgChart, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer()
    feedback = models.Feedback(
        customer_id=record.customer.id,
        kind=models.FeedbackKind.COMPLAINT,
        department=Department.SERVICE,
        text="充电桩装了一个月还没通电",
        created_by_id=org.advisor.id,
        created_at=clock.now(),
    )
    db.add(feedback)
    await db.commit()
    case = await raise_case(
        db,
        org.advisor,
        customer_id=record.customer.id,
        touchpoint_id=await touchpoint(db, world, "home_charger_booking"),
        summary=feedback.text,
        feedback_id=feedback.id,
        now=clock.now(),
    )
    assert case.source is models.CaseSource.COMPLAINT
    assert case.owner_department is Department.DELIVERY


@pytest.mark.parametrize("to", ["raiser", "other_department"])
async def test_the_owner_department_keeps_the_case_and_a_bounce_is_refused_and_counted(
    db: AsyncSession,
    org: OrgChart,
    world: World,
    clock: ManualClock,
    make_customer: MakeCustomer,
    to: str,
) -> None:
    record = await make_customer()
    case = await raised_at_delivery(db, org, world, clock, record.customer.id)
    case_id = case.id
    before = await row_counts(db)
    target = org.sales.id if to == "raiser" else org.advisor.id
    with pytest.raises(RuleViolation) as refused:
        await ownership.refuse_handing_on(db, org.delivery_supervisor, case_id, user_id=target)
    assert [r.code for r in refused.value.reasons] == ["owner_keeps_case"]
    reason = refused.value.reasons[0]
    assert Reader("en", "Asia/Shanghai").say(reason.key, reason.params) == (
        "the owner department keeps the case; add a collaborator instead"
    )
    assert not db.new and not db.dirty
    assert await row_counts(db) == before

    await ownership.count_refused_bounce(
        db, org.delivery_supervisor, case_id, department="sales", now=clock.now()
    )
    await db.commit()
    case = await db.get(models.Case, case_id)  # type: ignore[assignment]
    assert case is not None
    assert case.bounce_attempts == 1
    assert case.owner_department is Department.DELIVERY
    assert case.owner_id == org.delivery_supervisor.id


async def test_a_collaborator_is_told_can_comment_and_ownership_stays(
    db: AsyncSession, org: OrgChart, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer()
    case = await raised_at_delivery(db, org, world, clock, record.customer.id)
    await bring_in_collaborator(
        db,
        org.delivery_supervisor,
        case.id,
        department=Department.SALES,
        user_id=None,
        now=clock.now(),
    )
    await db.commit()
    assert await alerts_of(db, org.sales_supervisor.id) == [
        models.AlertKind.CASE_COLLABORATOR_ADDED
    ]
    await lifecycle.comment_on_case(
        db, org.sales_supervisor, case.id, text="我来联系车管所", now=clock.now()
    )
    await db.commit()
    await db.refresh(case)
    assert case.owner_department is Department.DELIVERY
    assert await db.scalar(select(func.count()).select_from(models.CaseComment)) == 1


async def test_only_the_owner_side_adds_collaborators_and_not_the_owner_department(
    db: AsyncSession, org: OrgChart, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer()
    case = await raised_at_delivery(db, org, world, clock, record.customer.id)
    with pytest.raises(Forbidden):
        await bring_in_collaborator(
            db, org.sales, case.id, department=Department.SERVICE, user_id=None, now=clock.now()
        )
    with pytest.raises(ValidationFailed) as refused:
        await bring_in_collaborator(
            db,
            org.delivery_supervisor,
            case.id,
            department=Department.DELIVERY,
            user_id=None,
            now=clock.now(),
        )
    assert [p.code for p in refused.value.problems] == ["is_owner"]


async def test_someone_outside_the_case_may_not_comment(
    db: AsyncSession, org: OrgChart, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer()
    case = await raised_at_delivery(db, org, world, clock, record.customer.id)
    with pytest.raises(Forbidden):
        await lifecycle.comment_on_case(db, org.advisor, case.id, text="?", now=clock.now())


async def test_closing_needs_a_resolution_and_the_customers_confirmation(
    db: AsyncSession, org: OrgChart, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer()
    case = await raised_at_delivery(db, org, world, clock, record.customer.id)
    before = await row_counts(db)
    with pytest.raises(ValidationFailed) as refused:
        await lifecycle.close_case(
            db,
            org.delivery_supervisor,
            case.id,
            resolution=" ",
            confirmed_by="",
            confirmed_via=None,
            expected_version=case.version,
            now=clock.now(),
        )
    assert {p.path for p in refused.value.problems} == {
        "input.resolution",
        "input.confirmedBy",
        "input.confirmedVia",
    }
    await db.rollback()
    assert await row_counts(db) == before


async def test_the_raiser_may_not_confirm_someone_elses_case(
    db: AsyncSession, org: OrgChart, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer()
    case = await raised_at_delivery(db, org, world, clock, record.customer.id)
    before = await row_counts(db)
    with pytest.raises(Forbidden):
        await lifecycle.close_case(
            db,
            org.sales,
            case.id,
            resolution="已办好",
            confirmed_by="张伟",
            confirmed_via=ConfirmationChannel.PHONE,
            expected_version=case.version,
            now=clock.now(),
        )
    await db.rollback()
    assert await row_counts(db) == before


async def test_the_owner_closes_with_confirmation_and_may_reopen_within_seven_days(
    db: AsyncSession, org: OrgChart, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer()
    case = await raised_at_delivery(db, org, world, clock, record.customer.id)
    clock.advance(timedelta(hours=5))
    await lifecycle.close_case(
        db,
        org.delivery_supervisor,
        case.id,
        resolution="临牌已办好，客户到店取走",
        confirmed_by="张伟本人",
        confirmed_via=ConfirmationChannel.IN_PERSON,
        expected_version=case.version,
        now=clock.now(),
    )
    await db.commit()
    assert case.state is CaseState.CLOSED and case.resolved_level == 1
    assert case.confirmed_via is ConfirmationChannel.IN_PERSON
    held = ladder.held_time(await ladder.spells_of(db, case.id), clock.now())
    assert [(h.level, h.department, h.seconds) for h in held] == [
        (1, Department.DELIVERY, 5 * 3600)
    ]

    clock.advance(timedelta(days=7))
    await lifecycle.reopen_case(
        db,
        org.sales,
        case.id,
        reason="正式牌照又出问题",
        expected_version=case.version,
        now=clock.now(),
    )
    await db.commit()
    assert case.state is CaseState.OPEN and case.level == 1 and case.reopened_count == 1
    assert case.owner_department is Department.DELIVERY


async def test_a_case_closed_more_than_seven_days_ago_is_not_reopened(
    db: AsyncSession, org: OrgChart, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer()
    case = await raised_at_delivery(db, org, world, clock, record.customer.id)
    await lifecycle.close_case(
        db,
        org.delivery_supervisor,
        case.id,
        resolution="好了",
        confirmed_by="张伟",
        confirmed_via=ConfirmationChannel.PHONE,
        expected_version=case.version,
        now=clock.now(),
    )
    await db.commit()
    clock.advance(timedelta(days=7, seconds=1))
    with pytest.raises(RuleViolation) as refused:
        await lifecycle.reopen_case(
            db,
            org.sales,
            case.id,
            reason="又坏了",
            expected_version=case.version,
            now=clock.now(),
        )
    assert [r.code for r in refused.value.reasons] == ["reopen_window_passed"]


async def test_the_raiser_and_the_owner_see_the_same_case_in_their_cases(
    db: AsyncSession, org: OrgChart, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer()
    case = await raised_at_delivery(db, org, world, clock, record.customer.id)
    assert [c.id for c in await queries.my_cases(db, org.sales, now=clock.now())] == [case.id]
    assert [c.id for c in await queries.my_cases(db, org.delivery_supervisor, now=clock.now())] == [
        case.id
    ]
    assert await queries.my_cases(db, org.advisor, now=clock.now()) == []


async def test_a_case_raised_at_check_in_says_so_and_another_customers_visit_is_refused(
    db: AsyncSession, org: OrgChart, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer(visits=1)
    other = await make_customer(name="李娜", visits=1)
    visits = {v.customer_id: v.id for v in await db.scalars(select(models.ServiceVisit))}
    case = await raise_case(
        db,
        org.advisor,
        customer_id=record.customer.id,
        touchpoint_id=await touchpoint(db, world, "minor_faults"),
        summary="异响第三次来修",
        visit_id=visits[record.customer.id],
        now=clock.now(),
    )
    assert case.source is models.CaseSource.CHECK_IN
    assert case.owner_department is Department.SERVICE
    with pytest.raises(NotFound) as refused:
        await raise_case(
            db,
            org.advisor,
            customer_id=record.customer.id,
            touchpoint_id=await touchpoint(db, world, "minor_faults"),
            summary="x",
            visit_id=visits[other.customer.id],
            now=clock.now(),
        )
    assert refused.value.path == "input.visitId"


async def test_a_director_does_not_raise_cases(
    db: AsyncSession, org: OrgChart, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer()
    with pytest.raises(Forbidden):
        await raise_case(
            db,
            org.director,
            customer_id=record.customer.id,
            touchpoint_id=await touchpoint(db, world, "order"),
            summary="x",
            now=clock.now(),
        )


async def test_a_customers_cases_come_most_urgent_first(
    db: AsyncSession, org: OrgChart, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer()
    raised = [await raised_at_delivery(db, org, world, clock, record.customer.id) for _ in range(4)]
    calm, soon, director, closed = raised
    now = clock.now()
    calm.level_due_at, soon.level_due_at = now + timedelta(hours=20), now + timedelta(hours=2)
    director.level, director.level_due_at = 3, None
    closed.level, closed.state, closed.closed_at = 3, CaseState.CLOSED, now
    await db.commit()
    found = await queries.customer_cases(db, org.delivery_supervisor, record.customer.id)
    assert [c.id for c in found] == [director.id, soon.id, calm.id, closed.id]
    with pytest.raises(NotFound):
        await queries.customer_cases(db, org.delivery_supervisor, record.customer.id + 10_000)
