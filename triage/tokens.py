"""Token attributes as plain lists, read once per document with ``Doc.to_array``.

Iterating a spaCy ``Doc`` creates a Python ``Token`` object per word, which costs more
than everything else the triage does; the hot loops read these arrays instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.attrs import (
    IDX,
    IS_ALPHA,
    IS_PUNCT,
    IS_SPACE,
    IS_TITLE,
    LIKE_NUM,
    LOWER,
    NORM,
    ORTH,
    SENT_START,
)
from spacy.strings import StringStore
from spacy.tokens import Doc

_ATTRS = [LOWER, NORM, IS_SPACE, LIKE_NUM, IS_TITLE, IS_ALPHA, IS_PUNCT, SENT_START]


@dataclass(frozen=True)
class TokenArrays:
    lower: list[int]  # string hashes
    norm: list[int]
    space: list[int]
    num: list[int]
    title: list[int]
    alpha: list[int]
    punct: list[int]
    sent_start: list[int]  # 1 = starts a sentence, -1 = does not, 0 = unset


_CACHE_KEY = "lado_arrays"


def arrays(doc: Doc, *, cache: bool = False) -> TokenArrays:
    """The token arrays of ``doc``. With ``cache``, they are kept on the doc for later
    readers: only once NORM and sentence starts are final (after the last component)."""
    hit = doc.user_data.get(_CACHE_KEY)
    if isinstance(hit, TokenArrays) and len(hit.lower) == len(doc):
        return hit
    if not len(doc):
        return TokenArrays([], [], [], [], [], [], [], [])
    lower, norm, space, num, title, alpha, punct, raw = doc.to_array(_ATTRS).T.tolist()
    sent = [int(v) if v < 2**63 else int(v) - 2**64 for v in raw]
    out = TokenArrays(lower, norm, space, num, title, alpha, punct, sent)
    if cache:
        doc.user_data[_CACHE_KEY] = out
    return out


class Strings:
    """Hash -> text with a per-process cache (vocabulary strings never change)."""

    def __init__(self, store: StringStore) -> None:
        self.store = store
        self.cache: dict[int, str] = {}

    def __call__(self, h: int) -> str:
        text = self.cache.get(h)
        if text is None:
            text = self.store[h]
            if len(self.cache) > 200_000:
                self.cache.clear()
            self.cache[h] = text
        return text

    def hash(self, text: str) -> int:
        return int(self.store.add(text))


def sentence_bounds(doc: Doc, arr: TokenArrays) -> list[tuple[int, int]]:
    """Token ranges of the sentences (from SENT_START, without building Span objects)."""
    n = len(doc)
    if not n:
        return []
    starts = [i for i, v in enumerate(arr.sent_start) if v == 1 or i == 0]
    return [(s, starts[k + 1] if k + 1 < len(starts) else n) for k, s in enumerate(starts)]


_STRINGS: dict[int, str] = {}


@dataclass(frozen=True)
class Words:
    """Per-token text and flags as plain lists (index = token index)."""

    text: list[str]
    lower: list[str]
    norm: list[str]
    idx: list[int]  # start offset of each token
    space: list[int]
    punct: list[int]
    num: list[int]
    title: list[int]
    alpha: list[int]

    def end(self, i: int) -> int:
        """Offset just after token ``i``."""
        return self.idx[i] + len(self.text[i])


def words(doc: Doc, arr: TokenArrays) -> Words:
    if not len(doc):
        return Words([], [], [], [], [], [], [], [], [])
    strings = doc.vocab.strings
    cache = _STRINGS
    if len(cache) > 500_000:
        cache.clear()

    def text_of(h: int) -> str:
        t = cache.get(h)
        if t is None:
            t = strings[h]
            cache[h] = t
        return t

    def texts(hashes: list[int]) -> list[str]:
        out = list(map(cache.get, hashes))  # mostly cached: one C-level pass
        for k, t in enumerate(out):
            if t is None:
                out[k] = text_of(hashes[k])
        return out  # type: ignore[return-value]

    orth, idx = doc.to_array([ORTH, IDX]).T.tolist()
    return Words(
        text=texts(orth),
        lower=texts(arr.lower),
        norm=texts(arr.norm),
        idx=idx,
        space=arr.space,
        punct=arr.punct,
        num=arr.num,
        title=arr.title,
        alpha=arr.alpha,
    )
