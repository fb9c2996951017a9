"""Server texts (服务端文案): what the server says, in the reader's language.

Nothing the server writes is stored as a sentence. A task, an alert or a timeline event keeps a
kind and its parameters; `render` turns a catalogue key and those parameters into zh-CN or
English when the row is read (the API) or sent (a push). The catalogues sit beside this file
(`zh-CN.json`, `en.json`) with keys in the PWA's style ("task.welcome_callback").

Template syntax, kept small on purpose:
- `{name}` a parameter; a parameter that is itself `{"key": ..., "params": {...}}` is a text
  rendered in place (a task's subject inside an alert title).
- `{name:date}` an ISO date (`date.unset` when null); `{name:time}` an ISO instant in the
  reader's time zone; `{name:relative}` an ISO instant as a day from the reader's now, in their
  time zone ("today at 14:00", "in 3 days", "2 days late": `when.*`; the `time` form for a
  reader without a now); `{name:list}` items joined; `{name:lines}` one bullet per item, at most
  LINES_SHOWN, then how many more.
- `{name:@prefix}` the catalogue text `prefix.<value>` (an enum, a bool as true/false, a
  count), else `prefix.other`; rendered with the same parameters. A list maps each item.
- `[ ... ]` an optional part, left out when any parameter inside it is empty.
"""

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

LANGUAGES = ("zh-CN", "en")
FALLBACK_LANGUAGE = "zh-CN"
LINES_SHOWN = 5
_FIELD = re.compile(r"\{(\w+)(?::([^{}]*))?\}")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_HERE = Path(__file__).parent

Params = Mapping[str, Any]


def language_of(preference: str | None) -> str:
    """One of LANGUAGES for a user's stored preference ("en-GB" reads English)."""
    if preference and preference.lower().startswith("en"):
        return "en"
    return FALLBACK_LANGUAGE


def accepted_language(header: str | None) -> str:
    """One of LANGUAGES for an Accept-Language header: the most wanted of the languages the
    server speaks ("en-US,en;q=0.9" reads English); zh-CN when none is asked for."""
    wanted: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            weight = 0.0
        tag = tag.strip().lower()
        if weight > 0 and (tag.startswith("en") or tag.startswith("zh")):
            wanted.append((-weight, index, tag))
    return language_of(min(wanted)[2]) if wanted else FALLBACK_LANGUAGE


@cache
def catalogue(language: str) -> dict[str, str]:
    loaded: dict[str, str] = json.loads((_HERE / f"{language}.json").read_text("utf-8"))
    return loaded


def has_text(key: str) -> bool:
    return key in catalogue(FALLBACK_LANGUAGE)


@dataclass(frozen=True)
class Reader:
    """Whom a text is rendered for: their language, their store's time zone and when they read
    it (a push: when it is sent; the API: the request's time), for times said relative to it."""

    language: str
    time_zone: str
    now: datetime | None = None

    def say(self, key: str, params: Params) -> str:
        return render(key, params, self.language, time_zone=self.time_zone, now=self.now)


def render(
    key: str, params: Params, language: str, *, time_zone: str, now: datetime | None = None
) -> str:
    """The text `key` with `params` in `language`; a key missing from both catalogues shows
    as itself rather than failing a read or a push."""
    language = language_of(language)
    template = _template(key, language)
    if template is None:
        # A kind the catalogue does not know yet reads as its family's generic text.
        template = _template(key.rsplit(".", 1)[0] + ".other", language)
    if template is None:
        return key
    return _Filler(params, language, time_zone, now).fill(template)


def _template(key: str, language: str) -> str | None:
    found = catalogue(language).get(key)
    return found if found is not None else catalogue(FALLBACK_LANGUAGE).get(key)


class _Filler:
    def __init__(self, params: Params, language: str, time_zone: str, now: datetime | None) -> None:
        self.params = params
        self.language = language
        self.time_zone = time_zone
        self.now = now

    def fill(self, template: str) -> str:
        kept = _OPTIONAL.sub(self._optional, template)
        return _FIELD.sub(lambda m: self._value(m.group(1), m.group(2) or ""), kept)

    def _optional(self, match: re.Match[str]) -> str:
        inner = match.group(1)
        names = [name for name, _ in _FIELD.findall(inner)]
        return "" if any(_is_empty(self.params.get(name)) for name in names) else inner

    def _value(self, name: str, spec: str) -> str:
        value = self.params.get(name)
        if spec.startswith("@"):
            if isinstance(value, list):
                return self._join([self._choice(spec[1:], item) for item in value])
            return self._choice(spec[1:], value)
        if spec == "date":
            return _date_text(value) if value else self._text("date.unset")
        if spec == "time":
            return self._time_text(value) if value else ""
        if spec == "relative":
            return self._relative_text(value) if value else ""
        if spec == "list":
            return self._join([self._plain(item) for item in _items(value)])
        if spec == "lines":
            return self._lines([self._plain(item) for item in _items(value)])
        return self._plain(value)

    def _plain(self, value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, Mapping) and "key" in value:
            return self._render(str(value["key"]), value.get("params") or {})
        return str(value)

    def _choice(self, prefix: str, value: object) -> str:
        choice = str(value).lower() if isinstance(value, bool) else str(value)
        key = f"{prefix}.{choice}"
        if not has_text(key):
            key = f"{prefix}.other"
        return self._render(key, {**self.params, "value": value})

    def _text(self, key: str) -> str:
        return self._render(key, self.params)

    def _render(self, key: str, params: Params) -> str:
        return render(key, params, self.language, time_zone=self.time_zone, now=self.now)

    def _join(self, items: Sequence[str]) -> str:
        return self._text("list.separator").join(item for item in items if item)

    def _lines(self, items: Sequence[str]) -> str:
        shown = [f"• {item}" for item in items[:LINES_SHOWN]]
        rest = len(items) - LINES_SHOWN
        if rest > 0:
            shown.append(render("list.more", {"count": rest}, self.language, time_zone=""))
        return "\n".join(shown)

    def _time_text(self, value: object) -> str:
        moment = datetime.fromisoformat(str(value))
        local = moment.astimezone(ZoneInfo(self.time_zone))
        if self.language == "en":
            return f"{local.day} {local:%b %H:%M}"
        return f"{local.month}月{local.day}日 {local:%H:%M}"

    def _relative_text(self, value: object) -> str:
        """Calendar days between the reader's day and the instant's, in the reader's zone: a
        handover at 09:00 tomorrow is "tomorrow" at 23:00 tonight, not "in 10 h"."""
        if self.now is None:
            return self._time_text(value)
        zone = ZoneInfo(self.time_zone)
        local = datetime.fromisoformat(str(value)).astimezone(zone)
        days = (local.date() - self.now.astimezone(zone).date()).days
        clock = f"{local:%H:%M}"
        if days == 0:
            return self._render("when.today", {"clock": clock})
        if days == 1:
            return self._render("when.tomorrow", {"clock": clock})
        if days > 1:
            return self._choice("when.in_days", days)
        return self._choice("when.late", -days)


def _items(value: object) -> list[object]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _date_text(value: object) -> str:
    return date.fromisoformat(str(value)).isoformat()


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}
