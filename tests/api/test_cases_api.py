"""Cases over HTTP: raise at a delivery touchpoint as sales, see it land with delivery, fail
to bounce it, collaborate, close with the customer's confirmation, and read the measures."""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from baton.clock import ManualClock
from baton.db import models
from baton.domain.journeys.cases.escalation import sweep_escalations
from baton.ids import global_id
from tests.support.api import ApiClient
from tests.support.cases import OrgChart, org_chart, touchpoint
from tests.support.counts import row_counts
from tests.support.records import Record

MakeCustomer = Callable[..., Awaitable[Record]]
CASE = """id state level levelDueAt ownerDepartment version summary
  touchpoint { key name stage } owner { username } raisedBy { username }
  holders { username } collaborators { department user { username } }
  comments { text author { username } } viewerCanClose held { level department seconds }"""
RAISE = f"""mutation($i: RaiseCaseInput!) {{ raiseCase(input: $i) {{ __typename
  ... on CaseSuccess {{ case {{ {CASE} }} }}
  ... on ValidationError {{ fields {{ path code }} }}
  ... on NotFoundError {{ path }} }} }}"""
REASSIGN = """mutation($i: ReassignCaseInput!) { reassignCase(input: $i) { __typename
  ... on RuleViolationError { reasons { code message } } } }"""
CLOSE = f"""mutation($i: CloseCaseInput!) {{ closeCase(input: $i) {{ __typename
  ... on CaseSuccess {{ case {{ {CASE} resolution confirmedBy confirmedVia resolvedLevel }} }}
  ... on ValidationError {{ fields {{ path }} }} }} }}"""


async def raise_one(api: ApiClient, org: OrgChart, customer_id: int, key: str) -> dict[str, Any]:
    await api.login(org.sales.user.username)
    data = await api.data(
        RAISE,
        {
            "i": {
                "customerId": global_id("Customer", customer_id),
                "touchpointId": global_id(
                    "Touchpoint", await touchpoint(api.session, api.world, key)
                ),
                "summary": "临牌没办好，客户明天出差",
                "clientMutationId": f"raise-{customer_id}-{key}",
            }
        },
    )
    assert data["raiseCase"]["__typename"] == "CaseSuccess", data
    case: dict[str, Any] = data["raiseCase"]["case"]
    return case


