"""Store scope is checked at every object: store A staff reach nothing of store B, by any path."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain import customers
from baton.domain.cases import touchpoints
from baton.domain.journeys.cases.raising import raise_case
from baton.domain.learning import sessions, topics
from baton.ids import global_id
from tests.conftest import AsUser
from tests.support.api import ApiClient
from tests.support.cars import make_car
from tests.support.counts import row_counts
from tests.support.records import make_record
from tests.support.world import World

STORE_A_ROLES = [
    "sales_consultant",
    "delivery_specialist",
    "service_advisor",
    "technician",
    "parts",
    "store_manager",
]


async def _one_of_everything(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, store: str
) -> dict[str, str]:
    """One object of every node type, belonging to `store`; returns their global IDs."""
    sales = await as_user("sales_consultant", store=store)
    delivery = await as_user("delivery_specialist", store=store)
    advisor = await as_user("service_advisor", store=store)
    record = await make_record(
        db, advisor, clock, name="刘洋", phone="13700001111", plate="沪AD12345", visits=1
    )
    customer, vehicle = record.customer, record.vehicle
    assert vehicle is not None
    circumstance = await customers.record_special_circumstance(
        db,
        sales,
        customer.id,
        kind=models.CircumstanceKind.BUSINESS_TRIP,
        note="出差",
        starts_on=date(2026, 11, 23),
        ends_on=None,
        now=clock.now(),
    )
    order = models.Order(
        customer_id=customer.id,
        vehicle_id=vehicle.id,
        sales_consultant_id=sales.id,
        model_name="Model Y",
        planned_delivery_date=date(2026, 12, 1),
        status=models.OrderStatus.SUBMITTED,
        created_at=clock.now(),
    )
    db.add(order)
    await db.flush()
    delivery_row = models.Delivery(
        order_id=order.id,
        customer_id=customer.id,
        delivery_specialist_id=delivery.id,
        scheduled_at=datetime(2026, 12, 1, 2, tzinfo=UTC),
        status=models.DeliveryStatus.SCHEDULED,
    )
    feedback = models.Feedback(
        customer_id=customer.id,
        kind=models.FeedbackKind.PRAISE,
        department=models.Department.SERVICE,
        text="很专业",
        created_by_id=advisor.id,
        created_at=clock.now(),
    )
    task = models.Task(
        store_id=customer.store_id,
        customer_id=customer.id,
        kind="welcome_callback",
        params={"customer": customer.name},
        assignee_id=advisor.id,
        due_at=clock.now(),
        state=models.TaskState.OPEN,
        created_at=clock.now(),
    )
    db.add_all([delivery_row, feedback, task])
    await db.commit()
    store_id = customer.store_id
    catalogue = await topics.seed_default_catalogue(db, store_id, now=clock.now())
    teaching = await sessions.record_teaching_session(
        db,
        delivery,
        customer.id,
        sessions.SessionContent(
            kind="delivery_training",
            taught=[sessions.TaughtTopic(catalogue[0].id, "mastered")],
            skipped=[sessions.SkippedTopic(catalogue[5].id, "knows_it")],
        ),
        now=clock.now(),
    )
    await db.commit()
    visit = (await db.get(models.Customer, customer.id)) and await db.scalar(
        models.ServiceVisit.__table__.select().with_only_columns(models.ServiceVisit.id)
    )
    car = make_car(db_store(db, customer.store_id), models.CarPool.TEST_DRIVE)
    db.add(car)
    await db.flush()
    booking = models.CarBooking(
        store_id=customer.store_id,
        car_id=car.id,
        department=models.BookingDepartment.SERVICE,
        booked_by_id=advisor.id,
        customer_id=customer.id,
        starts_at=datetime(2026, 11, 28, 2, tzinfo=UTC),
        ends_at=datetime(2026, 11, 28, 4, tzinfo=UTC),
        blocked_until=datetime(2026, 11, 28, 5, tzinfo=UTC),
        status=models.BookingStatus.BOOKED,
        notes=[],
        created_at=clock.now(),
    )
    db.add(booking)
    await db.flush()
    loaner = models.LoanerRequest(
        store_id=customer.store_id,
        visit_id=int(visit or 0),
        customer_id=customer.id,
        requested_by_id=advisor.id,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        status=models.LoanerStatus.BOOKED,
        booking_id=booking.id,
        created_at=clock.now(),
    )
    db.add(loaner)
    await db.commit()
    event = await db.scalar(
        models.TimelineEvent.__table__.select()
        .with_only_columns(models.TimelineEvent.id)
        .where(models.TimelineEvent.customer_id == customer.id)
    )
    journey = await touchpoints.set_up_journey(db, customer.store_id)
    plate = next(tp for tp in journey if tp.key == "temporary_plate")
    case = await raise_case(
        db, sales, customer_id=customer.id, touchpoint_id=plate.id, summary="临牌", now=clock.now()
    )
    await db.commit()
    return {
        "Case": global_id("Case", case.id),
        "Touchpoint": global_id("Touchpoint", plate.id),
        "Customer": global_id("Customer", customer.id),
        "Vehicle": global_id("Vehicle", vehicle.id),
        "ServiceVisit": global_id("ServiceVisit", int(visit or 0)),
        "SpecialCircumstance": global_id("SpecialCircumstance", circumstance.id),
        "TimelineEvent": global_id("TimelineEvent", int(event or 0)),
        "Order": global_id("Order", order.id),
        "Delivery": global_id("Delivery", delivery_row.id),
        "Feedback": global_id("Feedback", feedback.id),
        "Task": global_id("Task", task.id),
        "User": global_id("User", advisor.id),
        "LearningTopic": global_id("LearningTopic", catalogue[0].id),
        "TeachingSession": global_id("TeachingSession", teaching.id),
        "Store": global_id("Store", store_id),
        "Car": global_id("Car", car.id),
        "CarBooking": global_id("CarBooking", booking.id),
        "LoanerRequest": global_id("LoanerRequest", loaner.id),
    }


def db_store(db: AsyncSession, store_id: int) -> models.Store:
    store = db.identity_map.get(db.identity_key(models.Store, store_id))  # type: ignore[arg-type]
    assert isinstance(store, models.Store)
    return store


@pytest.fixture
async def store_b(db: AsyncSession, as_user: AsUser, clock: ManualClock) -> dict[str, str]:
    return await _one_of_everything(db, as_user, clock, "B")


@pytest.mark.parametrize("role", STORE_A_ROLES)
async def test_store_a_staff_cannot_read_any_store_b_object_through_node(
    api: ApiClient, store_b: dict[str, str], role: str
) -> None:
    await api.login_as(role, store="A")
    for type_name, node_id in store_b.items():
        data = await api.data("query($id: ID!) { node(id: $id) { id } }", {"id": node_id})
        assert data["node"] is None, f"{role} read {type_name} of store B"
    data = await api.data(
        "query($id: ID!) { customer(id: $id) { id } }", {"id": store_b["Customer"]}
    )
    assert data["customer"] is None


@pytest.mark.parametrize("role", STORE_A_ROLES)
async def test_store_a_staff_find_no_store_b_customer_by_any_search(
    api: ApiClient, store_b: dict[str, str], role: str
) -> None:
    await api.login_as(role, store="A")
    for text in ("刘洋", "1111", "AD12345"):
        data = await api.data(
            "query($q: String!) { customers(search: $q) { edges { node { id } } } }", {"q": text}
        )
        assert data["customers"]["edges"] == [], f"{role} found store B by {text}"


async def test_store_b_staff_do_find_their_customer_by_each_search(
    api: ApiClient, store_b: dict[str, str]
) -> None:
    await api.login_as("service_advisor", store="B")
    for text in ("刘洋", "1111", "AD12345", "沪AD12345"):
        data = await api.data(
            "query($q: String!) { customers(search: $q) { edges { node { id } } } }", {"q": text}
        )
        assert [e["node"]["id"] for e in data["customers"]["edges"]] == [store_b["Customer"]]


async def test_regional_director_and_admin_read_every_store(
    api: ApiClient, store_b: dict[str, str]
) -> None:
    for role in ("regional_director", "admin"):
        await api.login_as(role, store=None)
        for type_name, node_id in store_b.items():
            if type_name == "Task" and role == "regional_director":
                continue  # checked below: tasks are personal, managers included
            data = await api.data("query($id: ID!) { node(id: $id) { id } }", {"id": node_id})
            assert data["node"] == {"id": node_id}, f"{role} cannot read {type_name}"


async def test_a_task_is_visible_to_its_assignee_and_managers_not_to_colleagues(
    api: ApiClient, store_b: dict[str, str]
) -> None:
    query = "query($id: ID!) { node(id: $id) { id } }"
    for role, sees in (
        ("service_advisor", True),
        ("store_manager", True),
        ("sales_consultant", False),
    ):
        await api.login_as(role, store="B")
        data = await api.data(query, {"id": store_b["Task"]})
        assert (data["node"] is not None) is sees, role


MUTATIONS = {
    "updateCustomer": (
        "mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { __typename "
        "... on NotFoundError { path } } }",
        lambda ids: {"id": ids["Customer"], "version": 1, "name": "改名"},
    ),
    "addVehicle": (
        "mutation($i: AddVehicleInput!) { addVehicle(input: $i) { __typename "
        "... on NotFoundError { path } } }",
        lambda ids: {"customerId": ids["Customer"], "vin": "1M8GDM9AXKP042788", "modelName": "X"},
    ),
    "updateVehicle": (
        "mutation($i: UpdateVehicleInput!) { updateVehicle(input: $i) { __typename "
        "... on NotFoundError { path } } }",
        lambda ids: {"id": ids["Vehicle"], "version": 1, "plate": "沪A00000"},
    ),
    "recordSpecialCircumstance": (
        "mutation($i: RecordSpecialCircumstanceInput!) { recordSpecialCircumstance(input: $i) "
        "{ __typename ... on NotFoundError { path } } }",
        lambda ids: {"customerId": ids["Customer"], "kind": "TOOK_LEAVE"},
    ),
    "bookCar": (
        "mutation($i: BookCarInput!) { bookCar(input: $i) { __typename "
        "... on NotFoundError { path } } }",
        lambda ids: {
            "carId": ids["Car"],
            "startsAt": "2026-11-29T02:00:00Z",
            "endsAt": "2026-11-29T04:00:00Z",
        },
    ),
    "preemptBooking": (
        "mutation($i: PreemptBookingInput!) { preemptBooking(input: $i) { __typename "
        "... on NotFoundError { path } } }",
        lambda ids: {
            "carId": ids["Car"],
            "startsAt": "2026-11-28T02:00:00Z",
            "endsAt": "2026-11-28T04:00:00Z",
            "reason": "VIP",
        },
    ),
    "cancelCarBooking": (
        "mutation($i: CancelCarBookingInput!) { cancelCarBooking(input: $i) { __typename "
        "... on NotFoundError { path } } }",
        lambda ids: {"bookingId": ids["CarBooking"]},
    ),
    "checkOutCar": (
        "mutation($i: CheckOutCarInput!) { checkOutCar(input: $i) { __typename "
        "... on NotFoundError { path } } }",
        lambda ids: {"bookingId": ids["CarBooking"], "odometerKm": 2000, "chargePercent": 80},
    ),
    "returnCar": (
        "mutation($i: ReturnCarInput!) { returnCar(input: $i) { __typename "
        "... on NotFoundError { path } } }",
        lambda ids: {"bookingId": ids["CarBooking"], "odometerKm": 2000, "chargePercent": 80},
    ),
    "recordCarTurnaround": (
        "mutation($i: RecordCarTurnaroundInput!) { recordCarTurnaround(input: $i) { __typename "
        "... on NotFoundError { path } } }",
        lambda ids: {"carId": ids["Car"], "washed": True},
    ),
    "requestLoaner": (
        "mutation($i: RequestLoanerInput!) { requestLoaner(input: $i) { __typename "
        "... on NotFoundError { path } } }",
        lambda ids: {
            "visitId": ids["ServiceVisit"],
            "startsAt": "2026-11-27T02:00:00Z",
            "endsAt": "2026-11-27T04:00:00Z",
        },
    ),
    "checkInForService": (
        "mutation($i: CheckInForServiceInput!) { checkInForService(input: $i) { __typename "
        "... on NotFoundError { path } } }",
        lambda ids: {"customerId": ids["Customer"]},
    ),
    "raiseCase": (
        "mutation($i: RaiseCaseInput!) { raiseCase(input: $i) { __typename "
        "... on NotFoundError { path } } }",
        lambda ids: {
            "customerId": ids["Customer"],
            "touchpointId": ids["Touchpoint"],
            "summary": "x",
        },
    ),
    "addCaseCollaborator": (
        "mutation($i: AddCaseCollaboratorInput!) { addCaseCollaborator(input: $i) { __typename "
        "... on NotFoundError { path } } }",
        lambda ids: {"caseId": ids["Case"], "department": "SERVICE"},
    ),
    "commentOnCase": (
        "mutation($i: CommentOnCaseInput!) { commentOnCase(input: $i) { __typename "
        "... on NotFoundError { path } } }",
        lambda ids: {"caseId": ids["Case"], "text": "x"},
    ),
    "closeCase": (
        "mutation($i: CloseCaseInput!) { closeCase(input: $i) { __typename "
        "... on NotFoundError { path } } }",
        lambda ids: {
            "caseId": ids["Case"],
            "version": 1,
            "resolution": "x",
            "confirmedBy": "x",
            "confirmedVia": "PHONE",
        },
    ),
    "reopenCase": (
        "mutation($i: ReopenCaseInput!) { reopenCase(input: $i) { __typename "
        "... on NotFoundError { path } } }",
        lambda ids: {"caseId": ids["Case"], "version": 1, "reason": "x"},
    ),
    "reassignCase": (
        "mutation($i: ReassignCaseInput!) { reassignCase(input: $i) { __typename "
        "... on NotFoundError { path } } }",
        lambda ids: {"caseId": ids["Case"], "toDepartment": "SALES"},
    ),
    "setTouchpointOwners": (
        "mutation($i: SetTouchpointOwnersInput!) { setTouchpointOwners(input: $i) { __typename "
        "... on NotFoundError { path } } }",
        lambda ids: {
            "id": ids["Touchpoint"],
            "version": 1,
            "ownerDepartment": "SALES",
            "collaboratingDepartments": [],
        },
    ),
    "recordTeachingSession": (
        "mutation($i: RecordTeachingSessionInput!) { recordTeachingSession(input: $i) "
        "{ __typename ... on NotFoundError { path } } }",
        lambda ids: {
            "customerId": ids["Customer"],
            "kind": "AD_HOC",
            "topics": [{"topicId": ids["LearningTopic"], "level": "MASTERED"}],
        },
    ),
    "amendTeachingSession": (
        "mutation($i: AmendTeachingSessionInput!) { amendTeachingSession(input: $i) "
        "{ __typename ... on NotFoundError { path } } }",
        lambda ids: {
            "id": ids["TeachingSession"],
            "version": 1,
            "kind": "AD_HOC",
            "topics": [{"topicId": ids["LearningTopic"], "level": "MASTERED"}],
        },
    ),
    "addLearningTopic": (
        "mutation($i: AddLearningTopicInput!) { addLearningTopic(input: $i) "
        "{ __typename ... on NotFoundError { path } } }",
        lambda ids: {
            "storeId": ids["Store"],
            "name": "x",
            "stage": "LATER",
            "department": "SERVICE",
        },
    ),
    "renameLearningTopic": (
        "mutation($i: RenameLearningTopicInput!) { renameLearningTopic(input: $i) "
        "{ __typename ... on NotFoundError { path } } }",
        lambda ids: {"id": ids["LearningTopic"], "version": 1, "name": "x"},
    ),
    "moveLearningTopic": (
        "mutation($i: MoveLearningTopicInput!) { moveLearningTopic(input: $i) "
        "{ __typename ... on NotFoundError { path } } }",
        lambda ids: {"id": ids["LearningTopic"], "version": 1, "position": 1},
    ),
    "retireLearningTopic": (
        "mutation($i: RetireLearningTopicInput!) { retireLearningTopic(input: $i) "
        "{ __typename ... on NotFoundError { path } } }",
        lambda ids: {"id": ids["LearningTopic"], "version": 1},
    ),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
async def test_store_a_staff_cannot_change_store_b_objects(
    api: ApiClient, db: AsyncSession, store_b: dict[str, str], mutation: str
) -> None:
    query, make_input = MUTATIONS[mutation]
    await api.login_as("store_manager", store="A")
    before = await row_counts(db)
    data = await api.data(query, {"i": make_input(store_b)})
    payload = data[mutation]
    assert payload["__typename"] == "NotFoundError", payload
    assert payload["path"].startswith("input.")
    assert await row_counts(db) == before


async def test_nested_fields_do_not_leak_across_stores(
    api: ApiClient, store_b: dict[str, str]
) -> None:
    """A store-A user's own tasks list never carries a store-B customer."""
    await api.login_as("service_advisor", store="A")
    data = await api.data("{ myTasks { overdue { id } today { id } upcoming { id } } }")
    assert data["myTasks"] == {"overdue": [], "today": [], "upcoming": []}


