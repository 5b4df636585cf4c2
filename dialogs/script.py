"""The referral script: every question the guided conversation may ask, declared as data.

Each ``Slot`` is one question: its key (the shared keys of
``triage.vocab.ESSENTIAL_DETAILS``, as intake re-exports them, plus a few
follow-ups), the prompt, why we ask, how the answer is read, whether it is
essential, whether "I don't know" is accepted, quick-reply choices, and when it
applies. The engine asks them in this order, skipping what is already known.
Channels never see this module: they only render prompts and choices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from dialogs import validate as v
from intake.vocabulary import ESSENTIAL_DETAILS, REQUIRED_DETAILS, SECTOR_LABELS

#: answers as the engine stores them: key -> {"v": value, "d": display, "s": source}
Answers = Mapping[str, Mapping[str, Any]]

UNKNOWN = "unknown"
DONT_KNOW = "Don't know"


@dataclass(frozen=True)
class Choice:
    """A quick reply: ``label`` is shown; ``value`` is what the channel sends back."""

    label: str
    value: str


@dataclass(frozen=True)
class Reading:
    """How an answer is read: the value stored and the words shown back."""

    at: dt.datetime
    resolve: v.DateResolver


def value_of(answers: Answers, key: str) -> Any:
    answer = answers.get(key)
    return None if answer is None else answer.get("v")


def facts_of(answers: Answers, *, categories: list[str], received: str | None) -> dict[str, Any]:
    """Answers plus what conditions may also look at: the triage's categories and when
    the account was received."""
    known: dict[str, Any] = dict(answers)
    known["_categories"] = {"v": list(categories)}
    known["_received"] = {"v": received}
    return known


def _is(answers: Answers, key: str, *values: Any) -> bool:
    return value_of(answers, key) in values


YES_NO = (Choice("Yes", "yes"), Choice("No", "no"), Choice(DONT_KNOW, "don't know"))


@dataclass(frozen=True)
class Slot:
    key: str
    prompt: str
    why: str
    kind: str  # yesno, choice, text, narrative, contact, date, dob, ages, count
    #: short label for the summary (defaults to the essential-details wording)
    label: str = ""
    group: str = "what"
    essential: bool = True
    #: "I don't know" is not accepted (the referrer's name and contact, the account)
    required: bool = False
    #: asked in the short emergency flow
    urgent: bool = False
    max_length: int = 200
    choices: tuple[Choice, ...] = ()
    #: the question applies only when this holds
    condition: Callable[[Answers], bool] | None = None
    hint: str = ""

    @property
    def title(self) -> str:
        return self.label or ESSENTIAL_DETAILS.get(self.key, self.key.replace("_", " "))

    def applies(self, answers: Answers) -> bool:
        return self.condition is None or self.condition(answers)

    @property
    def accepts_unknown(self) -> bool:
        return not self.required

    def read(self, text: str, reading: Reading) -> tuple[Any, str]:
        """The answer's value and display, or ``validate.Retry``."""
        return READERS[self.kind](self, text, reading)

    def display(self, value: Any) -> str:
        """The words shown for a stored value (used for details the triage found)."""
        if value == UNKNOWN:
            return "Not known"
        if self.kind == "yesno" and isinstance(value, bool):
            return v.yes_no_display(value)
        if self.kind == "choice":
            for choice in self.choices:
                if choice.value == value:
                    return choice.label
        if self.kind in ("date", "dob") and isinstance(value, str):
            try:
                return v.date_display(value)
            except ValueError:
                return value
        if self.kind == "ages":
            return v.ages_display(value)
        if self.kind == "contact" and isinstance(value, dict):
            return v.contact_display(value)
        return str(value)


def _read_yesno(slot: Slot, text: str, _r: Reading) -> tuple[Any, str]:
    answer = v.yes_no(text)
    return answer, v.yes_no_display(answer)


def _read_choice(slot: Slot, text: str, _r: Reading) -> tuple[Any, str]:
    words = v.normalise(text)
    for choice in slot.choices:
        if words in (choice.value.lower(), v.normalise(choice.label)):
            return choice.value, choice.label
    matches = [
        c
        for c in slot.choices
        if c.value != "don't know"
        and (words in v.normalise(c.label) or any(k in words for k in KEYWORDS.get(c.value, ())))
    ]
    if len(matches) == 1:
        return matches[0].value, matches[0].label
    options = ", ".join(c.label for c in slot.choices if c.value != "don't know")
    raise v.Retry(f"Please choose one of: {options} (or say “don't know”).")


