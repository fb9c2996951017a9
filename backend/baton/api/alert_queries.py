"""Read side of alerts: my inbox, unread count, my devices, preferences, the VAPID public key."""

import strawberry

from baton.api.context import Info
from baton.api.types.alerts import AlertPreferences, AlertType, PushSubscriptionType
from baton.api.types.relay import Connection, Cursor, connection, orm_root
from baton.domain import alerts, push_devices
from baton.notify.vapid import vapid_keys_or_none


@strawberry.type
class AlertQueries:
    @strawberry.field(description="My alerts, newest first.")
    async def inbox(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[AlertType]:
        (after_id,) = Cursor.read(after, int) if after else (None,)
        async with info.context.turn():
            actor = await info.context.actor()
            page = await alerts.inbox_page(
                info.context.session, actor, first=first, after_id=after_id, now=info.context.now()
            )
        cursors = [Cursor((str(alert.id),)) for alert in page.alerts]
        return connection(orm_root(page.alerts), cursors, page.has_next)

    @strawberry.field
    async def unread_alert_count(self, info: Info) -> int:
        async with info.context.turn():
            return await alerts.unread_count(info.context.session, await info.context.actor())

    @strawberry.field(description="Devices that receive my pushes (at most 10).")
    async def my_devices(self, info: Info) -> list[PushSubscriptionType]:
        async with info.context.turn():
            actor = await info.context.actor()
            devices = await push_devices.my_devices(info.context.session, actor)
        return orm_root(devices[: push_devices.DEVICES_MAX])

    @strawberry.field
    async def alert_preferences(self, info: Info) -> AlertPreferences:
        async with info.context.turn():
            return orm_root((await info.context.actor()).user)

    @strawberry.field(
        description="The VAPID applicationServerKey for pushManager.subscribe(); null while "
        "web push is not set up (`baton vapid`)."
    )
    def push_public_key(self, info: Info) -> str | None:
        keys = vapid_keys_or_none(info.context.settings.vapid_private_key_file)
        return keys.application_server_key if keys else None
