"""Push devices: the browsers a user allowed to receive alerts (PushSubscription.toJSON()).

An endpoint is a URL the dispatcher will POST to, so it is accepted only over https from the
known browser push services (an allowlist in settings): otherwise the subscribe mutation
would let anyone make the server send requests wherever they like.
"""

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import PushSubscription, User
from baton.domain.access import Actor
from baton.domain.errors import FieldChecks, NotFound

ENDPOINT_MAX = 1000
USER_AGENT_MAX = 200
# A phone, a tablet, a desk PC and a few browsers; the oldest goes when a new one comes.
DEVICES_MAX = 10
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")


@dataclass(frozen=True)
class EndpointPolicy:
    allowed_hosts: tuple[str, ...]  # "fcm.googleapis.com", "*.push.apple.com"
    allow_loopback: bool = False


@dataclass(frozen=True)
class SubscriptionKeys:
    endpoint: str
    p256dh: str
    auth: str


def host_allowed(host: str, patterns: tuple[str, ...]) -> bool:
    for pattern in patterns:
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                return True
        elif host == pattern:
            return True
    return False


def _check_endpoint(checks: FieldChecks, path: str, value: object, policy: EndpointPolicy) -> str:
    if not isinstance(value, str) or not value:
        checks.fail(path, "required")
        return ""
    if len(value) > ENDPOINT_MAX:
        checks.fail(path, "too_long", says="too_long_text", max=ENDPOINT_MAX)
        return ""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        checks.fail(path, "invalid_url")
        return ""
    host = (parts.hostname or "").lower()
    if parts.username is not None or parts.password is not None or parts.fragment:
        checks.fail(path, "invalid_url", says="url_with_credentials")
    elif policy.allow_loopback and host in LOOPBACK_HOSTS and parts.scheme in ("http", "https"):
        pass
    elif parts.scheme != "https":
        checks.fail(path, "not_https")
    elif port not in (None, 443) or not host_allowed(host, policy.allowed_hosts):
        checks.fail(path, "push_service_not_allowed")
    return value


def _decode(checks: FieldChecks, path: str, value: object, size: int) -> bytes | None:
    if not isinstance(value, str) or not _BASE64URL.fullmatch(value):
        checks.fail(path, "invalid_key", says="not_base64url")
        return None
    try:
        raw = base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        checks.fail(path, "invalid_key", says="not_base64url")
        return None
    if len(raw) != size:
        checks.fail(path, "invalid_key", says="key_size", size=size, actual=len(raw))
        return None
    return raw


def check_subscription(
    raw: Any, policy: EndpointPolicy, *, path: str = "input.subscription"
) -> SubscriptionKeys:
    """The browser's PushSubscription JSON, checked; ValidationFailed names every problem."""
    checks = FieldChecks()
    if not isinstance(raw, dict):
        checks.fail(path, "invalid", says="not_subscription")
        checks.raise_if_any()
    endpoint = _check_endpoint(checks, f"{path}.endpoint", raw.get("endpoint"), policy)
    keys = raw.get("keys")
    p256dh = auth = ""
    if not isinstance(keys, dict):
        checks.fail(f"{path}.keys", "required", says="subscription_keys")
    else:
        point = _decode(checks, f"{path}.keys.p256dh", keys.get("p256dh"), 65)
        if point is not None:
            try:
                ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
            except ValueError:
                checks.fail(f"{path}.keys.p256dh", "invalid_key", says="not_p256")
        _decode(checks, f"{path}.keys.auth", keys.get("auth"), 16)
        p256dh, auth = str(keys.get("p256dh")).rstrip("="), str(keys.get("auth")).rstrip("=")
    checks.raise_if_any()
    return SubscriptionKeys(endpoint=endpoint, p256dh=p256dh, auth=auth)


async def subscribe(
    session: AsyncSession,
    actor: Actor,
    raw: Any,
    *,
    user_agent: str,
    policy: EndpointPolicy,
    now: datetime,
) -> PushSubscription:
    """Add this device, or refresh it. An endpoint is one browser profile: when another user
    subscribes it (a shared phone), it moves to them, so alerts follow who is logged in."""
    keys = check_subscription(raw, policy)
    label = user_agent.strip()[:USER_AGENT_MAX]
    device = await session.scalar(
        select(PushSubscription).where(PushSubscription.endpoint == keys.endpoint)
    )
    if device is None:
        device = PushSubscription(endpoint=keys.endpoint, created_at=now)
        session.add(device)
    device.user_id = actor.id
    device.p256dh = keys.p256dh
    device.auth = keys.auth
    device.user_agent = label
    await session.flush()
    devices = await my_devices(session, actor)
    for stale in devices[DEVICES_MAX:]:
        await session.delete(stale)
    return device


async def my_devices(session: AsyncSession, actor: Actor) -> list[PushSubscription]:
    """Newest first; bounded by DEVICES_MAX."""
    return list(
        await session.scalars(
            select(PushSubscription)
            .where(PushSubscription.user_id == actor.id)
            .order_by(PushSubscription.created_at.desc(), PushSubscription.id.desc())
            .limit(DEVICES_MAX + 1)
        )
    )


async def unsubscribe(
    session: AsyncSession,
    actor: Actor,
    *,
    device_id: int | None = None,
    endpoint: str | None = None,
) -> User:
    """Remove one of the actor's devices; another user's device looks like a missing one."""
    if device_id is None and endpoint is None:
        checks = FieldChecks()
        checks.fail("input.id", "required", says="device_or_endpoint")
        checks.raise_if_any()
    query = delete(PushSubscription).where(PushSubscription.user_id == actor.id)
    if device_id is not None:
        query = query.where(PushSubscription.id == device_id)
    if endpoint is not None:
        query = query.where(PushSubscription.endpoint == endpoint)
    result = await session.execute(query.execution_options(synchronize_session=False))
    if getattr(result, "rowcount", 0) == 0:
        path = "input.id" if device_id is not None else "input.endpoint"
        raise NotFound("PushSubscription", path)
    return actor.user
