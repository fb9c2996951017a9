"""Hot handover (热交接): the briefs passed between departments about a customer."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Text
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
