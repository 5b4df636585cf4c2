"""Who someone is, from how the text names them (used by ``triage.actors``).

* **Linked names and people**: "Mr Dean, one of our PE teachers", "her dad, who is a
  PE teacher", "a man who helps out at our club", "a kinship carer, the child's aunt";
  the same name or family word later in the text is the same person; the partner of a
  worker ("the childminder's husband") is an *associate*.

* **Staff nouns**: "one of our court marshals", "our apprentice", "works here as a
  steward", "a bank porter", "a casual invigilator": a job the lexicons do not list,
  named as the organisation's own or with its basis of employment, is a person in a
  position of trust.
* **Partners by possessive**: "one of our TAs has told us her partner has been
  arrested", "I am a childminder ... my husband": the partner of a worker is an
  *associate* (transferable risk), like "the childminder's husband".
* **Roles said in a later sentence**: "Adult male, 34 ... He is known to volunteer at
  a junior boxing club": a person or member of the public of whom the text then says
  that they work or volunteer with children is in a position of trust.
"""

from __future__ import annotations

import bisect
import re

from triage.clauses import CONNECTIVES, LINKING, SKIP
from triage.hits import Analysis, Hit
from triage.names import NAME_LEX, PRONOUN_LEX, synthetic
from triage.rules.models import Kind, Lexicon

STAFF_LEX = Lexicon(name="staff_noun", kind=Kind.ROLE, generic=True)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_AGENT = re.compile(
    r"^[a-z-]{3,}(?:er|or|ist|ian|ant|ent|eer|ee|man|woman|person|marshal|host|guard|aide"
    r"|steward|warden|chef|intern|apprentice|nanny|clerk|coach|lead|head|staff|crew)s?$"
)
_NOT_STAFF = _words(
    """
    other others mother mothers father fathers brother brothers sister sisters daughter
    daughters number numbers member members order orders paper papers letter letters
    computer computers water manner matter matters centre center quarter corner chapter
    register poster border filter dinner parent parents student students patient
    patients resident residents client clients event events incident incidents comment
    comments document documents statement statements content moment department
    management agreement assessment equipment environment government treatment
    settlement requirement arrangement involvement enrolment recruitment appointment
    development cover super summer winter weather leisure pressure nature future culture
    picture pictures feature measure corridor door floor interior exterior behaviour
    behavior error errors mirror indoor outdoor junior juniors senior seniors minor
    minors player players learner learners toddler toddlers youngster youngsters
    teenager teenagers daughter-in-law youngest eldest oldest grandmother grandfather
    partner partners customer customers neighbour neighbours stranger strangers
    passenger passengers supporter supporters spectator spectators visitor visitors
    owner owners lodger lodgers carer-led after-school afterschool answer answers later
    either neither whether together however whatever whoever remember october november
    december september chamber chambers cluster timber lavender counter encounter
    consent accident accidents account accounts absent present percent recent current
    parent-led advent talent talents intent content event extent payment ointment
    basement pavement apartment compartment element elements segment component
    components comment argument staffroom head headteacher
    """
)
_STAFF_CUES = (
    ("one", "of", "our"),
    ("our",),
    ("works", "here", "as"),
    ("employed", "as"),
    ("works", "as"),
    ("working", "as"),
    ("worked", "as"),
    ("volunteers", "as"),
    # the basis of employment tells a worker: "a bank porter", "a casual invigilator",
    # "an agency escort", "a sessional steward", "the locum radiographer"
    ("bank",),
    ("agency",),
    ("locum",),
    ("sessional",),
    ("casual",),
    ("relief",),
    ("supply",),
    ("peripatetic",),
    ("freelance",),
    ("contracted",),
    ("temporary",),
)
_CUE_FIRST = frozenset(c[0] for c in _STAFF_CUES)
_ARTICLES = frozenset({"a", "an", "the"})
_STOP = _words(
    """
    has have had is was are were who that which and or but , . ; : ( ) - been being will
    would can could should may might to in on at for with from by of about after before
    said says told has' 's
    """
)


