"""The pipeline's sentencizer: sentence-final punctuation and meaningful line breaks.

It applies the same punctuation rule as spaCy's ``Sentencizer`` (a sentence starts at
the first token after a run of sentence-final punctuation that is not itself
punctuation) and adds line breaks: a line break starts a sentence after a blank line,
a line ending in punctuation, a short line (forms, signatures, chat), or before a
bullet or a "Label:" — but not inside hard-wrapped prose. It reads token arrays instead
of creating a spaCy ``Token`` per word, which made spaCy's component the single most
expensive step of the pipeline.
"""

from __future__ import annotations

from typing import Any

import numpy
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, IS_TITLE, LIKE_NUM, ORTH, SENT_START
from spacy.language import Language
from spacy.pipeline.sentencizer import Sentencizer
from spacy.tokens import Doc

_ATTRS = [ORTH, IDX, IS_SPACE, IS_PUNCT, IS_TITLE, LIKE_NUM]
_BULLETS = frozenset({"-", "*", "•", "–"})
_CLAUSE_END = frozenset('.:!?;)"' + "'")
#: A line at most this long (in characters) ends where it ends.
SHORT_LINE = 60


class SentenceSplitter:
    def __init__(self, nlp: Language) -> None:
        strings = nlp.vocab.strings
        self.strings = strings
        self.final = frozenset(strings.add(c) for c in Sentencizer.default_punct_chars)
        self.colon = strings.add(":")
        self.bullets = frozenset(strings.add(c) for c in _BULLETS)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        orth, idx, space, punct, title, num = doc.to_array(_ATTRS).T.tolist()
        starts = [False] * n
        starts[0] = True
        start, seen_final = 0, False
        final = self.final
        for i in range(n):
            is_final = orth[i] in final
            if seen_final and not punct[i] and not is_final:
                starts[start] = True
                start, seen_final = i, False
            elif is_final:
                seen_final = True
        starts[start] = True
        self._line_breaks(orth, idx, space, title, num, starts)
        values = numpy.array([1 if s else -1 for s in starts], dtype="int64")
        column: Any = values.astype("uint64").reshape(-1, 1)  # spaCy's Ints2d
        doc.from_array([SENT_START], column)
        return doc

    def _line_breaks(
        self,
        orth: list[int],
        idx: list[int],
        space: list[int],
        title: list[int],
        num: list[int],
        starts: list[bool],
    ) -> None:
        n = len(orth)
        text = self.strings
        line_start = 0
        for i in range(n):
            if not space[i]:
                continue
            ws = text[orth[i]]
            if "\n" not in ws:
                continue
            this_start = line_start
            line_start = idx[i] + len(ws)
            if i + 1 >= n or space[i + 1]:
                continue
            prev = text[orth[i - 1]] if i > 0 else ""
            nxt = orth[i + 1]
            if (
                ws.count("\n") > 1  # a blank line
                or (prev != "" and prev[-1] in _CLAUSE_END)
                or idx[i] - this_start <= SHORT_LINE
                or nxt in self.bullets
                or num[i + 1]
                or (title[i + 1] and self.colon in orth[i + 1 : min(n, i + 8)])
            ):
                starts[i + 1] = True


@Language.factory("lado_sentences")
def _make_sentences(nlp: Language, name: str) -> SentenceSplitter:
    return SentenceSplitter(nlp)
