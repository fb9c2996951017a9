"""Working a case: comment, close with the customer's confirmation, reopen; and the refused
attempt to hand it on (踢皮球), which is counted."""

from typing import Annotated

import strawberry

from baton.api.context import Info
from baton.api.errors import MutationError, RuleViolationError
from baton.api.ids import expect_id, optional_id
from baton.api.mutation import run_mutation
from baton.api.mutations.raising import CaseSuccess, CaseSuccessPayload
from baton.api.types.cases import ConfirmationChannel
from baton.api.types.org import Department
from baton.api.types.relay import orm_root
from baton.domain import cases


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


ReassignCasePayload = Annotated[
    CaseSuccess | MutationError, strawberry.union("ReassignCasePayload")
]


@strawberry.type
class CaseMutations:
    @strawberry.mutation
    async def comment_on_case(self, info: Info, input: CommentOnCaseInput) -> CaseSuccessPayload:
        return await run_mutation(
            info,
            input,
            lambda act: cases.comment_on_case(
                act.session,
                act.actor,
                expect_id(input.case_id, "Case", "input.caseId"),
                text=input.text,
                now=act.now,
            ),
            success=lambda case: CaseSuccess(case=orm_root(case)),
        )

    @strawberry.mutation(description="With a resolution and the customer's confirmation.")
    async def close_case(self, info: Info, input: CloseCaseInput) -> CaseSuccessPayload:
        return await run_mutation(
            info,
            input,
            lambda act: cases.close_case(
                act.session,
                act.actor,
                expect_id(input.case_id, "Case", "input.caseId"),
                resolution=input.resolution,
                confirmed_by=input.confirmed_by,
                confirmed_via=input.confirmed_via,
                expected_version=input.version,
                now=act.now,
            ),
            success=lambda case: CaseSuccess(case=orm_root(case)),
        )

    @strawberry.mutation(description="Within 7 days of closing: back to level 1, same owner.")
    async def reopen_case(self, info: Info, input: ReopenCaseInput) -> CaseSuccessPayload:
        return await run_mutation(
            info,
            input,
            lambda act: cases.reopen_case(
                act.session,
                act.actor,
                expect_id(input.case_id, "Case", "input.caseId"),
                reason=input.reason,
                expected_version=input.version,
                now=act.now,
            ),
            success=lambda case: CaseSuccess(case=orm_root(case)),
        )

    @strawberry.mutation(
        description="Always refused (owner_keeps_case): the owner department keeps the case; "
        "add a collaborator instead. The refused attempt is counted."
    )
    async def reassign_case(self, info: Info, input: ReassignCaseInput) -> ReassignCasePayload:
        case_id = expect_id(input.case_id, "Case", "input.caseId")
        answer = await run_mutation(
            info,
            input,
            lambda act: cases.refuse_handing_on(
                act.session,
                act.actor,
                case_id,
                user_id=optional_id(input.to_user_id, "User", "input.toUserId"),
            ),
            success=lambda case: CaseSuccess(case=orm_root(case)),
        )
        if isinstance(answer, RuleViolationError):
            # The refusal wrote nothing; counting it is its own small write (the measure of
            # bounce attempts refused). The rollback expired the actor's row: read it again.
            actor = await info.context.actor()
            await info.context.session.refresh(actor.user)
            await cases.count_refused_bounce(
                info.context.session,
                actor,
                case_id,
                department=input.to_department.value if input.to_department else None,
                now=info.context.now(),
            )
            await info.context.session.commit()
        return answer
