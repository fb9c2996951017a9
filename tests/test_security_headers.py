"""Every response carries the security headers; HSTS only where the phone sees https."""

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from baton.app import create_app
from baton.clock import ManualClock
from baton.security_headers import CONTENT_SECURITY_POLICY
from baton.settings import Settings


async def responses(
    settings: Settings, engine: AsyncEngine, clock: ManualClock, base: str
) -> list[httpx.Response]:
    app = create_app(settings, clock=clock, engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=base) as http:
        return [
            await http.post("/graphql", json={"query": "{ __typename }"}),
            await http.get("/healthz"),
            await http.get("/graphql?query={__typename}"),
            await http.post(
                "/graphql", content=b"{not json", headers={"content-type": "application/json"}
            ),
            await http.get("/uploads/nothing"),
        ]


async def test_every_response_carries_the_security_headers(
    settings: Settings, engine: AsyncEngine, clock: ManualClock
) -> None:
    for response in await responses(settings, engine, clock, "http://baton.test"):
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "strict-transport-security" not in response.headers


async def test_hsts_is_sent_over_https_and_behind_a_tls_proxy(
    settings: Settings, engine: AsyncEngine, clock: ManualClock
) -> None:
    for response in await responses(settings, engine, clock, "https://baton.test"):
        assert response.headers["strict-transport-security"].startswith("max-age=31536000")
    proxied = settings.model_copy(update={"secure_cookies": True})
    for response in await responses(proxied, engine, clock, "http://baton.test"):
        assert response.headers["strict-transport-security"].startswith("max-age=31536000")
