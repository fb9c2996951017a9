"""The customer's signature (客户签字) over one exact version of an order's promise checklist.

What is signed is the canonical form of the list (sorted keys, no spaces, UTF-8) and its
SHA-256, kept with the strokes, so any later reader can show and re-check what was signed."""

import hashlib
import json
import math
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import ChecklistSignature, Order, Promise, PromiseStatus
from baton.domain.access import Action, Actor
from baton.domain.errors import Conflict, FieldChecks, Reason, RuleViolation
from baton.domain.orders import ensure_open, get_order
from baton.domain.promises import promises_of_order
from baton.domain.records import add_audit_entry, add_timeline_event

STROKES_MAX_BYTES = 64 * 1024
POINTS_MAX = 2000
SIGNER_MAX = 100


def canonical_content(order: Order, promises: list[Promise]) -> dict[str, Any]:
    """The list as the customer agrees to it: terms and consents, not fulfilment progress."""
    listed = [p for p in promises if p.status is not PromiseStatus.CANCELLED]
    return {
        "orderId": order.id,
        "customerId": order.customer_id,
        "version": order.checklist_version,
        "noPromises": not listed,
        "promises": [
            {
                "id": p.id,
                "category": p.category.value,
                "description": p.description,
                "due": p.due.value,
                "dueOn": p.due_on.isoformat() if p.due_on else None,
                "entitlementTotal": p.entitlement_total,
                "entitlementValidUntil": (
                    p.entitlement_valid_until.isoformat() if p.entitlement_valid_until else None
                ),
                "deferredTo": p.deferred_to.isoformat() if p.deferred_to else None,
                "waived": p.status is PromiseStatus.WAIVED,
            }
            for p in sorted(listed, key=lambda p: p.id)
        ],
    }


def canonical_json(content: dict[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


def parse_strokes(raw: str, checks: FieldChecks, path: str) -> tuple[str, int]:
    """Strokes as compact JSON `[[[x, y, t_ms], ...], ...]`; refuses empty or absurd input
    before parsing more than its size."""
    if len(raw.encode()) > STROKES_MAX_BYTES:
        checks.fail(path, f"at most {STROKES_MAX_BYTES // 1024} KB of strokes", "too_large")
        return "", 0
    try:
        strokes = json.loads(raw)
    except ValueError:
        checks.fail(path, "not JSON", "not_json")
        return "", 0
    if not isinstance(strokes, list) or not strokes:
        checks.fail(path, "a signature needs at least one stroke", "no_strokes")
        return "", 0
    points = 0
    for stroke in strokes:
        if not isinstance(stroke, list) or not stroke:
            checks.fail(path, "each stroke is a non-empty list of points", "bad_stroke")
            return "", 0
        for point in stroke:
            if not _is_point(point):
                checks.fail(path, "each point is [x, y, t] with finite numbers", "bad_point")
                return "", 0
        points += len(stroke)
    if points > POINTS_MAX:
        checks.fail(path, f"at most {POINTS_MAX} points", "too_many_points")
        return "", 0
    return json.dumps(strokes, separators=(",", ":")), points


def _is_point(point: object) -> bool:
    return (
        isinstance(point, list)
        and len(point) == 3
        and all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            for v in point
        )
    )


async def current_signature(session: AsyncSession, order: Order) -> ChecklistSignature | None:
    return await session.scalar(
        select(ChecklistSignature).where(
            ChecklistSignature.order_id == order.id,
            ChecklistSignature.checklist_version == order.checklist_version,
        )
    )


async def sign_checklist(
    session: AsyncSession,
    actor: Actor,
    order_id: int,
    *,
    checklist_version: int,
    signer_name: str,
    strokes: str,
    confirm_no_promises: bool,
    now: datetime,
) -> ChecklistSignature:
    """The customer signs the version they were shown; a stale version is a Conflict."""
    order, customer = await get_order(session, actor, order_id)
    actor.ensure(Action.COLLECT_SIGNATURE)
    checks = FieldChecks()
    clean_signer = checks.text("input.signerName", signer_name, max_length=SIGNER_MAX)
    clean_strokes, points = parse_strokes(strokes, checks, "input.strokes")
    checks.raise_if_any()
    ensure_open(order)
    if checklist_version != order.checklist_version:
        raise Conflict("Checklist", order.checklist_version)
    if await current_signature(session, order) is not None:
        raise RuleViolation(
            [
                Reason(
                    "already_signed",
                    f"version {order.checklist_version} is already signed",
                    f"Order:{order.id}",
                )
            ]
        )
    content = canonical_content(order, await promises_of_order(session, order.id))
    if content["noPromises"] and not confirm_no_promises:
        raise RuleViolation(
            [
                Reason(
                    "no_promises_unconfirmed",
                    "the list is empty: the customer must confirm that nothing was promised",
                    f"Order:{order.id}",
                )
            ]
        )
    if not content["noPromises"] and confirm_no_promises:
        raise RuleViolation(
            [
                Reason(
                    "list_not_empty",
                    "the list has promises; it cannot be confirmed as empty",
                    f"Order:{order.id}",
                )
            ]
        )
    signature = ChecklistSignature(
        order_id=order.id,
        customer_id=customer.id,
        checklist_version=order.checklist_version,
        signer_name=clean_signer or "",
        strokes=clean_strokes,
        point_count=points,
        witness_id=actor.id,
        signed_at=now,
        content=content,
        content_hash=content_hash(content),
        no_promises=bool(content["noPromises"]),
    )
    session.add(signature)
    await session.flush()
    summary = (
        f"v{order.checklist_version}，{len(content['promises'])} 项承诺，签字人 {clean_signer}"
    )
    add_timeline_event(
        session,
        actor,
        customer_id=customer.id,
        kind="checklist_signed",
        now=now,
        summary=summary,
        subject_type="ChecklistSignature",
        subject_id=signature.id,
    )
    add_audit_entry(
        session,
        actor,
        action="sign_checklist",
        entity_type="ChecklistSignature",
        entity_id=signature.id,
        now=now,
        changes={
            "order_id": order.id,
            "version": order.checklist_version,
            "hash": signature.content_hash,
        },
    )
    return signature
