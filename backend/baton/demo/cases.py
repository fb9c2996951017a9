"""Demo cases (问题单): open and closed ones at each level, dated in the past so the clock has
already moved them (there is no clock override in the product). Raised, escalated and closed
through the real domain steps, so their alerts, timeline lines and spells are the real ones."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db import models
from baton.db.models import ConfirmationChannel, Department, Position, Role
from baton.domain.access import load_actor
from baton.domain.cases import lifecycle, ownership
from baton.domain.cases.touchpoints import set_up_journey
from baton.domain.journeys.cases.escalation import sweep_escalations
from baton.domain.journeys.cases.raising import bring_in_collaborator, raise_case


@dataclass(frozen=True)
class Plan:
    touchpoint: str
    raiser: Role
    summary: str
    # How long ago it was raised; closed this many hours after raising (None: still open).
    hours_ago: float
    closed_after: float | None = None
    collaborator: Department | None = None
    resolution: str = ""
    bounced: bool = False
    reopened: bool = False


PLANS = [
    # Still open: 3 h (level 1), 30 h (level 2) and 50 h (level 3) ago.
    Plan("temporary_plate", Role.SALES_CONSULTANT, "临牌还没下来，客户周末要出城", 3),
    Plan(
        "home_charger_booking",
        Role.SALES_CONSULTANT,
        "家充桩勘测约了两次都没人来",
        30,
        collaborator=Department.SERVICE,
        bounced=True,
    ),
    Plan(
        "charging_problems",
        Role.DELIVERY_SPECIALIST,
        "超充站充电功率只有一半，客户很不满",
        50,
        collaborator=Department.DELIVERY,
    ),
    # Closed: most at level 1, one at level 2, one at level 3, one reopened and closed again.
    Plan(
        "delivery_confirmation",
        Role.SALES_CONSULTANT,
        "交付时间客户没收到确认短信",
        120,
        closed_after=4,
        resolution="已电话确认交付时间并补发短信",
    ),
    Plan(
        "feature_walkthrough",
        Role.SERVICE_ADVISOR,
        "交付时没讲自动泊车，客户不会用",
        200,
        closed_after=20,
        resolution="约客户到店补讲并录了视频",
    ),
    Plan(
        "software_update",
        Role.DELIVERY_SPECIALIST,
        "升级后蓝牙钥匙失灵",
        150,
        closed_after=9,
        resolution="远程重置钥匙，客户确认可用",
    ),
    Plan(
        "permanent_plate",
        Role.SALES_CONSULTANT,
        "正式牌照材料缺一份，客户跑了两趟",
        260,
        closed_after=36,
        collaborator=Department.SALES,
        resolution="销售补齐材料，交付代办上牌",
    ),
    Plan(
        "minor_faults",
        Role.SALES_CONSULTANT,
        "右后门异响三次未修好",
        340,
        closed_after=60,
        collaborator=Department.DELIVERY,
        resolution="区域总监协调更换门锁总成",
    ),
    Plan(
        "insurance_renewal",
        Role.SERVICE_ADVISOR,
        "续保报价与承诺不符",
        180,
        closed_after=6,
        resolution="按承诺价格出单",
        reopened=True,
    ),
]


async def seed_cases(
    session: AsyncSession,
    store: models.Store,
    users: list[models.User],
    customers: list[models.Customer],
    now: datetime,
) -> None:
    await set_up_journey(session, store.id)
    points = {
        tp.key: tp
        for tp in await session.scalars(
            select(models.Touchpoint).where(models.Touchpoint.store_id == store.id)
        )
    }
    staff = {u.role: u for u in users if u.store_id == store.id and u.position is Position.STAFF}
    for plan, customer in zip(PLANS, customers, strict=False):
        raised_at = now - timedelta(hours=plan.hours_ago)
        raiser = await load_actor(session, staff[plan.raiser])
        case = await raise_case(
            session,
            raiser,
            customer_id=customer.id,
            touchpoint_id=points[plan.touchpoint].id,
            summary=plan.summary,
            now=raised_at,
        )
        owner = await load_actor(session, await session.get(models.User, case.owner_id))  # type: ignore[arg-type]
        if plan.collaborator is not None:
            await bring_in_collaborator(
                session,
                owner,
                case.id,
                department=plan.collaborator,
                user_id=None,
                now=raised_at + timedelta(hours=1),
            )
        if plan.bounced:
            await ownership.count_refused_bounce(
                session, owner, case.id, department="sales", now=raised_at + timedelta(hours=2)
            )
        await session.commit()
        if plan.closed_after is None:
            continue
        closing = raised_at + timedelta(hours=plan.closed_after)
        await sweep_escalations(session, now=closing)
        await session.refresh(case)
        await lifecycle.close_case(
            session,
            owner,
            case.id,
            resolution=plan.resolution,
            confirmed_by=customer.name,
            confirmed_via=ConfirmationChannel.PHONE,
            expected_version=case.version,
            now=closing,
        )
        if plan.reopened:
            reopened_at = closing + timedelta(days=2)
            await lifecycle.reopen_case(
                session,
                raiser,
                case.id,
                reason="出单后保费又变了",
                expected_version=case.version,
                now=reopened_at,
            )
            await lifecycle.close_case(
                session,
                owner,
                case.id,
                resolution="保险公司更正保单，客户确认",
                confirmed_by=customer.name,
                confirmed_via=ConfirmationChannel.APP,
                expected_version=case.version,
                now=reopened_at + timedelta(hours=5),
            )
        await session.commit()
    # The clock catches up with the open ones: the 30 h case is at level 2, the 50 h at 3.
    await sweep_escalations(session, now=now)
