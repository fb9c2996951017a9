"""All models, importable from one place (Alembic and the app read `Base.metadata` here)."""

from baton.db.models.alerts import (
    Alert,
    AlertKind,
    PushDelivery,
    PushState,
    PushSubscription,
)
from baton.db.models.base import Base
from baton.db.models.customers import (
    CircumstanceKind,
    Customer,
    CustomerTag,
    Feedback,
    FeedbackKind,
    SpecialCircumstance,
    Vehicle,
)
from baton.db.models.delivery_dates import DateChangeStatus, DeliveryDateChange
from baton.db.models.handover import BriefKind, HandoverBrief
from baton.db.models.history import AuditEntry, IdempotencyKey, TimelineEvent
from baton.db.models.orders import Delivery, DeliveryStatus, Order, OrderStatus
from baton.db.models.org import (
    DEPARTMENT_OF_ROLE,
    Department,
    LoginAttempt,
    Region,
    Role,
    Store,
    User,
    UserSession,
)
from baton.db.models.promises import (
    ChecklistSignature,
    EntitlementUse,
    Promise,
    PromiseCategory,
    PromiseDue,
    PromiseStatus,
    Upload,
)
from baton.db.models.tasks import Task, TaskState
from baton.db.models.visits import ServiceVisit, VisitStatus

__all__ = [
    "DEPARTMENT_OF_ROLE",
    "Alert",
    "AlertKind",
    "AuditEntry",
    "Base",
    "BriefKind",
    "ChecklistSignature",
    "CircumstanceKind",
    "Customer",
    "CustomerTag",
    "DateChangeStatus",
    "Delivery",
    "DeliveryDateChange",
    "DeliveryStatus",
    "Department",
    "EntitlementUse",
    "Feedback",
    "FeedbackKind",
    "HandoverBrief",
    "IdempotencyKey",
    "LoginAttempt",
    "Order",
    "OrderStatus",
    "Promise",
    "PromiseCategory",
    "PromiseDue",
    "PromiseStatus",
    "PushDelivery",
    "PushState",
    "PushSubscription",
    "Region",
    "Role",
    "ServiceVisit",
    "SpecialCircumstance",
    "Store",
    "Task",
    "TaskState",
    "TimelineEvent",
    "Upload",
    "User",
    "UserSession",
    "Vehicle",
    "VisitStatus",
]
