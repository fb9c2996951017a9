"""Bench: Lighthouse (mobile) on the PWA signed in, Today and a customer record, several runs.

    .venv/bin/python bench/lighthouse.py                          # a demo server on :8000
    .venv/bin/python bench/lighthouse.py --url http://127.0.0.1:8791 --runs 3

Needs a running server with demo data (`make demo`, or `baton seed --demo` then `baton serve`)
serving a fresh `npm run build`. Signs in over HTTP, hands the session cookie to Lighthouse as
an extra header, and runs Lighthouse 12 (`npx --yes lighthouse@12.2.3`: the last one that runs
on Node 20; fetched into npm's cache on first use, never a project dependency) with Debian's
Chromium (CHROME_PATH, /usr/bin/chromium by default). Lighthouse clears the origin's storage
before each run, so every run is a first load with an empty IndexedDB and no service worker.
Prints the performance score, TBT, LCP and the scripts with the most main-thread time for each
run, and the machine's load average (the machine is shared: scores wander with it). Each
report's JSON goes to var/lighthouse/. A page Lighthouse could not measure (NO_NAVSTART: it
missed the navigation in Chromium's trace) is run again, up to three attempts.

A demo server on a worktree's own build and database (the variables are in settings.py):

    export BATON_DATABASE_URL=sqlite+aiosqlite:///$PWD/var/lighthouse.db \
           BATON_FRONTEND_DIST=$PWD/frontend/dist BATON_DISPATCHER=false
    (cd frontend && npm run build) && baton migrate && baton seed --demo && baton serve --port 8791

See bench/README.md."""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = "lighthouse@12.2.3"
LOGIN = """mutation ($input: LoginInput!) { login(input: $input) { __typename } }"""
A_CUSTOMER = """{ customers(search: "王", first: 1) { edges { node { id } } } }"""


def sign_in(base_url: str, login: str, password: str) -> tuple[str, str]:
    """The session's Cookie header, and the id of a customer the user may open."""
    with httpx.Client(base_url=base_url) as http:
        answer = http.post(
            "/graphql",
            json={"query": LOGIN, "variables": {"input": {"login": login, "password": password}}},
        )
        answer.raise_for_status()
        if answer.json()["data"]["login"]["__typename"] != "LoginSuccess":
            raise SystemExit(f"login as {login} refused: {answer.text}")
        cookie = "; ".join(f"{name}={value}" for name, value in http.cookies.items())
        edges = http.post("/graphql", json={"query": A_CUSTOMER}).json()["data"]["customers"][
            "edges"
        ]
        if not edges:
            raise SystemExit("no customer found: seed the demo data (`baton seed --demo`)")
        return cookie, str(edges[0]["node"]["id"])


# Lighthouse now and then fails to see the navigation start in Chromium's trace (NO_NAVSTART) and
# gives up on that page; the next attempt on the same page measures normally.
ATTEMPTS = 3


class LighthouseFailed(Exception):
    """Lighthouse ran but could not measure the page (its report's `runtimeError`)."""


def run_lighthouse(url: str, cookie: str, report: Path) -> dict[str, Any]:
    """The report of one run, trying again when Lighthouse could not measure the page."""
    for attempt in range(1, ATTEMPTS):
        try:
            return run_lighthouse_once(url, cookie, report)
        except LighthouseFailed as failure:
            print(f"  {url}: {failure}; trying again ({attempt + 1}/{ATTEMPTS})", flush=True)
    return run_lighthouse_once(url, cookie, report)  # the last attempt's failure ends the bench


def run_lighthouse_once(url: str, cookie: str, report: Path) -> dict[str, Any]:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    command = [
        "npx",
        "--yes",
        LIGHTHOUSE,
        url,
        "--quiet",
        "--only-categories=performance",
        "--output=json",
        f"--output-path={report}",
        f"--extra-headers={json.dumps({'Cookie': cookie})}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    report.unlink(missing_ok=True)  # so a failed run cannot be read as the last one's report
    completed = subprocess.run(command, env=env, cwd=ROOT)
    # On a runtime error (NO_NAVSTART and the like) Lighthouse still writes the report, with
    # `runtimeError` and no score, then exits non-zero.
    result: dict[str, Any] = json.loads(report.read_text()) if report.exists() else {}
    if error := result.get("runtimeError"):
        raise LighthouseFailed(str(error.get("code", error)))
    if completed.returncode != 0 or not result:
        raise SystemExit(f"Lighthouse exited with {completed.returncode} on {url}")
    return result


def summary(result: dict[str, Any]) -> dict[str, Any]:
    audits = result["audits"]
    bootup = audits["bootup-time"]["details"]["items"]
    scripts = sorted(bootup, key=lambda item: -item.get("scripting", 0))[:3]
    return {
        "score": round(result["categories"]["performance"]["score"] * 100),
        "tbt": audits["total-blocking-time"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "scripts": [
            (Path(item["url"]).name or item["url"], item.get("scripting", 0)) for item in scripts
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--login", default="manager.a")
    parser.add_argument("--password", default="baton-demo")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    cookie, customer = sign_in(args.url, args.login, args.password)
    pages = {"today": "/", "record": f"/customers/{customer}"}
    out = ROOT / "var" / "lighthouse"
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for run in range(1, args.runs + 1):
        for name, path in pages.items():
            load = os.getloadavg()[0]
            result = summary(run_lighthouse(args.url + path, cookie, out / f"{name}-{run}.json"))
            rows.append((name, run, load, result))
            print(format_row(name, run, load, result), flush=True)

    print(f"\nLighthouse {LIGHTHOUSE.split('@')[1]} mobile, signed in as {args.login}, {args.url}")
    print("page     run  load  score   TBT ms   LCP ms   FCP ms  most scripting (ms)")
    for row in rows:
        print(format_row(*row))
    for name in pages:
        scores = [result["score"] for page, _run, _load, result in rows if page == name]
        tbts = [result["tbt"] for page, _run, _load, result in rows if page == name]
        print(f"{name}: score {min(scores)}–{max(scores)}, TBT {min(tbts):.0f}–{max(tbts):.0f} ms")
    return 0


def format_row(name: str, run: int, load: float, result: dict[str, Any]) -> str:
    scripts = ", ".join(f"{script} {ms:.0f}" for script, ms in result["scripts"])
    return (
        f"{name:<8} {run:>3} {load:>5.1f} {result['score']:>6} {result['tbt']:>8.0f} "
        f"{result['lcp']:>8.0f} {result['fcp']:>8.0f}  {scripts}"
    )


if __name__ == "__main__":
    sys.exit(main())
