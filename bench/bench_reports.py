"""The full report over 100,000 referrals in PostgreSQL (issue 8: < 2 s).

Loads synthetic referrals (``bench.datagen``) into a PostgreSQL schema of its
own (dropped afterwards), then times ``store.reports.full_report`` for a
two-year range (every table, including year on year) and for one reporting
year, several runs each, and the decided-referral export of one year. Prints
one JSON line per measurement, with the machine's load average beside it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

import psycopg

from bench.common import bench_schema
from bench.datagen import generate
from store.engine import Database
from store.reports import export_records, full_report

N_REFERRALS = int(os.environ.get("LADO_BENCH_REFERRALS", "100000"))
RUNS = 5
TARGET_S = 2.0  # the full report (issue 8)
EXPORT_TARGET_S = 10.0  # a year's export (no target in the issue: a guard against regressions)
TWO_YEARS = (dt.date(2024, 4, 1), dt.date(2026, 3, 31))
ONE_YEAR = (dt.date(2025, 4, 1), dt.date(2026, 3, 31))


def _load() -> str:
    """The 1, 5 and 15-minute load averages (the machine is shared)."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


async def _time_report(db: Database, start: dt.date, end: dt.date) -> tuple[list[float], int]:
    samples: list[float] = []
    tables = 0
    for _ in range(RUNS + 1):  # the first run warms caches and is not counted
        async with db.session() as session:
            began = time.perf_counter()
            report = await full_report(session, start=start, end=end, list_limit=200)
            samples.append(time.perf_counter() - began)
            tables = len(report.tables)
    return samples[1:], tables


async def _time_export(db: Database, start: dt.date, end: dt.date) -> tuple[float, int]:
    async with db.session() as session:
        began = time.perf_counter()
        records = await export_records(session, start=start, end=end)
        return time.perf_counter() - began, len(records)


def _line(name: str, samples: list[float], target: float = TARGET_S, **extra: object) -> None:
    median = statistics.median(samples)
    record = {
        "benchmark": name,
        "ok": median < target,
        "referrals": N_REFERRALS,
        "runs": len(samples),
        "median_s": round(median, 3),
        "max_s": round(max(samples), 3),
        "min_s": round(min(samples), 3),
        "target_s": target,
        "loadavg": _load(),
        **extra,
    }
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


async def _measure(url: str) -> None:
    db = Database(url)
    try:
        samples, tables = await _time_report(db, *TWO_YEARS)
        _line("reports_full_two_years", samples, tables=tables)
        samples, tables = await _time_report(db, *ONE_YEAR)
        _line("reports_full_one_year", samples, tables=tables)
        seconds, count = await _time_export(db, *ONE_YEAR)
        _line("reports_export_one_year", [seconds], EXPORT_TARGET_S, records=count)
    finally:
        await db.dispose()


def main() -> int:
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(bench_schema())
        except psycopg.Error as exc:  # no PostgreSQL: a failed line rather than a traceback
            sys.stdout.write(
                json.dumps({"benchmark": "reports", "ok": False, "error": type(exc).__name__})
                + "\n"
            )
            return 1
        began = time.perf_counter()
        asyncio.run(generate(url, N_REFERRALS, seed=5, start=TWO_YEARS[0], end=TWO_YEARS[1]))
        sys.stderr.write(f"loaded {N_REFERRALS} referrals in {time.perf_counter() - began:.1f} s\n")
        asyncio.run(_measure(url))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
