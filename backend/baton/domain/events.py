"""What happened (事件): the facts a journey announces.

A journey says what happened and never who hears of it; the one table of who is told
(journeys/who_is_told.py) reads these. Each event carries the people and the facts its alerts
need, so telling costs no further lookups and the wording can be rendered later in each
reader's language."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from baton.db.models import (
    Car,
    CarBooking,
    Case,
    Customer,
    DeliveryDateChange,
    Order,
    ServiceVisit,
    Task,
    User,
)
from baton.db.models.base import Base


@dataclass(frozen=True)
class About:
    """What an alert points at: its subject, the customer, and the key that makes it once."""

    subject: Base
    customer_id: int | None
    dedupe_key: str
    params: dict[str, Any] = field(default_factory=dict)
    due_at: datetime | None = None


@dataclass(frozen=True)
class TaskEvent:
    task: Task
    actor_id: int | None = None

    def about(self, reason: str) -> About:
        # The reminder sweep looks for these keys ("task:<id>:overdue") to remind once.
        key = f"task:{self.task.id}:{reason.removeprefix('task_')}"
        return About(self.task, self.task.customer_id, key)


class TaskAssigned(TaskEvent):
    """A task was created for someone (hot handover, care cadence, an approval)."""


class TaskDueSoon(TaskEvent):
    pass


class TaskOverdue(TaskEvent):
    pass


@dataclass(frozen=True)
class PromisesPendingBeforeHandover(TaskEvent):
    """T-3 days: the "prepare promised items" task came due; its alert lists the promises
    still open when it is sent, not those open when the order was submitted."""

    customer_name: str = ""
    handover_at: datetime | None = None

    def about(self, reason: str) -> About:
        found = super().about(reason)
        handover = self.handover_at.isoformat() if self.handover_at else None
        return About(
            found.subject,
            found.customer_id,
            found.dedupe_key,
            {"customer": self.customer_name, "handover_at": handover},
        )


@dataclass(frozen=True)
class CustomerCheckedIn:
    visit: ServiceVisit
    customer: Customer
    open_promises: list[str]
    # Why the advisor should look up: "circumstance" (active special circumstance), "vip".
    notes: list[str]
    actor_id: int | None = None

    @property
    def worth_telling(self) -> bool:
        return bool(self.open_promises or self.notes)

    def about(self, reason: str) -> About:
        params = {
            "customer": self.customer.name,
            "open": len(self.open_promises),
            "notes": self.notes,
            "promises": self.open_promises,
        }
        key = f"visit:{self.visit.id}:{reason}"
        return About(self.visit, self.customer.id, key, params)


@dataclass(frozen=True)
class DateChangeEvent:
    change: DeliveryDateChange
    order: Order
    customer: Customer
    delivery_specialist_id: int | None
    actor_id: int | None
    # The store manager's approval task, while the change waits for one.
    approval_task: Task | None = None

    def about(self, reason: str) -> About:
        if reason == "approval_needed" and self.approval_task is not None:
            # The manager's alert is about the approval task, worded from it when read.
            return TaskEvent(self.approval_task).about(reason)
        params: dict[str, Any] = {
            "customer": self.customer.name,
            "old_date": _iso(self.change.old_date),
            "new_date": _iso(self.change.new_date),
            "customer_told": self.change.customer_told,
            "note": self.change.decision_note or "",
        }
        key = f"date_change:{self.change.id}:{reason}"
        return About(self.change, self.customer.id, key, params)


class DeliveryDateChangeRequested(DateChangeEvent):
    """A new date for a customer with an active special circumstance: it waits for the store
    manager, and sales and delivery know it is coming."""


class DeliveryDateChanged(DateChangeEvent):
    pass


class DeliveryDateChangeRejected(DateChangeEvent):
    pass


@dataclass(frozen=True)
class StaffTookOver:
    """A colleague left; `successor` now holds their customers and open tasks."""

    successor: User
    leaver: User
    customers: int
    tasks: int
    actor_id: int | None = None

    def about(self, reason: str) -> About:
        params = {
            "from": self.leaver.display_name,
            "customers": self.customers,
            "tasks": self.tasks,
        }
        key = f"user:{self.leaver.id}:{reason}"
        return About(self.leaver, None, key, params)


@dataclass(frozen=True)
class CaseEvent:
    """Something happened to a case; `params` name it (customer, touchpoint, level)."""

    case: Case
    params: dict[str, Any]
    actor_id: int | None = None

    def about(self, reason: str) -> About:
        # Once per case, level and reopening: a second sweep or replica tells nobody twice.
        key = f"case:{self.case.id}:{reason}:{self.case.level}:{self.case.reopened_count}"
        return About(self.case, self.case.customer_id, key, self.params)


@dataclass(frozen=True)
class CaseRaised(CaseEvent):
    """A case landed with its owner and level 1 (the owner department's supervisor)."""

    supervisor_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class CaseCollaboratorAdded(CaseEvent):
    collaborator_id: int = 0

    def about(self, reason: str) -> About:
        found = super().about(reason)
        key = f"{found.dedupe_key}:{self.collaborator_id}"
        return About(found.subject, found.customer_id, key, found.params)


@dataclass(frozen=True)
class CaseEscalated(CaseEvent):
    """The clock moved the case up a level: its new holders decide, its owner knows."""

    holder_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class BookingPreempted:
    """Inside its priority window a department took a car the other had booked: the displaced
    booking moved to `moved_to` (a free backup car) or now needs a car from the manager."""

    displaced: CarBooking
    preempting: CarBooking
    car: Car
    moved_to: Car | None
    reason: str
    manager_ids: list[int]
    actor_id: int | None = None

    def about(self, reason: str) -> About:
        params = {
            "plate": self.car.plate,
            "to_plate": self.moved_to.plate if self.moved_to else "",
            "moved": self.moved_to is not None,
            "starts_at": self.displaced.starts_at.isoformat(),
            "department": self.preempting.department.value,
            "reason": self.reason,
        }
        key = f"car_booking:{self.displaced.id}:{reason}:{self.preempting.id}"
        return About(self.displaced, self.displaced.customer_id, key, params)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
