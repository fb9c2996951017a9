"""Raising a case and bringing in collaborators."""

import strawberry

from baton.api.ids import expect_id, optional_id
from baton.api.mutation import Acting, mutation
from baton.api.types.cases import CaseType
from baton.api.types.org import Department
from baton.db import models
from baton.domain.access import Action
from baton.domain.journeys.cases import raising


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
