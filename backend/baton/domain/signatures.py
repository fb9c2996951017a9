"""The customer's signature (客户签字) over one exact version of an order's promise checklist.

What is signed is the canonical form of the list (sorted keys, no spaces, UTF-8) and its
SHA-256, kept with the strokes, so any later reader can show and re-check what was signed."""

import hashlib
import json
import math
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import ChecklistSignature, Order, Promise, PromiseStatus
from baton.domain.errors import FieldChecks

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
        checks.fail(path, "too_large", says="strokes_too_large", kb=STROKES_MAX_BYTES // 1024)
        return "", 0
    try:
        strokes = json.loads(raw)
    except ValueError:
        checks.fail(path, "not_json")
        return "", 0
    if not isinstance(strokes, list) or not strokes:
        checks.fail(path, "no_strokes")
        return "", 0
    points = 0
    for stroke in strokes:
        if not isinstance(stroke, list) or not stroke:
            checks.fail(path, "bad_stroke")
            return "", 0
        for point in stroke:
            if not _is_point(point):
                checks.fail(path, "bad_point")
                return "", 0
        points += len(stroke)
    if points > POINTS_MAX:
        checks.fail(path, "too_many_points", max=POINTS_MAX)
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


def signature_of_current_version(
    order: Order, signatures: Iterable[ChecklistSignature]
) -> ChecklistSignature | None:
    """Among an order's signatures, the one over its current checklist version, if signed: a
    changed list bumps the version, so older signatures no longer count."""
    return next((s for s in signatures if s.checklist_version == order.checklist_version), None)


async def current_signature(session: AsyncSession, order: Order) -> ChecklistSignature | None:
    """The signature over the order's current checklist version, if the customer signed it."""
    signed = await session.scalars(
        select(ChecklistSignature).where(ChecklistSignature.order_id == order.id)
    )
    return signature_of_current_version(order, signed)
