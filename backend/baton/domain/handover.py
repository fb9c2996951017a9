"""The handover gate (交车门槛): what must be true before a car is handed over. A pure rule, so
`Order.handoverBlockers` shows exactly what `journeys/handover.complete_handover` enforces."""

from collections.abc import Sequence

from baton.db.models import ChecklistSignature, Order, OrderStatus, Promise, PromiseDue
from baton.domain.errors import Reason
from baton.domain.promises import IN_PROGRESS


def handover_blockers(
    order: Order, promises: Sequence[Promise], signature: ChecklistSignature | None
) -> list[Reason]:
    """Every reason the handover cannot happen now; empty when it can. Pure, so the API shows
    exactly the rule `complete_handover` enforces (Order.handoverBlockers)."""
    subject = f"Order:{order.id}"
    if order.status is not OrderStatus.SUBMITTED:
        return [Reason("not_submitted", subject, status=order.status)]
    reasons = [
        Reason(
            "promise_open",
            f"Promise:{p.id}",
            promise=p.description,
            status=p.status,
        )
        for p in promises
        if p.due is PromiseDue.AT_HANDOVER and p.status in IN_PROGRESS
    ]
    if signature is None:
        reasons.append(
            Reason(
                "checklist_unsigned",
                subject,
                says="checklist_unsigned_since_change",
                version=order.checklist_version,
            )
        )
    return reasons
