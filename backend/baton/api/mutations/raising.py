"""Raising a case and bringing in collaborators."""

from typing import Annotated

import strawberry

from baton.api.context import Info
from baton.api.errors import MutationError
from baton.api.ids import expect_id, optional_id
from baton.api.mutation import run_mutation
from baton.api.types.cases import CaseType
from baton.api.types.org import Department
from baton.api.types.relay import orm_root
from baton.domain.journeys import raising


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


CaseSuccessPayload = Annotated[CaseSuccess | MutationError, strawberry.union("CasePayload")]


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
    @strawberry.mutation(
        description="Lands with the touchpoint's owner department (its named owner, else its "
        "supervisor); level 1 starts now."
    )
    async def raise_case(self, info: Info, input: RaiseCaseInput) -> CaseSuccessPayload:
        return await run_mutation(
            info,
            input,
            lambda act: raising.raise_case(
                act.session,
                act.actor,
                customer_id=expect_id(input.customer_id, "Customer", "input.customerId"),
                touchpoint_id=expect_id(input.touchpoint_id, "Touchpoint", "input.touchpointId"),
                summary=input.summary,
                feedback_id=optional_id(input.feedback_id, "Feedback", "input.feedbackId"),
                visit_id=optional_id(input.visit_id, "ServiceVisit", "input.visitId"),
                now=act.now,
            ),
            success=lambda case: CaseSuccess(case=orm_root(case)),
        )

    @strawberry.mutation(description="The owner brings a department in; ownership stays.")
    async def add_case_collaborator(
        self, info: Info, input: AddCaseCollaboratorInput
    ) -> CaseSuccessPayload:
        return await run_mutation(
            info,
            input,
            lambda act: raising.bring_in_collaborator(
                act.session,
                act.actor,
                expect_id(input.case_id, "Case", "input.caseId"),
                department=input.department,
                user_id=optional_id(input.user_id, "User", "input.userId"),
                now=act.now,
            ),
            success=lambda case: CaseSuccess(case=orm_root(case)),
        )