async def test_a_case_raised_by_sales_lands_with_delivery_and_cannot_be_bounced(
    api: ApiClient, make_customer: MakeCustomer, clock: ManualClock
) -> None:
    org = await org_chart(api.session, api.world)
    record = await make_customer()
    await api.login(org.sales.user.username)
    draft = await api.data(
        "query($c: ID!) { caseDraft(customerId: $c) { suggested { key } touchpoints { key } } }",
        {"c": global_id("Customer", record.customer.id)},
    )
    assert draft["caseDraft"]["suggested"] == {"key": "showroom_enquiry"}
    assert len(draft["caseDraft"]["touchpoints"]) == 33

    case = await raise_one(api, org, record.customer.id, "temporary_plate")
    assert case["ownerDepartment"] == "DELIVERY" and case["level"] == 1
    assert case["owner"]["username"] == org.delivery_supervisor.user.username
    assert case["holders"] == [{"username": org.delivery_supervisor.user.username}]
    assert case["viewerCanClose"] is False  # the raiser does not close someone else's case

    await api.login(org.delivery_supervisor.user.username)
    mine = await api.data("{ myCases { id level levelDueAt } }")
    assert [c["id"] for c in mine["myCases"]] == [case["id"]]

    before = await row_counts(api.session, models.Case, models.CaseCollaborator)
    for target in ({"toUserId": global_id("User", org.sales.id)}, {"toDepartment": "SALES"}):
        refused = await api.data(REASSIGN, {"i": {"caseId": case["id"], **target}})
        assert refused["reassignCase"] == {
            "__typename": "RuleViolationError",
            "reasons": [
                {
                    "code": "owner_keeps_case",
                    "message": "负责部门保留工单；请改为添加协助部门",
                }
            ],
        }
    assert await row_counts(api.session, models.Case, models.CaseCollaborator) == before
    stored = await api.session.scalar(select(models.Case).execution_options(populate_existing=True))
    assert stored is not None and stored.bounce_attempts == 2
    assert stored.owner_department is models.Department.DELIVERY

    added = await api.data(
        """mutation($i: AddCaseCollaboratorInput!) { addCaseCollaborator(input: $i) {
          __typename ... on CaseSuccess { case { collaborators { department } } } } }""",
        {"i": {"caseId": case["id"], "department": "SALES"}},
    )
    assert added["addCaseCollaborator"]["case"]["collaborators"] == [{"department": "SALES"}]

    await api.login(org.sales_supervisor.user.username)
    commented = await api.data(
        """mutation($i: CommentOnCaseInput!) { commentOnCase(input: $i) {
          __typename ... on CaseSuccess { case { comments { text } } } } }""",
        {"i": {"caseId": case["id"], "text": "我去车管所问问"}},
    )
    assert commented["commentOnCase"]["case"]["comments"] == [{"text": "我去车管所问问"}]

    await api.login(org.sales.user.username)
    forbidden = await api.data(
        CLOSE,
        {
            "i": {
                "caseId": case["id"],
                "version": case["version"],
                "resolution": "办好了",
                "confirmedBy": "张伟",
                "confirmedVia": "PHONE",
            }
        },
    )
    assert forbidden["closeCase"]["__typename"] == "ForbiddenError"

    await api.login(org.delivery_supervisor.user.username)
    invalid = await api.data(
        CLOSE,
        {
            "i": {
                "caseId": case["id"],
                "version": case["version"],
                "resolution": "",
                "confirmedBy": "张伟",
                "confirmedVia": None,
            }
        },
    )
    assert {f["path"] for f in invalid["closeCase"]["fields"]} == {
        "input.resolution",
        "input.confirmedVia",
    }
    clock.advance(timedelta(hours=6))
    closed = await api.data(
        CLOSE,
        {
            "i": {
                "caseId": case["id"],
                "version": stored.version,
                "resolution": "临牌已办好，客户到店取走",
                "confirmedBy": "张伟本人",
                "confirmedVia": "IN_PERSON",
            }
        },
    )
    result = closed["closeCase"]["case"]
    assert result["state"] == "CLOSED" and result["resolvedLevel"] == 1
    assert result["confirmedVia"] == "IN_PERSON" and result["holders"] == []
    assert result["held"] == [{"level": 1, "department": "DELIVERY", "seconds": 6 * 3600}]

    measures = await api.data(
        """query { caseMeasures(from: "2026-11-23", to: "2026-11-23") {
          raised byTouchpoint { key count } byDepartment { department count }
          resolvedAtLevel { level resolved share } medianHoursToResolve reopenRate
          bounceAttemptsRefused hoursByDepartment { department hours } } }"""
    )
    assert measures["caseMeasures"] == {
        "raised": 1,
        "byTouchpoint": [{"key": "temporary_plate", "count": 1}],
        "byDepartment": [{"department": "DELIVERY", "count": 1}],
        "resolvedAtLevel": [
            {"level": 1, "resolved": 1, "share": 1.0},
            {"level": 2, "resolved": 0, "share": 0.0},
            {"level": 3, "resolved": 0, "share": 0.0},
        ],
        "medianHoursToResolve": 6.0,
        "reopenRate": 0.0,
        "bounceAttemptsRefused": 2,
        "hoursByDepartment": [{"department": "DELIVERY", "hours": 6.0}],
    }


async def test_the_journey_map_shows_owners_and_open_cases_in_the_viewers_language(
    api: ApiClient, make_customer: MakeCustomer
) -> None:
    org = await org_chart(api.session, api.world)
    record = await make_customer()
    await raise_one(api, org, record.customer.id, "temporary_plate")
    await api.login(org.delivery.user.username)
    data = await api.data(
        "{ journeyMap { openCases touchpoint { number name stage ownerDepartment "
        "crossDepartment collaboratingDepartments owner { id } } } }"
    )
    rows = data["journeyMap"]
    assert len(rows) == 33
    plate = rows[13]
    assert plate["touchpoint"]["name"] == "临牌" and plate["openCases"] == 1
    assert plate["touchpoint"]["collaboratingDepartments"] == ["SALES"]
    assert sum(r["touchpoint"]["crossDepartment"] for r in rows) == 18


async def test_my_cases_costs_the_same_statements_for_one_case_or_many(
    api: ApiClient, make_customer: MakeCustomer, clock: ManualClock
) -> None:
    org = await org_chart(api.session, api.world)
    query = "{ myCases { " + CASE + " customer { name } } }"
    first = await make_customer(name="一号")
    await raise_one(api, org, first.customer.id, "temporary_plate")
    await api.login(org.delivery_supervisor.user.username)
    with api.count_statements() as few:
        await api.data(query)
    for n in range(6):
        other = await make_customer(name=f"客户{n}")
        await raise_one(api, org, other.customer.id, "vehicle_inspection")
    await sweep_escalations(api.session, now=clock.now() + timedelta(days=1))
    await api.login(org.delivery_supervisor.user.username)
    with api.count_statements() as many:
        data = await api.data(query)
    assert len(data["myCases"]) == 7
    assert len(many) == len(few), (len(few), len(many))
    assert len(many) <= 10, len(many)
