"""Who did each thing alleged, and to whom.

The actor of an act is, in order: the agent of a passive ("was slapped by a dinner
lady"); for words said ("telling him he was a waste of space"), the speaker; the person
written immediately before it ("the carer laughing", "a member of staff, who pushed
him"); the nearest subject-position person before it in the sentence; else the main
adult of the text. A relative clause between a subject and its verb is skipped.
"""

from __future__ import annotations

from triage.actors import People, is_adult_candidate
from triage.clauses import CAUSATIVE, SKIP, SPEECH
from triage.hits import Analysis, Hit
from triage.names import NAME_LEX, PRONOUN_LEX
from triage.rules.models import ConcernType, Kind
from triage.vocab import Category

_AFTER_BY = 4


def _passive(a: Analysis, c: Hit) -> bool:
    if c.lex.state:
        return False  # "was found asleep", "was drunk": the person it is said of
    w = a.w
    first = c.start + 1 if w.lower[c.start] in ("not", "never") and c.end > c.start + 1 else c.start
    if w.lower[first].endswith("ing"):
        return False  # "has been having", "is not feeding": progressive, not passive
    j = c.start - 1
    s0 = a.sent_bounds[c.sent][0]
    steps = 0
    while j >= s0 and steps < 3:
        low = w.lower[j]
        if low in ("was", "were", "been", "being", "is", "are", "got", "get", "gets"):
            return True
        if not (w.space[j] or low.endswith("ly") or low in ("allegedly", "also", "then")):
            return False
        j -= 1
        steps += 1
    return False


_ADVERB_OK = frozenset(
    [
        "then",
        "also",
        "just",
        "allegedly",
        "repeatedly",
        "deliberately",
        "apparently",
        "kept",
        "keeps",
    ]
)


_AUXILIARIES = frozenset(
    ["was", "were", "is", "are", "has", "had", "have", "been", "being", "'s", "'d"]
)


def _adjacent(a: Analysis, people: People, c: Hit) -> Hit | None:
    """ "the carer laughing", "him punching", "a member of staff, who pushed him": the
    person written immediately before the act does it."""
    w = a.w
    s0 = a.sent_bounds[c.sent][0]
    j = c.start - 1
    while j >= s0 and (w.space[j] or w.lower[j] in _ADVERB_OK or w.lower[j].endswith("ly")):
        j -= 1
    if j > s0 and w.text[j] == ",":
        # "her maths teacher, who still works here, had sex with her": skip the aside
        open_ = next(
            (
                k
                for k in range(j - 1, max(s0, j - 12) - 1, -1)
                if w.text[k] == "," and k + 1 < j and w.lower[k + 1] in ("who", "which")
            ),
            None,
        )
        if open_ is not None:
            j = open_ - 1
            while j >= s0 and w.space[j]:
                j -= 1
    relative = False
    if j > s0 and w.lower[j] in _AUXILIARIES:
        # "a 14 year old who was hitting another young person": the relative's subject
        k = j - 1
        while k > s0 and (w.space[k] or w.lower[k] in _AUXILIARIES):
            k -= 1
        if w.lower[k] in ("who", "that"):
            j = k
    if j >= s0 and w.lower[j] in ("who", "that"):
        relative = True
        j -= 1
        while j >= s0 and (w.space[j] or w.text[j] == ","):
            j -= 1
    if j < s0:
        return None
    for m in people.mentions:
        if (
            m.end - 1 == j
            and m.sent == c.sent
            and not (m.referrer or m.negated or m.receiver)
            and (m.lex is PRONOUN_LEX or m.kind is not Kind.ADULT_VICTIM)
        ):
            return m
    if not relative and w.lower[j] in ("him", "her", "them") and w.lower[c.start].endswith("ing"):
        return _object_pronoun(a, people, j)
    return None


def _object_pronoun(a: Analysis, people: People, j: int) -> Hit | None:
    """ "stop him punching": the nearest earlier person of the pronoun's gender."""
    word = a.w.lower[j]
    gender = {"him": "m", "her": "f"}.get(word, "")
    for m in reversed(people.mentions):
        if m.start >= j or m.referrer or m.lex is PRONOUN_LEX:
            continue
        g = people.gender.get(id(m), "")
        if gender and g and g != gender:
            continue
        return m
    return None


def _sanctioned_child(a: Analysis, people: People, c: Hit) -> bool:
    """ "excluded him for fighting", "told her off for swearing": the act after "for" is
    the child's own behaviour, the reason for a sanction, when "him"/"her" is a child."""
    w = a.w
    if not w.lower[c.start].endswith("ing"):
        return False
    j = c.start - 1
    s0 = a.sent_bounds[c.sent][0]
    if j <= s0 or w.lower[j] != "for":
        return False
    k = j - 1
    # "excluded him for a day for fighting": the object a few words before "for"
    for back in range(j - 1, max(s0, j - 6) - 1, -1):
        if w.lower[back] in ("him", "her", "them"):
            k = back
            break
        if w.lower[back] in (",", ".", ";", "and", "but", "because"):
            break
    word = w.lower[k]
    if word not in ("him", "her", "them"):
        return any(m.end - 1 == k and m.kind is Kind.CHILD for m in people.mentions)
    gender = {"him": "m", "her": "f"}.get(word, "")
    earlier = [m for m in people.mentions if m.start < k and m.lex is not PRONOUN_LEX]
    explicit = [m for m in earlier if gender and people.gender.get(id(m), "") == gender]
    candidates = explicit or earlier
    return bool(candidates) and candidates[-1].kind is Kind.CHILD