async def test_store_a_staff_see_no_store_b_cases_journey_or_measures(
    api: ApiClient, store_b: dict[str, str], world: World
) -> None:
    await api.login_as("store_manager", store="A")
    data = await api.data("{ myCases { id } }")
    assert data["myCases"] == []
    store_b_id = global_id("Store", world.stores["B"].id)
    for query, variables in (
        ("query($s: ID) { journeyMap(storeId: $s) { openCases } }", {"s": store_b_id}),
        (
            "query($c: ID!) { caseDraft(customerId: $c) { suggested { id } } }",
            {"c": store_b["Customer"]},
        ),
        ("query($c: ID!) { customerCases(customerId: $c) { id } }", {"c": store_b["Customer"]}),
        (
            'query($s: ID) { caseMeasures(storeId: $s, from: "2026-11-01", to: "2026-11-30") '
            "{ raised } }",
            {"s": store_b_id},
        ),
    ):
        body = await api.gql(query, variables)
        assert body["data"] is None or not any(body["data"].values()), query
        assert body["errors"][0]["extensions"]["code"] == "NOTFOUND", query
    region = await api.data(
        'query { caseMeasures(from: "2026-11-01", to: "2026-11-30") { raised } }'
    )
    assert region["caseMeasures"]["raised"] == 0


