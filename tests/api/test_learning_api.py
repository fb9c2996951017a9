"""The learning archive over HTTP: record (replayable offline), amend, read the archive and
teach-next on the record, manage the catalogue, the measures for managers."""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.ids import global_id
from tests.support.api import ApiClient
from tests.support.counts import row_counts
from tests.support.learning import catalogue
from tests.support.records import Record

MakeCustomer = Callable[..., Awaitable[Record]]

RECORD = """mutation($i: RecordTeachingSessionInput!) { recordTeachingSession(input: $i) {
  __typename
  ... on TeachingSessionSuccess { session { id version kind teacher { username }
      entries { topic { name } level skipReason isRefresher } }
    customer { learningProgress { mastered total stage }
      teachNext(first: 3) { topic { name code } skipped { skipReason by { username } } } } }
  ... on ValidationError { fields { path code } }
  ... on NotFoundError { path }
  ... on ForbiddenError { message }
} }"""
AMEND = """mutation($i: AmendTeachingSessionInput!) { amendTeachingSession(input: $i) {
  __typename ... on TeachingSessionSuccess { session { version note } }
  ... on RuleViolationError { reasons { code } } } }"""
ARCHIVE = """query($id: ID!) { customer(id: $id) {
  learningArchive(first: 2) { edges { cursor node { topic { code name } mastered refreshers
    highest { level at by { username } } latest { level } skipped { skipReason } } }
    pageInfo { hasNextPage endCursor } }
  teachingSessions { kind entries { level } }
} }"""


async def _setup(
    db: AsyncSession, api: ApiClient, clock: ManualClock, make_customer: MakeCustomer
) -> tuple[Record, dict[str, str]]:
    store = api.world.stores["A"]
    found = await catalogue(db, store, clock)
    record = await make_customer()
    return record, {code: global_id("LearningTopic", t.id) for code, t in found.items()}


def _delivery_training(record: Record, topics: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "customerId": global_id("Customer", record.customer.id),
        "kind": "DELIVERY_TRAINING",
        "topics": [
            {"topicId": topics["app_and_key_card"], "level": "MASTERED"},
            {"topicId": topics["home_charging"], "level": "PRACTISED"},
        ],
        "skipped": [{"topicId": topics["automatic_parking"], "reason": "KNOWS_IT"}],
        **extra,
    }


