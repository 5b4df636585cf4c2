"""Read a text again without quotation marks and with hard line wraps joined.

A phrase term cannot match across a token it does not name, so "keep it 'between us'",
"their 'special secret'" or a phrase broken by a line wrap in an email ("put his hand\\n
on her leg") would be missed. ``lado_reread`` (the last component of the pipeline)
builds a second document from the same tokens without the quotation marks and without
the runs of spaces or line breaks inside a sentence (each token keeps its normalised
form and sentence start), runs the two matching components over it, and adds the spans
found that the first pass did not, mapped back to the original tokens. A span must lie
inside one sentence of the original. Texts without quotation marks or mid-sentence runs
of spaces are not read twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import numpy
from spacy.attrs import NORM, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from thinc.types import Ints2d

from triage.tokens import TokenArrays, arrays, words

_STEPS = ("lado_rules", "lado_token_rules")
_DOUBLE = ('"', "``", "''", "“", "”")
_SINGLE = "'"


def _dropped(doc: Doc, arr: TokenArrays, quotes: frozenset[int]) -> list[bool]:
    """For each token: whether the second reading leaves it out."""
    n = len(arr.lower)
    space, start, lower = arr.space, arr.sent_start, arr.lower
    drop = [False] * n
    any_drop = False
    single = None
    for i in range(n):
        if space[i]:
            # a run of spaces between two words of one sentence
            if 0 < i < n - 1 and start[i + 1] != 1 and not space[i + 1]:
                drop[i] = any_drop = True
        elif lower[i] in quotes:
            drop[i] = any_drop = True
    if not any_drop:
        return []
    # a lone "'" is a quotation mark when it opens (after a space, before a word) or
    # closes an open one; otherwise it is a possessive ("the girls' changing room")
    w = None
    open_single = False
    for i in range(n):
        if not drop[i] or space[i]:
            continue
        if single is None:
            single = doc.vocab.strings[_SINGLE]
        if lower[i] != single:
            continue
        if w is None:
            w = words(doc, arr)
        before_space = i == 0 or bool(space[i - 1]) or w.idx[i - 1] + len(w.text[i - 1]) < w.idx[i]
        after_space = i + 1 >= n or w.idx[i] + 1 < w.idx[i + 1] or bool(arr.punct[i + 1])
        if before_space and not after_space:
            open_single = True
        elif open_single and not before_space:
            open_single = False
        else:
            drop[i] = False
    return drop if any(drop) else []


class Reread:
    """Adds the spans found in the second reading (see the module docstring)."""

    def __init__(self, nlp: Language, key: str) -> None:
        self.nlp = nlp
        self.key = key
        self._steps: list[Callable[[Doc], Doc]] | None = None
        self._quotes: frozenset[int] | None = None

    def steps(self) -> list[Callable[[Doc], Doc]]:
        if self._steps is None:
            self._steps = [self.nlp.get_pipe(name) for name in _STEPS]
        return self._steps

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        arr = arrays(doc)
        if self._quotes is None:
            strings = doc.vocab.strings
            self._quotes = frozenset(int(strings.add(q)) for q in (_SINGLE, *_DOUBLE))
        drop = _dropped(doc, arr, self._quotes)
        if not drop:
            return doc
        keep = [i for i, d in enumerate(drop) if not d]
        if not keep:
            return doc
        w = words(doc, arr)
        starts = [1 if v == 1 else -1 for v in arr.sent_start]
        for i in range(len(drop)):
            # a sentence that began with a dropped token begins with the next one kept
            if drop[i] and starts[i] == 1 and i + 1 < len(drop):
                starts[i + 1] = 1
        other = Doc(doc.vocab, words=[w.text[i] for i in keep], spaces=[True] * len(keep))
        values = numpy.array(
            [[arr.norm[i], (starts[i] if k else 1) % 2**64] for k, i in enumerate(keep)],
            dtype="uint64",
        )
        other.from_array([NORM, SENT_START], cast(Ints2d, values))
        for step in self.steps():
            other = step(other)
        old = list(doc.spans.get(self.key, []))
        seen = {(sp.label, sp.start, sp.end) for sp in old}
        added: list[Span] = []
        for sp in other.spans.get(self.key, []):
            start, end = keep[sp.start], keep[sp.end - 1] + 1
            if (sp.label, start, end) in seen:
                continue
            if any(arr.sent_start[k] == 1 for k in range(start + 1, end)):
                continue  # a sentence of the original ends inside it
            seen.add((sp.label, start, end))
            added.append(Span(doc, start, end, label=sp.label))
        if added:
            doc.spans[self.key] = old + added
        return doc


@Language.factory("lado_reread", default_config={"key": "lado"})
def _make_reread(nlp: Language, name: str, key: str) -> Reread:
    return Reread(nlp, key)
