"""bench/lighthouse.py tries a page again when Lighthouse could not measure it (NO_NAVSTART)."""

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from bench import lighthouse

MEASURED = {"categories": {"performance": {"score": 0.97}}, "audits": {}}
NO_NAVSTART = {
    "runtimeError": {"code": "NO_NAVSTART", "message": "No navigationStart event found"},
    "categories": {"performance": {"score": None}},
    "audits": {},
}


def fake_lighthouse(
    monkeypatch: pytest.MonkeyPatch, outcomes: list[tuple[dict[str, Any] | None, int]]
) -> list[list[str]]:
    """Each call writes the next report (None: none) to --output-path and exits with its code."""
    calls: list[list[str]] = []

    def run(command: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        calls.append(command)
        report, returncode = outcomes[len(calls) - 1]
        if report is not None:
            path = next(arg for arg in command if arg.startswith("--output-path="))
            Path(path.split("=", 1)[1]).write_text(json.dumps(report))
        return subprocess.CompletedProcess(command, returncode)

    monkeypatch.setattr(lighthouse.subprocess, "run", run)
    return calls


def test_a_page_lighthouse_could_not_measure_is_run_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = fake_lighthouse(monkeypatch, [(NO_NAVSTART, 1), (NO_NAVSTART, 1), (MEASURED, 0)])

    result = lighthouse.run_lighthouse("http://127.0.0.1:1/", "session=x", tmp_path / "r.json")

    assert result == MEASURED
    assert len(calls) == 3


def test_the_bench_stops_when_every_attempt_fails(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = fake_lighthouse(monkeypatch, [(NO_NAVSTART, 1)] * lighthouse.ATTEMPTS)

    with pytest.raises(lighthouse.LighthouseFailed, match="NO_NAVSTART"):
        lighthouse.run_lighthouse("http://127.0.0.1:1/", "session=x", tmp_path / "r.json")
    assert len(calls) == lighthouse.ATTEMPTS


def test_a_run_that_wrote_no_report_is_not_read_from_the_previous_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    report = tmp_path / "r.json"
    report.write_text(json.dumps(NO_NAVSTART))  # an earlier attempt's report
    calls = fake_lighthouse(monkeypatch, [(None, 1)])  # Chromium did not start, say

    with pytest.raises(SystemExit, match="exited with 1"):
        lighthouse.run_lighthouse("http://127.0.0.1:1/", "session=x", report)
    assert len(calls) == 1