def staff_nouns(a: Analysis, taken: set[int]) -> list[Hit]:
    """Roles named as the organisation's own that no lexicon lists."""
    w = a.w
    n = len(w.text)
    out: list[Hit] = []
    starts = a.where_lower(_CUE_FIRST)
    for cue in _STAFF_CUES:
        for i in starts:
            if w.lower[i] != cue[0] or tuple(w.lower[i : i + len(cue)]) != cue:
                continue
            k = i + len(cue)
            if k < n and w.lower[k] in _ARTICLES:
                k += 1
            start = k
            head = None
            while k < n and k - start < 4 and w.alpha[k] and w.lower[k] not in _STOP:
                if k in taken:
                    head = None
                    break
                if _AGENT.match(w.lower[k]) and w.lower[k] not in _NOT_STAFF:
                    head = k
                k += 1
            if head is None or any(h.start <= head < h.end for h in out):
                continue
            out.append(synthetic(a, STAFF_LEX, start, head + 1))
    return out


_POSSESSIVE = frozenset({"his", "her", "their", "my"})
_PARTNER_ADJECTIVES = frozenset({"new", "current", "latest", "long-term", "live-in", "former"})


def possessive_associates(a: Analysis, people: list[Hit], referrer: Hit | None) -> None:
    """ "one of our TAs has told us her partner...": a worker's partner is an associate."""
    w = a.w
    for p in people:
        if p.kind is not Kind.FAMILY or p.linked or p.associate_of:
            continue
        if not (p.lex.domestic or p.lex.household):
            continue
        j = p.start - 1
        while j >= 0 and (w.space[j] or w.lower[j] in _PARTNER_ADJECTIVES):
            j -= 1
        if j < 0 or (w.lower[j] not in _POSSESSIVE and w.lower[j] != "'s"):
            continue
        if j >= 1 and w.lower[j] == "'s":
            # "Sharon's new boyfriend", where Sharon is the childminder named before
            owner = _named_worker(a, w.lower[j - 1], people, j - 1)
            if owner is not None:
                p.associate_of = owner
            continue
        if w.lower[j] == "my":
            owner = referrer
        else:
            owner = next(
                (
                    q
                    for q in reversed(people)
                    if q.start < j and p.sent - q.sent <= 1 and q.kind is not Kind.SETTING
                ),
                None,
            )
        if (
            owner is not None
            and owner.kind is Kind.ROLE
            and not owner.lex.reporting
            and not owner.receiver
        ):
            p.associate_of = owner


def _named_worker(a: Analysis, word: str, people: list[Hit], before: int) -> Hit | None:
    """The role of a person named earlier whose first or last name is ``word``."""
    w = a.w
    for q in people:
        if q.lex is not NAME_LEX or q.start >= before or q.linked is None:
            continue
        if q.linked.kind is not Kind.ROLE or q.linked.lex.adults_only:
            continue
        if word in {w.lower[k] for k in range(q.start, q.end)} and word.isalpha():
            return q.linked
    return None


_LINKING = _words(
    """
    is was works worked volunteers volunteer volunteered coaches coached teaches taught
    helps helped runs ran employed also known to as at a an the local junior our
    """
)


