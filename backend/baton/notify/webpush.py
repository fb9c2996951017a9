"""Web push sender: encrypt one payload for one device and hand it to its push service.

Encryption is RFC 8291 aes128gcm through `http_ece.encrypt`, the content coding's public API,
with a fresh ephemeral P-256 key and salt per message. Everything else the protocol needs is
here: the VAPID token (see `vapid.py`), TTL per message, Urgency and Topic (RFC 8030 section 5),
a payload limit checked before encrypting, and reading the push service's answer into what the
dispatcher does next.
"""

import asyncio
import hashlib
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Literal, Protocol, get_args

import aiohttp
import http_ece  # type: ignore[import-untyped]
from cryptography.hazmat.primitives.asymmetric import ec

from baton.notify.vapid import (
    DEFAULT_JWT_LIFETIME,
    VapidKeys,
    audience,
    b64url,
    b64url_decode,
    vapid_authorization,
)

log = logging.getLogger(__name__)


# Push services must accept 4096 bytes of body (RFC 8030 section 7.2); aes128gcm adds an
# 86-byte header, a delimiter byte and a 16-byte tag, so 3800 leaves room to spare.
MAX_PAYLOAD_BYTES = 3800
# The rs field of the aes128gcm header (RFC 8188 section 2): 4096, as RFC 8291's example and
# this sender always wrote. Any payload under MAX_PAYLOAD_BYTES fits one record, which RFC 8291
# section 4 requires of a push message.
RECORD_SIZE = 4096
# Long enough for a slow push service, short enough that one hung connection gives its
# alert back to the retry queue instead of holding a dispatcher slot.
DEFAULT_TIMEOUT = 10.0

Urgency = Literal["very-low", "low", "normal", "high"]
_URGENCIES: frozenset[str] = frozenset(get_args(Urgency))
_TOPIC = re.compile(r"[A-Za-z0-9_-]{1,32}")


class PushRequestError(ValueError):
    """A push that must not be sent as asked; retrying cannot help."""


class PayloadTooLarge(PushRequestError):
    def __init__(self, size: int, limit: int = MAX_PAYLOAD_BYTES) -> None:
        super().__init__(f"push payload is {size} bytes, the limit is {limit}")
        self.size = size
        self.limit = limit


class InvalidSubscription(PushRequestError):
    """The stored keys cannot be encrypted to; the subscription will never work."""


@dataclass(frozen=True, slots=True)
class PushSubscription:
    """What the browser's PushSubscription.toJSON() gave us for one device."""

    endpoint: str
    p256dh: str
    auth: str


class Outcome(StrEnum):
    DELIVERED = "delivered"
    GONE = "gone"  # the device unsubscribed: delete the subscription
    RETRY = "retry"  # throttled, push service down, timeout or network error
    BUG = "bug"  # our request was wrong: retrying the same bytes would fail again


@dataclass(frozen=True, slots=True)
class PushResult:
    outcome: Outcome
    status: int | None  # None when no answer came (timeout, network error)
    retry_after: timedelta | None = None  # what the push service asked for, if anything
    detail: str = ""  # a short reason for logs and the inbox's "undelivered" note


@dataclass(frozen=True, slots=True)
class PreparedPush:
    endpoint: str
    headers: dict[str, str]
    body: bytes


def push_topic(key: str) -> str:
    """A Topic header value for `key`: kept when already valid, else a stable hash of it.

    RFC 8030 section 5.4 allows at most 32 base64url characters; hashing keeps distinct
    keys distinct so a newer alert still replaces only the older one about the same thing.
    """
    if _TOPIC.fullmatch(key):
        return key
    return b64url(hashlib.sha256(key.encode()).digest())[:32]


