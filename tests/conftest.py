"""Shared fixtures: migrated SQLite and PostgreSQL databases, the app, officers.

PostgreSQL tests use the server on 127.0.0.1:5432 (trust auth, database ``test``)
in a schema of their own. Locally they are skipped when no server answers; in CI
(``LADO_TEST_REQUIRE_POSTGRES=1``, set by ``.ci/run``) a missing server fails.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from store import migrate
from store.engine import Database

PG_BASE = os.environ.get("LADO_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE = {
    name: os.environ.get(f"LADO_TEST_REQUIRE_{name.upper()}") == "1"
    for name in ("postgres", "browser", "mail")
}


def require_or_skip(what: str, reason: str) -> None:
    """Skip locally, fail in CI, when a real component is missing."""
    if REQUIRE.get(what):
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


def _postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            pass
        with psycopg.connect(PG_BASE, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
        return True
    except (OSError, psycopg.Error):
        return False


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    return _postgres_answers()


def pg_schema_url(schema: str) -> str:
    return f"{PG_BASE}?options=-csearch_path%3D{schema}"


class PgSchemas:
    """Creates throwaway schemas and drops them all at the end of the session."""

    def __init__(self) -> None:
        self.created: list[str] = []
        self.template_ready = False

    def new(self) -> str:
        schema = f"lado_t_{os.getpid()}_{secrets.token_hex(4)}"
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        self.created.append(schema)
        return schema

    def drop_all(self) -> None:
        if not self.created:
            return
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            for schema in self.created:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _drop_orphaned_schemas() -> None:
    """Drop schemas left by test runs that were killed (their process no longer exists)."""
    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'lado\\_t\\_%'"
            )
        ]
        for name in names:
            pid = name.split("_")[2]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@pytest.fixture(scope="session")
def pg_schemas(postgres_available: bool) -> Iterator[PgSchemas]:
    if postgres_available:
        _drop_orphaned_schemas()
    schemas = PgSchemas()
    yield schemas
    if postgres_available:
        schemas.drop_all()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test (migrating once is much faster)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "lado.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def pg_url(postgres_available: bool, pg_schemas: PgSchemas) -> str:
    if not postgres_available:
        require_or_skip("postgres", "no PostgreSQL server answers on 127.0.0.1:5432")
    url = pg_schema_url(pg_schemas.new())
    migrate.upgrade(url)
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Runs a test once on SQLite and once on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


@pytest.fixture
async def sqlite_db(sqlite_url: str) -> AsyncIterator[Database]:
    database = Database(sqlite_url)
    yield database
    await database.dispose()


@pytest.fixture
async def pg_db(pg_url: str) -> AsyncIterator[Database]:
    database = Database(pg_url)
    yield database
    await database.dispose()


# ---------------------------------------------------------------- data builders

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


async def add_referral(db: Database, **overrides: Any) -> Any:
    """Insert a referral directly through the store, with a triage suggestion preset."""
    from store.models import ChildCreate, ReferralCreate
    from store.repo.referrals import create_referral

    narrative = "A Year 4 pupil said the PE teacher grabbed his arm. There is a red mark."
    start = narrative.index("grabbed his arm")
    values: dict[str, Any] = {
        "channel": "form",
        "received_at": NOW,
        "aware_at": NOW - dt.timedelta(hours=3),
        "narrative": narrative,
        "adult_name": "David Dean",
        "adult_role": "PE teacher",
        "adult_employer": "Oakfield Primary School",
        "sector": "education",
        "triage_suggestion": "REFERRAL",
        "triage_criteria": ["harmed"],
        "triage_categories": ["physical"],
        "triage_evidence": [
            {
                "label": "criterion:harmed",
                "start": start,
                "end": start + 15,
                "text": "grabbed his arm",
            }
        ],
        "triage_rationale": "Physical harm alleged against a teacher.",
        "triage_missing": ["adult_dob"],
    }
    children = overrides.pop("children", [ChildCreate(name="A", age=8)])
    values.update(overrides)
    async with db.transaction() as session:
        return await create_referral(session, data=ReferralCreate(**values), children=children)


async def add_officer(
    db: Database,
    email: str = "officer@example.gov.uk",
    role: str = "officer",
    password: str = "correct horse battery staple",
) -> Any:
    from intake.officers import Actor
    from intake.officers import add_officer as add
    from store.enums import Role

    return await add(
        db, email=email, role=Role(role), password=password, actor=Actor.system("test")
    )