def local_actor(a: Analysis, people: People, c: Hit) -> Hit | None:
    w = a.w
    if c.lex.type is ConcernType.ACT and _sanctioned_child(a, people, c):
        c.not_alleged = True
        c.notes.append("sanctioned_behaviour")
        return None
    if c.lex.type in (ConcernType.ACT, ConcernType.INDICATOR, ConcernType.LLC):
        # passive with an agent: "was slapped by a dinner lady"
        s1 = a.sent_bounds[c.sent][1]
        for k in range(c.end, min(s1, c.end + _AFTER_BY)):
            if w.lower[k] == "by":
                agent = next((m for m in people.mentions if k < m.start <= k + 3), None)
                if agent is not None and agent.lex is not PRONOUN_LEX:
                    return agent
        if _passive(a, c):
            if c.lex.category is Category.NEGLECT:
                # "the child was left alone" is neglect; "the father was left
                # unsupervised with his child" is not neglect of the father
                subj = [
                    m
                    for m in people.mentions
                    if m.sent == c.sent and m.start < c.start and m.subject and not m.referrer
                ]
                if subj and (resolve_actor(subj[-1]) or subj[-1]).kind not in (Kind.CHILD,):
                    c.not_alleged = True
            return None
    speech_like = c.lex.category is Category.EMOTIONAL or c.lex.type in (
        ConcernType.LLC,
        ConcernType.INDICATOR,
    )
    if speech_like:
        # "sending her messages saying she is mature for her age", "telling him he was a
        # waste of space": words said are the speaker's, not the grammatical subject's
        speaker = _speaker(a, people, c)
        if speaker is not None:
            return speaker
    near = _adjacent(a, people, c)
    if near is not None and near.kind is Kind.CHILD and _made_to(a, near):
        near = None  # "making her 9 year old son stand on one leg": the son is made to
    if (
        near is not None
        and near.kind is Kind.CHILD
        and not near.subject
        and c.lex.type is ConcernType.INDICATOR
        and not _relative_before(a, c)
    ):
        near = None  # "giving a 13 year old free lessons": the child receives them
    if near is not None and c.lex.type is ConcernType.INDICATOR and _other_possessor(a, c, near):
        return None  # "the girl stays at his place": she is the one being groomed
    code_of_conduct = c.lex.type in (ConcernType.LLC, ConcernType.PRACTICE)
    if near is not None and not (
        near.kind is Kind.CHILD
        and (
            code_of_conduct or (c.lex.category is Category.SEXUAL and c.lex.type is ConcernType.ACT)
        )
    ):
        return near
    limit = c.start
    best: Hit | None = None
    loose: Hit | None = None
    aside = _relative_clauses(a, c)
    for m in people.mentions:
        if m.sent != c.sent or m.start >= limit or any(lo <= m.start < hi for lo, hi in aside):
            continue
        if m.referrer or m.negated or m.receiver or m.kind is Kind.ADULT_VICTIM:
            continue
        if m.subject:
            best = m
        elif m.kind is not Kind.CHILD and m.lex is not PRONOUN_LEX:
            loose = m
    if best is None:
        best = loose
    if best is not None:
        best = _main_clause_subject(a, people, c, best)
    if best is not None and c.lex.type is ConcernType.INDICATOR and _other_possessor(a, c, best):
        return None  # "the girl stays at his place": she is the one being groomed
    if best is not None and best.scope == "peer" and c.lex.category is Category.SEXUAL:
        # "when she was 16 her tutor started a sexual relationship with her": an adult
        # named between the child and the act did it
        closer = [
            m
            for m in people.mentions
            if m.sent == c.sent
            and best.start < m.start < c.start
            and m.lex is not PRONOUN_LEX
            and is_adult_candidate(m)
            and not (m.referrer or m.negated or m.receiver)
        ]
        if closer:
            return closer[-1]
        # "she has been having sex with her drama teacher": the adult is the object
        after = next(
            (
                m
                for m in people.mentions
                if m.kind is Kind.ROLE and m.sent == c.sent and c.start < m.start <= c.end + 4
            ),
            None,
        )
        if after is not None:
            c.notes.append("object_actor")
            return after
    if best is not None and c.lex.type in (ConcernType.LLC, ConcernType.PRACTICE):
        target = resolve_actor(best)
        if target is not None and target.kind is Kind.CHILD:
            return None  # a code of conduct binds the adults: use the main adult
    return best


_FEMALE = frozenset(
    ["girl", "girls", "she", "her", "daughter", "niece", "sister", "granddaughter", "stepdaughter"]
)
_MALE = frozenset(["boy", "boys", "he", "him", "son", "nephew", "brother", "grandson", "stepson"])


