"""VAPID keys: generated, saved outside the repo, loaded back, and used to sign tokens."""

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from baton.notify.vapid import (
    VapidKeyError,
    audience,
    b64url_decode,
    generate_vapid_keys,
    load_vapid_keys,
    save_vapid_keys,
    vapid_authorization,
)
from tests.support.push_service import Rejected, verify_vapid

MOMENT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_saved_keys_load_back_as_the_same_pair(tmp_path: Path) -> None:
    keys = generate_vapid_keys()
    path = tmp_path / "secrets" / "vapid.pem"

    save_vapid_keys(keys, path)
    loaded = load_vapid_keys(path)

    assert loaded.application_server_key == keys.application_server_key
    assert loaded.private_pem == keys.private_pem
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["vapid.pem"]  # no temporary left


def test_application_server_key_is_the_uncompressed_point_browsers_expect() -> None:
    keys = generate_vapid_keys()
    point = b64url_decode(keys.application_server_key)

    assert len(point) == 65 and point[0] == 0x04
    assert "=" not in keys.application_server_key
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    assert public == keys.private_key.public_key()


def test_saving_refuses_to_replace_a_key_unless_told(tmp_path: Path) -> None:
    path = tmp_path / "vapid.pem"
    first, second = generate_vapid_keys(), generate_vapid_keys()
    save_vapid_keys(first, path)

    with pytest.raises(FileExistsError):
        save_vapid_keys(second, path)
    assert load_vapid_keys(path).application_server_key == first.application_server_key

    save_vapid_keys(second, path, overwrite=True)
    assert load_vapid_keys(path).application_server_key == second.application_server_key


def test_loading_a_missing_garbled_or_wrong_curve_file_is_a_typed_error(tmp_path: Path) -> None:
    garbled = tmp_path / "garbled.pem"
    garbled.write_text("not a key")
    p384 = tmp_path / "p384.pem"
    p384.write_bytes(
        ec.generate_private_key(ec.SECP384R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )

    for path in (tmp_path / "missing.pem", garbled, p384):
        with pytest.raises(VapidKeyError):
            load_vapid_keys(path)


@pytest.mark.parametrize(
    ("endpoint", "aud"),
    [
        ("https://fcm.googleapis.com/fcm/send/abc", "https://fcm.googleapis.com"),
        (
            "https://updates.push.services.mozilla.com:443/wpush/v2/x",
            "https://updates.push.services.mozilla.com",
        ),
        ("https://push.example:8443/p/1", "https://push.example:8443"),
        ("http://127.0.0.1:8080/push/1", "http://127.0.0.1:8080"),
        ("HTTP://LOCALHOST:80/push/1", "http://localhost"),
        ("http://[::1]:9000/push/1", "http://[::1]:9000"),
    ],
)
def test_audience_is_the_origin_keeping_only_a_non_default_port(endpoint: str, aud: str) -> None:
    assert audience(endpoint) == aud


def test_token_from_loaded_keys_verifies_with_the_claims_rfc_8292_asks_for(
    tmp_path: Path,
) -> None:
    path = tmp_path / "vapid.pem"
    save_vapid_keys(generate_vapid_keys(), path)
    keys = load_vapid_keys(path)

    header = vapid_authorization(
        keys,
        endpoint="https://push.example:8443/p/1",
        sub="https://baton.example/contact",
        now=MOMENT,
    )
    claims = verify_vapid(
        header,
        origin="https://push.example:8443",
        now=MOMENT,
        expected_key=keys.application_server_key,
    )

    assert claims["exp"] == int((MOMENT + timedelta(hours=12)).timestamp())
    assert claims["sub"] == "https://baton.example/contact"
    token = header.removeprefix("vapid t=").split(",")[0]
    assert json.loads(b64url_decode(token.split(".")[0])) == {"typ": "JWT", "alg": "ES256"}
    with pytest.raises(Rejected, match="expired"):
        verify_vapid(
            header,
            origin="https://push.example:8443",
            now=MOMENT + timedelta(hours=12),
            expected_key=None,
        )


@pytest.mark.parametrize(
    ("sub", "lifetime"),
    [("ops@baton.example", timedelta(hours=1)), ("mailto:ops@baton.example", timedelta(hours=25))],
)
def test_a_bare_email_sub_or_a_lifetime_over_a_day_is_refused(
    sub: str, lifetime: timedelta
) -> None:
    with pytest.raises(ValueError):
        vapid_authorization(
            generate_vapid_keys(),
            endpoint="https://push.example/p",
            sub=sub,
            now=MOMENT,
            lifetime=lifetime,
        )
