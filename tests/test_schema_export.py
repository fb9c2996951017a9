"""schema.graphql is the export of the code's schema: regenerate it with `baton export-schema`."""

from pathlib import Path

from baton.api.schema import build_schema

SCHEMA_FILE = Path(__file__).parent.parent / "schema.graphql"


def test_schema_graphql_matches_the_code() -> None:
    exported = build_schema().as_str() + "\n"
    assert SCHEMA_FILE.read_text() == exported, (
        "schema.graphql is stale: run `.venv/bin/baton export-schema > schema.graphql`"
    )
