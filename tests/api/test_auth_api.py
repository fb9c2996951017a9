"""Login over HTTP: the session lives in an HttpOnly, SameSite=Lax cookie, Secure over https."""

import httpx

from baton.db import models
from tests.support.api import ApiClient
from tests.support.world import TEST_PASSWORD

LOGIN = """mutation($i: LoginInput!) { login(input: $i) { __typename
  ... on RateLimitedError { retryAfterSeconds } } }"""


async def _login_response(api: ApiClient, url: str, login: str, password: str) -> httpx.Response:
    return await api.http.post(
        url, json={"query": LOGIN, "variables": {"i": {"login": login, "password": password}}}
    )


async def test_session_cookie_is_httponly_and_lax_and_not_secure_over_http(
    api: ApiClient,
) -> None:
    await api.world.staff(api.session, models.Role.SERVICE_ADVISOR)
    response = await _login_response(api, "/graphql", "service_advisor.a", TEST_PASSWORD)
    cookie = response.headers["set-cookie"].lower()
    assert "baton_session=" in cookie
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie


async def test_session_cookie_is_secure_over_https(api: ApiClient) -> None:
    await api.login_as("service_advisor")
    response = await _login_response(
        api, "https://baton.test/graphql", "service_advisor.a", TEST_PASSWORD
    )
    assert "secure" in response.headers["set-cookie"].lower()


async def test_logout_ends_the_session_for_every_later_request(api: ApiClient) -> None:
    await api.login_as("service_advisor")
    token = api.http.cookies.get("baton_session")
    await api.data("mutation { logout { ok } }")
    assert "baton_session" not in api.http.cookies
    api.http.cookies.set("baton_session", token or "", domain="baton.test")
    body = await api.gql("{ me { id } }")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_repeated_failures_answer_rate_limited_with_retry_after(api: ApiClient) -> None:
    await api.login_as("service_advisor")
    for _ in range(5):
        response = await _login_response(api, "/graphql", "service_advisor.a", "wrong")
        assert response.json()["data"]["login"]["__typename"] == "InvalidCredentialsError"
    response = await _login_response(api, "/graphql", "service_advisor.a", TEST_PASSWORD)
    payload = response.json()["data"]["login"]
    assert payload["__typename"] == "RateLimitedError"
    assert payload["retryAfterSeconds"] == 15 * 60
