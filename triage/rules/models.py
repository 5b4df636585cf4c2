"""Pydantic models of the rule files (``triage/rules/*.yaml``).

A rule set is a directory: ``ruleset.yaml`` names the version; every other ``*.yaml``
file holds lexicons and, optionally, the special sections (irregular verbs, spelling
variants, form labels, email markers, where-to-go texts). The format is documented in
``triage/rules/README.md``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from triage.vocab import Category, Criterion, Sector, Suggestion


class Kind(StrEnum):
    """What a lexicon's matches mean to the engine."""

    ROLE = "role"  # a person in a position of trust (works or volunteers with children)
    FAMILY = "family"  # the child's family, or the adult's partner
    PUBLIC = "public"  # a member of the public, a stranger, a neighbour
    PERSON = "person"  # someone whose relationship to children is not said ("a man")
    CHILD = "child"  # a child or young person
    ADULT_VICTIM = "adult_victim"  # an adult who may be on the receiving end
    SETTING = "setting"  # a place or organisation, which tells the sector
    IGNORE = "ignore"  # phrases that cancel an overlapping mention ("on the coach")
    CONCERN = "concern"  # behaviour, injury or status that may engage the criteria
    MODIFIER = "modifier"  # context: negation, hypothetical, denial, immediacy...
    FIELD = "field"  # a cue for an extracted field (police informed, suspended...)


class ConcernType(StrEnum):
    """How a concern is attributed and weighed."""

    ACT = "act"  # something an adult did; attributed to the nearest actor
    INDICATOR = "indicator"  # grooming or risk indicator; attributed like an act
    INJURY = "injury"  # an injury or outcome for a child; no actor of its own
    STATUS = "status"  # a fact about the adult (arrest, own children on a plan)
    LLC = "llc"  # conduct below the harm threshold (KCSIE low-level concern examples)
    PRACTICE = "practice"  # practice, paperwork, policy or complaint matters


class Effect(StrEnum):
    """What a modifier does."""

    HYPOTHETICAL = "hypothetical"  # the sentence is a hypothetical
    POLICY_QUESTION = "policy_question"  # a question about policy or process
    DENIAL = "denial"  # the adult denies it (context only, never lowers)
    RETRACTION = "retraction"  # the child retracts (context only, never lowers)
    REASONABLE = "reasonable"  # approved physical intervention, self-defence
    UNREASONABLE = "unreasonable"  # the intervention was not approved
    NON_RECENT = "non_recent"  # the events are long ago
    IMMEDIACY = "immediacy"  # a child may be at risk right now
    NO_IMMEDIACY = "no_immediacy"  # explicitly no immediate danger
    IMPACT = "impact"  # harm to the child's wellbeing (nightmares, refuses school)
    PATTERN = "pattern"  # previous concerns, a pattern, warned before
    COMPLAINT = "complaint"  # the contact is a complaint
    NOT_WWC = "not_works_with_children"  # the adult does not work with children
    WWC = "works_with_children"  # the adult does work or volunteer with children
    NO_CHILD = "no_child"  # no child was involved
    NO_ALLEGATION = "no_allegation"  # explicit: there is no allegation
    NO_ALLEGATION_SENTENCE = "no_allegation_sentence"  # this sentence's concern is not alleged
    PARTIAL = "partial"  # "not alleging anything else": cancels NO_ALLEGATION
    FORMER_PUPIL = "former_pupil"  # the young person is now an adult former pupil
    AFTER_LEAVING = "after_leaving"  # a relationship began after the young person left
    WHILE_PUPIL = "while_pupil"  # the conduct happened while the young person was a child pupil
    HOUSEHOLD = "household"  # the adult of concern lives in a household with children
    CONCLUDED = "concluded"  # the allegation was already concluded (unfounded, false...)
    NOTHING_NEW = "nothing_new"  # nothing new is alleged (with CONCLUDED: not a new allegation)
    STRANGER = "stranger"  # the adult is unknown to everyone
    DISCLOSURE = "disclosure"  # a past offence disclosed on a DBS check or by the adult


