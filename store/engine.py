"""The async database engine and session factory.

``LADO_DATABASE_URL`` takes the plain URLs a DBA writes; the async driver is
chosen here: ``sqlite:///var/lado.db`` → aiosqlite, ``postgresql://user@host/db``
→ psycopg 3 (async). SQLite runs in WAL mode with foreign keys on, and every
transaction begins IMMEDIATE so that a read followed by a write never fails
half-way on a busy database (officer views write an audit row anyway).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

log = logging.getLogger(__name__)

#: the session type repository functions take (re-exported so callers need not import sqlmodel)
Session = AsyncSession

_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+psycopg",
}


class DatabaseURLError(ValueError):
    """The database URL is not one the service can use."""


def async_url(url: str) -> URL:
    """Turn a plain database URL into one naming the async driver."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseURLError(
            "LADO_DATABASE_URL is not a database URL "
            "(expected e.g. sqlite:///var/lado.db or postgresql://user@host/db)"
        ) from exc
    if parsed.drivername.split("+")[0] == "postgres":
        parsed = parsed.set(drivername=parsed.drivername.replace("postgres", "postgresql", 1))
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseURLError(
            f"unsupported database '{backend}': use sqlite:///path or postgresql://..."
        )
    driver = parsed.drivername
    if "+" not in driver:
        parsed = parsed.set(drivername=_DRIVERS[driver])
    elif driver not in ("sqlite+aiosqlite", "postgresql+psycopg", "postgresql+psycopg_async"):
        raise DatabaseURLError(f"unsupported database driver '{driver}'")
    return parsed


def sync_url(url: str) -> URL:
    """The same database with a synchronous driver (used by Alembic's offline tools)."""
    parsed = async_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.set(drivername="sqlite")
    return parsed.set(drivername="postgresql+psycopg")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # let SQLAlchemy's "begin" event below emit BEGIN itself
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """Owns the engine; hands out sessions. One per process."""

    def __init__(self, url: str, *, pool_size: int = 10, echo: bool = False) -> None:
        self.url = async_url(url)
        kwargs: dict[str, Any] = {"echo": echo, "pool_pre_ping": True}
        if self.is_sqlite:
            database = self.url.database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
        else:
            kwargs.update(pool_size=pool_size, max_overflow=pool_size)
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin)
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False, autoflush=False
        )

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    def session(self) -> AsyncSession:
        """A new session; use ``async with db.session() as s:`` and commit yourself."""
        return self._sessions()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction, committed on success, rolled back on error."""
        async with self._sessions() as session, session.begin():
            yield session

    async def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:  # any driver error means "not ready"
            log.warning("database ping failed: %s", type(exc).__name__)
            return False
        return True

    async def dispose(self) -> None:
        await self.engine.dispose()

    def describe(self) -> str:
        """The URL without its password, for logs and ``--help``."""
        return self.url.render_as_string(hide_password=True)
