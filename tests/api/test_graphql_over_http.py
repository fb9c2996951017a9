"""GraphQL over HTTP to the letter: graphql-http's audit suite against `baton serve`."""

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
AUDIT = ROOT / "frontend" / "scripts" / "graphql-http-audit.mjs"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def graphql_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("audit")
    env = {
        **os.environ,
        "BATON_DATABASE_URL": f"sqlite+aiosqlite:///{data / 'baton.db'}",
        "BATON_DISPATCHER": "false",
        "BATON_LOG_LEVEL": "WARNING",
    }
    baton = [sys.executable, "-m", "baton.cli"]
    subprocess.run([*baton, "migrate"], env=env, check=True, cwd=ROOT)
    port = _free_port()
    server = subprocess.Popen([*baton, "serve", "--port", str(port)], env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("baton serve did not start")
            time.sleep(0.2)
        yield f"{url}/graphql"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_graphql_http_audit_passes_every_check_with_no_warning(graphql_url: str) -> None:
    done = subprocess.run(
        ["node", str(AUDIT), graphql_url],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT / "frontend",
        timeout=120,
    )
    results = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert len(results) > 50  # the suite ran, not an empty pass
    problems = [
        f"{r['status']}: {r['name']} ({r['reason']})" for r in results if r["status"] != "ok"
    ]
    assert problems == []


def test_a_request_error_is_400_without_data_for_graphql_response_clients(
    graphql_url: str,
) -> None:
    accept = {"accept": "application/graphql-response+json"}
    broken = httpx.post(graphql_url, json={"query": "{ me { "}, headers=accept)
    assert broken.status_code == 400
    assert broken.headers["content-type"].startswith("application/graphql-response+json")
    assert "data" not in broken.json() and broken.json()["errors"]
    unknown = httpx.post(graphql_url, json={"query": "{ nothingHere }"}, headers=accept)
    assert unknown.status_code == 400 and "data" not in unknown.json()
    # Executed, with a field error (not signed in): 200 and data, under either media type.
    executed = httpx.post(graphql_url, json={"query": "{ me { id } }"}, headers=accept)
    assert executed.status_code == 200 and executed.json()["data"] is None
    legacy = httpx.post(graphql_url, json={"query": "{ nothingHere }"})
    assert legacy.status_code == 200 and legacy.headers["content-type"] == "application/json"
