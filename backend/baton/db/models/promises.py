"""Promise checklist (承诺清单): what sales promised on an order, and the customer's signatures."""

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from baton.db.models.base import Base
from baton.db.types import UTCDateTime, str_enum


class PromiseCategory(enum.StrEnum):
    VEHICLE_CONFIGURATION = "vehicle_configuration"
    GIFT_ACCESSORY = "gift_accessory"
    SERVICE_PACKAGE = "service_package"
    DELIVERY_TIME = "delivery_time"
    OTHER = "other"


class PromiseDue(enum.StrEnum):
    AT_HANDOVER = "at_handover"
    BY_DATE = "by_date"
    # Counted uses within a validity period ("6 free services within 3 years").
    ENTITLEMENT = "entitlement"


class PromiseStatus(enum.StrEnum):
    PENDING = "pending"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    FULFILLED = "fulfilled"
    DEFERRED = "deferred"
    WAIVED = "waived"
    CANCELLED = "cancelled"


class Promise(Base):
    __tablename__ = "promises"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    # Denormalised from the order: a customer's open promises are read at every check-in.
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    category: Mapped[PromiseCategory] = mapped_column(str_enum(PromiseCategory))
    description: Mapped[str] = mapped_column(String(500))
    due: Mapped[PromiseDue] = mapped_column(str_enum(PromiseDue))
    due_on: Mapped[date | None] = mapped_column(Date)
    entitlement_total: Mapped[int | None] = mapped_column()
    entitlement_used: Mapped[int] = mapped_column(default=0)
    entitlement_valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[PromiseStatus] = mapped_column(str_enum(PromiseStatus))
    deferred_to: Mapped[date | None] = mapped_column(Date)
    evidence_note: Mapped[str] = mapped_column(Text, default="")
    made_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    fulfilled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class ChecklistSignature(Base):
    """The customer's signature over one exact version of an order's checklist."""

    __tablename__ = "checklist_signatures"
    __table_args__ = (
        UniqueConstraint(
            "order_id", "checklist_version", name="uq_checklist_signatures_order_id_version"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    checklist_version: Mapped[int] = mapped_column()
    signer_name: Mapped[str] = mapped_column(String(100))
    # Compact JSON: [[[x, y, t_ms], ...], ...], one list of points per stroke.
    strokes: Mapped[str] = mapped_column(Text)
    point_count: Mapped[int] = mapped_column()
    witness_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The canonical form of the list as signed, and its SHA-256: old versions stay readable.
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    no_promises: Mapped[bool] = mapped_column(default=False)


class EntitlementUse(Base):
    """One use of an entitlement promise, recorded at a service visit."""

    __tablename__ = "entitlement_uses"
    __table_args__ = (
        UniqueConstraint("promise_id", "visit_id", name="uq_entitlement_uses_promise_id_visit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    promise_id: Mapped[int] = mapped_column(ForeignKey("promises.id"))
    visit_id: Mapped[int] = mapped_column(ForeignKey("service_visits.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    used_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Upload(Base):
    """A photo on disk (under BATON_UPLOAD_DIR); attached to a promise as evidence."""

    __tablename__ = "uploads"
    __table_args__ = (Index("ix_uploads_promise_id", "promise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int | None] = mapped_column(ForeignKey("stores.id"))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    promise_id: Mapped[int | None] = mapped_column(ForeignKey("promises.id"))
    content_type: Mapped[str] = mapped_column(String(32))
    size_bytes: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
