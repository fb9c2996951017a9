"""Alerts: push devices, reading the inbox, alert preferences."""

import strawberry

from baton.api.context import Info
from baton.api.ids import expect_id, optional_id
from baton.api.mutation import Acting, mutation
from baton.api.types.alerts import AlertPreferences, AlertType, PushSubscriptionType
from baton.api.types.org import UserType
from baton.db import models
from baton.domain import alerts, push_devices


@strawberry.input(description="PushSubscription.toJSON().keys, base64url.")
class PushKeysInput:
    p256dh: str
    auth: str


@strawberry.input(description="PushSubscription.toJSON() of this browser, as it gives it.")
class PushSubscriptionInput:
    endpoint: str
    keys: PushKeysInput
    expiration_time: float | None = None


@strawberry.input
class SubscribePushInput:
    subscription: PushSubscriptionInput
    user_agent: str = strawberry.field(default="", description="A label: 'iPhone Safari'.")
    client_mutation_id: str | None = None


@strawberry.type
class SubscribePushSuccess:
    device: PushSubscriptionType


@strawberry.input
class UnsubscribePushInput:
    id: strawberry.ID | None = strawberry.field(default=None, description="The device's ID.")
    endpoint: str | None = strawberry.field(default=None, description="Or its endpoint.")
    client_mutation_id: str | None = None


@strawberry.type
class UnsubscribePushSuccess:
    me: UserType


@strawberry.input
class MarkAlertReadInput:
    id: strawberry.ID
    client_mutation_id: str | None = None


@strawberry.type
class MarkAlertReadSuccess:
    alert: AlertType


@strawberry.input
class MarkAllAlertsReadInput:
    client_mutation_id: str | None = None


@strawberry.type
class MarkAllAlertsReadSuccess:
    me: UserType

    @strawberry.field
    async def unread_alert_count(self, info: Info) -> int:
        return await alerts.unread_count(info.context.session, await info.context.actor())


@strawberry.input
class UpdateAlertPreferencesInput:
    quiet_hours_start: str | None = strawberry.field(default=None, description="HH:MM")
    quiet_hours_end: str | None = strawberry.field(default=None, description="HH:MM")
    language: str | None = strawberry.field(default=None, description="zh-CN or en")
    client_mutation_id: str | None = None


@strawberry.type
class UpdateAlertPreferencesSuccess:
    preferences: AlertPreferences


# Each acts on the caller's own devices, alerts and preferences: no Action.
@strawberry.type
class AlertMutations:
    @mutation(ability=None, success=SubscribePushSuccess)
    async def subscribe_push(input: SubscribePushInput, acting: Acting) -> models.PushSubscription:
        settings = acting.context.settings
        return await push_devices.subscribe(
            acting.session,
            acting.actor,
            {
                "endpoint": input.subscription.endpoint,
                "keys": {
                    "p256dh": input.subscription.keys.p256dh,
                    "auth": input.subscription.keys.auth,
                },
            },
            user_agent=input.user_agent,
            policy=push_devices.EndpointPolicy(
                allowed_hosts=settings.push_allowed_host_patterns,
                allow_loopback=settings.push_allow_loopback,
            ),
            now=acting.now,
        )

    @mutation(ability=None, success=UnsubscribePushSuccess)
    async def unsubscribe_push(input: UnsubscribePushInput, acting: Acting) -> models.User:
        return await push_devices.unsubscribe(
            acting.session,
            acting.actor,
            device_id=optional_id(input.id, "PushSubscription", "input.id"),
            endpoint=input.endpoint,
        )

    @mutation(ability=None, success=MarkAlertReadSuccess)
    async def mark_alert_read(input: MarkAlertReadInput, acting: Acting) -> models.Alert:
        return await alerts.mark_read(
            acting.session, acting.actor, expect_id(input.id, "Alert", "input.id"), now=acting.now
        )

    @mutation(ability=None, success=MarkAllAlertsReadSuccess)
    async def mark_all_alerts_read(input: MarkAllAlertsReadInput, acting: Acting) -> models.User:
        return await alerts.mark_all_read(acting.session, acting.actor, now=acting.now)

    @mutation(ability=None, success=UpdateAlertPreferencesSuccess)
    async def update_alert_preferences(
        input: UpdateAlertPreferencesInput, acting: Acting
    ) -> models.User:
        return await alerts.update_preferences(
            acting.session,
            acting.actor,
            quiet_hours_start=input.quiet_hours_start,
            quiet_hours_end=input.quiet_hours_end,
            language=input.language,
        )
