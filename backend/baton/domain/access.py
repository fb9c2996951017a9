"""Who may do what, where: every object is checked against the actor's store scope and role."""

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import BookingDepartment, Department, Role, Store, User
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
    WRITE_SALES_BRIEF = "write_sales_brief"
    WRITE_DELIVERY_BRIEF = "write_delivery_brief"
    RESCHEDULE_DELIVERY = "reschedule_delivery"
    APPROVE_DATE_CHANGE = "approve_date_change"
    RECORD_ENTITLEMENT_USE = "record_entitlement_use"
    COMPLETE_TASK = "complete_task"
    SEE_TEAM_TASKS = "see_team_tasks"
    MANAGE_STAFF = "manage_staff"
    RAISE_CASE = "raise_case"
    WORK_CASE = "work_case"
    DECIDE_CASE = "decide_case"
    EDIT_TOUCHPOINTS = "edit_touchpoints"
    RECORD_TEACHING = "record_teaching"
    AMEND_TEACHING = "amend_teaching"
    MANAGE_TOPICS = "manage_topics"
    READ_LEARNING_MEASURES = "read_learning_measures"
    BOOK_CAR = "book_car"
    BOOK_FOR_ANY_DEPARTMENT = "book_for_any_department"
    PREEMPT_BOOKING = "preempt_booking"
    CANCEL_BOOKING = "cancel_booking"
    HAND_OVER_CAR = "hand_over_car"
    TURN_CAR_AROUND = "turn_car_around"
    MANAGE_CARS = "manage_cars"
    READ_CAR_SETTLEMENT = "read_car_settlement"


class Tie(enum.StrEnum):
    """How the actor stands to one object, whatever their role."""

    ASSIGNEE = "assignee"  # a task's
    BOOKER = "booker"  # a car booking's
    AUTHOR = "author"  # a teaching session's
    OWNER = "owner"  # a case's owner
    HOLDER = "holder"  # held the case on the escalation ladder
    PARTICIPANT = "participant"  # raised the case or collaborates on it
    # The booking is the other department's, and lies in the priority window of the one the
    # actor books for (a service advisor on a weekday, sales in the evening): it may be taken.
    OTHER_DEPARTMENT = "other_department"
    SAME_SIDE = "same_side"  # books for the department the booking is for


@dataclass(frozen=True)
class Grant:
    """One way to be allowed: a role among `roles` (None: any role) on an object in a store
    the actor sees, or, with `tie`, standing so to the object (then the store does not
    matter: a task's assignee completes it wherever it is)."""

    roles: frozenset[Role] | None
    tie: Tie | None = None


def _roles(*roles: Role) -> frozenset[Role]:
    return frozenset({*roles, Role.ADMIN})


FRONTLINE_EDITORS = _roles(
    Role.SALES_CONSULTANT, Role.DELIVERY_SPECIALIST, Role.SERVICE_ADVISOR, Role.STORE_MANAGER
)
STORE_MANAGERS = _roles(Role.STORE_MANAGER)
# Cases climb to the regional director (level 3), so directors decide them too.
CASE_DECIDERS = _roles(Role.STORE_MANAGER, Role.REGIONAL_DIRECTOR)
CAR_BOOKERS = _roles(Role.SALES_CONSULTANT, Role.SERVICE_ADVISOR, Role.STORE_MANAGER)

