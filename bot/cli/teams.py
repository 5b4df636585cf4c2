"""``lado teams``: the Teams app package, officers' Teams accounts, the duty channel, alerts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import click

from bot.cli.common import (
    EXIT_CONFIG,
    EXIT_FAILURE,
    EXIT_NOT_FOUND,
    EXIT_USAGE,
    fail,
    load_settings,
    print_json,
    with_database,
)
from bot.teams.manifest import PACKAGE_NAME, build_package, check_package
from intake.alerts import recent_alerts
from intake.errors import Conflict, Invalid, NotFoundError
from intake.officers import Actor
from intake.teams import CHANNEL, TeamsDirectory
from store.engine import Database

CLI_ACTOR = Actor.system("cli")


@click.group()
def teams() -> None:
    """Microsoft Teams: the app package, who is who, the duty channel and alerts.

    \b
    Setting up (docs/teams.md):
      1. lado teams manifest --out dist/      then upload the zip in Teams
      2. lado teams link-officer EMAIL AAD_OBJECT_ID   for each LADO officer
      3. officers type "register as duty" in their chat with the bot when on duty;
         a manager types "@LADO Intake register duty channel" in the duty channel
         (or: lado teams channels, then lado teams duty-channel ID)
    """


def _directory(go: Callable[[TeamsDirectory, Database], Awaitable[None]]) -> None:
    """Run ``go(directory, database)`` against the database, mapping errors to exit codes."""

    async def job(database: Database) -> None:
        try:
            await go(TeamsDirectory(database), database)
        except NotFoundError as exc:
            fail(str(exc), EXIT_NOT_FOUND)
        except Invalid as exc:
            fail("; ".join(exc.problems), EXIT_USAGE)
        except Conflict as exc:
            fail(str(exc), EXIT_FAILURE)

    with_database(job)


@teams.command()
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the package into (created if needed).",
)
@click.option("--version", "version", default=None, help="App version (default: this release's).")
@click.option(
    "--json", "as_json", is_flag=True, help="Print the package path and manifest as JSON."
)
def manifest(out: Path, version: str | None, as_json: bool) -> None:
    """Write the Teams app package (manifest.json and icons, zipped) to upload in Teams.

    Uses LADO_TEAMS__APP_ID (the bot), LADO_TEAMS__MANIFEST_ID (the app; default: the
    bot's id), LADO_BASE_URL (the valid domain; must be https) and the authority's name.
    Exits 3 when the package would not pass Teams' checks.
    """
    settings = load_settings()
    package = build_package(
        settings.teams, settings.authority, base_url=settings.base_url, version=version
    )
    problems = check_package(package.data)
    if problems:
        fail("the package would be refused by Teams:\n  " + "\n  ".join(problems), EXIT_CONFIG)
    out.mkdir(parents=True, exist_ok=True)
    path = out / PACKAGE_NAME
    path.write_bytes(package.data)
    if as_json:
        print_json({"package": str(path), "manifest": package.manifest})
    else:
        click.echo(f"wrote {path} (app {package.manifest['id']}); upload it in Teams")


@teams.command("link-officer")
@click.argument("email")
@click.argument("aad_object_id")
def link_officer(email: str, aad_object_id: str) -> None:
    """Link an officer to their Teams account (Microsoft Entra object id).

    Only linked officers can put themselves on duty from Teams, and only linked
    managers and admins can choose the duty channel there. Find the object id in the
    Entra admin centre (Users → the user → Object ID).
    """

    async def go(directory: TeamsDirectory, _: Database) -> None:
        link = await directory.link_officer(email, aad_object_id, actor=CLI_ACTOR)
        click.echo(f"linked {link.email} to Teams account {link.aad_object_id}")

    _directory(go)


@teams.command("unlink-officer")
@click.argument("email")
def unlink_officer(email: str) -> None:
    """Remove an officer's Teams link (they stop receiving duty alerts)."""

    async def go(directory: TeamsDirectory, _: Database) -> None:
        await directory.unlink_officer(email, actor=CLI_ACTOR)
        click.echo(f"unlinked {email}")

    _directory(go)


@teams.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def officers(as_json: bool) -> None:
    """Officers with a linked Teams account, and who is on duty."""

    async def go(directory: TeamsDirectory, _: Database) -> None:
        for link in await directory.links():
            record = {
                "email": link.email,
                "role": link.role,
                "on_duty": link.on_duty,
                "disabled": link.disabled,
                "aad_object_id": link.aad_object_id,
                "linked_at": link.linked_at.isoformat(),
            }
            if as_json:
                print_json(record)
            else:
                duty = "on duty" if link.on_duty else "off duty"
                click.echo(f"{link.email}\t{link.role}\t{duty}\t{link.aad_object_id}")

    _directory(go)


@teams.command("on-duty")
@click.argument("email")
@click.option("--off", is_flag=True, help="Take the officer off duty instead.")
def on_duty(email: str, off: bool) -> None:
    """Put an officer on duty (alerts go to their Teams chat), or take them off."""

    async def go(directory: TeamsDirectory, _: Database) -> None:
        await directory.set_on_duty(email, on=not off, actor=CLI_ACTOR)
        click.echo(f"{email} is {'off' if off else 'on'} duty")

    _directory(go)


@teams.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def channels(as_json: bool) -> None:
    """Team channels the app was added to (their ids are for `lado teams duty-channel`)."""

    async def go(directory: TeamsDirectory, _: Database) -> None:
        for target in await directory.targets():
            if target.kind != CHANNEL:
                continue
            record = {
                "id": target.id,
                "team": target.title,
                "duty_channel": target.duty_channel,
                "installed": target.installed,
                "updated_at": target.updated_at.isoformat(),
            }
            if as_json:
                print_json(record)
            else:
                marks = ("duty channel " if target.duty_channel else "") + (
                    "" if target.installed else "(removed)"
                )
                click.echo(f"{target.id}\t{target.title or '(team)'}\t{marks}".rstrip())

    _directory(go)


@teams.command("duty-channel")
@click.argument("channel_id", type=int)
@click.option("--off", is_flag=True, help="Stop posting alerts to this channel.")
def duty_channel(channel_id: int, off: bool) -> None:
    """Make a team channel (an id from `lado teams channels`) the duty channel."""

    async def go(directory: TeamsDirectory, _: Database) -> None:
        target = await directory.duty_channel_by_id(channel_id, on=not off, actor=CLI_ACTOR)
        state = "now the duty channel" if target.duty_channel else "no longer the duty channel"
        click.echo(f"channel {target.id} ({target.title or 'team'}) is {state}")

    _directory(go)


@teams.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000))
def alerts(as_json: bool, limit: int) -> None:
    """The newest duty alerts and how their deliveries stand (sent, pending, failed)."""

    async def go(_: TeamsDirectory, database: Database) -> None:
        for record in await recent_alerts(database, limit=limit):
            if as_json:
                print_json(record)
            else:
                counts = ", ".join(f"{n} {s}" for s, n in sorted(record["deliveries"].items()))
                click.echo(
                    f"{record['alert']}\t{record['reference']}\t{record['reason']}\t"
                    f"{record['status']}\t{counts or 'no deliveries'}"
                )

    _directory(go)
