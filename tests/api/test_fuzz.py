"""Any input, from the schema, answers a typed error or data: never "internal error", never 5xx.

Hypothesis writes documents for every query and mutation field of schema.graphql with arbitrary
arguments (hypothesis-graphql), cursors and IDs included; each role sends them signed in."""

from pathlib import Path
from typing import Any

import graphql
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, queries

from tests.support.api import ApiClient

SCHEMA = graphql.build_schema((Path(__file__).parents[2] / "schema.graphql").read_text())
EXAMPLES_PER_FIELD = 6
ROLES = ("service_advisor", "store_manager", "technician")


def _string(values: st.SearchStrategy[str]) -> st.SearchStrategy[graphql.ValueNode]:
    return values.map(lambda value: graphql.StringValueNode(value=value))


# Scalars the generator cannot know: well-formed values and garbage alike.
SCALARS: dict[str, st.SearchStrategy[graphql.ValueNode]] = {
    "Date": _string(st.dates().map(str) | st.text(max_size=12)),
    "DateTime": _string(st.datetimes().map(lambda d: d.isoformat()) | st.text(max_size=20)),
    "JSON": _string(st.text(max_size=40)),
}


def documents(strategy_of: Any, field: str) -> list[str]:
    found: list[str] = []

    @seed(20261202)
    @settings(
        max_examples=EXAMPLES_PER_FIELD,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy_of(SCHEMA, fields=[field], custom_scalars=SCALARS))
    def collect(document: str) -> None:
        found.append(document)

    collect()
    return found


def fields_of(root: graphql.GraphQLObjectType | None) -> list[str]:
    return sorted(root.fields) if root else []


CASES = [(name, queries) for name in fields_of(SCHEMA.query_type)] + [
    (name, mutations) for name in fields_of(SCHEMA.mutation_type) if name != "logout"
]


@pytest.mark.parametrize(("field", "strategy_of"), CASES, ids=[name for name, _ in CASES])
async def test_arbitrary_arguments_never_cause_an_internal_error(
    api: ApiClient, field: str, strategy_of: Any
) -> None:
    sent = documents(strategy_of, field)
    assert sent, field
    for role in ROLES:
        await api.login_as(role)
        for document in sent:
            response = await api.http.post("/graphql", json={"query": document})
            assert response.status_code < 500, (document, response.text)
            body = response.json()
            codes = [(e.get("extensions") or {}).get("code") for e in body.get("errors", [])]
            assert "INTERNAL" not in codes, (document, body)
