"""What the dialog needs from a triage of the account: the suggestion and the details
it found, keyed as the dialog's questions are."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from triage.result import TriageResult
from triage.vocab import SUGGESTION_LABELS


@dataclass(frozen=True)
class TriageSummary:
    """What the dialog needs from a triage: the suggestion and the details it found.

    ``found`` is keyed like ``triage.vocab.ESSENTIAL_DETAILS`` with JSON values
    (dates as ISO strings, booleans, codes); ``children_ages`` lists every age found.
    """

    suggestion: str
    label: str
    immediate_danger: bool
    non_recent: bool
    categories: list[str]
    missing: list[str]
    found: dict[str, Any]
    children_ages: list[int] = field(default_factory=list)


#: ExtractedFields names copied as they are onto dialog answers
_FOUND_AS_IS = (
    "adult_name",
    "adult_role",
    "employer",
    "sector",
    "employment_basis",
    "location",
    "in_work",
    "restraint",
    "injury",
    "police_informed",
    "csc_informed",
    "parents_informed",
    "adult_status",
    "adult_informed",
    "child_name",
    "crime_reference",
    "adult_address",
    "adult_other_roles",
    "child_send",
    "referrer_name",
    "referrer_role",
    "referrer_organisation",
    "referrer_contact",
    "referrer_is_dsl",
)


def summarise(result: TriageResult) -> TriageSummary:
    fields = result.fields
    found: dict[str, Any] = {}
    for name in _FOUND_AS_IS:
        value = getattr(fields, name, None)
        if value not in (None, ""):
            found[name] = value
    looked_after = getattr(fields, "child_looked_after", None)
    if looked_after is not None:
        found["child_looked_after"] = "looked_after" if looked_after else "no"
    if getattr(fields, "previous_concerns", None) is False:
        found["previous_concerns"] = "None known"  # when there are some, ask for them
    for name in ("adult_dob", "incident_date", "aware_date"):
        value = getattr(fields, name)
        if value is not None:
            found[name] = value.isoformat()
    ages = [a for a in fields.children_ages if 0 <= a <= 120]
    if ages:
        found["child_age"] = ages[0] if len(ages) == 1 else ages
        found["children_count"] = len(ages)
    if result.non_recent:
        found["non_recent"] = True
    return TriageSummary(
        suggestion=result.suggestion.value,
        label=SUGGESTION_LABELS[result.suggestion],
        immediate_danger=result.immediate_danger,
        non_recent=result.non_recent,
        categories=[c.value for c in result.categories],
        missing=list(result.missing),
        found=found,
        children_ages=ages,
    )