# Who may take which action: the one table. Technicians, parts staff and regional directors
# read records; they do not edit them. Each action is allowed by any of its grants.
RULES: dict[Action, tuple[Grant, ...]] = {
    Action.EDIT_CUSTOMER: (Grant(FRONTLINE_EDITORS),),
    Action.EDIT_VEHICLE: (Grant(FRONTLINE_EDITORS),),
    Action.RECORD_CIRCUMSTANCE: (Grant(FRONTLINE_EDITORS),),
    Action.CHECK_IN: (Grant(_roles(Role.SERVICE_ADVISOR, Role.STORE_MANAGER)),),
    # Service advisors record fulfilment of service packages, so they edit promises too.
    Action.EDIT_PROMISES: (Grant(FRONTLINE_EDITORS),),
    Action.COLLECT_SIGNATURE: (
        Grant(_roles(Role.SALES_CONSULTANT, Role.DELIVERY_SPECIALIST, Role.STORE_MANAGER)),
    ),
    Action.MANAGE_ORDER: (Grant(_roles(Role.SALES_CONSULTANT, Role.STORE_MANAGER)),),
    Action.COMPLETE_HANDOVER: (Grant(_roles(Role.DELIVERY_SPECIALIST, Role.STORE_MANAGER)),),
    # Each hot-handover brief is written by the department passing the customer on.
    Action.WRITE_SALES_BRIEF: (Grant(_roles(Role.SALES_CONSULTANT, Role.STORE_MANAGER)),),
    Action.WRITE_DELIVERY_BRIEF: (Grant(_roles(Role.DELIVERY_SPECIALIST, Role.STORE_MANAGER)),),
    Action.RESCHEDULE_DELIVERY: (
        Grant(_roles(Role.SALES_CONSULTANT, Role.DELIVERY_SPECIALIST, Role.STORE_MANAGER)),
    ),
    Action.APPROVE_DATE_CHANGE: (Grant(STORE_MANAGERS),),
    Action.RECORD_ENTITLEMENT_USE: (Grant(_roles(Role.SERVICE_ADVISOR, Role.STORE_MANAGER)),),
    Action.COMPLETE_TASK: (Grant(STORE_MANAGERS), Grant(None, Tie.ASSIGNEE)),
    # A task is personal: its assignee and the managers above them see it.
    Action.SEE_TEAM_TASKS: (Grant(CASE_DECIDERS),),
    Action.MANAGE_STAFF: (Grant(STORE_MANAGERS),),
    # Whoever meets the customer's problem raises it; directors decide cases, not raise them.
    Action.RAISE_CASE: (Grant(FRONTLINE_EDITORS | {Role.TECHNICIAN, Role.PARTS}),),
    # Comment, bring in a collaborator: the people working the case and the managers.
    Action.WORK_CASE: (
        Grant(CASE_DECIDERS),
        Grant(None, Tie.OWNER),
        Grant(None, Tie.HOLDER),
        Grant(None, Tie.PARTICIPANT),
    ),
    # Close or hand on: the owner and whoever held it on the ladder, not the raiser (unless
    # they own it) and not a collaborator.
    Action.DECIDE_CASE: (Grant(CASE_DECIDERS), Grant(None, Tie.OWNER), Grant(None, Tie.HOLDER)),
    Action.EDIT_TOUCHPOINTS: (Grant(STORE_MANAGERS),),
    # Whoever teaches a customer records it: sales, delivery and service; managers too.
    Action.RECORD_TEACHING: (Grant(FRONTLINE_EDITORS),),
    Action.AMEND_TEACHING: (Grant(FRONTLINE_EDITORS, Tie.AUTHOR),),
    Action.MANAGE_TOPICS: (Grant(STORE_MANAGERS),),
    Action.READ_LEARNING_MEASURES: (Grant(CASE_DECIDERS),),
    # The shared car calendar: sales and service book for their own department, a manager
    # for either; the window's priority department preempts the other's booking.
    Action.BOOK_CAR: (Grant(CAR_BOOKERS),),
    Action.BOOK_FOR_ANY_DEPARTMENT: (Grant(STORE_MANAGERS),),
    Action.PREEMPT_BOOKING: (Grant(CAR_BOOKERS, Tie.OTHER_DEPARTMENT),),
    Action.CANCEL_BOOKING: (Grant(STORE_MANAGERS), Grant(CAR_BOOKERS, Tie.BOOKER)),
    # The booking's own side hands its car over and takes it back (delivery with sales), or a
    # store manager; technicians wash and inspect it.
    Action.HAND_OVER_CAR: (
        Grant(STORE_MANAGERS),
        Grant(
            frozenset({Role.SALES_CONSULTANT, Role.DELIVERY_SPECIALIST, Role.SERVICE_ADVISOR}),
            Tie.SAME_SIDE,
        ),
    ),
    Action.TURN_CAR_AROUND: (
        Grant(
            _roles(
                Role.SALES_CONSULTANT,
                Role.DELIVERY_SPECIALIST,
                Role.SERVICE_ADVISOR,
                Role.TECHNICIAN,
                Role.STORE_MANAGER,
            )
        ),
    ),
    Action.MANAGE_CARS: (Grant(STORE_MANAGERS),),
    Action.READ_CAR_SETTLEMENT: (Grant(CASE_DECIDERS),),
}

