"""Backups (备份) of the embedded SQLite database, safe while the app serves.

SQLite's online backup API copies a consistent snapshot page by page while other connections
keep writing (WAL mode), so `baton backup` needs no downtime. Restoring replaces the database
file and is done with the app stopped. PostgreSQL has its own tools: `pg_dump -Fc` and
`pg_restore` (README.md, "Backups")."""

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

PAGES_PER_STEP = 1024


class BackupError(Exception):
    """An operator's mistake (wrong database kind, existing target): said, not a traceback."""


def sqlite_file(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise BackupError(
            "baton backup/restore work on the SQLite file; for PostgreSQL use "
            "pg_dump -Fc and pg_restore (README.md, Backups)"
        )
    return Path(str(url.database))


def backup(database_url: str, target: Path) -> None:
    """A consistent copy of the serving database at `target` (which must not exist yet)."""
    source = sqlite_file(database_url)
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    if target.exists():
        raise BackupError(f"{target} exists; a backup never overwrites")
    _copy(source, target)


def restore(backup_file: Path, database_url: str, *, force: bool) -> None:
    """Replace the database with `backup_file`; stop the app first. An existing database is
    only replaced with `force`."""
    target = sqlite_file(database_url)
    if not _is_baton_database(backup_file):
        raise BackupError(f"{backup_file} is not a Baton SQLite backup")
    if target.exists() and not force:
        raise BackupError(f"{target} exists; stop the app and pass --force to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(backup_file, target)


def _copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as reading, sqlite3.connect(target) as writing:
        reading.backup(writing, pages=PAGES_PER_STEP)
    # sqlite3's context manager commits but does not close.
    reading.close()
    writing.close()


def _is_baton_database(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            found = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
        connection.close()
    except sqlite3.DatabaseError:
        return False
    return found is not None