def _read_text(slot: Slot, text: str, _r: Reading) -> tuple[Any, str]:
    words = v.normalise(text)
    for choice in slot.choices:
        if choice.value != "don't know" and words in (
            choice.value.lower(),
            v.normalise(choice.label),
        ):
            return choice.label, choice.label
    value = v.text(text, limit=slot.max_length)
    return value, value


def _read_narrative(slot: Slot, text: str, _r: Reading) -> tuple[Any, str]:
    value = v.text(text, limit=slot.max_length, what="account")
    if len(value) < 10:
        raise v.Retry(
            "Please tell us a little more about what happened, in a sentence or two. "
            "If you would rather speak to someone, type “speak to someone”."
        )
    return value, value


def _read_contact(slot: Slot, text: str, _r: Reading) -> tuple[Any, str]:
    value = v.contact(text)
    return value, v.contact_display(value)


def _read_date(slot: Slot, text: str, r: Reading) -> tuple[Any, str]:
    day = v.date(text, at=r.at, resolve=r.resolve, birth=slot.kind == "dob")
    return day.isoformat(), v.date_display(day.isoformat())


def _read_ages(slot: Slot, text: str, r: Reading) -> tuple[Any, str]:
    found = v.ages(text, at=r.at, resolve=r.resolve)
    value: int | list[int] = found[0] if len(found) == 1 else found
    return value, v.ages_display(value)


def _read_count(slot: Slot, text: str, _r: Reading) -> tuple[Any, str]:
    number = v.count(text)
    return number, str(number)


READERS: dict[str, Callable[[Slot, str, Reading], tuple[Any, str]]] = {
    "yesno": _read_yesno,
    "choice": _read_choice,
    "text": _read_text,
    "narrative": _read_narrative,
    "contact": _read_contact,
    "date": _read_date,
    "dob": _read_date,
    "ages": _read_ages,
    "count": _read_count,
}

#: words that pick a choice when typed instead of tapped
KEYWORDS: dict[str, tuple[str, ...]] = {
    "education": ("school", "teacher", "college", "academy", "tutor", "university", "pupil"),
    "early_years": ("nursery", "childminder", "pre-school", "preschool", "early years"),
    "residential": ("children's home", "childrens home", "residential"),
    "supported_accommodation": ("supported accommodation", "semi-independent"),
    "fostering": ("foster",),
    "secure_estate": ("secure", "young offender", "custody"),
    "health": ("hospital", "nhs", "nurse", "doctor", "gp", "health", "camhs"),
    "police": ("police",),
    "social_care": ("social work", "social care", "youth justice", "yot"),
    "care_provider": ("home care", "care agency", "carer"),
    "faith": ("church", "mosque", "temple", "synagogue", "gurdwara", "faith", "madrasa"),
    "sports": ("sport", "football", "swim", "gym", "coach", "club", "dance", "martial"),
    "transport": ("taxi", "bus", "driver", "transport", "escort"),
    "youth": ("youth", "scout", "guide", "brownies", "cadet", "charity", "voluntary"),
    "paid": ("employ", "staff", "paid", "salaried", "permanent", "contract"),
    "volunteer": ("volunteer", "unpaid"),
    "agency": ("agency", "supply"),
    "self_employed": ("self-employed", "self employed", "freelance", "own business"),
    "in_work": ("at work", "in work", "at school", "on shift", "during work"),
    "outside_work": ("outside", "at home", "private life", "off duty"),
    "online": ("online", "internet", "social media", "message", "snapchat", "instagram"),
    "working": ("still working", "working"),
    "suspended": ("suspend",),
    "redeployed": ("redeploy", "moved", "other duties", "away from children"),
    "left": ("left", "resigned", "dismissed", "no longer"),
    "looked_after": ("looked after", "in care", "cla", "lac"),
    "on_plan": ("plan", "child protection", "cp plan"),
}


def _looked_after(answers: Answers) -> bool:
    return _is(answers, "child_looked_after", "looked_after", "on_plan")


def _physical_or_unknown(answers: Answers) -> bool:
    categories = value_of(answers, "_categories")
    return not categories or "physical" in categories


def _possibly_non_recent(answers: Answers) -> bool:
    incident = value_of(answers, "incident_date")
    received = value_of(answers, "_received")
    if not isinstance(incident, str) or incident == UNKNOWN or not isinstance(received, str):
        return True
    try:
        gap = dt.date.fromisoformat(received[:10]) - dt.date.fromisoformat(incident)
    except ValueError:
        return True
    return gap.days > 365


