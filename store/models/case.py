"""Officer notes, links between referrals, and the reference-number counter."""

import datetime as dt

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from store.enums import LinkKind
from store.types import UTCDateTime, utcnow

NOTE_MAX = 10_000


class NoteBase(SQLModel):
    text: str = Field(max_length=NOTE_MAX, sa_type=Text)


class NoteCreate(NoteBase):
    pass


class Note(NoteBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True)
    officer_id: int = Field(foreign_key="officer.id")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReferralLink(SQLModel, table=True):
    __tablename__ = "referral_link"
    __table_args__ = (UniqueConstraint("referral_id", "linked_id", name="uq_referral_link"),)

    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True)
    linked_id: int = Field(foreign_key="referral.id", index=True)
    kind: str = Field(default=LinkKind.RELATED.value, max_length=20)
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReferenceCounter(SQLModel, table=True):
    """The last reference number issued per year (``LADO-2026-000123``)."""

    __tablename__ = "reference_counter"

    year: int = Field(primary_key=True)
    last: int = 0
