"""The demo data set: loads through the real triage, once, marked as demo, dev only."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from bot.cli import main
from intake import demo
from intake.triager import ThreadTriager
from store import audit
from store.engine import Database


async def test_demo_load_covers_channels_sectors_and_states(sqlite_db: Database) -> None:
    references = await demo.load(sqlite_db, ThreadTriager())
    assert len(references) == len(demo.CASES) >= 30
    async with sqlite_db.session() as session:
        conn = await session.connection()
        rows = (
            await conn.execute(
                text("SELECT channel, sector, triage_suggestion, status, demo FROM referral")
            )
        ).all()
        verification = await audit.verify(session)
    assert all(row.demo for row in rows)
    assert {r.channel for r in rows} >= {"chat", "email", "form", "teams"}
    assert len({r.sector for r in rows if r.sector}) >= 8
    suggestions = Counter(r.triage_suggestion for r in rows)
    assert {"URGENT", "REFERRAL", "LOW_LEVEL_CONCERN", "ADVICE", "NOT_LADO"} <= suggestions.keys()
    statuses = Counter(r.status for r in rows)
    assert statuses["new"] >= 5 and statuses["open"] >= 3 and statuses["closed"] >= 3
    assert verification.ok


def test_demo_cli_first_start_and_prod_refusal(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LADO_DATABASE_URL", sqlite_url)
    runner = CliRunner()
    first = runner.invoke(main, ["demo", "load", "--first-start"])
    assert first.exit_code == 0, first.output
    assert "loaded" in first.output
    again = runner.invoke(main, ["demo", "load", "--first-start"])
    assert "not loaded" in again.output
    monkeypatch.setenv("LADO_ENV", "prod")
    refused = runner.invoke(main, ["demo", "load"])
    assert refused.exit_code == 3
