"""How a dispatcher pushes: batch and lease, sends in flight, retries, and the flood rules
(a digest when many alerts wait, a cap on pushes per user)."""

from dataclasses import dataclass
from datetime import timedelta

from baton.settings import Settings


def _default(name: str) -> int:
    """A setting's default (README documents them there), so the policy states none again."""
    value: int = Settings.model_fields[name].default
    return value


@dataclass(frozen=True)
class DispatchPolicy:
    sub: str  # the VAPID contact
    batch_size: int = _default("push_batch_size")
    # Sends in flight per push service (origin); measured best on 2 cores for one service.
    concurrency: int = _default("push_concurrency")
    time_limit: float = _default("push_timeout_seconds")
    # The claim lease, renewed every third of it while the batch is sending.
    claim_seconds: float = _default("push_claim_seconds")
    # Unanswered sends in a row (timeouts, network errors) before an origin is backed off.
    origin_failures: int = 3
    max_attempts: int = _default("push_max_attempts")
    backoff: timedelta = timedelta(seconds=_default("push_backoff_seconds"))
    backoff_max: timedelta = timedelta(seconds=_default("push_backoff_max_seconds"))
    digest_threshold: int = _default("push_digest_threshold")
    digest_window: timedelta = timedelta(minutes=_default("push_digest_window_minutes"))
    rate_cap: int = _default("push_rate_cap")
    rate_window: timedelta = timedelta(minutes=_default("push_rate_window_minutes"))

    @property
    def claim_for(self) -> timedelta:
        return timedelta(seconds=self.claim_seconds)

    @classmethod
    def from_settings(cls, settings: Settings) -> "DispatchPolicy":
        return cls(
            sub=settings.vapid_subject,
            batch_size=settings.push_batch_size,
            concurrency=settings.push_concurrency,
            time_limit=settings.push_timeout_seconds,
            claim_seconds=settings.push_claim_seconds,
            max_attempts=settings.push_max_attempts,
            backoff=timedelta(seconds=settings.push_backoff_seconds),
            backoff_max=timedelta(seconds=settings.push_backoff_max_seconds),
            digest_threshold=settings.push_digest_threshold,
            digest_window=timedelta(minutes=settings.push_digest_window_minutes),
            rate_cap=settings.push_rate_cap,
            rate_window=timedelta(minutes=settings.push_rate_window_minutes),
        )
