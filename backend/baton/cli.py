"""The `baton` command: serve, migrate, seed --demo, create-user, export-schema, worker, vapid,
backup and restore."""

import argparse
import asyncio
import getpass
import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from baton.settings import get_settings


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    if args.migrate:
        _migrate(args)
    uvicorn.run(
        "baton.app:create_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        log_level=settings.log_level.lower(),
        proxy_headers=True,
    )
    return 0


def _migrate(_args: argparse.Namespace) -> int:
    from baton.db.engine import create_engine
    from baton.db.migrate import upgrade

    settings = get_settings()
    _ensure_sqlite_folder(settings.database_url)

    async def run() -> None:
        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()

    asyncio.run(run())
    return 0


def _ensure_sqlite_folder(database_url: str) -> None:
    from pathlib import Path

    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def _seed(args: argparse.Namespace) -> int:
    from baton.db.engine import create_engine, create_sessionmaker
    from baton.demo import DEMO_PASSWORD, seed_demo

    if not args.demo:
        print("only --demo data exists so far", file=sys.stderr)
        return 2
    settings = get_settings()

    async def run() -> list[tuple[str, str, str]]:
        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                return await seed_demo(session)
        finally:
            await engine.dispose()

    logins = asyncio.run(run())
    if not logins:
        print("demo data already present")
        return 0
    print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for username, role, store in logins:
        print(f"  {username:<14} {role:<20} {store}")
    return 0


def _create_user(args: argparse.Namespace) -> int:
    from baton.db.engine import create_engine, create_sessionmaker
    from baton.db.models import Role
    from baton.domain.staff import create_staff_user

    settings = get_settings()
    password = args.password or getpass.getpass("password: ")

    async def run() -> None:
        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                await create_staff_user(
                    session,
                    username=args.username,
                    password=password,
                    display_name=args.name or args.username,
                    role=Role(args.role),
                    store_code=args.store,
                    region_code=args.region,
                    phone=args.phone,
                    now=datetime.now(UTC),
                )
                await session.commit()
        finally:
            await engine.dispose()

    asyncio.run(run())
    print(f"created {args.username}")
    return 0


def _export_schema(_args: argparse.Namespace) -> int:
    from baton.api.schema import build_schema

    sys.stdout.write(build_schema().as_str() + "\n")
    return 0


def text_limits() -> dict[str, int]:
    """The length limit of every text field the domain checks (`FieldChecks.text(...,
    max_length=NAME_MAX)`), by noun or journey and constant ("cases.COMMENT_MAX",
    "journeys.handover.ISSUES_MAX"; a noun's package counts as one, whichever of its modules
    declares the limit): what the PWA's inputs take as their maxlength, so the two never
    disagree."""
    import ast
    import importlib
    import inspect
    import pkgutil

    import baton.domain

    limits: dict[str, int] = {}
    for found in pkgutil.walk_packages(baton.domain.__path__, "baton.domain."):
        module = importlib.import_module(found.name)
        parts = found.name.removeprefix("baton.domain.").split(".")
        owner = ".".join(parts[:2] if parts[0] == "journeys" else parts[:1])
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            for keyword in node.keywords if isinstance(node, ast.Call) else []:
                if keyword.arg == "max_length" and isinstance(keyword.value, ast.Name):
                    name = f"{owner}.{keyword.value.id}"
                    value = int(getattr(module, keyword.value.id))
                    if limits.setdefault(name, value) != value:
                        raise ValueError(f"two limits are named {name}")
    return dict(sorted(limits.items()))


def pwa_rules() -> dict[str, object]:
    """The rules the PWA offers choices by, as the domain states them: each promise status's
    allowed moves by kind of due, and the moves that need the customer's signature."""
    from baton.db.models import PromiseDue, PromiseStatus
    from baton.domain.promises import CONSENTED, allowed_moves

    return {
        "promise.moves": {
            status.name: {
                due.name: [m.name for m in allowed_moves(status, due)] for due in PromiseDue
            }
            for status in PromiseStatus
        },
        "promise.consented": sorted(status.name for status in CONSENTED),
    }


def _export_rules(_args: argparse.Namespace) -> int:
    sys.stdout.write(json.dumps(pwa_rules(), indent=2) + "\n")
    return 0


def _export_limits(_args: argparse.Namespace) -> int:
    sys.stdout.write(json.dumps(text_limits(), indent=2) + "\n")
    return 0


