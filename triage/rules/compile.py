"""The term mini-language of the rule files, compiled to spaCy patterns.

A term is a sequence of slots separated by spaces. A slot is one of:

* ``word`` — a word, matched case-insensitively (spelling variants included);
* ``a|b|c`` — any one of the alternatives (``_`` inside one joins words: ``sixth_form``);
* ``hit~`` — every form of a verb (hit, hits, hitting; slap~ gives slapped, slapping...);
* a trailing ``?`` makes the slot optional (``his|her?``);
* ``#`` — a number (``# year old``);
* ``_`` — exactly one word of any kind; ``*3`` — up to three words of any kind;
* ``re:REGEX`` — one word whose lower-case form matches the regular expression.

Terms made only of words, alternatives, verbs and optional slots become phrase patterns
(fast); the others become token patterns.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: How many phrases or token patterns one term may expand to.
MAX_EXPANSIONS = 4000
#: Terms expanding to more phrases than this become token patterns instead.
PHRASE_LIMIT = 300

Tokenize = Callable[[str], list[str]]


class TermError(ValueError):
    """A term that does not parse."""


@dataclass(frozen=True)
class _Lit:
    options: tuple[str | None, ...]  # None = the slot may be absent


@dataclass(frozen=True)
class _Num:
    optional: bool


@dataclass(frozen=True)
class _Wild:
    low: int
    high: int


@dataclass(frozen=True)
class _Regex:
    pattern: str
    optional: bool


_Slot = _Lit | _Num | _Wild | _Regex


@dataclass
class Compiled:
    """The patterns one term compiles to."""

    phrases: list[str] = field(default_factory=list)
    token_patterns: list[list[dict[str, Any]]] = field(default_factory=list)


_VOWELS = "aeiou"
_DOUBLING = re.compile(r"^[^aeiou]*[aeiou][^aeiouwxy]$")


def _double(word: str) -> bool:
    return bool(_DOUBLING.match(word)) or (
        len(word) > 3 and word.endswith("l") and word[-2] in _VOWELS and word[-3] not in _VOWELS
    )


def verb_forms(base: str, irregular: Mapping[str, Sequence[str]]) -> list[str]:
    """The base form and its -s, -ed and -ing forms (irregular verbs from the rule files)."""
    base = base.lower()
    if base in irregular:
        return [base, *(f.lower() for f in irregular[base])]
    if re.search(r"(s|sh|ch|x|z|o)$", base):
        third = base + "es"
    elif re.search(r"[^aeiou]y$", base):
        third = base[:-1] + "ies"
    else:
        third = base + "s"
    if base.endswith("e"):
        past = base + "d"
        ing = base[:-2] + "ying" if base.endswith("ie") else base[:-1] + "ing"
        if base.endswith(("ee", "ye", "oe")):
            ing = base + "ing"
    elif re.search(r"[^aeiou]y$", base):
        past, ing = base[:-1] + "ied", base + "ing"
    elif _double(base):
        past, ing = base + base[-1] + "ed", base + base[-1] + "ing"
    else:
        past, ing = base + "ed", base + "ing"
    return [base, third, past, ing]


_IRREGULAR_PLURALS = {
    "child": "children",
    "man": "men",
    "woman": "women",
    "person": "people",
    "wife": "wives",
    "staff": "staff",
    "police": "police",
    "people": "people",
    "children": "children",
    "youth": "youth",
    "clergy": "clergy",
}


def plural(word: str) -> str:
    """The plural of an English noun (regular rules plus a few irregular ones)."""
    low = word.lower()
    if low in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[low]
    if not low.isalpha() or low.endswith("s"):
        return low
    if re.search(r"(x|z|ch|sh)$", low):
        return low + "es"
    if re.search(r"[^aeiou]y$", low):
        return low[:-1] + "ies"
    return low + "s"


def _parse(term: str, irregular: Mapping[str, Sequence[str]]) -> list[_Slot]:
    slots: list[_Slot] = []
    for raw in term.split():
        if raw == "...":
            slots.append(_Wild(0, 3))
            continue
        if m := re.fullmatch(r"\*(\d{1,2})", raw):
            high = int(m.group(1))
            if not 1 <= high <= 12:
                raise TermError(f"'{raw}': a wildcard spans 1 to 12 words")
            slots.append(_Wild(0, high))
            continue
        if raw == "_":
            slots.append(_Wild(1, 1))
            continue
        optional = len(raw) > 1 and raw.endswith("?")
        body = raw[:-1] if optional else raw
        if body.startswith("re:"):
            try:
                re.compile(body[3:])
            except re.error as exc:
                raise TermError(f"'{raw}': bad regular expression ({exc})") from exc
            slots.append(_Regex(body[3:], optional))
            continue
        if body == "#":
            slots.append(_Num(optional))
            continue
        options: list[str | None] = []
        for alt in body.split("|"):
            if not alt:
                raise TermError(f"'{raw}': empty alternative")
            if alt.endswith("~") and len(alt) > 1:
                options.extend(verb_forms(alt[:-1], irregular))
            elif "~" in alt or "#" in alt or alt.startswith("re:"):
                raise TermError(f"'{raw}': '~', '#' and 're:' cannot be mixed into alternatives")
            else:
                options.append(alt.lower().replace("_", " "))
        if optional:
            options.append(None)
        slots.append(_Lit(tuple(dict.fromkeys(options))))
    if not slots:
        raise TermError("empty term")
    if all(isinstance(s, _Wild) or (isinstance(s, _Lit) and None in s.options) for s in slots):
        raise TermError(f"'{term}': every slot is optional")
    return slots


def _phrases(slots: list[_Slot], plurals: bool) -> list[str]:
    lits = [s for s in slots if isinstance(s, _Lit)]
    count = 1
    for s in lits:
        count *= len(s.options)
    if count > MAX_EXPANSIONS:
        raise TermError(f"the term expands to {count} phrases (limit {MAX_EXPANSIONS})")
    out: list[str] = []
    for combo in itertools.product(*(s.options for s in lits)):
        words = [w for w in combo if w]
        if not words:
            continue
        out.append(" ".join(words))
        if plurals:
            last = words[-1].split()[-1] if words[-1] else ""
            p = plural(last)
            if p != last:
                out.append(" ".join([*words[:-1], words[-1][: -len(last)] + p]))
    return list(dict.fromkeys(out))


def _token_patterns(slots: list[_Slot], tokenize: Tokenize) -> list[list[dict[str, Any]]]:
    variants: list[list[dict[str, Any]]] = [[]]
    for slot in slots:
        if isinstance(slot, _Wild):
            spec: dict[str, Any] = {"OP": f"{{{slot.low},{slot.high}}}"}
            variants = [[*v, spec] for v in variants]
        elif isinstance(slot, _Num):
            spec = {"LIKE_NUM": True}
            if slot.optional:
                spec["OP"] = "?"
            variants = [[*v, spec] for v in variants]
        elif isinstance(slot, _Regex):
            spec = {"LOWER": {"REGEX": slot.pattern}}
            if slot.optional:
                spec["OP"] = "?"
            variants = [[*v, spec] for v in variants]
        else:
            words = [w for w in slot.options if w]
            optional = None in slot.options
            split = {w: tokenize(w) for w in words}
            singles = [split[w][0] for w in words if len(split[w]) == 1]
            multi = [split[w] for w in words if len(split[w]) > 1]
            new: list[list[dict[str, Any]]] = []
            for v in variants:
                if singles:
                    spec = {"NORM": {"IN": sorted(set(singles))}}
                    if optional:
                        spec["OP"] = "?"
                    new.append([*v, spec])
                for toks in multi:
                    new.append([*v, *({"NORM": t} for t in toks)])
                if optional and not singles:
                    new.append(list(v))
            variants = new
            if len(variants) > MAX_EXPANSIONS:
                raise TermError(f"the term expands to more than {MAX_EXPANSIONS} patterns")
    return [v for v in variants if v]


def compile_term(
    term: str,
    *,
    irregular: Mapping[str, Sequence[str]],
    plurals: bool,
    tokenize: Tokenize,
) -> Compiled:
    """Compile one term; raises :class:`TermError` when it does not parse."""
    slots = _parse(term, irregular)
    if all(isinstance(s, _Lit) for s in slots):
        count = 1
        for s in slots:
            count *= len(s.options) if isinstance(s, _Lit) else 1
        if count <= PHRASE_LIMIT:
            return Compiled(phrases=_phrases(slots, plurals))
    return Compiled(token_patterns=_token_patterns(slots, tokenize))


def term_words(term: str) -> list[str]:
    """The plain words a term can match (used to build the fuzzy spelling index)."""
    words: list[str] = []
    for raw in term.split():
        body = raw[:-1] if raw.endswith("?") and len(raw) > 1 else raw
        if body.startswith("re:") or body in {"#", "_", "..."} or body.startswith("*"):
            continue
        for alt in body.split("|"):
            for part in alt.rstrip("~").lower().split("_"):
                if part.isalpha():
                    words.append(part)
    return words
