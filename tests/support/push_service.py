"""A browser push service on loopback, for tests: it checks what a real one checks.

It plays both ends Baton never controls: the push service (an HTTP server on 127.0.0.1 that
verifies the VAPID token and the RFC 8030 headers) and the browser (it holds each
subscription's private key and decrypts the body). The crypto here is written from the RFCs
with `cryptography` alone, not shared with the sender, so a round trip is real evidence.

    async with run_push_service() as service:
        browser = service.make_subscription()
        ...send to browser.as_push_subscription()...
        assert service.delivered[0].json() == payload
"""

import asyncio
import json
import re
import secrets
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from baton.notify.vapid import b64url, b64url_decode
from baton.notify.webpush import PushSubscription

# RFC 8030 section 7.2: a push service must take 4096 bytes of body and may refuse more.
MAX_BODY = 4096
_TOPIC = re.compile(r"[A-Za-z0-9_-]{1,32}")
_URGENCIES = {"very-low", "low", "normal", "high"}
_REASONS = {201: "Created", 307: "Temporary Redirect", 400: "Bad Request", 401: "Unauthorized",
            403: "Forbidden", 404: "Not Found", 410: "Gone", 413: "Payload Too Large",
            429: "Too Many Requests", 500: "Internal Server Error"}  # fmt: skip


class Rejected(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _utc_now() -> datetime:
    return datetime.now(UTC)


# --- the browser's side -------------------------------------------------------------------


@dataclass(frozen=True)
class BrowserSubscription:
    """A subscription as a browser holds it: the endpoint plus the keys only it knows."""

    id: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes
    # The applicationServerKey passed to pushManager.subscribe(); None accepts any key.
    application_server_key: str | None = None

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            Encoding.X962, PublicFormat.UncompressedPoint
        )
        return b64url(point)

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def to_json(self) -> dict[str, Any]:
        """The shape of PushSubscription.toJSON(), as the PWA posts it to the API."""
        keys = {"p256dh": self.p256dh, "auth": self.auth}
        return {"endpoint": self.endpoint, "expirationTime": None, "keys": keys}

    def as_push_subscription(self) -> PushSubscription:
        return PushSubscription(endpoint=self.endpoint, p256dh=self.p256dh, auth=self.auth)


def decrypt_aes128gcm(body: bytes, private_key: ec.EllipticCurvePrivateKey, auth: bytes) -> bytes:
    """RFC 8291 section 3 and RFC 8188, as the browser runs them: body in, plaintext out."""
    if len(body) < 21:
        raise Rejected(400, "body shorter than the aes128gcm header")
    salt, record_size, key_length = body[:16], int.from_bytes(body[16:20], "big"), body[20]
    if key_length != 65:
        raise Rejected(400, f"keyid is {key_length} bytes, not a P-256 point")
    sender_point, ciphertext = body[21:86], body[86:]
    # RFC 8291 section 4: one record per push message.
    if record_size < 18 or len(ciphertext) > record_size or len(ciphertext) < 17:
        raise Rejected(400, f"not a single aes128gcm record (rs={record_size})")
    try:
        sender_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender_point)
    except ValueError as error:
        raise Rejected(400, "keyid is not a point on P-256") from error
    receiver_point = private_key.public_key().public_bytes(
        Encoding.X962, PublicFormat.UncompressedPoint
    )
    shared = private_key.exchange(ec.ECDH(), sender_key)
    key_info = b"WebPush: info\x00" + receiver_point + sender_point
    ikm = _hkdf(salt=auth, ikm=shared, info=key_info, length=32)
    cek = _hkdf(salt=salt, ikm=ikm, info=b"Content-Encoding: aes128gcm\x00", length=16)
    nonce = _hkdf(salt=salt, ikm=ikm, info=b"Content-Encoding: nonce\x00", length=12)
    try:
        padded = AESGCM(cek).decrypt(nonce, ciphertext, None)
    except InvalidTag as error:
        raise Rejected(400, "decryption failed: wrong keys or tampered body") from error
    unpadded = padded.rstrip(b"\x00")
    if not unpadded.endswith(b"\x02"):
        raise Rejected(400, "last record lacks the 0x02 padding delimiter")
    return unpadded[:-1]


