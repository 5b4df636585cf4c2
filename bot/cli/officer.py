"""``lado officer``: accounts for the people who use the officer UI."""

from __future__ import annotations

import sys

import click

from bot.cli.common import (
    EXIT_NOT_FOUND,
    EXIT_USAGE,
    fail,
    load_settings,
    print_json,
    with_database,
)
from intake import officers as service
from intake.errors import Invalid, NotFoundError
from intake.officers import Actor
from store.engine import Database
from store.enums import Role
from store.models import Officer
from store.repo import officers as repo

CLI_ACTOR = Actor.system("cli")


@click.group()
def officer() -> None:
    """Officer accounts: add, disable, enable, list, and the first admin."""


@officer.command()
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    required=True,
    help="officer: works the queue; manager: also assigns and sees reports; "
    "auditor: reads everything, changes nothing; admin: manages accounts.",
)
@click.option("--name", default="", help="Display name (default: the part before @).")
@click.option(
    "--password-stdin",
    is_flag=True,
    required=True,
    help="Read the password from standard input (never from the command line).",
)
@click.option("--must-change", is_flag=True, help="Make them choose a new password at sign-in.")
def add(email: str, role: str, name: str, password_stdin: bool, must_change: bool) -> None:
    """Add an officer.

    \b
    Example:
      lado officer add a.smith@council.gov.uk --role officer --password-stdin < pw.txt
    """
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else ""

    async def go(database: Database) -> None:
        try:
            created = await service.add_officer(
                database,
                email=email,
                role=Role(role),
                password=password,
                display_name=name,
                must_change=must_change,
                actor=CLI_ACTOR,
            )
            click.echo(f"added {created.email} as {created.role}")
        except Invalid as exc:
            fail("; ".join(exc.problems), EXIT_USAGE)

    with_database(go)


def _set_disabled(email: str, disabled: bool) -> None:
    async def go(database: Database) -> None:
        try:
            row = await service.set_disabled(
                database, email=email, disabled=disabled, actor=CLI_ACTOR
            )
            click.echo(f"{row.email} is now {'disabled' if row.disabled else 'enabled'}")
        except NotFoundError as exc:
            fail(str(exc), EXIT_NOT_FOUND)

    with_database(go)


@officer.command()
@click.argument("email")
def disable(email: str) -> None:
    """Disable an officer: they cannot sign in and their sessions end at once."""
    _set_disabled(email, True)


@officer.command()
@click.argument("email")
def enable(email: str) -> None:
    """Enable a disabled officer again."""
    _set_disabled(email, False)


@officer.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines for scripts.")
@click.option("--all", "include_disabled", is_flag=True, help="Include disabled officers.")
def list_officers(as_json: bool, include_disabled: bool) -> None:
    """List officers."""

    async def go(database: Database) -> list[Officer]:
        async with database.session() as session:
            return await repo.list_officers(session, include_disabled=include_disabled)

    for row in with_database(go):
        if as_json:
            print_json(
                {
                    "email": row.email,
                    "name": row.display_name,
                    "role": row.role,
                    "disabled": row.disabled,
                    "last_login_at": row.last_login_at,
                }
            )
        else:
            state = " (disabled)" if row.disabled else ""
            click.echo(f"{row.email:40} {row.role:8} {row.display_name}{state}")


@officer.command()
@click.option("--email", default="admin@localhost", show_default=True)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the first admin's password from standard input (required in prod).",
)
def bootstrap(email: str, password_stdin: bool) -> None:
    """Create a first admin when there are no officers.

    In dev a one-time password is generated and printed (it must be changed at the
    first sign-in); in prod give the password on standard input.
    """
    settings = load_settings()
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    if password is None and not settings.is_dev:
        fail("in prod give the first admin's password with --password-stdin", EXIT_USAGE)

    async def go(database: Database) -> service.Bootstrap:
        try:
            return await service.bootstrap_admin(database, email=email, password=password)
        except Invalid as exc:
            fail("; ".join(exc.problems), EXIT_USAGE)

    result = with_database(go, settings)
    if not result.created:
        click.echo("officers already exist; nothing to do")
    elif password is None:
        click.echo(
            f"created the first admin {result.email} with one-time password: "
            f"{result.password}\n(you will be asked to choose your own at sign-in)"
        )
    else:
        click.echo(f"created the first admin {result.email}")
