"""``lado db``: schema migrations."""

from __future__ import annotations

import click

from bot.cli.common import EXIT_UNAVAILABLE, fail, load_settings, print_json, with_database
from store import migrate
from store.engine import Database


async def _where(database: Database) -> str:
    """Where the database is (it answered: ``with_database`` checked)."""
    return database.describe()


@click.group()
def db() -> None:
    """Database schema: upgrade it, or show where it is."""


@db.command()
@click.option("--revision", default="head", show_default=True, help="Target Alembic revision.")
def upgrade(revision: str) -> None:
    """Apply the migrations. Safe to repeat; the Docker image runs it on every start."""
    settings = load_settings()
    where = with_database(_where, settings)
    try:
        migrate.upgrade(settings.database_url, revision)
    except Exception as exc:  # a failed migration rolls back; name the class, not the SQL
        fail(f"migration failed ({type(exc).__name__}); nothing was changed", EXIT_UNAVAILABLE)
    revision_now = migrate.current_revision(settings.database_url)
    click.echo(f"database {where} is at revision {revision_now}")


@db.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def current(as_json: bool) -> None:
    """Show the database's revision and the newest one; exit 1 when behind."""
    settings = load_settings()
    with_database(_where, settings)
    now, head = migrate.current_revision(settings.database_url), migrate.head_revision()
    if as_json:
        print_json({"current": now, "head": head, "up_to_date": now == head})
    else:
        click.echo(f"current: {now or 'none (empty database)'}\nhead:    {head}")
    if now != head:
        raise SystemExit(1)
