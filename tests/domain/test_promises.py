"""Promise checklist: promises on an order, their state machine, the customer's signature."""

import json
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain import promises, signatures
from baton.domain.errors import Conflict, Forbidden, NotFound, RuleViolation, ValidationFailed
from baton.domain.journeys import signing
from baton.domain.promises import PromiseTerms
from tests.conftest import AsUser
from tests.support.counts import row_counts
from tests.support.orders import STROKES, OrderRecord, sign

MakeOrder = Callable[..., Awaitable[OrderRecord]]
S = models.PromiseStatus


async def test_promise_records_category_due_and_who_made_it(
    customer_with_order: MakeOrder,
) -> None:
    record = await customer_with_order(promises=3)
    mats, charger, services = record.promises
    assert (mats.category, mats.due, mats.status) == (
        models.PromiseCategory.GIFT_ACCESSORY,
        models.PromiseDue.AT_HANDOVER,
        S.PENDING,
    )
    assert charger.due_on is not None
    assert (services.entitlement_total, services.entitlement_used) == (6, 0)
    assert {p.made_by_id for p in record.promises} == {record.sales.id}


async def test_promise_due_by_date_needs_its_date_and_entitlement_its_count(
    db: AsyncSession, customer_with_order: MakeOrder, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=0)
    before = await row_counts(db)
    for terms, path in [
        (PromiseTerms(models.PromiseCategory.OTHER, "x", models.PromiseDue.BY_DATE), "input.dueOn"),
        (
            PromiseTerms(models.PromiseCategory.OTHER, "x", models.PromiseDue.ENTITLEMENT),
            "input.entitlementTotal",
        ),
        (
            PromiseTerms(models.PromiseCategory.OTHER, " ", models.PromiseDue.AT_HANDOVER),
            "input.description",
        ),
    ]:
        with pytest.raises(ValidationFailed) as refused:
            await promises.add_promise(db, record.sales, record.order.id, terms, now=clock.now())
        assert path in {p.path for p in refused.value.problems}
    await db.rollback()
    assert await row_counts(db) == before


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (S.FULFILLED, S.PENDING),
        (S.FULFILLED, S.PARTIALLY_FULFILLED),
        (S.WAIVED, S.FULFILLED),
        (S.CANCELLED, S.DEFERRED),
    ],
)
async def test_transition_outside_the_state_machine_is_a_rule_violation(
    db: AsyncSession,
    customer_with_order: MakeOrder,
    clock: ManualClock,
    start: models.PromiseStatus,
    target: models.PromiseStatus,
) -> None:
    record = await customer_with_order(promises=1)
    mats = record.promises[0]
    subject = f"Promise:{mats.id}"
    await promises.change_promise_status(
        db, record.sales, mats.id, start, expected_version=mats.version, now=clock.now()
    )
    await db.commit()
    before = await row_counts(db)
    with pytest.raises(RuleViolation) as refused:
        await promises.change_promise_status(
            db,
            record.sales,
            mats.id,
            target,
            expected_version=mats.version,
            deferred_to=record.today(clock) + timedelta(days=5),
            now=clock.now(),
        )
    await db.rollback()
    assert refused.value.reasons[0].code == "transition_not_allowed"
    assert refused.value.reasons[0].subject_id == subject
    assert await row_counts(db) == before


async def test_pending_promise_can_be_partly_then_fully_fulfilled_with_evidence(
    db: AsyncSession, customer_with_order: MakeOrder, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=1)
    mats = record.promises[0]
    for status, note in [(S.PARTIALLY_FULFILLED, "前排已到"), (S.FULFILLED, "后排已到")]:
        await promises.change_promise_status(
            db,
            record.sales,
            mats.id,
            status,
            expected_version=mats.version,
            note=note,
            now=clock.now(),
        )
    await db.commit()
    assert mats.status is S.FULFILLED
    assert mats.fulfilled_at == clock.now()
    assert mats.evidence_note == "前排已到\n后排已到"


async def test_deferral_needs_a_new_date_after_today(
    db: AsyncSession, customer_with_order: MakeOrder, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=1)
    mats = record.promises[0]
    with pytest.raises(ValidationFailed) as refused:
        await promises.change_promise_status(
            db,
            record.sales,
            mats.id,
            S.DEFERRED,
            expected_version=1,
            deferred_to=record.today(clock),
            now=clock.now(),
        )
    assert refused.value.problems[0].path == "input.deferredTo"


async def test_promise_edited_from_another_store_is_not_found_and_writes_nothing(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=1)
    other_sales = await as_user("sales_consultant", store="B")
    before = await row_counts(db)
    with pytest.raises(NotFound):
        await promises.change_promise_status(
            db, other_sales, record.promises[0].id, S.FULFILLED, expected_version=1, now=clock.now()
        )
    await db.rollback()
    assert await row_counts(db) == before


async def test_technician_may_not_edit_promises(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=1)
    technician = await as_user("technician")
    with pytest.raises(Forbidden):
        await promises.change_promise_status(
            db, technician, record.promises[0].id, S.FULFILLED, expected_version=1, now=clock.now()
        )


