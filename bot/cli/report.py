"""``lado report`` (the annual-report tables for any period) and ``lado export``
(decided referrals for a case-management system)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import click
import jinja2

from bot.cli.common import EXIT_NOT_FOUND, EXIT_USAGE, fail, load_settings, with_database
from bot.review.report_charts import chart_for
from bot.review.report_format import (
    BadDate,
    cell,
    labelled,
    long_csv,
    parse_date,
    table_csv,
    text_table,
)
from bot.review.reports import sections
from bot.settings import Settings
from store import audit
from store.engine import Database
from store.reports import (
    EXPORT_FIELDS,
    EXPORT_SCHEMA,
    TABLE_KEYS,
    TEXT_FIELDS,
    FullReport,
    export_records,
    full_report,
)
from store.types import utcnow

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
STATIC = Path(__file__).resolve().parents[1] / "static"


class UKDate(click.ParamType):
    """A date written 2025-04-01 or the UK way (1/4/2025)."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except BadDate:
            self.fail("not a date: write it as 2025-04-01 or 1/4/2025", param, ctx)


def _period(start: dt.date, end: dt.date) -> None:
    if end < start:
        fail("--to is before --from", EXIT_USAGE)


def _write(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {out}: {type(exc).__name__}", EXIT_USAGE)


def _html(report: FullReport, settings: Settings) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    css = (STATIC / "css" / "lado.css").read_text() + (
        STATIC / "reports" / "reports.css"
    ).read_text()
    return env.get_template("reports/standalone.html").render(
        report=report,
        sections=sections(report),
        csv_query="",
        css=css,
        authority_name=settings.authority.name,
        cell=cell,
        chart_for=chart_for,
        page_rows=10**9,
    )


FROM = click.option(
    "--from",
    "start",
    type=UKDate(),
    required=True,
    help="First day, a local date: 2025-04-01 or 1/4/2025.",
)
TO = click.option("--to", "end", type=UKDate(), required=True, help="Last day, inclusive.")
OUT = click.option(
    "--out", type=click.Path(dir_okay=False, writable=True, path_type=Path), help="Write to FILE."
)
DEMO = click.option("--include-demo", is_flag=True, help="Count demo referrals too (dev only).")


@click.command()
@FROM
@TO
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "html"]),
    default="table",
    show_default=True,
    help="table: plain text; csv: every table in one tidy CSV (one line per cell), or the "
    "table itself with --table; json: every table with codes and labels; html: a page "
    "with charts.",
)
@click.option(
    "--table",
    "only",
    type=click.Choice(list(TABLE_KEYS)),
    metavar="KEY",
    help="Just this table, by its key (by_sector, case_duration …; docs/reports.md).",
)
@OUT
@DEMO
def report(
    start: dt.date, end: dt.date, fmt: str, only: str | None, out: Path | None, include_demo: bool
) -> None:
    """The annual-report tables for any period: contacts by quarter and month, sector,
    category, source and channel, outcomes, case duration, timeliness, workload,
    conversion, low-level concerns and triage agreement (docs/reports.md).

    Dates are local; the reporting year runs April to March.
    """
    _period(start, end)
    settings = load_settings()

    async def go(database: Database) -> FullReport:
        async with database.transaction() as session:
            found = await full_report(
                session,
                start=start,
                end=end,
                include_demo=include_demo,
                notification_rule=settings.authority.notification_deadline,
                response_hours=settings.authority.response_hours,
            )
            await audit.append(
                session,
                actor="system:cli",
                action="report",
                detail={
                    "from": start.isoformat(),
                    "to": end.isoformat(),
                    "format": fmt,
                    "table": only,
                    "include_demo": include_demo,
                },
            )
            return found

    found = with_database(go, settings)
    if only is not None and only not in found.tables:
        fail(
            f"the {only} table is only made when the period spans two reporting years",
            EXIT_NOT_FOUND,
        )
    tables = [labelled(found.tables[only])] if only else [labelled(t) for t in found.ordered()]
    if fmt == "json":
        document = found.as_dict()
        document["tables"] = [t.as_dict() for t in tables]
        _write(json.dumps(document, ensure_ascii=False, indent=2) + "\n", out)
    elif fmt == "csv":
        _write(table_csv(tables[0]) if only else long_csv(tables), out)
    elif fmt == "html":
        if only:
            found.tables = {only: found.tables[only]}
        _write(_html(found, settings), out)
    else:
        header = f"LADO report, {found.period.describe()}\n\n"
        _write(header + "\n".join(text_table(t) for t in tables), out)


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


@click.command()
@FROM
@TO
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="json", show_default=True
)
@click.option(
    "--include-text",
    is_flag=True,
    help="Add the free text (the referrer's account, the officer's reason, the triage "
    "rationale). Leave it out unless the receiving system needs it.",
)
@OUT
@DEMO
def export(
    start: dt.date,
    end: dt.date,
    fmt: str,
    include_text: bool,
    out: Path | None,
    include_demo: bool,
) -> None:
    """Decided referrals (decided on the dates given) for import into a case-management
    system, in the versioned schema of docs/export-schema.md.

    The export contains personal data (names, dates of birth, contact details):
    write it only to storage your data-protection policy allows.
    """
    _period(start, end)
    settings = load_settings()

    async def go(database: Database) -> list[dict[str, Any]]:
        async with database.transaction() as session:
            records = await export_records(
                session,
                start=start,
                end=end,
                include_demo=include_demo,
                include_text=include_text,
                notification_rule=settings.authority.notification_deadline,
            )
            await audit.append(
                session,
                actor="system:cli",
                action="export",
                detail={
                    "from": start.isoformat(),
                    "to": end.isoformat(),
                    "format": fmt,
                    "records": len(records),
                    "include_text": include_text,
                    "include_demo": include_demo,
                },
            )
            return records

    records = with_database(go, settings)
    if fmt == "json":
        document = {
            "schema": EXPORT_SCHEMA,
            "generated_at": utcnow().isoformat(timespec="seconds").replace("+00:00", "Z"),
            "from": start.isoformat(),
            "to": end.isoformat(),
            "count": len(records),
            "records": records,
        }
        _write(json.dumps(document, ensure_ascii=False, indent=2) + "\n", out)
    else:
        fields = [*EXPORT_FIELDS, *(TEXT_FIELDS if include_text else ())]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(fields)
        for record in records:
            writer.writerow([_csv_value(record[f]) for f in fields])
        _write(buffer.getvalue(), out)
    click.echo(
        f"lado: exported {len(records)} decided referral(s); the export contains personal data",
        err=True,
    )
