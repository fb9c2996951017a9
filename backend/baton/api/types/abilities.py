"""What the viewer may do, as the domain's one table answers it (`Actor.can`): `abilities` on
the signed-in user and `viewerCan` on the objects a user acts on, so the PWA shows an action
from the server's answer and never names a role."""

import strawberry

from baton.api.context import Info
from baton.domain.access import Action, Subject

Ability = strawberry.enum(Action, name="Ability", description="An action a user may take.")


async def viewer_can(info: Info, kind: str, subject: Subject) -> list[Action]:
    """The actions on an object of `kind` that the viewer may take (who may; whether the
    object's state admits it is the object's own fields)."""
    return await info.context.facts.viewer_can(kind, subject)
