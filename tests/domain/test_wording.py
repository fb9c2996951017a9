"""What a Today card says beyond the task's kind (task_details): the facts staff typed."""

from baton.db.models import BriefKind, HandoverBrief, Task
from baton.domain.tasks import PREPARE_PROMISED_ITEMS
from baton.domain.wording import task_details


def _task(kind: str, **params: object) -> Task:
    return Task(kind=kind, params={"customer": "张伟", **params}, order_id=7)


def _brief(kind: BriefKind, **fields: str) -> HandoverBrief:
    return HandoverBrief(
        kind=kind,
        personality=fields.get("personality", ""),
        special_needs=fields.get("special_needs", ""),
        concerns=fields.get("concerns", ""),
        issues=fields.get("issues", ""),
    )


def test_prepare_items_lists_the_pending_items_and_the_sales_brief() -> None:
    sales = _brief(BriefKind.SALES_TO_DELIVERY, special_needs="想学自动泊车和哨兵模式")
    task = _task(PREPARE_PROMISED_ITEMS)
    assert task_details(task, ["全车脚垫", "充电桩"], [sales]) == [
        "全车脚垫",
        "充电桩",
        "想学自动泊车和哨兵模式",
    ]


def test_the_service_brief_task_carries_what_the_customer_raised_at_handover() -> None:
    task = _task("brief_service_advisor", issues="想了解自动泊车和哨兵模式")
    assert task_details(task) == ["想了解自动泊车和哨兵模式"]


def test_the_welcome_call_reads_the_delivery_brief_not_the_sales_one() -> None:
    briefs = [
        _brief(BriefKind.SALES_TO_DELIVERY, personality="话少"),
        _brief(BriefKind.DELIVERY_TO_SERVICE, issues="后备箱异响"),
    ]
    assert task_details(_task("welcome_callback"), None, briefs) == ["后备箱异响"]


def test_a_task_with_nothing_typed_has_no_details() -> None:
    assert task_details(_task("sales_follow_up_call"), None, []) == []
    assert task_details(_task("brief_service_advisor", issues="  ")) == []


def test_the_welcome_call_carries_what_the_customer_raised_at_the_handover() -> None:
    task = _task("welcome_callback")
    assert task_details(task, None, [], handover_issues="想了解自动泊车和哨兵模式") == [
        "想了解自动泊车和哨兵模式"
    ]
