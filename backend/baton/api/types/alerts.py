"""Alerts in the inbox, the user's push devices, and their alert preferences."""

from datetime import datetime
from urllib.parse import urlsplit

import strawberry
from strawberry import Parent

from baton.api.context import Info
from baton.api.types.customers import CustomerType
from baton.api.types.relay import Node, orm_root
from baton.db import models
from baton.domain.alerts import DEFAULT_QUIET_END, DEFAULT_QUIET_START
from baton.domain.wording import alert_order_id, alert_wording, pending_items
from baton.ids import global_id

AlertKind = strawberry.enum(models.AlertKind)
PushState = strawberry.enum(models.PushState)


@strawberry.type(name="Alert")
class AlertType(Node):
    kind: AlertKind  # type: ignore[valid-type]
    url: str
    tag: str
    urgent: bool
    created_at: datetime
    due_at: datetime = strawberry.field(description="When the push goes out (after quiet hours).")
    read_at: datetime | None
    push_state: PushState  # type: ignore[valid-type]
    push_error: str | None = strawberry.field(
        description="Why the push was not delivered, when it was not; the alert stays here."
    )

    @strawberry.field(description="In the viewer's language.")
    @staticmethod
    async def title(root: Parent[models.Alert], info: Info) -> str:
        return (await _words(root, info))[0]

    @strawberry.field(description="In the viewer's language, with what holds now.")
    @staticmethod
    async def body(root: Parent[models.Alert], info: Info) -> str:
        return (await _words(root, info))[1]

    @strawberry.field(description="Global ID of what the alert is about (a Task, a visit, ...).")
    @staticmethod
    def subject_id(root: Parent[models.Alert]) -> strawberry.ID | None:
        if root.subject_type is None or root.subject_id is None:
            return None
        return strawberry.ID(global_id(root.subject_type, root.subject_id))

    @strawberry.field(
        description="For an alert about a task: its due time now (it moves with the delivery "
        "date), so the inbox words it like Today does."
    )
    @staticmethod
    async def task_due_at(root: Parent[models.Alert], info: Info) -> datetime | None:
        if root.subject_type != "Task" or root.subject_id is None:
            return None
        task = await info.context.loaders.task.load(root.subject_id)
        return task.due_at if task is not None else None

    @strawberry.field
    @staticmethod
    async def customer(root: Parent[models.Alert], info: Info) -> CustomerType | None:
        if root.customer_id is None:
            return None
        return orm_root(await info.context.loaders.customer.load(root.customer_id))

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.Alert)


async def _words(alert: models.Alert, info: Info) -> tuple[str, str]:
    task = None
    if alert.subject_type == "Task" and alert.subject_id is not None:
        task = await info.context.loaders.task.load(alert.subject_id)
    pending = None
    order_id = alert_order_id(alert, task)
    if order_id is not None:
        pending = pending_items(await info.context.loaders.promises_of_order.load(order_id))
    title, body = alert_wording(alert, task, pending)
    reader = info.context.reader()
    return reader.say(title.key, title.params), reader.say(body.key, body.params)


@strawberry.type(name="PushSubscription", description="A device that receives web push.")
class PushSubscriptionType(Node):
    user_agent: str
    created_at: datetime
    last_success_at: datetime | None
    last_failure_at: datetime | None

    @strawberry.field(description="The push service's origin; the full endpoint stays private.")
    @staticmethod
    def push_service(root: Parent[models.PushSubscription]) -> str:
        parts = urlsplit(root.endpoint)
        return f"{parts.scheme}://{parts.netloc}"

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.PushSubscription)


@strawberry.type
class AlertPreferences:
    """Quiet hours are store-local HH:MM; equal start and end mean no quiet hours."""

    @strawberry.field
    @staticmethod
    def quiet_hours_start(root: Parent[models.User]) -> str:
        return f"{root.quiet_hours_start or DEFAULT_QUIET_START:%H:%M}"

    @strawberry.field
    @staticmethod
    def quiet_hours_end(root: Parent[models.User]) -> str:
        return f"{root.quiet_hours_end or DEFAULT_QUIET_END:%H:%M}"

    @strawberry.field(description="zh-CN or en: the language of pushes and alert texts.")
    @staticmethod
    def language(root: Parent[models.User]) -> str:
        return root.language
