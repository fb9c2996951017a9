"""The push payload: what the PWA's service worker receives (documented in README.md).

    {"title": str, "body": str, "url": "/in-app/path", "tag": str,
     "alertId": str | null, "kind": str, "count": int}

`title` and `body` are in the user's language; `url` is a path inside the app; `tag` is the
notification tag (a newer push with the same tag replaces the older one on the device);
`alertId` is the inbox entry's global ID (null for a digest); `count` is how many alerts the
push stands for (1, or the digest's size). The JSON stays under MAX_PAYLOAD_BYTES before
encryption: long bodies are cut at a line and end with how many lines were left out.
"""

import json
from dataclasses import dataclass

from baton.db.models import Alert, AlertKind
from baton.domain.wording import AlertFacts, alert_wording
from baton.ids import global_id
from baton.notify.webpush import MAX_PAYLOAD_BYTES
from baton.texts import Reader

DIGEST_TAG = "digest"
DIGEST_LINES = 5


@dataclass(frozen=True)
class Payload:
    title: str
    body: str
    url: str
    tag: str
    alert_id: str | None
    kind: str
    count: int = 1

    def encode(self, limit: int = MAX_PAYLOAD_BYTES) -> bytes:
        """JSON under `limit` bytes: the body loses whole lines first, then characters."""
        data = self._json(self.body)
        if len(data) <= limit:
            return data
        lines = self.body.split("\n")
        for keep in range(len(lines) - 1, 0, -1):
            dropped = len(lines) - keep
            data = self._json("\n".join([*lines[:keep], f"(+{dropped})"]))
            if len(data) <= limit:
                return data
        body = self.body
        while len(data) > limit and body:
            body = body[: max(0, len(body) - max(16, (len(data) - limit) // 2))]
            data = self._json(body + "…")
        return data

    def _json(self, body: str) -> bytes:
        return json.dumps(
            {
                "title": self.title,
                "body": body,
                "url": self.url,
                "tag": self.tag,
                "alertId": self.alert_id,
                "kind": self.kind,
                "count": self.count,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()


def words(reader: Reader, alert: Alert, facts: AlertFacts) -> tuple[str, str]:
    title, body = alert_wording(alert, facts.task, facts.pending)
    return reader.say(title.key, title.params), reader.say(body.key, body.params)


def alert_payload(alert: Alert, facts: AlertFacts, reader: Reader) -> Payload:
    """Worded when sent, so it says what holds then (e.g. the promises still pending)."""
    title, body = words(reader, alert, facts)
    return Payload(
        title=title,
        body=body,
        url=alert.url,
        tag=alert.tag,
        alert_id=global_id("Alert", alert.id),
        kind=alert.kind.value,
    )


def digest_payload(
    alerts: list[Alert], facts: dict[int, AlertFacts], count: int, reader: Reader
) -> Payload:
    """One push for a burst: "6 new: …", newest first, opening the inbox."""
    newest = sorted(alerts, key=lambda alert: alert.id, reverse=True)
    lines = [words(reader, alert, facts[alert.id])[0] for alert in newest[:DIGEST_LINES]]
    rest = len(newest) - len(lines)
    if rest > 0:
        lines.append(_say(reader, "alert.digest.more", count=rest))
    return Payload(
        title=_say(reader, "alert.digest.title", count=count),
        body="\n".join(lines),
        url="/inbox",
        tag=DIGEST_TAG,
        alert_id=None,
        kind="digest",
        count=count,
    )


def _say(reader: Reader, key: str, **params: object) -> str:
    return reader.say(key, params)


# How long a push service keeps trying to reach an offline device before dropping it.
TTL_SECONDS: dict[AlertKind, int] = {AlertKind.CUSTOMER_HERE: 3600}
DEFAULT_TTL_SECONDS = 24 * 3600


def ttl_seconds(kind: AlertKind) -> int:
    """How long a push of this kind is worth delivering: its TTL header, and its expiry."""
    return TTL_SECONDS.get(kind, DEFAULT_TTL_SECONDS)
