"""Reading server texts in a test as a user would: rendered in their language."""

from sqlalchemy.ext.asyncio import AsyncSession

from baton.db import models
from baton.domain.promises import pending_items_of_orders
from baton.domain.wording import (
    alert_facts,
    alert_wording,
    task_lists_pending,
    task_wording,
    timeline_wording,
)
from baton.texts import Reader

SHANGHAI = "Asia/Shanghai"


async def alert_text(
    db: AsyncSession, alert: models.Alert, language: str = "zh-CN"
) -> tuple[str, str]:
    """Title and body, worded from the facts as they are now (as the inbox and push do)."""
    facts = (await alert_facts(db, [alert]))[alert.id]
    title, body = alert_wording(alert, facts.task, facts.pending)
    reader = Reader(language, SHANGHAI)
    return reader.say(title.key, title.params), reader.say(body.key, body.params)


def task_subject(
    task: models.Task, language: str = "zh-CN", pending: list[str] | None = None
) -> str:
    wording = task_wording(task, pending)
    return Reader(language, SHANGHAI).say(wording.key, wording.params)


def timeline_summary(event: models.TimelineEvent, language: str = "zh-CN") -> str:
    wording = timeline_wording(event)
    return Reader(language, SHANGHAI).say(wording.key, wording.params)


async def subject_now(db: AsyncSession, task: models.Task, language: str = "zh-CN") -> str:
    """The task's subject as Today shows it now: a T-3 task lists the promises still open."""
    pending = None
    if task_lists_pending(task) and task.order_id is not None:
        pending = (await pending_items_of_orders(db, [task.order_id]))[task.order_id]
    return task_subject(task, language, pending)
