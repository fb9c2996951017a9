"""The demo's people: staff for every role, and ~100 customers per store with history (vehicle,
order, handover, service visits, learning archive, special circumstances, open tasks)."""

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from baton.db import models
from baton.db.models import Position, Role
from baton.domain.access import Actor
from baton.domain.learning import sessions
from baton.domain.phone import reversed_digits
from baton.domain.vehicles import normalise_plate
from baton.domain.vin import TRANSLITERATION, check_digit

DEMO_PASSWORD = "baton-demo"
CUSTOMERS_PER_STORE = 100
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文"
STREETS = ["世纪大道", "张杨路", "浦东南路", "漕溪北路", "衡山路", "虹桥路", "龙华中路"]
MODELS = ["Model 3 长续航", "Model Y 高性能", "Model 3 后驱", "Model Y 后驱", "Model S"]
COMPLAINTS = [
    "空调异响",
    "右后门密封条漏风",
    "常规保养",
    "更换雨刮",
    "胎压报警",
    "中控屏偶尔黑屏",
    "首保",
]
STAFF = [
    # username, display name, role, store code (None: region/admin), phone
    ("sales.a", "王销售", Role.SALES_CONSULTANT, "SH-PD", "13900000001"),
    ("delivery.a", "李交付", Role.DELIVERY_SPECIALIST, "SH-PD", "13900000002"),
    ("advisor.a", "张服务", Role.SERVICE_ADVISOR, "SH-PD", "13900000003"),
    ("tech.a", "赵技师", Role.TECHNICIAN, "SH-PD", "13900000004"),
    ("parts.a", "孙备件", Role.PARTS, "SH-PD", "13900000005"),
    ("manager.a", "周店长", Role.STORE_MANAGER, "SH-PD", "13900000006"),
    ("sales.b", "陈销售", Role.SALES_CONSULTANT, "SH-XH", "13900000011"),
    ("delivery.b", "杨交付", Role.DELIVERY_SPECIALIST, "SH-XH", "13900000012"),
    ("advisor.b", "黄服务", Role.SERVICE_ADVISOR, "SH-XH", "13900000013"),
    ("manager.b", "吴店长", Role.STORE_MANAGER, "SH-XH", "13900000016"),
    # Supervisors (主管) and managers (经理) of the departments: the escalation ladder.
    ("sales.sup.a", "钱销售主管", Role.SALES_CONSULTANT, "SH-PD", "13900000031"),
    ("sales.mgr.a", "冯销售经理", Role.SALES_CONSULTANT, "SH-PD", "13900000032"),
    ("delivery.sup.a", "郑交付主管", Role.DELIVERY_SPECIALIST, "SH-PD", "13900000033"),
    ("delivery.mgr.a", "褚交付经理", Role.DELIVERY_SPECIALIST, "SH-PD", "13900000034"),
    ("service.sup.a", "卫售后主管", Role.SERVICE_ADVISOR, "SH-PD", "13900000035"),
    ("service.mgr.a", "蒋售后经理", Role.SERVICE_ADVISOR, "SH-PD", "13900000036"),
    ("sales.sup.b", "沈销售主管", Role.SALES_CONSULTANT, "SH-XH", "13900000041"),
    ("delivery.sup.b", "韩交付主管", Role.DELIVERY_SPECIALIST, "SH-XH", "13900000043"),
    ("delivery.mgr.b", "秦交付经理", Role.DELIVERY_SPECIALIST, "SH-XH", "13900000044"),
    ("service.sup.b", "尤售后主管", Role.SERVICE_ADVISOR, "SH-XH", "13900000045"),
    ("director", "郭总监", Role.REGIONAL_DIRECTOR, None, "13900000020"),
    ("admin", "系统管理员", Role.ADMIN, None, None),
]
POSITIONS = {
    username: Position.MANAGER if ".mgr." in username else Position.SUPERVISOR
    for username, *_ in STAFF
    if ".sup." in username or ".mgr." in username
}
VIN_CHARS = sorted(TRANSLITERATION)


def make_vin(rng: random.Random) -> str:
    body = "LRW" + "".join(rng.choice(VIN_CHARS) for _ in range(14))
    return body[:8] + check_digit(body[:8] + "0" + body[9:]) + body[9:]


def make_phone(rng: random.Random, used: set[str]) -> str:
    while True:
        phone = f"+861{rng.choice('35789')}{rng.randrange(10**9):09d}"
        if phone not in used:
            used.add(phone)
            return phone


