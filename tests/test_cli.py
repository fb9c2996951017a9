"""The `baton` command as an operator runs it, on a fresh SQLite file."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _baton(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "BATON_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli/baton.db",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "baton.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_migrate_seed_and_create_user(tmp_path: Path) -> None:
    assert _baton(tmp_path, "migrate").returncode == 0
    seeded = _baton(tmp_path, "seed", "--demo")
    assert seeded.returncode == 0, seeded.stderr
    assert "advisor.a" in seeded.stdout and "baton-demo" in seeded.stdout
    assert "already present" in _baton(tmp_path, "seed", "--demo").stdout
    created = _baton(
        tmp_path,
        "create-user",
        "--username",
        "Li.Na",
        "--password",
        "long enough secret",
        "--role",
        "service_advisor",
        "--store",
        "SH-PD",
    )
    assert created.returncode == 0, created.stderr
    refused = _baton(
        tmp_path, "create-user", "--username", "x", "--password", "short", "--role", "parts"
    )
    assert refused.returncode == 2
    assert "password" in refused.stderr and "store" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_export_schema_prints_the_committed_schema(tmp_path: Path) -> None:
    exported = _baton(tmp_path, "export-schema")
    assert exported.returncode == 0
    assert exported.stdout == (ROOT / "schema.graphql").read_text()


def test_vapid_if_missing_creates_the_key_once_and_never_replaces_it(tmp_path: Path) -> None:
    key = tmp_path / "var" / "vapid_private.pem"
    env = {"BATON_VAPID_PRIVATE_KEY_FILE": str(key)}
    created = _baton(tmp_path, "vapid", "--if-missing", env=env)
    assert created.returncode == 0, created.stderr
    first = key.read_bytes()
    assert b"PRIVATE KEY" in first
    again = _baton(tmp_path, "vapid", "--if-missing", env=env)
    assert again.returncode == 0, again.stderr
    assert key.read_bytes() == first
    assert "kept" in again.stdout


def test_make_demo_creates_the_vapid_key_before_serving() -> None:
    # `make -n` prints the recipe without running it: the demo path itself, not a copy of it.
    planned = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", "demo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.splitlines()
    vapid = next(i for i, line in enumerate(planned) if "baton vapid --if-missing" in line)
    serve = next(i for i, line in enumerate(planned) if "baton serve" in line)
    assert vapid < serve
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "var/vapid_private.pem"], cwd=ROOT, timeout=30
    )
    assert ignored.returncode == 0
