"""The web push sender against a push service on loopback that verifies and decrypts."""

import asyncio
import json
import logging
import socket
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from baton.notify.vapid import VapidKeys, b64url_decode, generate_vapid_keys
from baton.notify.webpush import (
    MAX_PAYLOAD_BYTES,
    InvalidSubscription,
    Outcome,
    PayloadTooLarge,
    PushClient,
    PushPoster,
    PushRequestError,
    PushResponse,
    PushResult,
    PushSubscription,
    Urgency,
    encrypt_aes128gcm,
    parse_retry_after,
    prepare_push,
    push_topic,
    send_push,
)
from tests.support.push_service import (
    BrowserSubscription,
    PushService,
    Rejected,
    Reply,
    decrypt_aes128gcm,
)

SUB = "mailto:ops@baton.example"
PAYLOAD = json.dumps(
    {"title": "交车提醒", "body": "Delivery for 王先生 at 15:00", "url": "/tasks/7", "tag": "t7"},
    ensure_ascii=False,
).encode()


def now() -> datetime:
    # The push service judges exp against the real clock, so the sender's `now` is real too.
    return datetime.now(UTC)


async def push(
    client: PushPoster,
    browser: BrowserSubscription,
    keys: VapidKeys,
    payload: bytes = PAYLOAD,
    *,
    ttl: int = 3600,
    urgency: Urgency = "normal",
    topic: str | None = None,
    at: datetime | None = None,
    time_limit: float = 5.0,
) -> PushResult:
    return await send_push(
        client,
        browser.as_push_subscription(),
        payload,
        vapid=keys,
        sub=SUB,
        ttl=ttl,
        urgency=urgency,
        topic=topic,
        now=at or now(),
        time_limit=time_limit,
    )


async def test_push_round_trip_decrypts_to_the_same_payload(
    push_service: PushService, push_client: PushClient, vapid_keys: VapidKeys
) -> None:
    browser = push_service.make_subscription(
        application_server_key=vapid_keys.application_server_key
    )

    result = await push(push_client, browser, vapid_keys)

    assert result.outcome is Outcome.DELIVERED and result.status == 201
    [received] = push_service.requests
    assert received.status == 201, received.problem
    assert received.plaintext == PAYLOAD
    assert received.json()["title"] == "交车提醒"


async def test_a_redirect_is_never_followed(
    push_service: PushService, push_client: PushClient, vapid_keys: VapidKeys
) -> None:
    # An endpoint is trusted only because its origin is on the allowlist; a redirect would
    # carry the push (and its VAPID token) wherever the answer points.
    browser = push_service.make_subscription()
    elsewhere = push_service.make_subscription()
    push_service.answer(browser, Reply(307, location=elsewhere.endpoint))

    result = await push(push_client, browser, vapid_keys)

    assert result.outcome is Outcome.BUG and result.status == 307
    assert [request.subscription_id for request in push_service.requests] == [browser.id]


async def test_proxy_variables_are_not_read(
    push_service: PushService,
    push_client: PushClient,
    vapid_keys: VapidKeys,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{closed.getsockname()[1]}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, nowhere)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)

    result = await push(push_client, push_service.make_subscription(), vapid_keys)

    assert result.outcome is Outcome.DELIVERED


async def test_vapid_aud_is_the_endpoint_origin_with_its_port(
    push_service: PushService, push_client: PushClient, vapid_keys: VapidKeys
) -> None:
    browser = push_service.make_subscription()

    await push(push_client, browser, vapid_keys)

    [received] = push_service.delivered
    assert received.claims is not None
    port = push_service.origin.rsplit(":", 1)[1]
    assert received.claims["aud"] == f"http://127.0.0.1:{port}"
    assert received.claims["sub"] == SUB
    lifetime = received.claims["exp"] - received.at.timestamp()
    assert 0 < lifetime <= 24 * 3600


async def test_ttl_urgency_topic_and_encoding_headers_reach_the_push_service(
    push_service: PushService, push_client: PushClient, vapid_keys: VapidKeys
) -> None:
    browser = push_service.make_subscription()

    await push(push_client, browser, vapid_keys, ttl=3600, urgency="high", topic="task-42")

    [received] = push_service.delivered
    assert received.headers["ttl"] == "3600"
    assert received.headers["urgency"] == "high"
    assert received.headers["topic"] == "task-42"
    assert received.headers["content-encoding"] == "aes128gcm"


async def test_a_topic_outside_the_alphabet_or_too_long_is_hashed_stably(
    push_service: PushService, push_client: PushClient, vapid_keys: VapidKeys
) -> None:
    browser = push_service.make_subscription()
    long_key = "promise-checklist:store-A:customer-0042:delivery"

    await push(push_client, browser, vapid_keys, topic=long_key)

    [received] = push_service.delivered
    assert received.headers["topic"] == push_topic(long_key)
    assert len(push_topic(long_key)) == 32
    assert push_topic("task:1") != push_topic("task:2")
    assert push_topic("task:1") == push_topic("task:1")


