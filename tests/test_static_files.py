"""The PWA's files: brotli or gzip copies when the browser takes them, with Vary and their own
length and ETag; HEAD, ranges and revalidation on whichever copy is sent."""

import gzip
from collections.abc import AsyncIterator
from pathlib import Path

import brotli
import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from baton.app import create_app
from baton.clock import ManualClock
from baton.settings import Settings

SCRIPT = b"export const greeting = '\xe4\xbd\xa0\xe5\xa5\xbd';\n" * 200
SHELL = b'<!doctype html><script type="module" src="/assets/index-abc.js"></script>\n' * 20


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A built PWA as the build leaves it: each text file with a .br and a .gz copy."""
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    for path, content in {"index.html": SHELL, "assets/index-abc.js": SCRIPT}.items():
        (root / path).write_bytes(content)
        (root / f"{path}.br").write_bytes(brotli.compress(content))
        (root / f"{path}.gz").write_bytes(gzip.compress(content))
    (root / "assets" / "plain-abc.js").write_bytes(b"export {};\n")
    return root


@pytest.fixture
async def http(
    dist: Path, settings: Settings, engine: AsyncEngine, clock: ManualClock
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        settings.model_copy(update={"frontend_dist": dist}), clock=clock, engine=engine
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://baton.test"
    ) as client:
        yield client


async def raw_get(
    http: httpx.AsyncClient, path: str, **headers: str
) -> tuple[httpx.Response, bytes]:
    """The bytes as sent on the wire: httpx would otherwise decode them."""
    sent = {name.replace("_", "-"): value for name, value in headers.items()}
    async with http.stream("GET", path, headers=sent) as response:
        return response, b"".join([chunk async for chunk in response.aiter_raw()])


async def test_the_script_is_sent_in_brotli_when_the_browser_takes_it(
    http: httpx.AsyncClient,
) -> None:
    response, body = await raw_get(http, "/assets/index-abc.js", accept_encoding="gzip, br")
    assert response.headers["content-encoding"] == "br"
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert int(response.headers["content-length"]) == len(body) < len(SCRIPT) / 4
    assert brotli.decompress(body) == SCRIPT


async def test_gzip_when_only_gzip_is_taken_and_the_file_itself_when_none_is(
    http: httpx.AsyncClient,
) -> None:
    zipped, body = await raw_get(http, "/assets/index-abc.js", accept_encoding="gzip")
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(body) == SCRIPT
    for refusing in ("identity", "br;q=0, gzip;q=0", ""):
        plain, body = await raw_get(http, "/assets/index-abc.js", accept_encoding=refusing)
        assert "content-encoding" not in plain.headers, refusing
        assert plain.headers["vary"] == "Accept-Encoding"
        assert body == SCRIPT
        assert int(plain.headers["content-length"]) == len(SCRIPT)


async def test_each_coding_has_its_own_etag_and_revalidates_to_304(
    http: httpx.AsyncClient,
) -> None:
    etags = set()
    for coding in ("br", "gzip", "identity"):
        first = await http.get("/", headers={"accept-encoding": coding})
        assert first.headers["cache-control"] == "no-cache"
        etag = first.headers["etag"]
        etags.add(etag)
        again = await http.get("/", headers={"accept-encoding": coding, "if-none-match": etag})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == etag
        assert again.headers["vary"] == "Accept-Encoding"
    assert len(etags) == 3
    changed = await http.get("/", headers={"accept-encoding": "br", "if-none-match": '"other"'})
    assert changed.status_code == 200


async def test_head_and_ranges_apply_to_the_copy_sent(http: httpx.AsyncClient) -> None:
    full, body = await raw_get(http, "/assets/index-abc.js", accept_encoding="br")
    head = await http.head("/assets/index-abc.js", headers={"accept-encoding": "br"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-encoding"] == "br"
    assert head.headers["content-length"] == str(len(body))
    assert head.headers["etag"] == full.headers["etag"]
    part, chunk = await raw_get(
        http, "/assets/index-abc.js", accept_encoding="br", range="bytes=0-9"
    )
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 0-9/{len(body)}"
    assert chunk == body[:10]
    plain, chunk = await raw_get(
        http, "/assets/index-abc.js", accept_encoding="identity", range="bytes=0-9"
    )
    assert plain.status_code == 206 and chunk == SCRIPT[:10]


async def test_a_file_without_copies_is_sent_as_it_is_without_vary(
    http: httpx.AsyncClient,
) -> None:
    response, body = await raw_get(http, "/assets/plain-abc.js", accept_encoding="br, gzip")
    assert body == b"export {};\n"
    assert "content-encoding" not in response.headers
    assert "vary" not in response.headers


async def test_the_copies_are_not_files_of_their_own(http: httpx.AsyncClient) -> None:
    assert (await http.get("/assets/index-abc.js.br")).status_code == 404
    assert (await http.get("/index.html.gz")).status_code == 404


async def test_graphql_answers_are_never_taken_from_the_build(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"accept-encoding": "br, gzip"}
    )
    assert response.json() == {"data": {"__typename": "Query"}}
    assert "content-encoding" not in response.headers