def _police_told(answers: Answers) -> bool:
    return _is(answers, "police_informed", True)


SECTOR_CHOICES = tuple(Choice(label, code) for code, label in SECTOR_LABELS.items())

SLOTS: tuple[Slot, ...] = (
    Slot(
        "immediate_danger",
        "First: is any child in immediate danger right now?",
        "If a child is in danger now, they need the police or children's social care "
        "straight away, before anything else.",
        "yesno",
        group="danger",
        label="Is any child in immediate danger now",
        choices=YES_NO,
        urgent=True,
    ),
    Slot(
        "what_happened",
        "Please tell us what happened, in your own words. Include who was involved, what "
        "was said or done, and when, as far as you know. You can write up to 5,000 "
        "characters.",
        "Your own account is what the LADO officer reads first. We use it to work out "
        "which questions still need answering, so you are not asked twice.",
        "narrative",
        group="what",
        label="What happened",
        required=True,
        urgent=True,
        max_length=v.TEXT_LIMIT,
    ),
    Slot(
        "referrer_name",
        "What is your name?",
        "The LADO officer needs to know who made the report so they can talk it through with you.",
        "text",
        group="you",
        label="Your name",
        required=True,
        urgent=True,
    ),
    Slot(
        "referrer_contact",
        "What phone number or email address can we reach you on? You can give both.",
        "An officer will contact you about this, usually within one working day. Without a "
        "way to reach you we cannot respond.",
        "contact",
        group="you",
        label="Your phone or email",
        required=True,
        urgent=True,
        max_length=400,
    ),
    Slot(
        "referrer_role",
        "What is your role (for example headteacher, DSL, nursery manager, parent)?",
        "Your role tells the officer how you know about this and what you can do next.",
        "text",
        group="you",
        label="Your role",
    ),
    Slot(
        "referrer_organisation",
        "Which organisation are you from? Say “none” if you are a member of the public.",
        "It shows whether you are the adult's employer or someone else reporting.",
        "text",
        group="you",
        label="Your organisation",
        urgent=True,
        max_length=300,
    ),
    Slot(
        "referrer_is_dsl",
        "Are you the designated safeguarding lead (DSL) or the manager responsible?",
        "The DSL or manager usually works with the LADO on what happens next.",
        "yesno",
        group="you",
        label="Are you the DSL or manager",
        choices=YES_NO,
    ),
    Slot(
        "adult_name",
        "What is the full name of the adult the concern is about?",
        "The LADO checks whether there have been concerns about the same person before. "
        "If you do not know their name, say “don't know”.",
        "text",
        group="adult",
        label="Adult's full name",
        urgent=True,
    ),
    Slot(
        "adult_role",
        "What is their role or job title (for example teaching assistant, coach, foster carer)?",
        "The LADO's role covers adults who work or volunteer with children; their role "
        "shows whether this applies.",
        "text",
        group="adult",
        label="Adult's role",
    ),
    Slot(
        "employer",
        "Who do they work for, and where (the employer and the setting)?",
        "The LADO for the area where the adult works normally leads, and the employer is "
        "usually part of what happens next.",
        "text",
        group="adult",
        label="Employer and setting",
        urgent=True,
        max_length=300,
    ),
    Slot(
        "sector",
        "What kind of organisation is that?",
        "We count referrals by sector for the annual report, and some sectors have their own "
        "rules (for example fostering).",
        "choice",
        group="adult",
        label="Type of organisation",
        choices=(*SECTOR_CHOICES, Choice(DONT_KNOW, "don't know")),
    ),
    Slot(
        "employment_basis",
        "Are they paid staff, a volunteer, agency or supply staff, or self-employed?",
        "Agency staff and volunteers are covered too; for agency staff the agency must be "
        "involved.",
        "choice",
        group="adult",
        label="Paid, volunteer, agency or self-employed",
        choices=(
            Choice("Paid staff", "paid"),
            Choice("Volunteer", "volunteer"),
            Choice("Agency or supply", "agency"),
            Choice("Self-employed", "self_employed"),
            Choice(DONT_KNOW, "don't know"),
        ),
    ),
    Slot(
        "adult_dob",
        "What is the adult's date of birth? (for example 14/03/1985)",
        "Police and social care record checks need a date of birth. “Don't know” is fine.",
        "dob",
        group="adult",
        label="Adult's date of birth",
        choices=(Choice(DONT_KNOW, "don't know"),),
    ),
    Slot(
        "adult_address",
        "What is the adult's home address, if you know it?",
        "Several LADOs cannot open a case without it, and it tells us which area they live "
        "in. “Don't know” is fine.",
        "text",
        group="adult",
        label="Adult's home address",
        max_length=500,
        choices=(Choice(DONT_KNOW, "don't know"),),
    ),
    Slot(
        "adult_other_roles",
        "Do they have any other roles with children or vulnerable adults, such as a second "
        "job, volunteering or fostering? Do they have children of their own?",
        "A concern in one role can mean a risk in another (transferable risk).",
        "text",
        group="adult",
        label="Other roles with children or adults",
        max_length=1000,
        choices=(Choice("None known", "none known"), Choice(DONT_KNOW, "don't know")),
    ),
    Slot(
        "children_count",
        "How many children does this concern?",
        "So the officer knows how many children may need support.",
        "count",
        group="child",
        label="How many children",
        essential=False,
        choices=(
            Choice("1", "1"),
            Choice("2", "2"),
            Choice("3", "3"),
            Choice(DONT_KNOW, "don't know"),
        ),
    ),
    Slot(
        "child_name",
        "What is the child's first name or initials? If there is more than one child, give "
        "each, separated by commas.",
        "So the officer can tell children apart and link this to any social care record.",
        "text",
        group="child",
        label="Child's first name or initials",
        urgent=True,
        max_length=300,
    ),
    Slot(
        "child_age",
        "How old is the child (or how old were they when it happened)? For several "
        "children, give each age, like “8 and 10”.",
        "Age matters for the threshold and for non-recent allegations.",
        "ages",
        group="child",
        label="Child's age",
    ),
    Slot(
        "child_send",
        "Does the child have any special educational needs or a disability?",
        "A disabled child may be less able to tell someone, and the officer plans support "
        "with that in mind.",
        "yesno",
        group="child",
        label="Special educational needs or disability",
        choices=YES_NO,
    ),
    Slot(
        "child_looked_after",
        "Is the child looked after (in care) or on a child protection plan?",
        "The child's social worker must be told, and outcomes shared with them.",
        "choice",
        group="child",
        label="Looked after or on a plan",
        choices=(
            Choice("Looked after (in care)", "looked_after"),
            Choice("On a child protection plan", "on_plan"),
            Choice("Neither", "no"),
            Choice(DONT_KNOW, "don't know"),
        ),
    ),
    Slot(
        "child_social_worker",
        "Do you know the name of the child's social worker?",
        "The LADO shares what happens with the child's social worker.",
        "text",
        group="child",
        label="Child's social worker",
        essential=False,
        condition=_looked_after,
        choices=(Choice(DONT_KNOW, "don't know"),),
    ),
    Slot(
        "incident_date",
        "When did it happen? You can say “yesterday”, “last Tuesday” or a date like 3 March.",
        "Timing shows whether this is recent or non-recent and what needs doing now.",
        "date",
        group="what",
        label="When it happened",
        choices=(
            Choice("Today", "today"),
            Choice("Yesterday", "yesterday"),
            Choice(DONT_KNOW, "don't know"),
        ),
    ),
    Slot(
        "aware_date",
        "When did your organisation first become aware of it?",
        "The LADO should be told within one working day of the organisation becoming aware; "
        "we measure that from this date.",
        "date",
        group="what",
        label="When your organisation became aware",
        choices=(
            Choice("Today", "today"),
            Choice("Yesterday", "yesterday"),
            Choice(DONT_KNOW, "don't know"),
        ),
    ),
    Slot(
        "location",
        "Where did it happen (for example the classroom, a minibus, the adult's home)?",
        "Where it happened tells the officer who is responsible and whether there may be "
        "witnesses or CCTV.",
        "text",
        group="what",
        label="Where it happened",
        urgent=True,
        max_length=300,
    ),
    Slot(
        "in_work",
        "Did it happen at work, outside work, or online?",
        "Conduct outside work can still mean someone is not suitable to work with children.",
        "choice",
        group="what",
        label="At work, outside work or online",
        choices=(
            Choice("At work", "in_work"),
            Choice("Outside work", "outside_work"),
            Choice("Online", "online"),
            Choice(DONT_KNOW, "don't know"),
        ),
    ),
    Slot(
        "restraint",
        "Did it happen while the adult was restraining or physically holding the child?",
        "Restraint is one of the most common reasons for referrals; the officer will ask "
        "about the restraint policy and training.",
        "yesno",
        group="what",
        label="Restraint involved",
        choices=YES_NO,
        condition=_physical_or_unknown,
    ),
    Slot(
        "injury",
        "Was the child injured? If so, please describe the injury.",
        "Injuries may need medical attention and are important evidence.",
        "text",
        group="what",
        label="Injury",
        max_length=500,
        choices=(Choice("No injury", "no injury"), Choice(DONT_KNOW, "don't know")),
    ),
    Slot(
        "previous_concerns",
        "Do you know of any previous concerns or complaints about this adult, including "
        "low-level concerns?",
        "Patterns matter: several small concerns together can meet the threshold.",
        "text",
        group="adult",
        label="Previous concerns",
        max_length=2000,
        choices=(Choice("None known", "none known"), Choice(DONT_KNOW, "don't know")),
    ),
    Slot(
        "police_informed",
        "Have the police been told?",
        "The LADO coordinates with the police so that nothing you do gets in the way of a "
        "criminal investigation.",
        "yesno",
        group="actions",
        label="Police told",
        choices=YES_NO,
    ),
    Slot(
        "crime_reference",
        "Do you have a police crime or incident reference number?",
        "It lets the officer find the police record quickly.",
        "text",
        group="actions",
        label="Police reference",
        essential=False,
        max_length=60,
        condition=_police_told,
        choices=(Choice(DONT_KNOW, "don't know"),),
    ),
    Slot(
        "csc_informed",
        "Has children's social care (the front door or MASH) been told?",
        "This avoids two separate records and makes sure the child gets support.",
        "yesno",
        group="actions",
        label="Children's social care told",
        choices=YES_NO,
    ),
    Slot(
        "parents_informed",
        "Have the child's parents or carers been told?",
        "Sometimes parents should be told only after the LADO, police or social care agree "
        "what can be shared; the officer will advise.",
        "yesno",
        group="actions",
        label="Parents or carers told",
        choices=YES_NO,
    ),
    Slot(
        "adult_status",
        "Is the adult still working, or have they been suspended, redeployed or left?",
        "The officer checks children are safe now; suspension is not automatic.",
        "choice",
        group="actions",
        label="Adult still working, suspended or redeployed",
        choices=(
            Choice("Still working", "working"),
            Choice("Suspended", "suspended"),
            Choice("Redeployed", "redeployed"),
            Choice("Left", "left"),
            Choice(DONT_KNOW, "don't know"),
        ),
    ),
    Slot(
        "adult_informed",
        "Has the adult been told about the concern?",
        "The adult should not be told before LADO advice; the officer needs to know if they "
        "already have been.",
        "yesno",
        group="actions",
        label="Adult told",
        choices=YES_NO,
    ),
    Slot(
        "non_recent",
        "Is the person who was harmed now an adult (18 or over)?",
        "Non-recent (historical) allegations follow a slightly different route.",
        "yesno",
        group="what",
        label="Non-recent (the person harmed is now an adult)",
        choices=YES_NO,
        condition=_possibly_non_recent,
    ),
)

SLOT_BY_KEY: dict[str, Slot] = {slot.key: slot for slot in SLOTS}

GROUPS: dict[str, str] = {
    "danger": "Safety now",
    "what": "What happened",
    "you": "About you",
    "adult": "The adult",
    "child": "The child or children",
    "actions": "What has been done",
}


def check_script() -> list[str]:
    """Every essential detail has a slot, keys are unique, required slots match intake's."""
    problems = []
    keys = [s.key for s in SLOTS]
    if len(keys) != len(set(keys)):
        problems.append("duplicate slot keys")
    for key in ESSENTIAL_DETAILS:
        if key not in SLOT_BY_KEY:
            problems.append(f"no slot for essential detail {key}")
    for slot in SLOTS:
        if slot.essential and slot.key not in ESSENTIAL_DETAILS:
            problems.append(f"slot {slot.key} is marked essential but is not an essential detail")
        if slot.key in REQUIRED_DETAILS and not slot.required:
            problems.append(f"slot {slot.key} must refuse “don't know”")
        if slot.kind not in READERS:
            problems.append(f"slot {slot.key} has unknown kind {slot.kind}")
    return problems
