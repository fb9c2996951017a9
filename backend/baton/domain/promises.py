"""Promise checklist (承诺清单): what sales promised on an order, its statuses and transitions.

The signed content of a list is its terms (what, by when, how many uses) and the customer's
consents (deferred to a date, waived, cancelled); progress (partly done, done) is staff's
record and changes no signed content. So delivering on a promise keeps the signature valid,
while adding, rewording, deferring, waiving or cancelling one bumps the list's version."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import (
    Customer,
    Order,
    OrderStatus,
    Promise,
    PromiseCategory,
    PromiseDue,
    PromiseStatus,
    Upload,
)
from baton.domain.access import Action, Actor
from baton.domain.errors import Conflict, FieldChecks, NotFound, Reason, RuleViolation
from baton.domain.history import record
from baton.domain.orders import ensure_open, get_order
from baton.domain.signatures import current_signature
from baton.domain.stores import store_clock

DESCRIPTION_MAX = 500
NOTE_MAX = 2000
ENTITLEMENT_MAX = 100
PHOTOS_MAX = 10

S = PromiseStatus
TRANSITIONS: dict[PromiseStatus, frozenset[PromiseStatus]] = {
    S.PENDING: frozenset({S.PARTIALLY_FULFILLED, S.FULFILLED, S.DEFERRED, S.WAIVED, S.CANCELLED}),
    S.PARTIALLY_FULFILLED: frozenset(
        {S.PARTIALLY_FULFILLED, S.FULFILLED, S.DEFERRED, S.WAIVED, S.CANCELLED}
    ),
    S.DEFERRED: frozenset({S.PARTIALLY_FULFILLED, S.FULFILLED, S.DEFERRED, S.WAIVED, S.CANCELLED}),
    S.FULFILLED: frozenset(),
    S.WAIVED: frozenset(),
    S.CANCELLED: frozenset(),
}
# Still owed to the customer: what service advisors see at check-in.
UNFULFILLED = frozenset({S.PENDING, S.PARTIALLY_FULFILLED, S.DEFERRED})
# Being worked on now: what blocks a handover, and the entitlements whose uses can be taken
# (a deferred promise has a new date and the customer's consent; an entitlement never defers).
IN_PROGRESS = frozenset({S.PENDING, S.PARTIALLY_FULFILLED})
# Statuses the customer consents to by signing; reaching one changes the signed content.
CONSENTED = frozenset({S.DEFERRED, S.WAIVED, S.CANCELLED})


def allowed_moves(status: PromiseStatus, due: PromiseDue) -> list[PromiseStatus]:
    """Where a promise may go from `status`: the state machine, and an entitlement only waived
    or cancelled (its uses are counted at service visits). The PWA offers these and no other
    (`baton export-rules`)."""
    moves = TRANSITIONS[status]
    if due is PromiseDue.ENTITLEMENT:
        moves = moves & {S.WAIVED, S.CANCELLED}
    return [move for move in PromiseStatus if move in moves]


@dataclass(frozen=True)
class PromiseTerms:
    category: PromiseCategory
    description: str
    due: PromiseDue
    due_on: date | None = None
    entitlement_total: int | None = None
    entitlement_valid_until: date | None = None


async def get_promise(
    session: AsyncSession, actor: Actor, promise_id: int, *, path: str = "input.promiseId"
) -> tuple[Promise, Order, Customer]:
    promise = await session.get(Promise, promise_id)
    if promise is None:
        raise NotFound("Promise", path)
    try:
        order, customer = await get_order(session, actor, promise.order_id, path=path)
    except NotFound:
        raise NotFound("Promise", path) from None
    return promise, order, customer


async def promises_of_order(session: AsyncSession, order_id: int) -> list[Promise]:
    return list(
        await session.scalars(
            select(Promise).where(Promise.order_id == order_id).order_by(Promise.id)
        )
    )


async def open_promises_of_customers(
    session: AsyncSession, customer_ids: Sequence[int]
) -> list[Promise]:
    return list(
        await session.scalars(
            select(Promise)
            .where(Promise.customer_id.in_(customer_ids), Promise.status.in_(UNFULFILLED))
            .order_by(Promise.customer_id, Promise.id)
        )
    )


def is_pending_item(promise: Promise) -> bool:
    """Something to prepare for the handover: still owed, and not an entitlement (its uses
    come at service visits)."""
    return promise.status in UNFULFILLED and promise.due is not PromiseDue.ENTITLEMENT


async def pending_items_of_orders(
    session: AsyncSession, order_ids: Sequence[int]
) -> dict[int, list[str]]:
    """The descriptions of each order's pending items, in one statement."""
    found: dict[int, list[str]] = {order_id: [] for order_id in order_ids}
    rows = await session.scalars(
        select(Promise)
        .where(Promise.order_id.in_(order_ids), Promise.status.in_(UNFULFILLED))
        .order_by(Promise.order_id, Promise.id)
    )
    for promise in rows:
        if is_pending_item(promise):
            found[promise.order_id].append(promise.description)
    return found


