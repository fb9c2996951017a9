"""Who may do what, where: every object is checked against the actor's store scope and role."""

import enum
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Department, Role, Store, User
from baton.domain.errors import Forbidden


class Action(enum.StrEnum):
    EDIT_CUSTOMER = "edit_customer"
    EDIT_VEHICLE = "edit_vehicle"
    RECORD_CIRCUMSTANCE = "record_circumstance"
    CHECK_IN = "check_in"
    EDIT_PROMISES = "edit_promises"
    COLLECT_SIGNATURE = "collect_signature"
    MANAGE_ORDER = "manage_order"
    COMPLETE_HANDOVER = "complete_handover"
    RESCHEDULE_DELIVERY = "reschedule_delivery"
    APPROVE_DATE_CHANGE = "approve_date_change"
    RECORD_ENTITLEMENT_USE = "record_entitlement_use"
    MANAGE_STAFF = "manage_staff"
    RAISE_CASE = "raise_case"
    RECORD_TEACHING = "record_teaching"
    MANAGE_TOPICS = "manage_topics"
    READ_LEARNING_MEASURES = "read_learning_measures"
    BOOK_CAR = "book_car"
    HANDLE_CAR = "handle_car"
    MANAGE_CARS = "manage_cars"
    READ_CAR_SETTLEMENT = "read_car_settlement"


FRONTLINE_EDITORS = frozenset(
    {
        Role.SALES_CONSULTANT,
        Role.DELIVERY_SPECIALIST,
        Role.SERVICE_ADVISOR,
        Role.STORE_MANAGER,
        Role.ADMIN,
    }
)

# Technicians, parts staff and regional directors read records; they do not edit them.
ALLOWED_ROLES: dict[Action, frozenset[Role]] = {
    Action.EDIT_CUSTOMER: FRONTLINE_EDITORS,
    Action.EDIT_VEHICLE: FRONTLINE_EDITORS,
    Action.RECORD_CIRCUMSTANCE: FRONTLINE_EDITORS,
    Action.CHECK_IN: frozenset({Role.SERVICE_ADVISOR, Role.STORE_MANAGER, Role.ADMIN}),
    # Service advisors record fulfilment of service packages, so they edit promises too.
    Action.EDIT_PROMISES: FRONTLINE_EDITORS,
    Action.COLLECT_SIGNATURE: frozenset(
        {Role.SALES_CONSULTANT, Role.DELIVERY_SPECIALIST, Role.STORE_MANAGER, Role.ADMIN}
    ),
    Action.MANAGE_ORDER: frozenset({Role.SALES_CONSULTANT, Role.STORE_MANAGER, Role.ADMIN}),
    Action.COMPLETE_HANDOVER: frozenset({Role.DELIVERY_SPECIALIST, Role.STORE_MANAGER, Role.ADMIN}),
    Action.RESCHEDULE_DELIVERY: frozenset(
        {Role.SALES_CONSULTANT, Role.DELIVERY_SPECIALIST, Role.STORE_MANAGER, Role.ADMIN}
    ),
    Action.APPROVE_DATE_CHANGE: frozenset({Role.STORE_MANAGER, Role.ADMIN}),
    Action.RECORD_ENTITLEMENT_USE: frozenset(
        {Role.SERVICE_ADVISOR, Role.STORE_MANAGER, Role.ADMIN}
    ),
    Action.MANAGE_STAFF: frozenset({Role.STORE_MANAGER, Role.ADMIN}),
    # Whoever meets the customer's problem raises it; directors decide cases, not raise them.
    Action.RAISE_CASE: FRONTLINE_EDITORS | {Role.TECHNICIAN, Role.PARTS},
    # Whoever teaches a customer records it: sales, delivery and service; managers too.
    Action.RECORD_TEACHING: FRONTLINE_EDITORS,
    Action.MANAGE_TOPICS: frozenset({Role.STORE_MANAGER, Role.ADMIN}),
    Action.READ_LEARNING_MEASURES: frozenset(
        {Role.STORE_MANAGER, Role.REGIONAL_DIRECTOR, Role.ADMIN}
    ),
    # The shared car calendar: sales and service book; whoever hands a car over or takes it
    # back records it (technicians wash and inspect); the manager sets the policy and settles.
    Action.BOOK_CAR: frozenset(
        {Role.SALES_CONSULTANT, Role.SERVICE_ADVISOR, Role.STORE_MANAGER, Role.ADMIN}
    ),
    Action.HANDLE_CAR: frozenset(
        {
            Role.SALES_CONSULTANT,
            Role.DELIVERY_SPECIALIST,
            Role.SERVICE_ADVISOR,
            Role.TECHNICIAN,
            Role.STORE_MANAGER,
            Role.ADMIN,
        }
    ),
    Action.MANAGE_CARS: frozenset({Role.STORE_MANAGER, Role.ADMIN}),
    Action.READ_CAR_SETTLEMENT: frozenset({Role.STORE_MANAGER, Role.REGIONAL_DIRECTOR, Role.ADMIN}),
}


@dataclass(frozen=True)
class Actor:
    """The acting staff member with their scope resolved once per request."""

    user: User
    # None means every store (admin); otherwise the stores this actor may see.
    visible_store_ids: frozenset[int] | None

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def role(self) -> Role:
        return self.user.role

    @property
    def department(self) -> Department:
        return self.user.department

    def sees_store(self, store_id: int) -> bool:
        return self.visible_store_ids is None or store_id in self.visible_store_ids

    def ensure(self, action: Action) -> None:
        if self.role not in ALLOWED_ROLES[action]:
            raise Forbidden("role_may_not", role=self.role.value, action=action.value)


async def load_actor(session: AsyncSession, user: User) -> Actor:
    if user.role is Role.ADMIN:
        return Actor(user, None)
    if user.role is Role.REGIONAL_DIRECTOR and user.region_id is not None:
        rows = await session.scalars(select(Store.id).where(Store.region_id == user.region_id))
        return Actor(user, frozenset(rows))
    return Actor(user, frozenset({user.store_id}) if user.store_id is not None else frozenset())
