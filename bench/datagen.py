"""Bulk synthetic referrals for benchmarks (and anything else that needs volume).

``await generate(database_url, n, seed=1, start=..., end=...)`` inserts ``n``
realistic, entirely fictional concerns into a migrated database: a mix of
channels, sectors, referral sources, triage suggestions and officer decisions
shaped like the seeds' annual reports, aware-to-receipt lags (some over a
weekend or bank holiday, some unknown), case lifecycles with outcomes and
closure dates, and adults whose names repeat (with spelling variants) so that
previous-concern matching and repeat counts have something to find.

Rows go in through the store's own tables: PostgreSQL ``COPY`` on the
connection the store's engine opens, multi-row ``INSERT`` on SQLite. Reference
numbers are reserved from the store's per-year counter, so the service can keep
allocating after a load. The same seed gives the same rows.

Run directly: ``python -m bench.datagen DATABASE_URL N [--seed S]``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, func, insert, text, update
from sqlmodel import col, select

from bench.datagen_data import (
    AGREE,
    CATEGORIES,
    CHANNELS,
    CRITERIA,
    DURATIONS,
    EMPLOYER,
    ENDINGS,
    FIRST,
    LAST,
    NEIGHBOURS,
    ORG_KINDS,
    OTHER_SOURCES,
    OUTCOMES,
    PLACES,
    POLICE,
    REGULATORS,
    ROLES,
    SECTORS,
    STEMS,
    SUGGESTIONS,
)
from store import matching, workdays
from store.engine import Database
from store.models import AdultNameKey, Officer, ReferenceCounter, Referral
from store.references import format_reference
from store.types import utcnow

UTC = dt.UTC
OFFICERS = 8
OFFICER_EMAIL = "synthetic.officer{}@bench.invalid"
BATCH = 2_000


def _pick(rng: random.Random, table: Sequence[tuple[Any, int]]) -> Any:
    values = [v for v, _w in table]
    weights = [w for _v, w in table]
    return rng.choices(values, weights)[0]


def _received(rng: random.Random, start: dt.date, days: int) -> dt.datetime:
    while True:
        day = start + dt.timedelta(days=rng.randrange(days))
        if day.weekday() < 5 or rng.random() < 0.15:
            break
    hour = rng.choice((8, 9, 9, 10, 10, 11, 12, 13, 14, 14, 15, 16, 17, 19, 22))
    local = dt.datetime.combine(day, dt.time(hour, rng.randrange(60)), tzinfo=workdays.LONDON)
    return local.astimezone(UTC)


def _aware(rng: random.Random, received: dt.datetime) -> dt.datetime | None:
    roll = rng.random()
    if roll < 0.03:
        return None
    if roll < 0.70:
        lag = dt.timedelta(hours=rng.uniform(0.2, 8))
    elif roll < 0.88:
        lag = dt.timedelta(days=1, hours=rng.uniform(-3, 6))
    elif roll < 0.97:
        lag = dt.timedelta(days=rng.uniform(2, 6))
    else:
        lag = dt.timedelta(days=rng.uniform(7, 60))
    return received - lag


class _Adults:
    """A pool of fictional adults; about a third of concerns are about someone seen before."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: list[tuple[str, dt.date | None, str, str | None]] = []

    def next(self, sector: str | None) -> tuple[str, dt.date | None, str, str | None]:
        rng = self.rng
        if self.seen and rng.random() < 0.33:
            name, dob, employer, seen_sector = rng.choice(self.seen)
            if rng.random() < 0.15:  # a spelling variant from another referrer
                parts = name.split()
                parts[0] = rng.choice([f for f in FIRST if f[:2] == parts[0][:2]] or [parts[0]])
                name = " ".join(parts)
            return name, dob if rng.random() < 0.7 else None, employer, seen_sector
        surname = (
            rng.choice(LAST) if rng.random() < 0.5 else rng.choice(STEMS) + rng.choice(ENDINGS)
        )
        middle = f" {rng.choice(FIRST)}" if rng.random() < 0.25 else ""
        name = f"{rng.choice(FIRST)}{middle} {surname}"
        dob = dt.date(1955, 1, 1) + dt.timedelta(days=rng.randrange(365 * 48))
        employer = f"{rng.choice(PLACES)} {rng.choice(ORG_KINDS[sector])}"
        adult = (name, dob if rng.random() < 0.6 else None, employer, sector)
        self.seen.append(adult)
        return adult


def _template() -> dict[str, Any]:
    """A referral row with every column at its model default."""
    row: dict[str, Any] = {}
    for name, field in Referral.model_fields.items():
        row[name] = field.get_default(call_default_factory=True)
    return row


async def _officer_ids(db: Database) -> list[int]:
    async with db.transaction() as session:
        emails = [OFFICER_EMAIL.format(i) for i in range(1, OFFICERS + 1)]
        found = {
            email: oid
            for oid, email in (
                await session.exec(
                    select(col(Officer.id), col(Officer.email)).where(
                        col(Officer.email).in_(emails)
                    )
                )
            ).all()
        }
        for i, email in enumerate(emails, 1):
            if email not in found:
                officer = Officer(
                    email=email,
                    display_name=f"Synthetic officer {i}",
                    role="officer",
                    # not an argon2 hash: nobody can sign in as a synthetic officer
                    password_hash="!synthetic",  # noqa: S106 (not a secret: unusable)
                )
                session.add(officer)
                await session.flush()
                assert officer.id is not None
                found[email] = officer.id
        return [found[e] for e in emails]


