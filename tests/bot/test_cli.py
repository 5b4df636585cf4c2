"""The ``lado`` command line: each job, its JSON output and its exit codes."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bot.cli import COMMANDS, main
from store.engine import Database
from tests.conftest import add_referral


@pytest.fixture
def runner(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)  # no stray .env file
    monkeypatch.setenv("LADO_DATABASE_URL", sqlite_url)
    return CliRunner()


def _db_path(url: str) -> str:
    return url.removeprefix("sqlite:///")


def test_help_lists_every_job(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for job in ("serve", "db", "officer", "audit", "queue"):
        assert job in result.output
    assert "Exit codes" in result.output


def test_help_imports_no_command() -> None:
    """`lado --help` lists every command from the table without importing one (each pulls
    in aiohttp, SQLAlchemy or botbuilder; the CLI started in 1.7 s when it did)."""
    script = (
        "import sys\n"
        "from bot.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('aiohttp', 'sqlalchemy', 'botbuilder', 'pydantic', 'spacy')\n"
        "print(sorted(m for m in sys.modules if m.startswith('bot.cli.') or m in heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    *help_lines, imported = done.stdout.strip().splitlines()
    assert imported == "['bot.cli.common']"
    for name in COMMANDS:
        assert any(line.strip().startswith(name + " ") for line in help_lines), name


def test_command_table_matches_the_commands() -> None:
    """Each table row names its command, and its help line shortens exactly as the
    command's own help does (so `lado --help` reads the same before and after loading)."""
    context = click.Context(main)
    for name, (_target, first_sentence) in COMMANDS.items():
        command = main.get_command(context, name)
        assert command is not None and command.name == name
        listed = click.Command(name, help=first_sentence)
        for limit in range(20, 240, 7):
            assert listed.get_short_help_str(limit) == command.get_short_help_str(limit), name


def test_db_upgrade_is_repeatable_and_current_reports_head(runner: CliRunner) -> None:
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(main, ["db", "current", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["up_to_date"] is True


def test_unreachable_database_exits_4(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LADO_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    result = runner.invoke(main, ["queue"])
    assert result.exit_code == 4
    assert "cannot reach the database" in result.output


def test_invalid_settings_exit_3(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LADO_WEB__PORT", "not-a-port")
    result = runner.invoke(main, ["queue"])
    assert result.exit_code == 3
    assert "LADO_WEB__PORT" in result.output


def test_officer_add_list_disable(runner: CliRunner) -> None:
    added = runner.invoke(
        main,
        ["officer", "add", "Jo@Example.gov.uk", "--role", "manager", "--password-stdin"],
        input="a long enough password\n",
    )
    assert added.exit_code == 0, added.output
    again = runner.invoke(
        main,
        ["officer", "add", "jo@example.gov.uk", "--role", "officer", "--password-stdin"],
        input="a long enough password\n",
    )
    assert again.exit_code == 2 and "already exists" in again.output
    weak = runner.invoke(
        main,
        ["officer", "add", "x@example.gov.uk", "--role", "officer", "--password-stdin"],
        input="short\n",
    )
    assert weak.exit_code == 2 and "12 characters" in weak.output
    listed = runner.invoke(main, ["officer", "list", "--json"])
    assert json.loads(listed.output.splitlines()[0])["role"] == "manager"
    assert runner.invoke(main, ["officer", "disable", "jo@example.gov.uk"]).exit_code == 0
    assert runner.invoke(main, ["officer", "list"]).output.strip() == ""
    missing = runner.invoke(main, ["officer", "disable", "nobody@example.gov.uk"])
    assert missing.exit_code == 5


def test_bootstrap_prints_a_one_time_password_only_in_dev(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = runner.invoke(main, ["officer", "bootstrap"])
    assert first.exit_code == 0 and "one-time password" in first.output
    second = runner.invoke(main, ["officer", "bootstrap"])
    assert "nothing to do" in second.output
    monkeypatch.setenv("LADO_ENV", "prod")
    refused = runner.invoke(main, ["officer", "bootstrap"])
    assert refused.exit_code == 2


def test_audit_verify_detects_tampering(runner: CliRunner, sqlite_url: str) -> None:
    runner.invoke(
        main,
        ["officer", "add", "a@example.gov.uk", "--role", "officer", "--password-stdin"],
        input="a long enough password\n",
    )
    runner.invoke(main, ["officer", "disable", "a@example.gov.uk"])
    head = runner.invoke(main, ["audit", "head", "--json"])
    kept = json.loads(head.output)["head"]
    ok = runner.invoke(main, ["audit", "verify", "--expect-head", kept])
    assert ok.exit_code == 0 and "intact" in ok.output
    with sqlite3.connect(_db_path(sqlite_url)) as conn:
        conn.execute("DROP TRIGGER audit_event_no_update")
        conn.execute("UPDATE audit_event SET action = 'officer.enable' WHERE seq = 2")
    broken = runner.invoke(main, ["audit", "verify", "--json"])
    assert broken.exit_code == 1
    report = json.loads(broken.output)
    assert report["ok"] is False and report["bad_seq"] == 2


def test_queue_json_lists_items_with_fields(runner: CliRunner, sqlite_url: str) -> None:
    async def seed() -> None:
        db = Database(sqlite_url)
        await add_referral(db, triage_suggestion="URGENT", crime_reference="CR/123/26")
        await add_referral(db, channel="email")
        await db.dispose()

    asyncio.run(seed())
    result = runner.invoke(main, ["queue", "--json"])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["suggestion"] for line in lines] == ["URGENT", "REFERRAL"]
    first = lines[0]
    assert first["reference"] == "LADO-2026-000001"
    assert first["fields"]["crime_reference"] == "CR/123/26"
    assert first["missing"] == ["adult_dob"]
    assert {"status", "channel", "received_at"} <= first.keys()
    emails = runner.invoke(main, ["queue", "--json", "--channel", "email"])
    assert len(emails.output.splitlines()) == 1
