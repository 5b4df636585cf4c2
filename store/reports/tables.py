"""The shape every report table takes: typed rows and columns keyed by codes.

Row and column keys are stable codes (``education``, ``referral``, ``2025-Q1``);
labels here are plain defaults, and the web page and command line replace code
labels with the service's own wording (``row_dimension`` / ``column_dimension``
name the vocabulary). A table knows how it was counted (``definition``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

Value = int | float | str | None
ColumnKind = Literal["count", "percent", "text", "date", "number"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: ColumnKind = "count"


@dataclass
class Row:
    key: str
    label: str
    values: dict[str, Value]
    #: a totals row (rendered last, bold)
    total: bool = False


@dataclass
class Table:
    key: str
    title: str
    #: what counts and which date decides the period
    definition: str
    row_header: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    row_dimension: str | None = None
    column_dimension: str | None = None
    notes: list[str] = field(default_factory=list)
    #: rows (totals aside) the table has in full, when only the first are here
    total_rows: int | None = None

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    def value(self, row_key: str, column_key: str) -> Value:
        """One cell; a missing cell reads as None."""
        return self.row(row_key).values.get(column_key)

    def column_keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "title": self.title,
            "definition": self.definition,
            "row_header": self.row_header,
            "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in self.columns],
            "rows": [
                {"key": r.key, "label": r.label, "total": r.total, "values": dict(r.values)}
                for r in self.rows
            ],
            "notes": list(self.notes),
        }


def percent(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole`` to one decimal place (None when ``whole`` is 0)."""
    if whole <= 0:
        return None
    return round(100.0 * part / whole, 1)


def count_rows(
    keys: Iterable[str],
    counts: Mapping[str, Mapping[str, int]],
    columns: list[Column],
    labels: Mapping[str, str] | None = None,
) -> list[Row]:
    """Rows of counts (missing cells are 0)."""
    labels = labels or {}
    out: list[Row] = []
    for key in keys:
        found = counts.get(key, {})
        out.append(
            Row(key, labels.get(key, key), {c.key: int(found.get(c.key, 0)) for c in columns})
        )
    return out


def total_row(rows: list[Row], columns: list[Column], label: str = "Total") -> Row:
    values: dict[str, Value] = {}
    for c in columns:
        if c.kind == "count":
            values[c.key] = sum(int(r.values.get(c.key) or 0) for r in rows)
        else:
            values[c.key] = None
    return Row("total", label, values, total=True)
