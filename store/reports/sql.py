"""SQL building blocks shared by the report queries, for SQLite and PostgreSQL.

Every report query groups in the database; Python only rolls the grouped rows
(at most a few per day) up into months, quarters and years. What differs
between the two databases lives here:

- the local (Europe/London) date of a UTC timestamp: ``AT TIME ZONE`` on
  PostgreSQL; on SQLite (no time zones) a deterministic SQL function registered
  on the connection by :func:`prepare`;
- seconds between two timestamps;
- one row per element of a JSON list (the officer-confirmed categories);
- the adult's identity key: the sorted phonetic keys of the name's tokens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    cast,
    extract,
    func,
    literal,
    literal_column,
    not_,
    select,
    text,
    type_coerce,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Select
from sqlmodel import col

from store.enums import Kind
from store.models import AdultNameKey, Referral
from store.reports.period import DateRange
from store.workdays import LONDON

LOCAL_DATE_FN = "lado_local_date"


def _sqlite_local_date(value: str | None) -> str | None:
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    return moment.astimezone(LONDON).date().isoformat()


class Dialect:
    """The report's view of one database connection."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
        self.name = conn.dialect.name
        self.sqlite = self.name == "sqlite"

    # ---------------------------------------------------------------- dates

    def local_date(self, column: Any) -> ColumnElement[Any]:
        """The England date of a UTC timestamp column (a date on PostgreSQL, ISO text on SQLite)."""
        if self.sqlite:
            return type_coerce(getattr(func, LOCAL_DATE_FN)(column), String)
        return func.date(func.timezone(literal_column("'Europe/London'"), column))

    def date_text(self, local: ColumnElement[Any]) -> ColumnElement[Any]:
        """A local date expression as ISO text (whatever the server's DateStyle)."""
        if self.sqlite:
            return local
        return func.to_char(local, "YYYY-MM-DD")

    def whole_minutes(self, seconds: ColumnElement[Any]) -> ColumnElement[Any]:
        if self.sqlite:
            return seconds / 60  # integer division of integers
        return func.floor(seconds / 60)

    def date_parts(self, local: ColumnElement[Any]) -> tuple[ColumnElement[int], ...]:
        """Year, month and day of a local date expression, as integers."""
        if self.sqlite:
            return (
                cast(func.substr(local, 1, 4), Integer),
                cast(func.substr(local, 6, 2), Integer),
                cast(func.substr(local, 9, 2), Integer),
            )
        return tuple(cast(extract(part, local), Integer) for part in ("year", "month", "day"))

    def seconds_between(self, start: Any, end: Any) -> ColumnElement[Any]:
        """Whole seconds from ``start`` to ``end`` (NULL when either is NULL)."""
        if self.sqlite:
            return cast(func.strftime("%s", end), Integer) - cast(
                func.strftime("%s", start), Integer
            )
        return extract("epoch", end - start)

    # ---------------------------------------------------------------- JSON lists

    def json_elements(self, column: Any) -> Any:
        """A table-valued function yielding one ``value`` per element of a JSON list."""
        if self.sqlite:
            return func.json_each(column).table_valued("value")
        return func.jsonb_array_elements_text(column).table_valued("value").lateral()

    def json_length(self, column: Any) -> ColumnElement[int]:
        if self.sqlite:
            return func.json_array_length(column)
        return func.jsonb_array_length(column)

    # ---------------------------------------------------------------- adults

    def adult_keys(self) -> Select[Any]:
        """(referral_id, adult): the sorted phonetic keys of the adult's name, space-joined.

        Two referrals are about "the same adult" for reporting when these match
        (the first, indexed tier of the previous-concerns search). The keys are
        aggregated from a subquery ordered by (referral_id, key), which both
        databases read in that order (the primary key's order): a subquery with
        ORDER BY is not flattened into the aggregate, and an ORDER BY inside the
        aggregate is both missing from SQLite < 3.44 and sorted per group (twice
        as slow) on PostgreSQL < 16. Returns a select: make it a subquery or CTE.
        """
        ordered = (
            select(col(AdultNameKey.referral_id).label("rid"), col(AdultNameKey.key).label("key"))
            .order_by(col(AdultNameKey.referral_id), col(AdultNameKey.key))
            .subquery()
        )
        joined = (
            func.group_concat(ordered.c.key, literal(" "))
            if self.sqlite
            else func.string_agg(ordered.c.key, literal(" "))
        )
        return select(ordered.c.rid.label("referral_id"), joined.label("adult")).group_by(
            ordered.c.rid
        )

    async def prepare(self) -> None:
        """Register the SQLite functions the queries use (idempotent, per connection).

        On PostgreSQL, turn JIT compilation off for this transaction: the planner
        over-estimates the JSON-list expansion and compiles for ~40 ms a query that
        runs in less.
        """
        if not self.sqlite:
            await self.conn.execute(text("SET LOCAL jit = off"))
            return
        raw = await self.conn.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        await driver.create_function(LOCAL_DATE_FN, 1, _sqlite_local_date, deterministic=True)


def as_date(value: Any) -> dt.date:
    """A local date from a grouped row (date on PostgreSQL, ISO text otherwise)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _iso_date(str(value))


@lru_cache(maxsize=4096)
def _iso_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def contacts(period: DateRange | None, *, include_demo: bool) -> list[ColumnElement[bool]]:
    """Concerns (not callbacks or machine mail) received in ``period``."""
    conditions: list[ColumnElement[bool]] = [col(Referral.kind) == Kind.CONCERN.value]
    if period is not None:
        conditions += [
            col(Referral.received_at) >= period.utc_start,
            col(Referral.received_at) < period.utc_end,
        ]
    if not include_demo:
        conditions.append(not_(col(Referral.demo)))
    return conditions


def between(column: Any, period: DateRange) -> list[ColumnElement[bool]]:
    return [column >= period.utc_start, column < period.utc_end]


def not_demo(include_demo: bool) -> list[ColumnElement[bool]]:
    return [] if include_demo else [not_(col(Referral.demo))]


async def rows(conn: AsyncConnection, stmt: Any) -> Sequence[Any]:
    return (await conn.execute(stmt)).all()
