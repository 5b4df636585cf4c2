"""``lado queue``: the officer queue for scripts."""

from __future__ import annotations

from typing import Any

import click

from bot.cli.common import print_json, with_database
from store.engine import Database
from store.enums import Channel, Kind, Status
from store.models import Referral
from store.repo.referrals import QueueFilter, queue_page
from triage.vocab import Suggestion

#: referral columns that hold details extracted or collected for the officer
FIELD_COLUMNS = (
    "referrer_name",
    "referrer_role",
    "referrer_organisation",
    "referrer_email",
    "referrer_phone",
    "adult_name",
    "adult_dob",
    "adult_role",
    "adult_employer",
    "adult_employment_basis",
    "adult_status",
    "sector",
    "sector_detail",
    "incident_on",
    "aware_at",
    "location",
    "in_work",
    "restraint",
    "injury",
    "police_informed",
    "crime_reference",
    "csc_informed",
    "parents_informed",
    "non_recent",
    "immediate_danger",
)


def as_record(row: Referral) -> dict[str, Any]:
    fields = {name: getattr(row, name) for name in FIELD_COLUMNS if getattr(row, name) is not None}
    fields.update({k: v for k, v in row.details.items() if k not in fields})
    return {
        "reference": row.reference,
        "kind": row.kind,
        "status": row.status,
        "channel": row.channel,
        "suggestion": row.triage_suggestion,
        "criteria": row.triage_criteria,
        "categories": row.categories,
        "received_at": row.received_at,
        "decision": row.decision,
        "incomplete": row.incomplete,
        "demo": row.demo,
        "missing": row.triage_missing,
        "fields": fields,
    }


@click.command()
@click.option(
    "--status",
    type=click.Choice(["active", "all", *[s.value for s in Status]]),
    default="active",
    show_default=True,
    help="active = new, claimed and open items.",
)
@click.option("--suggestion", type=click.Choice([s.value for s in Suggestion]))
@click.option("--channel", type=click.Choice([c.value for c in Channel]))
@click.option("--kind", type=click.Choice([k.value for k in Kind]))
@click.option("--limit", type=click.IntRange(1, 10_000), default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line, for scripts.")
def queue(
    status: str,
    suggestion: str | None,
    channel: str | None,
    kind: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """List queue items in the officer queue's order (urgent first, then the clock)."""

    async def go(database: Database) -> tuple[list[Referral], int]:
        async with database.session() as session:
            return await queue_page(
                session,
                filters=QueueFilter(
                    status=status, suggestion=suggestion, channel=channel, kind=kind
                ),
                limit=limit,
            )

    rows, total = with_database(go)
    for row in rows:
        if as_json:
            print_json(as_record(row))
        else:
            click.echo(
                f"{row.reference}  {row.status:8} {row.channel:6} "
                f"{row.triage_suggestion or '-':18} {row.received_at:%Y-%m-%d %H:%M}"
            )
    if not as_json:
        click.echo(f"{len(rows)} of {total} shown", err=True)