async def test_a_session_recorded_twice_with_one_key_is_written_once(
    api: ApiClient, db: AsyncSession, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record, topics = await _setup(db, api, clock, make_customer)
    await api.login_as("delivery_specialist")
    first = await api.data(
        RECORD, {"i": _delivery_training(record, topics, clientMutationId="q-1")}
    )
    counts = await row_counts(db)
    again = await api.data(
        RECORD, {"i": _delivery_training(record, topics, clientMutationId="q-1")}
    )
    assert await row_counts(db) == counts
    payload = first["recordTeachingSession"]
    assert payload["__typename"] == "TeachingSessionSuccess", payload
    assert again["recordTeachingSession"]["session"]["id"] == payload["session"]["id"]
    assert [e["level"] for e in payload["session"]["entries"]] == ["MASTERED", "PRACTISED", None]
    assert payload["session"]["entries"][0]["topic"]["name"] == "App 与钥匙卡"
    customer = payload["customer"]
    assert customer["learningProgress"] == {"mastered": 1, "total": 15, "stage": "DELIVERY"}
    assert [t["topic"]["code"] for t in customer["teachNext"]] == [
        "home_charging",
        "public_charging",
        "charging_etiquette_cost",
    ]


async def test_teach_next_flags_the_skipped_topic_and_the_archive_pages(
    api: ApiClient, db: AsyncSession, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record, topics = await _setup(db, api, clock, make_customer)
    await api.login_as("delivery_specialist")
    await api.data(RECORD, {"i": _delivery_training(record, topics)})
    await api.login_as("service_advisor")
    data = await api.data(
        """query($id: ID!) { customer(id: $id) { teachNext(first: 10) {
          topic { code } skipped { skipReason by { username } } } } }""",
        {"id": global_id("Customer", record.customer.id)},
    )
    parking = next(
        t for t in data["customer"]["teachNext"] if t["topic"]["code"] == "automatic_parking"
    )
    assert parking["skipped"] == {
        "skipReason": "KNOWS_IT",
        "by": {"username": "delivery_specialist.a"},
    }
    page = await api.data(ARCHIVE, {"id": global_id("Customer", record.customer.id)})
    archive = page["customer"]["learningArchive"]
    assert [e["node"]["topic"]["code"] for e in archive["edges"]] == [
        "app_and_key_card",
        "home_charging",
    ]
    assert archive["edges"][0]["node"]["highest"]["by"] == {"username": "delivery_specialist.a"}
    assert archive["pageInfo"]["hasNextPage"] is True
    rest = await api.data(
        """query($id: ID!, $after: String) { customer(id: $id) {
          learningArchive(after: $after) { edges { node { topic { code } skipped { skipReason }
          highest { level } } } pageInfo { hasNextPage } } } }""",
        {
            "id": global_id("Customer", record.customer.id),
            "after": archive["pageInfo"]["endCursor"],
        },
    )
    (only,) = rest["customer"]["learningArchive"]["edges"]
    assert only["node"] == {
        "topic": {"code": "automatic_parking"},
        "skipped": {"skipReason": "KNOWS_IT"},
        "highest": None,
    }


async def test_bad_input_is_a_typed_error_naming_the_field_and_writes_nothing(
    api: ApiClient, db: AsyncSession, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record, topics = await _setup(db, api, clock, make_customer)
    await api.login_as("delivery_specialist")
    before = await row_counts(db)
    future = (clock.now() + timedelta(days=1)).isoformat()
    data = await api.data(
        RECORD, {"i": _delivery_training(record, topics, taughtAt=future, note="长" * 2001)}
    )
    payload = data["recordTeachingSession"]
    assert payload["__typename"] == "ValidationError"
    assert {f["path"] for f in payload["fields"]} == {"input.taughtAt", "input.note"}
    wrong = _delivery_training(record, topics)
    wrong["topics"][1]["topicId"] = wrong["customerId"]
    data = await api.data(RECORD, {"i": wrong})
    assert data["recordTeachingSession"]["fields"] == [
        {"path": "input.topics.1.topicId", "code": "wrong_id"}
    ]
    too_many = _delivery_training(record, topics)
    too_many["topics"] = [{"topicId": topics["summon"], "level": "INTRODUCED"}] * 51
    data = await api.data(RECORD, {"i": too_many})
    assert data["recordTeachingSession"]["fields"] == [{"path": "input.topics", "code": "too_many"}]
    bad_level = await api.gql(
        RECORD, {"i": {**wrong, "topics": [{"topicId": topics["summon"], "level": "EXPERT"}]}}
    )
    assert bad_level["errors"] and "level" in bad_level["errors"][0]["message"]
    assert await row_counts(db) == before


async def test_technicians_and_parts_read_the_archive_but_cannot_record(
    api: ApiClient, db: AsyncSession, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record, topics = await _setup(db, api, clock, make_customer)
    for role in ("technician", "parts"):
        await api.login_as(role)
        data = await api.data(RECORD, {"i": _delivery_training(record, topics)})
        assert data["recordTeachingSession"]["__typename"] == "ForbiddenError", role
        read = await api.data(ARCHIVE, {"id": global_id("Customer", record.customer.id)})
        assert read["customer"]["learningArchive"]["edges"] == []


async def test_only_the_author_amends_and_only_within_a_day(
    api: ApiClient, db: AsyncSession, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record, topics = await _setup(db, api, clock, make_customer)
    await api.login_as("delivery_specialist")
    made = await api.data(RECORD, {"i": _delivery_training(record, topics)})
    session_id = made["recordTeachingSession"]["session"]["id"]
    amend = {
        "id": session_id,
        "version": 1,
        "kind": "DELIVERY_TRAINING",
        "note": "补记",
        "topics": [{"topicId": topics["home_charging"], "level": "MASTERED"}],
    }
    await api.login_as("store_manager")
    refused = await api.data(AMEND, {"i": amend})
    assert refused["amendTeachingSession"]["__typename"] == "ForbiddenError"
    await api.login_as("delivery_specialist")
    done = await api.data(AMEND, {"i": amend})
    assert done["amendTeachingSession"]["session"] == {"version": 2, "note": "补记"}
    clock.advance(timedelta(hours=25))
    late = await api.data(AMEND, {"i": {**amend, "version": 2}})
    assert late["amendTeachingSession"]["reasons"] == [{"code": "amend_window_closed"}]


TOPIC = """mutation($i: AddLearningTopicInput!) { addLearningTopic(input: $i) { __typename
  ... on LearningTopicSuccess { topic { id name position stage department version }
    catalogue { name } } } }"""


async def test_a_store_manager_manages_the_catalogue_and_an_advisor_may_not(
    api: ApiClient, db: AsyncSession, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    _, topics = await _setup(db, api, clock, make_customer)
    store = global_id("Store", api.world.stores["A"].id)
    new = {"storeId": store, "name": "V2L 外放电", "stage": "LATER", "department": "SERVICE"}
    await api.login_as("service_advisor")
    assert (await api.data(TOPIC, {"i": new}))["addLearningTopic"]["__typename"] == (
        "ForbiddenError"
    )
    await api.login_as("store_manager")
    added = (await api.data(TOPIC, {"i": {**new, "position": 1}}))["addLearningTopic"]
    assert added["topic"]["position"] == 1 and added["catalogue"][0]["name"] == "V2L 外放电"
    # Moving the others down is a change to each of them: their versions moved on too.
    summon = await api.data(
        "query($id: ID!) { node(id: $id) { ... on LearningTopic { version position } } }",
        {"id": topics["summon"]},
    )
    assert summon["node"] == {"version": 2, "position": 11}
    retired = await api.data(
        """mutation($i: RetireLearningTopicInput!) { retireLearningTopic(input: $i) {
          ... on LearningTopicSuccess { topic { retired } catalogue { name } } } }""",
        {"i": {"id": topics["summon"], "version": 2}},
    )
    assert retired["retireLearningTopic"]["topic"] == {"retired": True}
    listed = await api.data(
        """query($s: ID!) { active: learningTopics(storeId: $s) { code }
           all: learningTopics(storeId: $s, includeRetired: true) { code retired } }""",
        {"s": store},
    )
    assert "summon" not in [t["code"] for t in listed["active"]]
    assert {"code": "summon", "retired": True} in listed["all"]


async def test_learning_measures_for_managers(
    api: ApiClient, db: AsyncSession, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record, topics = await _setup(db, api, clock, make_customer)
    untrained = await make_customer(name="没培训")
    delivery = await api.world.staff(db, models.Role.DELIVERY_SPECIALIST, "A")
    sales = await api.world.staff(db, models.Role.SALES_CONSULTANT, "A")
    for customer in (record.customer, untrained.customer):
        order = models.Order(
            customer_id=customer.id,
            sales_consultant_id=sales.id,
            model_name="Model Y",
            status=models.OrderStatus.DELIVERED,
            created_at=clock.now() - timedelta(days=60),
        )
        db.add(order)
        await db.flush()
        db.add(
            models.Delivery(
                order_id=order.id,
                customer_id=customer.id,
                delivery_specialist_id=delivery.id,
                status=models.DeliveryStatus.COMPLETED,
                completed_at=clock.now() - timedelta(days=40),
            )
        )
    await db.commit()
    await api.login_as("delivery_specialist")
    taught_at = (clock.now() - timedelta(days=40)).isoformat()
    await api.data(RECORD, {"i": _delivery_training(record, topics, taughtAt=taught_at)})
    query = """query($s: ID!) { learningMeasures(storeId: $s, from: "2026-10-01", to: "2026-10-31")
      { deliveryTraining { due onTime rate }
        masteredByDay30 { customers topicsMastered perCustomer }
        unconfirmedSkips { topic { code } customers } } }"""
    store = global_id("Store", api.world.stores["A"].id)
    await api.login_as("store_manager")
    data = await api.data(query, {"s": store})
    assert data["learningMeasures"] == {
        "deliveryTraining": {"due": 2, "onTime": 1, "rate": 0.5},
        "masteredByDay30": {"customers": 2, "topicsMastered": 1, "perCustomer": 0.5},
        "unconfirmedSkips": [{"topic": {"code": "automatic_parking"}, "customers": 1}],
    }
    await api.login_as("service_advisor")
    refused = await api.gql(query, {"s": store})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
