"""Who is told of what (谁该知道): the one table from events to alerts.

Producers (journeys, the reminder sweep) announce an event; this table alone decides who hears
of it, with which alert kind (the kind is also the text: `alert.<kind>.title` and `.body` in
baton/texts) and how urgently. Every row is a rule of DESIGN.md "Alerts" or "Hot handover",
and tests/domain/journeys/test_who_is_told.py holds a test per row."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import AlertKind, CarBooking, Case, Task
from baton.domain.alerts import raise_alert
from baton.domain.events import (
    BookingPreempted,
    CaseCollaboratorAdded,
    CaseEscalated,
    CaseRaised,
    CustomerCheckedIn,
    DateChangeEvent,
    DeliveryDateChanged,
    DeliveryDateChangeRejected,
    DeliveryDateChangeRequested,
    PromisesPendingBeforeHandover,
    StaffTookOver,
    TaskAssigned,
    TaskDueSoon,
    TaskEvent,
    TaskOverdue,
)
from baton.ids import global_id


def assignee(event: TaskEvent) -> Iterable[int | None]:
    return [event.task.assignee_id]


def visit_advisor(event: CustomerCheckedIn) -> Iterable[int | None]:
    return [event.visit.advisor_id]


def sales_and_delivery(event: DateChangeEvent) -> Iterable[int | None]:
    return [event.order.sales_consultant_id, event.delivery_specialist_id]


def approver(event: DateChangeEvent) -> Iterable[int | None]:
    return [event.approval_task.assignee_id if event.approval_task else None]


def successor(event: StaffTookOver) -> Iterable[int | None]:
    return [event.successor.id]


def case_owner_and_supervisors(event: CaseRaised) -> Iterable[int | None]:
    return [event.case.owner_id, *event.supervisor_ids]


def collaborator(event: CaseCollaboratorAdded) -> Iterable[int | None]:
    return [event.collaborator_id]


def new_holders(event: CaseEscalated) -> Iterable[int | None]:
    return event.holder_ids


def case_owner_and_raiser(event: CaseEscalated) -> Iterable[int | None]:
    holders = set(event.holder_ids)
    return [u for u in (event.case.owner_id, event.case.raised_by_id) if u not in holders]


def displaced_booker(event: BookingPreempted) -> Iterable[int | None]:
    return [event.displaced.booked_by_id]


def preemptor(event: BookingPreempted) -> Iterable[int | None]:
    return [event.preempting.booked_by_id]


def managers_when_no_car(event: BookingPreempted) -> Iterable[int | None]:
    return event.manager_ids if event.moved_to is None else []


def always(_event: Any) -> bool:
    return True


@dataclass(frozen=True)
class Notice:
    """Tell `to` with an alert of `kind`, when `when` holds."""

    to: Callable[[Any], Iterable[int | None]]
    kind: AlertKind
    # Pushed at once and through quiet hours ("customer is here now").
    urgent: bool = False
    # Whoever made the change knows of it.
    not_the_actor: bool = False
    when: Callable[[Any], bool] = always


WHO_IS_TOLD: dict[type, tuple[Notice, ...]] = {
    # A task created, due soon or overdue: its assignee (alerts: tasks).
    TaskAssigned: (Notice(assignee, AlertKind.TASK_ASSIGNED),),
    TaskDueSoon: (Notice(assignee, AlertKind.TASK_DUE_SOON),),
    TaskOverdue: (Notice(assignee, AlertKind.TASK_OVERDUE),),
    # T-3 days: the delivery specialist, with the promises still pending (promise checklist).
    PromisesPendingBeforeHandover: (Notice(assignee, AlertKind.PROMISES_PENDING),),
    # A customer with something to remember checks in: their advisor, now (promise checklist).
    CustomerCheckedIn: (
        Notice(
            visit_advisor,
            AlertKind.CUSTOMER_HERE,
            urgent=True,
            when=lambda event: event.worth_telling,
        ),
    ),
    # A date change notifies sales and delivery (hot handover); with an active special
    # circumstance it waits for the store manager, and sales and delivery hear so meanwhile.
    DeliveryDateChangeRequested: (
        Notice(approver, AlertKind.APPROVAL_NEEDED),
        Notice(sales_and_delivery, AlertKind.DELIVERY_DATE_CHANGE_REQUESTED, not_the_actor=True),
    ),
    DeliveryDateChanged: (
        Notice(sales_and_delivery, AlertKind.DELIVERY_DATE_CHANGED, not_the_actor=True),
    ),
    DeliveryDateChangeRejected: (
        Notice(sales_and_delivery, AlertKind.DELIVERY_DATE_CHANGE_REJECTED, not_the_actor=True),
    ),
    # A colleague left: whoever takes over hears what they now hold.
    StaffTookOver: (Notice(successor, AlertKind.STAFF_TOOK_OVER),),
    # A case lands with the touchpoint's owner and the owner department's supervisor
    # (关键接触点责任人制度); a collaborator brought in hears so.
    CaseRaised: (Notice(case_owner_and_supervisors, AlertKind.CASE_ASSIGNED, not_the_actor=True),),
    CaseCollaboratorAdded: (
        Notice(collaborator, AlertKind.CASE_COLLABORATOR_ADDED, not_the_actor=True),
    ),
    # Level 2 or 3 by the clock (三级协调机制): the new level decides, the owner and the raiser
    # know it rose; one alert per person (the dedupe key).
    CaseEscalated: (
        Notice(new_holders, AlertKind.CASE_ESCALATED),
        Notice(case_owner_and_raiser, AlertKind.CASE_ESCALATED_OWNER),
    ),
    # A booking preempted inside the other department's window (car calendar): both sides
    # hear where the displaced booking went; with no backup car free, the store manager too.
    BookingPreempted: (
        Notice(displaced_booker, AlertKind.CAR_BOOKING_PREEMPTED),
        Notice(preemptor, AlertKind.CAR_PREEMPTION_MADE),
        Notice(managers_when_no_car, AlertKind.CAR_NEEDED),
    ),
}


async def tell(session: AsyncSession, event: Any, *, now: datetime) -> list[int]:
    """Raise the alerts the table names for `event`, in the caller's transaction; their ids
    (an alert already raised for the same reason is not raised again)."""
    raised: list[int] = []
    for notice in WHO_IS_TOLD[type(event)]:
        if not notice.when(event):
            continue
        about = event.about(notice.kind.value)
        subject = about.subject
        recipients = {user_id for user_id in notice.to(event) if user_id is not None}
        if notice.not_the_actor:
            recipients.discard(event.actor_id)
        for user_id in sorted(recipients):
            alert_id = await raise_alert(
                session,
                user_id=user_id,
                kind=notice.kind,
                params=about.params,
                url=_url(about.customer_id, subject),
                now=now,
                subject_type=type(subject).__name__,
                subject_id=subject.id,
                customer_id=about.customer_id,
                dedupe_key=about.dedupe_key,
                # One notification per subject on the device: "due soon" replaces "assigned".
                tag=_tag(about.customer_id, subject, urgent=notice.urgent),
                urgent=notice.urgent,
                due_at=about.due_at,
            )
            if alert_id is not None:
                raised.append(alert_id)
    return raised


def _url(customer_id: int | None, subject: Any) -> str:
    """Where a tap on the alert lands: the case or car booking, else the customer it is about,
    else the task, else Today."""
    if isinstance(subject, Case):
        return f"/cases/{global_id('Case', subject.id)}"
    if isinstance(subject, CarBooking):
        return f"/cars?booking={global_id('CarBooking', subject.id)}"
    if customer_id is not None:
        return f"/customers/{global_id('Customer', customer_id)}"
    if isinstance(subject, Task):
        return f"/tasks/{global_id('Task', subject.id)}"
    return "/"


def _tag(customer_id: int | None, subject: Any, *, urgent: bool) -> str:
    if urgent and customer_id is not None:
        return f"customer-{customer_id}"
    return f"{type(subject).__name__.lower()}-{subject.id}"
