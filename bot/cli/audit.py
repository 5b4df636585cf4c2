"""``lado audit``: check the tamper-evident audit chain."""

from __future__ import annotations

import click

from bot.cli.common import EXIT_FAILURE, print_json, with_database
from store import audit as chain
from store.engine import Database


@click.group()
def audit() -> None:
    """The append-only audit log: verify the hash chain, print its head."""


@audit.command()
@click.option(
    "--expect-head",
    metavar="HASH",
    help="A head printed earlier by `lado audit head`: it must still be in the chain.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def verify(expect_head: str | None, as_json: bool) -> None:
    """Recompute every event's hash and link; exit 1 at the first broken one."""

    async def go(database: Database) -> chain.Verification:
        async with database.session() as session:
            return await chain.verify(session, expect_head=expect_head)

    result = with_database(go)
    if as_json:
        print_json(
            {
                "ok": result.ok,
                "events": result.events,
                "head": result.head.hash,
                "head_seq": result.head.seq,
                "problem": result.problem,
                "bad_seq": result.bad_seq,
            }
        )
    elif result.ok:
        click.echo(f"audit chain intact: {result.events} events, head {result.head.hash}")
    else:
        where = f" at event {result.bad_seq}" if result.bad_seq is not None else ""
        click.echo(f"AUDIT CHAIN BROKEN{where}: {result.problem}", err=True)
    if not result.ok:
        raise SystemExit(EXIT_FAILURE)


@audit.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def head(as_json: bool) -> None:
    """Print the chain's current head. Keep it outside the database (e.g. in a ticket or
    a write-once store) and pass it to `verify --expect-head` later."""

    async def go(database: Database) -> chain.Head:
        async with database.session() as session:
            return await chain.head(session)

    current = with_database(go)
    if as_json:
        print_json({"seq": current.seq, "head": current.hash})
    else:
        click.echo(f"{current.hash} {current.seq}")
