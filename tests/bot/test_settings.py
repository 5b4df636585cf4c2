"""Settings: every one documented, plain database URLs, prod refuses placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from bot.settings import DEV_SECRET, Settings, UnsafeSettings
from store.engine import DatabaseURLError, async_url

ROOT = Path(__file__).resolve().parents[2]


def _env_names(model: type[BaseModel], prefix: str = "LADO_") -> list[str]:
    names = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names.extend(_env_names(annotation, f"{prefix}{name.upper()}__"))
        else:
            names.append(f"{prefix}{name.upper()}")
    return names


def test_every_setting_is_documented_in_env_example() -> None:
    documented = set(re.findall(r"^(LADO_[A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    expected = set(_env_names(Settings))
    assert expected - documented == set(), "settings missing from .env.example"
    assert documented - expected == set(), ".env.example lists settings that do not exist"


def test_every_setting_has_a_description() -> None:
    def walk(model: type[BaseModel], path: str) -> list[str]:
        missing = []
        for name, field in model.model_fields.items():
            annotation = field.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                missing += walk(annotation, f"{path}{name}.")
            elif not field.description:
                missing.append(path + name)
        return missing

    assert walk(Settings, "") == []


def test_nested_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LADO_WEB__PORT", "9090")
    monkeypatch.setenv("LADO_AUTHORITY__NOTIFICATION_DEADLINE", "24h")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.web.port == 9090
    assert settings.authority.notification_deadline == "24h"


@pytest.mark.parametrize("secret", ["", DEV_SECRET, "short"])
def test_prod_refuses_placeholder_secrets(secret: str) -> None:
    settings = Settings(
        _env_file=None, env="prod", secret_key=secret, base_url="https://lado.example.gov.uk"
    )  # type: ignore[call-arg]
    with pytest.raises(UnsafeSettings, match="LADO_SECRET_KEY"):
        settings.check()


def test_prod_accepts_a_real_secret_and_dev_accepts_defaults() -> None:
    Settings(
        _env_file=None, env="prod", secret_key="x" * 40, base_url="https://lado.example.gov.uk"
    ).check()  # type: ignore[call-arg]
    Settings(_env_file=None).check()  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("plain", "driver"),
    [
        ("sqlite:///var/lado.db", "sqlite+aiosqlite"),
        ("postgresql://lado@db.internal/lado", "postgresql+psycopg"),
        ("postgres://lado:pw@db.internal:5433/lado", "postgresql+psycopg"),
        ("postgresql+psycopg://lado@db/lado", "postgresql+psycopg"),
    ],
)
def test_plain_database_urls_get_an_async_driver(plain: str, driver: str) -> None:
    assert async_url(plain).drivername == driver


@pytest.mark.parametrize("bad", ["mysql://x@y/z", "not a url", "postgresql+asyncpg://x@y/z"])
def test_unusable_database_urls_are_refused(bad: str) -> None:
    with pytest.raises(DatabaseURLError):
        async_url(bad)
