"""What a task, an alert or a timeline event says (措辞): the catalogue key and parameters its
text is rendered from, with the facts that must be current filled in.

Rows keep a kind and parameters; a few texts also show something that changes after the row
was written (the promises still pending, a task's due time after a date change). The API
renders these wordings when read, the dispatcher when pushed (baton/texts), each in the
reader's language."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import (
    Alert,
    AlertKind,
    BriefKind,
    HandoverBrief,
    Promise,
    Task,
    TimelineEvent,
)
from baton.domain.promises import is_pending_item, pending_items_of_orders
from baton.domain.tasks import PREPARE_PROMISED_ITEMS


@dataclass(frozen=True)
class Wording:
    key: str
    params: dict[str, Any]


def pending_items(promises: Sequence[Promise]) -> list[str]:
    return [promise.description for promise in promises if is_pending_item(promise)]


def task_lists_pending(task: Task) -> bool:
    return task.kind == PREPARE_PROMISED_ITEMS and task.order_id is not None


def task_wording(task: Task, pending: list[str] | None = None) -> Wording:
    """The subject; `pending` is the order's pending items when the task lists them."""
    params = dict(task.params)
    if task_lists_pending(task):
        params["promises"] = pending or []
    return Wording(f"task.{task.kind}", params)


# The brief each kind of task is read with: what sales told delivery before the handover,
# what delivery told service after it (热交接: the next person continues, never asks again).
BRIEF_READ_BY_TASK = {
    "three_way_intro": BriefKind.SALES_TO_DELIVERY,
    "three_party_confirmation": BriefKind.SALES_TO_DELIVERY,
    PREPARE_PROMISED_ITEMS: BriefKind.SALES_TO_DELIVERY,
    "welcome_callback": BriefKind.DELIVERY_TO_SERVICE,
}


def task_brief_kind(task: Task) -> BriefKind | None:
    return BRIEF_READ_BY_TASK.get(task.kind) if task.order_id is not None else None


# Tasks after the handover that carry what the customer raised at it ("wants to learn
# automatic parking"), so the advisor's welcome call continues where delivery stopped.
READS_HANDOVER_ISSUES = frozenset({"welcome_callback"})


def task_details(
    task: Task,
    pending: list[str] | None = None,
    briefs: Sequence[HandoverBrief] = (),
    handover_issues: str = "",
) -> list[str]:
    """What the task is about beyond its kind, as staff typed it: the promised items still
    pending, the issues the customer raised at the handover, the brief passed on to the
    assignee. `briefs` are the order's; `handover_issues` its delivery's."""
    details = list(pending or []) if task_lists_pending(task) else []
    issues = task.params.get("issues")
    if task.kind in READS_HANDOVER_ISSUES:
        issues = handover_issues
    if isinstance(issues, str) and issues.strip():
        details.append(issues.strip())
    kind = task_brief_kind(task)
    for brief in briefs:
        if brief.kind is kind:
            fields = (brief.personality, brief.special_needs, brief.concerns, brief.issues)
            details += [text.strip() for text in fields if text.strip() and text not in details]
    return details


def alert_order_id(alert: Alert, task: Task | None) -> int | None:
    """The order whose pending items the alert's text lists, if it lists them."""
    if task is None or task.order_id is None:
        return None
    if alert.kind is AlertKind.PROMISES_PENDING or task_lists_pending(task):
        return task.order_id
    return None


def alert_wording(
    alert: Alert, task: Task | None, pending: list[str] | None = None
) -> tuple[Wording, Wording]:
    """Title and body. An alert about a task words the task as it is now (its due time
    moves with the delivery date); "promises pending" lists those still open."""
    params = dict(alert.params)
    if task is not None:
        subject = task_wording(task, pending)
        params["task"] = {"key": subject.key, "params": subject.params}
        params["due_at"] = task.due_at.isoformat()
    if alert.kind is AlertKind.PROMISES_PENDING:
        params["promises"] = pending or []
        params["open"] = len(pending or [])
    kind = alert.kind.value
    return Wording(f"alert.{kind}.title", params), Wording(f"alert.{kind}.body", params)


def timeline_wording(event: TimelineEvent) -> Wording:
    return Wording(f"timeline.{event.kind}", event.params)


@dataclass(frozen=True)
class AlertFacts:
    task: Task | None
    pending: list[str] | None


async def alert_facts(session: AsyncSession, alerts: Sequence[Alert]) -> dict[int, AlertFacts]:
    """The current facts of many alerts' texts in two statements (for the dispatcher)."""
    task_ids = {a.subject_id for a in alerts if a.subject_type == "Task" and a.subject_id}
    tasks = {
        task.id: task
        for task in (
            await session.scalars(select(Task).where(Task.id.in_(task_ids))) if task_ids else []
        )
    }
    found: dict[int, AlertFacts] = {}
    order_ids: set[int] = set()
    for alert in alerts:
        task = tasks.get(alert.subject_id or 0) if alert.subject_type == "Task" else None
        order_id = alert_order_id(alert, task)
        if order_id is not None:
            order_ids.add(order_id)
        found[alert.id] = AlertFacts(task, None)
    if order_ids:
        pending = await pending_items_of_orders(session, sorted(order_ids))
        for alert in alerts:
            facts = found[alert.id]
            order_id = alert_order_id(alert, facts.task)
            if order_id is not None:
                found[alert.id] = AlertFacts(facts.task, pending[order_id])
    return found
