"""Working a case: comment, close with the customer's confirmation, reopen; and the refused
attempt to hand it on (踢皮球), which is counted."""

import strawberry

from baton.api.ids import expect_id, optional_id
from baton.api.mutation import Acting, mutation
from baton.api.mutations.raising import CaseSuccess
from baton.api.types.cases import ConfirmationChannel
from baton.api.types.org import Department
from baton.db import models
from baton.domain.access import Action
from baton.domain.cases import lifecycle, ownership


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
