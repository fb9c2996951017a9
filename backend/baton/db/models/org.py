"""Organisation: regions, stores, staff and their sessions."""

import enum
from datetime import datetime, time

from sqlalchemy import ForeignKey, Index, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from baton.db.models.base import Base
from baton.db.types import UTCDateTime, str_enum
from baton.settings import get_settings


class Department(enum.StrEnum):
    SALES = "sales"
    DELIVERY = "delivery"
    SERVICE = "service"
    PARTS = "parts"
    MANAGEMENT = "management"


class Role(enum.StrEnum):
    SALES_CONSULTANT = "sales_consultant"
    DELIVERY_SPECIALIST = "delivery_specialist"
    SERVICE_ADVISOR = "service_advisor"
    TECHNICIAN = "technician"
    PARTS = "parts"
    STORE_MANAGER = "store_manager"
    REGIONAL_DIRECTOR = "regional_director"
    ADMIN = "admin"


class Position(enum.StrEnum):
    """Where a staff member stands in their department: the escalation ladder reads it
    (level 1 the department's supervisor 主管, level 2 its manager 经理)."""

    STAFF = "staff"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"


DEPARTMENT_OF_ROLE: dict[Role, Department] = {
    Role.SALES_CONSULTANT: Department.SALES,
    Role.DELIVERY_SPECIALIST: Department.DELIVERY,
    Role.SERVICE_ADVISOR: Department.SERVICE,
    Role.TECHNICIAN: Department.SERVICE,
    Role.PARTS: Department.PARTS,
    Role.STORE_MANAGER: Department.MANAGEMENT,
    Role.REGIONAL_DIRECTOR: Department.MANAGEMENT,
    Role.ADMIN: Department.MANAGEMENT,
}


class Region(Base):
    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))


class Store(Base):
    __tablename__ = "stores"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    time_zone: Mapped[str] = mapped_column(
        String(64), default=lambda: get_settings().default_time_zone
    )


class User(Base):
    """A staff member, scoped to one store, or to a region (directors), or to all (admin)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    position: Mapped[Position] = mapped_column(
        str_enum(Position, length=16), default=Position.STAFF
    )
    store_id: Mapped[int | None] = mapped_column(ForeignKey("stores.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    language: Mapped[str] = mapped_column(String(8), default="zh-CN")
    # Alert quiet hours, store-local; None keeps the default (domain/alerts.py).
    quiet_hours_start: Mapped[time | None] = mapped_column(Time)
    quiet_hours_end: Mapped[time | None] = mapped_column(Time)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    @property
    def department(self) -> Department:
        return DEPARTMENT_OF_ROLE[self.role]


class UserSession(Base):
    """A login: the cookie holds a random token, the database only its SHA-256."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LoginAttempt(Base):
    """Kept in the database so the rate limit holds across app replicas."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_login_at", "login", "at"),
        Index("ix_login_attempts_client_address_at", "client_address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    login: Mapped[str] = mapped_column(String(64))
    client_address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column()
