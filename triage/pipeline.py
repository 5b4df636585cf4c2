"""The blank English spaCy pipeline the triage runs, built from a rule set.

Components, in order: the tokenizer; ``lado_spelling`` (reads common misspellings as the
word they stand for, by setting each token's NORM); ``lado_sentences`` (the
sentencizer: spaCy's punctuation rule, plus line breaks that end a sentence in forms
and short lines but not in hard-wrapped prose; see ``triage.sentences``); a
``span_ruler`` holding the rule set's phrase terms, matching on NORM; and
``lado_token_rules`` for its wildcard terms (``triage.matcher``); and ``lado_reread``,
which matches again on the text without quotation marks and line wraps
(``triage.reread``). All put their spans under ``doc.spans["lado"]``, labelled by
lexicon name.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any

import spacy
from spacy.attrs import NORM, ORTH
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from triage import reread as _reread  # noqa: F401  (registers lado_reread)
from triage import sentences as _sentences  # noqa: F401  (registers lado_sentences)
from triage.matcher import TokenPatternMatcher
from triage.rules import RuleSet, load_rules
from triage.rules.compile import TermError, compile_term, plural, term_words, verb_forms

log = logging.getLogger(__name__)

SPANS_KEY = "lado"
_CACHE_LIMIT = 50_000


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _osa_distance_le1(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one edit (incl. one transposition)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if la < lb else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


class SpellingNormaliser:
    """Sets ``token.norm_`` to the intended word for listed and near misspellings."""

    def __init__(self, variants: dict[str, str], targets: set[str], known: set[str], min_len: int):
        self.variants = variants
        self.known = known
        self.min_len = min_len
        self.index: dict[str, set[str]] = {}
        for t in targets:
            for key in {t} | _deletions(t):
                self.index.setdefault(key, set()).add(t)
        self._cache: dict[str, str | None] = {}
        self._by_hash: dict[int, str | None] = {}
        self._lock = threading.Lock()

    def lookup(self, low: str) -> str | None:
        if low in self.variants:
            return self.variants[low]
        if len(low) < self.min_len - 1 or low in self.known or not low.isalpha():
            return None
        cached = self._cache.get(low, "")
        if cached != "":
            return cached
        found: set[str] = set()
        for key in {low} | _deletions(low):
            for t in self.index.get(key, ()):
                if t[0] == low[0] and _osa_distance_le1(low, t):
                    found.add(t)
        result = found.pop() if len(found) == 1 else None
        with self._lock:
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            self._cache[low] = result
        return result

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        cache = self._by_hash
        for i, h in enumerate(doc.to_array("LOWER").tolist()):
            canon = cache.get(h, "")
            if canon == "":
                low = strings[h]
                canon = self.lookup(low) if len(low) >= 4 and not low.isspace() else None
                if len(cache) > _CACHE_LIMIT:
                    cache.clear()
                cache[h] = canon
            if canon is not None:
                doc[i].norm_ = canon
        return doc


@Language.factory("lado_spelling", default_config={"rules_dir": ""})
def _make_spelling(nlp: Language, name: str, rules_dir: str) -> SpellingNormaliser:
    rules = load_rules(rules_dir or None)
    known: set[str] = set()
    targets: set[str] = set()
    for lx in rules.lexicons:
        for term in lx.terms:
            for raw in term.split():
                body = raw.rstrip("?")
                for alt in body.split("|"):
                    if alt.endswith("~"):
                        forms = verb_forms(alt[:-1], rules.irregular_verbs)
                    else:
                        forms = [alt.lower(), plural(alt)]
                    for w in forms:
                        if w.isalpha():
                            known.add(w)
        for w in (w for term in lx.terms for w in term_words(term)):
            known.add(w)
    for w in known:
        if len(w) >= rules.meta.fuzzy_min_length:
            targets.add(w)
    known.update(rules.spelling.values())
    return SpellingNormaliser(dict(rules.spelling), targets, known, rules.meta.fuzzy_min_length)


#: Contractions whose first word spaCy normalises to another tense ("didn't" reads as
#: "do not", "hadn't" as "have not"): rules need the tense ("did not turn up").
_KEEP_TENSE = frozenset({"did", "had"})


def _literal_contractions(nlp: Language) -> None:
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        return
    rules = dict(tokenizer.rules or {})
    changed = False
    for parts in rules.values():
        for part in parts:
            orth = str(part.get(ORTH, part.get("ORTH", ""))).lower()
            if orth in _KEEP_TENSE and part.get(NORM, part.get("NORM", orth)) != orth:
                part[NORM] = orth
                changed = True
    if changed:
        tokenizer.rules = rules


def patterns_for(rules: RuleSet, nlp: Language) -> list[dict[str, Any]]:
    """Every span-ruler pattern of the rule set (raises ``TermError`` on a bad term)."""

    def tokenize(s: str) -> list[str]:
        return [t.norm_ for t in nlp.make_doc(s)]

    out: list[dict[str, Any]] = []
    for lx in rules.lexicons:
        if not lx.enabled:
            continue
        for term in lx.terms:
            try:
                compiled = compile_term(
                    term,
                    irregular=rules.irregular_verbs,
                    plurals=lx.default_plurals,
                    tokenize=tokenize,
                )
            except TermError as exc:
                raise TermError(f"lexicon '{lx.name}', term '{term}': {exc}") from exc
            out.extend({"label": lx.name, "pattern": p} for p in compiled.phrases)
            out.extend({"label": lx.name, "pattern": p} for p in compiled.token_patterns)
    return out


@Language.factory("lado_token_rules", default_config={"rules_dir": ""})
def _make_token_rules(nlp: Language, name: str, rules_dir: str) -> TokenPatternMatcher:
    rules = load_rules(rules_dir or None)
    matcher = TokenPatternMatcher(SPANS_KEY, nlp.vocab)
    for p in patterns_for(rules, nlp):
        if not isinstance(p["pattern"], str):
            matcher.add(p["label"], p["pattern"])
    return matcher


def build_pipeline(rules: RuleSet) -> Language:
    """A fresh pipeline for a rule set (about a second; use :func:`get_pipeline`)."""
    nlp = spacy.blank("en")
    nlp.max_length = 2_000_000
    _literal_contractions(nlp)
    nlp.add_pipe("lado_spelling", config={"rules_dir": str(rules.directory)})
    nlp.add_pipe("lado_sentences")
    ruler = nlp.add_pipe(
        "span_ruler",
        name="lado_rules",
        config={
            "spans_key": SPANS_KEY,
            "phrase_matcher_attr": "NORM",
            "validate": False,
            "overwrite": True,
        },
    )
    phrases = [p for p in patterns_for(rules, nlp) if isinstance(p["pattern"], str)]
    ruler.add_patterns(phrases)  # type: ignore[attr-defined]
    nlp.add_pipe("lado_token_rules", config={"rules_dir": str(rules.directory)})
    nlp.add_pipe("lado_reread", config={"key": SPANS_KEY})
    return nlp


_pipelines: dict[str, Language] = {}
_build_lock = threading.Lock()


def get_pipeline(rules: RuleSet) -> Language:
    """The cached pipeline of a rule set (built once per process and rule content)."""
    nlp = _pipelines.get(rules.content_hash)
    if nlp is not None:
        return nlp
    with _build_lock:
        nlp = _pipelines.get(rules.content_hash)
        if nlp is None:
            nlp = build_pipeline(rules)
            _pipelines[rules.content_hash] = nlp
            log.info("triage pipeline built for rules %s", rules.version)
    return nlp


def pipe(nlp: Language, texts: Iterable[str], batch_size: int = 64) -> Iterable[Doc]:
    """Run the pipeline over texts (thin wrapper so callers need not import spaCy)."""
    return nlp.pipe(texts, batch_size=batch_size)
