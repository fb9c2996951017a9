"""Logging in: argon2 passwords, sessions by cookie token, rate limits per account and address."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain import auth
from baton.domain.errors import InvalidCredentials, RateLimited, ValidationFailed
from tests.conftest import AsUser
from tests.support.world import TEST_PASSWORD

POLICY = auth.LoginPolicy(
    max_failures_per_login=3,
    max_failures_per_address=5,
    window=timedelta(minutes=15),
    session_lifetime=timedelta(days=14),
)


async def _login(
    db: AsyncSession, clock: ManualClock, login: str, password: str, address: str = "10.0.0.1"
) -> tuple[models.User, str]:
    result = await auth.login(
        db, login=login, password=password, client_address=address, policy=POLICY, now=clock.now()
    )
    await db.commit()
    return result


async def test_login_by_username_or_phone_returns_a_token_that_finds_the_user(
    db: AsyncSession, as_user: AsUser, clock: ManualClock
) -> None:
    advisor = await as_user("service_advisor")
    advisor.user.phone = "+8613900000003"
    await db.commit()
    for login in ("Service_Advisor.A", "13900000003", "+86 139 0000 0003"):
        user, token = await _login(db, clock, login, TEST_PASSWORD)
        assert user.id == advisor.id
        found = await auth.signed_in(db, token, clock.now())
        assert found is not None and found.user.id == advisor.id
        assert found.home_store is not None and found.home_store.id == advisor.user.store_id
    stored = await db.scalars(select(models.UserSession.token_hash))
    assert token not in set(stored)


async def test_session_expires_and_logout_ends_it(
    db: AsyncSession, as_user: AsUser, clock: ManualClock
) -> None:
    await as_user("service_advisor")
    _, token = await _login(db, clock, "service_advisor.a", TEST_PASSWORD)
    clock.advance(timedelta(days=14, seconds=1))
    assert await auth.signed_in(db, token, clock.now()) is None
    _, token = await _login(db, clock, "service_advisor.a", TEST_PASSWORD)
    await auth.logout(db, token)
    await db.commit()
    assert await auth.signed_in(db, token, clock.now()) is None


async def test_wrong_password_unknown_user_and_inactive_user_all_look_the_same(
    db: AsyncSession, as_user: AsUser, clock: ManualClock
) -> None:
    manager = await as_user("store_manager")
    manager.user.is_active = False
    await db.commit()
    for login, password in (
        ("service_advisor.a", "wrong password"),
        ("nobody", TEST_PASSWORD),
        ("store_manager.a", TEST_PASSWORD),
    ):
        with pytest.raises(InvalidCredentials):
            await _login(db, clock, login, password)


async def test_too_many_failures_for_one_account_lock_it_for_the_window(
    db: AsyncSession, as_user: AsUser, clock: ManualClock
) -> None:
    await as_user("service_advisor")
    for _ in range(3):
        with pytest.raises(InvalidCredentials):
            await _login(db, clock, "service_advisor.a", "guess")
    with pytest.raises(RateLimited):
        await _login(db, clock, "service_advisor.a", TEST_PASSWORD, address="10.9.9.9")
    clock.advance(timedelta(minutes=16))
    user, _ = await _login(db, clock, "service_advisor.a", TEST_PASSWORD)
    assert user.username == "service_advisor.a"


async def test_too_many_failures_from_one_address_block_that_address_only(
    db: AsyncSession, as_user: AsUser, clock: ManualClock
) -> None:
    await as_user("service_advisor")
    for n in range(5):
        with pytest.raises(InvalidCredentials):
            await _login(db, clock, f"someone{n}", "guess", address="10.6.6.6")
    with pytest.raises(RateLimited):
        await _login(db, clock, "service_advisor.a", TEST_PASSWORD, address="10.6.6.6")
    await _login(db, clock, "service_advisor.a", TEST_PASSWORD, address="10.7.7.7")


async def test_empty_login_is_a_field_error_and_records_no_attempt(
    db: AsyncSession, clock: ManualClock
) -> None:
    with pytest.raises(ValidationFailed):
        await _login(db, clock, " ", "x")
    assert await db.scalar(select(func.count()).select_from(models.LoginAttempt)) == 0


async def test_a_username_never_matches_another_user_without_a_phone(
    db: AsyncSession, as_user: AsUser, clock: ManualClock
) -> None:
    """Regression: a login that is not a phone number once matched "phone IS NULL"."""
    await as_user("sales_consultant")
    advisor = await as_user("service_advisor")
    user, _ = await _login(db, clock, "service_advisor.a", TEST_PASSWORD)
    assert user.id == advisor.id
    with pytest.raises(InvalidCredentials):
        await _login(db, clock, "nobody.at.all", TEST_PASSWORD)
