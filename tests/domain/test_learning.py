"""Teaching sessions and the archive they add up to: levels that never silently go down,
skips that are never learning, teach-next for the customer's stage, progress, amendments."""

from collections.abc import Awaitable, Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain.errors import Conflict, Forbidden, NotFound, RuleViolation, ValidationFailed
from baton.domain.learning import sessions, topics
from baton.domain.learning.archive import archive_of_customer, customer_stage
from baton.domain.wording import timeline_wording
from baton.texts import render
from tests.conftest import AsUser
from tests.support.counts import row_counts
from tests.support.learning import catalogue, teach
from tests.support.records import Record
from tests.support.world import World

MakeCustomer = Callable[..., Awaitable[Record]]


def _say(event: models.TimelineEvent, language: str = "en") -> str:
    wording = timeline_wording(event)
    return render(wording.key, wording.params, language, time_zone="Asia/Shanghai")


async def _deliver(db: AsyncSession, as_user: AsUser, record: Record, clock: ManualClock) -> None:
    sales = await as_user("sales_consultant")
    delivery = await as_user("delivery_specialist")
    order = models.Order(
        customer_id=record.customer.id,
        sales_consultant_id=sales.id,
        model_name="Model Y",
        planned_delivery_date=date(2026, 11, 20),
        status=models.OrderStatus.DELIVERED,
        created_at=clock.now() - timedelta(days=20),
    )
    db.add(order)
    await db.flush()
    db.add(
        models.Delivery(
            order_id=order.id,
            customer_id=record.customer.id,
            delivery_specialist_id=delivery.id,
            status=models.DeliveryStatus.COMPLETED,
            completed_at=clock.now() - timedelta(days=3),
        )
    )
    await db.commit()


