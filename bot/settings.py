"""The one settings class. Environment variables ``LADO_*`` (nested with ``__``),
then a ``.env`` file in the working directory, then the defaults below.

Every setting is documented in ``.env.example`` (a test checks it). Defaults run
the embedded set-up (SQLite, a local mail folder) in ``dev``; in ``prod`` the
service refuses to start on placeholder secrets.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.teams.config import TeamsSettings
from dialogs.config import ChatSettings
from intake.config import AuthoritySettings
from intake.mail.config import MailSettings

DEV_SECRET = "dev-only-insecure-secret-change-me"  # noqa: S105 (a known placeholder)


class UnsafeSettings(Exception):
    """The settings must not be used (listed problems are safe to print)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class WebSettings(BaseModel):
    """The HTTP service and the officer sign-in (``LADO_WEB__*``)."""

    host: str = Field(default="127.0.0.1", description="Address `lado serve` listens on")
    port: int = Field(default=8080, ge=1, le=65535, description="Port `lado serve` listens on")
    session_idle_minutes: int = Field(
        default=60, ge=5, le=24 * 60, description="Officer session ends after this idle time"
    )
    session_max_hours: int = Field(
        default=10, ge=1, le=72, description="Officer session ends this long after sign-in"
    )
    login_max_failures: int = Field(
        default=5, ge=1, le=50, description="Failed sign-ins before the account is locked"
    )
    lockout_minutes: int = Field(
        default=15, ge=1, le=24 * 60, description="How long a locked account stays locked"
    )
    secure_cookies: bool | None = Field(
        default=None,
        description="Mark cookies Secure; default: on when LADO_BASE_URL is https",
    )
    max_request_kb: int = Field(
        default=256, ge=16, le=10240, description="Largest request body accepted, in KB"
    )


class TriageSettings(BaseModel):
    """The triage worker pool (``LADO_TRIAGE__*``)."""

    workers: int = Field(default=1, ge=1, le=32, description="Triage worker processes")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LADO_",
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    env: Literal["dev", "prod"] = Field(
        default="dev", description="dev (embedded defaults, demo data) or prod"
    )
    secret_key: SecretStr = Field(
        default=SecretStr(DEV_SECRET),
        description="Random secret (at least 32 characters) used to key token hashes; "
        "required in prod",
    )
    database_url: str = Field(
        default="sqlite:///var/lado.db",
        description="sqlite:///path/to/file.db or postgresql://user@host/db",
    )
    base_url: str = Field(
        default="http://127.0.0.1:8080",
        description="Public address of the service, used in links sent to officers",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Log level"
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="text for people, json for log collectors"
    )

    authority: AuthoritySettings = Field(default_factory=AuthoritySettings)
    web: WebSettings = Field(default_factory=WebSettings)
    triage: TriageSettings = Field(default_factory=TriageSettings)
    chat: ChatSettings = Field(default_factory=ChatSettings)
    mail: MailSettings = Field(default_factory=MailSettings)
    teams: TeamsSettings = Field(default_factory=TeamsSettings)

    @property
    def is_dev(self) -> bool:
        return self.env == "dev"

    @property
    def cookies_secure(self) -> bool:
        if self.web.secure_cookies is not None:
            return self.web.secure_cookies
        return self.base_url.lower().startswith("https://")

    def production_problems(self) -> list[str]:
        """What makes these settings unsafe to run in prod (empty when fine)."""
        problems: list[str] = []
        secret = self.secret_key.get_secret_value()
        if not secret or secret == DEV_SECRET:
            problems.append("LADO_SECRET_KEY is empty or the development default")
        elif len(secret) < 32:
            problems.append("LADO_SECRET_KEY must be at least 32 characters")
        if not self.base_url.lower().startswith("https://"):
            problems.append("LADO_BASE_URL must be an https:// address in prod")
        for name in type(self).model_fields:
            sub = getattr(self, name)
            check = getattr(sub, "production_problems", None)
            if isinstance(sub, BaseModel) and callable(check):
                problems.extend(check())
        return problems

    def check(self) -> None:
        """Raise UnsafeSettings when running in prod with unsafe settings."""
        if self.env == "prod":
            problems = self.production_problems()
            if problems:
                raise UnsafeSettings(problems)
