"""texts as params: tasks, alerts and timeline events keep a text's parameters, not a sentence

Adds `params` to tasks, alerts and timeline_events, turns every stored Chinese sentence into
the parameters of its catalogue text (baton/texts), then drops tasks.subject,
alerts.title_zh/title_en/body_zh/body_en and timeline_events.summary.

The old sentences were written by the producers of commit ae8bbd8 (domain/*.py, seed.py);
the parsers below read exactly those formats. Where a row points at the record the sentence
was made from (a customer, a delivery date change, a brief...), its columns are preferred:
they are whole where the sentence was cut at the column's length. A sentence that does not
parse keeps its text in the kind's main free-text parameter and is logged; one odd row never
fails the upgrade.

Downgrade renders the parameters back into the old columns with baton.texts (zh-CN for
subject, title_zh, body_zh, summary; en for title_en, body_en).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 09:00:00.000000
"""

import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

import baton.db.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("baton.migrations")

BATCH = 500
DEFAULT_TIME_ZONE = "Asia/Shanghai"
Params = dict[str, Any]
Row = sa.RowMapping

# --- the tables, as they stand at this revision (not the models, which move on) ----------

_UTC = baton.db.types.UTCDateTime(timezone=True)
tasks = sa.table(
    "tasks",
    sa.column("id", sa.Integer),
    sa.column("store_id", sa.Integer),
    sa.column("customer_id", sa.Integer),
    sa.column("order_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("subject", sa.String),
    sa.column("params", sa.JSON),
    sa.column("due_at", _UTC),
    sa.column("created_at", _UTC),
    sa.column("outcome", sa.String),
    sa.column("note", sa.Text),
)
alerts = sa.table(
    "alerts",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("subject_type", sa.String),
    sa.column("subject_id", sa.Integer),
    sa.column("customer_id", sa.Integer),
    sa.column("title_zh", sa.String),
    sa.column("title_en", sa.String),
    sa.column("body_zh", sa.Text),
    sa.column("body_en", sa.Text),
    sa.column("params", sa.JSON),
)
timeline_events = sa.table(
    "timeline_events",
    sa.column("id", sa.Integer),
    sa.column("customer_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("summary", sa.String),
    sa.column("params", sa.JSON),
    sa.column("subject_type", sa.String),
    sa.column("subject_id", sa.Integer),
)
customers = sa.table(
    "customers",
    sa.column("id", sa.Integer),
    sa.column("store_id", sa.Integer),
    sa.column("name", sa.String),
)
stores = sa.table("stores", sa.column("id", sa.Integer), sa.column("time_zone", sa.String))
users = sa.table("users", sa.column("id", sa.Integer), sa.column("store_id", sa.Integer))
orders = sa.table("orders", sa.column("id", sa.Integer), sa.column("model_name", sa.String))
deliveries = sa.table(
    "deliveries",
    sa.column("id", sa.Integer),
    sa.column("order_id", sa.Integer),
    sa.column("customer_issues", sa.Text),
    sa.column("final_signature_id", sa.Integer),
)
checklist_signatures = sa.table(
    "checklist_signatures",
    sa.column("id", sa.Integer),
    sa.column("checklist_version", sa.Integer),
    sa.column("signer_name", sa.String),
    sa.column("content", sa.JSON),
    sa.column("content_hash", sa.String),
)
delivery_date_changes = sa.table(
    "delivery_date_changes",
    sa.column("id", sa.Integer),
    sa.column("order_id", sa.Integer),
    sa.column("old_date", sa.Date),
    sa.column("new_date", sa.Date),
    sa.column("reason", sa.String),
    sa.column("customer_told", sa.Boolean),
    sa.column("customer_told_how", sa.String),
    sa.column("requested_at", _UTC),
    sa.column("decision_note", sa.String),
)
special_circumstances = sa.table(
    "special_circumstances",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("note", sa.String),
)
handover_briefs = sa.table(
    "handover_briefs",
    sa.column("id", sa.Integer),
    sa.column("personality", sa.Text),
    sa.column("special_needs", sa.Text),
    sa.column("concerns", sa.Text),
    sa.column("issues", sa.Text),
)
service_visits = sa.table(
    "service_visits", sa.column("id", sa.Integer), sa.column("complaint", sa.Text)
)

# The old column lengths: a sentence this long may have been cut.
SUBJECT_MAX = 200
SUMMARY_MAX = 500
TITLE_MAX = 200


# --- schema ------------------------------------------------------------------------------


def upgrade() -> None:
    for table in ("tasks", "alerts", "timeline_events"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("params", sa.JSON(), nullable=True))

    connection = op.get_bind()
    _upgrade_tasks(connection)
    _upgrade_alerts(connection)
    _upgrade_timeline(connection)

    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.alter_column("params", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("subject")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.alter_column("params", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("body_en")
        batch_op.drop_column("body_zh")
        batch_op.drop_column("title_en")
        batch_op.drop_column("title_zh")
    with op.batch_alter_table("timeline_events", schema=None) as batch_op:
        batch_op.alter_column("params", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("summary")


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject", sa.String(length=200), nullable=True))
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title_zh", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("title_en", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("body_zh", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("body_en", sa.Text(), nullable=True))
    with op.batch_alter_table("timeline_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("summary", sa.String(length=500), nullable=True))

    connection = op.get_bind()
    _downgrade_tasks(connection)
    _downgrade_alerts(connection)
    _downgrade_timeline(connection)

    with op.batch_alter_table("timeline_events", schema=None) as batch_op:
        batch_op.alter_column("summary", existing_type=sa.String(length=500), nullable=False)
        batch_op.drop_column("params")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.alter_column("title_zh", existing_type=sa.String(length=200), nullable=False)
        batch_op.alter_column("title_en", existing_type=sa.String(length=200), nullable=False)
        batch_op.alter_column("body_zh", existing_type=sa.Text(), nullable=False)
        batch_op.alter_column("body_en", existing_type=sa.Text(), nullable=False)
        batch_op.drop_column("params")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.alter_column("subject", existing_type=sa.String(length=200), nullable=False)
        batch_op.drop_column("params")


# --- reading and writing in batches ------------------------------------------------------


def _batches(
    connection: sa.Connection, query: sa.Select[Any], id_column: sa.ColumnElement[int]
) -> Iterator[list[Row]]:
    """`query` in pages of BATCH rows by ascending id (the query selects the id as "id")."""
    last: int | None = None
    while True:
        page = query if last is None else query.where(id_column > last)
        rows = list(connection.execute(page.order_by(id_column).limit(BATCH)).mappings())
        if not rows:
            return
        yield rows
        last = rows[-1]["id"]


def _by_id(
    connection: sa.Connection, query: sa.Select[Any], key: sa.ColumnElement[int], ids: set[int]
) -> dict[int, Row]:
    """The rows of `query` whose `key` is one of `ids`, by that key (selected as "key")."""
    found: dict[int, Row] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        for row in connection.execute(query.where(key.in_(chunk))).mappings():
            found[row["key"]] = row
    return found


def _write(connection: sa.Connection, table: sa.TableClause, values: list[dict[str, Any]]) -> None:
    """Set each row's new columns: `values` holds {"row_id": ..., "<column>": ...}."""
    if not values:
        return
    columns = [name for name in values[0] if name != "row_id"]
    statement = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("row_id"))
        .values({name: sa.bindparam(f"new_{name}", type_=table.c[name].type) for name in columns})
    )
    connection.execute(
        statement,
        [
            {"row_id": value["row_id"], **{f"new_{name}": value[name] for name in columns}}
            for value in values
        ],
    )


# --- sentences: the pieces the old producers used ---------------------------------------

_DATE = r"\d{4}-\d{2}-\d{2}"
_OLD_DATE = rf"{_DATE}|未定"


class _Odd(Exception):
    """A sentence that does not read as its kind's format; `params` is what could be kept."""

    def __init__(self, params: Params | None = None) -> None:
        super().__init__("does not parse")
        self.params = params


def _day(text: str | None) -> str | None:
    """An old date text ("2026-12-01", or "未定" for none) as an ISO date or None."""
    if text is None or text == "未定":
        return None
    return date.fromisoformat(text).isoformat()


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _whole(cut: str, full: str | None, limit: int) -> str:
    """`cut`, or the full text it was cut from at `limit` characters."""
    if full and len(cut) < len(full) and len(cut) >= limit and full.startswith(cut):
        return full
    return cut


# --- tasks -------------------------------------------------------------------------------

# The subject's head, per kind (domain/cadence.py, domain/delivery_dates.py at ae8bbd8).
TASK_LABELS = {
    "brief_delivery": "向交付专员简报客户",
    "three_way_intro": "客户、销售、交付三方介绍",
    "pre_delivery_care_call": "交付前关怀电话",
    "three_party_confirmation": "三方确认交付安排",
    "prepare_promised_items": "准备承诺物品",
    "brief_service_advisor": "向服务顾问交接客户",
    "welcome_callback": "新车主欢迎回访",
    "sales_follow_up_call": "交车后跟进电话",
    "first_service_reminder": "首保提醒并介绍服务顾问",
    "approve_delivery_date_change": "审批改期（客户有特殊情况）",
    "delivery_date_changed": "交付日期变更",
}
_APPROVE_SUBJECT = re.compile(
    rf"审批改期（客户有特殊情况）：(?P<name>.*)：(?P<old>{_OLD_DATE}) → (?P<new>{_DATE})", re.S
)
_CHANGED_SUBJECT = re.compile(
    rf"交付日期变更：(?P<name>.*)：(?P<old>{_OLD_DATE}) → (?P<new>{_DATE})"
    r"（(?P<told>已告知客户|客户尚未知晓，请联系)）",
    re.S,
)
_TOLD_TASK = {"已告知客户": True, "客户尚未知晓，请联系": False}


def _upgrade_tasks(connection: sa.Connection) -> None:
    query = (
        sa.select(
            tasks.c.id,
            tasks.c.kind,
            tasks.c.subject,
            tasks.c.order_id,
            tasks.c.created_at,
            customers.c.name.label("customer_name"),
            deliveries.c.customer_issues,
        )
        .select_from(tasks)
        .outerjoin(customers, customers.c.id == tasks.c.customer_id)
        .outerjoin(deliveries, deliveries.c.order_id == tasks.c.order_id)
    )
    for rows in _batches(connection, query, tasks.c.id):
        values = []
        for row in rows:
            try:
                params = _task_params(connection, row)
            except Exception:
                log.warning("0004: task %s (%s) kept only its customer", row["id"], row["kind"])
                log.debug("0004: task %s", row["id"], exc_info=True)
                name = row["customer_name"]
                params = {"customer": name} if name is not None else {}
            values.append({"row_id": row["id"], "params": params})
        _write(connection, tasks, values)


def _task_params(connection: sa.Connection, row: Row) -> Params:
    kind: str = row["kind"]
    subject: str = row["subject"] or ""
    name: str | None = row["customer_name"]
    label = TASK_LABELS.get(kind)
    rest = subject[len(label) + 1 :] if label and subject.startswith(f"{label}：") else None
    if kind == "approve_delivery_date_change" or kind == "delivery_date_changed":
        return _date_task_params(connection, row, name)
    if kind == "brief_service_advisor":
        if name is None:
            if rest is None:
                return {}
            name = rest.split("：", 1)[0]
        head = f"{label}：{name}"
        if subject == head:
            issues = ""
        elif subject.startswith(f"{head}："):
            issues = subject[len(head) + 1 :]
        else:  # renamed since: the issues follow the second "："
            parts = subject.split("：", 2)
            issues = parts[2] if len(parts) == 3 else ""
        if issues:
            issues = _whole(
                issues, row["customer_issues"], SUBJECT_MAX - len(subject) + len(issues)
            )
        return {"customer": name, "issues": issues}
    if name is None:
        if rest is None:
            return {}
        # prepare_promised_items listed the promises after the name; they are shown live now.
        name = rest.split("：", 1)[0] if kind == "prepare_promised_items" else rest
    if label is None:
        log.warning("0004: task %s of unknown kind %r: its subject is not kept", row["id"], kind)
    return {"customer": name}


def _date_task_params(connection: sa.Connection, row: Row, name: str | None) -> Params:
    kind: str = row["kind"]
    subject: str = row["subject"] or ""
    pattern = _APPROVE_SUBJECT if kind == "approve_delivery_date_change" else _CHANGED_SUBJECT
    match = pattern.fullmatch(subject)
    params: Params
    if match is not None:
        if name is None:
            name = match["name"]
        params = {"customer": name, "old_date": _day(match["old"]), "new_date": _day(match["new"])}
        if kind == "delivery_date_changed":
            params["customer_told"] = _TOLD_TASK[match["told"]]
        return params
    # Not the old wording: the change of the task's order requested last before the task.
    change = None
    if row["order_id"] is not None:
        change = (
            connection.execute(
                sa.select(delivery_date_changes)
                .where(
                    delivery_date_changes.c.order_id == row["order_id"],
                    delivery_date_changes.c.requested_at <= row["created_at"],
                )
                .order_by(delivery_date_changes.c.requested_at.desc(), delivery_date_changes.c.id)
                .limit(1)
            )
            .mappings()
            .first()
        )
    log.warning(
        "0004: task %s (%s) subject does not parse; dates from delivery date change %s",
        row["id"],
        kind,
        change["id"] if change else None,
    )
    params = {
        "old_date": _iso(change["old_date"]) if change else None,
        "new_date": _iso(change["new_date"]) if change else None,
    }
    if kind == "delivery_date_changed":
        params["customer_told"] = bool(change["customer_told"]) if change else False
    return {"customer": name, **params} if name is not None else params


# --- alerts ------------------------------------------------------------------------------

_OPEN_HEAD = re.compile(r"(\d+) 项承诺未兑现")
_MORE_LINE = re.compile(r"…另有 \d+ 项")
_NOTES = {"特殊情况进行中": "circumstance", "VIP": "vip"}


def _upgrade_alerts(connection: sa.Connection) -> None:
    query = (
        sa.select(
            alerts.c.id,
            alerts.c.kind,
            alerts.c.title_zh,
            alerts.c.body_zh,
            customers.c.name.label("customer_name"),
        )
        .select_from(alerts)
        .outerjoin(customers, customers.c.id == alerts.c.customer_id)
    )
    for rows in _batches(connection, query, alerts.c.id):
        values = []
        for row in rows:
            params: Params = {}
            if row["kind"] == "customer_here":
                try:
                    params = _customer_here(row)
                except Exception:
                    log.warning("0004: alert %s (customer_here) does not parse", row["id"])
                    name = row["customer_name"] or ""
                    params = {"customer": name, "open": 0, "notes": [], "promises": []}
            # Alerts about a task are worded from the task when read; other kinds had no
            # producer before this revision.
            values.append({"row_id": row["id"], "params": params})
        _write(connection, alerts, values)


def _customer_here(row: Row) -> Params:
    title: str = row["title_zh"] or ""
    name = row["customer_name"]
    if name is None:
        name = title.removeprefix("客户到店：")
    head, *lines = (row["body_zh"] or "").split("\n")
    first, *rest = head.split("；")
    promises: list[str] = []
    odd = False
    for line in lines:
        if line.startswith("• "):
            promises.append(line[2:])
        elif _MORE_LINE.fullmatch(line):
            continue
        elif promises:  # a description that ran over more than one line
            promises[-1] = f"{promises[-1]}\n{line}"
        else:
            odd = True
    match = _OPEN_HEAD.fullmatch(first)
    if match is not None:
        open_count = int(match[1])
    elif first == "无未兑现承诺":
        open_count = 0
    else:
        odd = True
        open_count = len(promises)
    notes = []
    for part in rest:
        if part in _NOTES:
            notes.append(_NOTES[part])
        else:
            odd = True
    if odd:
        log.warning("0004: alert %s (customer_here) body read in part", row["id"])
    return {"customer": name, "open": open_count, "notes": notes, "promises": promises}


# --- timeline events ---------------------------------------------------------------------

_CIRCUMSTANCES = ("sold_old_car", "took_leave", "business_trip", "other")
# The zh-CN catalogue's words at this revision, so a sentence the downgrade wrote reads back
# as the same parameters (a rollback and roll forward loses nothing).
_CIRCUMSTANCE_ZH = {"已卖旧车": "sold_old_car", "休假中": "took_leave", "出差中": "business_trip"}
_FIELD_ZH = {
    "姓名": "name",
    "电话": "phone",
    "地址": "address",
    "标签": "tags",
    "VIN": "vin",
    "车牌": "plate",
    "车型": "model_name",
}
_STATUS_ZH = {
    "待兑现": "pending",
    "部分兑现": "partially_fulfilled",
    "已兑现": "fulfilled",
    "已延期": "deferred",
    "已放弃": "waived",
    "已取消": "cancelled",
}
_STATUS_WORD = "|".join([*_STATUS_ZH, "[a-z_]+"])
_SUBMITTED = re.compile(rf"(?P<model>.*)，计划交付 (?P<date>{_DATE})", re.S)
_STATUS_CHANGED = re.compile(
    rf"(?P<promise>.*): (?P<old>[a-z_]+) → (?P<new>[a-z_]+)(?: \((?P<date>{_DATE})\))?", re.S
)
_STATUS_CHANGED_ZH = re.compile(
    rf"(?P<promise>.*)：(?P<old>{_STATUS_WORD}) → (?P<new>{_STATUS_WORD})(?:（(?P<date>{_DATE})）)?",
    re.S,
)
_SIGNED = re.compile(r"v(?P<version>\d+)，(?P<count>\d+) 项承诺，签字人 (?P<signer>.*)", re.S)
# " (hash)" as the old producer wrote it; "（hash）" as the catalogue (and downgrade) word it.
_HANDOVER = re.compile(
    r"(?P<model>.*)，清单 v(?P<version>\d+)(?: \(|（)(?P<hash>[0-9a-f]{12})(?:\)|）)"
    r"(?:；客户提出：(?P<issues>.*))?",
    re.S,
)
_USED = re.compile(r"(?P<promise>.*)：已用 (?P<used>\d+)/(?P<total>\d+)", re.S)
_DATE_CHANGE = re.compile(
    rf"(?P<old>{_OLD_DATE}) → (?P<new>{_DATE})，(?:已告知客户（(?P<how>.*?)）|尚未告知客户)"
    r"(?:；原因：(?P<reason>.*))?",
    re.S,
)
_DATE_DECISION = re.compile(
    rf"店长(?:批准|驳回)改期 (?P<old>{_OLD_DATE}) → (?P<new>{_DATE})(?:：(?P<note>.*))?", re.S
)


def _kept(kind: str, text: str) -> Params:
    """The parameters of a sentence that did not parse: its text in the main free-text one."""
    if kind in ("customer_updated", "vehicle_updated"):
        return {"fields": [text] if text else []}
    if kind in ("promise_added", "promise_updated"):
        return {"promise": text}
    if kind in ("brief_sales_to_delivery", "brief_delivery_to_service"):
        return {"notes": [text] if text else []}
    kept: dict[str, Params] = {
        "customer_created": {},
        "vehicle_added": {"model": text, "vin": ""},
        "special_circumstance": {"circumstance": "other", "note": text},
        "order_created": {"model": text},
        "order_submitted": {"model": text, "planned_delivery_date": None},
        "promise_status_changed": {"promise": text, "from": "", "to": "", "deferred_to": None},
        "checklist_signed": {"version": None, "count": None, "signer": text},
        "handover_completed": {"model": text, "version": None, "hash": "", "issues": ""},
        "service_check_in": {"complaint": text},
        "entitlement_used": {"promise": text, "used": None, "total": None},
        "task_completed": {
            "task": {"key": "task.other", "params": {}},
            "outcome": text,
            "note": "",
        },
        "delivery_date_change_requested": _date_change_kept(text),
        "delivery_date_changed": _date_change_kept(text),
        "delivery_date_change_approved": {"old_date": None, "new_date": None, "note": text},
        "delivery_date_change_rejected": {"old_date": None, "new_date": None, "note": text},
    }
    return kept.get(kind, {"text": text} if text else {})


def _date_change_kept(text: str) -> Params:
    return {
        "old_date": None,
        "new_date": None,
        "customer_told": False,
        "told_how": "",
        "reason": text,
    }


def _fields(text: str, row: Row | None) -> Params:
    if not text:
        return {"fields": []}
    words = text.split("；")
    if all(word in _FIELD_ZH for word in words):
        return {"fields": sorted(_FIELD_ZH[word] for word in words)}
    return {"fields": sorted(text.split(", "))}


def _customer_created(text: str, row: Row | None) -> Params:
    if text:
        raise _Odd()
    return {}


def _vehicle_added(text: str, row: Row | None) -> Params:
    model, space, vin = text.rpartition(" ")
    if not space or not model or not vin:
        raise _Odd()
    return {"model": model, "vin": vin}


def _special_circumstance(text: str, row: Row | None) -> Params:
    kind, colon, note = text.partition(": ")
    if text in _CIRCUMSTANCES:
        kind, note = text, ""
    elif not colon or kind not in _CIRCUMSTANCES:
        head, colon, note = text.partition("：")
        kind = _CIRCUMSTANCE_ZH.get(head, "")
    if row is not None:
        # The record itself: the note whole (the summary lost trailing ": " and was cut at
        # 500), and the kind where the seed wrote the note alone.
        recorded = {"circumstance": row["kind"], "note": row["note"] or ""}
        if not kind and text != row["note"]:  # the seed wrote the note alone
            raise _Odd(recorded)
        return recorded
    if not kind:
        raise _Odd()
    return {"circumstance": kind, "note": note}


def _order_created(text: str, row: Row | None) -> Params:
    return {"model": text}


def _order_submitted(text: str, row: Row | None) -> Params:
    match = _SUBMITTED.fullmatch(text)
    if match is None:
        raise _Odd()
    return {"model": match["model"], "planned_delivery_date": _day(match["date"])}


def _promise(text: str, row: Row | None) -> Params:
    return {"promise": text}


def _promise_status_changed(text: str, row: Row | None) -> Params:
    match = _STATUS_CHANGED.fullmatch(text) or _STATUS_CHANGED_ZH.fullmatch(text)
    if match is None:
        raise _Odd()
    return {
        "promise": match["promise"],
        "from": _STATUS_ZH.get(match["old"], match["old"]),
        "to": _STATUS_ZH.get(match["new"], match["new"]),
        "deferred_to": _day(match["date"]),
    }


def _checklist_signed(text: str, row: Row | None) -> Params:
    match = _SIGNED.fullmatch(text)
    if match is not None:
        return {
            "version": int(match["version"]),
            "count": int(match["count"]),
            "signer": match["signer"],
        }
    if row is None:
        raise _Odd()
    content = row["content"] if isinstance(row["content"], Mapping) else {}
    raise _Odd(
        {
            "version": row["checklist_version"],
            "count": len(content.get("promises") or []),
            "signer": row["signer_name"],
        }
    )


def _handover_completed(text: str, row: Row | None) -> Params:
    match = _HANDOVER.fullmatch(text)
    issues_then = row["customer_issues"] if row is not None else None
    if match is not None:
        issues = match["issues"] or ""
        if issues:
            issues = _whole(issues, issues_then, SUMMARY_MAX - len(text) + len(issues))
        return {
            "model": match["model"],
            "version": int(match["version"]),
            "hash": match["hash"],
            "issues": issues,
        }
    # The seed wrote the model alone, about the order; the delivery may know the rest (its
    # deliveries were never signed for: no version, no hash).
    if row is None:
        raise _Odd()
    hash_then = row["content_hash"]
    recorded = {
        "model": text or row["model_name"] or "",
        "version": row["checklist_version"],
        "hash": hash_then[:12] if hash_then else "",
        "issues": issues_then or "",
    }
    if text != row["model_name"]:
        raise _Odd(recorded)
    return recorded


def _brief(text: str, row: Row | None) -> Params:
    notes = text.split("；") if text else []
    if row is not None:
        fields = [row[name] for name in ("personality", "special_needs", "concerns", "issues")]
        written = [value for value in fields if value]
        # The brief itself, when it is what the summary said: whole, and split by field.
        if "；".join(written)[:SUMMARY_MAX] == text:
            return {"notes": written}
    return {"notes": notes}


def _service_check_in(text: str, row: Row | None) -> Params:
    return {"complaint": _whole(text, row["complaint"] if row else None, SUMMARY_MAX)}


def _entitlement_used(text: str, row: Row | None) -> Params:
    match = _USED.fullmatch(text)
    if match is None:
        raise _Odd()
    return {
        "promise": match["promise"],
        "used": int(match["used"]),
        "total": int(match["total"]),
    }


def _task_completed(text: str, row: Row | None) -> Params:
    if row is None:
        raise _Odd()
    task = {"key": f"task.{row['kind']}", "params": row["params"] or {}}
    outcome, note = row["outcome"], row["note"]
    if outcome is None:
        # Closed without the columns: read them off the summary after the task's subject.
        rest = text.removeprefix(f"{row['subject']}：")
        outcome, paren, note = rest.partition("（")
        note = note.removesuffix("）") if paren else ""
    return {"task": task, "outcome": outcome, "note": note or ""}


def _date_change(text: str, row: Row | None) -> Params:
    if row is not None:
        return {
            "old_date": _iso(row["old_date"]),
            "new_date": _iso(row["new_date"]),
            "customer_told": bool(row["customer_told"]),
            "told_how": row["customer_told_how"] or "",
            "reason": row["reason"] or "",
        }
    match = _DATE_CHANGE.fullmatch(text)
    if match is None:
        raise _Odd()
    return {
        "old_date": _day(match["old"]),
        "new_date": _day(match["new"]),
        "customer_told": match["how"] is not None,
        "told_how": match["how"] or "",
        "reason": match["reason"] or "",
    }


def _date_decision(text: str, row: Row | None) -> Params:
    if row is not None:
        return {
            "old_date": _iso(row["old_date"]),
            "new_date": _iso(row["new_date"]),
            "note": row["decision_note"] or "",
        }
    match = _DATE_DECISION.fullmatch(text)
    if match is None:
        raise _Odd()
    return {
        "old_date": _day(match["old"]),
        "new_date": _day(match["new"]),
        "note": match["note"] or "",
    }


Reader = Callable[[str, Row | None], Params]

# kind: (the subject_type whose row helps, how the summary reads)
EVENT_READERS: dict[str, tuple[str | None, Reader]] = {
    "customer_created": (None, _customer_created),
    "customer_updated": (None, _fields),
    "vehicle_added": (None, _vehicle_added),
    "vehicle_updated": (None, _fields),
    "special_circumstance": ("SpecialCircumstance", _special_circumstance),
    "order_created": (None, _order_created),
    "order_submitted": (None, _order_submitted),
    "promise_added": (None, _promise),
    "promise_updated": (None, _promise),
    "promise_status_changed": (None, _promise_status_changed),
    "checklist_signed": ("ChecklistSignature", _checklist_signed),
    "handover_completed": ("Delivery", _handover_completed),
    "brief_sales_to_delivery": ("HandoverBrief", _brief),
    "brief_delivery_to_service": ("HandoverBrief", _brief),
    "service_check_in": ("ServiceVisit", _service_check_in),
    "entitlement_used": (None, _entitlement_used),
    "task_completed": ("Task", _task_completed),
    "delivery_date_change_requested": ("DeliveryDateChange", _date_change),
    "delivery_date_changed": ("DeliveryDateChange", _date_change),
    "delivery_date_change_approved": ("DeliveryDateChange", _date_decision),
    "delivery_date_change_rejected": ("DeliveryDateChange", _date_decision),
}

_handover_rows = (
    sa.select(
        deliveries.c.customer_issues,
        orders.c.model_name,
        checklist_signatures.c.checklist_version,
        checklist_signatures.c.content_hash,
    )
    .select_from(deliveries)
    .join(orders, orders.c.id == deliveries.c.order_id)
    .outerjoin(checklist_signatures, checklist_signatures.c.id == deliveries.c.final_signature_id)
)
# subject_type: the rows a summary may be read with, keyed by the event's subject_id.
SUBJECT_ROWS: dict[str, tuple[sa.Select[Any], sa.ColumnElement[int]]] = {
    "SpecialCircumstance": (
        sa.select(special_circumstances, special_circumstances.c.id.label("key")),
        special_circumstances.c.id,
    ),
    "ChecklistSignature": (
        sa.select(checklist_signatures, checklist_signatures.c.id.label("key")),
        checklist_signatures.c.id,
    ),
    "Delivery": (_handover_rows.add_columns(deliveries.c.id.label("key")), deliveries.c.id),
    # The seed's handover_completed is about the order.
    "Order": (
        _handover_rows.add_columns(deliveries.c.order_id.label("key")),
        deliveries.c.order_id,
    ),
    "HandoverBrief": (
        sa.select(handover_briefs, handover_briefs.c.id.label("key")),
        handover_briefs.c.id,
    ),
    "ServiceVisit": (
        sa.select(service_visits, service_visits.c.id.label("key")),
        service_visits.c.id,
    ),
    "Task": (
        sa.select(
            tasks.c.kind,
            tasks.c.params,
            tasks.c.subject,
            tasks.c.outcome,
            tasks.c.note,
            tasks.c.id.label("key"),
        ),
        tasks.c.id,
    ),
    "DeliveryDateChange": (
        sa.select(delivery_date_changes, delivery_date_changes.c.id.label("key")),
        delivery_date_changes.c.id,
    ),
}


def _helping_type(kind: str, subject_type: str | None) -> str | None:
    wanted = EVENT_READERS[kind][0] if kind in EVENT_READERS else None
    if wanted is not None and subject_type == wanted:
        return wanted
    if kind == "handover_completed" and subject_type == "Order":
        return "Order"
    return None


def _upgrade_timeline(connection: sa.Connection) -> None:
    query = sa.select(
        timeline_events.c.id,
        timeline_events.c.kind,
        timeline_events.c.summary,
        timeline_events.c.subject_type,
        timeline_events.c.subject_id,
    )
    for rows in _batches(connection, query, timeline_events.c.id):
        wanted: dict[str, set[int]] = {}
        for row in rows:
            helping = _helping_type(row["kind"], row["subject_type"])
            if helping is not None and row["subject_id"] is not None:
                wanted.setdefault(helping, set()).add(row["subject_id"])
        found = {
            subject_type: _by_id(connection, *SUBJECT_ROWS[subject_type], ids)
            for subject_type, ids in wanted.items()
        }
        values = []
        for row in rows:
            helping = _helping_type(row["kind"], row["subject_type"])
            subject = found.get(helping or "", {}).get(row["subject_id"])
            values.append({"row_id": row["id"], "params": _event_params(row, subject)})
        _write(connection, timeline_events, values)


def _event_params(row: Row, subject: Row | None) -> Params:
    kind: str = row["kind"]
    text: str = row["summary"] or ""
    reader = EVENT_READERS.get(kind)
    if reader is None:
        log.warning("0004: timeline event %s of unknown kind %r: text kept", row["id"], kind)
        return _kept(kind, text)
    try:
        return reader[1](text, subject)
    except _Odd as odd:
        kept = odd.params
    except Exception:
        log.debug("0004: timeline event %s", row["id"], exc_info=True)
        kept = None
    log.warning(
        "0004: timeline event %s (%s) does not parse: %s",
        row["id"],
        kind,
        "read from its subject" if kept is not None else "text kept",
    )
    return kept if kept is not None else _kept(kind, text)


# --- downgrade: the parameters rendered back into sentences ------------------------------


def _known(value: Any) -> Any:
    """`value` with every text parameter the catalogue lacks ("task.<new kind>") made its
    family's generic text, as the readers show it."""
    from baton.texts import has_text

    if isinstance(value, Mapping):
        if "key" in value and isinstance(value["key"], str) and not has_text(value["key"]):
            return {**value, "key": value["key"].rsplit(".", 1)[0] + ".other"}
        return {name: _known(item) for name, item in value.items()}
    if isinstance(value, list):
        return [_known(item) for item in value]
    return value


def _render(key: str, params: Mapping[str, Any], language: str, time_zone: str) -> str:
    from baton.texts import render

    return render(key, _known(params), language, time_zone=time_zone or DEFAULT_TIME_ZONE)


def _task_key(kind: str) -> str:
    from baton.texts import has_text

    return f"task.{kind}" if has_text(f"task.{kind}") else "task.other"


def _downgrade_tasks(connection: sa.Connection) -> None:
    query = (
        sa.select(tasks.c.id, tasks.c.kind, tasks.c.params, stores.c.time_zone)
        .select_from(tasks)
        .outerjoin(stores, stores.c.id == tasks.c.store_id)
    )
    for rows in _batches(connection, query, tasks.c.id):
        values = [
            {
                "row_id": row["id"],
                "subject": _render(
                    _task_key(row["kind"]), row["params"] or {}, "zh-CN", row["time_zone"]
                )[:SUBJECT_MAX],
            }
            for row in rows
        ]
        _write(connection, tasks, values)


def _downgrade_alerts(connection: sa.Connection) -> None:
    from baton.texts import has_text

    query = (
        sa.select(
            alerts.c.id,
            alerts.c.kind,
            alerts.c.params,
            alerts.c.subject_type,
            alerts.c.subject_id,
            stores.c.time_zone,
        )
        .select_from(alerts)
        .outerjoin(users, users.c.id == alerts.c.user_id)
        .outerjoin(stores, stores.c.id == users.c.store_id)
    )
    task_rows = (
        sa.select(
            tasks.c.kind,
            tasks.c.params,
            tasks.c.due_at,
            stores.c.time_zone,
            tasks.c.id.label("key"),
        )
        .select_from(tasks)
        .outerjoin(stores, stores.c.id == tasks.c.store_id)
    )
    for rows in _batches(connection, query, alerts.c.id):
        task_ids = {
            r["subject_id"] for r in rows if r["subject_type"] == "Task" and r["subject_id"]
        }
        found = _by_id(connection, task_rows, tasks.c.id, task_ids)
        values = []
        for row in rows:
            params: Params = dict(row["params"] or {})
            time_zone = row["time_zone"]
            task = found.get(row["subject_id"]) if row["subject_type"] == "Task" else None
            if task is not None:
                # As the readers word an alert about a task: from the task as it is.
                params = {
                    "task": {"key": _task_key(task["kind"]), "params": task["params"] or {}},
                    "due_at": task["due_at"].isoformat(),
                    **params,
                }
                time_zone = task["time_zone"] or time_zone
            title, body = f"alert.{row['kind']}.title", f"alert.{row['kind']}.body"
            text: dict[str, Any] = {"row_id": row["id"]}
            for language, suffix in (("zh-CN", "zh"), ("en", "en")):
                text[f"title_{suffix}"] = (
                    _render(title, params, language, time_zone) if has_text(title) else row["kind"]
                )[:TITLE_MAX]
                text[f"body_{suffix}"] = (
                    _render(body, params, language, time_zone) if has_text(body) else ""
                )
            values.append(text)
        _write(connection, alerts, values)


def _downgrade_timeline(connection: sa.Connection) -> None:
    from baton.texts import has_text

    query = (
        sa.select(
            timeline_events.c.id,
            timeline_events.c.kind,
            timeline_events.c.params,
            stores.c.time_zone,
        )
        .select_from(timeline_events)
        .outerjoin(customers, customers.c.id == timeline_events.c.customer_id)
        .outerjoin(stores, stores.c.id == customers.c.store_id)
    )
    for rows in _batches(connection, query, timeline_events.c.id):
        values = []
        for row in rows:
            key = f"timeline.{row['kind']}"
            params = row["params"] or {}
            if has_text(key):
                summary = _render(key, params, "zh-CN", row["time_zone"])
            else:  # a kind the catalogue lacks kept its sentence as "text"
                summary = str(params.get("text", ""))
            values.append({"row_id": row["id"], "summary": summary[:SUMMARY_MAX]})
        _write(connection, timeline_events, values)
