"""The customer signs (客户签字) the promise checklist they were shown, on the phone."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import ChecklistSignature
from baton.domain.access import Action, Actor
from baton.domain.errors import Conflict, FieldChecks, Reason, RuleViolation
from baton.domain.history import record
from baton.domain.orders import ensure_open, get_order
from baton.domain.promises import promises_of_order
from baton.domain.signatures import (
    SIGNER_MAX,
    canonical_content,
    content_hash,
    current_signature,
    parse_strokes,
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
    subject = f"Order:{order.id}"
    if await current_signature(session, order) is not None:
        raise RuleViolation(
            [
                Reason(
                    "already_signed",
                    subject,
                    version=order.checklist_version,
                )
            ]
        )
    content = canonical_content(order, await promises_of_order(session, order.id))
    if content["noPromises"] and not confirm_no_promises:
        raise RuleViolation(
            [
                Reason(
                    "no_promises_unconfirmed",
                    subject,
                )
            ]
        )
    if not content["noPromises"] and confirm_no_promises:
        raise RuleViolation(
            [
                Reason(
                    "list_not_empty",
                    subject,
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
    record(
        session,
        actor,
        signature,
        customer_id=customer.id,
        kind="checklist_signed",
        params={
            "version": order.checklist_version,
            "count": len(content["promises"]),
            "signer": clean_signer,
        },
        action="sign_checklist",
        changes={
            "order_id": order.id,
            "version": order.checklist_version,
            "hash": signature.content_hash,
        },
        now=now,
    )
    return signature
