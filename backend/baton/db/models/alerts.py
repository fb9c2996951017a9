"""Alerts (提醒): the in-app inbox, which doubles as the web push outbox, and push devices."""

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from baton.db.models.base import Base
from baton.db.types import UTCDateTime, str_enum


class AlertKind(enum.StrEnum):
    """Why an alert was raised; new capabilities add kinds here (stored as text, no migration)."""

    TASK_ASSIGNED = "task_assigned"
    TASK_DUE_SOON = "task_due_soon"
    TASK_OVERDUE = "task_overdue"
    CUSTOMER_HERE = "customer_here"
    PROMISES_PENDING = "promises_pending"
    DELIVERY_DATE_CHANGE_REQUESTED = "delivery_date_change_requested"
    DELIVERY_DATE_CHANGED = "delivery_date_changed"
    DELIVERY_DATE_CHANGE_REJECTED = "delivery_date_change_rejected"
    APPROVAL_NEEDED = "approval_needed"
    STAFF_TOOK_OVER = "staff_took_over"
    BOOKING_CHANGED = "booking_changed"
    CASE_ASSIGNED = "case_assigned"
    CASE_ESCALATED = "case_escalated"
    CASE_ESCALATED_OWNER = "case_escalated_owner"
    CASE_COLLABORATOR_ADDED = "case_collaborator_added"
    CAR_BOOKING_PREEMPTED = "car_booking_preempted"
    CAR_PREEMPTION_MADE = "car_preemption_made"
    CAR_NEEDED = "car_needed"


class PushState(enum.StrEnum):
    QUEUED = "queued"  # waiting for its due time or for a retry
    SENT = "sent"  # a push service took it for at least one device
    FAILED = "failed"  # gave up: retries exhausted, refused as malformed, or expired
    SKIPPED = "skipped"  # no device to push to: the inbox entry is the alert


class Alert(Base):
    """One inbox entry of one user, and the state of its push (the transactional outbox)."""

    __tablename__ = "alerts"
    __table_args__ = (
        # A dedupe key makes a trigger idempotent: the same task and reason alert once.
        UniqueConstraint("user_id", "dedupe_key", name="uq_alerts_user_id_dedupe_key"),
        Index("ix_alerts_push_state_next_attempt_at", "push_state", "next_attempt_at"),
        Index("ix_alerts_user_id_id", "user_id", "id"),
        Index("ix_alerts_user_id_read_at", "user_id", "read_at"),
        Index("ix_alerts_user_id_sent_at", "user_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[AlertKind] = mapped_column(str_enum(AlertKind, length=48))
    # What the alert is about, as a node type name and number ("Task", 12).
    subject_type: Mapped[str | None] = mapped_column(String(48))
    subject_id: Mapped[int | None] = mapped_column()
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    # Title and body are rendered from the kind and these parameters in the reader's language
    # when read or pushed (baton/texts); an alert about a task words the task as it is then.
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    url: Mapped[str] = mapped_column(String(300))
    # The notification tag on the device and the push Topic: a newer alert replaces an older.
    tag: Mapped[str] = mapped_column(String(64))
    dedupe_key: Mapped[str | None] = mapped_column(String(120))
    # "Customer is here now": high urgency, short TTL, and quiet hours do not hold it.
    urgent: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # When to push: the raise time, moved past the user's quiet hours.
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    push_state: Mapped[PushState] = mapped_column(str_enum(PushState, length=16))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The alert whose push carried this one in a digest (itself for the digest's lead).
    digest_id: Mapped[int | None] = mapped_column()
    push_error: Mapped[str | None] = mapped_column(String(200))
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PushSubscription(Base):
    """One browser on one device that agreed to receive pushes for its user."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # A capability URL: whoever knows it (and the keys) can push to the device.
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(100))
    auth: Mapped[str] = mapped_column(String(40))
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PushDelivery(Base):
    """One alert accepted by a push service for one device, recorded the moment it is.

    The dispatcher never sends an alert again to a device listed here: a retry goes only to
    the devices still missing it, and a dispatcher that restarts after a crash skips what the
    one before it already handed over."""

    __tablename__ = "push_deliveries"

    alert_id: Mapped[int] = mapped_column(
        ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True
    )
    device_id: Mapped[int] = mapped_column(
        ForeignKey("push_subscriptions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
