"""Simple charts for the report tables, drawn on the server as SVG.

No script, no third-party library and no inline style (the CSP forbids both):
shapes carry classes styled by /static/reports/reports.css. Every chart is an
image with a title and a description, and the same figures are in the table
beside it, so nothing is only in the chart.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from store.reports import Row, Table

WIDTH = 640
BAR = 22
GAP = 8
LABEL_W = 250
LABEL_CHARS = 32
PLOT_H = 200
MAX_BARS = 20
#: the narrowest room (px) an axis label needs
LABEL_ROOM = 64
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
#: short axis labels for rows whose labels are long
SHORT = {
    "within_1m": "≤ 1 month",
    "1_3m": "1–3 months",
    "3_6m": "3–6 months",
    "6_12m": "6–12 months",
    "over_12m": "> 12 months",
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Chart:
    kind: str  # "hbar" (one bar per row), "columns" (over time), "stacked" (over time)
    columns: tuple[str, ...]  # the value column(s) drawn
    percent: bool = False


#: which tables have a chart, and what it draws
CHARTS: dict[str, Chart] = {
    "contacts_by_quarter": Chart(
        "stacked", ("advice", "low_level_concern", "consultation", "referral", "not_lado")
    ),
    "contacts_by_month": Chart("columns", ("total",)),
    "by_sector": Chart("hbar", ("total",)),
    "by_category": Chart("hbar", ("total",)),
    "by_source": Chart("hbar", ("total",)),
    "by_channel": Chart("hbar", ("total",)),
    "outcomes": Chart("hbar", ("total",)),
    "police_outcomes": Chart("hbar", ("total",)),
    "employer_outcomes": Chart("hbar", ("total",)),
    "case_duration": Chart("columns", ("total",)),
    "notification_timeliness": Chart("columns", ("percent",), percent=True),
    "response_by_month": Chart("columns", ("percent",), percent=True),
    "conversion": Chart("columns", ("threshold_percent",), percent=True),
}


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _body(table: Table) -> list[Row]:
    return [r for r in table.rows if not r.total][:MAX_BARS]


def _svg(table: Table, height: int, content: list[str], summary: str) -> Markup:
    ident = f"chart-{table.key}"
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{ident}-title {ident}-desc" focusable="false">',
        f'<title id="{ident}-title">Chart: {escape(table.title)}</title>',
        f'<desc id="{ident}-desc">{escape(summary)} The figures are in the table that '
        "follows.</desc>",
        *content,
        "</svg>",
    ]
    return Markup("".join(parts))  # noqa: S704 (every text escaped above and in the content)


def _hbar(table: Table, chart: Chart) -> Markup | None:
    rows = _body(table)
    values = [_number(r.values.get(chart.columns[0])) for r in rows]
    top = max(values, default=0.0)
    if top <= 0:
        return None
    plot = WIDTH - LABEL_W - 70
    content: list[str] = []
    for i, (row, value) in enumerate(zip(rows, values, strict=True)):
        y = GAP + i * (BAR + GAP)
        width = plot * value / top
        name = row.label if len(row.label) <= LABEL_CHARS else row.label[: LABEL_CHARS - 1] + "…"
        content += [
            f'<text class="chart-label" x="{LABEL_W - 8}" y="{y + BAR * 0.7:.1f}" '
            f'text-anchor="end">{escape(name)}</text>',
            f'<rect class="bar s0" x="{LABEL_W}" y="{y}" width="{width:.1f}" height="{BAR}"/>',
            f'<text class="chart-value" x="{LABEL_W + width + 6:.1f}" y="{y + BAR * 0.7:.1f}">'
            f"{_show(value, chart.percent)}</text>",
        ]
    height = GAP + len(rows) * (BAR + GAP)
    return _svg(table, height, content, f"Horizontal bars, one for each {table.row_header}.")


def axis_label(row: Row) -> str:
    """A short label under a column: Q1 25/26, Apr 25, or the row's label cut short."""
    if match := _QUARTER.match(row.key):
        year = int(match.group(1))
        return f"Q{match.group(2)} {year % 100:02d}/{(year + 1) % 100:02d}"
    if match := _MONTH.match(row.key):
        return f"{_MONTHS[int(match.group(2)) - 1]} {int(match.group(1)) % 100:02d}"
    text = SHORT.get(row.key, row.label.split(" (")[0])
    return text if len(text) <= 14 else text[:13] + "…"


def _show(value: float, percent: bool) -> str:
    return f"{value:.1f}%" if percent else f"{value:,.0f}"


def _columns(table: Table, chart: Chart) -> Markup | None:
    rows = [r for r in table.rows if not r.total]
    if not rows:
        return None
    stacked = chart.kind == "stacked"
    totals = [sum(_number(r.values.get(c)) for c in chart.columns) for r in rows]
    top = 100.0 if chart.percent else max(totals, default=0.0)
    if top <= 0:
        return None
    left, bottom = 64, 40
    legend_h = 24 if stacked else 0
    height = PLOT_H + bottom + legend_h + 10
    slot = (WIDTH - left - 10) / len(rows)
    bar_w = max(min(slot * 0.7, 48), 2)
    content = [
        f'<line class="axis" x1="{left}" y1="{PLOT_H + 5}" x2="{WIDTH - 5}" y2="{PLOT_H + 5}"/>',
        f'<text class="chart-value" x="{left - 6}" y="14" text-anchor="end">'
        f"{_show(top, chart.percent)}</text>",
        f'<text class="chart-value" x="{left - 6}" y="{PLOT_H + 5}" text-anchor="end">0</text>',
    ]
    label_every = max(1, math.ceil(LABEL_ROOM / slot))
    for i, row in enumerate(rows):
        x = left + i * slot + (slot - bar_w) / 2
        base = PLOT_H + 5.0
        for s, column in enumerate(chart.columns):
            value = _number(row.values.get(column))
            h = PLOT_H * value / top
            base -= h
            content.append(
                f'<rect class="bar s{s if stacked else 0}" x="{x:.1f}" y="{base:.1f}" '
                f'width="{bar_w:.1f}" height="{h:.1f}"/>'
            )
        if i % label_every == 0:
            content.append(
                f'<text class="chart-label" x="{x + bar_w / 2:.1f}" y="{PLOT_H + 22}" '
                f'text-anchor="middle">{escape(axis_label(row))}</text>'
            )
    if stacked:
        x = left
        y = PLOT_H + bottom + 8
        names = {c.key: c.label for c in table.columns}
        for s, column in enumerate(chart.columns):
            content += [
                f'<rect class="bar s{s}" x="{x}" y="{y}" width="12" height="12"/>',
                f'<text class="chart-label" x="{x + 16}" y="{y + 11}">'
                f"{escape(names.get(column, column))}</text>",
            ]
            x += 24 + 8 * len(names.get(column, column))
    kind = "Stacked columns" if stacked else "Columns"
    return _svg(table, height, content, f"{kind}, one for each {table.row_header}.")


def chart_for(table: Table) -> Markup | None:
    """The table's chart as inline SVG, or None when it has none (or nothing to draw)."""
    chart = CHARTS.get(table.key)
    if chart is None:
        return None
    if chart.kind == "hbar":
        return _hbar(table, chart)
    return _columns(table, chart)