async def test_store_a_staff_read_no_store_b_catalogue_nor_learning_measures(
    api: ApiClient, store_b: dict[str, str]
) -> None:
    await api.login_as("store_manager", store="A")
    for query in (
        "query($s: ID!) { learningTopics(storeId: $s) { id } }",
        'query($s: ID!) { learningMeasures(storeId: $s, from: "2026-11-01", to: "2026-11-30") '
        "{ deliveryTraining { due } } }",
    ):
        body = await api.gql(query, {"s": store_b["Store"]})
        assert body["errors"][0]["extensions"]["code"] == "NOTFOUND", body


async def test_a_store_b_topic_in_a_store_a_session_is_not_found(
    api: ApiClient, db: AsyncSession, as_user: AsUser, clock: ManualClock, store_b: dict[str, str]
) -> None:
    advisor = await as_user("service_advisor", store="A")
    record = await make_record(db, advisor, clock, name="本店客户")
    await api.login_as("service_advisor", store="A")
    query, make_input = MUTATIONS["recordTeachingSession"]
    before = await row_counts(db)
    data = await api.data(
        query,
        {"i": {**make_input(store_b), "customerId": global_id("Customer", record.customer.id)}},
    )
    assert data["recordTeachingSession"] == {
        "__typename": "NotFoundError",
        "path": "input.topics.0.topicId",
    }
    assert await row_counts(db) == before


async def test_store_a_staff_cannot_read_store_b_car_week(
    api: ApiClient, store_b: dict[str, str]
) -> None:
    await api.login_as("store_manager", store="A")
    answer = await api.gql(
        "query($s: ID) { carWeek(storeId: $s) { cars { id } } }", {"s": store_b["Store"]}
    )
    assert answer["errors"][0]["extensions"]["code"] == "NOTFOUND"
    own = await api.data("{ carWeek { cars { id } bookings { id } } }")
    assert own["carWeek"] == {"cars": [], "bookings": []}
