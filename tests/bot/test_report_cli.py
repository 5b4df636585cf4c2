"""``lado report`` and ``lado export``: formats, files, exit codes, bad dates."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot.cli import main
from store.engine import Database
from store.repo.referrals import update_referral
from store.reports import EXPORT_FIELDS, TEXT_FIELDS
from tests.conftest import add_referral

RECEIVED = dt.datetime(2025, 6, 2, 10, tzinfo=dt.UTC)


@pytest.fixture
def runner(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)  # no stray .env file
    monkeypatch.setenv("LADO_DATABASE_URL", sqlite_url)

    async def seed() -> None:
        db = Database(sqlite_url)
        for decision, sector in (("referral", "education"), ("advice", "fostering"), (None, None)):
            row = await add_referral(db, received_at=RECEIVED, sector=sector)
            if decision:
                async with db.transaction() as session:
                    values: dict[str, Any] = {
                        "decision": decision,
                        "decided_at": RECEIVED + dt.timedelta(hours=1),
                        "decision_reason": "Officer's reason.",
                        "status": "open" if decision == "referral" else "decided",
                    }
                    await update_referral(
                        session, referral_id=row.id, expected_version=1, values=values
                    )
        await db.dispose()

    asyncio.run(seed())
    return CliRunner()


def _audit(url: str) -> list[str]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        return [a for (a,) in conn.execute("SELECT action FROM audit_event ORDER BY seq")]


def test_report_as_a_text_table(runner: CliRunner, sqlite_url: str) -> None:
    result = runner.invoke(main, ["report", "--from", "1/4/2025", "--to", "31/3/2026"])
    assert result.exit_code == 0, result.output
    assert "LADO report, 1 Apr 2025 to 31 Mar 2026" in result.stdout
    assert "Contacts by quarter" in result.stdout
    quarter = next(line for line in result.stdout.splitlines() if line.startswith("2025/26 Q1"))
    assert quarter.split()[-1] == "3"  # the total column
    assert _audit(sqlite_url)[-1] == "report"


def test_report_as_json(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["report", "--from", "2025-04-01", "--to", "2026-03-31", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["from"] == "2025-04-01"
    tables = {t["key"]: t for t in document["tables"]}
    assert len(tables) >= 25
    sector = {r["key"]: r for r in tables["by_sector"]["rows"]}
    assert sector["education"]["values"]["referral"] == 1
    assert sector["fostering"]["label"] == "Fostering (local authority or agency)"
    assert sector["total"]["values"]["total"] == 3


def test_report_as_csv_long_and_one_table(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        main, ["report", "--from", "1/4/2025", "--to", "31/3/2026", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["table"] for r in rows} >= {"contacts_by_quarter", "agreement_matrix"}
    cell = next(
        r
        for r in rows
        if r["table"] == "contacts_by_quarter"
        and r["row_key"] == "2025-Q1"
        and r["column_key"] == "advice"
    )
    assert cell["value"] == "1"

    out = tmp_path / "sector.csv"
    one = runner.invoke(
        main,
        [
            "report",
            "--from",
            "1/4/2025",
            "--to",
            "31/3/2026",
            "--format",
            "csv",
            "--table",
            "by_sector",
            "--out",
            str(out),
        ],
    )
    assert one.exit_code == 0, one.output
    lines = list(csv.reader(io.StringIO(out.read_text())))
    assert lines[0][:3] == ["Sector", "Advice", "Low-level concern"]
    assert lines[-1][0] == "Total contacts"


def test_report_as_html_file(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(
        main,
        [
            "report",
            "--from",
            "1/4/2024",
            "--to",
            "31/3/2026",
            "--format",
            "html",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert html.startswith("<!doctype html>")
    assert "<svg" in html and "<table" in html and "Year on year" in html
    assert "<script" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "31/2/2025", "--to", "1/3/2026"], "not a date"),
        (["--from", "yesterday", "--to", "1/3/2026"], "not a date"),
        (["--from", "1/4/2025", "--to", "31/3/2025"], "--to is before --from"),
        (["--to", "1/3/2026"], "Missing option"),
        (["--from", "1/4/2025", "--to", "31/3/2026", "--format", "xml"], "Invalid value"),
    ],
)
@pytest.mark.parametrize("command", ["report", "export"])
def test_bad_arguments_exit_2(
    runner: CliRunner, command: str, args: list[str], message: str
) -> None:
    result = runner.invoke(main, [command, *args])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_year_on_year_needs_two_years(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["report", "--from", "1/4/2025", "--to", "31/3/2026", "--table", "year_on_year"]
    )
    assert result.exit_code == 5
    assert "two reporting years" in result.output


def test_unreachable_database_exits_4(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LADO_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    for command in ("report", "export"):
        result = runner.invoke(main, [command, "--from", "1/4/2025", "--to", "31/3/2026"])
        assert result.exit_code == 4


def test_export_json_and_csv(runner: CliRunner, sqlite_url: str, tmp_path: Path) -> None:
    result = runner.invoke(main, ["export", "--from", "1/4/2025", "--to", "31/3/2026"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["schema"] == "lado-export/1"
    assert document["count"] == 2  # the undecided referral is not exported
    assert [r["decision"] for r in document["records"]] == ["referral", "advice"]
    assert all(tuple(r) == EXPORT_FIELDS for r in document["records"])
    assert "personal data" in result.stderr
    assert _audit(sqlite_url)[-1] == "export"

    out = tmp_path / "export.csv"
    csv_result = runner.invoke(
        main,
        [
            "export",
            "--from",
            "1/4/2025",
            "--to",
            "31/3/2026",
            "--format",
            "csv",
            "--include-text",
            "--out",
            str(out),
        ],
    )
    assert csv_result.exit_code == 0, csv_result.output
    rows = list(csv.reader(io.StringIO(out.read_text())))
    assert tuple(rows[0]) == EXPORT_FIELDS + TEXT_FIELDS
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["categories"] == "physical"
    assert record["non_recent"] == "false"
    assert record["decision_reason"] == "Officer's reason."
    assert record["received_at"] == "2025-06-02T10:00:00Z"

    nothing = runner.invoke(main, ["export", "--from", "1/4/2024", "--to", "31/3/2025"])
    assert nothing.exit_code == 0
    assert json.loads(nothing.stdout)["count"] == 0