async def _reserve(db: Database, per_year: dict[int, int]) -> dict[int, int]:
    """Reserve a block of reference numbers per calendar year; returns the first of each."""
    first: dict[int, int] = {}
    async with db.transaction() as session:
        for year, count in sorted(per_year.items()):
            existing = (
                await session.exec(
                    select(col(ReferenceCounter.last)).where(col(ReferenceCounter.year) == year)
                )
            ).one_or_none()
            if existing is None:
                session.add(ReferenceCounter(year=year, last=count))
                await session.flush()
                first[year] = 1
            else:
                await session.exec(
                    update(ReferenceCounter)
                    .where(col(ReferenceCounter.year) == year)
                    .values(last=col(ReferenceCounter.last) + count)
                )
                first[year] = int(existing) + 1
    return first


def _rows(
    n: int,
    *,
    seed: int,
    start: dt.date,
    end: dt.date,
    as_of: dt.datetime,
    first_id: int,
    officers: list[int],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(seed)
    adults = _Adults(rng)
    days = (end - start).days + 1
    template = _template()
    now = utcnow()
    received_all = sorted(_received(rng, start, days) for _ in range(n))
    referrals: list[dict[str, Any]] = []
    keys: list[dict[str, Any]] = []
    by_adult: dict[str, int] = {}
    for i, received in enumerate(received_all):
        rid = first_id + i
        sector = _pick(rng, SECTORS)
        name, dob, employer, adult_sector = adults.next(sector)
        sector = adult_sector if adult_sector is not None and rng.random() < 0.9 else sector
        suggestion = _pick(rng, SUGGESTIONS)
        aware = _aware(rng, received)
        first_category = _pick(rng, CATEGORIES)
        categories = [first_category]
        if rng.random() < 0.15:
            second = _pick(rng, CATEGORIES)
            if second != first_category:
                categories.append(second)
        row = dict(template)
        row.update(
            id=rid,
            reference="",  # filled in once numbers are reserved
            channel=_pick(rng, CHANNELS),
            received_at=received,
            aware_at=aware,
            incident_on=(aware or received).date() - dt.timedelta(days=rng.randrange(3)),
            referrer_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            referrer_role="Designated safeguarding lead",
            referrer_organisation=employer,
            referrer_org_type=sector if rng.random() < 0.75 else rng.choice(OTHER_SOURCES),
            referrer_email=f"dsl{rid}@example.invalid",
            referrer_is_dsl=True,
            adult_name=name,
            adult_dob=dob,
            adult_role=rng.choice(ROLES.get(sector, ("staff member", "volunteer"))),
            adult_employer=employer,
            adult_employer_key=matching.employer_key(employer),
            adult_employment_basis=rng.choice(("paid", "paid", "paid", "volunteer", "agency")),
            sector=sector,
            narrative=f"Synthetic referral {rid}: a concern about a member of staff.",
            non_recent=rng.random() < 0.06,
            immediate_danger=suggestion == "URGENT",
            triage_suggestion=suggestion,
            triage_criteria=CRITERIA.get(suggestion, []),
            triage_categories=categories,
            categories=categories,
            triage_rationale="Synthetic.",
            triage_rules_version="synthetic",
            triaged_at=received,
            priority=0 if suggestion == "URGENT" else 1,
            aware_wd_index=workdays.day_index(workdays.local_date(aware or received)),
            created_at=received,
            updated_at=received,
        )
        _decide(rng, row, suggestion, received, as_of, now, officers)
        if row["decision"] == "duplicate" and name in by_adult:
            row["duplicate_of_id"] = by_adult[name]
        elif row["decision"] == "duplicate":
            row["decision"] = AGREE[suggestion]
            row["status"] = (
                "decided" if row["decision"] not in ("referral", "consultation") else "open"
            )
        by_adult.setdefault(name, rid)
        referrals.append(row)
        for key in matching.token_keys(name):
            keys.append({"referral_id": rid, "key": key})
    return referrals, keys


def _decide(
    rng: random.Random,
    row: dict[str, Any],
    suggestion: str | None,
    received: dt.datetime,
    as_of: dt.datetime,
    now: dt.datetime,
    officers: list[int],
) -> None:
    age = as_of - received
    officer = rng.choice(officers)
    first_action = received + dt.timedelta(hours=rng.choice((0.3, 1, 2, 3, 5, 8, 20, 30, 70)))
    if first_action > as_of:
        row.update(status="new")
        return
    row.update(claimed_by_id=officer, claimed_at=first_action, first_action_at=first_action)
    decided = first_action + dt.timedelta(hours=rng.uniform(0, 30))
    if decided > as_of or (age < dt.timedelta(days=10) and rng.random() < 0.3):
        row.update(status="claimed")
        return
    if rng.random() < 0.02:
        decision = "duplicate"
    elif rng.random() < 0.82:
        decision = AGREE[suggestion]
    else:
        decision = rng.choice(NEIGHBOURS[suggestion])
    row.update(
        decision=decision,
        decided_at=decided,
        decided_by_id=officer,
        decision_reason=None if decision == AGREE[suggestion] else "Synthetic reason.",
        status="decided",
    )
    if decision not in ("referral", "consultation"):
        return
    row["status"] = "open"
    weight_table = [(d, d[0]) for d in DURATIONS]
    _w, shortest, longest = _pick(rng, weight_table)
    closed = decided + dt.timedelta(days=rng.randint(shortest, longest))
    if rng.random() < 0.5:
        row["strategy_meeting_on"] = workdays.local_date(decided) + dt.timedelta(days=2)
    row["police_outcome"] = _pick(rng, POLICE)
    if closed <= as_of and closed <= now:
        outcome = _pick(rng, OUTCOMES)
        row.update(
            status="closed",
            closed_at=closed,
            outcome=outcome,
            employer_outcome=_pick(rng, EMPLOYER),
            dbs_referral=outcome == "substantiated" and rng.random() < 0.4,
            regulator_referral=rng.choice(REGULATORS) if rng.random() < 0.05 else None,
        )


async def _insert_pg(
    db: Database, referrals: list[dict[str, Any]], keys: list[dict[str, Any]]
) -> None:
    table: Any = Referral.__table__  # type: ignore[attr-defined]
    columns = [c.name for c in table.columns]
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    async with db.engine.begin() as conn:
        raw = await conn.get_raw_connection()
        pg: Any = raw.driver_connection
        async with pg.cursor() as cur:
            names = ", ".join(f'"{c}"' for c in columns)
            async with cur.copy(f"COPY referral ({names}) FROM STDIN") as copy:
                for row in referrals:
                    await copy.write_row(
                        [json.dumps(row[c]) if c in json_columns else row[c] for c in columns]
                    )
            async with cur.copy("COPY adult_name_key (referral_id, key) FROM STDIN") as copy:
                for k in keys:
                    await copy.write_row((k["referral_id"], k["key"]))
            await cur.execute(
                "SELECT setval(pg_get_serial_sequence('referral', 'id'), "
                "(SELECT max(id) FROM referral))"
            )


async def _insert_sqlite(
    db: Database, referrals: list[dict[str, Any]], keys: list[dict[str, Any]]
) -> None:
    referral_table: Any = Referral.__table__  # type: ignore[attr-defined]
    key_table: Any = AdultNameKey.__table__  # type: ignore[attr-defined]
    async with db.transaction() as session:
        conn = await session.connection()
        for i in range(0, len(referrals), BATCH):
            await conn.execute(insert(referral_table), referrals[i : i + BATCH])
        for i in range(0, len(keys), BATCH):
            await conn.execute(insert(key_table), keys[i : i + BATCH])


async def generate(
    database_url: str,
    n: int,
    *,
    seed: int = 1,
    start: dt.date = dt.date(2024, 4, 1),
    end: dt.date = dt.date(2026, 3, 31),
) -> None:
    """Insert ``n`` synthetic concerns received on the local dates ``start``..``end``.

    The database must be migrated. Nothing is received after now; decisions and
    case closures only happen before now (so recent items are still in the queue).
    """
    if n < 0:
        raise ValueError("n must not be negative")
    today = workdays.local_date(utcnow())
    end = min(end, today)
    if end < start:
        raise ValueError("the range ends before it starts (or starts in the future)")
    db = Database(database_url)
    try:
        officers = await _officer_ids(db)
        async with db.session() as session:
            max_id = (await session.exec(select(func.max(col(Referral.id))))).one()
        first_id = int(max_id or 0) + 1
        as_of = min(utcnow(), workdays_midnight(end + dt.timedelta(days=1)))
        referrals, keys = _rows(
            n,
            seed=seed,
            start=start,
            end=end,
            as_of=as_of,
            first_id=first_id,
            officers=officers,
        )
        per_year: dict[int, int] = defaultdict(int)
        for row in referrals:
            per_year[workdays.local_date(row["received_at"]).year] += 1
        next_number = await _reserve(db, per_year)
        for row in referrals:
            year = workdays.local_date(row["received_at"]).year
            row["reference"] = format_reference(year, next_number[year])
            next_number[year] += 1
        if db.is_sqlite:
            await _insert_sqlite(db, referrals, keys)
        else:
            await _insert_pg(db, referrals, keys)
            # as autovacuum would leave a long-lived table: statistics and visibility map
            async with db.engine.connect() as conn:
                auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
                for table in ("referral", "adult_name_key"):
                    await auto.execute(text(f"VACUUM ANALYZE {table}"))
    finally:
        await db.dispose()


def workdays_midnight(day: dt.date) -> dt.datetime:
    """Local midnight at the start of ``day``, in UTC."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=workdays.LONDON).astimezone(UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description="Insert synthetic referrals.")
    parser.add_argument("database_url")
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(generate(args.database_url, args.n, seed=args.seed))


if __name__ == "__main__":
    main()
