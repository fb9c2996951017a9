"""The `baton` command as an operator runs it, on a fresh SQLite file."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _baton(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BATON_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli/baton.db"}
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
