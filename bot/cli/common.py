"""Shared pieces of the command line: exit codes and output helpers.

The settings and the store are imported when a command first needs them, so that
``lado --help`` (which imports this module for the exit codes) stays quick.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from bot.settings import Settings
    from store.engine import Database

T = TypeVar("T")

#: Exit codes every ``lado`` command uses. Documented in the README and in ``--help``.
EXIT_OK = 0
EXIT_FAILURE = 1  # the job ran and found a problem (e.g. a broken audit chain)
EXIT_USAGE = 2  # bad arguments or input (click uses 2 for usage errors too)
EXIT_CONFIG = 3  # settings are invalid or unsafe (e.g. a default secret in prod)
EXIT_UNAVAILABLE = 4  # a dependency (database, mailbox) could not be reached
EXIT_NOT_FOUND = 5  # the thing named (officer, reference) does not exist

EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 the job found a problem; 2 bad arguments or input; "
    "3 invalid or unsafe settings; 4 database or mailbox unreachable; 5 not found."
)


def print_json(value: Any) -> None:
    """Write one JSON document (or line) to stdout."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, default=str) + "\n")


def fail(message: str, code: int) -> NoReturn:
    """Print a clear message on stderr and exit with ``code``."""
    click.echo(f"lado: {message}", err=True)
    raise SystemExit(code)


def load_settings() -> Settings:
    """Settings from the environment; exit 3 with each problem named (never values)."""
    from pydantic import ValidationError

    from bot.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        lines = []
        for error in exc.errors(include_input=False, include_url=False):
            name = "LADO_" + "__".join(str(p).upper() for p in error["loc"])
            lines.append(f"  {name}: {error['msg']}")
        fail("invalid settings:\n" + "\n".join(lines), EXIT_CONFIG)


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def open_db(settings: Settings) -> Database:
    from store.engine import Database, DatabaseURLError

    try:
        return Database(settings.database_url)
    except DatabaseURLError as exc:
        fail(str(exc), EXIT_CONFIG)


async def require_db(db: Database) -> None:
    if not await db.ping():
        await db.dispose()
        fail(f"cannot reach the database at {db.describe()}", EXIT_UNAVAILABLE)


def with_database(job: Callable[[Database], Awaitable[T]], settings: Settings | None = None) -> T:
    """Run the async ``job`` with the database named by the settings, and return its result.

    Exits 3 when the database URL is invalid and 4 when the database does not answer;
    the database is always disposed of afterwards, whatever the job does."""
    database = open_db(settings if settings is not None else load_settings())

    async def go() -> T:
        await require_db(database)
        try:
            return await job(database)
        finally:
            await database.dispose()

    return run(go())