async def test_a_delivery_training_is_recorded_with_its_levels_timeline_and_audit(
    db: AsyncSession, world: World, as_user: AsUser, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    record = await make_customer()
    delivery = await as_user("delivery_specialist")
    teaching = await teach(
        db,
        delivery,
        record.customer.id,
        clock.now(),
        taught={found["app_and_key_card"]: "mastered", found["home_charging"]: "practised"},
        skipped={found["automatic_parking"]: "knows_it"},
        note="客户很熟悉手机操作",
    )
    assert (teaching.teacher_id, teaching.author_id, teaching.taught_at) == (
        delivery.id,
        delivery.id,
        clock.now(),
    )
    entries = await sessions.entries_of_session(db, teaching.id)
    assert [(e.topic_id, e.level, e.skip_reason) for e in entries] == [
        (found["app_and_key_card"].id, models.TeachingLevel.MASTERED, None),
        (found["home_charging"].id, models.TeachingLevel.PRACTISED, None),
        (found["automatic_parking"].id, None, models.SkipReason.KNOWS_IT),
    ]
    event = await db.scalar(
        select(models.TimelineEvent).where(models.TimelineEvent.kind == "teaching_session")
    )
    assert event is not None and event.subject_id == teaching.id
    assert _say(event) == (
        "Delivery training by delivery_specialist A: App and key card (mastered); "
        "Home charging (practised); skipped: Automatic parking (customer says they know it)"
    )
    assert "自动泊车（客户表示已会）" in _say(event, "zh-CN")
    audit = await db.scalar(
        select(models.AuditEntry).where(models.AuditEntry.action == "record_teaching_session")
    )
    assert audit is not None and audit.entity_id == teaching.id


async def test_a_level_never_silently_goes_down_a_lower_one_later_is_a_refresher(
    db: AsyncSession, world: World, as_user: AsUser, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    record = await make_customer()
    delivery = await as_user("delivery_specialist")
    advisor = await as_user("service_advisor")
    charging = found["home_charging"]
    await teach(
        db,
        delivery,
        record.customer.id,
        clock.now(),
        taught={charging: "mastered"},
        taught_at=clock.now() - timedelta(days=30),
    )
    later = await teach(
        db, advisor, record.customer.id, clock.now(), kind="ad_hoc", taught={charging: "introduced"}
    )
    archive = await archive_of_customer(db, advisor, record.customer.id)
    (row,) = archive.records
    assert row.highest is not None and row.highest.entry.level is models.TeachingLevel.MASTERED
    assert row.highest.session.teacher_id == delivery.id
    assert row.latest is not None and row.latest.entry.level is models.TeachingLevel.INTRODUCED
    assert row.latest.session.id == later.id
    assert row.refreshers == 1 and row.mastered
    assert row.latest.entry.id in archive.refreshers
    event = await db.scalar(
        select(models.TimelineEvent).where(models.TimelineEvent.subject_id == later.id)
    )
    assert event is not None
    assert "Home charging (refresher, introduced)" in _say(event)


async def test_a_skipped_topic_is_never_learned_and_teach_next_asks_to_check_it(
    db: AsyncSession, world: World, as_user: AsUser, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    record = await make_customer()
    delivery = await as_user("delivery_specialist")
    parking = found["automatic_parking"]
    await teach(
        db,
        delivery,
        record.customer.id,
        clock.now(),
        taught={found["driver_assistance_basics"]: "mastered"},
        skipped={parking: "knows_it"},
    )
    archive = await archive_of_customer(db, delivery, record.customer.id)
    parked = next(r for r in archive.records if r.topic.id == parking.id)
    assert parked.highest is None and parked.skip is not None and not parked.mastered
    assert archive.mastered == 1
    offered = next(r for r in archive.teach_next if r.topic.id == parking.id)
    assert offered.skip is not None
    assert offered.skip.entry.skip_reason is models.SkipReason.KNOWS_IT
    # Taught later, the customer's word has been checked: no flag any more.
    await teach(db, delivery, record.customer.id, clock.now(), taught={parking: "practised"})
    archive = await archive_of_customer(db, delivery, record.customer.id)
    offered = next(r for r in archive.teach_next if r.topic.id == parking.id)
    assert offered.skip is None and offered.highest is not None


async def test_teach_next_follows_the_catalogue_order_for_the_customers_stage(
    db: AsyncSession, world: World, as_user: AsUser, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    record = await make_customer()
    delivery = await as_user("delivery_specialist")
    manager = await as_user("store_manager")
    await teach(
        db,
        delivery,
        record.customer.id,
        clock.now(),
        taught={found["app_and_key_card"]: "mastered", found["home_charging"]: "practised"},
    )
    sentry = found["sentry_mode"]
    await topics.retire_topic(db, manager, sentry.id, version=sentry.version, now=clock.now())
    await db.commit()
    archive = await archive_of_customer(db, delivery, record.customer.id)
    assert archive.stage is models.TopicStage.DELIVERY
    assert [r.topic.code for r in archive.teach_next] == [
        "home_charging",
        "public_charging",
        "charging_etiquette_cost",
        "driver_assistance_basics",
        "automatic_parking",
        "emergency_procedures",
    ]
    # Handed over: delivery topics still open come first, then the first-service ones.
    await _deliver(db, as_user, record, clock)
    archive = await archive_of_customer(db, delivery, record.customer.id)
    assert archive.stage is models.TopicStage.FIRST_SERVICE
    codes = [r.topic.code for r in archive.teach_next]
    assert codes[:2] == ["home_charging", "public_charging"]
    assert "maintenance_intervals" in codes and "winter_range" not in codes
    assert "sentry_mode" not in codes
    assert (archive.mastered, archive.total) == (1, len(found) - 1)


async def test_the_stage_follows_deliveries_and_service_visits() -> None:
    def visit(status: models.VisitStatus) -> models.ServiceVisit:
        return models.ServiceVisit(status=status)

    done = models.Delivery(status=models.DeliveryStatus.COMPLETED)
    planned = models.Delivery(status=models.DeliveryStatus.SCHEDULED)
    assert customer_stage([planned], []) is models.TopicStage.DELIVERY
    assert customer_stage([done], []) is models.TopicStage.FIRST_SERVICE
    assert (
        customer_stage([done], [visit(models.VisitStatus.CHECKED_IN)])
        is models.TopicStage.FIRST_SERVICE
    )
    assert customer_stage([done], [visit(models.VisitStatus.COMPLETED)]) is models.TopicStage.LATER


async def test_someone_else_of_the_store_can_be_named_as_the_teacher(
    db: AsyncSession, world: World, as_user: AsUser, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    record = await make_customer()
    advisor = await as_user("service_advisor")
    delivery = await as_user("delivery_specialist")
    other_store = await as_user("delivery_specialist", store="B")
    content = sessions.SessionContent(
        kind="remote", taught=[sessions.TaughtTopic(found["ota_updates"].id, "introduced")]
    )
    teaching = await sessions.record_teaching_session(
        db, advisor, record.customer.id, content, teacher_id=delivery.id, now=clock.now()
    )
    assert (teaching.teacher_id, teaching.author_id) == (delivery.id, advisor.id)
    with pytest.raises(NotFound) as refused:
        await sessions.record_teaching_session(
            db, advisor, record.customer.id, content, teacher_id=other_store.id, now=clock.now()
        )
    assert refused.value.path == "input.teacherId"


Topics = dict[str, models.LearningTopic]


def _taught(t: Topics, level: str = "introduced") -> list[sessions.TaughtTopic]:
    return [sessions.TaughtTopic(t["summon"].id, level)]


def _skipped(t: Topics, reason: str = "declined", note: str = "") -> list[sessions.SkippedTopic]:
    return [sessions.SkippedTopic(t["summon"].id, reason, note)]


BAD_INPUTS: dict[str, tuple[Callable[[Topics], dict[str, object]], str]] = {
    "level": (lambda t: {"taught": _taught(t, "expert")}, "input.topics.0.level"),
    "reason": (lambda t: {"skipped": _skipped(t, "bored")}, "input.skipped.0.reason"),
    "kind": (lambda t: {"kind": "lecture", "taught": _taught(t)}, "input.kind"),
    "note": (lambda t: {"note": "长" * 2001, "taught": _taught(t)}, "input.note"),
    "skip_note": (lambda t: {"skipped": _skipped(t, note="长" * 301)}, "input.skipped.0.note"),
    "none": (lambda t: {}, "input.topics"),
    "twice": (lambda t: {"taught": _taught(t), "skipped": _skipped(t)}, "input.skipped.0.topicId"),
    "too_many": (lambda t: {"taught": _taught(t) * 51}, "input.topics"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
async def test_bad_input_names_the_field_and_writes_nothing(
    db: AsyncSession,
    world: World,
    as_user: AsUser,
    clock: ManualClock,
    make_customer: MakeCustomer,
    case: str,
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    record = await make_customer()
    advisor = await as_user("service_advisor")
    make, path = BAD_INPUTS[case]
    fields = {"kind": "ad_hoc", **make(found)}
    before = await row_counts(db)
    with pytest.raises(ValidationFailed) as refused:
        await sessions.record_teaching_session(
            db,
            advisor,
            record.customer.id,
            sessions.SessionContent(**fields),  # type: ignore[arg-type]
            now=clock.now(),
        )
    assert path in {p.path for p in refused.value.problems}
    await db.rollback()
    assert await row_counts(db) == before


async def test_a_session_in_the_future_or_on_a_retired_topic_is_refused(
    db: AsyncSession, world: World, as_user: AsUser, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    record = await make_customer()
    manager = await as_user("store_manager")
    summon = found["summon"]
    await topics.retire_topic(db, manager, summon.id, version=summon.version, now=clock.now())
    await db.commit()
    before = await row_counts(db)
    with pytest.raises(ValidationFailed) as refused:
        await sessions.record_teaching_session(
            db,
            manager,
            record.customer.id,
            sessions.SessionContent(
                kind="ad_hoc", taught=[sessions.TaughtTopic(summon.id, "introduced")]
            ),
            taught_at=clock.now() + timedelta(hours=1),
            now=clock.now(),
        )
    assert {(p.path, p.code) for p in refused.value.problems} == {
        ("input.taughtAt", "in_future"),
        ("input.topics.0.topicId", "retired"),
    }
    await db.rollback()
    assert await row_counts(db) == before


async def test_an_unknown_or_another_stores_topic_or_customer_is_not_found(
    db: AsyncSession, world: World, as_user: AsUser, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    found_b = await catalogue(db, world.stores["B"], clock)
    record = await make_customer()
    record_b = await make_customer(store="B")
    advisor = await as_user("service_advisor")
    before = await row_counts(db)

    def content(topic_id: int) -> sessions.SessionContent:
        return sessions.SessionContent(
            kind="ad_hoc",
            taught=[
                sessions.TaughtTopic(found["summon"].id, "introduced"),
                sessions.TaughtTopic(topic_id, "introduced"),
            ],
        )

    for topic_id in (found_b["summon"].id, 999_999):
        with pytest.raises(NotFound) as refused:
            await sessions.record_teaching_session(
                db, advisor, record.customer.id, content(topic_id), now=clock.now()
            )
        assert refused.value.path == "input.topics.1.topicId"
    with pytest.raises(NotFound) as refused:
        await sessions.record_teaching_session(
            db, advisor, record_b.customer.id, content(found["home_charging"].id), now=clock.now()
        )
    assert refused.value.path == "input.customerId"
    await db.rollback()
    assert await row_counts(db) == before


@pytest.mark.parametrize("role", ["technician", "parts"])
async def test_technicians_and_parts_read_the_archive_but_record_nothing(
    db: AsyncSession,
    world: World,
    as_user: AsUser,
    clock: ManualClock,
    make_customer: MakeCustomer,
    role: str,
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    record = await make_customer()
    reader = await as_user(role)
    with pytest.raises(Forbidden):
        await teach(
            db, reader, record.customer.id, clock.now(), taught={found["summon"]: "mastered"}
        )
    await db.rollback()
    archive = await archive_of_customer(db, reader, record.customer.id)
    assert archive.records == [] and archive.total == len(found)


async def test_its_author_amends_a_session_within_a_day_and_the_audit_keeps_both(
    db: AsyncSession, world: World, as_user: AsUser, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    record = await make_customer()
    delivery = await as_user("delivery_specialist")
    teaching = await teach(
        db,
        delivery,
        record.customer.id,
        clock.now(),
        taught={found["home_charging"]: "practised", found["summon"]: "introduced"},
    )
    clock.advance(timedelta(hours=23))
    amended = await sessions.amend_teaching_session(
        db,
        delivery,
        teaching.id,
        sessions.SessionContent(
            kind="delivery_training",
            note="补记：客户已能独立操作",
            taught=[sessions.TaughtTopic(found["home_charging"].id, "mastered")],
            skipped=[sessions.SkippedTopic(found["automatic_parking"].id, "knows_it")],
        ),
        version=teaching.version,
        now=clock.now(),
    )
    await db.commit()
    assert amended.version == 2 and amended.note == "补记：客户已能独立操作"
    entries = await sessions.entries_of_session(db, teaching.id)
    assert {(e.topic_id, e.level) for e in entries} == {
        (found["home_charging"].id, models.TeachingLevel.MASTERED),
        (found["automatic_parking"].id, None),
    }
    audit = await db.scalar(
        select(models.AuditEntry).where(models.AuditEntry.action == "amend_teaching_session")
    )
    assert audit is not None
    assert len(audit.changes["before"]["entries"]) == 2
    assert audit.changes["after"]["entries"][0]["level"] == "mastered"
    event = await db.scalar(
        select(models.TimelineEvent).where(models.TimelineEvent.kind == "teaching_session_amended")
    )
    assert event is not None and _say(event).startswith("Corrected: Delivery training")


async def test_only_the_author_amends_and_only_for_a_day_and_not_a_stale_version(
    db: AsyncSession, world: World, as_user: AsUser, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    record = await make_customer()
    delivery = await as_user("delivery_specialist")
    manager = await as_user("store_manager")
    store_b = await as_user("delivery_specialist", store="B")
    teaching = await teach(
        db, delivery, record.customer.id, clock.now(), taught={found["summon"]: "introduced"}
    )
    content = sessions.SessionContent(
        kind="ad_hoc", taught=[sessions.TaughtTopic(found["summon"].id, "mastered")]
    )
    teaching_id = teaching.id
    before = await row_counts(db)
    with pytest.raises(Forbidden):
        await sessions.amend_teaching_session(
            db, manager, teaching.id, content, version=1, now=clock.now()
        )
    with pytest.raises(Conflict):
        await sessions.amend_teaching_session(
            db, delivery, teaching.id, content, version=7, now=clock.now()
        )
    clock.advance(timedelta(hours=24, minutes=1))
    with pytest.raises(RuleViolation) as refused:
        await sessions.amend_teaching_session(
            db, delivery, teaching.id, content, version=1, now=clock.now()
        )
    assert refused.value.reasons[0].code == "amend_window_closed"
    await db.rollback()
    assert await row_counts(db) == before
    with pytest.raises(NotFound):
        await sessions.amend_teaching_session(
            db, store_b, teaching_id, content, version=1, now=clock.now()
        )
