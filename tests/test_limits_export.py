"""frontend/src/lib/limits.generated.json is the export of the domain's text length limits:
regenerate it with `baton export-limits`."""

import json
from pathlib import Path

from baton.cli import text_limits

LIMITS_FILE = Path(__file__).parent.parent / "frontend" / "src" / "lib" / "limits.generated.json"


def test_the_pwas_length_limits_match_the_domains() -> None:
    assert json.loads(LIMITS_FILE.read_text()) == text_limits(), (
        "limits.generated.json is stale: run `.venv/bin/baton export-limits > "
        "frontend/src/lib/limits.generated.json`"
    )


def test_every_text_field_the_domain_checks_has_its_limit() -> None:
    limits = text_limits()
    assert limits["cases.COMMENT_MAX"] == 2000
    assert limits["search.SEARCH_MAX"] == 64
    assert len(limits) > 20 and all(isinstance(v, int) and v > 0 for v in limits.values())
