"""Decided referrals in a stable, versioned schema for case-management systems.

``EXPORT_FIELDS`` is the schema (docs/export-schema.md documents each field);
fields are only ever added at the end within a major version, and any removal
or change of meaning bumps ``EXPORT_SCHEMA``. Free text (the referrer's account,
the officer's reason, the triage rationale) is left out unless asked for.
The export holds personal data (names, dates of birth, contact details).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from store import workdays
from store.enums import Kind
from store.models import Child, Officer, Referral
from store.reports.agreement import AGREEING
from store.reports.period import DateRange
from store.reports.sql import between, not_demo

EXPORT_SCHEMA = "lado-export/1"

#: (field, referral column or None when derived) in the schema's order
_FIELDS: tuple[tuple[str, str | None], ...] = (
    ("schema", None),
    ("reference", "reference"),
    ("received_at", "received_at"),
    ("aware_at", "aware_at"),
    ("incident_on", "incident_on"),
    ("channel", "channel"),
    ("non_recent", "non_recent"),
    ("immediate_danger", "immediate_danger"),
    ("sector", "sector"),
    ("sector_detail", "sector_detail"),
    ("referrer_org_type", "referrer_org_type"),
    ("referrer_organisation", "referrer_organisation"),
    ("referrer_name", "referrer_name"),
    ("referrer_role", "referrer_role"),
    ("referrer_email", "referrer_email"),
    ("referrer_phone", "referrer_phone"),
    ("adult_name", "adult_name"),
    ("adult_dob", "adult_dob"),
    ("adult_role", "adult_role"),
    ("adult_employer", "adult_employer"),
    ("adult_employment_basis", "adult_employment_basis"),
    ("adult_status", "adult_status"),
    ("children", None),
    ("police_informed", "police_informed"),
    ("crime_reference", "crime_reference"),
    ("csc_informed", "csc_informed"),
    ("categories", "categories"),
    ("triage_suggestion", "triage_suggestion"),
    ("triage_criteria", "triage_criteria"),
    ("triage_rules_version", "triage_rules_version"),
    ("decision", "decision"),
    ("decided_at", "decided_at"),
    ("decided_by", None),
    ("agrees_with_suggestion", None),
    ("notified_in_time", None),
    ("duplicate_of", None),
    ("status", "status"),
    ("strategy_meeting_on", "strategy_meeting_on"),
    ("outcome", "outcome"),
    ("police_outcome", "police_outcome"),
    ("employer_outcome", "employer_outcome"),
    ("dbs_referral", "dbs_referral"),
    ("regulator_referral", "regulator_referral"),
    ("closed_at", "closed_at"),
)
#: free-text fields, only with ``include_text`` (appended after the schema's fields)
_TEXT: tuple[tuple[str, str], ...] = (
    ("narrative", "narrative"),
    ("decision_reason", "decision_reason"),
    ("triage_rationale", "triage_rationale"),
)
EXPORT_FIELDS: tuple[str, ...] = tuple(name for name, _c in _FIELDS)
TEXT_FIELDS: tuple[str, ...] = tuple(name for name, _c in _TEXT)


def _json(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [str(v) for v in value]
    return value


async def export_records(
    session: AsyncSession,
    *,
    start: dt.date,
    end: dt.date,
    include_demo: bool = False,
    include_text: bool = False,
    notification_rule: workdays.NotificationRule = "1wd",
) -> list[dict[str, Any]]:
    """Concerns decided on the local dates ``start``..``end``, oldest decision first.

    Each record is a dict with exactly ``EXPORT_FIELDS`` (then ``TEXT_FIELDS`` when
    ``include_text``), values JSON-ready: timestamps as UTC ISO 8601 (``Z``), dates
    as ISO dates, lists of codes as lists.
    """
    period = DateRange(start, end)
    original = aliased(Referral)
    children = (
        sa_select(func.count())
        .where(col(Child.referral_id) == col(Referral.id))
        .scalar_subquery()
        .label("children")
    )
    columns = {column for _name, column in (*_FIELDS, *(_TEXT if include_text else ())) if column}
    columns |= {"triage_suggestion", "decision", "aware_at", "received_at"}
    stmt = (
        sa_select(
            *[getattr(Referral, c).label(c) for c in sorted(columns)],
            col(Officer.email).label("_decided_by"),
            col(original.reference).label("_duplicate_of"),
            children.label("_children"),
        )
        .select_from(Referral)
        .outerjoin(Officer, col(Officer.id) == col(Referral.decided_by_id))
        .outerjoin(original, col(original.id) == col(Referral.duplicate_of_id))
        .where(
            col(Referral.kind) == Kind.CONCERN.value,
            col(Referral.decision).is_not(None),
            *between(col(Referral.decided_at), period),
            *not_demo(include_demo),
        )
        .order_by(col(Referral.decided_at), col(Referral.id))
    )
    records: list[dict[str, Any]] = []
    for row in (await (await session.connection()).execute(stmt)).mappings():
        suggestion, aware = row["triage_suggestion"], row["aware_at"]
        derived: dict[str, Any] = {
            "schema": EXPORT_SCHEMA,
            "children": int(row["_children"] or 0),
            "decided_by": row["_decided_by"],
            "agrees_with_suggestion": (
                None if suggestion is None else AGREEING.get(suggestion) == row["decision"]
            ),
            "notified_in_time": (
                None
                if aware is None
                else workdays.notified_in_time(aware, row["received_at"], notification_rule)
            ),
            "duplicate_of": row["_duplicate_of"],
        }
        record = {
            name: _json(derived[name] if column is None else row[column])
            for name, column in _FIELDS
        }
        if include_text:
            record.update({name: row[column] for name, column in _TEXT})
        records.append(record)
    return records