def prepare_push(
    subscription: PushSubscription,
    payload: bytes,
    *,
    vapid: VapidKeys,
    sub: str,
    ttl: int,
    urgency: Urgency = "normal",
    topic: str | None = None,
    now: datetime,
    jwt_lifetime: timedelta = DEFAULT_JWT_LIFETIME,
    authorization: str | None = None,
) -> PreparedPush:
    """Encrypt and sign one push; raises PushRequestError for what no retry would fix.

    `authorization`: a VAPID header already signed for this endpoint's origin (a sender
    reuses one per push service for a while instead of signing every push)."""
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise PayloadTooLarge(len(payload))
    if ttl < 0:
        raise PushRequestError(f"TTL must not be negative, got {ttl}")
    if urgency not in _URGENCIES:
        raise PushRequestError(f"unknown urgency {urgency!r}")
    try:
        authorization = authorization or vapid_authorization(
            vapid, endpoint=subscription.endpoint, sub=sub, now=now, lifetime=jwt_lifetime
        )
    except ValueError as error:
        raise PushRequestError(str(error)) from error
    headers = {
        "Authorization": authorization,
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "TTL": str(ttl),
        "Urgency": urgency,
    }
    if topic is not None:
        headers["Topic"] = push_topic(topic)
    body = _encrypt(subscription, payload)
    return PreparedPush(endpoint=subscription.endpoint, headers=headers, body=body)


@dataclass(frozen=True)
class PushResponse:
    """A push service's answer, read whole: what deciding the outcome needs."""

    status_code: int
    # Case-insensitive, as HTTP header names are.
    headers: Mapping[str, str]
    text: str
    url: str


async def send_push(
    client: "PushPoster",
    subscription: PushSubscription,
    payload: bytes,
    *,
    vapid: VapidKeys,
    sub: str,
    ttl: int,
    urgency: Urgency = "normal",
    topic: str | None = None,
    now: datetime,
    time_limit: float = DEFAULT_TIMEOUT,
    authorization: str | None = None,
) -> PushResult:
    """Send one push and say what happened; raises PushRequestError before sending."""
    prepared = prepare_push(
        subscription,
        payload,
        vapid=vapid,
        sub=sub,
        ttl=ttl,
        urgency=urgency,
        topic=topic,
        now=now,
        authorization=authorization,
    )
    return await post_push(client, prepared, now=now, time_limit=time_limit)


async def post_push(
    client: "PushPoster",
    prepared: PreparedPush,
    *,
    now: datetime,
    time_limit: float = DEFAULT_TIMEOUT,
) -> PushResult:
    try:
        # The outer deadline bounds the whole exchange whatever the client does inside it
        # (a service that trickles bytes never outlives `time_limit`).
        async with asyncio.timeout(time_limit):
            response = await client.post(
                prepared.endpoint,
                content=prepared.body,
                headers=prepared.headers,
                timeout=time_limit,
            )
    except TimeoutError:
        return PushResult(Outcome.RETRY, None, detail=f"no answer within {time_limit:g}s")
    except aiohttp.ClientError as error:
        return PushResult(Outcome.RETRY, None, detail=f"network error: {type(error).__name__}")
    return classify_response(response, now=now)


def classify_response(response: PushResponse, *, now: datetime) -> PushResult:
    status = response.status_code
    if 200 <= status < 300:
        return PushResult(Outcome.DELIVERED, status)
    if status in (404, 410):
        return PushResult(Outcome.GONE, status, detail=_excerpt(response))
    if status == 429 or 500 <= status < 600:
        retry_after = parse_retry_after(response.headers.get("Retry-After"), now=now)
        return PushResult(Outcome.RETRY, status, retry_after, _excerpt(response))
    # 400 (bad headers or token), 401/403 (VAPID rejected), 413 (too big): a defect on
    # our side that would repeat on every retry, so it is logged loudly, not retried.
    log.error(
        "push service refused a push as malformed: %s %s %s",
        status,
        # The endpoint path is a bearer capability for a device; only its origin is logged.
        audience(response.url),
        _excerpt(response),
    )
    return PushResult(Outcome.BUG, status, detail=_excerpt(response))


def parse_retry_after(value: str | None, *, now: datetime) -> timedelta | None:
    """Retry-After as delta-seconds or an HTTP-date (RFC 9110 section 10.2.3)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return max(moment - now, timedelta(0))


class PushPoster(Protocol):
    """What sending needs of an HTTP client: PushClient, or a test's wrapper around one."""

    async def post(
        self,
        url: str,
        *,
        content: bytes,
        headers: dict[str, str],
        timeout: float,  # noqa: ASYNC109
    ) -> PushResponse: ...


