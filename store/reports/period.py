"""Report periods: the April–March reporting year, its quarters and months.

All dates are local (Europe/London). A range is inclusive of both ends; in the
database it becomes the half-open UTC interval from local midnight at the start
to local midnight after the end, so 23:30 on 31 March in summer time (22:30 UTC)
and 00:30 on 1 April BST (23:30 UTC on 31 March) fall on the right sides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from store.workdays import LONDON

UTC = dt.UTC
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
QUARTER_MONTHS = {1: "Apr–Jun", 2: "Jul–Sep", 3: "Oct–Dec", 4: "Jan–Mar"}


def local_midnight(day: dt.date) -> dt.datetime:
    """The UTC instant at which ``day`` begins in England."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=LONDON).astimezone(UTC)


def reporting_year(day: dt.date) -> int:
    """The reporting year a date falls in, named by its first calendar year (2025 = 2025/26)."""
    return day.year if day.month >= 4 else day.year - 1


def year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def quarter(day: dt.date) -> tuple[int, int]:
    """(reporting year, quarter 1–4): Q1 = April–June … Q4 = January–March."""
    return reporting_year(day), (day.month - 4) % 12 // 3 + 1


def quarter_key(year: int, q: int) -> str:
    return f"{year}-Q{q}"


def quarter_label(year: int, q: int) -> str:
    return f"{year_label(year)} Q{q} ({QUARTER_MONTHS[q]})"


def month_key(day: dt.date) -> str:
    return f"{day.year}-{day.month:02d}"


def month_label(year: int, month: int) -> str:
    return f"{MONTH_ABBR[month - 1]} {year}"


def quarter_bounds(year: int, q: int) -> tuple[dt.date, dt.date]:
    first_month = (3 + 3 * (q - 1)) % 12 + 1
    first_year = year if first_month >= 4 else year + 1
    start = dt.date(first_year, first_month, 1)
    end_month = first_month + 2
    end = dt.date(first_year, end_month + 1, 1) if end_month < 12 else dt.date(first_year + 1, 1, 1)
    return start, end - dt.timedelta(days=1)


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of local dates."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("the end of the period is before its start")

    @property
    def utc_start(self) -> dt.datetime:
        return local_midnight(self.start)

    @property
    def utc_end(self) -> dt.datetime:
        """Exclusive: local midnight after the last day."""
        return local_midnight(self.end + dt.timedelta(days=1))

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def months(self) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        y, m = self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def quarters(self) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for y, m in self.months():
            q = quarter(dt.date(y, m, 1))
            if q not in out:
                out.append(q)
        return out

    def years(self) -> list[int]:
        return list(range(reporting_year(self.start), reporting_year(self.end) + 1))

    def covers(self, start: dt.date, end: dt.date) -> bool:
        """True when [start, end] lies wholly inside the range."""
        return self.start <= start and end <= self.end

    def clip(self, start: dt.date, end: dt.date) -> DateRange:
        return DateRange(max(start, self.start), min(end, self.end))

    def year_range(self, year: int) -> DateRange:
        """The part of reporting year ``year`` inside this range."""
        return self.clip(dt.date(year, 4, 1), dt.date(year + 1, 3, 31))

    def describe(self) -> str:
        return f"{self.start:%-d %b %Y} to {self.end:%-d %b %Y}"


def year_to_date(today: dt.date) -> DateRange:
    """From 1 April of the current reporting year to ``today``."""
    return DateRange(dt.date(reporting_year(today), 4, 1), today)
