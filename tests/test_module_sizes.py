"""A module fits on a few screens: none over 400 lines, in the backend or the PWA, outside
migrations and generated files; a feature that outgrows one splits by noun."""

from pathlib import Path

ROOT = Path(__file__).parent.parent
MAX_LINES = 400
# Migrations are history, written once; graphql-env.d.ts is generated from schema.graphql.
EXEMPT = ("backend/baton/db/migrations/", "frontend/src/graphql-env.d.ts")


def sources() -> list[Path]:
    found = [*(ROOT / "backend" / "baton").rglob("*.py")]
    for suffix in ("*.ts", "*.tsx"):
        found += (ROOT / "frontend" / "src").rglob(suffix)
    return [path for path in found if not str(path.relative_to(ROOT)).startswith(EXEMPT)]


def test_no_module_is_over_400_lines() -> None:
    modules = sources()
    assert len(modules) > 200
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in modules
        if (lines := len(path.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}
