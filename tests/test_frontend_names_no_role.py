"""The PWA never names a role outside its label catalogue: what a user may do comes from the
server (`me.abilities`, `viewerCan`), so a rule cannot be worked out again on the phone."""

import re
from pathlib import Path

from baton.db.models import Department, Role

SOURCE = Path(__file__).parent.parent / "frontend" / "src"
# Generated from schema.graphql, which lists the Role enum itself.
GENERATED = {"graphql-env.d.ts"}
# A role whose name is also a department's (parts) cannot be told apart in a literal.
NAMED = sorted({role.value for role in Role} - {d.value for d in Department})
ALTERNATIVES = "|".join(n for name in NAMED for n in (name, name.upper()))
LITERAL = re.compile(rf"""['"`]({ALTERNATIVES})['"`]""")


def role_literals(text: str) -> list[str]:
    return [match.group(1) for match in LITERAL.finditer(text)]


def test_the_check_finds_a_role_written_in_a_screen() -> None:
    assert role_literals("if (user.role === 'STORE_MANAGER') {") == ["STORE_MANAGER"]
    assert role_literals('new Set(["SALES_CONSULTANT", "ADMIN"])') == [
        "SALES_CONSULTANT",
        "ADMIN",
    ]
    assert role_literals("t(`role.${user.role}`)") == []


def test_no_role_name_is_written_in_frontend_src() -> None:
    sources = [
        path
        for path in SOURCE.rglob("*")
        if path.suffix in {".ts", ".tsx"} and path.name not in GENERATED
    ]
    assert len(sources) > 50
    found = {
        str(path.relative_to(SOURCE)): names
        for path in sources
        if (names := role_literals(path.read_text("utf-8")))
    }
    assert found == {}
