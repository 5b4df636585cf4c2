"""Turn the pipeline's spans into hits: one matched lexicon term with its position.

Overlaps are resolved per group: people, settings and ``ignore`` phrases compete (the
longest wins, so "foster father" beats "father" and "children's home" beats "children");
modifiers compete among themselves ("no immediate danger" beats "immediate danger");
concerns and field cues keep every lexicon's longest match.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from triage.pipeline import SPANS_KEY
from triage.rules import RuleSet
from triage.rules.models import ConcernType, Kind, Lexicon
from triage.textprep import Segment
from triage.tokens import TokenArrays, Words, arrays, sentence_bounds, words

_MENTION_PRIORITY = {
    Kind.IGNORE: 0,
    Kind.ROLE: 1,
    Kind.FAMILY: 2,
    Kind.PUBLIC: 3,
    Kind.ADULT_VICTIM: 4,
    Kind.SETTING: 5,
    Kind.CHILD: 6,
    Kind.PERSON: 7,
}


@dataclass(eq=False)
class Hit:
    """A matched term. ``start``/``end`` are token indices, ``*_char`` input offsets."""

    lex: Lexicon
    start: int
    end: int
    start_char: int
    end_char: int
    sent: int
    # set by the actor and context passes
    subject: bool = False
    referrer: bool = False
    receiver: bool = False
    negated: bool = False
    hypothetical: bool = False
    denied: bool = False
    not_alleged: bool = False
    scope: str = "unknown"
    age: int | None = None
    linked: Hit | None = None  # the role a name or family member is linked to
    associate_of: Hit | None = None  # the worker whose partner this is
    actor: Hit | None = None  # for concerns: who did it
    victim: str = "child"  # for acts: child, adult, domestic
    notes: list[str] = field(default_factory=list)
    kind: Kind = field(init=False)  # the lexicon's kind, read very often

    def __post_init__(self) -> None:
        self.kind = self.lex.kind

    @property
    def name(self) -> str:
        return self.lex.name


@dataclass
class Analysis:
    """Everything the decision needs about one text."""

    doc: Doc
    text: str  # the original input
    sent_of: list[int]  # sentence index of each token
    sent_bounds: list[tuple[int, int]]  # token range of each sentence
    mentions: list[Hit]
    concerns: list[Hit]
    modifiers: list[Hit]
    fields: list[Hit]
    narrative: Segment
    arr: TokenArrays
    w: Words
    prepared: str  # the text the pipeline read (same length as the input part analysed)
    organisational: bool = False  # a role or setting is named anywhere in the text

    def hashes(self, words: frozenset[str] | set[str]) -> frozenset[int]:
        strings = self.doc.vocab.strings
        return frozenset(int(strings.add(w)) for w in words)

    def where_lower(self, words: frozenset[str] | set[str]) -> list[int]:
        """Token indices whose lower-case form is one of ``words``."""
        hs = self.hashes(words)
        return [i for i, h in enumerate(self.arr.lower) if h in hs]

    def sentence_hits(self, hits: list[Hit], sent: int) -> list[Hit]:
        return [h for h in hits if h.sent == sent]


def _longest_first(hits: list[Hit], priority: dict[Kind, int] | None = None) -> list[Hit]:
    def key(h: Hit) -> tuple[int, int, int]:
        pri = priority.get(h.kind, 9) if priority else 0
        return (-(h.end - h.start), pri, h.start)

    if len(hits) < 2:
        return list(hits)
    taken: set[int] = set()
    kept: list[Hit] = []
    for h in sorted(hits, key=key):
        span = range(h.start, h.end)
        if taken.intersection(span):
            continue
        taken.update(span)
        kept.append(h)
    kept.sort(key=lambda h: h.start)
    return kept


def _longest_per_lexicon(hits: list[Hit]) -> list[Hit]:
    by_name: dict[str, list[Hit]] = {}
    for h in hits:
        by_name.setdefault(h.name, []).append(h)
    out: list[Hit] = []
    for group in by_name.values():
        out.extend(_longest_first(group))
    return sorted(out, key=lambda h: (h.start, -h.end))


def _without_acts_in_injuries(concerns: list[Hit]) -> list[Hit]:
    """ "she hit her head on the padding", "play-fighting": the act inside a longer
    injury or low-level-concern phrase is part of it, not an act of its own."""
    injuries = [h for h in concerns if h.lex.type in (ConcernType.INJURY, ConcernType.LLC)]
    if not injuries:
        return concerns
    return [
        h
        for h in concerns
        if h.lex.type is not ConcernType.ACT
        or not any(
            (i.start <= h.start and h.end <= i.end and i.end - i.start > h.end - h.start)
            or i.start < h.start < i.end  # "play-fighting with": begins inside the phrase
            for i in injuries
        )
    ]


def collect(
    doc: Doc, text: str, rules: RuleSet, segments: list[Segment], prepared: str
) -> Analysis:
    """Hits of the first relevant segment (see ``textprep.prepare``)."""
    arr = arrays(doc)
    sent_of = [0] * len(doc)
    bounds = sentence_bounds(doc, arr)
    for si, (s, e) in enumerate(bounds):
        for k in range(s, e):
            sent_of[k] = si
    raw: list[Hit] = []
    spans = doc.spans.get(SPANS_KEY, [])
    for sp in spans:
        lex = rules.by_name.get(sp.label_)
        if lex is None or not lex.enabled:
            continue
        raw.append(
            Hit(
                lex=lex,
                start=sp.start,
                end=sp.end,
                start_char=sp.start_char,
                end_char=sp.end_char,
                sent=sent_of[sp.start] if len(doc) else 0,
            )
        )
    organisational = any(
        h.kind is Kind.SETTING or (h.kind is Kind.ROLE and not h.lex.adults_only) for h in raw
    )
    narrative = _choose_segment(raw, segments)
    raw = [h for h in raw if narrative.start <= h.start_char and h.end_char <= narrative.end]
    people = [h for h in raw if h.lex.people_kind or h.kind in (Kind.SETTING, Kind.IGNORE)]
    mentions = [h for h in _longest_first(people, _MENTION_PRIORITY) if h.kind is not Kind.IGNORE]
    idioms = [(h.start, h.end) for h in raw if h.kind is Kind.IGNORE and h.lex.idiom]
    if idioms:
        # "a parent is kicking off": the words of an idiom are neither acts nor cues
        raw = [
            h
            for h in raw
            if h.kind not in (Kind.CONCERN, Kind.MODIFIER)
            or not any(h.start < e and s < h.end for s, e in idioms)
        ]
    modifiers = _longest_first([h for h in raw if h.kind is Kind.MODIFIER])
    concerns = _without_acts_in_injuries(
        _longest_per_lexicon([h for h in raw if h.kind is Kind.CONCERN])
    )
    fields = _longest_per_lexicon([h for h in raw if h.kind is Kind.FIELD])
    return Analysis(
        doc=doc,
        text=text,
        sent_of=sent_of,
        sent_bounds=bounds,
        mentions=mentions,
        concerns=concerns,
        modifiers=modifiers,
        fields=fields,
        narrative=narrative,
        arr=arr,
        w=words(doc, arr),
        prepared=prepared,
        organisational=organisational,
    )


def _choose_segment(hits: list[Hit], segments: list[Segment]) -> Segment:
    """The first segment with a concern, else the first with anything, else the first."""
    if len(segments) == 1:
        return segments[0]

    def inside(h: Hit, sg: Segment) -> bool:
        return sg.start <= h.start_char < sg.end

    for sg in segments:
        if any(h.kind is Kind.CONCERN and inside(h, sg) for h in hits):
            return sg
    for sg in segments:
        if any(inside(h, sg) for h in hits):
            return sg
    return segments[0]
