"""``/reports``: the annual-report tables for managers, for any period, with charts
and a CSV download per table.

Managers and administrators only (403 for other roles; anonymous users are
sent to sign in by the auth middleware). Every view and download is audited
with the period and table, never with any data from the tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.review.auth import require
from bot.review.report_charts import chart_for
from bot.review.report_format import (
    BadDate,
    cell,
    csv_filename,
    labelled,
    parse_date,
    table_csv,
)
from bot.templating import render
from bot.web.errors import UserError
from bot.web.keys import DB, SETTINGS
from intake.officers import Actor
from store import audit
from store.enums import Role
from store.reports import SECTIONS, TABLE_KEYS, FullReport, Table, full_report, year_to_date
from store.types import utcnow
from store.workdays import local_date

routes = web.RouteTableDef()

READERS = frozenset({Role.MANAGER, Role.ADMIN})
#: rows of a long table shown on the page (the CSV has them all)
PAGE_ROWS = 50
#: the longest period one report may cover
MAX_DAYS = 366 * 10


@dataclass(frozen=True)
class Query:
    start: dt.date
    end: dt.date
    include_demo: bool


def read_query(request: web.Request) -> tuple[Query, list[str]]:
    """The period asked for (default: this reporting year to date) and any problems."""
    default = year_to_date(local_date(utcnow()))
    problems: list[str] = []
    dates: list[dt.date] = []
    for name, fallback, what in (("from", default.start, "start"), ("to", default.end, "end")):
        raw = request.query.get(name, "").strip()
        if not raw:
            dates.append(fallback)
            continue
        try:
            dates.append(parse_date(raw[:40]))
        except BadDate:
            problems.append(f"The {what} date is not a date. Enter dates like 1/4/2025.")
            dates.append(fallback)
    start, end = dates
    if not problems and end < start:
        problems.append("The end date is before the start date.")
    elif not problems and (end - start).days > MAX_DAYS:
        problems.append("Choose a period of ten years or less.")
    include_demo = request.query.get("demo") == "1"
    return Query(start, end, include_demo), problems


async def build(
    request: web.Request,
    actor: Actor,
    query: Query,
    action: str,
    *,
    list_limit: int | None = None,
    **detail: Any,
) -> FullReport:
    settings = request.app[SETTINGS]
    async with request.app[DB].transaction() as session:
        report = await full_report(
            session,
            start=query.start,
            end=query.end,
            include_demo=query.include_demo,
            notification_rule=settings.authority.notification_deadline,
            response_hours=settings.authority.response_hours,
            list_limit=list_limit,
        )
        await audit.append(
            session,
            actor=actor.name,
            officer_id=actor.officer_id,
            action=action,
            detail={
                "from": query.start.isoformat(),
                "to": query.end.isoformat(),
                "include_demo": query.include_demo,
                **detail,
            },
        )
    return report


def sections(report: FullReport) -> list[tuple[str, str, list[Table]]]:
    """The page's sections with their (labelled) tables, in order."""
    out = []
    for ident, title, keys in SECTIONS:
        tables = [labelled(report.tables[k]) for k in keys if k in report.tables]
        if tables:
            out.append((ident, title, tables))
    return out


def template_helpers() -> dict[str, Any]:
    return {"cell": cell, "chart_for": chart_for, "page_rows": PAGE_ROWS}


@routes.get("/reports")
async def page(request: web.Request) -> web.StreamResponse:
    actor = require(request, READERS)
    query, problems = read_query(request)
    context: dict[str, Any] = {
        "query": query,
        "problems": problems,
        "report": None,
        "sections": [],
        "csv_query": "",
        **template_helpers(),
    }
    if problems:
        return render("reports/page.html", request, context, status=400)
    report = await build(request, actor, query, "report_view", list_limit=PAGE_ROWS)
    csv_query = f"from={query.start.isoformat()}&to={query.end.isoformat()}"
    if query.include_demo:
        csv_query += "&demo=1"
    context.update(report=report, sections=sections(report), csv_query=csv_query)
    return render("reports/page.html", request, context)


@routes.get(r"/reports/{table:[a-z0-9_]+}.csv")
async def table_download(request: web.Request) -> web.StreamResponse:
    actor = require(request, READERS)
    key = request.match_info["table"]
    if key not in TABLE_KEYS:
        raise UserError(404, "There is no report table with that name.")
    query, problems = read_query(request)
    if problems:
        raise UserError(400, "Check the period.", problems)
    report = await build(request, actor, query, "report_csv", table=key)
    if key not in report.tables:
        raise UserError(404, "That table is only made when the period spans more than one year.")
    body = table_csv(labelled(report.tables[key]))
    filename = csv_filename(key, query.start, query.end)
    return web.Response(
        body=("\ufeff" + body).encode("utf-8"),  # a BOM so that Excel reads UTF-8
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def setup(app: web.Application) -> None:
    app.add_routes(routes)
