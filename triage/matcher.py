"""A fast matcher for the rule set's token patterns (wildcards, numbers, regexes).

spaCy's ``Matcher`` tries every pattern at every token, which costs several
milliseconds per text with the rule set's wildcard patterns. This matcher indexes each
pattern by the words its first required slot accepts and only tries it where one occurs,
so the cost is proportional to the candidate positions. It reads the same pattern
dictionaries as spaCy's ``Matcher`` (the subset the term language produces: ``NORM``
and ``NORM IN``, ``LIKE_NUM``, ``LOWER REGEX``, ``{}`` wildcards and the ``?`` and
``{n,m}`` operators). Wildcards never cross the end of a sentence.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from triage.tokens import Strings, TokenArrays, arrays

_OP = re.compile(r"^\{(\d+),(\d+)\}$")


@dataclass(frozen=True)
class _Slot:
    kind: str  # "set", "num", "re", "any"
    words: frozenset[int]  # NORM hashes
    regex: re.Pattern[str] | None
    low: int
    high: int


_Pattern = tuple[str, tuple[_Slot, ...]]


class TokenPatternMatcher:
    """Adds labelled spans for token patterns to ``doc.spans[key]``."""

    def __init__(self, key: str, vocab: Vocab) -> None:
        self.key = key
        self.strings = Strings(vocab.strings)
        self._stops = frozenset(self.strings.hash(p) for p in (".", "!", "?"))
        self._anchored: dict[int, list[_Pattern]] = {}
        self._by_number: list[_Pattern] = []
        self._by_regex: list[_Pattern] = []
        self._floating: list[_Pattern] = []
        self._regex_cache: dict[int, tuple[_Pattern, ...]] = {}
        self._any_regex: re.Pattern[str] | None = None
        self._required: dict[int, tuple[frozenset[int], ...]] = {}
        self.count = 0

    def _slot(self, spec: dict[str, Any]) -> _Slot:
        op = spec.get("OP")
        low, high = 1, 1
        if op == "?":
            low, high = 0, 1
        elif isinstance(op, str) and (m := _OP.match(op)):
            low, high = int(m.group(1)), int(m.group(2))
        elif op is not None:
            raise ValueError(f"unsupported operator {op!r}")
        if "NORM" in spec:
            val = spec["NORM"]
            words = val["IN"] if isinstance(val, dict) else [val]
            return _Slot("set", frozenset(self.strings.hash(w) for w in words), None, low, high)
        if spec.get("LIKE_NUM"):
            return _Slot("num", frozenset(), None, low, high)
        if "LOWER" in spec:
            return _Slot("re", frozenset(), re.compile(spec["LOWER"]["REGEX"]), low, high)
        if not {k for k in spec if k != "OP"}:
            return _Slot("any", frozenset(), None, low, high)
        raise ValueError(f"unsupported token pattern {spec!r}")

    def add(self, label: str, pattern: Sequence[dict[str, Any]]) -> None:
        """Add a pattern (a list of spaCy Matcher token specs) under a label."""
        self.count += 1
        self._add(label, tuple(self._slot(s) for s in pattern))

    def _add(self, label: str, slots: tuple[_Slot, ...]) -> None:
        # leading optional wildcards do not change what matches: drop them
        while slots and slots[0].kind == "any" and slots[0].low == 0:
            slots = slots[1:]
        if not slots:
            return
        first = slots[0]
        # the smallest set first: a rare word missing from the text rejects it at once
        self._required[id(slots)] = tuple(
            sorted((sl.words for sl in slots[1:] if sl.kind == "set" and sl.low), key=len)
        )
        if first.low == 0 and first.kind != "any":
            # an optional first slot: index the pattern with and without it
            self._add(label, (_Slot(first.kind, first.words, first.regex, 1, 1), *slots[1:]))
            if first.high > 1:
                rest = _Slot(first.kind, first.words, first.regex, 1, first.high - 1)
                self._add(label, (rest, *slots[1:]))
            self._add(label, slots[1:])
            return
        if first.kind == "set":
            for w in first.words:
                self._anchored.setdefault(w, []).append((label, slots))
        elif first.kind == "num":
            self._by_number.append((label, slots))
        elif first.kind == "re":
            self._by_regex.append((label, slots))
            self._any_regex = None
        else:
            self._floating.append((label, slots))

    def _regex_starts(self, lower: int) -> tuple[_Pattern, ...]:
        """The regex-first patterns whose first slot accepts this word (cached per word)."""
        hit = self._regex_cache.get(lower)
        if hit is None:
            text = self.strings(lower)
            if len(self._regex_cache) > 100_000:
                self._regex_cache.clear()
            if self._any_regex is None:
                # one pass over a new word rejects it for every regex-first pattern at once
                alts = {sl[0].regex.pattern for _, sl in self._by_regex if sl[0].regex}
                self._any_regex = re.compile("|".join(f"(?:{a})" for a in sorted(alts)))
            hit = ()
            if self._any_regex.search(text) is not None:
                hit = tuple(
                    (lab, sl)
                    for lab, sl in self._by_regex
                    if sl[0].regex is not None and sl[0].regex.search(text) is not None
                )
            self._regex_cache[lower] = hit
        return hit

    def _ok(self, slot: _Slot, arr: TokenArrays, j: int) -> bool:
        if slot.kind == "set":
            return arr.norm[j] in slot.words
        if slot.kind == "num":
            return bool(arr.num[j])
        if slot.kind == "re":
            return (
                slot.regex is not None and slot.regex.search(self.strings(arr.lower[j])) is not None
            )
        return arr.lower[j] not in self._stops  # wildcards stay inside the sentence

    def _best(self, slots: tuple[_Slot, ...], k: int, i: int, arr: TokenArrays) -> int:
        """The furthest end of a match of ``slots[k:]`` starting at token ``i`` (-1: none)."""
        if k == len(slots):
            return i
        slot = slots[k]
        norm, space = arr.norm, arr.space
        n = len(norm)
        best = self._best(slots, k + 1, i, arr) if slot.low == 0 else -1
        j = i
        reps = 0
        kind = slot.kind
        while reps < slot.high and j < n:
            if space[j]:
                break
            if kind == "set":
                if norm[j] not in slot.words:
                    break
            elif not self._ok(slot, arr, j):
                break
            j += 1
            reps += 1
            if reps >= slot.low:
                end = self._best(slots, k + 1, j, arr)
                if end > best:
                    best = end
        return best

    def _viable(
        self, slots: tuple[_Slot, ...], present: frozenset[int], viable: dict[int, bool]
    ) -> bool:
        key = id(slots)
        ok = viable.get(key)
        if ok is None:
            # a pattern whose required words never occur in this text cannot match
            ok = True
            for words in self._required[key]:
                if words.isdisjoint(present):
                    ok = False
                    break
            viable[key] = ok
        return ok

    def __call__(self, doc: Doc) -> Doc:
        if not self.count or not len(doc):
            return doc
        arr = arrays(doc, cache=True)
        found: dict[tuple[str, int], int] = {}
        anchored = self._anchored
        norms, nums, spaces, lowers = arr.norm, arr.num, arr.space, arr.lower
        present = frozenset(norms)
        viable: dict[int, bool] = {}
        # once per distinct word: the patterns it starts whose required words all occur
        # in this text ("made" may start 40 patterns and occur ten times)
        starts: dict[int, tuple[_Pattern, ...]] = {}
        for norm in present:
            pats = anchored.get(norm)
            if pats:
                ok = tuple(p for p in pats if self._viable(p[1], present, viable))
                if ok:
                    starts[norm] = ok
        regex_starts: dict[int, tuple[_Pattern, ...]] = {}
        if self._by_regex:
            for low in frozenset(lowers):
                cached = self._regex_cache.get(low)
                hit = cached if cached is not None else self._regex_starts(low)
                if hit:
                    regex_starts[low] = hit
        by_number = self._by_number
        floating = self._floating
        for i in range(len(norms)):
            first = starts.get(norms[i], ())
            numeric = by_number if nums[i] else ()
            regex = regex_starts.get(lowers[i], ()) if regex_starts and not spaces[i] else ()
            if not (first or numeric or regex or floating):
                continue
            for label, slots in itertools.chain(first, numeric, regex, floating):
                if (numeric or regex or floating) and not self._viable(slots, present, viable):
                    continue
                best = self._best(slots, 0, i, arr)
                if best > i:
                    key = (label, i)
                    if best > found.get(key, -1):
                        found[key] = best
        if found:
            spans = list(doc.spans[self.key]) if self.key in doc.spans else []
            spans.extend(Span(doc, s, e, label=lab) for (lab, s), e in found.items())
            doc.spans[self.key] = spans
        return doc
