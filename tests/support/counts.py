"""Row counts, to assert that a refused write wrote nothing."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db import models
from baton.db.models.base import Base

TRACKED = (
    models.Customer,
    models.Vehicle,
    models.ServiceVisit,
    models.SpecialCircumstance,
    models.TimelineEvent,
    models.AuditEntry,
    models.IdempotencyKey,
    models.Order,
    models.Delivery,
    models.Promise,
    models.ChecklistSignature,
    models.EntitlementUse,
    models.HandoverBrief,
    models.DeliveryDateChange,
    models.Task,
    models.Case,
    models.CaseCollaborator,
    models.CaseComment,
    models.CaseSpell,
    models.Alert,
    models.LearningTopic,
    models.TeachingSession,
    models.TeachingEntry,
    models.Car,
    models.CarBooking,
    models.CarUse,
    models.LoanerRequest,
)


async def row_counts(session: AsyncSession, *tables: type[Base]) -> dict[str, int]:
    counts = {}
    for model in tables or TRACKED:
        counts[model.__name__] = await session.scalar(select(func.count()).select_from(model)) or 0
    return counts