def uses_left(promise: Promise, today: date) -> int:
    """An entitlement's uses left today: none once expired, waived or cancelled."""
    if promise.due is not PromiseDue.ENTITLEMENT or promise.status not in IN_PROGRESS:
        return 0
    if promise.entitlement_valid_until is None or promise.entitlement_valid_until < today:
        return 0
    return max(0, (promise.entitlement_total or 0) - promise.entitlement_used)


def still_owed(promise: Promise, today: date) -> bool:
    """Unfulfilled, and for an entitlement, with uses left before it expires."""
    if promise.status not in UNFULFILLED:
        return False
    return promise.due is not PromiseDue.ENTITLEMENT or uses_left(promise, today) > 0


async def list_changed(session: AsyncSession, order: Order) -> None:
    """A change to a signed list starts a new, unsigned version; the old one stays readable."""
    if await current_signature(session, order) is not None:
        order.checklist_version += 1


def _checked_terms(terms: PromiseTerms, today: date, *, used: int = 0) -> PromiseTerms:
    checks = FieldChecks()
    description = checks.text("input.description", terms.description, max_length=DESCRIPTION_MAX)
    due_on, total, valid_until = (
        terms.due_on,
        terms.entitlement_total,
        terms.entitlement_valid_until,
    )
    if terms.due is PromiseDue.BY_DATE:
        if due_on is None:
            checks.fail("input.dueOn", "required", says="due_date")
        total = valid_until = None
    elif terms.due is PromiseDue.ENTITLEMENT:
        if total is None or not max(1, used) <= total <= ENTITLEMENT_MAX:
            checks.fail(
                "input.entitlementTotal",
                "out_of_range",
                says="entitlement_count",
                min=max(1, used),
                max=ENTITLEMENT_MAX,
            )
        if valid_until is None or valid_until < today:
            checks.fail(
                "input.entitlementValidUntil",
                "required",
                says="entitlement_valid_until",
            )
        due_on = None
    else:
        due_on = total = valid_until = None
    checks.raise_if_any()
    return PromiseTerms(terms.category, description or "", terms.due, due_on, total, valid_until)


def _ensure_editable(order: Order) -> None:
    ensure_open(order)
    if order.status is OrderStatus.DELIVERED:
        raise RuleViolation([Reason("order_delivered", f"Order:{order.id}")])


