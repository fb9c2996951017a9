"""One customer, one record: creating and editing the shared customer."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain import customers
from baton.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tests.conftest import AsUser
from tests.support.counts import row_counts


async def test_create_customer_normalises_phone_and_writes_timeline_and_audit(
    db: AsyncSession, as_user: AsUser, clock: ManualClock
) -> None:
    sales = await as_user("sales_consultant")
    customer = await customers.create_customer(
        db,
        sales,
        customers.CustomerFields(name=" 李娜 ", phone="138 1234 5678", tags=["vip"]),
        store_id=sales.user.store_id or 0,
        now=clock.now(),
    )
    await db.commit()
    assert (customer.name, customer.phone, customer.tags) == ("李娜", "+8613812345678", ["vip"])
    event = await db.scalar(select(models.TimelineEvent))
    assert event is not None
    assert (event.kind, event.customer_id, event.actor_id) == (
        "customer_created",
        customer.id,
        sales.id,
    )
    assert event.department is models.Department.SALES
    audit = await db.scalar(select(models.AuditEntry))
    assert audit is not None
    assert (audit.action, audit.entity_type, audit.actor_id) == ("create", "Customer", sales.id)
    assert audit.store_id == sales.user.store_id


async def test_every_invalid_field_is_named_and_nothing_is_written(
    db: AsyncSession, as_user: AsUser, clock: ManualClock
) -> None:
    sales = await as_user("sales_consultant")
    before = await row_counts(db)
    with pytest.raises(ValidationFailed) as refused:
        await customers.create_customer(
            db,
            sales,
            customers.CustomerFields(
                name="  ", phone="12", address="x" * 301, tags=["vip", "gold"]
            ),
            store_id=sales.user.store_id or 0,
            now=clock.now(),
        )
    await db.rollback()
    assert {p.path for p in refused.value.problems} == {
        "input.name",
        "input.phone",
        "input.address",
        "input.tags",
    }
    assert await row_counts(db) == before


async def test_name_longer_than_its_limit_is_refused(
    db: AsyncSession, as_user: AsUser, clock: ManualClock
) -> None:
    sales = await as_user("sales_consultant")
    with pytest.raises(ValidationFailed) as refused:
        await customers.create_customer(
            db,
            sales,
            customers.CustomerFields(name="张" * 101, phone="13812345678"),
            store_id=sales.user.store_id or 0,
            now=clock.now(),
        )
    assert refused.value.problems[0].code == "too_long"


@pytest.mark.parametrize("role", ["technician", "parts", "regional_director"])
async def test_read_only_roles_cannot_edit_a_customer(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, make_customer: object, role: str
) -> None:
    record = await make_customer()  # type: ignore[operator]
    reader = await as_user(role)
    with pytest.raises(Forbidden):
        await customers.update_customer(
            db,
            reader,
            record.customer.id,
            customers.CustomerFields(name="改名"),
            expected_version=record.customer.version,
            now=clock.now(),
        )


async def test_customer_of_another_store_is_not_found_for_staff_of_store_a(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, make_customer: object
) -> None:
    record = await make_customer(store="B")  # type: ignore[operator]
    sales_a = await as_user("sales_consultant", store="A")
    with pytest.raises(NotFound):
        await customers.get_customer(db, sales_a, record.customer.id)
    with pytest.raises(NotFound):
        await customers.update_customer(
            db,
            sales_a,
            record.customer.id,
            customers.CustomerFields(name="改名"),
            expected_version=1,
            now=clock.now(),
        )


async def test_creating_in_another_store_is_refused(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, world: object
) -> None:
    sales_a = await as_user("sales_consultant", store="A")
    store_b = world.stores["B"]  # type: ignore[attr-defined]
    with pytest.raises(NotFound):
        await customers.create_customer(
            db,
            sales_a,
            customers.CustomerFields(name="王芳", phone="13812345678"),
            store_id=store_b.id,
            now=clock.now(),
        )


async def test_stale_version_is_a_conflict_and_changes_nothing(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, make_customer: object
) -> None:
    record = await make_customer(name="张伟")  # type: ignore[operator]
    advisor = await as_user("service_advisor")
    await customers.update_customer(
        db,
        advisor,
        record.customer.id,
        customers.CustomerFields(address="浦东新区"),
        expected_version=1,
        now=clock.now(),
    )
    await db.commit()
    with pytest.raises(Conflict) as conflict:
        await customers.update_customer(
            db,
            advisor,
            record.customer.id,
            customers.CustomerFields(name="张小伟"),
            expected_version=1,
            now=clock.now(),
        )
    await db.rollback()
    assert conflict.value.current_version == 2
    fresh = await db.get(models.Customer, record.customer.id, populate_existing=True)
    assert fresh is not None and fresh.name == "张伟" and fresh.version == 2


async def test_update_changes_phone_search_key_and_audits_the_change(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, make_customer: object
) -> None:
    record = await make_customer()  # type: ignore[operator]
    advisor = await as_user("service_advisor")
    updated = await customers.update_customer(
        db,
        advisor,
        record.customer.id,
        customers.CustomerFields(phone="13999990000"),
        expected_version=1,
        now=clock.now(),
    )
    await db.commit()
    assert updated.phone_reversed.startswith("00009999")
    audits = list(
        await db.scalars(select(models.AuditEntry).where(models.AuditEntry.action == "update"))
    )
    assert [a.changes for a in audits] == [{"phone": "+8613999990000"}]


async def test_special_circumstance_makes_customer_high_priority_only_while_active(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, make_customer: object
) -> None:
    record = await make_customer()  # type: ignore[operator]
    other = await make_customer(name="王芳")  # type: ignore[operator]
    sales = await as_user("sales_consultant")
    today = date(2026, 11, 23)
    await customers.record_special_circumstance(
        db,
        sales,
        record.customer.id,
        kind=models.CircumstanceKind.SOLD_OLD_CAR,
        note="旧车已卖",
        starts_on=today,
        ends_on=today + timedelta(days=5),
        now=clock.now(),
    )
    await db.commit()
    ids = [record.customer.id, other.customer.id]
    assert await customers.active_circumstance_customer_ids(db, ids, today) == {record.customer.id}
    later = today + timedelta(days=6)
    assert await customers.active_circumstance_customer_ids(db, ids, later) == set()
    earlier = today - timedelta(days=1)
    assert await customers.active_circumstance_customer_ids(db, ids, earlier) == set()


async def test_circumstance_ending_before_it_starts_is_refused(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, make_customer: object
) -> None:
    record = await make_customer()  # type: ignore[operator]
    sales = await as_user("sales_consultant")
    with pytest.raises(ValidationFailed) as refused:
        await customers.record_special_circumstance(
            db,
            sales,
            record.customer.id,
            kind=models.CircumstanceKind.TOOK_LEAVE,
            note="",
            starts_on=date(2026, 11, 23),
            ends_on=date(2026, 11, 22),
            now=clock.now(),
        )
    assert refused.value.problems[0].path == "input.endsOn"
