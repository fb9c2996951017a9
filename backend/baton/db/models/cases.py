"""Touchpoints and cases (关键接触点责任人制度): the customer journey of a store, who owns each
step, and the customer problems raised at them, which stay with the owner department and
escalate by the clock (三级协调机制)."""

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from baton.db.models.base import Base
from baton.db.models.org import Department
from baton.db.types import UTCDateTime, str_enum


class JourneyStage(enum.StrEnum):
    PURCHASE = "purchase"
    DELIVERY = "delivery"
    USAGE = "usage"
    RENEWAL = "renewal"


class Touchpoint(Base):
    """One of a store's 33 touchpoints: its primary owner department, the departments that
    collaborate on it, and optionally the named owner at this store."""

    __tablename__ = "touchpoints"
    __table_args__ = (
        UniqueConstraint("store_id", "number", name="uq_touchpoints_store_id_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    number: Mapped[int] = mapped_column()
    # The name is rendered from `touchpoint.<key>` in the reader's language (baton/texts).
    key: Mapped[str] = mapped_column(String(48))
    stage: Mapped[JourneyStage] = mapped_column(str_enum(JourneyStage, length=16))
    cross_department: Mapped[bool] = mapped_column(default=False)
    owner_department: Mapped[Department] = mapped_column(str_enum(Department))
    # Department values, in the order the manager gave them.
    collaborating_departments: Mapped[list[str]] = mapped_column(JSON, default=list)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class CaseSource(enum.StrEnum):
    RECORD = "record"
    COMPLAINT = "complaint"
    CHECK_IN = "check_in"


class CaseState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class ConfirmationChannel(enum.StrEnum):
    PHONE = "phone"
    IN_PERSON = "in_person"
    APP = "app"


class Case(Base):
    """A customer problem at a touchpoint. Ownership (department and person) is set when it is
    raised and never moves; the level rises by the clock until it is closed."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_state_level_due_at", "state", "level_due_at"),
        Index("ix_cases_store_id_state", "store_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    touchpoint_id: Mapped[int] = mapped_column(ForeignKey("touchpoints.id"), index=True)
    source: Mapped[CaseSource] = mapped_column(str_enum(CaseSource, length=16))
    feedback_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("service_visits.id"))
    # What the raiser typed, kept as typed.
    summary: Mapped[str] = mapped_column(Text)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    owner_department: Mapped[Department] = mapped_column(str_enum(Department))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[CaseState] = mapped_column(str_enum(CaseState, length=16))
    # 1: the owner department's supervisor, 2: the department managers, 3: the director.
    level: Mapped[int] = mapped_column(default=1)
    level_since: Mapped[datetime] = mapped_column(UTCDateTime())
    # When the case rises to the next level if still open; None at the last level.
    level_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The level it was settled at, for the share resolved at each level.
    resolved_level: Mapped[int | None] = mapped_column()
    resolution: Mapped[str | None] = mapped_column(Text)
    # The customer's confirmation: who said so (as typed) and how.
    confirmed_by: Mapped[str | None] = mapped_column(String(100))
    confirmed_via: Mapped[ConfirmationChannel | None] = mapped_column(
        str_enum(ConfirmationChannel, length=16)
    )
    reopened_count: Mapped[int] = mapped_column(default=0)
    # Refused attempts to hand the case to another department or back to the raiser.
    bounce_attempts: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class CaseCollaborator(Base):
    """A department (and the person named for it) the owner brought in; ownership stays."""

    __tablename__ = "case_collaborators"
    __table_args__ = (
        UniqueConstraint("case_id", "department", name="uq_case_collaborators_case_id_department"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    department: Mapped[Department] = mapped_column(str_enum(Department))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CaseComment(Base):
    __tablename__ = "case_comments"
    __table_args__ = (Index("ix_case_comments_case_id_at", "case_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class CaseSpell(Base):
    """A stretch of time one person of one department held the case at one level: the time
    accounting that says who held it (from `started_at` until `ended_at`, open while held)."""

    __tablename__ = "case_spells"
    __table_args__ = (Index("ix_case_spells_case_id_started_at", "case_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column()
    department: Mapped[Department] = mapped_column(str_enum(Department))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