async def seed_customer(
    session: AsyncSession,
    rng: random.Random,
    store: models.Store,
    staff: dict[Role, models.User],
    catalogue: list[models.LearningTopic],
    phones: set[str],
    index: int,
    now: datetime,
) -> None:
    sales = staff[Role.SALES_CONSULTANT]
    delivery = staff[Role.DELIVERY_SPECIALIST]
    advisor = staff[Role.SERVICE_ADVISOR]
    since = now - timedelta(days=rng.randrange(30, 900))
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    phone = make_phone(rng, phones)
    tags = ["vip"] if index % 11 == 0 else (["fleet"] if index % 17 == 0 else [])
    customer = models.Customer(
        store_id=store.id,
        name=name,
        name_reversed=name[::-1],
        phone=phone,
        phone_reversed=reversed_digits(phone),
        address=f"上海市{rng.choice(STREETS)}{rng.randrange(1, 2000)}号",
        tags=tags,
        created_at=since,
        updated_at=since,
    )
    session.add(customer)
    await session.flush()
    events: list[models.TimelineEvent] = []

    def event(
        at: datetime,
        kind: str,
        actor: models.User,
        params: dict[str, Any] | None = None,
        subject: object = None,
    ) -> None:
        events.append(
            models.TimelineEvent(
                customer_id=customer.id,
                at=at,
                kind=kind,
                department=actor.department,
                actor_id=actor.id,
                params=params or {},
                subject_type=type(subject).__name__ if subject is not None else None,
                subject_id=getattr(subject, "id", None),
            )
        )

    event(since, "customer_created", sales)
    model_name = rng.choice(MODELS)
    vin = make_vin(rng)
    plate = normalise_plate(f"沪A{rng.choice('DF')}{rng.randrange(10000, 99999)}")
    delivered = index % 5 != 0
    vehicle = models.Vehicle(
        customer_id=customer.id,
        vin=vin,
        vin_reversed=vin[::-1],
        plate=plate if delivered else None,
        plate_reversed=plate[::-1] if delivered else None,
        model_name=model_name,
        created_at=since,
    )
    session.add(vehicle)
    await session.flush()
    event(since, "vehicle_added", sales, {"model": model_name, "vin": vin}, vehicle)
    planned = (since + timedelta(days=rng.randrange(10, 40))).date()
    if not delivered:
        planned = (now + timedelta(days=rng.randrange(2, 20))).date()
    order = models.Order(
        customer_id=customer.id,
        vehicle_id=vehicle.id,
        sales_consultant_id=sales.id,
        model_name=model_name,
        planned_delivery_date=planned,
        status=models.OrderStatus.DELIVERED if delivered else models.OrderStatus.SUBMITTED,
        created_at=since,
    )
    session.add(order)
    await session.flush()
    event(since, "order_created", sales, {"model": model_name}, order)
    handover_at = datetime(planned.year, planned.month, planned.day, 6, tzinfo=UTC)
    session.add(
        models.Delivery(
            order_id=order.id,
            customer_id=customer.id,
            delivery_specialist_id=delivery.id,
            scheduled_at=handover_at,
            status=models.DeliveryStatus.COMPLETED
            if delivered
            else models.DeliveryStatus.SCHEDULED,
            completed_at=handover_at if delivered else None,
        )
    )
    if delivered:
        event(handover_at, "handover_completed", delivery, {"model": model_name}, order)
        visit_at = handover_at
        visit_times: list[datetime] = []
        for _ in range(rng.randrange(0, 5)):
            visit_at += timedelta(days=rng.randrange(20, 120))
            if visit_at >= now:
                break
            visit = models.ServiceVisit(
                customer_id=customer.id,
                vehicle_id=vehicle.id,
                advisor_id=advisor.id,
                checked_in_at=visit_at,
                mileage_km=rng.randrange(1000, 60000),
                complaint=rng.choice(COMPLAINTS),
                status=models.VisitStatus.COMPLETED,
            )
            session.add(visit)
            await session.flush()
            event(visit_at, "service_check_in", advisor, {"complaint": visit.complaint}, visit)
            visit_times.append(visit_at)
        await _seed_learning(
            session, store, staff, catalogue, customer.id, index, handover_at, visit_times
        )
    if index % 13 == 0:
        kind = rng.choice(list(models.CircumstanceKind))
        circumstance = models.SpecialCircumstance(
            customer_id=customer.id,
            kind=kind,
            note={
                "sold_old_car": "旧车已卖，等新车上班",
                "took_leave": "请了三天假等提车",
                "business_trip": "下周出差，需要本周交车",
                "other": "家里老人需要用车",
            }[kind.value],
            starts_on=(now - timedelta(days=2)).date(),
            ends_on=(now + timedelta(days=10)).date() if index % 2 else None,
            created_by_id=sales.id,
            created_at=now - timedelta(days=2),
        )
        session.add(circumstance)
        await session.flush()
        event(
            now - timedelta(days=2),
            "special_circumstance",
            sales,
            {"circumstance": kind.value, "note": circumstance.note},
            circumstance,
        )
    if index < 12:
        _seed_tasks(session, customer, staff, index, now)
    session.add_all(events)