async def test_stale_promise_version_is_a_conflict(
    db: AsyncSession, customer_with_order: MakeOrder, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=1)
    with pytest.raises(Conflict):
        await promises.change_promise_status(
            db,
            record.sales,
            record.promises[0].id,
            S.FULFILLED,
            expected_version=7,
            now=clock.now(),
        )


async def test_signature_stores_strokes_signer_witness_and_hash_of_the_canonical_list(
    db: AsyncSession, customer_with_order: MakeOrder, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=3)
    signature = await sign(db, record.sales, clock, record.order)
    assert json.loads(signature.strokes) == json.loads(STROKES)
    assert signature.point_count == 5
    assert (signature.signer_name, signature.witness_id, signature.signed_at) == (
        "张伟",
        record.sales.id,
        clock.now(),
    )
    assert [p["description"] for p in signature.content["promises"]] == [
        "全车脚垫",
        "家用充电桩安装",
        "3年内6次免费保养",
    ]
    assert signature.content_hash == signatures.content_hash(signature.content)
    assert len(signature.content_hash) == 64


async def test_changing_a_signed_list_bumps_its_version_and_keeps_the_old_one(
    db: AsyncSession, customer_with_order: MakeOrder, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=2)
    first = await sign(db, record.sales, clock, record.order)
    await promises.add_promise(
        db,
        record.sales,
        record.order.id,
        PromiseTerms(
            models.PromiseCategory.GIFT_ACCESSORY, "行车记录仪", models.PromiseDue.AT_HANDOVER
        ),
        now=clock.now(),
    )
    await db.commit()
    assert record.order.checklist_version == 2
    assert await signatures.current_signature(db, record.order) is None
    old = await db.get(models.ChecklistSignature, first.id)
    assert old is not None and len(old.content["promises"]) == 2
    second = await sign(db, record.sales, clock, record.order)
    assert second.checklist_version == 2
    assert second.content_hash != first.content_hash


async def test_fulfilling_a_promise_keeps_the_signature_current(
    db: AsyncSession, customer_with_order: MakeOrder, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=1)
    await sign(db, record.sales, clock, record.order)
    await promises.change_promise_status(
        db, record.sales, record.promises[0].id, S.FULFILLED, expected_version=1, now=clock.now()
    )
    await db.commit()
    assert record.order.checklist_version == 1
    assert await signatures.current_signature(db, record.order) is not None


async def test_signature_for_a_version_no_longer_current_is_a_conflict(
    db: AsyncSession, customer_with_order: MakeOrder, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=1)
    await sign(db, record.sales, clock, record.order)
    await promises.change_promise_status(
        db, record.sales, record.promises[0].id, S.WAIVED, expected_version=1, now=clock.now()
    )
    await db.commit()
    before = await row_counts(db)
    with pytest.raises(Conflict) as refused:
        await signing.sign_checklist(
            db,
            record.sales,
            record.order.id,
            checklist_version=1,
            signer_name="张伟",
            strokes=STROKES,
            confirm_no_promises=False,
            now=clock.now(),
        )
    await db.rollback()
    assert refused.value.current_version == 2
    assert await row_counts(db) == before


async def test_empty_list_needs_an_explicit_no_promises_confirmation(
    db: AsyncSession, customer_with_order: MakeOrder, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=0)
    with pytest.raises(RuleViolation) as refused:
        await signing.sign_checklist(
            db,
            record.sales,
            record.order.id,
            checklist_version=1,
            signer_name="张伟",
            strokes=STROKES,
            confirm_no_promises=False,
            now=clock.now(),
        )
    assert refused.value.reasons[0].code == "no_promises_unconfirmed"
    signature = await sign(db, record.sales, clock, record.order)
    assert signature.no_promises and signature.content["promises"] == []


@pytest.mark.parametrize(
    ("strokes", "code"),
    [
        ("[]", "no_strokes"),
        ("[[]]", "bad_stroke"),
        ("not json", "not_json"),
        ("[[[1,2]]]", "bad_point"),
        ("[" + ",".join(["[[1,2,3]]"] * 2001) + "]", "too_many_points"),
        ("[[" + ",".join(["[1000000,1000000,1000000]"] * 3000) + "]]", "too_large"),
    ],
)
async def test_signature_with_no_strokes_or_absurd_size_is_refused(
    db: AsyncSession, customer_with_order: MakeOrder, clock: ManualClock, strokes: str, code: str
) -> None:
    record = await customer_with_order(promises=1)
    before = await row_counts(db)
    with pytest.raises(ValidationFailed) as refused:
        await signing.sign_checklist(
            db,
            record.sales,
            record.order.id,
            checklist_version=1,
            signer_name="张伟",
            strokes=strokes,
            confirm_no_promises=False,
            now=clock.now(),
        )
    await db.rollback()
    assert [(p.path, p.code) for p in refused.value.problems] == [("input.strokes", code)]
    assert await row_counts(db) == before


async def test_signing_the_same_version_twice_is_refused(
    db: AsyncSession, customer_with_order: MakeOrder, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=1)
    await sign(db, record.sales, clock, record.order)
    with pytest.raises(RuleViolation) as refused:
        await sign(db, record.sales, clock, record.order)
    assert refused.value.reasons[0].code == "already_signed"
    await db.rollback()
    count = len(list(await db.scalars(select(models.ChecklistSignature))))
    assert count == 1
