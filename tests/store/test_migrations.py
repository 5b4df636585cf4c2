"""Alembic revisions are the only source of the schema: they must match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, pool
from sqlmodel import SQLModel

import store.models  # noqa: F401  (registers the tables)
from store import migrate
from store.engine import sync_url


def _diff(url: str) -> list[object]:
    engine = create_engine(sync_url(url), poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, SQLModel.metadata))
    finally:
        engine.dispose()


def test_models_match_migrations(database_url: str) -> None:
    assert _diff(database_url) == []


def test_single_head_and_database_at_head(database_url: str) -> None:
    assert migrate.current_revision(database_url) == migrate.head_revision()


def test_downgrade_to_base_and_up_again(database_url: str) -> None:
    migrate.downgrade(database_url, "base")
    assert migrate.current_revision(database_url) is None
    migrate.upgrade(database_url)
    assert _diff(database_url) == []