async def test_oversize_payload_is_refused_before_anything_is_sent(
    push_service: PushService, push_client: PushClient, vapid_keys: VapidKeys
) -> None:
    browser = push_service.make_subscription()

    with pytest.raises(PayloadTooLarge) as refused:
        await push(push_client, browser, vapid_keys, payload=b"x" * (MAX_PAYLOAD_BYTES + 1))

    assert refused.value.size == MAX_PAYLOAD_BYTES + 1
    assert push_service.requests == []


async def test_payload_at_the_limit_still_fits_the_push_service_body_limit(
    push_service: PushService, push_client: PushClient, vapid_keys: VapidKeys
) -> None:
    browser = push_service.make_subscription()
    payload = json.dumps({"body": "x" * (MAX_PAYLOAD_BYTES - 12)}).encode()
    assert len(payload) == MAX_PAYLOAD_BYTES

    result = await push(push_client, browser, vapid_keys, payload=payload)

    assert result.outcome is Outcome.DELIVERED
    assert push_service.delivered[0].plaintext == payload


@pytest.mark.parametrize("status", [404, 410])
async def test_unsubscribed_device_is_reported_gone(
    status: int,
    push_service: PushService,
    push_client: PushClient,
    vapid_keys: VapidKeys,
) -> None:
    browser = push_service.make_subscription()
    push_service.answer(browser, Reply(status))

    result = await push(push_client, browser, vapid_keys)

    assert result.outcome is Outcome.GONE and result.status == status
    assert push_service.delivered == []


async def test_throttled_push_is_retried_after_the_delay_the_service_asked(
    push_service: PushService, push_client: PushClient, vapid_keys: VapidKeys
) -> None:
    browser = push_service.make_subscription()
    push_service.answer(browser, Reply(429, retry_after="120"), times=1)

    throttled = await push(push_client, browser, vapid_keys)
    again = await push(push_client, browser, vapid_keys)

    assert throttled.outcome is Outcome.RETRY and throttled.status == 429
    assert throttled.retry_after == timedelta(seconds=120)
    assert again.outcome is Outcome.DELIVERED


async def test_retry_after_as_an_http_date_becomes_a_delay_from_now(
    push_service: PushService, push_client: PushClient, vapid_keys: VapidKeys
) -> None:
    browser = push_service.make_subscription()
    moment = now().replace(microsecond=0)
    later = format_datetime(moment + timedelta(minutes=5), usegmt=True)
    push_service.answer(browser, Reply(503, retry_after=later))

    result = await push(push_client, browser, vapid_keys, at=moment)

    assert result.outcome is Outcome.RETRY and result.status == 503
    assert result.retry_after == timedelta(minutes=5)


def test_retry_after_in_the_past_or_unreadable_gives_no_negative_delay() -> None:
    moment = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("Sun, 01 Mar 2026 11:00:00 GMT", now=moment) == timedelta(0)
    assert parse_retry_after("soon", now=moment) is None
    assert parse_retry_after(None, now=moment) is None


async def test_server_error_is_retried_without_a_delay_when_none_is_given(
    push_service: PushService, push_client: PushClient, vapid_keys: VapidKeys
) -> None:
    browser = push_service.make_subscription()
    push_service.answer(browser, Reply(500))

    result = await push(push_client, browser, vapid_keys)

    assert result.outcome is Outcome.RETRY and result.status == 500
    assert result.retry_after is None


@pytest.mark.parametrize("status", [400, 413])
async def test_a_refused_request_is_a_logged_bug_not_a_retry(
    status: int,
    push_service: PushService,
    push_client: PushClient,
    vapid_keys: VapidKeys,
    caplog: pytest.LogCaptureFixture,
) -> None:
    browser = push_service.make_subscription()
    push_service.answer(browser, Reply(status))

    with caplog.at_level(logging.ERROR, logger="baton.notify.webpush"):
        result = await push(push_client, browser, vapid_keys)

    assert result.outcome is Outcome.BUG and result.status == status
    [record] = caplog.records
    assert str(status) in record.getMessage()
    assert browser.id not in record.getMessage()  # the endpoint path is a secret


async def test_a_hanging_push_service_times_out_without_stalling_another_send(
    push_service: PushService, push_client: PushClient, vapid_keys: VapidKeys
) -> None:
    stuck = push_service.make_subscription()
    healthy = push_service.make_subscription()
    push_service.hang(stuck)

    started = time.monotonic()
    hanging = asyncio.create_task(push(push_client, stuck, vapid_keys, time_limit=1.0))
    await asyncio.sleep(0.05)  # let the stuck request reach the service first
    prompt = asyncio.create_task(push(push_client, healthy, vapid_keys))
    done, _ = await asyncio.wait({hanging, prompt}, return_when=asyncio.FIRST_COMPLETED)

    assert done == {prompt}
    assert prompt.result().outcome is Outcome.DELIVERED
    timed_out = await hanging
    assert timed_out.outcome is Outcome.RETRY and timed_out.status is None
    # Cut off at its own limit, not the shared client's longer default.
    assert time.monotonic() - started < 5
    assert [request.status for request in push_service.requests] == [None, 201]


