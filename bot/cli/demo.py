"""``lado demo``: fictional demo referrals for a newcomer's queue (dev only)."""

from __future__ import annotations

import sys

import click

from bot.cli.common import EXIT_CONFIG, fail, load_settings, with_database
from intake import demo
from intake.triager import ThreadTriager
from store.engine import Database


@click.group("demo")
def demo_group() -> None:
    """Fictional demo data (refused in prod)."""


@demo_group.command()
@click.option(
    "--first-start",
    is_flag=True,
    help="Only load when the database has no referrals yet (what `make run` does).",
)
def load(first_start: bool) -> None:
    """Add about 30 fictional referrals across channels, sectors and outcomes.

    They go through the real triage and review actions and are marked as demo data
    in the queue; reports leave them out.
    """
    settings = load_settings()
    if not settings.is_dev:
        fail("demo data is only loaded in dev (LADO_ENV=dev)", EXIT_CONFIG)

    async def go(database: Database) -> None:
        if first_start and await demo.has_referrals(database):
            click.echo("referrals already exist; demo data not loaded")
            return
        with click.progressbar(
            length=len(demo.CASES), label="demo referrals", file=sys.stderr
        ) as bar:
            references = await demo.load(database, ThreadTriager(), progress=bar.update)
        click.echo(f"loaded {len(references)} demo referrals ({references[0]} …)")

    with_database(go, settings)