def _worker(_args: argparse.Namespace) -> int:
    import signal

    from baton.clock import SystemClock
    from baton.db.engine import create_engine, create_sessionmaker
    from baton.notify.worker import run_worker

    settings = get_settings()

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        engine = create_engine(settings.database_url)
        try:
            await run_worker(create_sessionmaker(engine), settings, SystemClock(), stop)
        finally:
            await engine.dispose()

    # uvloop, as `baton serve` gets from uvicorn: a tenth less CPU per push (bench/README.md).
    try:
        import uvloop
    except ImportError:  # not built for this platform
        asyncio.run(run())
    else:
        uvloop.run(run())
    return 0


def _backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from baton.db.backup import BackupError, backup

    try:
        backup(get_settings().database_url, Path(args.path))
    except BackupError as error:
        print(f"baton backup: {error}", file=sys.stderr)
        return 2
    print(f"backed up to {args.path}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from baton.db.backup import BackupError, restore

    try:
        restore(Path(args.path), get_settings().database_url, force=args.force)
    except BackupError as error:
        print(f"baton restore: {error}", file=sys.stderr)
        return 2
    print(f"restored {args.path}")
    return 0


def _vapid(args: argparse.Namespace) -> int:
    from baton.notify.vapid import generate_vapid_keys, save_vapid_keys

    path = get_settings().vapid_private_key_file
    if args.if_missing and path.exists():
        # `make demo` runs this every time: the key that devices subscribed with must stay.
        print(f"VAPID private key kept: {path}")
        return 0
    keys = generate_vapid_keys()
    try:
        save_vapid_keys(keys, path, overwrite=args.force)
    except FileExistsError:
        print(
            f"{path} exists; a new key orphans every subscribed device (--force to replace)",
            file=sys.stderr,
        )
        return 1
    print(f"VAPID private key written to {path} (keep it out of the repository)")
    print(f"applicationServerKey: {keys.application_server_key}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    from baton.db.models import Role
    from baton.domain.errors import DomainError
    from baton.texts import render

    logging.basicConfig(level=get_settings().log_level, format="%(levelname)s %(name)s %(message)s")
    parser = argparse.ArgumentParser(prog="baton", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the web app (uvicorn)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--migrate", action="store_true", help="migrate the database first")
    serve.set_defaults(run=_serve)

    commands.add_parser("migrate", help="upgrade the database to the latest schema").set_defaults(
        run=_migrate
    )

    seed = commands.add_parser("seed", help="load data")
    seed.add_argument("--demo", action="store_true", help="one region, two stores, ~200 customers")
    seed.set_defaults(run=_seed)

    user = commands.add_parser("create-user", help="add a staff member")
    user.add_argument("--username", required=True)
    user.add_argument("--password", help="asked for when left out")
    user.add_argument("--name")
    user.add_argument("--phone")
    user.add_argument("--role", required=True, choices=[r.value for r in Role])
    user.add_argument("--store", help="store code (store staff)")
    user.add_argument("--region", help="region code (regional directors)")
    user.set_defaults(run=_create_user)

    commands.add_parser("export-schema", help="print schema.graphql").set_defaults(
        run=_export_schema
    )

    commands.add_parser(
        "export-limits", help="print the text length limits (the PWA's limits.generated.json)"
    ).set_defaults(run=_export_limits)

    commands.add_parser(
        "export-rules", help="print the rules the PWA offers choices by (rules.generated.json)"
    ).set_defaults(run=_export_rules)

    commands.add_parser(
        "worker", help="run the reminder sweep and push dispatcher (BATON_DISPATCHER=off in serve)"
    ).set_defaults(run=_worker)

    backup = commands.add_parser("backup", help="copy the SQLite database, safe while serving")
    backup.add_argument("path", help="the backup file to write (must not exist)")
    backup.set_defaults(run=_backup)

    restore = commands.add_parser("restore", help="replace the SQLite database with a backup")
    restore.add_argument("path", help="a file written by `baton backup`")
    restore.add_argument("--force", action="store_true", help="replace an existing database")
    restore.set_defaults(run=_restore)

    vapid = commands.add_parser("vapid", help="generate the VAPID key pair for web push")
    replace = vapid.add_mutually_exclusive_group()
    replace.add_argument("--force", action="store_true", help="replace an existing key")
    replace.add_argument(
        "--if-missing", action="store_true", help="create the key only if there is none (demo)"
    )
    vapid.set_defaults(run=_vapid)

    args = parser.parse_args(argv)
    try:
        result: int = args.run(args)
    except DomainError as error:
        # An operator's typo is an answer, not a crash: no traceback.
        problems = getattr(error, "problems", [])
        message = "; ".join(
            f"{p.path}: {render(p.key, p.params, 'en', time_zone='UTC')}" for p in problems
        ) or render(error.key, error.params, "en", time_zone="UTC")
        print(f"baton {args.command}: {message}", file=sys.stderr)
        return 2
    return result


if __name__ == "__main__":
    raise SystemExit(main())
