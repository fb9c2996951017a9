"""frontend/src/lib/rules.generated.json is the export of the rules the PWA offers choices by:
regenerate it with `baton export-rules`."""

import json
from pathlib import Path

from baton.cli import pwa_rules

RULES_FILE = Path(__file__).parent.parent / "frontend" / "src" / "lib" / "rules.generated.json"


def test_the_pwas_rules_match_the_domains() -> None:
    assert json.loads(RULES_FILE.read_text()) == pwa_rules(), (
        "rules.generated.json is stale: run `.venv/bin/baton export-rules > "
        "frontend/src/lib/rules.generated.json`"
    )


def test_an_entitlement_is_only_waived_or_cancelled_and_a_settled_promise_goes_nowhere() -> None:
    moves = pwa_rules()["promise.moves"]
    assert isinstance(moves, dict)
    assert moves["PENDING"]["ENTITLEMENT"] == ["WAIVED", "CANCELLED"]
    assert "FULFILLED" in moves["PENDING"]["AT_HANDOVER"]
    assert all(
        moves[settled][due] == []
        for settled in ("FULFILLED", "WAIVED", "CANCELLED")
        for due in moves[settled]
    )