class PushClient:
    """The one HTTP client a dispatcher shares across sends: aiohttp's pool of kept-alive
    connections and only what a push needs. httpx's transport cost ten times the CPU per post
    (measured on loopback: 1.68 ms against 0.17 ms; bench/README.md), most of a push.
    Redirects are never followed: an endpoint is accepted only from an allowlist of push
    services, and a redirect would step outside it. No log line per request: an endpoint's path
    is a bearer capability for a device, and what is logged (a refusal) names only its origin.
    Proxy variables (HTTPS_PROXY) are not read."""

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT, max_connections: int = 100) -> None:
        self.timeout = timeout
        self.max_connections = max_connections
        # Made on first use: aiohttp binds a session to the running event loop.
        self._session: aiohttp.ClientSession | None = None

    async def post(
        self,
        url: str,
        *,
        content: bytes,
        headers: dict[str, str],
        timeout: float | None = None,  # noqa: ASYNC109 (as PushPoster's)
    ) -> PushResponse:
        """The whole answer, read; raises TimeoutError or aiohttp.ClientError."""
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.max_connections),
                trust_env=False,
            )
        async with self._session.post(
            url,
            data=content,
            headers=headers,
            allow_redirects=False,
            timeout=aiohttp.ClientTimeout(total=timeout or self.timeout),
        ) as response:
            text = await response.text(errors="replace")
            return PushResponse(response.status, response.headers, text, url)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def __aenter__(self) -> "PushClient":
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()


def new_push_client(*, timeout: float = DEFAULT_TIMEOUT, max_connections: int = 100) -> PushClient:
    """The dispatcher bounds sends per push service; `max_connections` is only the ceiling
    over all of them."""
    return PushClient(timeout=timeout, max_connections=max_connections)


def encrypt_aes128gcm(
    payload: bytes,
    *,
    user_agent_key: bytes,
    auth_secret: bytes,
    sender_key: ec.EllipticCurvePrivateKey,
    salt: bytes,
) -> bytes:
    """One RFC 8291 push message body: header (salt, rs, the sender's public key) and one record.

    `sender_key` and `salt` must be fresh for every message (`prepare_push` makes them); they
    are parameters so a test can replay RFC 8291's example byte for byte.
    """
    if not payload:
        # http_ece writes no record at all for empty content: a bare header, which a push
        # service accepts and the browser can never decrypt.
        raise PushRequestError("push payload is empty")
    try:
        body: bytes = http_ece.encrypt(
            payload,
            salt=salt,
            private_key=sender_key,
            dh=user_agent_key,
            auth_secret=auth_secret,
            version="aes128gcm",
            rs=RECORD_SIZE,
        )
    except ValueError as error:  # user_agent_key is not a point on P-256
        raise InvalidSubscription(f"cannot encrypt to this subscription: {error}") from error
    return body


def _encrypt(subscription: PushSubscription, payload: bytes) -> bytes:
    try:
        user_agent_key = b64url_decode(subscription.p256dh)
        auth_secret = b64url_decode(subscription.auth)
    except ValueError as error:
        raise InvalidSubscription("subscription keys are not base64url") from error
    # http_ece checks neither length (it takes a compressed point too); a wrong one would
    # encrypt to something no browser can read, and the push service would still answer 201.
    if len(user_agent_key) != 65 or user_agent_key[0] != 4:
        raise InvalidSubscription("p256dh is not an uncompressed P-256 point")
    if len(auth_secret) != 16:
        raise InvalidSubscription("auth secret is not 16 bytes")
    return encrypt_aes128gcm(
        payload,
        user_agent_key=user_agent_key,
        auth_secret=auth_secret,
        sender_key=ec.generate_private_key(ec.SECP256R1()),
        salt=os.urandom(16),
    )


def _excerpt(response: PushResponse) -> str:
    return response.text[:200].strip()