def roles_said_later(a: Analysis, pronouns: list[Hit], people: list[Hit]) -> bool:
    """ "He is known to volunteer at a local junior boxing club": the person the pronoun
    stands for works with children. Returns whether any person changed."""
    w = a.w
    changed = False
    for p in pronouns:
        if w.lower[p.start] not in ("he", "she") or p.linked is None:
            continue
        target = p.linked
        while target.lex is PRONOUN_LEX and target.linked is not None:
            target = target.linked
        # a family member too: "Their dad ... has told me he is a civilian instructor
        # with the Air Cadets" (like "her dad, who is a PE teacher")
        if target.kind not in (Kind.PERSON, Kind.PUBLIC, Kind.FAMILY) or target.linked is not None:
            continue
        if target.kind is Kind.FAMILY and target.associate_of is not None:
            continue
        if "works_with_children" in target.notes:
            continue
        s1 = a.sent_bounds[p.sent][1]
        k = p.end
        while k < s1 and k - p.end < 8 and (w.space[k] or w.lower[k] in _LINKING):
            k += 1
        # "he is a civilian instructor": up to two describing words before the role
        extra = 0
        while (
            extra < 2
            and k + extra < s1
            and w.text[k + extra].isalpha()
            and not any(m.start == k + extra for m in a.mentions)
        ):
            extra += 1
        starts_at = (k,) if k == p.end else tuple(range(k, k + extra + 1))
        hit = next(
            (
                m
                for m in a.mentions
                if (
                    m.start in starts_at
                    and (m.kind is Kind.ROLE and not m.lex.adults_only and not m.lex.reporting)
                )
                or (m.start in starts_at and m.kind is Kind.SETTING and not m.lex.adults_only)
            ),
            None,
        )
        if hit is None or k == p.end:
            continue
        if target.kind is Kind.FAMILY and not any(
            m.sent == p.sent
            and m.start >= hit.end
            and (m.kind is Kind.CHILD or (m.kind is Kind.SETTING and not m.lex.adults_only))
            for m in a.mentions
        ):
            # a relative's job tells nothing unless it is with children: "her uncle ...
            # is a bus driver for a national coach company" stays family
            continue
        if target.lex is NAME_LEX or hit.kind is Kind.ROLE:
            target.linked = hit if hit.kind is Kind.ROLE else None
        target.notes.append("works_with_children")
        changed = True
    return changed