class Lexicon(BaseModel):
    """One named list of terms with what a match means."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9_]+$", description="unique across the rule set")
    kind: Kind
    description: str = ""
    terms: list[str] = Field(default_factory=list, description="term mini-language, see README")
    enabled: bool = True
    plurals: bool | None = Field(
        default=None, description="also match the plural of the last word (default: on for people)"
    )
    # people and places
    sector: Sector | None = None
    sector_detail: str | None = None
    basis: Literal["paid", "volunteer", "agency", "self_employed"] | None = None
    adults_only: bool = False
    generic: bool = Field(
        default=False,
        description="a role or setting that says nothing about children (staff, a ward)",
    )
    reporting: bool = Field(default=False, description="a role that usually makes the referral")
    gender: Literal["m", "f"] | None = None
    domestic: bool = Field(default=False, description="a partner: harm to them is domestic abuse")
    household: bool = Field(
        default=False,
        description="someone in the adult's household (a grown-up son): a worker's is an associate",
    )
    ambiguous: bool = Field(default=False, description="a child only where no adult setting")
    kinship: bool = Field(
        default=False,
        description="role: a relative approved as the child's carer (a kinship or connected "
        "person carer); family: a relative who may be that carer (a grandmother, an aunt)",
    )
    idiom: bool = Field(
        default=False,
        description="ignore only: an idiom that also cancels the concerns and modifiers "
        "inside it (a parent 'kicking off' is making a fuss, not kicking anyone)",
    )
    # concerns
    type: ConcernType | None = None
    category: Category | None = None
    criteria: list[Criterion] = Field(default_factory=list)
    level: Suggestion | None = None
    restraint: bool = Field(default=False, description="may describe lawful reasonable force")
    relationship: bool = Field(default=False, description="a relationship with a young person")
    child_related: bool = Field(default=False, description="an offence related to children")
    owner: Literal["subject", "main_adult"] = "subject"
    private_life: bool = False
    state: bool = Field(
        default=False,
        description="the adult's own state (asleep, drunk): said of the actor even in a passive",
    )
    # modifiers and fields
    effect: Effect | None = None
    strength: Literal["strong", "contextual"] | None = None
    field: str | None = None
    value: str | bool | None = None
    # self-tests run by ``lado triage rules check``
    examples: list[str] = Field(default_factory=list)
    counter_examples: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _kind_needs(self) -> Lexicon:
        if self.kind is Kind.CONCERN:
            missing = [n for n in ("type", "category", "level") if getattr(self, n) is None]
            if missing:
                raise ValueError(f"a concern lexicon needs {', '.join(missing)}")
        if self.kind is Kind.MODIFIER and self.effect is None:
            raise ValueError("a modifier lexicon needs an effect")
        if self.kind is Kind.MODIFIER and self.effect is Effect.IMMEDIACY and not self.strength:
            raise ValueError("an immediacy modifier needs a strength (strong or contextual)")
        if self.kind is Kind.FIELD and not self.field:
            raise ValueError("a field lexicon needs a field")
        if self.kind is Kind.SETTING and self.sector is None and not self.adults_only:
            raise ValueError("a setting lexicon needs a sector (or adults_only: true)")
        return self

    @property
    def people_kind(self) -> bool:
        return self.kind in PEOPLE_KINDS

    @property
    def default_plurals(self) -> bool:
        if self.plurals is not None:
            return self.plurals
        return self.kind in PEOPLE_KINDS or self.kind is Kind.SETTING


PEOPLE_KINDS = frozenset(
    {Kind.ROLE, Kind.FAMILY, Kind.PUBLIC, Kind.PERSON, Kind.CHILD, Kind.ADULT_VICTIM}
)


class FormLabel(BaseModel):
    """Labels of a referral-form line ("Name of adult: ...") and the field they fill."""

    model_config = ConfigDict(extra="forbid")

    field: str
    labels: list[str] = Field(min_length=1)


class EmailRules(BaseModel):
    """Markers of the non-narrative parts of an email (regular expressions, one line each)."""

    model_config = ConfigDict(extra="forbid")

    reply_markers: list[str] = Field(default_factory=list)
    forward_markers: list[str] = Field(default_factory=list)
    header_fields: list[str] = Field(default_factory=list)
    signature_openers: list[str] = Field(default_factory=list)
    disclaimer_cues: list[str] = Field(default_factory=list)
    banner_lines: list[str] = Field(default_factory=list)
    #: In the sender's own message, words that point to the quoted message below it
    #: ("please see below", "I have included the email"): the quoted message is then
    #: read when nothing above it is relevant, like a forwarded one.
    quoted_pointers: list[str] = Field(default_factory=list)


class RuleFile(BaseModel):
    """The content of one rule file."""

    model_config = ConfigDict(extra="forbid")

    description: str = ""
    lexicons: list[Lexicon] = Field(default_factory=list)
    irregular_verbs: dict[str, list[str]] = Field(default_factory=dict)
    spelling: dict[str, list[str]] = Field(default_factory=dict)
    form_labels: list[FormLabel] = Field(default_factory=list)
    email: EmailRules | None = None
    where_to_go: dict[str, str] = Field(default_factory=dict)


class RuleSetMeta(BaseModel):
    """``ruleset.yaml``: the version and a description of the rule set."""

    model_config = ConfigDict(extra="forbid")

    version: str = Field(min_length=1, max_length=40)
    description: str = ""
    fuzzy_min_length: int = Field(default=8, ge=5, le=30)
