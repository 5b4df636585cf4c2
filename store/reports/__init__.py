"""Report queries: the annual-report tables, timeliness and triage agreement.

``full_report(session, start=..., end=...)`` returns every table for a range of
local dates; ``export_records`` returns decided referrals in the export schema.
Every count is grouped in the database (GROUP BY); definitions are in
docs/reports.md and on each table (``Table.definition``).
"""

from store.reports.agreement import AGREEING, Agreement
from store.reports.export import EXPORT_FIELDS, EXPORT_SCHEMA, TEXT_FIELDS, export_records
from store.reports.period import DateRange, reporting_year, year_to_date
from store.reports.report import SECTIONS, TABLE_KEYS, FullReport, full_report
from store.reports.tables import Column, Row, Table, Value

__all__ = [
    "AGREEING",
    "EXPORT_FIELDS",
    "EXPORT_SCHEMA",
    "SECTIONS",
    "TABLE_KEYS",
    "TEXT_FIELDS",
    "Agreement",
    "Column",
    "DateRange",
    "FullReport",
    "Row",
    "Table",
    "Value",
    "export_records",
    "full_report",
    "reporting_year",
    "year_to_date",
]
