"""Dates people write in words, resolved against the time their message arrived.

"yesterday", "last Tuesday", "3rd March", "03/04/2026" (UK day-month order): the
dialog's date questions and the report form read answers through here, with the
same reader the triage uses for dates in an account (``triage.dates``), so a date
means the same thing in every channel.
"""

from __future__ import annotations

import datetime as dt

from triage import dates


def resolve_date(text: str, *, at: dt.datetime) -> dt.date | None:
    """The calendar date ``text`` names, read in England relative to ``at`` (the time the
    message arrived, timezone-aware); None when it is not a clear date."""
    cleaned = " ".join(text.strip().rstrip(".!").split())
    if not cleaned or len(cleaned) > 80:
        return None
    return dates.resolve_date(cleaned, base=at)
