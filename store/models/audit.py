"""The append-only, hash-chained audit log of every view and change."""

import datetime as dt
from typing import Any

from sqlmodel import Field, SQLModel

from store.types import JSONType, UTCDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    """One audited action. ``hash`` covers this row's content and ``prev_hash``.

    Rows are never updated or deleted (database triggers refuse it); ``detail``
    never holds safeguarding text, only field names and coded values.
    """

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(unique=True)
    at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor: str = Field(max_length=120)
    officer_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=40)
    referral_id: int | None = Field(default=None, index=True)
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The single row holding the chain's current head; locked while appending."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    hash: str = Field(max_length=64)
