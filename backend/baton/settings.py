"""Settings: one object, read from BATON_* environment variables (documented in README.md)."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BATON_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./var/baton.db"
    host: str = "127.0.0.1"
    port: int = 8000
    # Behind a TLS-terminating proxy the app sees http; this forces Secure cookies anyway.
    secure_cookies: bool = False
    session_days: int = Field(default=14, ge=1, le=90)
    login_max_failures_per_account: int = 5
    login_max_failures_per_address: int = 20
    login_window_minutes: int = 15
    default_time_zone: str = "Asia/Shanghai"
    default_phone_region: str = "CN"
    frontend_dist: Path = Path("frontend/dist")
    log_level: str = "INFO"
    graphql_max_depth: int = 12
    graphql_max_aliases: int = 30
    graphql_max_tokens: int = 2000
    # Bytes: a signature's strokes (64 KB of JSON) fit the body; no operation needs 32 KB.
    graphql_max_body_bytes: int = Field(default=256 * 1024, ge=1024)
    graphql_max_document_bytes: int = Field(default=32 * 1024, ge=256)
    # Evidence photos live on disk, not in the database.
    upload_dir: Path = Path("var/uploads")
    upload_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)

    # Alerts and web push (notify/). The VAPID private key lives outside the repository.
    vapid_private_key_file: Path = Path("var/vapid_private.pem")
    vapid_subject: str = "mailto:push@baton.example"
    # Push endpoints accepted at subscribe: https hosts, "*." for any subdomain (no SSRF).
    push_allowed_hosts: str = (
        "fcm.googleapis.com,updates.push.services.mozilla.com,*.notify.windows.com,"
        "web.push.apple.com,*.push.apple.com"
    )
    # Tests and development only: also accept http://127.0.0.1 / localhost endpoints.
    push_allow_loopback: bool = False
    # "off" runs no dispatcher inside `baton serve` (run `baton worker` instead).
    dispatcher: bool = True
    dispatcher_poll_seconds: float = Field(default=1.0, gt=0)
    push_concurrency: int = Field(default=10, ge=1, le=100)
    push_batch_size: int = Field(default=200, ge=1, le=2000)
    push_timeout_seconds: float = Field(default=10.0, gt=0)
    # A claim is a lease renewed while sending: a dead dispatcher's batch waits this long.
    push_claim_seconds: float = Field(default=15.0, ge=1)
    push_max_attempts: int = Field(default=6, ge=1)
    push_backoff_seconds: int = Field(default=30, ge=1)
    push_backoff_max_seconds: int = Field(default=3600, ge=1)
    push_digest_threshold: int = Field(default=5, ge=1)
    push_digest_window_minutes: int = Field(default=10, ge=1)
    push_rate_cap: int = Field(default=10, ge=1)
    push_rate_window_minutes: int = Field(default=10, ge=1)
    alert_due_soon_minutes: int = Field(default=120, ge=1)
    reminder_sweep_seconds: float = Field(default=60.0, gt=0)

    @property
    def push_allowed_host_patterns(self) -> tuple[str, ...]:
        return tuple(h.strip().lower() for h in self.push_allowed_hosts.split(",") if h.strip())


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
