"""Names and pronouns: who "Mr Dean", "Sam" and "she" are.

Titled names ("Mr Dean", "Ms K Patel", "Mr and Mrs Hale"), a role followed by a name
("PC Mark Jenner"), "Sam is our nursery practitioner", the name on a referral form
("Name of adult: Lisa Morton") and later uses of the same name become person hits;
pronouns (he, she, they, I, we) become hits to be resolved to the person they mean.
"""

from __future__ import annotations

import re

from triage.clauses import FEMALE, NOT_NAMES, PRONOUNS, SKIP, TITLES
from triage.hits import Analysis, Hit
from triage.rules.models import Kind, Lexicon
from triage.tokens import Words

_CHILD_GENDER = {
    "boy": "m",
    "lad": "m",
    "son": "m",
    "schoolboy": "m",
    "grandson": "m",
    "girl": "f",
    "lass": "f",
    "daughter": "f",
    "schoolgirl": "f",
    "niece": "f",
}


def _person_lexicon(kind: Kind, name: str) -> Lexicon:
    return Lexicon(name=name, kind=kind)


NAME_LEX = _person_lexicon(Kind.PERSON, "name")


PRONOUN_LEX = _person_lexicon(Kind.PERSON, "pronoun")


_FORM_NAME = re.compile(
    r"^[ \t]*(?:name of (?:the )?(?:adult|person|staff member|member of staff|aoc)[^:\n]{0,30}"
    r"|adult'?s name|alleged perpetrator)\s*:\s*"
    r"((?:[A-Z][A-Za-z'’-]+)(?:\s+[A-Z][A-Za-z'’-]+){0,3})",
    re.IGNORECASE | re.MULTILINE,
)


_FORM_ROLE = re.compile(
    r"^[ \t]*(?:role|job title|position|post|designation|job role)\s*:[^\n]*",
    re.IGNORECASE | re.MULTILINE,
)


def find_names(a: Analysis) -> list[Hit]:
    w = a.w
    taken = {k for m in a.mentions for k in range(m.start, m.end)}
    out: list[Hit] = []
    n = len(w.text)
    i = 0
    titles = a.where_lower(TITLES)
    for i in titles:
        if any(h.start <= i < h.end for h in out):
            continue
        if i + 1 < n:
            j = i + 1
            if w.lower[j] == "and" and j + 1 < n and w.lower[j + 1] in TITLES:
                j += 2
            k = j
            while k < n and k - j < 3 and (w.title[k] or w.text[k].isupper()) and w.alpha[k]:
                k += 1
            if k > j and w.lower[k - 1] not in NOT_NAMES:
                out.append(synthetic(a, NAME_LEX, i, k))
            elif k == j and w.lower[i] in ("miss", "sir") and w.title[i] and i > 0:
                # "Miss had changed her", "Sir shouted at us": how children name a teacher
                hit = synthetic(a, NAME_LEX, i, i + 1)
                hit.notes.append("works_with_children")
                out.append(hit)
    # a role followed by a capitalised name: "PC Mark Jenner", "our coach, Gary Lyle,",
    # "a teacher called Daniel Fraser", "a TA named Lisa Brown"
    for m in a.mentions:
        if m.kind is not Kind.ROLE or m.end >= n:
            continue
        start = m.end
        while start < n and (w.space[start] or w.lower[start] in _NAME_INTRO) and start - m.end < 3:
            start += 1
        if start > m.end and not any(w.lower[x] in _NAME_INTRO for x in range(m.end, start)):
            continue
        k = start
        while k < n and k - start < 3 and w.title[k] and w.alpha[k]:
            if w.lower[k] in NOT_NAMES or k in taken:
                break
            k += 1
        named = any(w.lower[x] in ("called", "named", "known") for x in range(m.end, start))
        if start > m.end and not named and k < n and w.lower[k] not in _AFTER_NAME:
            continue  # "the teacher, Then..." is not an apposition
        if k > start and not any(o.start <= k - 1 and start < o.end for o in out):
            name = synthetic(a, NAME_LEX, start, k)
            name.linked = m
            out.append(name)
    # "Sam is our nursery practitioner", "Tom Ashby is one of our nursery practitioners"
    for m in a.mentions:
        if m.kind is not Kind.ROLE:
            continue
        j = m.start - 1
        while j >= 0 and (
            w.lower[j] in SKIP or (w.lower[j] == "of" and j > 0 and w.lower[j - 1] == "one")
        ):
            j -= 1
        if j < 1 or w.lower[j] not in ("is", "was"):
            continue
        first = j
        while (
            first - 1 >= 0
            and j - first < 3
            and w.title[first - 1]
            and w.alpha[first - 1]
            and w.lower[first - 1] not in NOT_NAMES
            and (first - 1) not in taken
            and not any(o.start <= first - 1 < o.end for o in out)
        ):
            first -= 1
        if first < j:
            name = synthetic(a, NAME_LEX, first, j)
            name.linked = m
            out.append(name)
    # the name given on a referral form ("Name of adult: Lisa Morton"), used later
    form_name = _FORM_NAME.search(a.prepared)
    if form_name is not None:
        words = set(form_name.group(1).split())
        role_line = _FORM_ROLE.search(a.prepared)
        role = None
        if role_line is not None:
            role = next(
                (
                    m
                    for m in a.mentions
                    if m.kind is Kind.ROLE and role_line.start() <= m.start_char < role_line.end()
                ),
                None,
            )
        for i in a.where_lower({w.lower() for w in words}):
            if not a.arr.title[i] or i in taken or any(h.start <= i < h.end for h in out):
                continue
            hit = synthetic(a, NAME_LEX, i, i + 1)
            hit.linked = role
            out.append(hit)
    # every later use of a linked first name or surname
    known = {w.lower[h.end - 1]: h for h in out}
    for i in a.where_lower(set(known) - NOT_NAMES):
        if not a.arr.title[i] or i in taken or any(h.start <= i < h.end for h in out):
            continue
        extra = synthetic(a, NAME_LEX, i, i + 1)
        extra.linked = known[w.lower[i]].linked
        out.append(extra)
    return out