def _other_possessor(a: Analysis, c: Hit, best: Hit) -> bool:
    """A grooming indicator whose subject is a child of one sex and which names the
    place or things of someone of the other ("the girl stays at his place", "he goes
    round to her flat"): the child is on the receiving end, not the doer."""
    target = resolve_actor(best) or best
    if target.kind is not Kind.CHILD:
        return False
    w = a.w
    said = {w.lower[k] for k in range(best.start, best.end)} | {
        w.lower[k] for k in range(target.start, target.end)
    }
    span = {w.lower[k] for k in range(c.start, c.end)}
    if said & _FEMALE and not said & _MALE:
        return "his" in span
    if said & _MALE and not said & _FEMALE:
        return "her" in span and "his" not in span
    return False


_SUBORDINATORS = frozenset(
    [
        "because",
        "cos",
        "cause",
        "as",
        "since",
        "while",
        "whilst",
        "when",
        "although",
        "though",
        "if",
        "until",
        "unless",
    ]
)


def _main_clause_subject(a: Analysis, people: People, c: Hit, best: Hit) -> Hit:
    """ "the man took her to the toilet because she needed a wee and tickled her": the
    child is the subject of the subordinate clause only; the verb after "and" with no
    subject of its own shares the main clause's subject (an adult)."""
    w = a.w
    target = resolve_actor(best) or best
    if target.kind is not Kind.CHILD or best.start == 0:
        return best
    k = best.start - 1
    while k > 0 and w.space[k]:
        k -= 1
    if w.lower[k] not in _SUBORDINATORS:
        return best
    between = [w.lower[j] for j in range(best.end, c.start) if not w.space[j]]
    if "and" not in between:
        return best
    after_and = between[len(between) - 1 - between[::-1].index("and") + 1 :]
    if (
        any(
            m.sent == c.sent and best.end <= m.start < c.start and m.subject and m is not best
            for m in people.mentions
        )
        or len(after_and) > 3
    ):
        return best
    earlier = [
        m
        for m in people.mentions
        if m.sent == c.sent
        and m.start < k
        and m.subject
        and not (m.referrer or m.negated or m.receiver)
        and is_adult_candidate(resolve_actor(m) or m)
    ]
    return earlier[-1] if earlier else best


def _relative_before(a: Analysis, c: Hit) -> bool:
    w = a.w
    s0 = a.sent_bounds[c.sent][0]
    j = c.start - 1
    while j >= s0 and (w.space[j] or w.lower[j] in _AUXILIARIES or w.lower[j] in _ADVERB_OK):
        j -= 1
    return j >= s0 and w.lower[j] in ("who", "that")


def _made_to(a: Analysis, m: Hit) -> bool:
    """Whether a causative verb ("made", "forced", "left") governs the child ``m``."""
    w = a.w
    s0 = a.sent_bounds[m.sent][0]
    j = m.start - 1
    while j >= s0 and (w.space[j] or w.lower[j] in SKIP or w.num[j] or w.lower[j] == "'s"):
        j -= 1
    return j >= s0 and w.lower[j] in CAUSATIVE


def peer_subject(a: Analysis, people: People, c: Hit) -> Hit | None:
    """The child who is the subject before ``c`` ("Year 8 pupils have been calling her
    ugly"): used only when no adult is named anywhere, so the matter is between children."""
    best = None
    for m in people.mentions:
        if m.sent == c.sent and m.start < c.start and m.subject and m.kind is Kind.CHILD:
            best = m
    return best


def _relative_clauses(a: Analysis, c: Hit) -> list[tuple[int, int]]:
    """ ", who lives where she minds children," before the verb: skip its people."""
    w = a.w
    s0 = a.sent_bounds[c.sent][0]
    out: list[tuple[int, int]] = []
    k = s0
    while k < c.start:
        if w.text[k] == "," and k + 1 < c.start and w.lower[k + 1] in ("who", "which"):
            close = next((j for j in range(k + 2, c.start) if w.text[j] == ","), None)
            if close is None:
                break
            out.append((k + 1, close))
            k = close
        k += 1
    return out


def _speaker(a: Analysis, people: People, c: Hit) -> Hit | None:
    w = a.w

    s0 = a.sent_bounds[c.sent][0]
    verb = next((k for k in range(c.start - 1, s0 - 1, -1) if w.lower[k] in SPEECH), None)
    if verb is None:
        return None
    speaker = None
    for m in people.mentions:
        if m.sent != c.sent or m.start >= verb or m.referrer or m.negated or m.receiver:
            continue
        target = resolve_actor(m)
        if target is None or target.kind is Kind.CHILD or target.kind is Kind.ADULT_VICTIM:
            continue
        speaker = m
    return speaker


def resolve_actor(h: Hit | None) -> Hit | None:
    """Follow pronouns and names to the mention that carries the scope."""
    seen = 0
    while h is not None and (h.lex is PRONOUN_LEX or h.lex is NAME_LEX) and seen < 5:
        if h.linked is None or h.linked is h:
            return h
        h = h.linked
        seen += 1
    return h
