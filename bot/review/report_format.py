"""Report tables for people: the service's labels, number formats, CSV and plain text.

Shared by the ``/reports`` page and ``lado report`` so that the page, its CSV
downloads and the command line all say the same thing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from bot.review.present import (
    CHANNEL_LABELS,
    EMPLOYER_OUTCOME_LABELS,
    OUTCOME_LABELS,
    POLICE_OUTCOME_LABELS,
    label,
)
from store.reports import Row, Table, Value
from triage.vocab import CATEGORY_LABELS, SECTOR_LABELS

#: vocabularies for a table's ``row_dimension``
DIMENSION_LABELS: dict[str, Mapping[Any, str]] = {
    "sector": SECTOR_LABELS,
    "org_type": SECTOR_LABELS,
    "category": CATEGORY_LABELS,
    "channel": CHANNEL_LABELS,
    "outcome": OUTCOME_LABELS,
    "police_outcome": POLICE_OUTCOME_LABELS,
    "employer_outcome": EMPLOYER_OUTCOME_LABELS,
}
#: referral-source codes that are not sectors
EXTRA_LABELS = {
    "voluntary": "Voluntary organisation",
    "parent": "Parent or carer",
    "public": "Member of the public",
    "self": "Self-referral",
    "ofsted": "Ofsted",
    "probation": "Probation",
    "other_la": "Another local authority",
}
DASH = "—"
#: characters that make a spreadsheet treat a cell as a formula
_FORMULA = re.compile(r"^[=+\-@\t\r]")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y")


class BadDate(ValueError):
    """A date the person typed that we cannot read (the message never echoes it)."""


def parse_date(text: str) -> dt.date:
    """A date written as 2025-04-01 or the UK way (1/4/2025, 01/04/25, 1-4-2025)."""
    value = (text or "").strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    raise BadDate("Enter dates like 1/4/2025 or 2025-04-01.")


def _humanise(code: str) -> str:
    return code.replace("_", " ").capitalize()


def labelled(table: Table) -> Table:
    """The table with code row labels replaced by the service's wording."""
    vocabulary = DIMENSION_LABELS.get(table.row_dimension or "")
    if vocabulary is None:
        return table
    rows: list[Row] = []
    for row in table.rows:
        if row.total or row.key in ("none", "total") or row.label != row.key:
            rows.append(row)
            continue
        text = label(vocabulary, row.key, default="")
        if text == row.key:
            text = EXTRA_LABELS.get(row.key, _humanise(row.key))
        rows.append(replace(row, label=text))
    return replace(table, rows=rows)


def cell(value: Value, kind: str) -> str:
    """A value as the page shows it."""
    if value is None:
        return DASH
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if kind == "percent" and isinstance(value, int | float):
        return f"{float(value):.1f}%"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    if kind == "date":
        try:
            return dt.date.fromisoformat(str(value)).strftime("%-d %b %Y")
        except ValueError:
            return str(value)
    return str(value)


def plain(value: Value) -> str:
    """A value as a CSV cell: numbers bare, nothing for no value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def safe_text(text: str) -> str:
    """Text made inert in a spreadsheet (a leading = + - @ would start a formula)."""
    return "'" + text if _FORMULA.match(text) else text


def _csv_value(value: Value) -> str:
    return safe_text(value) if isinstance(value, str) else plain(value)


def table_csv(table: Table) -> str:
    """One table as CSV: a header row, then a row per table row (totals last)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([table.row_header, *[c.label for c in table.columns]])
    for row in table.rows:
        writer.writerow(
            [safe_text(row.label), *[_csv_value(row.values.get(c.key)) for c in table.columns]]
        )
    return out.getvalue()


def long_csv(tables: Iterable[Table]) -> str:
    """Every table in one tidy CSV: one line per cell, with the codes beside the labels."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["table", "row_key", "row", "column_key", "column", "value"])
    for table in tables:
        for row in table.rows:
            for column in table.columns:
                writer.writerow(
                    [
                        table.key,
                        row.key,
                        safe_text(row.label),
                        column.key,
                        column.label,
                        _csv_value(row.values.get(column.key)),
                    ]
                )
    return out.getvalue()


def text_table(table: Table) -> str:
    """A table for a terminal: aligned columns, numbers right-aligned."""
    header = [table.row_header, *[c.label for c in table.columns]]
    body = [
        [row.label, *[cell(row.values.get(c.key), c.kind) for c in table.columns]]
        for row in table.rows
    ]
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    numeric = [False] + [c.kind not in ("text", "date") for c in table.columns]

    def line(cells: list[str]) -> str:
        parts = [
            (c.rjust(w) if num else c.ljust(w))
            for c, w, num in zip(cells, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    lines = [table.title, "=" * len(table.title), line(header), rule]
    for row, cells in zip(table.rows, body, strict=True):
        if row.total:
            lines.append(rule)
        lines.append(line(cells))
    return "\n".join(lines) + "\n"


def csv_filename(table_key: str, start: dt.date, end: dt.date) -> str:
    return f"lado-{table_key.replace('_', '-')}-{start.isoformat()}-to-{end.isoformat()}.csv"