#: Words between a role and the name that follows it.
_NAME_INTRO = frozenset({",", "called", "named", "known", "as", "-", "(", ":"})
#: What may follow a name given after a comma: the end of the apposition or a verb.
_AFTER_NAME = frozenset(
    [
        ",",
        ".",
        ";",
        ":",
        ")",
        "(",
        "-",
        "is",
        "was",
        "has",
        "had",
        "have",
        "who",
        "and",
        "allegedly",
        "reportedly",
        "apparently",
        "then",
        "also",
        "said",
        "says",
        "told",
    ]
)


def synthetic(a: Analysis, lex: Lexicon, start: int, end: int) -> Hit:
    w = a.w
    return Hit(
        lex=lex,
        start=start,
        end=end,
        start_char=w.idx[start],
        end_char=w.idx[end - 1] + len(w.text[end - 1]),
        sent=a.sent_of[start],
    )


def find_pronouns(a: Analysis) -> list[Hit]:
    lo, hi = a.narrative.start, a.narrative.end
    out = []
    for i in a.where_lower(frozenset(PRONOUNS)):
        if lo <= a.w.idx[i] < hi:
            out.append(synthetic(a, PRONOUN_LEX, i, i + 1))
    return out


def gender_of(h: Hit, w: Words) -> str:
    if h.lex is PRONOUN_LEX:
        return PRONOUNS.get(w.lower[h.start], "")
    if h.lex is NAME_LEX:
        first = w.lower[h.start]
        if first in FEMALE:
            return "f"
        return "m" if first in ("mr", "mr.") else ""
    if h.lex.gender:
        return h.lex.gender
    return _CHILD_GENDER.get(w.lower[h.end - 1].rstrip("s"), "")


_PLURAL_WORDS = frozenset(
    ["children", "people", "staff", "parents", "pupils", "kids", "boys", "girls", "carers"]
)


def is_plural(w: Words, h: Hit) -> bool:
    if h.lex is NAME_LEX or h.lex is PRONOUN_LEX:
        return "and" in w.lower[h.start : h.end]
    if h.start >= 3 and w.lower[h.start - 3] == "one" and w.lower[h.start - 2] == "of":
        return False  # "one of our teachers"
    last = w.lower[h.end - 1]
    if last in ("staff",):
        return False
    return last in _PLURAL_WORDS or (
        last.endswith("s") and not last.endswith("ss") and len(last) > 3
    )


def child_age(h: Hit, w: Words) -> int | None:
    """Age in whole years of "a 13 year old", "14yo"; "an 18 month old" is 1."""
    for i in range(h.start, h.end):
        digits = "".join(ch for ch in w.text[i] if ch.isdigit())
        if digits and len(digits) <= 2:
            unit = w.lower[i + 1] if i + 1 < h.end else w.lower[i]
            if unit.startswith(("month", "week", "mth", "mo")) or w.lower[i].endswith(
                ("months", "month", "weeks", "week", "mths", "mth")
            ):
                return int(digits) // 12 if unit.startswith(("month", "mth", "mo")) else 0
            return int(digits)
    return None
