"""Migration 0004 turns the stored Chinese sentences into the parameters of their texts.

An empty database is migrated to 0003, filled with rows in the old producers' formats
(domain/*.py and seed.py at ae8bbd8), and upgraded: every row gets exactly the parameters the
new producers write, the zh-CN rendering gives back the old sentence where the catalogue keeps
its wording, and the English one has no Chinese left but names and what staff typed. The
downgrade renders the parameters back into readable Chinese columns."""

import logging
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from baton.db.engine import create_engine
from baton.db.migrate import alembic_config, upgrade
from baton.db.types import UTCDateTime
from baton.texts import render
from tests.conftest import DATABASES, POSTGRES_SERVER

TZ = "Asia/Shanghai"
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
CJK = re.compile(
    r"[\u2e80-\u2fff\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)
HASH = "0123456789abcdef" * 4
VIN = "LRW3E7EK4NC123456"
MODEL = "极氪 001 YOU"
LONG_COMPLAINT = "空调出风口有异味，" * 60  # 540 characters: the summary kept 500
LONG_ISSUES = "副驾驶座椅加热不工作；" * 25  # 275 characters: the subject kept 200


@pytest.fixture(params=DATABASES)
async def empty_engine(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[AsyncEngine]:
    if request.param == "sqlite":
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
        yield engine
        await engine.dispose()
        return
    name = f"baton_texts_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_SERVER).set(database=name)
    engine = create_engine(url.render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        await engine.dispose()
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        await admin.dispose()


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    def run(connection: Connection) -> None:
        command.downgrade(alembic_config(connection), revision)

    async with engine.begin() as connection:
        await connection.run_sync(run)


# --- the old rows ------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One old row: its sentence, the parameters it must become, and their zh-CN rendering
    (None: the old sentence itself, the catalogue kept the wording)."""

    id: int
    kind: str
    old: str
    params: dict[str, Any]
    zh: str | None = None
    subject_type: str | None = None
    subject_id: int | None = None
    customer_id: int | None = 1

    @property
    def expected_zh(self) -> str:
        return self.old if self.zh is None else self.zh


def _task(key: int, kind: str, old: str, params: dict[str, Any], **more: Any) -> Case:
    return Case(key, kind, old, params, **more)


ZHANG = {"customer": "张伟"}
TASKS = [
    _task(1, "brief_delivery", "向交付专员简报客户：张伟", ZHANG),
    _task(2, "three_way_intro", "客户、销售、交付三方介绍：张伟", ZHANG),
    _task(3, "pre_delivery_care_call", "交付前关怀电话：张伟", ZHANG),
    _task(4, "three_party_confirmation", "三方确认交付安排：张伟", ZHANG),
    # The promises are listed when the task is shown now, not frozen in its subject.
    _task(
        5,
        "prepare_promised_items",
        "准备承诺物品：张伟：送全车脚垫；贴膜",
        ZHANG,
        zh="准备承诺物品：张伟",
    ),
    _task(
        6,
        "brief_service_advisor",
        "向服务顾问交接客户：张伟：右后门异响",
        {"customer": "张伟", "issues": "右后门异响"},
    ),
    _task(
        7, "brief_service_advisor", "向服务顾问交接客户：张伟", {"customer": "张伟", "issues": ""}
    ),
    _task(8, "welcome_callback", "新车主欢迎回访：张伟", ZHANG),
    _task(9, "sales_follow_up_call", "交车后跟进电话：张伟", ZHANG),
    _task(10, "first_service_reminder", "首保提醒并介绍服务顾问：张伟", ZHANG),
    _task(
        11,
        "approve_delivery_date_change",
        "审批改期（客户有特殊情况）：李娜：未定 → 2026-12-10",
        {"customer": "李娜", "old_date": None, "new_date": "2026-12-10"},
        customer_id=2,
    ),
    _task(
        12,
        "delivery_date_changed",
        "交付日期变更：张伟：2026-12-01 → 2026-12-05（已告知客户）",
        {
            "customer": "张伟",
            "old_date": "2026-12-01",
            "new_date": "2026-12-05",
            "customer_told": True,
        },
    ),
    _task(
        13,
        "delivery_date_changed",
        "交付日期变更：张伟：2026-12-01 → 2026-12-05（客户尚未知晓，请联系）",
        {
            "customer": "张伟",
            "old_date": "2026-12-01",
            "new_date": "2026-12-05",
            "customer_told": False,
        },
    ),
    _task(
        14,
        "first_service_reminder",
        "首保提醒并介绍服务顾问：李娜",
        {"customer": "李娜"},
        customer_id=2,
    ),
]
ODD_TASKS = [
    # A kind the catalogue does not know reads as the generic task text.
    _task(20, "mystery_kind", "神秘任务：张伟", ZHANG, zh="任务：张伟"),
    # No customer: the name read off a known kind's subject, else nothing.
    _task(
        21, "welcome_callback", "新车主欢迎回访：路人甲", {"customer": "路人甲"}, customer_id=None
    ),
    _task(22, "mystery_kind", "随便什么", {}, zh="任务", customer_id=None),
    # Renamed since: the name as the customer is called now.
    _task(
        23,
        "welcome_callback",
        "新车主欢迎回访：赵敏",
        {"customer": "赵敏敏"},
        zh="新车主欢迎回访：赵敏敏",
        customer_id=3,
    ),
    # Cut at 200 characters: the issues whole, from the delivery.
    _task(
        24,
        "brief_service_advisor",
        f"向服务顾问交接客户：赵敏：{LONG_ISSUES}"[:200],
        {"customer": "赵敏敏", "issues": LONG_ISSUES},
        zh=f"向服务顾问交接客户：赵敏敏：{LONG_ISSUES}",
        customer_id=3,
    ),
    # Not the old wording: the dates from the order's delivery date change.
    _task(
        25,
        "delivery_date_changed",
        "交付日期已调整",
        {
            "customer": "张伟",
            "old_date": "2026-12-01",
            "new_date": "2026-12-05",
            "customer_told": True,
        },
        zh="交付日期变更：张伟：2026-12-01 → 2026-12-05（已告知客户）",
    ),
]
ALL_TASKS = TASKS + ODD_TASKS
TASK_OF = {case.id: case for case in ALL_TASKS}
# Closed tasks: (outcome, note); the timeline's task_completed events below point at them.
DONE: dict[int, tuple[str, str | None]] = {
    2: ("intro_videos_sent", "客户出差，发了视频"),
    3: ("已联系", None),
}


@dataclass(frozen=True)
class AlertCase:
    id: int
    kind: str
    title_zh: str
    title_en: str
    body_zh: str
    body_en: str
    params: dict[str, Any]
    subject_type: str | None = None
    subject_id: int | None = None
    customer_id: int | None = 1
    # The zh-CN body rendered from the params, when it is not the old one.
    zh_body: str | None = None


def _task_alert(key: int, kind: str, head_zh: str, head_en: str, task: int) -> AlertCase:
    # Task 1 and 11 are due 10:00 on 24 November, Shanghai time (see _old_rows).
    case = TASK_OF[task]
    return AlertCase(
        key,
        kind,
        f"{head_zh}：{case.old}",
        f"{head_en}: {case.old}",
        "截止 11月24日 10:00",
        "Due 24 Nov 10:00",
        {},
        "Task",
        task,
        case.customer_id,
    )


FIVE = ["送全车脚垫", "贴膜", "加油卡 500 元", "首保免费", "行车记录仪"]
ALERTS = [
    _task_alert(1, "task_assigned", "新任务", "New task", 1),
    _task_alert(2, "task_due_soon", "即将到期", "Due soon", 11),
    _task_alert(3, "task_overdue", "已逾期", "Overdue", 1),
    _task_alert(4, "approval_needed", "待审批", "Approval needed", 11),
    AlertCase(
        5,
        "customer_here",
        "客户到店：李娜",
        "Customer here: 李娜",
        "2 项承诺未兑现；特殊情况进行中；VIP\n• 送全车脚垫\n• 首保免费",
        "2 open promises; active special circumstance; VIP\n• 送全车脚垫\n• 首保免费",
        {
            "customer": "李娜",
            "open": 2,
            "notes": ["circumstance", "vip"],
            "promises": ["送全车脚垫", "首保免费"],
        },
        "ServiceVisit",
        1,
        2,
    ),
    AlertCase(
        6,
        "customer_here",
        "客户到店：张伟",
        "Customer here: 张伟",
        "7 项承诺未兑现\n" + "\n".join(f"• {p}" for p in FIVE) + "\n…另有 2 项",
        "7 open promises\n" + "\n".join(f"• {p}" for p in FIVE) + "\n…and 2 more",
        {"customer": "张伟", "open": 7, "notes": [], "promises": FIVE},
        "ServiceVisit",
        1,
        # Only the five shown were kept: "…另有 2 项" is gone.
        zh_body="7 项承诺未兑现\n" + "\n".join(f"• {p}" for p in FIVE),
    ),
    AlertCase(
        7,
        "customer_here",
        "客户到店：李娜",
        "Customer here: 李娜",
        "1 项承诺未兑现；VIP\n• 首保免费",
        "1 open promise; VIP\n• 首保免费",
        {"customer": "李娜", "open": 1, "notes": ["vip"], "promises": ["首保免费"]},
        "ServiceVisit",
        1,
        2,
    ),
    AlertCase(
        8,
        "customer_here",
        "客户到店：李娜",
        "Customer here: 李娜",
        "无未兑现承诺；特殊情况进行中",
        "no open promises; active special circumstance",
        {"customer": "李娜", "open": 0, "notes": ["circumstance"], "promises": []},
        "ServiceVisit",
        1,
        2,
    ),
]


def _event(key: int, kind: str, old: str, params: dict[str, Any], **more: Any) -> Case:
    return Case(key, kind, old, params, **more)


def _done(task: int, summary: str, outcome: str, note: str, zh: str | None = None) -> Case:
    case = TASK_OF[task]
    return _event(
        100 + task,
        "task_completed",
        summary,
        {
            "task": {"key": f"task.{case.kind}", "params": case.params},
            "outcome": outcome,
            "note": note,
        },
        zh=zh,
        subject_type="Task",
        subject_id=task,
    )


EVENTS = [
    _event(1, "customer_created", "", {}),
    _event(
        2,
        "customer_updated",
        "address, name, phone",
        {"fields": ["address", "name", "phone"]},
        zh="地址；姓名；电话",
    ),
    _event(
        3,
        "vehicle_added",
        f"{MODEL} {VIN}",
        {"model": MODEL, "vin": VIN},
        subject_type="Vehicle",
        subject_id=1,
    ),
    _event(
        4,
        "vehicle_updated",
        "model_name, plate",
        {"fields": ["model_name", "plate"]},
        zh="车型；车牌",
    ),
    _event(
        5,
        "special_circumstance",
        "took_leave: 请了三天假等提车",
        {"circumstance": "took_leave", "note": "请了三天假等提车"},
        zh="休假中：请了三天假等提车",
        subject_type="SpecialCircumstance",
        subject_id=1,
        customer_id=2,
    ),
    _event(
        6,
        "special_circumstance",
        "business_trip",
        {"circumstance": "business_trip", "note": ""},
        zh="出差中",
    ),
    _event(7, "order_created", MODEL, {"model": MODEL}, subject_type="Order", subject_id=1),
    _event(
        8,
        "order_submitted",
        f"{MODEL}，计划交付 2026-12-01",
        {"model": MODEL, "planned_delivery_date": "2026-12-01"},
        subject_type="Order",
        subject_id=1,
    ),
    _event(
        9,
        "promise_added",
        "送全车脚垫",
        {"promise": "送全车脚垫"},
        subject_type="Promise",
        subject_id=1,
    ),
    _event(
        10,
        "promise_updated",
        "送全车脚垫和贴膜",
        {"promise": "送全车脚垫和贴膜"},
        subject_type="Promise",
        subject_id=1,
    ),
    _event(
        11,
        "promise_status_changed",
        "送全车脚垫: pending → deferred (2026-12-15)",
        {"promise": "送全车脚垫", "from": "pending", "to": "deferred", "deferred_to": "2026-12-15"},
        zh="送全车脚垫：待兑现 → 已延期（2026-12-15）",
        subject_type="Promise",
        subject_id=1,
    ),
    _event(
        12,
        "promise_status_changed",
        "备注: 含冒号: partially_fulfilled → fulfilled",
        {
            "promise": "备注: 含冒号",
            "from": "partially_fulfilled",
            "to": "fulfilled",
            "deferred_to": None,
        },
        zh="备注: 含冒号：部分兑现 → 已兑现",
    ),
    _event(
        13,
        "checklist_signed",
        "v2，3 项承诺，签字人 张伟",
        {"version": 2, "count": 3, "signer": "张伟"},
        subject_type="ChecklistSignature",
        subject_id=1,
    ),
    _event(
        14,
        "handover_completed",
        f"{MODEL}，清单 v2 ({HASH[:12]})；客户提出：右后门异响",
        {"model": MODEL, "version": 2, "hash": HASH[:12], "issues": "右后门异响"},
        # The catalogue words the hash in full-width brackets.
        zh=f"{MODEL}，清单 v2（{HASH[:12]}）；客户提出：右后门异响",
        subject_type="Delivery",
        subject_id=1,
    ),
    _event(
        15,
        "handover_completed",
        f"{MODEL}，清单 v2 ({HASH[:12]})",
        {"model": MODEL, "version": 2, "hash": HASH[:12], "issues": ""},
        zh=f"{MODEL}，清单 v2（{HASH[:12]}）",
    ),
    _event(
        16,
        "brief_sales_to_delivery",
        "性格爽快；担心续航",
        {"notes": ["性格爽快", "担心续航"]},
        subject_type="HandoverBrief",
        subject_id=1,
    ),
    _event(
        17,
        "brief_delivery_to_service",
        "右后门异响",
        {"notes": ["右后门异响"]},
        subject_type="HandoverBrief",
        subject_id=2,
    ),
    _event(
        18,
        "brief_sales_to_delivery",
        "话少；怕麻烦；想早点提车",
        {"notes": ["话少", "怕麻烦", "想早点提车"]},
    ),
    _event(
        19,
        "service_check_in",
        "空调异味",
        {"complaint": "空调异味"},
        subject_type="ServiceVisit",
        subject_id=1,
    ),
    _event(
        20,
        "entitlement_used",
        "6 次免费保养：已用 1/6",
        {"promise": "6 次免费保养", "used": 1, "total": 6},
        subject_type="EntitlementUse",
        subject_id=1,
    ),
    _event(
        21,
        "delivery_date_changed",
        "2026-12-01 → 2026-12-05，已告知客户（电话）；原因：车辆在途延误",
        {
            "old_date": "2026-12-01",
            "new_date": "2026-12-05",
            "customer_told": True,
            "told_how": "电话",
            "reason": "车辆在途延误",
        },
        subject_type="DeliveryDateChange",
        subject_id=1,
    ),
    _event(
        22,
        "delivery_date_change_requested",
        "未定 → 2026-12-10，尚未告知客户",
        {
            "old_date": None,
            "new_date": "2026-12-10",
            "customer_told": False,
            "told_how": "",
            "reason": "",
        },
        subject_type="DeliveryDateChange",
        subject_id=2,
        customer_id=2,
    ),
    _event(
        23,
        "delivery_date_change_approved",
        "店长批准改期 未定 → 2026-12-10：同意",
        {"old_date": None, "new_date": "2026-12-10", "note": "同意"},
        subject_type="DeliveryDateChange",
        subject_id=2,
        customer_id=2,
    ),
    _event(
        24,
        "delivery_date_change_rejected",
        "店长驳回改期 2026-12-05 → 2026-12-20：客户不同意",
        {"old_date": "2026-12-05", "new_date": "2026-12-20", "note": "客户不同意"},
        subject_type="DeliveryDateChange",
        subject_id=3,
    ),
    # Without their delivery date change row: read off the sentence.
    _event(
        25,
        "delivery_date_change_requested",
        "2026-12-05 → 2026-12-20，已告知客户（微信）；原因：客户要求（出差）",
        {
            "old_date": "2026-12-05",
            "new_date": "2026-12-20",
            "customer_told": True,
            "told_how": "微信",
            "reason": "客户要求（出差）",
        },
    ),
    _event(
        26,
        "delivery_date_changed",
        "2026-12-05 → 2026-12-20，尚未告知客户",
        {
            "old_date": "2026-12-05",
            "new_date": "2026-12-20",
            "customer_told": False,
            "told_how": "",
            "reason": "",
        },
    ),
    _event(
        27,
        "delivery_date_change_approved",
        "店长批准改期 2026-12-01 → 2026-12-05",
        {"old_date": "2026-12-01", "new_date": "2026-12-05", "note": ""},
    ),
    _event(
        28,
        "delivery_date_change_rejected",
        "店长驳回改期 未定 → 2026-12-20：时间：太赶",
        {"old_date": None, "new_date": "2026-12-20", "note": "时间：太赶"},
    ),
    _done(
        2,
        "客户、销售、交付三方介绍：张伟：intro_videos_sent（客户出差，发了视频）",
        "intro_videos_sent",
        "客户出差，发了视频",
    ),
    _done(3, "交付前关怀电话：张伟：已联系", "已联系", ""),
]
ODD_EVENTS = [
    # The seed wrote the model alone, about the order: the rest from its delivery.
    _event(
        40,
        "handover_completed",
        MODEL,
        {"model": MODEL, "version": 2, "hash": HASH[:12], "issues": "右后门异响"},
        zh=f"{MODEL}，清单 v2（{HASH[:12]}）；客户提出：右后门异响",
        subject_type="Order",
        subject_id=1,
    ),
    # ...and the circumstance's note alone: the kind from the record.
    _event(
        41,
        "special_circumstance",
        "旧车已卖，等新车上班",
        {"circumstance": "sold_old_car", "note": "旧车已卖，等新车上班"},
        zh="已卖旧车：旧车已卖，等新车上班",
        subject_type="SpecialCircumstance",
        subject_id=2,
        customer_id=2,
    ),
    # Cut at 500 characters: whole again from the visit.
    _event(
        42,
        "service_check_in",
        LONG_COMPLAINT[:500],
        {"complaint": LONG_COMPLAINT},
        zh=LONG_COMPLAINT,
        subject_type="ServiceVisit",
        subject_id=2,
    ),
    # Does not parse: the text kept in the main free-text parameter.
    _event(
        43,
        "promise_status_changed",
        "状态改了",
        {"promise": "状态改了", "from": "", "to": "", "deferred_to": None},
        zh="状态改了： → ",
    ),
    _event(
        44,
        "order_submitted",
        "已提交订单",
        {"model": "已提交订单", "planned_delivery_date": None},
        zh="已提交订单，计划交付 未定",
    ),
    _event(
        45,
        "task_completed",
        "某任务：完成",
        {"task": {"key": "task.other", "params": {}}, "outcome": "某任务：完成", "note": ""},
        zh="任务：某任务：完成",
        subject_type="Task",
        subject_id=999,
    ),
    _event(
        46,
        "feedback_added",
        "客户表扬交付专员",
        {"text": "客户表扬交付专员"},
        zh="timeline.feedback_added",
    ),
    _event(
        47,
        "checklist_signed",
        "客户签了字",
        {"version": 2, "count": 3, "signer": "张伟"},
        zh="v2，3 项承诺，签字人 张伟",
        subject_type="ChecklistSignature",
        subject_id=1,
    ),
]
ALL_EVENTS = EVENTS + ODD_EVENTS


# --- inserting them with plain Core, at revision 0003 ------------------------------------


def _type_of(value: object) -> Any:
    if isinstance(value, datetime):
        return UTCDateTime()
    if isinstance(value, date):
        return sa.Date()
    if isinstance(value, bool):
        return sa.Boolean()
    if isinstance(value, dict | list):
        return sa.JSON()
    return None


async def _insert(connection: AsyncConnection, table: str, **values: Any) -> None:
    columns = [sa.column(name, _type_of(value)) for name, value in values.items()]
    await connection.execute(sa.table(table, *columns).insert().values(values))


async def _old_rows(connection: AsyncConnection) -> None:
    add = _insert
    day = date(2026, 12, 1)
    await add(connection, "regions", id=1, code="EAST", name="华东大区")
    await add(connection, "stores", id=1, region_id=1, code="S-A", name="门店A", time_zone=TZ)
    for key, role in enumerate(
        ("sales_consultant", "delivery_specialist", "store_manager", "service_advisor"), 1
    ):
        await add(
            connection,
            "users",
            id=key,
            username=f"{role}.a",
            display_name=role,
            password_hash="x",
            role=role,
            store_id=1,
            language="zh-CN",
            is_active=True,
            created_at=NOW,
        )
    for key, name, tags in ((1, "张伟", []), (2, "李娜", ["vip"]), (3, "赵敏敏", [])):
        phone = f"1380013800{key}"
        await add(
            connection,
            "customers",
            id=key,
            store_id=1,
            name=name,
            phone=phone,
            phone_reversed=phone[::-1],
            tags=tags,
            created_at=NOW,
            updated_at=NOW,
            version=1,
        )
    await add(
        connection,
        "vehicles",
        id=1,
        customer_id=1,
        vin=VIN,
        vin_reversed=VIN[::-1],
        model_name=MODEL,
        created_at=NOW,
        version=1,
    )
    for key, customer in ((1, 1), (2, 3)):
        await add(
            connection,
            "orders",
            id=key,
            customer_id=customer,
            vehicle_id=1 if key == 1 else None,
            sales_consultant_id=1,
            model_name=MODEL,
            planned_delivery_date=day,
            status="delivered",
            created_at=NOW,
            checklist_version=2,
            version=1,
        )
    await add(
        connection,
        "checklist_signatures",
        id=1,
        order_id=1,
        customer_id=1,
        checklist_version=2,
        signer_name="张伟",
        strokes="[]",
        point_count=0,
        witness_id=2,
        signed_at=NOW,
        content={"version": 2, "promises": [{"d": "a"}, {"d": "b"}, {"d": "c"}]},
        content_hash=HASH,
        no_promises=False,
    )
    for key, order, customer, issues, signature in (
        (1, 1, 1, "右后门异响", 1),
        (2, 2, 3, LONG_ISSUES, None),
    ):
        await add(
            connection,
            "deliveries",
            id=key,
            order_id=order,
            customer_id=customer,
            delivery_specialist_id=2,
            scheduled_at=NOW,
            status="completed",
            completed_at=NOW,
            final_signature_id=signature,
            customer_issues=issues,
            version=1,
        )
    await add(
        connection,
        "promises",
        id=1,
        order_id=1,
        customer_id=1,
        category="service_package",
        description="6 次免费保养",
        due="entitlement",
        entitlement_total=6,
        entitlement_used=1,
        status="partially_fulfilled",
        evidence_note="",
        made_by_id=1,
        created_at=NOW,
        updated_at=NOW,
        version=1,
    )
    for key, complaint in ((1, "空调异味"), (2, LONG_COMPLAINT)):
        await add(
            connection,
            "service_visits",
            id=key,
            customer_id=1,
            vehicle_id=1,
            advisor_id=4,
            checked_in_at=NOW,
            complaint=complaint,
            status="checked_in",
            version=1,
        )
    await add(
        connection,
        "entitlement_uses",
        id=1,
        promise_id=1,
        visit_id=1,
        customer_id=1,
        recorded_by_id=4,
        used_at=NOW,
    )
    for key, kind, fields in (
        (1, "sales_to_delivery", {"personality": "性格爽快", "concerns": "担心续航"}),
        (2, "delivery_to_service", {"issues": "右后门异响"}),
    ):
        await add(
            connection,
            "handover_briefs",
            id=key,
            order_id=1,
            customer_id=1,
            kind=kind,
            **{"personality": "", "special_needs": "", "concerns": "", "issues": "", **fields},
            written_by_id=1,
            created_at=NOW,
        )
    for key, customer, old, new, told, how, reason, status, note in (
        (1, 1, day, date(2026, 12, 5), True, "电话", "车辆在途延误", "applied", ""),
        (2, 2, None, date(2026, 12, 10), False, "", "", "approved", "同意"),
        (3, 1, date(2026, 12, 5), date(2026, 12, 20), True, "电话", "", "rejected", "客户不同意"),
    ):
        await add(
            connection,
            "delivery_date_changes",
            id=key,
            order_id=1,
            customer_id=customer,
            old_date=old,
            new_date=new,
            reason=reason,
            customer_told=told,
            customer_told_how=how,
            status=status,
            requested_by_id=1,
            # Change 1 was requested before task 25 was made; change 3 after it.
            requested_at=NOW - timedelta(hours=3 - key),
            decision_note=note,
            version=1,
        )
    for key, kind, note in (
        (1, "took_leave", "请了三天假等提车"),
        (2, "sold_old_car", "旧车已卖，等新车上班"),
    ):
        await add(
            connection,
            "special_circumstances",
            id=key,
            customer_id=2,
            kind=kind,
            note=note,
            starts_on=day,
            created_by_id=1,
            created_at=NOW,
        )
    for case in ALL_TASKS:
        outcome, done_note = DONE.get(case.id, (None, None))
        await add(
            connection,
            "tasks",
            id=case.id,
            store_id=1,
            customer_id=case.customer_id,
            order_id=1 if case.customer_id == 1 else (2 if case.customer_id == 3 else None),
            kind=case.kind,
            subject=case.old,
            assignee_id=1,
            due_at=datetime(2026, 11, 24, 2, 0, tzinfo=UTC),
            state="done" if case.id in DONE else "open",
            created_at=NOW - timedelta(hours=1, minutes=30),
            outcome=outcome,
            note=done_note,
            version=1,
        )
    for alert in ALERTS:
        await add(
            connection,
            "alerts",
            id=alert.id,
            user_id=4,
            kind=alert.kind,
            subject_type=alert.subject_type,
            subject_id=alert.subject_id,
            customer_id=alert.customer_id,
            title_zh=alert.title_zh,
            title_en=alert.title_en,
            body_zh=alert.body_zh,
            body_en=alert.body_en,
            url="/customers/x",
            tag=f"alert-{alert.id}",
            dedupe_key=f"alert:{alert.id}",
            urgent=False,
            created_at=NOW,
            due_at=NOW,
            push_state="queued",
            attempts=0,
            next_attempt_at=NOW,
        )
    for case in ALL_EVENTS:
        await add(
            connection,
            "timeline_events",
            id=case.id,
            customer_id=case.customer_id,
            at=NOW,
            kind=case.kind,
            department="sales",
            actor_id=1,
            summary=case.old,
            subject_type=case.subject_type,
            subject_id=case.subject_id,
        )


async def _migrated_with_old_rows(engine: AsyncEngine) -> None:
    await upgrade(engine, "0003")
    async with engine.begin() as connection:
        await _old_rows(connection)
    await upgrade(engine, "head")


async def _params(engine: AsyncEngine, table: str) -> dict[int, Any]:
    columns = sa.table(table, sa.column("id", sa.Integer), sa.column("params", sa.JSON))
    async with engine.connect() as connection:
        rows = await connection.execute(sa.select(columns.c.id, columns.c.params))
        return {row.id: row.params for row in rows}


async def _columns(engine: AsyncEngine, table: str, *names: str) -> dict[int, Any]:
    columns = sa.table(table, sa.column("id"), *(sa.column(name) for name in names))
    async with engine.connect() as connection:
        rows = await connection.execute(sa.select(columns))
        return {row.id: row for row in rows}


# --- checking the renderings -------------------------------------------------------------


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _foreign(rendered: str, params: dict[str, Any]) -> list[str]:
    """The Chinese characters left in an English rendering once the params' own strings
    (names, what staff typed) are taken out."""
    for value in sorted(_strings(params), key=len, reverse=True):
        if value:
            rendered = rendered.replace(value, "")
    return CJK.findall(rendered)


def _task_text(task_id: int, params: dict[int, Any]) -> dict[str, Any]:
    return {"key": f"task.{TASK_OF[task_id].kind}", "params": params[task_id]}


def _alert_params(
    alert: AlertCase, stored: dict[str, Any], tasks: dict[int, Any]
) -> dict[str, Any]:
    """As the readers word an alert about a task: from the task row."""
    if alert.subject_type != "Task" or alert.subject_id is None:
        return stored
    return {
        "task": _task_text(alert.subject_id, tasks),
        "due_at": datetime(2026, 11, 24, 2, 0, tzinfo=UTC).isoformat(),
        **stored,
    }


# --- the tests ---------------------------------------------------------------------------


async def test_tasks_become_their_texts_params(empty_engine: AsyncEngine) -> None:
    await _migrated_with_old_rows(empty_engine)
    params = await _params(empty_engine, "tasks")
    assert params == {case.id: case.params for case in ALL_TASKS}
    for case in ALL_TASKS:
        key = f"task.{case.kind}"
        assert render(key, params[case.id], "zh-CN", time_zone=TZ) in (
            case.expected_zh,
            key,  # the catalogue at this commit shows an unknown key as itself
        ), case
        english = render(key, params[case.id], "en", time_zone=TZ)
        assert _foreign(english, params[case.id]) == [], (case, english)
    known = [case for case in TASKS if case.zh is None]
    assert len(known) == len(TASKS) - 1  # all but prepare_promised_items read as before


async def test_alerts_become_their_texts_params(empty_engine: AsyncEngine) -> None:
    await _migrated_with_old_rows(empty_engine)
    params = await _params(empty_engine, "alerts")
    tasks = await _params(empty_engine, "tasks")
    assert params == {alert.id: alert.params for alert in ALERTS}
    for alert in ALERTS:
        shown = _alert_params(alert, params[alert.id], tasks)
        title = f"alert.{alert.kind}.title"
        body = f"alert.{alert.kind}.body"
        assert render(title, shown, "zh-CN", time_zone=TZ) == alert.title_zh
        assert render(body, shown, "zh-CN", time_zone=TZ) == (alert.zh_body or alert.body_zh)
        for key in (title, body):
            english = render(key, shown, "en", time_zone=TZ)
            assert _foreign(english, shown) == [], (alert, english)


async def test_timeline_events_become_their_texts_params(
    empty_engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="baton.migrations"):
        await _migrated_with_old_rows(empty_engine)
    params = await _params(empty_engine, "timeline_events")
    assert params == {case.id: case.params for case in ALL_EVENTS}
    for case in ALL_EVENTS:
        key = f"timeline.{case.kind}"
        assert render(key, params[case.id], "zh-CN", time_zone=TZ) == case.expected_zh, case
        english = render(key, params[case.id], "en", time_zone=TZ)
        assert _foreign(english, params[case.id]) == [], (case, english)
    # Every odd sentence is told of, and only those.
    warned = " ".join(record.getMessage() for record in caplog.records)
    for odd in (43, 44, 45, 46, 47):
        assert f"timeline event {odd} " in warned
    for case in [*EVENTS, *ODD_EVENTS[:3]]:  # the seed's formats and cut texts read fine
        assert f"timeline event {case.id} " not in warned
    assert "task 25 " in warned


async def test_downgrade_restores_readable_chinese_columns(empty_engine: AsyncEngine) -> None:
    await _migrated_with_old_rows(empty_engine)
    params = {
        table: await _params(empty_engine, table)
        for table in ("tasks", "alerts", "timeline_events")
    }
    await downgrade(empty_engine, "0003")

    subjects = await _columns(empty_engine, "tasks", "subject")
    for case in ALL_TASKS:
        subject = subjects[case.id].subject
        if case.kind == "mystery_kind":
            assert subject == case.expected_zh  # the generic task text, not the key
        else:
            assert subject == case.expected_zh[:200], case
    texts = await _columns(empty_engine, "alerts", "title_zh", "title_en", "body_zh", "body_en")
    for alert in ALERTS:
        row = texts[alert.id]
        assert (row.title_zh, row.body_zh) == (alert.title_zh, alert.zh_body or alert.body_zh)
        shown = _alert_params(alert, params["alerts"][alert.id], params["tasks"])
        assert row.title_en == render(f"alert.{alert.kind}.title", shown, "en", time_zone=TZ)
        for english in (row.title_en, row.body_en):
            assert english and _foreign(english, shown) == [], (alert, english)
    summaries = await _columns(empty_engine, "timeline_events", "summary")
    for case in ALL_EVENTS:
        expected = "客户表扬交付专员" if case.kind == "feedback_added" else case.expected_zh
        assert summaries[case.id].summary == expected[:500], case

    # And back up again: what the downgrade wrote reads as the same parameters.
    await upgrade(empty_engine, "head")
    again = {
        table: await _params(empty_engine, table)
        for table in ("tasks", "alerts", "timeline_events")
    }
    assert again["alerts"] == params["alerts"]
    for case in TASKS:
        assert again["tasks"][case.id] == params["tasks"][case.id], case
    for case in EVENTS:
        assert again["timeline_events"][case.id] == params["timeline_events"][case.id], case
