"""Shared vocabulary of the triage: outcome, criterion, category and sector codes,
and the essential referral details.

These codes are what every other layer stores and reports on. Their human labels
live here too so that the officer UI, the dialog, the email follow-up and the
reports say the same thing. Labels a council wants to change (for example what
"consultation" means locally) are overridden by settings, not by editing code.
"""

from __future__ import annotations

from enum import StrEnum


class Suggestion(StrEnum):
    """What the triage suggests. The officer decides."""

    URGENT = "URGENT"
    REFERRAL = "REFERRAL"
    CONSULTATION = "CONSULTATION"
    LOW_LEVEL_CONCERN = "LOW_LEVEL_CONCERN"
    ADVICE = "ADVICE"
    NOT_LADO = "NOT_LADO"


#: Suggestions that mean "the harm threshold is likely met".
THRESHOLD_SUGGESTIONS: frozenset[Suggestion] = frozenset(
    {Suggestion.URGENT, Suggestion.REFERRAL, Suggestion.CONSULTATION}
)

#: Order from most to least serious; "when unsure between two levels, suggest the higher".
SUGGESTION_RANK: dict[Suggestion, int] = {
    Suggestion.URGENT: 0,
    Suggestion.REFERRAL: 1,
    Suggestion.CONSULTATION: 2,
    Suggestion.LOW_LEVEL_CONCERN: 3,
    Suggestion.ADVICE: 4,
    Suggestion.NOT_LADO: 5,
}

SUGGESTION_LABELS: dict[Suggestion, str] = {
    Suggestion.URGENT: "Urgent: a child may be at immediate risk",
    Suggestion.REFERRAL: "Referral: the harm threshold appears to be met",
    Suggestion.CONSULTATION: "Consultation: threshold likely met, employer-led enquiry may suffice",
    Suggestion.LOW_LEVEL_CONCERN: "Low-level concern",
    Suggestion.ADVICE: "Advice",
    Suggestion.NOT_LADO: "Not a LADO matter",
}


class Criterion(StrEnum):
    """The four limbs of the statutory harm threshold (KCSIE Part four; Working Together)."""

    HARMED = "harmed"
    CRIMINAL = "criminal"
    RISK = "risk"
    SUITABILITY = "suitability"


CRITERION_LABELS: dict[Criterion, str] = {
    Criterion.HARMED: "behaved in a way that has harmed, or may have harmed, a child",
    Criterion.CRIMINAL: "possibly committed a criminal offence against or related to a child",
    Criterion.RISK: "behaved towards a child in a way that indicates they may pose a risk of harm",
    Criterion.SUITABILITY: "behaved in a way that indicates they may not be suitable to work "
    "with children (transferable risk)",
}


class Category(StrEnum):
    """Abuse categories used for reporting (the four statutory ones plus conduct/suitability)."""

    PHYSICAL = "physical"
    SEXUAL = "sexual"
    EMOTIONAL = "emotional"
    NEGLECT = "neglect"
    CONDUCT = "conduct"


CATEGORY_LABELS: dict[Category, str] = {
    Category.PHYSICAL: "Physical",
    Category.SEXUAL: "Sexual",
    Category.EMOTIONAL: "Emotional",
    Category.NEGLECT: "Neglect",
    Category.CONDUCT: "Conduct / suitability",
}


class Sector(StrEnum):
    """Employment sector of the adult's employer (the union of the seeds' tables)."""

    EDUCATION = "education"
    EARLY_YEARS = "early_years"
    RESIDENTIAL = "residential"
    SUPPORTED_ACCOMMODATION = "supported_accommodation"
    FOSTERING = "fostering"
    SECURE_ESTATE = "secure_estate"
    HEALTH = "health"
    POLICE = "police"
    SOCIAL_CARE = "social_care"
    CARE_PROVIDER = "care_provider"
    FAITH = "faith"
    SPORTS = "sports"
    TRANSPORT = "transport"
    YOUTH = "youth"
    OTHER = "other"


SECTOR_LABELS: dict[Sector, str] = {
    Sector.EDUCATION: "Education (schools, colleges, supply staff, tutors)",
    Sector.EARLY_YEARS: "Early years (nursery, childminder)",
    Sector.RESIDENTIAL: "Residential children's home",
    Sector.SUPPORTED_ACCOMMODATION: "Supported accommodation (16+)",
    Sector.FOSTERING: "Fostering (local authority or agency)",
    Sector.SECURE_ESTATE: "Secure estate",
    Sector.HEALTH: "Health",
    Sector.POLICE: "Police",
    Sector.SOCIAL_CARE: "Children's social care / youth justice",
    Sector.CARE_PROVIDER: "Care provider (home care)",
    Sector.FAITH: "Faith group",
    Sector.SPORTS: "Sports and leisure",
    Sector.TRANSPORT: "Transport",
    Sector.YOUTH: "Youth and voluntary organisations",
    Sector.OTHER: "Other",
}


#: Finer sector detail codes (optional), keyed by the sector they refine.
SECTOR_DETAILS: dict[Sector, tuple[str, ...]] = {
    Sector.EDUCATION: (
        "primary",
        "secondary",
        "academy",
        "independent",
        "special",
        "further_higher",
        "supply_agency",
        "tuition",
    ),
    Sector.EARLY_YEARS: ("nursery", "childminder"),
    Sector.RESIDENTIAL: ("local_authority", "independent"),
    Sector.FOSTERING: ("local_authority", "independent_agency"),
}


#: The essential referral details (PRODUCT.md "The essential referral details"), in rough
#: asking order. Keys are shared by the triage (`known`, `missing`), the dialog script
#: (its slots), the email follow-up (its questions) and the store (referral fields).
#: The value is the short plain-English label used in lists of missing details.
ESSENTIAL_DETAILS: dict[str, str] = {
    "immediate_danger": "whether any child is in immediate danger now",
    "referrer_name": "your name",
    "referrer_role": "your role",
    "referrer_organisation": "your organisation",
    "referrer_contact": "a phone number or email address for you",
    "referrer_is_dsl": "whether you are the designated safeguarding lead or manager",
    "what_happened": "what happened, in your words",
    "adult_name": "the full name of the adult the concern is about",
    "adult_dob": "the adult's date of birth",
    "adult_address": "the adult's home address",
    "adult_role": "the adult's role or job title",
    "employer": "the adult's employer and setting",
    "employment_basis": "whether the adult is paid, a volunteer, agency staff or self-employed",
    "sector": "the type of organisation the adult works for",
    "adult_other_roles": "any other roles the adult has with children or adults",
    "child_name": "the child's first name or initials",
    "child_age": "the child's age or date of birth",
    "child_send": "whether the child has any special educational needs or disability",
    "child_looked_after": "whether the child is looked after or on a child protection plan",
    "incident_date": "when it happened",
    "aware_date": "when your organisation became aware",
    "location": "where it happened",
    "in_work": "whether it happened at work, outside work or online",
    "restraint": "whether restraint was involved",
    "injury": "whether the child was injured",
    "previous_concerns": "any previous concerns about this adult",
    "police_informed": "whether the police have been told (and any crime reference)",
    "csc_informed": "whether children's social care has been told",
    "parents_informed": "whether the child's parents or carers have been told",
    "adult_status": "whether the adult is still working, suspended or redeployed",
    "adult_informed": "whether the adult has been told about the concern",
    "non_recent": "whether the events are non-recent (the person harmed is now an adult)",
}

#: Details for which "I don't know" is not accepted (PRODUCT.md).
REQUIRED_DETAILS: frozenset[str] = frozenset({"referrer_name", "referrer_contact"})
