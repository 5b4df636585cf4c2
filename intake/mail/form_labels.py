"""Which detail a form's label stands for: label patterns mapped to
``triage.vocab.ESSENTIAL_DETAILS`` keys, using the section a label sits in ("Details of
the child" → child_*) for bare labels such as "Name" or "Date of birth"."""

from __future__ import annotations

import re

# section headings: which party the following bare labels ("Name", "Role") describe
_SECTIONS = [
    (
        "referrer",
        re.compile(
            r"referrer|your details|person (making|completing) (the|this)|"
            r"details of (the )?person referring|reporting person",
            re.I,
        ),
    ),
    ("child", re.compile(r"\b(child|children|young person|pupil|learner)\b", re.I)),
    (
        "adult",
        re.compile(
            r"\b(adult|person of concern|staff member|member of staff|employee|"
            r"allegation (is )?(against|about)|subject of (the )?allegation)\b",
            re.I,
        ),
    ),
    ("incident", re.compile(r"\b(allegation|incident|concern|what happened)\b", re.I)),
]

# (pattern, key or {section: key}); the first match wins
_LABELS: list[tuple[re.Pattern[str], str | dict[str, str]]] = [
    (re.compile(r"immediate (danger|risk)", re.I), "immediate_danger"),
    (
        re.compile(r"are you the (dsl|designated|manager)|designated safeguarding lead\?", re.I),
        "referrer_is_dsl",
    ),
    (
        re.compile(r"^(your|referrer'?s?) name|name of (the )?referrer|referred by", re.I),
        "referrer_name",
    ),
    (re.compile(r"^(your|referrer'?s?) (role|job|position)", re.I), "referrer_role"),
    (
        re.compile(r"^(your|referrer'?s?) (organisation|agency|school|employer)", re.I),
        "referrer_organisation",
    ),
    (re.compile(r"^(your|referrer'?s?) (tel|phone|telephone|mobile)", re.I), "referrer_phone"),
    (re.compile(r"^(your|referrer'?s?) e-?mail", re.I), "referrer_email"),
    (re.compile(r"crime ref", re.I), "crime_reference"),
    (re.compile(r"police", re.I), "police_informed"),
    (re.compile(r"social care|children'?s services|mash|front door", re.I), "csc_informed"),
    (re.compile(r"parents?|carers?\b.*(informed|told|aware)", re.I), "parents_informed"),
    (
        re.compile(r"(adult|staff|employee|person).*(informed|told|aware of)", re.I),
        "adult_informed",
    ),
    (re.compile(r"suspended|current (employment )?status|still working", re.I), "adult_status"),
    (re.compile(r"previous (concerns|allegations)", re.I), "previous_concerns"),
    (re.compile(r"other roles|second job|volunteer(ing)? elsewhere", re.I), "adult_other_roles"),
    (
        re.compile(r"paid|volunteer|employment (type|basis|status)|contract type", re.I),
        "employment_basis",
    ),
    (re.compile(r"\bsend\b|special educational|disabilit", re.I), "child_send"),
    (
        re.compile(r"looked[- ]after|child protection plan|\bcla\b|\bcp plan", re.I),
        "child_looked_after",
    ),
    (re.compile(r"restrain|restrictive physical", re.I), "restraint"),
    (re.compile(r"injur|marks?\b", re.I), "injury"),
    (
        re.compile(
            r"date.*(aware|reported to you|concern (was )?raised|disclos)|"
            r"when did (you|the organisation) (become aware|find out)",
            re.I,
        ),
        "aware_date",
    ),
    (
        re.compile(
            r"date of (the )?(incident|allegation|event)|when did (it|this|the incident) "
            r"(happen|occur)|incident date",
            re.I,
        ),
        "incident_date",
    ),
    (re.compile(r"where did|location|place of (incident|event)", re.I), "location"),
    (re.compile(r"in work|outside work|online", re.I), "in_work"),
    (
        re.compile(
            r"details of (the )?(allegation|concern|incident)|description|what happened|"
            r"summary|nature of (the )?(allegation|concern)|account",
            re.I,
        ),
        "what_happened",
    ),
    (
        re.compile(
            r"child'?s? (first )?name|name of (the )?(child|young person|pupil)|initials", re.I
        ),
        "child_name",
    ),
    (
        re.compile(r"child'?s? (age|date of birth|dob)|age of (the )?(child|young person)", re.I),
        "child_age",
    ),
    (
        re.compile(
            r"(name of|adult'?s?|staff( member)?'?s?) .*name|name of (the )?(adult|person|"
            r"staff|employee|member of staff|subject)|full name",
            re.I,
        ),
        "adult_name",
    ),
    (
        re.compile(r"date of birth|\bd\.?o\.?b\b", re.I),
        {
            "child": "child_age",
            "referrer": "",
            "": "adult_dob",
            "adult": "adult_dob",
            "incident": "adult_dob",
        },
    ),
    (
        re.compile(r"^(home )?address", re.I),
        {
            "referrer": "",
            "child": "",
            "": "adult_address",
            "adult": "adult_address",
            "incident": "",
        },
    ),
    (
        re.compile(r"^(role|job title|position|occupation)|adult'?s? role|role of", re.I),
        {
            "referrer": "referrer_role",
            "child": "",
            "": "adult_role",
            "adult": "adult_role",
            "incident": "adult_role",
        },
    ),
    (
        re.compile(
            r"^(employer|organisation|setting|school|place of work|establishment|"
            r"agency)|name of (the )?(employer|organisation|setting|school)",
            re.I,
        ),
        {
            "referrer": "referrer_organisation",
            "child": "",
            "": "employer",
            "adult": "employer",
            "incident": "employer",
        },
    ),
    (
        re.compile(r"^(tel|phone|telephone|mobile|contact number)", re.I),
        {"referrer": "referrer_phone", "": "", "child": "", "adult": "", "incident": ""},
    ),
    (
        re.compile(r"^e-?mail", re.I),
        {"referrer": "referrer_email", "": "", "child": "", "adult": "", "incident": ""},
    ),
    (
        re.compile(r"^name$|^(first name|surname|full name)$", re.I),
        {
            "referrer": "referrer_name",
            "child": "child_name",
            "": "adult_name",
            "adult": "adult_name",
            "incident": "",
        },
    ),
    (
        re.compile(r"^age$", re.I),
        {"child": "child_age", "": "", "referrer": "", "adult": "", "incident": ""},
    ),
]


def section_of(text: str, current: str) -> str:
    if len(text) > 80 or ":" in text:
        return current
    for name, pattern in _SECTIONS:
        if pattern.search(text):
            return name
    return current


def key_for(label: str, section: str = "") -> str | None:
    """The ESSENTIAL_DETAILS key a form label stands for (None: not one we read)."""
    label = re.sub(r"\s+", " ", label.replace("’", "'")).strip(" :*?\t").strip()
    if not label or len(label) > 120:
        return None
    for pattern, target in _LABELS:
        if pattern.search(label):
            if isinstance(target, dict):
                return target.get(section, target.get("", "")) or None
            return target
    return None
