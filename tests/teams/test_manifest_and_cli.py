"""``lado teams``: the app package passes Teams' offline rules; officers are linked, the
duty channel chosen and alerts listed from the command line."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.teams.config import TeamsSettings
from bot.teams.manifest import (
    build_manifest,
    build_package,
    check_manifest,
    check_package,
    png,
    read_png,
)
from intake.config import AuthoritySettings
from intake.teams import Place, TeamsDirectory
from store.engine import Database
from tests.conftest import add_officer, add_referral
from tests.teams.fake_bot_framework import APP_ID

AAD = "0bbb0000-1111-4222-8333-444444444444"
SITE = "https://lado.example.gov.uk"


def _package(**teams: str) -> bytes:
    settings = TeamsSettings(app_id=APP_ID, **teams)  # type: ignore[arg-type]
    return build_package(settings, AuthoritySettings(), base_url=SITE).data


def _replace(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.namelist():
            target.writestr(item, content if item == name else source.read(item))
    return out.getvalue()


def test_the_package_passes_the_offline_checks() -> None:
    data = _package()
    assert check_package(data) == []
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["manifestVersion"] == "1.22"
    assert manifest["$schema"].endswith("/v1.22/MicrosoftTeams.schema.json")
    assert manifest["id"] == APP_ID and manifest["bots"][0]["botId"] == APP_ID
    assert manifest["bots"][0]["scopes"] == ["personal", "team"]
    assert manifest["validDomains"] == ["lado.example.gov.uk"]
    assert read_png(archive.read("color.png"))[:2] == (192, 192)
    width, height, pixels = read_png(archive.read("outline.png"))
    assert (width, height) == (32, 32)
    assert {p for row in pixels for p in row} == {(0, 0, 0, 0), (255, 255, 255, 255)}
    # a separate Teams app id may be given; the bot id stays the bot's
    other = "6c7d8e9f-0a1b-4c2d-8e3f-4a5b6c7d8e9f"
    manifest = json.loads(
        zipfile.ZipFile(io.BytesIO(_package(manifest_id=other))).read("manifest.json")
    )
    assert manifest["id"] == other and manifest["bots"][0]["botId"] == APP_ID


def test_the_checks_find_what_teams_would_refuse() -> None:
    settings = TeamsSettings(app_id="not-a-guid")
    manifest = build_manifest(settings, AuthoritySettings(), base_url="http://127.0.0.1:8080")
    problems = check_manifest(manifest)
    assert any(p.startswith("id must be a GUID") for p in problems)
    assert any("botId" in p for p in problems)
    assert any("websiteUrl must be an https" in p for p in problems)
    assert any("validDomains" in p for p in problems)
    manifest = build_manifest(TeamsSettings(app_id=APP_ID), AuthoritySettings(), base_url=SITE)
    manifest["name"]["short"] = "x" * 31
    manifest["accentColor"] = "blue"
    del manifest["description"]
    problems = check_manifest(manifest)
    assert "name.short is longer than 30 characters" in problems
    assert "description is required" in problems
    assert any(p.startswith("accentColor") for p in problems)

    data = _package()
    big = png(96, 96, lambda x, y: (255, 0, 0, 255))
    assert "icons.color must be 192×192 pixels (it is 96×96)" in check_package(
        _replace(data, "color.png", big)
    )
    grey = png(32, 32, lambda x, y: (128, 128, 128, 255))
    assert "icons.outline must be white on a transparent background" in check_package(
        _replace(data, "outline.png", grey)
    )
    assert check_package(b"not a zip") == ["the package is not a zip file"]


@pytest.fixture
def runner(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LADO_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("LADO_BASE_URL", SITE)
    monkeypatch.setenv("LADO_TEAMS__APP_ID", APP_ID)
    return CliRunner()


def test_manifest_command(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = runner.invoke(main, ["teams", "manifest", "--out", str(tmp_path / "dist"), "--json"])
    assert result.exit_code == 0, result.output
    written = json.loads(result.output)
    package = Path(written["package"])
    assert package.name == "lado-intake-teams.zip"
    assert check_package(package.read_bytes()) == []
    assert written["manifest"]["id"] == APP_ID
    monkeypatch.setenv("LADO_BASE_URL", "http://127.0.0.1:8080")
    result = runner.invoke(main, ["teams", "manifest", "--out", str(tmp_path / "bad")])
    assert result.exit_code == 3
    assert "would be refused by Teams" in result.output
    assert not (tmp_path / "bad").exists()


def test_officer_links_duty_and_alerts_from_the_command_line(
    runner: CliRunner, sqlite_url: str
) -> None:
    async def prepare() -> int:
        db = Database(sqlite_url)
        await add_officer(db, email="duty@example.gov.uk")
        target = await TeamsDirectory(db).seen(
            Place(
                conversation_key="19:duty@thread.tacv2",
                kind="channel",
                service_url="https://smba.trafficmanager.net/uk/",
                team_id="19:team@thread.tacv2",
                title="LADO duty team",
            )
        )
        referral = await add_referral(db, triage_suggestion="URGENT", immediate_danger=True)
        from intake import alerts

        async with db.transaction() as session:
            await alerts.enqueue(session, referral)
        await db.dispose()
        return target.id

    channel_id = asyncio.run(prepare())

    result = runner.invoke(main, ["teams", "link-officer", "duty@example.gov.uk", AAD.upper()])
    assert result.exit_code == 0, result.output
    assert (
        runner.invoke(main, ["teams", "link-officer", "nobody@example.gov.uk", AAD]).exit_code == 5
    )
    bad = runner.invoke(main, ["teams", "link-officer", "duty@example.gov.uk", "12345"])
    assert bad.exit_code == 2 and "GUID" in bad.output
    assert runner.invoke(main, ["teams", "on-duty", "duty@example.gov.uk"]).exit_code == 0
    listed = runner.invoke(main, ["teams", "officers", "--json"])
    record = json.loads(listed.output.splitlines()[0])
    assert record["email"] == "duty@example.gov.uk" and record["on_duty"] is True
    assert record["aad_object_id"] == AAD  # stored lower-case

    channels = runner.invoke(main, ["teams", "channels", "--json"])
    assert json.loads(channels.output)["team"] == "LADO duty team"
    chosen = runner.invoke(main, ["teams", "duty-channel", str(channel_id)])
    assert chosen.exit_code == 0 and "now the duty channel" in chosen.output
    assert runner.invoke(main, ["teams", "duty-channel", "999"]).exit_code == 5
    assert json.loads(runner.invoke(main, ["teams", "channels", "--json"]).output)["duty_channel"]

    alerts_out = runner.invoke(main, ["teams", "alerts", "--json"])
    alert = json.loads(alerts_out.output.splitlines()[0])
    assert alert["reason"] == "urgent" and alert["status"] == "new"
    assert alert["reference"].startswith("LADO-")

    assert runner.invoke(main, ["teams", "unlink-officer", "duty@example.gov.uk"]).exit_code == 0
    assert runner.invoke(main, ["teams", "officers", "--json"]).output == ""
    audit = runner.invoke(main, ["audit", "verify", "--json"])
    assert audit.exit_code == 0, audit.output
