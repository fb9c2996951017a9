"""The one table of who may do what (`Actor.can`), and `ensure` refusing from the same answer."""

from dataclasses import replace
from itertools import product

import pytest

from baton.db import models
from baton.domain.access import REFUSALS, RULES, Action, Actor, Subject, Tie
from baton.domain.errors import Forbidden
from baton.texts import LANGUAGES, catalogue
from tests.conftest import AsUser

Role = models.Role
CAR_ACTIONS = {
    Action.BOOK_CAR: {Role.SALES_CONSULTANT, Role.SERVICE_ADVISOR, Role.STORE_MANAGER},
    Action.BOOK_FOR_ANY_DEPARTMENT: {Role.STORE_MANAGER},
    Action.TURN_CAR_AROUND: {
        Role.SALES_CONSULTANT,
        Role.DELIVERY_SPECIALIST,
        Role.SERVICE_ADVISOR,
        Role.TECHNICIAN,
        Role.STORE_MANAGER,
    },
    Action.MANAGE_CARS: {Role.STORE_MANAGER},
    Action.READ_CAR_SETTLEMENT: {Role.STORE_MANAGER, Role.REGIONAL_DIRECTOR},
}
STORE_ROLES = [role for role in Role if role not in (Role.REGIONAL_DIRECTOR, Role.ADMIN)]


def test_every_action_has_a_rule() -> None:
    assert set(RULES) == set(Action)


@pytest.mark.parametrize(("role", "action"), list(product(Role, CAR_ACTIONS)), ids=lambda v: str(v))
async def test_each_role_and_car_action_is_answered_by_the_table(
    as_user: AsUser, role: Role, action: Action
) -> None:
    actor = await as_user(role.value, store=None if role is Role.REGIONAL_DIRECTOR else "A")
    expected = role in CAR_ACTIONS[action] or role is Role.ADMIN
    assert actor.can(action) is expected
    if expected:
        actor.ensure(action)
    else:
        with pytest.raises(Forbidden):
            actor.ensure(action)


@pytest.mark.parametrize(
    ("department", "expected"),
    [
        (
            models.BookingDepartment.SALES,
            {Role.SALES_CONSULTANT, Role.DELIVERY_SPECIALIST, Role.STORE_MANAGER, Role.ADMIN},
        ),
        (models.BookingDepartment.SERVICE, {Role.SERVICE_ADVISOR, Role.STORE_MANAGER, Role.ADMIN}),
    ],
)
async def test_a_booking_is_handed_over_by_its_own_side_or_a_manager(
    as_user: AsUser, department: models.BookingDepartment, expected: set[Role]
) -> None:
    actors = [await as_user(role.value) for role in [*STORE_ROLES, Role.ADMIN]]
    store = next(iter(actors[0].visible_store_ids or ()))
    booking = Subject(store_id=store, department=department)
    assert {a.role for a in actors if a.can(Action.HAND_OVER_CAR, booking)} == expected


async def test_a_role_grant_stops_at_the_stores_the_actor_sees(
    as_user: AsUser, world: object
) -> None:
    manager = await as_user("store_manager", store="A")
    store_a = next(iter(manager.visible_store_ids or ()))
    assert manager.can(Action.MANAGE_CARS, Subject(store_id=store_a))
    assert not manager.can(Action.MANAGE_CARS, Subject(store_id=store_a + 1000))


async def test_a_tie_grants_whatever_the_role_and_store(as_user: AsUser) -> None:
    technician = await as_user("technician")
    task = Subject(store_id=-1, people={Tie.ASSIGNEE: frozenset({technician.id})})
    assert technician.can(Action.COMPLETE_TASK, task)
    assert not technician.can(Action.COMPLETE_TASK, Subject(store_id=-1))


async def test_only_the_author_among_teachers_amends_a_teaching_session(
    as_user: AsUser,
) -> None:
    author = await as_user("sales_consultant", name="author")
    other = await as_user("sales_consultant", name="other")
    technician = await as_user("technician")
    store = next(iter(author.visible_store_ids or ()))
    teaching = Subject(store_id=store, people={Tie.AUTHOR: frozenset({author.id, technician.id})})
    assert author.can(Action.AMEND_TEACHING, teaching)
    assert not other.can(Action.AMEND_TEACHING, teaching)
    # Authorship alone is not enough: the role must be one that teaches.
    assert not technician.can(Action.AMEND_TEACHING, teaching)


async def test_a_booking_is_preempted_only_by_the_other_department_in_its_window(
    as_user: AsUser,
) -> None:
    sales = await as_user("sales_consultant")
    delivery = await as_user("delivery_specialist")
    advisor = await as_user("service_advisor")
    manager = await as_user("store_manager")
    sales_booking = Subject(
        store_id=next(iter(sales.visible_store_ids or ())),
        people={Tie.BOOKER: frozenset({sales.id})},
        department=models.BookingDepartment.SALES,
        priority=frozenset({models.BookingDepartment.SERVICE}),
    )
    assert advisor.can(Action.PREEMPT_BOOKING, sales_booking)
    # The same booking in the sales window (an evening, a weekend): service may not take it.
    in_sales_window = replace(sales_booking, priority=frozenset({models.BookingDepartment.SALES}))
    assert not advisor.can(Action.PREEMPT_BOOKING, in_sales_window)
    assert not sales.can(Action.PREEMPT_BOOKING, sales_booking)
    # Delivery books with sales, and does not book at all.
    assert not delivery.can(Action.PREEMPT_BOOKING, sales_booking)
    assert not manager.can(Action.PREEMPT_BOOKING, sales_booking)
    assert sales.can(Action.CANCEL_BOOKING, sales_booking)
    assert manager.can(Action.CANCEL_BOOKING, sales_booking)
    assert not advisor.can(Action.CANCEL_BOOKING, sales_booking)


async def test_abilities_list_what_the_table_allows(as_user: AsUser) -> None:
    actors: list[Actor] = [await as_user(role.value) for role in STORE_ROLES]
    for actor in actors:
        assert actor.abilities() == [a for a in Action if actor.can(a)]
    technician = next(a for a in actors if a.role is Role.TECHNICIAN)
    assert Action.TURN_CAR_AROUND in technician.abilities()


def test_every_refusal_of_the_table_is_worded_in_both_languages() -> None:
    for code in {"role_may_not", *REFUSALS.values()}:
        assert all(f"forbidden.{code}" in catalogue(language) for language in LANGUAGES), code