def _hkdf(*, salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


# --- the push service's side --------------------------------------------------------------


def verify_vapid(
    authorization: str | None, *, origin: str, now: datetime, expected_key: str | None
) -> dict[str, Any]:
    """Check `vapid t=<jwt>, k=<key>` as RFC 8292 asks; return the JWT claims."""
    scheme, _, rest = (authorization or "").partition(" ")
    if scheme.lower() != "vapid":
        raise Rejected(401, "Authorization is not a vapid token")
    params: dict[str, str] = {}
    for part in rest.split(","):
        name, _, value = part.strip().partition("=")
        params[name] = value
    token, key = params.get("t", ""), params.get("k", "")
    try:
        point = b64url_decode(key)
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
        header_part, claims_part, signature_part = token.split(".")
        header = json.loads(b64url_decode(header_part))
        claims = json.loads(b64url_decode(claims_part))
        signature = b64url_decode(signature_part)
    except ValueError as error:
        raise Rejected(401, f"malformed vapid credentials: {error}") from error
    if header.get("alg") != "ES256" or len(signature) != 64:
        raise Rejected(401, "token is not ES256 with a 64-byte signature")
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        signing_input = f"{header_part}.{claims_part}".encode()
        public_key.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as error:
        raise Rejected(401, "signature does not verify against k") from error
    if claims.get("aud") != origin:
        raise Rejected(401, f"aud {claims.get('aud')!r} is not this service's {origin!r}")
    expiry = claims.get("exp")
    if not isinstance(expiry, int):
        raise Rejected(401, "exp missing or not an integer")
    if expiry <= now.timestamp():
        raise Rejected(401, "token expired")
    if expiry > (now + timedelta(hours=24)).timestamp():
        raise Rejected(401, "exp more than 24 h ahead")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.startswith(("mailto:", "https://")):
        raise Rejected(401, f"sub {sub!r} is not a mailto: or https: contact")
    # Real services answer 403 when the key differs from the subscription's; FCM does.
    if expected_key is not None and key != expected_key:
        raise Rejected(403, "k is not the applicationServerKey this subscription was made with")
    return dict(claims)


def check_push_headers(headers: dict[str, str]) -> None:
    ttl = headers.get("ttl")
    if ttl is None or not ttl.isdigit():
        raise Rejected(400, f"TTL header missing or not a non-negative integer: {ttl!r}")
    if headers.get("content-encoding") != "aes128gcm":
        raise Rejected(400, f"Content-Encoding {headers.get('content-encoding')!r}")
    urgency = headers.get("urgency")
    if urgency is not None and urgency not in _URGENCIES:
        raise Rejected(400, f"Urgency {urgency!r}")
    topic = headers.get("topic")
    if topic is not None and not _TOPIC.fullmatch(topic):
        raise Rejected(400, f"Topic {topic!r} is not 1-32 base64url characters")


@dataclass(frozen=True)
class Reply:
    """What to answer an endpoint instead of 201.

    `hang` never answers; `trickle` answers one byte at a time, forever, which keeps a
    per-read timeout from ever firing (a slowloris push service); `location` sends the client
    elsewhere (with a 3xx status).
    """

    status: int = 201
    retry_after: str | None = None
    location: str | None = None
    hang: bool = False
    trickle: bool = False


@dataclass(frozen=True)
class ReceivedPush:
    subscription_id: str
    endpoint: str
    headers: dict[str, str]  # names lower-cased
    status: int | None  # None: the request was left hanging
    problem: str | None  # why it was refused, when it was
    claims: dict[str, Any] | None
    plaintext: bytes | None
    at: datetime
    scripted: Reply | None = None  # the scripted answer given instead of the checks' own
    arrived: float = field(default_factory=time.monotonic)  # wall clock, for latency checks

    def json(self) -> Any:
        assert self.plaintext is not None, f"nothing decrypted: {self.problem}"
        return json.loads(self.plaintext)


@dataclass
class PushService:
    origin: str
    clock: Callable[[], datetime] = _utc_now
    requests: list[ReceivedPush] = field(default_factory=list)
    _subscriptions: dict[str, BrowserSubscription] = field(default_factory=dict)
    _replies: dict[str, list[tuple[Reply, int | None]]] = field(default_factory=dict)
    _every: Reply | None = None  # answered to every endpoint without a reply of its own
    _release: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def delivered(self) -> list[ReceivedPush]:
        return [request for request in self.requests if request.status == 201]

    def delivered_to(self, subscription: BrowserSubscription) -> list[ReceivedPush]:
        return [push for push in self.delivered if push.subscription_id == subscription.id]

    def make_subscription(
        self, *, application_server_key: str | None = None
    ) -> BrowserSubscription:
        subscription_id = secrets.token_urlsafe(16)
        subscription = BrowserSubscription(
            id=subscription_id,
            endpoint=f"{self.origin}/push/{subscription_id}",
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth_secret=secrets.token_bytes(16),
            application_server_key=application_server_key,
        )
        self._subscriptions[subscription_id] = subscription
        return subscription

    def answer(
        self, subscription: BrowserSubscription, reply: Reply, *, times: int | None = None
    ) -> None:
        """Answer this endpoint with `reply`, the next `times` requests or from now on."""
        self._replies.setdefault(subscription.id, []).append((reply, times))

    def answer_all(self, reply: Reply | None) -> None:
        """Fault the whole service: every endpoint gets `reply` (None: back to normal)."""
        self._every = reply

    def hang(self, subscription: BrowserSubscription) -> None:
        self.answer(subscription, Reply(hang=True))

    def trickle(self, subscription: BrowserSubscription) -> None:
        self.answer(subscription, Reply(trickle=True))

    def _next_reply(self, subscription_id: str) -> Reply | None:
        queue = self._replies.get(subscription_id)
        if not queue:
            return self._every
        reply, times = queue[0]
        if times is not None:
            if times <= 1:
                queue.pop(0)
            else:
                queue[0] = (reply, times - 1)
        return reply

    def receive(self, method: str, path: str, headers: dict[str, str], body: bytes) -> ReceivedPush:
        """Judge one request; the answer is the returned record's status."""
        subscription_id = path.removeprefix("/push/")
        subscription = self._subscriptions.get(subscription_id)
        now = self.clock()
        claims: dict[str, Any] | None = None
        plaintext: bytes | None = None
        reply: Reply | None = None
        try:
            if method != "POST" or subscription is None or not path.startswith("/push/"):
                raise Rejected(404, "no such subscription")
            claims = verify_vapid(
                headers.get("authorization"),
                origin=self.origin,
                now=now,
                expected_key=subscription.application_server_key,
            )
            check_push_headers(headers)
            if len(body) > MAX_BODY:
                raise Rejected(413, f"body is {len(body)} bytes, over {MAX_BODY}")
            plaintext = decrypt_aes128gcm(body, subscription.private_key, subscription.auth_secret)
            reply = self._next_reply(subscription_id)
            status: int | None = 201
            if reply is not None:
                status = None if reply.hang or reply.trickle else reply.status
            problem = None if status == 201 else f"told to answer {reply}"
        except Rejected as rejection:
            status, problem = rejection.status, rejection.reason
        received = ReceivedPush(
            subscription_id=subscription_id,
            endpoint=f"{self.origin}{path}",
            headers=headers,
            status=status,
            problem=problem,
            claims=claims,
            plaintext=plaintext,
            at=now,
            scripted=reply,
        )
        self.requests.append(received)
        return received

    async def serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """HTTP/1.1 with keep-alive and Content-Length bodies: what httpx sends."""
        try:
            while request_line := await reader.readline():
                method, path, _version = request_line.decode("latin-1").split(" ", 2)
                headers: dict[str, str] = {}
                while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                received = self.receive(method, path, headers, body)
                if received.status is None:
                    await self._stall(
                        writer, trickle=bool(received.scripted and received.scripted.trickle)
                    )
                    return
                writer.write(self._response(received))
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()

    async def _stall(self, writer: asyncio.StreamWriter, *, trickle: bool) -> None:
        if not trickle:
            await self._release.wait()
            return
        writer.write(b"HTTP/1.1 201 Created\r\n")
        while not self._release.is_set():
            writer.write(b"X")
            await writer.drain()
            await asyncio.sleep(0.05)

    def _response(self, received: ReceivedPush) -> bytes:
        status = received.status or 500
        text = (received.problem or "").encode()
        lines = [
            f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}",
            f"Content-Length: {len(text)}",
            "Content-Type: text/plain",
        ]
        if status == 201:
            lines.append(f"Location: {self.origin}/message/{len(self.requests)}")
        if received.scripted and received.scripted.location is not None:
            lines.append(f"Location: {received.scripted.location}")
        if received.scripted and received.scripted.retry_after is not None:
            lines.append(f"Retry-After: {received.scripted.retry_after}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + text


@asynccontextmanager
async def run_push_service(
    *, clock: Callable[[], datetime] = _utc_now
) -> AsyncIterator[PushService]:
    """Serve a push service on 127.0.0.1 at a free port for the duration of the block."""
    service = PushService(origin="", clock=clock)
    connections: dict[asyncio.Task[None], asyncio.StreamWriter] = {}

    async def on_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        connections[task] = writer
        try:
            await service.serve_connection(reader, writer)
        except asyncio.CancelledError:
            # asyncio's stream callback calls exception() on this task and would log a
            # cancelled one as an error; this task is ours to end, so end it quietly.
            pass
        finally:
            connections.pop(task, None)

    server = await asyncio.start_server(on_connection, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    service.origin = f"http://127.0.0.1:{port}"
    try:
        yield service
    finally:
        server.close()
        service._release.set()
        for writer in connections.values():
            writer.close()
        pending = list(connections)
        if pending:
            _done, stuck = await asyncio.wait(pending, timeout=1.0)
            for task in stuck:
                task.cancel()
            await asyncio.gather(*stuck, return_exceptions=True)
        await server.wait_closed()
