"""The customer learning archive (客户学习档案): a store's topic catalogue, the teaching
sessions held with a customer and, per session, each topic taught (to a level) or skipped."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from baton.db.models.base import Base
from baton.db.models.org import Department
from baton.db.types import UTCDateTime, str_enum


class TopicStage(enum.StrEnum):
    """When a topic is normally taught; teach-next offers the topics up to the customer's."""

    DELIVERY = "delivery"
    FIRST_SERVICE = "first_service"
    LATER = "later"


class TeachingKind(enum.StrEnum):
    DELIVERY_TRAINING = "delivery_training"
    FIRST_SERVICE_TRAINING = "first_service_training"
    QUARTERLY = "quarterly"
    AD_HOC = "ad_hoc"
    REMOTE = "remote"


class TeachingLevel(enum.StrEnum):
    """In order: a topic is introduced, then practised, then mastered."""

    INTRODUCED = "introduced"
    PRACTISED = "practised"
    MASTERED = "mastered"


class SkipReason(enum.StrEnum):
    KNOWS_IT = "knows_it"
    DECLINED = "declined"
    NO_TIME = "no_time"


class LearningTopic(Base):
    """One topic of a store's catalogue. Seeded topics have a `code` (their name comes from
    the text catalogues, in the reader's language); a topic a manager adds or renames has a
    `name`, shown as typed. A retired topic stays readable on old sessions."""

    __tablename__ = "learning_topics"
    __table_args__ = (
        UniqueConstraint("store_id", "code", name="uq_learning_topics_store_id_code"),
        Index("ix_learning_topics_store_id_position", "store_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    code: Mapped[str | None] = mapped_column(String(48))
    name: Mapped[str | None] = mapped_column(String(100))
    position: Mapped[int] = mapped_column()
    stage: Mapped[TopicStage] = mapped_column(str_enum(TopicStage))
    department: Mapped[Department] = mapped_column(str_enum(Department))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class TeachingSession(Base):
    __tablename__ = "teaching_sessions"
    __table_args__ = (
        Index("ix_teaching_sessions_customer_id_taught_at", "customer_id", "taught_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    kind: Mapped[TeachingKind] = mapped_column(str_enum(TeachingKind))
    taught_at: Mapped[datetime] = mapped_column(UTCDateTime())
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Who recorded it: the only one who may amend it, for a day.
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class TeachingEntry(Base):
    """One topic in one session: taught to `level`, or skipped (`level` null) for a reason."""

    __tablename__ = "teaching_entries"
    __table_args__ = (
        UniqueConstraint("session_id", "topic_id", name="uq_teaching_entries_session_id_topic_id"),
        Index("ix_teaching_entries_customer_id_topic_id", "customer_id", "topic_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("teaching_sessions.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    topic_id: Mapped[int] = mapped_column(ForeignKey("learning_topics.id"), index=True)
    level: Mapped[TeachingLevel | None] = mapped_column(str_enum(TeachingLevel))
    skip_reason: Mapped[SkipReason | None] = mapped_column(str_enum(SkipReason))
    skip_note: Mapped[str] = mapped_column(String(300), default="")