# "Do you know Autopilot?" "Yes." So automatic parking was skipped, and never learned.
AUTOPILOT_NOTE = "客户说会用 Autopilot，自动泊车不用讲"


async def _seed_learning(
    session: AsyncSession,
    store: models.Store,
    staff: dict[Role, models.User],
    catalogue: list[models.LearningTopic],
    customer_id: int,
    index: int,
    handover_at: datetime,
    visit_times: list[datetime],
) -> None:
    """A delivered customer's archive: a delivery training at the handover (most of them;
    every fourth skipped automatic parking on the customer's word), then a first-service
    training at the first visit, with a refresher now and then."""
    rng = random.Random(customer_id * 7919)
    by_stage: dict[models.TopicStage, list[models.LearningTopic]] = {}
    for topic in catalogue:
        by_stage.setdefault(topic.stage, []).append(topic)

    def level() -> str:
        return rng.choices(["mastered", "practised", "introduced"], [6, 3, 1])[0]

    async def teach(
        who: models.User,
        at: datetime,
        kind: str,
        taught: list[sessions.TaughtTopic],
        skipped: list[sessions.SkippedTopic],
        note: str = "",
    ) -> None:
        actor = Actor(who, frozenset({store.id}))
        content = sessions.SessionContent(kind=kind, note=note, taught=taught, skipped=skipped)
        await sessions.record_teaching_session(
            session, actor, customer_id, content, taught_at=at, now=at
        )

    if index % 9 != 4:
        delivery_topics = by_stage[models.TopicStage.DELIVERY][: rng.randrange(4, 9)]
        skips_parking = index % 4 == 1
        taught = [
            sessions.TaughtTopic(t.id, level())
            for t in delivery_topics
            if not (skips_parking and t.code == "automatic_parking")
        ]
        skipped = [
            sessions.SkippedTopic(t.id, "knows_it", AUTOPILOT_NOTE)
            for t in by_stage[models.TopicStage.DELIVERY]
            if skips_parking and t.code == "automatic_parking"
        ]
        await teach(
            staff[Role.DELIVERY_SPECIALIST],
            handover_at + timedelta(hours=1),
            "delivery_training",
            taught,
            skipped,
            AUTOPILOT_NOTE if skips_parking else "",
        )
    if visit_times:
        first_service = by_stage[models.TopicStage.FIRST_SERVICE][: rng.randrange(2, 5)]
        taught = [sessions.TaughtTopic(t.id, level()) for t in first_service]
        if index % 6 == 0:
            # A refresher: home charging again, at a level perhaps below the one reached.
            home = next(t for t in catalogue if t.code == "home_charging")
            taught.append(sessions.TaughtTopic(home.id, "practised"))
        await teach(
            staff[Role.SERVICE_ADVISOR],
            visit_times[0] + timedelta(minutes=40),
            "first_service_training",
            taught,
            [],
        )


def _seed_tasks(
    session: AsyncSession,
    customer: models.Customer,
    staff: dict[Role, models.User],
    index: int,
    now: datetime,
) -> None:
    """A handful of open tasks per frontline person, overdue, today and upcoming."""
    plans = [
        (Role.SALES_CONSULTANT, "pre_delivery_care_call", timedelta(hours=-5)),
        (Role.DELIVERY_SPECIALIST, "three_party_confirmation", timedelta(hours=3)),
        (Role.SERVICE_ADVISOR, "welcome_callback", timedelta(days=2)),
    ]
    role, kind, offset = plans[index % len(plans)]
    session.add(
        models.Task(
            store_id=customer.store_id,
            customer_id=customer.id,
            kind=kind,
            params={"customer": customer.name},
            assignee_id=staff[role].id,
            due_at=now + offset + timedelta(minutes=17 * index),
            state=models.TaskState.OPEN,
            created_at=now - timedelta(days=1),
        )
    )
