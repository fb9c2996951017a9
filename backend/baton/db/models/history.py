"""What happened: the customer timeline, the audit trail, and applied idempotency keys."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from baton.db.models.base import Base
from baton.db.models.org import Department
from baton.db.types import UTCDateTime, str_enum


class TimelineEvent(Base):
    """One line of the customer's cross-department timeline (时间线)."""

    __tablename__ = "timeline_events"
    __table_args__ = (Index("ix_timeline_events_customer_id_at_id", "customer_id", "at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(48))
    department: Mapped[Department | None] = mapped_column(str_enum(Department))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The summary, rendered from the kind and these parameters in the reader's language.
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    subject_type: Mapped[str | None] = mapped_column(String(48))
    subject_id: Mapped[int | None] = mapped_column()


class AuditEntry(Base):
    """Who changed what, when, from which store."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_entity_type_entity_id", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    store_id: Mapped[int | None] = mapped_column(ForeignKey("stores.id"))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(48))
    entity_id: Mapped[int] = mapped_column()
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class IdempotencyKey(Base):
    """A mutation applied once: replays of the same key return this result, writing nothing."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_id_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    operation: Mapped[str] = mapped_column(String(64))
    result_type: Mapped[str] = mapped_column(String(48))
    result_id: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
