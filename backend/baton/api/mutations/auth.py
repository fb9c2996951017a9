"""Log in and out: the session token travels only in an HttpOnly cookie."""

from datetime import timedelta
from typing import Annotated

import strawberry

from baton.api.context import SESSION_COOKIE, Info
from baton.api.errors import (
    InvalidCredentialsError,
    RateLimitedError,
    ValidationError,
    as_user_error,
)
from baton.api.ids import expect_id
from baton.api.mutation import Acting, mutation
from baton.api.types.org import UserType
from baton.api.types.relay import orm_root
from baton.db import models
from baton.domain import auth
from baton.domain.errors import DomainError


@strawberry.input
class LoginInput:
    login: str = strawberry.field(description="Username or phone number.")
    password: str
    client_mutation_id: str | None = None


@strawberry.type
class LoginSuccess:
    user: UserType


@strawberry.type
class LogoutSuccess:
    ok: bool


@strawberry.input
class ChangePasswordInput:
    current_password: str
    new_password: str = strawberry.field(description="8 to 256 characters.")
    client_mutation_id: str | None = None


@strawberry.type
class MeSuccess:
    me: UserType


@strawberry.input
class RevokeSessionInput:
    id: strawberry.ID
    client_mutation_id: str | None = None


LoginPayload = Annotated[
    LoginSuccess | InvalidCredentialsError | RateLimitedError | ValidationError,
    strawberry.union("LoginPayload"),
]


@strawberry.type
class AuthMutations:
    @strawberry.mutation
    async def login(self, info: Info, input: LoginInput) -> LoginPayload:
        context = info.context
        settings = context.settings
        policy = auth.LoginPolicy(
            max_failures_per_login=settings.login_max_failures_per_account,
            max_failures_per_address=settings.login_max_failures_per_address,
            window=timedelta(minutes=settings.login_window_minutes),
            session_lifetime=timedelta(days=settings.session_days),
        )
        try:
            user, token = await auth.login(
                context.session,
                login=input.login,
                password=input.password,
                client_address=context.client_address,
                policy=policy,
                now=context.now(),
            )
            await context.session.commit()
        except DomainError as error:
            reader = context.any_reader()
            await context.session.rollback()
            return as_user_error(error, reader)  # type: ignore[return-value]
        context.response.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=int(policy.session_lifetime.total_seconds()),
            httponly=True,
            samesite="lax",
            secure=settings.secure_cookies or context.request.url.scheme == "https",
            path="/",
        )
        return LoginSuccess(user=orm_root(user))

    @mutation(
        ability=None,
        success=MeSuccess,
        description="Needs the current password; my other logins end.",
    )
    async def change_password(input: ChangePasswordInput, acting: Acting) -> models.User:
        return await auth.change_password(
            acting.session,
            acting.actor.user,
            current_token=acting.context.session_token,
            old_password=input.current_password,
            new_password=input.new_password,
        )

    @mutation(
        ability=None,
        success=MeSuccess,
        description="End one of my logins (a lost or handed-on phone).",
    )
    async def revoke_session(input: RevokeSessionInput, acting: Acting) -> models.User:
        return await auth.revoke_session(
            acting.session, acting.actor.user, expect_id(input.id, "UserSession", "input.id")
        )

    @strawberry.mutation
    async def logout(self, info: Info) -> LogoutSuccess:
        token = info.context.session_token
        if token:
            await auth.logout(info.context.session, token)
            await info.context.session.commit()
        info.context.response.delete_cookie(SESSION_COOKIE, path="/")
        return LogoutSuccess(ok=True)
