"""Fetching any object by type and number, checked against the actor's scope at the object."""

from sqlalchemy.ext.asyncio import AsyncSession

from baton.db import models
from baton.db.models.base import Base
from baton.domain.access import Action, Actor, Subject

# Objects that hang off a customer: visible exactly when their customer is.
CUSTOMER_PARTS: tuple[type[Base], ...] = (
    models.Vehicle,
    models.Order,
    models.Delivery,
    models.ServiceVisit,
    models.Feedback,
    models.SpecialCircumstance,
    models.TimelineEvent,
    models.Promise,
    models.ChecklistSignature,
    models.EntitlementUse,
    models.HandoverBrief,
    models.DeliveryDateChange,
    models.Case,
    models.TeachingSession,
)
NODE_TYPES: tuple[type[Base], ...] = (
    models.Customer,
    models.Task,
    models.User,
    models.Store,
    models.Alert,
    models.PushSubscription,
    models.UserSession,
    models.Touchpoint,
    models.LearningTopic,
    models.Car,
    models.CarBooking,
    models.LoanerRequest,
    models.CalendarFeed,
    *CUSTOMER_PARTS,
)
NODE_MODELS: dict[str, type[Base]] = {model.__name__: model for model in NODE_TYPES}


async def _visible(session: AsyncSession, actor: Actor, obj: Base) -> bool:
    match obj:
        case (
            models.Customer(store_id=store_id)
            | models.Store(id=store_id)
            | models.Touchpoint(store_id=store_id)
            | models.LearningTopic(store_id=store_id)
            | models.Car(store_id=store_id)
            | models.CarBooking(store_id=store_id)
            | models.LoanerRequest(store_id=store_id)
        ):
            return actor.sees_store(store_id)
        case models.User(store_id=store_id):
            return obj.id == actor.id or (store_id is not None and actor.sees_store(store_id))
        case (
            models.Alert(user_id=user_id)
            | models.PushSubscription(user_id=user_id)
            | models.UserSession(user_id=user_id)
            | models.CalendarFeed(user_id=user_id)
        ):
            # Alerts and push devices are personal: not even a manager sees another's.
            return user_id == actor.id
        case models.Task(assignee_id=assignee_id, store_id=store_id):
            # A task is personal: its assignee and the managers above them see it.
            return assignee_id == actor.id or actor.can(
                Action.SEE_TEAM_TASKS, Subject(store_id=store_id)
            )
        case _ if isinstance(obj, CUSTOMER_PARTS):
            customer = await session.get(models.Customer, obj.customer_id)  # type: ignore[attr-defined]
            return customer is not None and actor.sees_store(customer.store_id)
    return False


async def get_visible_object(
    session: AsyncSession, actor: Actor, type_name: str, number: int
) -> Base | None:
    model = NODE_MODELS.get(type_name)
    if model is None:
        return None
    obj = await session.get(model, number)
    if obj is None or not await _visible(session, actor, obj):
        return None
    return obj
