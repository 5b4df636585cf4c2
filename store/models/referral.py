"""The referral (the queue item) and the children it concerns.

Schema family per entity: ``ReferralBase`` holds what any channel may supply,
``ReferralCreate`` validates it on the way in, ``Referral`` is the table and
``ReferralPublic`` is what leaves the store for scripts (``lado queue --json``).
"""

import datetime as dt
from typing import Any

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from store.enums import Channel, Kind, Status
from store.types import JSONType, UTCDateTime, utcnow

NARRATIVE_MAX = 100_000
REASON_MAX = 4_000


class ReferralBase(SQLModel):
    kind: str = Field(default=Kind.CONCERN.value, max_length=20)
    channel: str = Field(default=Channel.FORM.value, max_length=10)
    received_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    aware_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    incident_on: dt.date | None = None
    demo: bool = False
    incomplete: bool = False

    # the referrer
    referrer_name: str | None = Field(default=None, max_length=200)
    referrer_role: str | None = Field(default=None, max_length=200)
    referrer_organisation: str | None = Field(default=None, max_length=300)
    referrer_org_type: str | None = Field(default=None, max_length=40)
    referrer_email: str | None = Field(default=None, max_length=320)
    referrer_phone: str | None = Field(default=None, max_length=40)
    referrer_is_dsl: bool | None = None

    # the adult of concern
    adult_name: str | None = Field(default=None, max_length=200)
    adult_dob: dt.date | None = None
    adult_address: str | None = Field(default=None, max_length=500)
    adult_role: str | None = Field(default=None, max_length=200)
    adult_employer: str | None = Field(default=None, max_length=300)
    adult_employment_basis: str | None = Field(default=None, max_length=20)
    adult_other_roles: str | None = Field(default=None, max_length=1000)
    adult_status: str | None = Field(default=None, max_length=30)
    adult_informed: bool | None = None
    sector: str | None = Field(default=None, max_length=40)
    sector_detail: str | None = Field(default=None, max_length=40)

    # what happened
    narrative: str = Field(default="", max_length=NARRATIVE_MAX, sa_type=Text)
    non_recent: bool = False
    immediate_danger: bool = False
    location: str | None = Field(default=None, max_length=300)
    in_work: str | None = Field(default=None, max_length=20)
    restraint: bool | None = None
    injury: str | None = Field(default=None, max_length=500)
    previous_concerns: str | None = Field(default=None, max_length=2000)

    # what has been done already
    police_informed: bool | None = None
    crime_reference: str | None = Field(default=None, max_length=60)
    csc_informed: bool | None = None
    parents_informed: bool | None = None

    #: every other detail collected by a dialog, form or email, keyed by
    #: triage.vocab.ESSENTIAL_DETAILS keys (values are JSON scalars)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)

    # the triage suggestion
    triage_suggestion: str | None = Field(default=None, max_length=20)
    triage_criteria: list[str] = Field(default_factory=list, sa_type=JSONType)
    triage_categories: list[str] = Field(default_factory=list, sa_type=JSONType)
    triage_evidence: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONType)
    triage_rationale: str | None = Field(default=None, max_length=REASON_MAX, sa_type=Text)
    triage_missing: list[str] = Field(default_factory=list, sa_type=JSONType)
    triage_confidence: float | None = None
    triage_rules_version: str | None = Field(default=None, max_length=80)
    triage_other_experiencer: bool = False
    triage_works_with_children: bool | None = None
    triaged_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)

    #: the conversation this referral came from (web chat / Teams), if any
    conversation_id: str | None = Field(default=None, max_length=36, index=True)


class ReferralCreate(ReferralBase):
    """Validated input for a new referral (string lengths are checked here)."""


class Referral(ReferralBase, table=True):
    __table_args__ = (
        Index("ix_referral_adult_dob", "adult_dob"),
        Index("ix_referral_queue", "priority", "aware_wd_index", "received_at"),
        Index("ix_referral_status_queue", "status", "priority", "aware_wd_index", "received_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=20, unique=True)
    status: str = Field(default=Status.NEW.value, max_length=12, index=True)
    version: int = Field(default=1)

    #: 0 for URGENT items, 1 otherwise: the first key of the queue order
    priority: int = Field(default=1)
    #: England & Wales working-day number of the date the organisation became aware
    #: (or of receipt when that is unknown): the second key of the queue order
    aware_wd_index: int = Field(default=0)

    #: officer-confirmed abuse categories (start as the triage's; used by reports)
    categories: list[str] = Field(default_factory=list, sa_type=JSONType)

    # matching key for previous-concern search (derived, see store.matching)
    adult_employer_key: str | None = Field(default=None, max_length=120, index=True)

    # officer handling
    claimed_by_id: int | None = Field(default=None, foreign_key="officer.id", index=True)
    claimed_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    first_action_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision: str | None = Field(default=None, max_length=24, index=True)
    decision_reason: str | None = Field(default=None, max_length=REASON_MAX, sa_type=Text)
    decided_by_id: int | None = Field(default=None, foreign_key="officer.id")
    decided_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    duplicate_of_id: int | None = Field(default=None, foreign_key="referral.id")
    waiting_on: str | None = Field(default=None, max_length=20)
    waiting_reason: str | None = Field(default=None, max_length=500)
    waiting_since: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)

    # case lifecycle (for the annual-report tables)
    strategy_meeting_on: dt.date | None = None
    outcome: str | None = Field(default=None, max_length=20)
    police_outcome: str | None = Field(default=None, max_length=20)
    employer_outcome: str | None = Field(default=None, max_length=20)
    dbs_referral: bool | None = None
    regulator_referral: str | None = Field(default=None, max_length=100)
    closed_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)

    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReferralPublic(ReferralBase):
    """What scripts receive (``lado queue --json``, exports)."""

    id: int
    reference: str
    status: str
    version: int
    priority: int
    categories: list[str]
    claimed_by_id: int | None
    decision: str | None
    decided_at: dt.datetime | None
    closed_at: dt.datetime | None


class ChildBase(SQLModel):
    name: str | None = Field(default=None, max_length=100)
    age: int | None = Field(default=None, ge=0, le=120)
    dob: dt.date | None = None
    send: bool | None = None
    send_details: str | None = Field(default=None, max_length=300)
    looked_after: bool | None = None
    on_plan: bool | None = None
    social_worker: str | None = Field(default=None, max_length=200)


class ChildCreate(ChildBase):
    pass


class Child(ChildBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True)
    position: int = 0


class ChildPublic(ChildBase):
    id: int


class AdultNameKey(SQLModel, table=True):
    """Phonetic keys of the adult's name tokens, for finding previous concerns."""

    __tablename__ = "adult_name_key"

    referral_id: int = Field(foreign_key="referral.id", primary_key=True)
    key: str = Field(max_length=16, primary_key=True, index=True)
