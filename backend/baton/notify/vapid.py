"""VAPID (RFC 8292): the P-256 key pair that identifies Baton to browser push services.

The private key is a PEM file at a path from settings, outside the repository: whoever holds
it can push to every subscribed phone, and replacing it orphans every subscription (browsers
bind a subscription to the public key they were given). The public key reaches the PWA as
`applicationServerKey`, the base64url uncompressed point.

The token is built here rather than by a web push library: the `webpush` package this project
once used dropped the endpoint's port from `aud`, read the wall clock and forced `sub` to
`mailto:`.
"""

import base64
import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

# RFC 8292 section 2: push services reject a token that expires more than 24 h ahead.
MAX_JWT_LIFETIME = timedelta(hours=24)
# Short of the maximum so a sender clock a little ahead of the push service still passes.
DEFAULT_JWT_LIFETIME = timedelta(hours=12)

_DEFAULT_PORTS = {"http": 80, "https": 443}


class VapidKeyError(ValueError):
    """The key file is missing, unreadable, or not a P-256 private key."""


def b64url(data: bytes) -> str:
    """Unpadded base64url, the encoding of every key and token in the push protocols."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode base64url with or without padding; browsers and libraries differ."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True, slots=True)
class VapidKeys:
    """The application server's key pair, with the encodings senders need precomputed."""

    private_key: ec.EllipticCurvePrivateKey
    private_pem: bytes
    public_pem: bytes
    application_server_key: str

    @classmethod
    def from_private_key(cls, private_key: ec.EllipticCurvePrivateKey) -> "VapidKeys":
        if not isinstance(private_key.curve, ec.SECP256R1):
            raise VapidKeyError(f"VAPID needs a P-256 key, not {private_key.curve.name}")
        public_key = private_key.public_key()
        return cls(
            private_key=private_key,
            private_pem=private_key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
            public_pem=public_key.public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            ),
            application_server_key=b64url(
                public_key.public_bytes(
                    serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
                )
            ),
        )


def generate_vapid_keys() -> VapidKeys:
    return VapidKeys.from_private_key(ec.generate_private_key(ec.SECP256R1()))


def save_vapid_keys(keys: VapidKeys, path: Path, *, overwrite: bool = False) -> None:
    """Write the private key as PEM, readable by the owner only.

    Refuses to replace an existing file unless told to, because a new key silently breaks
    every device already subscribed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # Created 0600 from the start: a chmod afterwards would leave a moment of exposure.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(keys.private_pem)
            file.flush()
            os.fsync(file.fileno())
        if overwrite:
            os.replace(temporary, path)
        else:
            # link() fails if the target exists, so two `baton vapid` runs cannot both win.
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def load_vapid_keys(path: Path) -> VapidKeys:
    try:
        pem = path.read_bytes()
    except OSError as error:
        raise VapidKeyError(f"cannot read VAPID key file {path}: {error.strerror}") from error
    try:
        private_key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as error:
        raise VapidKeyError(f"{path} does not hold an unencrypted PEM private key") from error
    if not isinstance(private_key, ec.EllipticCurvePrivateKey):
        raise VapidKeyError(f"{path} holds a {type(private_key).__name__}, not an EC key")
    return VapidKeys.from_private_key(private_key)


# A dispatcher asks twice per push (its push service's state, its VAPID token) for the same few
# thousand subscriptions batch after batch; parsing the URL each time was 7 % of its CPU.
@lru_cache(maxsize=4096)
def audience(endpoint: str) -> str:
    """The JWT `aud`: the endpoint's origin, keeping a non-default port (RFC 8292 section 2)."""
    parts = urlsplit(endpoint)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"push endpoint must be an http(s) URL with a host: {endpoint!r}")
    host = parts.hostname
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def check_subject(sub: str) -> None:
    """RFC 8292 section 2.1: the contact is a mailto: or https: URI."""
    if not (sub.startswith("mailto:") and len(sub) > 7) and not sub.startswith("https://"):
        raise ValueError(f"VAPID sub must be a mailto: or https: URI, got {sub!r}")


def vapid_authorization(
    keys: VapidKeys,
    *,
    endpoint: str,
    sub: str,
    now: datetime,
    lifetime: timedelta = DEFAULT_JWT_LIFETIME,
) -> str:
    """The `Authorization: vapid t=<jwt>, k=<public key>` header value for one endpoint."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if not timedelta(0) < lifetime <= MAX_JWT_LIFETIME:
        raise ValueError(f"JWT lifetime must be within (0, 24 h], got {lifetime}")
    check_subject(sub)
    claims = {
        "aud": audience(endpoint),
        "exp": int((now + lifetime).timestamp()),
        "sub": sub,
    }
    header = {"typ": "JWT", "alg": "ES256"}
    signing_input = ".".join(
        b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
    )
    der = keys.private_key.sign(signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    # JWS (RFC 7518 section 3.4) wants the raw 64-byte r||s, not the DER that OpenSSL emits.
    r, s = decode_dss_signature(der)
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return f"vapid t={signing_input}.{b64url(signature)}, k={keys.application_server_key}"


@lru_cache(maxsize=4)
def _cached_keys(path: Path, _mtime_ns: int) -> VapidKeys:
    return load_vapid_keys(path)


def vapid_keys_or_none(path: Path) -> VapidKeys | None:
    """The key pair if `baton vapid` made one; re-read when the file changes."""
    try:
        return _cached_keys(path, path.stat().st_mtime_ns)
    except (OSError, VapidKeyError):
        return None
