"""Shallow clause grammar for the actor heuristics: word lists and subject position.

A blank pipeline has no parser. A mention is in *subject position* when, skipping
determiners, possessors ("the nursery worker's boyfriend"), ages ("under-14s coaches")
and setting words ("the school caretaker"), it follows the start of a sentence or a
clause (``that``, ``and``, a comma, a reporting verb such as ``said``...).
"""

from __future__ import annotations

from triage.tokens import Words


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SKIP = _words(
    """
    a an the his her their our my your its this these those one two three four five six
    several some many all both another other same new former male female young older
    younger little big senior junior qualified newly each every any own whole few
    """
)


CLAUSE_START = _words(
    """
    that who which whom and but or because when while whilst as so then after before if
    since until though although where whereas once , ; : - -- ( us me them him
    """
) | {'"', "'"}


REPORTING = _words(
    """
    says said say saying reports reported report alleges alleged claims claimed claim
    thinks think believes believe disclosed disclose explained explains admits admitted
    states stated insists insisted maintains maintained told tells added wrote feels
    felt heard
    """
)


RECEIVER_VERBS = _words(
    """
    told tell tells telling informed asked emailed rang called showed contacted
    approached texted phoned
    """
)


RECEIVER_PREP = _words(
    """
    disclosed reported spoke speaks spoken confided complained talked said went came
    """
)


SPEECH = _words(
    """
    told telling tells tell said saying says called calling calls shouted shouting
    screamed screaming yelled yelling threatened threatening warned asking asked asks
    ask texting texted messaging messaged sending sent writing wrote
    """
)


CONNECTIVES = _words(
    """
    , ( is was 's works worked who as also at helps helped out volunteers volunteer
    coaches teaches runs one of employed
    """
)


LINKING = frozenset([",", "(", "is", "was", "'s", "works", "worked", "as"])


#: Verbs that make someone do something: the child after them is made to, not the actor.
CAUSATIVE = _words(
    """
    make makes made making let lets letting force forces forced forcing get gets got
    getting have has had having leave leaves left leaving keep keeps kept keeping
    """
)


TITLES = frozenset(["mr", "mrs", "ms", "miss", "dr", "mx", "sir", "mr.", "mrs.", "ms.", "dr."])


NOT_NAMES = _words(
    """
    i monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december year the a he she
    they it we school academy police dsl ta pe lado ofsted nhs camhs yoi stc mash
    """
)


FEMALE = frozenset(["mrs", "ms", "miss"])


PRONOUNS = {"he": "m", "she": "f", "they": "", "i": "", "we": ""}


_PERCEPTION = _words(
    """
    seen heard filmed spotted caught witnessed observed overheard noticed found recorded
    reported accused alleged raised referred flagged challenged confronted questioned
    notified named identified disclosed complained criticised
    """
)

#: Verbs of perceiving: a person just before one ("I saw", "a parent heard") is a witness.
WITNESS_VERBS = _words(
    """
    saw see sees heard hear hears watched watches witnessed noticed notices overheard
    observed
    """
)


_AGE_WORDS = frozenset({"year", "years", "yr", "yrs", "old", "-", "month", "months"})


def prev_word(
    w: Words,
    start: int,
    floor: int,
    skip: frozenset[int] = frozenset(),
    owner: dict[int, int] | None = None,
) -> int:
    """Index of the word governing a mention, skipping determiners, possessors ("the
    nursery worker's boyfriend"), ages ("under-14s coaches") and setting words ("the
    school caretaker")."""
    j = start - 1
    while j >= floor:
        low = w.lower[j]
        age_word = low in ("under", "-") and j + 1 < start and w.text[j + 1][:1] in "-0123456789"
        age_word = age_word or (low == "-" and j > floor and bool(w.num[j - 1]))
        if (
            w.space[j]
            or low in SKIP
            or w.num[j]
            or j in skip
            or age_word
            or (len(low) <= 10 and any(ch.isdigit() for ch in low))
        ):
            j -= 1
            continue
        if low in ("'s", "s'", "'") and j - 1 >= floor and w.alpha[j - 1]:
            j -= 1
            j = owner[j] - 1 if owner is not None and j in owner else j - 1
            # "a 16 year old patient's mother": the possessor's own age words too
            while j >= floor and (
                (owner is not None and j in owner)
                or w.num[j]
                or w.lower[j] in _AGE_WORDS
                or w.space[j]
            ):
                j = owner[j] - 1 if owner is not None and j in owner else j - 1
            continue
        if low == "of" and j - 1 >= floor and w.lower[j - 1] in SKIP:
            j -= 2
            continue
        if low in ("year", "yr") or (w.title[j] and j > floor and w.lower[j - 1] in SKIP):
            j -= 1
            continue
        break
    return j


def subject_position(
    w: Words,
    start: int,
    sent_start: int,
    skip: frozenset[int] = frozenset(),
    owner: dict[int, int] | None = None,
) -> bool:
    j = prev_word(w, start, sent_start, skip, owner)
    if j < sent_start:
        return True
    low = w.lower[j]
    if low in CLAUSE_START or low in REPORTING or (bool(w.punct[j]) and w.text[j] != "'s"):
        return True
    # "Our agency carer was...", "Bank staff member...": a sentence opening with a
    # determiner and one or two describing words before the mention
    lead = [k for k in range(sent_start, j + 1) if not w.space[k]]
    return (
        1 < len(lead) <= 3
        and w.lower[lead[0]] in SKIP
        and all(w.alpha[k] and w.lower[k] not in _NOT_MODIFIERS for k in lead[1:])
        and not any(w.lower[k].endswith(("ed", "ing")) for k in lead[1:])
        and not (owner and any(k in owner for k in lead))
    )


#: Words that cannot describe the noun after them in "Our agency carer".
_NOT_MODIFIERS = _words(
    """
    at on in with to from by for about after before of into onto over under during
    is was are were be been has had have said says told
    """
)


def is_receiver(w: Words, start: int, sent_start: int, owner: dict[int, int] | None = None) -> bool:
    j = prev_word(w, start, sent_start, owner=owner)
    if j < sent_start:
        return False
    low = w.lower[j]
    if low in RECEIVER_VERBS:
        return True
    if low in ("to", "in", "with") and j - 1 >= sent_start:
        k = j - 1
        while k >= sent_start and w.lower[k] in ("it", "this", "them", "back"):
            k -= 1
        return k >= sent_start and w.lower[k] in RECEIVER_PREP
    return False


def is_witness(w: Words, start: int, sent_start: int, owner: dict[int, int] | None = None) -> bool:
    """ "was seen by a parent smacking a toddler", "reported by his ex-partner": the
    person after "by" saw or reported it."""
    j = prev_word(w, start, sent_start, owner=owner)
    if not (j > sent_start and w.lower[j] == "by"):
        return False
    # "reported to us by", "raised with the school by", "seen on CCTV by"
    k = j - 1
    for _ in range(4):
        if k < sent_start:
            return False
        if w.lower[k] in _PERCEPTION:
            return True
        if w.lower[k] not in _BY_GAP:
            return False
        k -= 1
    return False


#: Words between a verb of perceiving or reporting and "by": "reported to us by".
_BY_GAP = _words(
    """
    to us me the school police him her them with on cctv camera first also originally
    """
)
