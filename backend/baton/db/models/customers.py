"""One customer, one record (一个客户，一条记录): the customer and what hangs off them directly."""

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Connection, Date, ForeignKey, Index, String, Table, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from baton.db.models.base import Base
from baton.db.models.org import Department
from baton.db.types import UTCDateTime, str_enum


class CustomerTag(enum.StrEnum):
    VIP = "vip"
    FLEET = "fleet"


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (
        Index("ix_customers_store_id_phone_reversed", "store_id", "phone_reversed"),
        Index("ix_customers_store_id_name", "store_id", "name"),
        Index("ix_customers_store_id_name_reversed", "store_id", "name_reversed"),
        # Fragments of three characters or more match anywhere in a name: trigrams
        # (pg_trgm on PostgreSQL, created with the table below and in migration 0009).
        Index(
            "ix_customers_name_trigrams",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    name: Mapped[str] = mapped_column(String(100))
    # Reversed, so a given name (the end of 张小凡) is an indexed prefix range too.
    name_reversed: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(20))
    # Digits reversed, so "last four digits" is an indexed prefix range on both databases.
    phone_reversed: Mapped[str] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(300))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


@event.listens_for(Customer.__table__, "before_create")
def _trigram_extension(_table: Table, connection: Connection, **_: Any) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")


class Vehicle(Base):
    __tablename__ = "vehicles"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    vin: Mapped[str] = mapped_column(String(17), unique=True)
    vin_reversed: Mapped[str] = mapped_column(String(17), index=True)
    plate: Mapped[str | None] = mapped_column(String(16))
    plate_reversed: Mapped[str | None] = mapped_column(String(16), index=True)
    model_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class FeedbackKind(enum.StrEnum):
    COMPLAINT = "complaint"
    PRAISE = "praise"


class Feedback(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[FeedbackKind] = mapped_column(str_enum(FeedbackKind))
    department: Mapped[Department] = mapped_column(str_enum(Department))
    text: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CircumstanceKind(enum.StrEnum):
    SOLD_OLD_CAR = "sold_old_car"
    TOOK_LEAVE = "took_leave"
    BUSINESS_TRIP = "business_trip"
    OTHER = "other"


class SpecialCircumstance(Base):
    """Sold the old car, took leave, on a business trip: the customer is waiting on us."""

    __tablename__ = "special_circumstances"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[CircumstanceKind] = mapped_column(str_enum(CircumstanceKind))
    note: Mapped[str] = mapped_column(String(500), default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
