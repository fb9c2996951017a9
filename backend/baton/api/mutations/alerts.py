"""Alerts: push devices, reading the inbox, alert preferences."""

from typing import Annotated

import strawberry

from baton.api.context import Info
from baton.api.errors import MutationError
from baton.api.ids import expect_id, optional_id
from baton.api.mutation import run_mutation
from baton.api.types.alerts import AlertPreferences, AlertType, PushSubscriptionType
from baton.api.types.org import UserType
from baton.api.types.relay import orm_root
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


SubscribePushPayload = Annotated[
    SubscribePushSuccess | MutationError, strawberry.union("SubscribePushPayload")
]
UnsubscribePushPayload = Annotated[
    UnsubscribePushSuccess | MutationError, strawberry.union("UnsubscribePushPayload")
]
MarkAlertReadPayload = Annotated[
    MarkAlertReadSuccess | MutationError, strawberry.union("MarkAlertReadPayload")
]
MarkAllAlertsReadPayload = Annotated[
    MarkAllAlertsReadSuccess | MutationError, strawberry.union("MarkAllAlertsReadPayload")
]
UpdateAlertPreferencesPayload = Annotated[
    UpdateAlertPreferencesSuccess | MutationError,
    strawberry.union("UpdateAlertPreferencesPayload"),
]


@strawberry.type
class AlertMutations:
    @strawberry.mutation
    async def subscribe_push(self, info: Info, input: SubscribePushInput) -> SubscribePushPayload:
        settings = info.context.settings
        policy = push_devices.EndpointPolicy(
            allowed_hosts=settings.push_allowed_host_patterns,
            allow_loopback=settings.push_allow_loopback,
        )

        return await run_mutation(
            info,
            input,
            lambda act: push_devices.subscribe(
                act.session,
                act.actor,
                {
                    "endpoint": input.subscription.endpoint,
                    "keys": {
                        "p256dh": input.subscription.keys.p256dh,
                        "auth": input.subscription.keys.auth,
                    },
                },
                user_agent=input.user_agent,
                policy=policy,
                now=act.now,
            ),
            success=lambda device: SubscribePushSuccess(device=orm_root(device)),
        )

    @strawberry.mutation
    async def unsubscribe_push(
        self, info: Info, input: UnsubscribePushInput
    ) -> UnsubscribePushPayload:
        return await run_mutation(
            info,
            input,
            lambda act: push_devices.unsubscribe(
                act.session,
                act.actor,
                device_id=optional_id(input.id, "PushSubscription", "input.id"),
                endpoint=input.endpoint,
            ),
            success=lambda user: UnsubscribePushSuccess(me=orm_root(user)),
        )

    @strawberry.mutation
    async def mark_alert_read(self, info: Info, input: MarkAlertReadInput) -> MarkAlertReadPayload:
        return await run_mutation(
            info,
            input,
            lambda act: alerts.mark_read(
                act.session, act.actor, expect_id(input.id, "Alert", "input.id"), now=act.now
            ),
            success=lambda alert: MarkAlertReadSuccess(alert=orm_root(alert)),
        )

    @strawberry.mutation
    async def mark_all_alerts_read(
        self, info: Info, input: MarkAllAlertsReadInput
    ) -> MarkAllAlertsReadPayload:
        return await run_mutation(
            info,
            input,
            lambda act: alerts.mark_all_read(act.session, act.actor, now=act.now),
            success=lambda user: MarkAllAlertsReadSuccess(me=orm_root(user)),
        )

    @strawberry.mutation
    async def update_alert_preferences(
        self, info: Info, input: UpdateAlertPreferencesInput
    ) -> UpdateAlertPreferencesPayload:
        return await run_mutation(
            info,
            input,
            lambda act: alerts.update_preferences(
                act.session,
                act.actor,
                quiet_hours_start=input.quiet_hours_start,
                quiet_hours_end=input.quiet_hours_end,
                language=input.language,
            ),
            success=lambda user: UpdateAlertPreferencesSuccess(preferences=orm_root(user)),
        )
