"""What the viewer may do, as the domain's one table answers it (`Actor.can`): `abilities` on
the signed-in user and `viewerCan` on the objects a user acts on, so the PWA shows an action
from the server's answer and never names a role."""

import strawberry

from baton.domain.access import Action

Ability = strawberry.enum(Action, name="Ability", description="An action a user may take.")
