"""Alert triggers: what a change tells whom. Each trigger is one `raise_alert` call, made in
the transaction of the change, with a dedupe key so the same thing alerts once."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import AlertKind, Customer, CustomerTag, ServiceVisit, Store, Task
from baton.domain.alerts import Localized, bullet_list, local_time_text, raise_alert
from baton.domain.customers import active_circumstance_customer_ids
from baton.domain.localtime import local_date
from baton.domain.promises import open_promises_of_customers
from baton.ids import global_id


def task_url(task: Task) -> str:
    """Where a tap on the alert lands: the customer the task is about, else the task list."""
    if task.customer_id is not None:
        return customer_url(task.customer_id)
    return f"/tasks/{global_id('Task', task.id)}"


def customer_url(customer_id: int) -> str:
    return f"/customers/{global_id('Customer', customer_id)}"


async def _store_time_zone(session: AsyncSession, store_id: int) -> str:
    store = await session.get(Store, store_id)
    return store.time_zone if store is not None else "Asia/Shanghai"


async def _task_alert(
    session: AsyncSession,
    task: Task,
    *,
    kind: AlertKind,
    reason: str,
    title: Localized,
    now: datetime,
) -> int | None:
    due = local_time_text(task.due_at, await _store_time_zone(session, task.store_id))
    return await raise_alert(
        session,
        user_id=task.assignee_id,
        kind=kind,
        title=title,
        body=Localized(f"截止 {due.zh}", f"Due {due.en}"),
        url=task_url(task),
        now=now,
        subject_type="Task",
        subject_id=task.id,
        customer_id=task.customer_id,
        dedupe_key=f"task:{task.id}:{reason}",
        # One notification per task on the device: "due soon" replaces "assigned".
        tag=f"task-{task.id}",
    )


async def task_assigned(session: AsyncSession, task: Task, *, now: datetime) -> int | None:
    title = Localized(f"新任务：{task.subject}", f"New task: {task.subject}")
    return await _task_alert(
        session, task, kind=AlertKind.TASK_ASSIGNED, reason="assigned", title=title, now=now
    )


async def task_due_soon(session: AsyncSession, task: Task, *, now: datetime) -> int | None:
    title = Localized(f"即将到期：{task.subject}", f"Due soon: {task.subject}")
    return await _task_alert(
        session, task, kind=AlertKind.TASK_DUE_SOON, reason="due_soon", title=title, now=now
    )


async def task_overdue(session: AsyncSession, task: Task, *, now: datetime) -> int | None:
    title = Localized(f"已逾期：{task.subject}", f"Overdue: {task.subject}")
    return await _task_alert(
        session, task, kind=AlertKind.TASK_OVERDUE, reason="overdue", title=title, now=now
    )


async def customer_checked_in(
    session: AsyncSession, visit: ServiceVisit, customer: Customer, *, now: datetime
) -> int | None:
    """ "Customer is here now" to the visit's advisor, when there is something to remember:
    open promises or entitlements, an active special circumstance, or VIP."""
    promised = await open_promises_of_customers(session, [customer.id])
    lines = [promise.description for promise in promised]
    today = local_date(now, await _store_time_zone(session, customer.store_id))
    notes_zh: list[str] = []
    notes_en: list[str] = []
    if await active_circumstance_customer_ids(session, [customer.id], today):
        notes_zh.append("特殊情况进行中")
        notes_en.append("active special circumstance")
    if CustomerTag.VIP.value in customer.tags:
        notes_zh.append("VIP")
        notes_en.append("VIP")
    if not lines and not notes_zh:
        return None
    promises = bullet_list(lines)
    plural = "" if len(lines) == 1 else "s"
    head = Localized(
        f"{len(lines)} 项承诺未兑现" if lines else "无未兑现承诺",
        f"{len(lines)} open promise{plural}" if lines else "no open promises",
    )
    body = Localized(
        "；".join([head.zh, *notes_zh]) + ("\n" + promises.zh if lines else ""),
        "; ".join([head.en, *notes_en]) + ("\n" + promises.en if lines else ""),
    )
    return await raise_alert(
        session,
        user_id=visit.advisor_id,
        kind=AlertKind.CUSTOMER_HERE,
        title=Localized(f"客户到店：{customer.name}", f"Customer here: {customer.name}"),
        body=body,
        url=customer_url(customer.id),
        now=now,
        subject_type="ServiceVisit",
        subject_id=visit.id,
        customer_id=customer.id,
        dedupe_key=f"visit:{visit.id}:customer_here",
        tag=f"customer-{customer.id}",
        urgent=True,
    )