def link_roles(a: Analysis, people: list[Hit]) -> None:
    """Names, family members and people who are said to hold a role."""
    w = a.w
    roles = [m for m in people if m.kind is Kind.ROLE]
    n = len(w.text)
    ordered = sorted(a.mentions, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    for p in people:
        if p.kind not in (Kind.FAMILY, Kind.PERSON, Kind.PUBLIC) and p.lex is not NAME_LEX:
            continue
        if p.linked is not None:
            continue
        sent_end = a.sent_bounds[p.sent][1]
        # apposition: "Mr Dean, one of our PE teachers" / "Ms Patel (teaching assistant)"
        for r in roles:
            if r.sent != p.sent:
                continue
            between = [w.lower[k] for k in range(p.end, r.start) if not w.space[k]]
            if r.start >= p.end and len(between) <= 7:
                words = [w for w in between if w not in SKIP]
                other_person = any(
                    q is not p
                    and q is not r
                    and p.end <= q.start < r.start
                    and q.kind is not Kind.SETTING
                    for q in people
                )
                if (
                    words
                    and set(words) <= CONNECTIVES
                    and set(words) & LINKING
                    and not other_person
                ):
                    p.linked = r
                    break
            before = [w.lower[k] for k in range(r.end, p.start) if not w.space[k]]
            if (
                p.lex is NAME_LEX
                and p.start >= r.end
                and len(before) <= 2
                and set(before) <= {",", "("}
            ):
                p.linked = r
                break
            if (
                p.kind is Kind.FAMILY
                and p.start >= r.end
                and before[:1] in ([","], ["("])
                and len(before) <= 6
                and _possessed_child(a, r.end, p.start)
            ):
                p.linked = r  # "a kinship carer, the child's aunt"
                break
        if (
            p.linked is None
            and p.kind is Kind.PERSON
            and p.end < min(n, sent_end)
            # "a man who helps out at our Friday club"
            and w.lower[p.end] in ("who", "that")
        ):
            lo = bisect.bisect_left(starts, p.end)
            near = [m for m in ordered[lo:] if m.start < p.end + 9]
            if any(m.kind in (Kind.ROLE, Kind.SETTING) for m in near):
                role = next((m for m in near if m.kind is Kind.ROLE), None)
                p.linked = role if role is not None else p
                p.notes.append("works_with_children")
    # the same surname elsewhere in the text is the same person
    by_surname: dict[str, Hit] = {}
    for p in people:
        if p.lex is NAME_LEX and p.linked is not None:
            by_surname[w.lower[p.end - 1]] = p.linked
    for p in people:
        if p.lex is NAME_LEX and p.linked is None:
            role = by_surname.get(w.lower[p.end - 1])
            if role is not None:
                p.linked = role

    # the same family word (or "the subject", "the man") elsewhere is the same person
    def head(p: Hit) -> str:
        first = w.lower[p.start]
        return first if first == "subject" else w.lower[p.end - 1]

    by_word: dict[str, Hit] = {}
    for p in people:
        if p.kind in (Kind.FAMILY, Kind.PERSON) and p.lex is not NAME_LEX and p.linked:
            by_word[head(p)] = p.linked
    for p in people:
        if p.kind in (Kind.FAMILY, Kind.PERSON) and p.lex is not NAME_LEX and p.linked is None:
            role = by_word.get(head(p))
            if role is not None:
                p.linked = role
    # partners of workers: "the childminder's husband", "the partner of one of our teachers"
    for p in people:
        if p.kind is not Kind.FAMILY or p.linked is not None:
            continue
        for r in roles:
            if (r.end < n and w.lower[r.end] == "'s" and p.start in (r.end + 1, r.end + 2)) or (
                p.end < n and w.lower[p.end] == "of" and 0 < r.start - p.end <= 5
            ):
                p.associate_of = r


def kinship_carers(people: list[Hit]) -> None:
    """ "kinship (connected person) carer Mrs Cole, maternal grandmother ... Nanna shoved
    me": where a kinship carer is named, the relatives who may be that carer (a
    grandparent, an aunt or uncle) are that carer, an approved foster carer in law. A
    parent stays family (birth parents are not the kinship carers)."""
    carer = next(
        (p for p in people if p.kind is Kind.ROLE and p.lex.kinship and not p.negated), None
    )
    if carer is None:
        return
    for p in people:
        if p.kind is Kind.FAMILY and p.lex.kinship and p.linked is None and not p.associate_of:
            p.linked = carer


_PARENT_WORDS = {
    "m": frozenset({"dad", "dads", "daddy", "father"}),
    "f": frozenset({"mum", "mums", "mummy", "mam", "mom", "mother"}),
}
_EX = frozenset({"ex", "ex-", "-"})


def partner_parent(a: Analysis, people: list[Hit]) -> None:
    """ "my ex husband is PC Danby, he works on the schools team ... our son ... said dad
    hit him": the writer's partner who works with children is the child's dad, so harm
    by "dad" is by that worker (his private life: transferable risk), not a family matter
    for the front door alone. "my dad" (the writer's own father) is someone else."""
    w = a.w
    for p in people:
        if p.kind is not Kind.FAMILY or not p.lex.domestic or p.lex.gender is None:
            continue
        role = p.linked
        if role is None or role.kind is not Kind.ROLE or role.lex.adults_only:
            continue
        j = p.start - 1
        while j >= 0 and (w.space[j] or w.lower[j] in _PARTNER_ADJECTIVES or w.lower[j] in _EX):
            j -= 1
        if j < 0 or w.lower[j] != "my":
            continue
        words = _PARENT_WORDS[p.lex.gender]
        for q in people:
            if q.kind is not Kind.FAMILY or q.linked is not None or q.start <= p.start:
                continue
            if q.end - q.start != 1 or w.lower[q.start] not in words:
                continue
            if q.start > 0 and w.lower[q.start - 1] == "my":
                continue
            q.linked = role
            q.notes.append("own_child")


def _possessed_child(a: Analysis, lo: int, hi: int) -> bool:
    """Between a role and a family word only ", the child's" (an apposition)."""
    w = a.w
    for k in range(lo, hi):
        low = w.lower[k]
        if w.space[k] or low in (",", "(", "'s") or low in SKIP:
            continue
        if any(m.kind is Kind.CHILD and m.start <= k < m.end for m in a.mentions):
            continue
        return False
    return True
