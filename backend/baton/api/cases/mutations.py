"""Touchpoint cases, the write side: a store manager names who owns a step of the journey;
raising a case and bringing in collaborators; working it (comment, close with the customer's
confirmation, reopen); and the refused attempt to hand it on (踢皮球), which is counted."""

import strawberry

from baton.api.cases.types import CaseType, ConfirmationChannel, TouchpointType
from baton.api.ids import expect_id, optional_id
from baton.api.mutation import Acting, mutation
from baton.api.types.org import Department
from baton.db import models
from baton.domain.access import Action
from baton.domain.cases import lifecycle, ownership, touchpoints
from baton.domain.journeys.cases import raising

# --- touchpoint owners --------------------------------------------------------------------


@strawberry.input
class SetTouchpointOwnersInput:
    id: strawberry.ID
    version: int
    owner_department: Department  # type: ignore[valid-type]
    collaborating_departments: list[Department]  # type: ignore[valid-type]
    owner_id: strawberry.ID | None = None
    client_mutation_id: str | None = None


@strawberry.type
class TouchpointSuccess:
    touchpoint: TouchpointType


@strawberry.type
class TouchpointMutations:
    @mutation(
        ability=Action.EDIT_TOUCHPOINTS,
        success=TouchpointSuccess,
        description="Store managers only; audited.",
    )
    async def set_touchpoint_owners(
        input: SetTouchpointOwnersInput, acting: Acting
    ) -> models.Touchpoint:
        return await touchpoints.set_touchpoint_owners(
            acting.session,
            acting.actor,
            expect_id(input.id, "Touchpoint", "input.id"),
            owner_department=input.owner_department,
            collaborating_departments=list(input.collaborating_departments),
            owner_id=optional_id(input.owner_id, "User", "input.ownerId"),
            expected_version=input.version,
            now=acting.now,
        )


# --- raising -----------------------------------------------------------------------------


@strawberry.input
class RaiseCaseInput:
    customer_id: strawberry.ID
    touchpoint_id: strawberry.ID
    summary: str
    feedback_id: strawberry.ID | None = strawberry.field(
        default=None, description="Raised from this complaint."
    )
    visit_id: strawberry.ID | None = strawberry.field(
        default=None, description="Raised at this check-in."
    )
    client_mutation_id: str | None = None


@strawberry.type
class CaseSuccess:
    case: CaseType


@strawberry.input
class AddCaseCollaboratorInput:
    case_id: strawberry.ID
    department: Department  # type: ignore[valid-type]
    user_id: strawberry.ID | None = strawberry.field(
        default=None, description="Default: the department's supervisor."
    )
    client_mutation_id: str | None = None


@strawberry.type
class RaisingMutations:
    @mutation(
        ability=Action.RAISE_CASE,
        success=CaseSuccess,
        description="Lands with the touchpoint's owner department (its named owner, else its "
        "supervisor); level 1 starts now.",
    )
    async def raise_case(input: RaiseCaseInput, acting: Acting) -> models.Case:
        return await raising.raise_case(
            acting.session,
            acting.actor,
            customer_id=expect_id(input.customer_id, "Customer", "input.customerId"),
            touchpoint_id=expect_id(input.touchpoint_id, "Touchpoint", "input.touchpointId"),
            summary=input.summary,
            feedback_id=optional_id(input.feedback_id, "Feedback", "input.feedbackId"),
            visit_id=optional_id(input.visit_id, "ServiceVisit", "input.visitId"),
            now=acting.now,
        )

    @mutation(
        ability=Action.DECIDE_CASE,
        success=CaseSuccess,
        description="The owner brings a department in; ownership stays.",
    )
    async def add_case_collaborator(input: AddCaseCollaboratorInput, acting: Acting) -> models.Case:
        return await raising.bring_in_collaborator(
            acting.session,
            acting.actor,
            expect_id(input.case_id, "Case", "input.caseId"),
            department=input.department,
            user_id=optional_id(input.user_id, "User", "input.userId"),
            now=acting.now,
        )


# --- working a case ----------------------------------------------------------------------


@strawberry.input
class CommentOnCaseInput:
    case_id: strawberry.ID
    text: str
    client_mutation_id: str | None = None


@strawberry.input
class CloseCaseInput:
    case_id: strawberry.ID
    version: int
    resolution: str
    confirmed_by: str = strawberry.field(description="Who confirmed, as typed (the customer).")
    confirmed_via: ConfirmationChannel | None  # type: ignore[valid-type]
    client_mutation_id: str | None = None


@strawberry.input
class ReopenCaseInput:
    case_id: strawberry.ID
    version: int
    reason: str
    client_mutation_id: str | None = None


@strawberry.input
class ReassignCaseInput:
    case_id: strawberry.ID
    to_department: Department | None = None  # type: ignore[valid-type]
    to_user_id: strawberry.ID | None = None
    client_mutation_id: str | None = None


async def _count_refused_bounce(input: ReassignCaseInput, acting: Acting) -> None:
    """The refusal wrote nothing; counting it is its own small write (the measure of bounce
    attempts refused)."""
    await ownership.count_refused_bounce(
        acting.session,
        acting.actor,
        expect_id(input.case_id, "Case", "input.caseId"),
        department=input.to_department.value if input.to_department else None,
        now=acting.now,
    )


@strawberry.type
class CaseMutations:
    @mutation(ability=Action.WORK_CASE, success=CaseSuccess)
    async def comment_on_case(input: CommentOnCaseInput, acting: Acting) -> models.Case:
        return await lifecycle.comment_on_case(
            acting.session,
            acting.actor,
            expect_id(input.case_id, "Case", "input.caseId"),
            text=input.text,
            now=acting.now,
        )

    @mutation(
        ability=Action.DECIDE_CASE,
        success=CaseSuccess,
        description="With a resolution and the customer's confirmation.",
    )
    async def close_case(input: CloseCaseInput, acting: Acting) -> models.Case:
        return await lifecycle.close_case(
            acting.session,
            acting.actor,
            expect_id(input.case_id, "Case", "input.caseId"),
            resolution=input.resolution,
            confirmed_by=input.confirmed_by,
            confirmed_via=input.confirmed_via,
            expected_version=input.version,
            now=acting.now,
        )

    @mutation(
        ability=Action.WORK_CASE,
        success=CaseSuccess,
        description="Within 7 days of closing: back to level 1, same owner.",
    )
    async def reopen_case(input: ReopenCaseInput, acting: Acting) -> models.Case:
        return await lifecycle.reopen_case(
            acting.session,
            acting.actor,
            expect_id(input.case_id, "Case", "input.caseId"),
            reason=input.reason,
            expected_version=input.version,
            now=acting.now,
        )

    # No one may: the owner department keeps the case (the domain always refuses it).
    @mutation(
        ability=None,
        success=CaseSuccess,
        payload="ReassignCasePayload",
        on_refusal=_count_refused_bounce,
        description="Always refused (owner_keeps_case): the owner department keeps the case; "
        "add a collaborator instead. The refused attempt is counted.",
    )
    async def reassign_case(input: ReassignCaseInput, acting: Acting) -> models.Case:
        return await ownership.refuse_handing_on(
            acting.session,
            acting.actor,
            expect_id(input.case_id, "Case", "input.caseId"),
            user_id=optional_id(input.to_user_id, "User", "input.toUserId"),
        )
