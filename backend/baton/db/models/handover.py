"""Hot handover (热交接): briefs passed between departments and delivery date changes."""

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from baton.db.models.base import Base
from baton.db.types import UTCDateTime, str_enum


class BriefKind(enum.StrEnum):
    SALES_TO_DELIVERY = "sales_to_delivery"
    DELIVERY_TO_SERVICE = "delivery_to_service"


class HandoverBrief(Base):
    """What one department tells the next about the customer, so nobody asks twice."""

    __tablename__ = "handover_briefs"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[BriefKind] = mapped_column(str_enum(BriefKind))
    personality: Mapped[str] = mapped_column(Text, default="")
    special_needs: Mapped[str] = mapped_column(Text, default="")
    concerns: Mapped[str] = mapped_column(Text, default="")
    # Delivery to service: the issues the customer raised at handover.
    issues: Mapped[str] = mapped_column(Text, default="")
    written_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DateChangeStatus(enum.StrEnum):
    APPLIED = "applied"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    REJECTED = "rejected"


class DeliveryDateChange(Base):
    __tablename__ = "delivery_date_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    old_date: Mapped[date | None] = mapped_column(Date)
    new_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(500), default="")
    customer_told: Mapped[bool] = mapped_column()
    # How the customer was told (phone call, WeChat, in person), or why not yet.
    customer_told_how: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[DateChangeStatus] = mapped_column(str_enum(DateChangeStatus))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str] = mapped_column(String(500), default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
