"""`baton backup` copies a serving SQLite database; `baton restore` brings it back whole."""

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CREATE = """mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) {
  __typename } }"""


def baton(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "baton.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def env_for(database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "BATON_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "BATON_DISPATCHER": "false",
        "BATON_LOG_LEVEL": "WARNING",
    }


def tables(database: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(database) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        found = {name: sorted(connection.execute(f'SELECT * FROM "{name}"')) for name in names}
    connection.close()
    return found


@pytest.fixture(scope="module")
def serving(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """`baton serve` on a demo database, with a sales consultant signed in."""
    database = tmp_path_factory.mktemp("backup") / "baton.db"
    env = env_for(database)
    assert baton(env, "migrate").returncode == 0
    assert baton(env, "seed", "--demo").returncode == 0
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "baton.cli", "serve", "--port", str(port)], env=env, cwd=ROOT
    )
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
        yield database, url
    finally:
        server.terminate()
        server.wait(timeout=10)


def keep_writing(url: str, stop: threading.Event, written: list[int], failures: list[str]) -> None:
    with httpx.Client(base_url=url, timeout=10) as client:
        login = {"input": {"login": "sales.a", "password": "baton-demo"}}
        client.post(
            "/graphql",
            json={
                "query": "mutation($input: LoginInput!) { login(input: $input) { __typename } }",
                "variables": login,
            },
        )
        n = 0
        while not stop.is_set():
            n += 1
            variables = {"input": {"name": f"备份{n}", "phone": f"1370000{n:04d}"}}
            answer = client.post("/graphql", json={"query": CREATE, "variables": variables})
            if answer.json()["data"]["createCustomer"]["__typename"] != "CustomerSuccess":
                failures.append(answer.text)
                return
            written.append(n)


def test_a_backup_taken_while_writes_go_on_is_whole_and_restores_every_table(
    serving: tuple[Path, str], tmp_path: Path
) -> None:
    database, url = serving
    stop, written, failures = threading.Event(), [], []
    writer = threading.Thread(target=keep_writing, args=(url, stop, written, failures))
    writer.start()
    try:
        deadline = time.monotonic() + 90
        while len(written) < 5 and not failures and time.monotonic() < deadline:
            time.sleep(0.05)
        during = tmp_path / "during.db"
        done = baton(env_for(database), "backup", str(during))
        assert done.returncode == 0, done.stderr
    finally:
        stop.set()
        writer.join()
    assert failures == [] and len(written) >= 5
    with sqlite3.connect(during) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        kept = copy.execute("SELECT count(*) FROM customers WHERE name LIKE '备份%'").fetchone()[0]
    copy.close()
    assert 5 <= kept <= len(written)

    # Writes stopped, still serving: the backup restored into a new file equals the source.
    quiet = tmp_path / "quiet.db"
    assert baton(env_for(database), "backup", str(quiet)).returncode == 0
    restored = tmp_path / "restored" / "baton.db"
    done = baton(env_for(restored), "restore", str(quiet))
    assert done.returncode == 0, done.stderr
    assert tables(restored) == tables(database)


def test_backup_and_restore_refuse_what_would_lose_data(
    serving: tuple[Path, str], tmp_path: Path
) -> None:
    database, _ = serving
    target = tmp_path / "taken.db"
    target.write_text("an operator's file")
    refused = baton(env_for(database), "backup", str(target))
    assert refused.returncode == 2 and "never overwrites" in refused.stderr
    assert target.read_text() == "an operator's file"
    backup = tmp_path / "ok.db"
    assert baton(env_for(database), "backup", str(backup)).returncode == 0
    refused = baton(env_for(database), "restore", str(backup))
    assert refused.returncode == 2 and "--force" in refused.stderr
    refused = baton(env_for(tmp_path / "new.db"), "restore", str(target))
    assert refused.returncode == 2 and "not a Baton SQLite backup" in refused.stderr
    postgres = {**os.environ, "BATON_DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1/x"}
    refused = baton(postgres, "backup", str(tmp_path / "pg.db"))
    assert refused.returncode == 2 and "pg_dump" in refused.stderr