async def add_promise(
    session: AsyncSession, actor: Actor, order_id: int, terms: PromiseTerms, *, now: datetime
) -> Promise:
    order, customer = await get_order(session, actor, order_id)
    actor.ensure(Action.EDIT_PROMISES)
    today = (await store_clock(session, customer.store_id)).today(now)
    clean = _checked_terms(terms, today)
    _ensure_editable(order)
    promise = Promise(
        order_id=order.id,
        customer_id=customer.id,
        category=clean.category,
        description=clean.description,
        due=clean.due,
        due_on=clean.due_on,
        entitlement_total=clean.entitlement_total,
        entitlement_used=0,
        entitlement_valid_until=clean.entitlement_valid_until,
        status=PromiseStatus.PENDING,
        evidence_note="",
        made_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    session.add(promise)
    await list_changed(session, order)
    await session.flush()
    _record(session, actor, promise, "promise_added", {"promise": clean.description}, now)
    return promise


async def update_promise(
    session: AsyncSession,
    actor: Actor,
    promise_id: int,
    terms: PromiseTerms,
    *,
    expected_version: int,
    now: datetime,
) -> Promise:
    promise, order, customer = await get_promise(session, actor, promise_id, path="input.id")
    actor.ensure(Action.EDIT_PROMISES)
    today = (await store_clock(session, customer.store_id)).today(now)
    clean = _checked_terms(terms, today, used=promise.entitlement_used)
    _ensure_editable(order)
    if promise.version != expected_version:
        raise Conflict("Promise", promise.version)
    if promise.status not in UNFULFILLED or promise.entitlement_used:
        raise RuleViolation(
            [
                Reason(
                    "promise_settled",
                    _sid(promise),
                )
            ]
        )
    for key in (
        "category",
        "description",
        "due",
        "due_on",
        "entitlement_total",
        "entitlement_valid_until",
    ):
        setattr(promise, key, getattr(clean, key))
    promise.updated_at = now
    await list_changed(session, order)
    await session.flush()
    _record(session, actor, promise, "promise_updated", {"promise": clean.description}, now)
    return promise


async def change_promise_status(
    session: AsyncSession,
    actor: Actor,
    promise_id: int,
    status: PromiseStatus,
    *,
    expected_version: int,
    now: datetime,
    deferred_to: date | None = None,
    note: str = "",
    photo_ids: Sequence[int] = (),
) -> Promise:
    """Move a promise along the state machine, with evidence (a note and/or photos)."""
    promise, order, customer = await get_promise(session, actor, promise_id, path="input.id")
    actor.ensure(Action.EDIT_PROMISES)
    today = (await store_clock(session, customer.store_id)).today(now)
    checks = FieldChecks()
    clean_note = checks.text("input.note", note, max_length=NOTE_MAX, required=False) or ""
    if status is S.DEFERRED and (deferred_to is None or deferred_to <= today):
        checks.fail("input.deferredTo", "required", says="deferred_to")
    if len(photo_ids) > PHOTOS_MAX:
        checks.fail("input.photoIds", "too_many", says="too_many_photos", max=PHOTOS_MAX)
    photos = await _unattached_photos(session, actor, photo_ids, customer.store_id, checks)
    checks.raise_if_any()
    ensure_open(order)
    if promise.version != expected_version:
        raise Conflict("Promise", promise.version)
    if status not in TRANSITIONS[promise.status]:
        raise RuleViolation(
            [
                Reason(
                    "transition_not_allowed",
                    _sid(promise),
                    status=promise.status,
                    to=status,
                )
            ]
        )
    if status not in allowed_moves(promise.status, promise.due):
        raise RuleViolation(
            [
                Reason(
                    "entitlement_counts_uses",
                    _sid(promise),
                )
            ]
        )
    previous = promise.status
    promise.status = status
    if status is S.DEFERRED:
        promise.deferred_to = deferred_to
    if status is S.FULFILLED:
        promise.fulfilled_at = now
    if clean_note:
        promise.evidence_note = f"{promise.evidence_note}\n{clean_note}".strip()
    for photo in photos:
        photo.promise_id = promise.id
    promise.updated_at = now
    if status in CONSENTED:
        await list_changed(session, order)
    await session.flush()
    params = {
        "promise": promise.description,
        "from": previous.value,
        "to": status.value,
        "deferred_to": deferred_to.isoformat() if deferred_to and status is S.DEFERRED else None,
    }
    _record(session, actor, promise, "promise_status_changed", params, now, note=clean_note)
    return promise


async def _unattached_photos(
    session: AsyncSession,
    actor: Actor,
    photo_ids: Sequence[int],
    store_id: int,
    checks: FieldChecks,
) -> list[Upload]:
    if not photo_ids:
        return []
    found = {u.id: u for u in await session.scalars(select(Upload).where(Upload.id.in_(photo_ids)))}
    photos = []
    for index, photo_id in enumerate(photo_ids):
        upload = found.get(photo_id)
        if upload is None or upload.store_id != store_id or upload.promise_id is not None:
            checks.fail(f"input.photoIds.{index}", "bad_photo", says="photo_taken")
        else:
            photos.append(upload)
    return photos


def _sid(promise: Promise) -> str:
    return f"Promise:{promise.id}"


def _record(
    session: AsyncSession,
    actor: Actor,
    promise: Promise,
    kind: str,
    params: dict[str, Any],
    now: datetime,
    *,
    note: str = "",
) -> None:
    changes: dict[str, object] = {
        "status": promise.status.value,
        "description": promise.description,
        "due": promise.due.value,
        "version": promise.version,
    }
    if note:
        changes["note"] = note
    record(
        session,
        actor,
        promise,
        customer_id=promise.customer_id,
        kind=kind,
        params=params,
        action=kind,
        changes=changes,
        now=now,
    )
