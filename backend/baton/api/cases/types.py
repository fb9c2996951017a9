"""Touchpoints, the journey map and cases with their escalation clock."""

from datetime import datetime

import strawberry
from strawberry import Parent

from baton.api.context import Info
from baton.api.types.abilities import Ability
from baton.api.types.customers import CustomerType
from baton.api.types.org import Department, UserType
from baton.api.types.relay import Node, orm_root
from baton.db import models
from baton.domain.access import Action, Subject
from baton.domain.cases.ladder import held_time
from baton.domain.cases.lifecycle import REOPEN_WINDOW, case_subject

JourneyStage = strawberry.enum(models.JourneyStage)
CaseSource = strawberry.enum(models.CaseSource)
CaseState = strawberry.enum(models.CaseState)
ConfirmationChannel = strawberry.enum(models.ConfirmationChannel)


@strawberry.type(name="Touchpoint")
class TouchpointType(Node):
    number: int
    key: str
    stage: JourneyStage  # type: ignore[valid-type]
    cross_department: bool
    owner_department: Department  # type: ignore[valid-type]
    version: int

    @strawberry.field(description="In the viewer's language.")
    @staticmethod
    def name(root: Parent[models.Touchpoint], info: Info) -> str:
        return info.context.reader().say(f"touchpoint.{root.key}", {})

    @strawberry.field
    @staticmethod
    def collaborating_departments(
        root: Parent[models.Touchpoint],
    ) -> list[Department]:  # type: ignore[valid-type]
        return [models.Department(d) for d in root.collaborating_departments]

    @strawberry.field(
        description="The named owner at this store; null: the department's supervisor."
    )
    @staticmethod
    async def owner(root: Parent[models.Touchpoint], info: Info) -> UserType | None:
        if root.owner_id is None:
            return None
        return orm_root(await info.context.loaders.user.load(root.owner_id))

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.Touchpoint)


@strawberry.type
class JourneyMapEntry:
    touchpoint: TouchpointType
    open_cases: int


@strawberry.type
class CaseCollaborator:
    department: Department  # type: ignore[valid-type]
    added_at: datetime
    user: UserType


@strawberry.type
class CaseComment:
    text: str
    at: datetime
    author: UserType


@strawberry.type(
    description="Who held the case at a level, and for how long (until now if still held)."
)
class CaseHolding:
    level: int
    department: Department  # type: ignore[valid-type]
    user: UserType
    seconds: int


async def _subject(case: models.Case, info: Info) -> Subject:
    loaders = info.context.loaders
    return case_subject(
        case,
        await loaders.spells_of_case.load(case.id),
        await loaders.collaborators_of_case.load(case.id),
    )


@strawberry.type(name="Case")
class CaseType(Node):
    summary: str
    source: CaseSource  # type: ignore[valid-type]
    state: CaseState  # type: ignore[valid-type]
    owner_department: Department  # type: ignore[valid-type]
    level: int
    level_since: datetime
    level_due_at: datetime | None = strawberry.field(
        description="The escalation clock: when it rises to the next level if still open."
    )
    created_at: datetime
    closed_at: datetime | None
    resolution: str | None
    resolved_level: int | None
    confirmed_by: str | None
    confirmed_via: ConfirmationChannel | None  # type: ignore[valid-type]
    reopened_count: int
    version: int

    @strawberry.field
    @staticmethod
    async def touchpoint(root: Parent[models.Case], info: Info) -> TouchpointType:
        return orm_root(await info.context.loaders.touchpoint.load(root.touchpoint_id))

    @strawberry.field
    @staticmethod
    async def customer(root: Parent[models.Case], info: Info) -> CustomerType:
        return orm_root(await info.context.loaders.customer.load(root.customer_id))

    @strawberry.field
    @staticmethod
    async def raised_by(root: Parent[models.Case], info: Info) -> UserType:
        return orm_root(await info.context.loaders.user.load(root.raised_by_id))

    @strawberry.field
    @staticmethod
    async def owner(root: Parent[models.Case], info: Info) -> UserType:
        return orm_root(await info.context.loaders.user.load(root.owner_id))

    @strawberry.field
    @staticmethod
    async def collaborators(root: Parent[models.Case], info: Info) -> list[CaseCollaborator]:
        loaders = info.context.loaders
        rows = await loaders.collaborators_of_case.load(root.id)
        return [
            CaseCollaborator(
                department=row.department,
                added_at=row.added_at,
                user=orm_root(await loaders.user.load(row.user_id)),
            )
            for row in rows
        ]

    @strawberry.field(description="Oldest first; at most the latest 100.")
    @staticmethod
    async def comments(root: Parent[models.Case], info: Info) -> list[CaseComment]:
        loaders = info.context.loaders
        rows = (await loaders.comments_of_case.load(root.id))[-100:]
        return [
            CaseComment(
                text=row.text,
                at=row.at,
                author=orm_root(await loaders.user.load(row.author_id)),
            )
            for row in rows
        ]

    @strawberry.field(description="Who holds it at its current level (none once closed).")
    @staticmethod
    async def holders(root: Parent[models.Case], info: Info) -> list[UserType]:
        loaders = info.context.loaders
        spells = await loaders.spells_of_case.load(root.id)
        return [orm_root(await loaders.user.load(s.user_id)) for s in spells if s.ended_at is None]

    @strawberry.field(description="Time held per level, department and person.")
    @staticmethod
    async def held(root: Parent[models.Case], info: Info) -> list[CaseHolding]:
        loaders = info.context.loaders
        spells = await loaders.spells_of_case.load(root.id)
        return [
            CaseHolding(
                level=h.level,
                department=h.department,
                user=orm_root(await loaders.user.load(h.user_id)),
                seconds=h.seconds,
            )
            for h in held_time(spells, info.context.now())
        ]

    @strawberry.field(description="Whether the viewer may close it (owner, holders, managers).")
    @staticmethod
    async def viewer_can_close(root: Parent[models.Case], info: Info) -> bool:
        if root.state is not models.CaseState.OPEN:
            return False
        return Action.DECIDE_CASE in await info.context.facts.viewer_can(
            "Case", await _subject(root, info)
        )

    @strawberry.field(description="What the viewer may do with this case.")
    @staticmethod
    async def viewer_can(root: Parent[models.Case], info: Info) -> list[Ability]:  # type: ignore[valid-type]
        return await info.context.facts.viewer_can("Case", await _subject(root, info))

    @strawberry.field(description="Until when a closed case may be reopened.")
    @staticmethod
    def reopenable_until(root: Parent[models.Case]) -> datetime | None:
        return root.closed_at + REOPEN_WINDOW if root.closed_at else None

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.Case)


@strawberry.type
class CaseDraft:
    """What raising a case for a customer starts from: the suggested touchpoint first."""

    suggested: TouchpointType | None
    touchpoints: list[TouchpointType]