# How a refusal is worded (texts: forbidden.<code>) where "your role may not" would mislead:
# the action is refused for the actor's tie to the object, not their role.
REFUSALS: dict[Action, str] = {
    Action.COMPLETE_TASK: "not_assignee",
    Action.WORK_CASE: "not_on_case",
    Action.DECIDE_CASE: "not_responsible",
    Action.AMEND_TEACHING: "not_author",
    Action.EDIT_TOUCHPOINTS: "touchpoint_owner",
    Action.CANCEL_BOOKING: "not_booker",
}

# The actions that concern one kind of object, for its `viewerCan` list.
OBJECT_ACTIONS: dict[str, tuple[Action, ...]] = {
    "Customer": (
        Action.EDIT_CUSTOMER,
        Action.RECORD_CIRCUMSTANCE,
        Action.CHECK_IN,
        Action.RAISE_CASE,
        Action.RECORD_TEACHING,
        Action.MANAGE_ORDER,
    ),
    "Order": (
        Action.MANAGE_ORDER,
        Action.EDIT_PROMISES,
        Action.COLLECT_SIGNATURE,
        Action.COMPLETE_HANDOVER,
        Action.WRITE_SALES_BRIEF,
        Action.WRITE_DELIVERY_BRIEF,
        Action.RESCHEDULE_DELIVERY,
    ),
    "Task": (Action.COMPLETE_TASK,),
    "Case": (Action.WORK_CASE, Action.DECIDE_CASE),
    "TeachingSession": (Action.AMEND_TEACHING,),
    "Car": (Action.BOOK_CAR, Action.TURN_CAR_AROUND, Action.MANAGE_CARS),
    "CarBooking": (Action.PREEMPT_BOOKING, Action.CANCEL_BOOKING, Action.HAND_OVER_CAR),
}


@dataclass(frozen=True)
class Subject:
    """The object an action is taken on, as the rules see it: its store, the people tied to
    it, and for a car booking the department it is booked for and the departments whose
    priority window holds it."""

    store_id: int | None = None
    people: Mapping[Tie, frozenset[int]] = field(default_factory=dict)
    department: BookingDepartment | None = None
    priority: frozenset[BookingDepartment] = frozenset()


def booking_department_of(department: Department) -> BookingDepartment | None:
    """The department a staff member books cars for: delivery books with sales."""
    return {
        Department.SALES: BookingDepartment.SALES,
        Department.DELIVERY: BookingDepartment.SALES,
        Department.SERVICE: BookingDepartment.SERVICE,
    }.get(department)


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

    def ties_to(self, subject: Subject, tie: Tie) -> bool:
        if tie is Tie.SAME_SIDE:
            own = booking_department_of(self.department)
            return own is not None and own is subject.department
        if tie is Tie.OTHER_DEPARTMENT:
            own = booking_department_of(self.department)
            if own is None or subject.department in (None, own):
                return False
            return own in subject.priority
        return self.id in subject.people.get(tie, frozenset())

    def can(self, action: Action, subject: Subject | None = None) -> bool:
        """Whether this actor may take `action` (on `subject`); `ensure` refuses from here."""
        for grant in RULES[action]:
            if grant.roles is not None and self.role not in grant.roles:
                continue
            if grant.tie is None:
                if subject is None or subject.store_id is None or self.sees_store(subject.store_id):
                    return True
            elif subject is not None and self.ties_to(subject, grant.tie):
                return True
        return False

    def ensure(self, action: Action, subject: Subject | None = None) -> None:
        if not self.can(action, subject):
            code = REFUSALS.get(action, "role_may_not")
            raise Forbidden(code, role=self.role.value, action=action.value)

    def abilities(self, subject: Subject | None = None, kind: str | None = None) -> list[Action]:
        """What this actor may do: everything (on no object), or what concerns `kind`."""
        actions = OBJECT_ACTIONS[kind] if kind is not None else tuple(Action)
        return [action for action in actions if self.can(action, subject)]


def role_abilities(user: User) -> list[Action]:
    """What a user's role allows on objects of their stores (no object's ties counted)."""
    return Actor(user, frozenset()).abilities()


async def load_actor(session: AsyncSession, user: User) -> Actor:
    if user.role is Role.ADMIN:
        return Actor(user, None)
    if user.role is Role.REGIONAL_DIRECTOR and user.region_id is not None:
        rows = await session.scalars(select(Store.id).where(Store.region_id == user.region_id))
        return Actor(user, frozenset(rows))
    return Actor(user, frozenset({user.store_id}) if user.store_id is not None else frozenset())