async def test_a_push_service_trickling_bytes_is_cut_off_at_the_time_limit(
    push_service: PushService, push_client: PushClient, vapid_keys: VapidKeys
) -> None:
    # Bytes keep arriving, so only the overall deadline ends this exchange.
    browser = push_service.make_subscription()
    push_service.trickle(browser)
    started = time.monotonic()

    result = await asyncio.wait_for(push(push_client, browser, vapid_keys, time_limit=0.5), 5)

    assert result.outcome is Outcome.RETRY and result.status is None
    assert time.monotonic() - started < 2.5


async def test_an_unreachable_push_service_is_a_network_error_to_retry(
    push_client: PushClient, vapid_keys: VapidKeys
) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    browser = BrowserSubscription(
        id="x",
        endpoint=f"http://127.0.0.1:{port}/push/x",
        private_key=generate_vapid_keys().private_key,
        auth_secret=b"\x01" * 16,
    )

    result = await push(push_client, browser, vapid_keys)

    assert result.outcome is Outcome.RETRY and result.status is None
    assert result.detail.startswith("network error: ClientConnector")


async def test_subscription_keys_of_the_wrong_length_are_refused_before_sending(
    push_service: PushService, push_client: PushClient, vapid_keys: VapidKeys
) -> None:
    browser = push_service.make_subscription()
    short_auth = PushSubscription(browser.endpoint, browser.p256dh, browser.auth[:-4])
    bad_point = PushSubscription(browser.endpoint, "BA" + browser.p256dh[2:-8], browser.auth)

    for subscription in (short_auth, bad_point):
        with pytest.raises(InvalidSubscription):
            await send_push(
                push_client, subscription, PAYLOAD, vapid=vapid_keys, sub=SUB, ttl=60, now=now()
            )
    assert push_service.requests == []


# --- the fake push service really checks: otherwise the tests above prove nothing ----------


async def test_a_token_signed_by_another_key_is_rejected(
    push_service: PushService, push_client: PushClient, vapid_keys: VapidKeys
) -> None:
    browser = push_service.make_subscription()
    impostor = generate_vapid_keys()

    class ClaimingToBeTheImpostor:
        """Sends through the real client with the token's key swapped for the impostor's."""

        async def post(
            self,
            url: str,
            *,
            content: bytes,
            headers: dict[str, str],
            timeout: float,  # noqa: ASYNC109
        ) -> PushResponse:
            token, _ = headers["Authorization"].split(", k=")
            swapped = {**headers, "Authorization": f"{token}, k={impostor.application_server_key}"}
            return await push_client.post(url, content=content, headers=swapped, timeout=timeout)

    result = await push(ClaimingToBeTheImpostor(), browser, vapid_keys)

    assert result.outcome is Outcome.BUG and result.status == 401
    [request] = push_service.requests
    assert request.problem == "signature does not verify against k"
    assert push_service.delivered == []


@pytest.mark.parametrize(
    ("header", "value", "problem"),
    [
        ("TTL", None, "TTL header missing"),
        ("TTL", "-5", "TTL header missing"),
        ("Urgency", "urgent", "Urgency 'urgent'"),
        ("Topic", "t" * 33, "is not 1-32 base64url characters"),
        ("Topic", "task:1", "is not 1-32 base64url characters"),
        ("Content-Encoding", "aesgcm", "Content-Encoding 'aesgcm'"),
    ],
)
async def test_protocol_headers_out_of_spec_are_refused(
    header: str,
    value: str | None,
    problem: str,
    push_service: PushService,
    push_client: PushClient,
    vapid_keys: VapidKeys,
) -> None:
    browser = push_service.make_subscription()
    prepared = prepare_push(
        browser.as_push_subscription(), PAYLOAD, vapid=vapid_keys, sub=SUB, ttl=60, now=now()
    )
    headers = {name: text for name, text in prepared.headers.items() if name != header}
    if value is not None:
        headers[header] = value

    response = await push_client.post(prepared.endpoint, content=prepared.body, headers=headers)

    assert response.status_code == 400
    assert problem in (push_service.requests[0].problem or "")


async def test_an_expired_token_is_rejected(
    push_service: PushService, push_client: PushClient, vapid_keys: VapidKeys
) -> None:
    browser = push_service.make_subscription()

    result = await push(push_client, browser, vapid_keys, at=now() - timedelta(hours=13))

    assert result.outcome is Outcome.BUG and result.status == 401
    assert push_service.requests[0].problem == "token expired"


