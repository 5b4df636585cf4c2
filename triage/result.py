"""The typed, JSON-serialisable result of a triage.

This module is the contract between the triage and everything that consumes it
(intake maps it onto store rows; the dialog pre-fills answers from `fields`; the
email follow-up asks for `missing`). Add fields freely; do not rename or remove
them without updating every consumer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from triage.vocab import Category, Criterion, Suggestion

AdultStatus = Literal["working", "suspended", "redeployed", "left", "not_working_with_children"]
EmploymentBasis = Literal["paid", "volunteer", "agency", "self_employed"]


class Evidence(BaseModel):
    """A span of the input that engaged a criterion, category or modifier.

    Invariant: ``text == input[start:end]`` for the exact string passed to ``assess``.
    """

    model_config = ConfigDict(frozen=True)

    label: str = Field(
        description="what the span shows, e.g. 'criterion:harmed', 'category:physical', "
        "'role', 'immediacy', 'negation', 'non_recent', 'other_experiencer'"
    )
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class ExtractedFields(BaseModel):
    """Details found in the text (or supplied in ``known``)."""

    adult_name: str | None = None
    adult_role: str | None = None
    adult_dob: dt.date | None = None
    employer: str | None = None
    sector: str | None = Field(default=None, description="a triage.vocab.Sector code")
    sector_detail: str | None = None
    employment_basis: EmploymentBasis | None = None
    children_ages: list[int] = Field(default_factory=list)
    child_name: str | None = None
    incident_date: dt.date | None = None
    aware_date: dt.date | None = None
    location: str | None = None
    in_work: Literal["in_work", "outside_work", "online"] | None = None
    restraint: bool | None = None
    injury: str | None = None
    police_informed: bool | None = None
    csc_informed: bool | None = None
    parents_informed: bool | None = None
    crime_reference: str | None = None
    adult_status: AdultStatus | None = None
    adult_informed: bool | None = None
    # added by the triage (issue 4); all optional
    adult_address: str | None = None
    adult_other_roles: str | None = None
    child_send: bool | None = None
    child_looked_after: bool | None = None
    previous_concerns: bool | None = None
    referrer_name: str | None = None
    referrer_role: str | None = None
    referrer_organisation: str | None = None
    referrer_contact: str | None = None
    referrer_is_dsl: bool | None = None


class TriageResult(BaseModel):
    """What the triage suggests for one text, with its evidence and what is still missing."""

    suggestion: Suggestion
    criteria: list[Criterion] = Field(default_factory=list)
    categories: list[Category] = Field(default_factory=list)
    non_recent: bool = False
    immediate_danger: bool = False
    works_with_children: bool | None = None
    other_experiencer: bool = False
    evidence: list[Evidence] = Field(default_factory=list)
    rationale: str = ""
    fields: ExtractedFields = Field(default_factory=ExtractedFields)
    missing: list[str] = Field(
        default_factory=list, description="keys of triage.vocab.ESSENTIAL_DETAILS still unknown"
    )
    confidence: float = Field(ge=0.0, le=1.0, default=0.5)
    rules_version: str = ""
    # added by the triage (issue 4); all optional
    flags: list[str] = Field(
        default_factory=list,
        description="context found, e.g. 'denial', 'retraction', 'hypothetical', "
        "'reasonable', 'complaint', 'pattern', 'not_works_with_children'",
    )
    redirect: str | None = Field(
        default=None,
        description="for NOT_LADO: where to go instead ('front_door', 'police', 'peer', 'pipot')",
    )
    narrative_start: int | None = Field(
        default=None, ge=0, description="start of the part of the input read as the narrative"
    )
    narrative_end: int | None = Field(default=None, ge=0)
    truncated: bool = Field(
        default=False, description="only the start of a very long text was read"
    )

    def to_json_dict(self) -> dict[str, Any]:
        """A plain dict that ``json.dumps`` accepts (dates as ISO strings)."""
        return self.model_dump(mode="json")
