"""The triage rule set: YAML files a LADO team can edit without touching code.

``load_rules(path)`` reads and validates a rule directory (default: this package's own
directory); ``check(path)`` lists every problem found, for ``lado triage rules check``.
The file format is documented in ``README.md`` beside this module.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from triage.rules.models import (
    EmailRules,
    FormLabel,
    Kind,
    Lexicon,
    RuleFile,
    RuleSetMeta,
)

__all__ = [
    "DEFAULT_RULES_DIR",
    "Lexicon",
    "RuleSet",
    "RulesError",
    "check",
    "load_rules",
]

log = logging.getLogger(__name__)

#: The rule set shipped with the package.
DEFAULT_RULES_DIR = Path(__file__).resolve().parent
META_FILE = "ruleset.yaml"


class RulesError(ValueError):
    """The rule files could not be loaded; ``problems`` lists why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:5]) + (" ..." if len(problems) > 5 else ""))
        self.problems = problems


@dataclass(frozen=True)
class RuleSet:
    """A validated, merged rule set."""

    directory: Path
    meta: RuleSetMeta
    content_hash: str
    files: tuple[str, ...]
    lexicons: tuple[Lexicon, ...]
    irregular_verbs: Mapping[str, tuple[str, ...]]
    spelling: Mapping[str, str]  # variant -> canonical
    form_labels: tuple[FormLabel, ...]
    email: EmailRules
    where_to_go: Mapping[str, str]
    by_name: Mapping[str, Lexicon] = field(default_factory=dict)

    @property
    def version(self) -> str:
        """``<version from ruleset.yaml>+<first 12 hex digits of the content hash>``."""
        return f"{self.meta.version}+{self.content_hash[:12]}"

    def of_kind(self, kind: Kind) -> list[Lexicon]:
        return [lx for lx in self.lexicons if lx.kind is kind and lx.enabled]


def _read(path: Path, problems: list[str]) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path.name}: cannot be read ({exc.__class__.__name__})")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problems.append(f"{path.name}:{where} is not valid YAML ({getattr(exc, 'problem', exc)})")
    return None


def _validation_problems(name: str, exc: ValidationError, data: object) -> list[str]:
    out = []
    for err in exc.errors():
        loc = list(err["loc"])
        where = ".".join(str(p) for p in loc)
        # name the lexicon rather than its index when we can
        if len(loc) >= 2 and loc[0] == "lexicons" and isinstance(loc[1], int):
            lexicons = data.get("lexicons") if isinstance(data, dict) else None
            if isinstance(lexicons, list) and loc[1] < len(lexicons):
                item = lexicons[loc[1]]
                if isinstance(item, dict) and isinstance(item.get("name"), str):
                    where = ".".join([f"lexicon '{item['name']}'", *map(str, loc[2:])])
        out.append(f"{name}: {where}: {err['msg']}")
    return out


def _load(directory: Path) -> tuple[RuleSet | None, list[str]]:
    problems: list[str] = []
    if not directory.is_dir():
        return None, [f"{directory}: not a directory"]
    meta_path = directory / META_FILE
    if not meta_path.is_file():
        return None, [f"{META_FILE}: missing (it holds the rule set's version)"]
    digest = hashlib.sha256()
    paths = sorted(p for p in directory.glob("*.yaml") if p.is_file())
    for p in paths:
        digest.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    meta: RuleSetMeta | None = None
    raw_meta = _read(meta_path, problems)
    try:
        meta = RuleSetMeta.model_validate(raw_meta)
    except ValidationError as exc:
        problems.extend(_validation_problems(META_FILE, exc, raw_meta))
    files: list[RuleFile] = []
    names: list[str] = []
    for p in paths:
        if p.name == META_FILE:
            continue
        data = _read(p, problems)
        if data is None:
            if p.stat().st_size and not problems:
                problems.append(f"{p.name}: empty")
            continue
        try:
            files.append(RuleFile.model_validate(data))
            names.append(p.name)
        except ValidationError as exc:
            problems.extend(_validation_problems(p.name, exc, data))
    seen: dict[str, str] = {}
    lexicons: list[Lexicon] = []
    irregular: dict[str, tuple[str, ...]] = {}
    spelling: dict[str, str] = {}
    labels: list[FormLabel] = []
    email = EmailRules()
    where: dict[str, str] = {}
    for fname, rf in zip(names, files, strict=True):
        for lx in rf.lexicons:
            if lx.name in seen:
                problems.append(f"{fname}: lexicon '{lx.name}' is also defined in {seen[lx.name]}")
                continue
            seen[lx.name] = fname
            lexicons.append(lx)
        for verb, forms in rf.irregular_verbs.items():
            irregular[verb.lower()] = tuple(f.lower() for f in forms)
        for canonical, variants in rf.spelling.items():
            for v in variants:
                spelling[v.lower()] = canonical.lower()
        labels.extend(rf.form_labels)
        if rf.email is not None:
            email = EmailRules(
                **{k: [*getattr(email, k), *getattr(rf.email, k)] for k in EmailRules.model_fields}
            )
        where.update(rf.where_to_go)
    if problems or meta is None:
        return None, problems or [f"{META_FILE}: invalid"]
    rules = RuleSet(
        directory=directory,
        meta=meta,
        content_hash=digest.hexdigest(),
        files=tuple(names),
        lexicons=tuple(lexicons),
        irregular_verbs=irregular,
        spelling=spelling,
        form_labels=tuple(labels),
        email=email,
        where_to_go=where,
        by_name={lx.name: lx for lx in lexicons},
    )
    return rules, []


_cache: dict[Path, tuple[str, RuleSet]] = {}
_lock = threading.Lock()


def _fingerprint(directory: Path) -> str:
    parts = []
    for p in sorted(directory.glob("*.yaml")):
        st = p.stat()
        parts.append(f"{p.name}:{st.st_mtime_ns}:{st.st_size}")
    return "|".join(parts)


def load_rules(path: str | Path | None = None) -> RuleSet:
    """Load and validate a rule directory; raises :class:`RulesError` listing the problems."""
    directory = Path(path).resolve() if path is not None else DEFAULT_RULES_DIR
    fp = _fingerprint(directory) if directory.is_dir() else ""
    with _lock:
        cached = _cache.get(directory)
        if cached is not None and cached[0] == fp:
            return cached[1]
    rules, problems = _load(directory)
    if rules is None:
        raise RulesError(problems)
    with _lock:
        _cache[directory] = (fp, rules)
    log.debug("loaded triage rules %s (%d lexicons)", rules.version, len(rules.lexicons))
    return rules


def check(path: str | Path | None = None) -> list[str]:
    """Every problem found in a rule directory (an empty list when it is sound).

    Beyond loading and validating the files, this compiles every term, runs each
    lexicon's ``examples`` (which must match) and ``counter_examples`` (which must not),
    checks regular expressions and form-label fields, and flags a term listed under two
    kinds of people.
    """
    # loaded on use: the check builds a spaCy pipeline, and this package is imported by
    # layers that must not pull spaCy in (see the import contracts)
    checker = importlib.import_module("triage.rules.validate")
    problems: list[str] = checker.check_rules(path)
    return problems