async def test_a_key_other_than_the_one_subscribed_with_is_forbidden(
    push_service: PushService, push_client: PushClient, vapid_keys: VapidKeys
) -> None:
    browser = push_service.make_subscription(
        application_server_key=generate_vapid_keys().application_server_key
    )

    result = await push(push_client, browser, vapid_keys)

    assert result.outcome is Outcome.BUG and result.status == 403


async def test_a_body_for_another_device_fails_to_decrypt(
    push_service: PushService, push_client: PushClient, vapid_keys: VapidKeys
) -> None:
    browser = push_service.make_subscription()
    other = push_service.make_subscription()
    misdirected = PushSubscription(browser.endpoint, other.p256dh, other.auth)

    await send_push(push_client, misdirected, PAYLOAD, vapid=vapid_keys, sub=SUB, ttl=60, now=now())

    [request] = push_service.requests
    assert request.status == 400
    assert request.problem == "decryption failed: wrong keys or tampered body"


# RFC 8291 appendix A: the one published example of a push message, every input fixed.
RFC_8291_PLAINTEXT = b"When I grow up, I want to be a watermelon"
RFC_8291_SENDER_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"
RFC_8291_RECEIVER_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
RFC_8291_AUTH = "BTBZMqHH6r4Tts7J_aSIgg"
RFC_8291_SALT = "DGv6ra1nlYgDCS1FRnbzlw"
RFC_8291_BODY = (
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmY"
    "WAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexS"
    "gSxsj_Qulcy4a-fN"
)


def p256_key(private: str) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(int.from_bytes(b64url_decode(private), "big"), ec.SECP256R1())


def point(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)


def test_the_decryptor_reads_the_rfc_8291_example() -> None:
    # Proves the fake browser decrypts per the RFC, not per the sender.
    receiver = p256_key(RFC_8291_RECEIVER_PRIVATE)
    body = b64url_decode(RFC_8291_BODY)
    auth = b64url_decode(RFC_8291_AUTH)

    assert decrypt_aes128gcm(body, receiver, auth) == RFC_8291_PLAINTEXT
    with pytest.raises(Rejected):
        decrypt_aes128gcm(body[:-1] + bytes([body[-1] ^ 1]), receiver, auth)


def test_the_sender_encrypts_the_rfc_8291_example_byte_for_byte() -> None:
    # With the example's ephemeral key and salt, any deviation from RFC 8291 (key order in
    # the info, which secret salts which HKDF, rs, delimiter, padding, keyid) shows here.
    body = encrypt_aes128gcm(
        RFC_8291_PLAINTEXT,
        user_agent_key=point(p256_key(RFC_8291_RECEIVER_PRIVATE)),
        auth_secret=b64url_decode(RFC_8291_AUTH),
        sender_key=p256_key(RFC_8291_SENDER_PRIVATE),
        salt=b64url_decode(RFC_8291_SALT),
    )

    assert body == b64url_decode(RFC_8291_BODY)


async def test_every_push_body_is_one_aes128gcm_record_under_a_fresh_key_and_salt(
    push_service: PushService, vapid_keys: VapidKeys
) -> None:
    browser = push_service.make_subscription()
    bodies = [
        prepare_push(
            browser.as_push_subscription(), PAYLOAD, vapid=vapid_keys, sub=SUB, ttl=60, now=now()
        ).body
        for _ in range(2)
    ]

    for body in bodies:
        # RFC 8188 section 2: salt(16) | rs(4) | idlen(1) | keyid(idlen) | records.
        assert int.from_bytes(body[16:20], "big") == 4096
        assert body[20] == 65
        # The keyid is the sender's ephemeral public key: a P-256 point (this raises if it is
        # not), neither the VAPID key nor the browser's own.
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), body[21:86])
        assert body[21:86] not in (
            b64url_decode(vapid_keys.application_server_key),
            point(browser.private_key),
        )
        # One record: payload, the 0x02 delimiter, no padding, the 16-byte tag.
        assert len(body) == 86 + len(PAYLOAD) + 1 + 16
        assert decrypt_aes128gcm(body, browser.private_key, browser.auth_secret) == PAYLOAD
    first, second = bodies
    assert first[:16] != second[:16]  # salt
    assert first[21:86] != second[21:86]  # sender key


async def test_an_empty_payload_is_refused_before_sending(
    push_service: PushService, push_client: PushClient, vapid_keys: VapidKeys
) -> None:
    # An empty message would encode to a header without a record, which no browser reads.
    browser = push_service.make_subscription()

    with pytest.raises(PushRequestError, match="empty"):
        await push(push_client, browser, vapid_keys, payload=b"")

    assert push_service.requests == []
