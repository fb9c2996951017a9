"""Staff log in with phone or username and a password; sessions live in an HttpOnly cookie."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import bindparam, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import LoginAttempt, Store, User, UserSession
from baton.domain.errors import FieldChecks, InvalidCredentials, NotFound, RateLimited
from baton.domain.phone import InvalidPhone, normalise_phone

PASSWORD_MIN = 8
PASSWORD_MAX = 256
SESSIONS_SHOWN = 20
_hasher = PasswordHasher()
# Verified when the login is unknown, so a wrong username costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


@dataclass(frozen=True)
class LoginPolicy:
    max_failures_per_login: int
    max_failures_per_address: int
    window: timedelta
    session_lifetime: timedelta


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _as_phone(login: str) -> str | None:
    try:
        return normalise_phone(login)
    except InvalidPhone:
        return None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _check_rate_limit(
    session: AsyncSession, login: str, client_address: str, policy: LoginPolicy, now: datetime
) -> None:
    since = now - policy.window
    failures = select(func.count()).where(
        LoginAttempt.at >= since, LoginAttempt.succeeded.is_(False)
    )
    per_login = await session.scalar(failures.where(LoginAttempt.login == login)) or 0
    per_address = (
        await session.scalar(failures.where(LoginAttempt.client_address == client_address)) or 0
    )
    if per_login >= policy.max_failures_per_login or (
        per_address >= policy.max_failures_per_address
    ):
        raise RateLimited(int(policy.window.total_seconds()))


async def login(
    session: AsyncSession,
    *,
    login: str,
    password: str,
    client_address: str,
    policy: LoginPolicy,
    now: datetime,
) -> tuple[User, str]:
    """Returns the user and a new session token (only its hash is stored)."""
    checks = FieldChecks()
    clean_login = (checks.text("input.login", login, max_length=64) or "").lower()
    checks.text("input.password", password, max_length=PASSWORD_MAX)
    checks.raise_if_any()
    await _check_rate_limit(session, clean_login, client_address, policy, now)
    matches = [User.username == clean_login]
    phone = _as_phone(clean_login)
    if phone is not None:
        # Never compare with None: SQLAlchemy would read it as "phone IS NULL".
        matches.append(User.phone == phone)
    user = await session.scalar(select(User).where(or_(*matches)))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        verified = user is not None and user.is_active
    except (VerifyMismatchError, InvalidHashError):
        verified = False
    session.add(
        LoginAttempt(at=now, login=clean_login, client_address=client_address, succeeded=verified)
    )
    if not verified or user is None:
        # The failed attempt must count even though the login is refused.
        await session.commit()
        raise InvalidCredentials()
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + policy.session_lifetime,
        )
    )
    return user, token


class SignedIn(NamedTuple):
    user: User
    # The user's own store, read in the same statement: nearly every record a frontline user
    # opens is in it, so the API primes its store loader with it. None for directors and admins.
    home_store: Store | None


# Every request but login asks it: built once, with its values bound per request.
_SIGNED_IN = (
    select(User, Store)
    .join(UserSession, UserSession.user_id == User.id)
    .outerjoin(Store, Store.id == User.store_id)
    .where(
        UserSession.token_hash == bindparam("token_hash"),
        UserSession.expires_at > bindparam("now"),
        User.is_active.is_(True),
    )
)


async def signed_in(session: AsyncSession, token: str, now: datetime) -> SignedIn | None:
    found = await session.execute(_SIGNED_IN, {"token_hash": _token_hash(token), "now": now})
    row = found.first()
    return SignedIn(*row) if row else None


async def logout(session: AsyncSession, token: str) -> None:
    await session.execute(delete(UserSession).where(UserSession.token_hash == _token_hash(token)))


# --- my sessions and my password -----------------------------------------------------------


async def sessions_of(session: AsyncSession, user: User, now: datetime) -> list[UserSession]:
    """The user's live logins, newest first (one per phone or browser)."""
    rows = await session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.expires_at > now)
        .order_by(UserSession.created_at.desc(), UserSession.id.desc())
        .limit(SESSIONS_SHOWN)
    )
    return list(rows)


def is_current(login_session: UserSession, token: str | None) -> bool:
    return token is not None and login_session.token_hash == _token_hash(token)


async def revoke_session(session: AsyncSession, user: User, session_id: int) -> User:
    """End one of my logins (a lost phone); someone else's looks like a missing one."""
    found = await session.get(UserSession, session_id)
    if found is None or found.user_id != user.id:
        raise NotFound("UserSession", "input.id")
    await session.delete(found)
    await session.flush()
    return user


async def change_password(
    session: AsyncSession,
    user: User,
    *,
    current_token: str | None,
    old_password: str,
    new_password: str,
) -> User:
    """A new password needs the old one; every other login of the user ends with it."""
    checks = FieldChecks()
    try:
        _hasher.verify(user.password_hash, old_password)
    except (VerifyMismatchError, InvalidHashError):
        checks.fail("input.currentPassword", "wrong_password")
    if not PASSWORD_MIN <= len(new_password) <= PASSWORD_MAX:
        checks.fail("input.newPassword", "bad_length", min=PASSWORD_MIN, max=PASSWORD_MAX)
    elif new_password == old_password:
        checks.fail("input.newPassword", "unchanged", says="same_password")
    checks.raise_if_any()
    user.password_hash = hash_password(new_password)
    others = delete(UserSession).where(UserSession.user_id == user.id)
    if current_token is not None:
        others = others.where(UserSession.token_hash != _token_hash(current_token))
    await session.execute(others)
    await session.flush()
    return user
