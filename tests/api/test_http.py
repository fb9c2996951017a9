"""GraphQL over HTTP: methods, status codes, content types, limits, login required."""

import pytest

from tests.support.api import ApiClient


async def test_malformed_json_is_400_with_a_json_error_body(api: ApiClient) -> None:
    response = await api.http.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b'[{"query": "{ me { id } }"}]', "application/json", 400),  # a batch
        (b'"{ me { id } }"', "application/json", 400),  # not an object
        (b'{"query": "{ me { id } }", "variables": [1]}', "application/json", 400),
        (b'{"query": "{ me { id } }", "operationName": 7}', "application/json", 400),
        (b'{"variables": {}}', "application/json", 400),  # no document
        (b'{"query": "query A { me { id } }", "operationName": "B"}', "application/json", 400),
        (b"{ me { id } }", "application/graphql", 415),
    ],
)
async def test_a_request_of_the_wrong_shape_is_refused_before_anything_runs(
    api: ApiClient, body: bytes, content_type: str, status: int
) -> None:
    await api.login_as("service_advisor")
    response = await api.http.post("/graphql", content=body, headers={"content-type": content_type})
    assert response.status_code == status
    assert response.json()["errors"][0]["message"]
    assert "data" not in response.json()


async def test_a_mutation_over_get_names_post_as_the_method_to_use(api: ApiClient) -> None:
    refused = await api.http.get("/graphql", params={"query": "mutation { logout { ok } }"})
    assert refused.status_code == 405 and refused.headers["allow"] == "POST"


async def test_query_over_get_works_but_a_mutation_over_get_is_refused(api: ApiClient) -> None:
    await api.login_as("service_advisor")
    ok = await api.http.get("/graphql", params={"query": "{ me { username } }"})
    assert ok.status_code == 200
    assert ok.json()["data"]["me"]["username"] == "service_advisor.a"
    refused = await api.http.get("/graphql", params={"query": "mutation { logout { ok } }"})
    assert refused.status_code == 405
    assert refused.json()["errors"]


async def test_every_query_except_login_needs_a_session(api: ApiClient) -> None:
    for query in (
        "{ me { id } }",
        '{ customers(search: "张") { edges { cursor } } }',
        "{ myTasks { today { id } } }",
        '{ node(id: "Q3VzdG9tZXI6MQ") { id } }',
    ):
        body = await api.gql(query)
        assert not any((body["data"] or {}).values()), query
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_every_mutation_needs_a_session(api: ApiClient) -> None:
    body = await api.gql(
        """mutation { createCustomer(input: {name: "王芳", phone: "13812345678"}) {
            __typename } }"""
    )
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_real_record_query_fits_the_depth_limit_but_a_deeper_one_is_refused(
    api: ApiClient,
) -> None:
    await api.login_as("service_advisor")
    record = (
        '{ customers(search: "张") { edges { node { timeline { edges { node { actor '
        "{ store { id } } } } } } } } }"
    )
    assert "errors" not in await api.gql(record)
    depth_bomb = (
        '{ node(id: "x") ' + "{ ... on ServiceVisit { vehicle " * 13 + "{ id }" + " } }" * 13 + " }"
    )
    body = await api.gql(depth_bomb)
    assert body["data"] is None
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


async def test_too_many_aliases_are_refused(api: ApiClient) -> None:
    await api.login_as("service_advisor")
    aliases = " ".join(f"a{i}: me {{ id }}" for i in range(31))
    body = await api.gql("{ " + aliases + " }")
    assert body["data"] is None
    assert "aliases" in body["errors"][0]["message"]


async def test_too_many_tokens_are_refused(api: ApiClient) -> None:
    await api.login_as("service_advisor")
    fields = " ".join("__typename" for _ in range(2100))
    body = await api.gql("{ " + fields + " }")
    assert body["data"] is None
    assert "token" in body["errors"][0]["message"].lower()


async def test_unexpected_error_is_generic_with_a_request_id(
    api: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The only patch in the suite: a bug is simulated to see how the API answers one."""
    from baton.domain import tasks

    async def broken(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError("secret internals: /srv/db password=hunter2")

    monkeypatch.setattr(tasks, "my_tasks", broken)
    await api.login_as("service_advisor")
    body = await api.gql("{ myTasks { today { id } } }")
    error = body["errors"][0]
    assert error["message"] == "internal error"
    assert error["extensions"]["code"] == "INTERNAL"
    assert error["extensions"]["requestId"]
    assert "hunter2" not in str(body)


async def test_several_root_fields_in_one_query_share_the_request_session(api: ApiClient) -> None:
    """Root fields resolve concurrently; on PostgreSQL they once raced to open a connection."""
    await api.login_as("service_advisor")
    for _ in range(3):
        data = await api.data(
            "{ me { username } myTasks { today { id } } unreadAlertCount "
            'customers(search: "张") { edges { cursor } } }'
        )
        assert data["me"]["username"] == "service_advisor.a"


CREATE = """mutation { createCustomer(input: {name: "周游", phone: "13700002222"}) {
  ... on CustomerSuccess { customer { id } } } }"""
LISTS = {
    "inbox": "query($c: String) { inbox(after: $c) { edges { cursor } } }",
    "customers": 'query($c: String) { customers(search: "周", after: $c) { edges { cursor } } }',
    "timeline": """query($c: String, $id: ID!) { customer(id: $id) {
      timeline(after: $c) { edges { cursor } } } }""",
}


# Not base64; base64 of "not-a-cursor"; of "2026-11-23|7" (a naive time); of "x|y"; padding.
@pytest.mark.parametrize("cursor", ["!!!", "bm90LWEtY3Vyc29y", "MjAyNi0xMS0yM3w3", "eHx5", "=" * 9])
async def test_a_cursor_that_is_not_ours_is_a_field_error_on_every_list(
    api: ApiClient, cursor: str
) -> None:
    await api.login_as("service_advisor")
    customer = (await api.data(CREATE))["createCustomer"]["customer"]["id"]
    for name, document in LISTS.items():
        body = await api.gql(document, {"c": cursor, "id": customer})
        [error] = body["errors"]
        assert error["extensions"]["code"] == "VALIDATIONFAILED", (name, body)
        assert error["extensions"]["fields"][0]["code"] == "bad_cursor", name


async def test_a_padded_document_is_refused_by_its_size_with_413(api: ApiClient) -> None:
    await api.login_as("service_advisor")
    padded = "{ me { id } }\n#" + "x" * 100_000
    response = await api.http.post("/graphql", json={"query": padded})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    spaced = "{ me { id } }" + " " * 40_000
    assert (await api.http.post("/graphql", json={"query": spaced})).status_code == 413
    assert (await api.http.post("/graphql", json={"query": "{ me { id } }"})).status_code == 200


async def test_a_request_body_over_the_limit_is_refused_while_it_arrives(api: ApiClient) -> None:
    await api.login_as("service_advisor")
    variables = {"pad": "x" * 300_000}
    response = await api.http.post(
        "/graphql", json={"query": "{ me { id } }", "variables": variables}
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
