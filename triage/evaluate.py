"""Measure the triage on labelled cases (pure functions; the CLI prints the report).

A case is a JSON object with ``text`` and ``expected`` (a suggestion), optionally
``id``, ``sector``, ``criteria``, ``categories``, ``non_recent``, ``received_at`` and
``worker_harm`` (true when a worker harmed a child; by default a case expected above
the threshold with criteria counts as one). The headline figures:

* **threshold recall** — of the cases expected URGENT/REFERRAL/CONSULTATION, the share
  predicted in that same set (a referral triaged as advice is the failure that hurts);
* **URGENT recall**, **accuracy**, and **NOT_LADO on worker harm** (must be zero).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triage.result import TriageResult
from triage.vocab import THRESHOLD_SUGGESTIONS, Suggestion

#: The targets a rule set must meet (issue 4).
TARGETS: dict[str, tuple[str, float]] = {
    "threshold_recall": (">=", 0.97),
    "urgent_recall": (">=", 1.0),
    "accuracy": (">=", 0.85),
    "not_lado_on_worker_harm": ("<=", 0),
}
LABELS = [s.value for s in Suggestion]


@dataclass(frozen=True)
class Case:
    """One labelled text."""

    id: str
    text: str
    expected: Suggestion
    sector: str | None = None
    criteria: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None
    non_recent: bool | None = None
    received_at: dt.datetime | None = None
    worker_harm: bool | None = None

    @property
    def is_worker_harm(self) -> bool:
        if self.worker_harm is not None:
            return self.worker_harm
        return self.expected in THRESHOLD_SUGGESTIONS and bool(self.criteria)


def parse_case(obj: Any, where: str) -> Case:
    """A case from a decoded JSON object; raises ValueError naming ``where``."""
    if not isinstance(obj, dict):
        raise ValueError(f"{where}: not a JSON object")
    text = obj.get("text")
    if not isinstance(text, str):
        raise ValueError(f"{where}: 'text' must be a string")
    try:
        expected = Suggestion(str(obj.get("expected")))
    except ValueError:
        raise ValueError(f"{where}: 'expected' must be one of {', '.join(LABELS)}") from None
    received = obj.get("received_at")
    received_at = None
    if received:
        try:
            received_at = dt.datetime.fromisoformat(str(received))
        except ValueError:
            raise ValueError(f"{where}: 'received_at' is not an ISO date-time") from None
        if received_at.tzinfo is None:
            received_at = received_at.replace(tzinfo=dt.UTC)

    def strings(key: str) -> tuple[str, ...] | None:
        v = obj.get(key)
        return tuple(str(x) for x in v) if isinstance(v, list) else None

    nr = obj.get("non_recent")
    wh = obj.get("worker_harm")
    return Case(
        id=str(obj.get("id", where)),
        text=text,
        expected=expected,
        sector=str(obj["sector"]) if obj.get("sector") else None,
        criteria=strings("criteria"),
        categories=strings("categories"),
        non_recent=nr if isinstance(nr, bool) else None,
        received_at=received_at,
        worker_harm=wh if isinstance(wh, bool) else None,
    )


def load_cases(path: str | Path) -> list[Case]:
    """Cases from a JSONL file (blank lines and lines starting with # are skipped)."""
    p = Path(path)
    out: list[Case] = []
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{p.name}:{n}: not valid JSON ({exc.msg})") from None
        out.append(parse_case(obj, f"{p.name}:{n}"))
    return out


@dataclass
class Report:
    """Every figure of an evaluation (``to_dict`` for ``--json``)."""

    n: int
    accuracy: float
    threshold_recall: float | None
    threshold_precision: float | None
    urgent_recall: float | None
    not_lado_on_worker_harm: int
    confusion: dict[str, dict[str, int]]
    per_label: dict[str, dict[str, float | int | None]]
    per_sector: dict[str, dict[str, float | int]]
    non_recent_accuracy: float | None
    criteria_f1: float | None
    categories_f1: float | None
    errors: list[dict[str, Any]] = field(default_factory=list)
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def meets_targets(self) -> bool:
        return all(t["ok"] for t in self.targets.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "accuracy": self.accuracy,
            "threshold_recall": self.threshold_recall,
            "threshold_precision": self.threshold_precision,
            "urgent_recall": self.urgent_recall,
            "not_lado_on_worker_harm": self.not_lado_on_worker_harm,
            "non_recent_accuracy": self.non_recent_accuracy,
            "criteria_f1": self.criteria_f1,
            "categories_f1": self.categories_f1,
            "confusion": self.confusion,
            "per_label": self.per_label,
            "per_sector": self.per_sector,
            "targets": self.targets,
            "meets_targets": self.meets_targets,
            "errors": self.errors,
        }


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _f1(pairs: Iterable[tuple[set[str], set[str]]]) -> float | None:
    tp = fp = fn = 0
    seen = False
    for gold, pred in pairs:
        seen = True
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    if not seen or not (tp + fp + fn):
        return None if not seen else 1.0
    return round(2 * tp / (2 * tp + fp + fn), 4)


def evaluate(cases: Sequence[Case], results: Sequence[TriageResult]) -> Report:
    """Compare predictions with labels."""
    if len(cases) != len(results):
        raise ValueError("one result per case is needed")
    confusion = {e: dict.fromkeys(LABELS, 0) for e in LABELS}
    correct = 0
    thr_total = thr_hit = pred_thr = pred_thr_ok = 0
    urg_total = urg_hit = 0
    nl_worker = 0
    sectors: dict[str, Counter[str]] = {}
    nr_total = nr_ok = 0
    errors: list[dict[str, Any]] = []
    for c, r in zip(cases, results, strict=True):
        e, p = c.expected.value, r.suggestion.value
        confusion[e][p] += 1
        ok = e == p
        correct += ok
        if c.expected in THRESHOLD_SUGGESTIONS:
            thr_total += 1
            thr_hit += r.suggestion in THRESHOLD_SUGGESTIONS
        if r.suggestion in THRESHOLD_SUGGESTIONS:
            pred_thr += 1
            pred_thr_ok += c.expected in THRESHOLD_SUGGESTIONS
        if c.expected is Suggestion.URGENT:
            urg_total += 1
            urg_hit += r.suggestion is Suggestion.URGENT
        if c.is_worker_harm and r.suggestion is Suggestion.NOT_LADO:
            nl_worker += 1
        sector = c.sector or "(none)"
        sectors.setdefault(sector, Counter())["n"] += 1
        sectors[sector]["correct"] += ok
        if c.non_recent is not None:
            nr_total += 1
            nr_ok += c.non_recent == r.non_recent
        if not ok:
            errors.append(
                {
                    "id": c.id,
                    "expected": e,
                    "predicted": p,
                    "sector": c.sector,
                    "threshold_miss": c.expected in THRESHOLD_SUGGESTIONS
                    and r.suggestion not in THRESHOLD_SUGGESTIONS,
                    "confidence": r.confidence,
                    "text": c.text if len(c.text) <= 160 else c.text[:157] + "...",
                }
            )
    per_label: dict[str, dict[str, float | int | None]] = {}
    for lab in LABELS:
        tp = confusion[lab][lab]
        support = sum(confusion[lab].values())
        predicted = sum(confusion[e][lab] for e in LABELS)
        per_label[lab] = {
            "precision": _ratio(tp, predicted),
            "recall": _ratio(tp, support),
            "support": support,
            "predicted": predicted,
        }
    per_sector: dict[str, dict[str, float | int]] = {
        s: {"n": v["n"], "correct": v["correct"], "accuracy": round(v["correct"] / v["n"], 4)}
        for s, v in sorted(sectors.items())
    }
    crit = _f1(
        (set(c.criteria), {x.value for x in r.criteria})
        for c, r in zip(cases, results, strict=True)
        if c.criteria is not None
    )
    cats = _f1(
        (set(c.categories), {x.value for x in r.categories})
        for c, r in zip(cases, results, strict=True)
        if c.categories is not None
    )
    report = Report(
        n=len(cases),
        accuracy=round(correct / len(cases), 4) if cases else 0.0,
        threshold_recall=_ratio(thr_hit, thr_total),
        threshold_precision=_ratio(pred_thr_ok, pred_thr),
        urgent_recall=_ratio(urg_hit, urg_total),
        not_lado_on_worker_harm=nl_worker,
        confusion=confusion,
        per_label=per_label,
        per_sector=per_sector,
        non_recent_accuracy=_ratio(nr_ok, nr_total),
        criteria_f1=crit,
        categories_f1=cats,
        errors=errors,
    )
    report.targets = _targets(report)
    return report


def _targets(r: Report) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, (op, target) in TARGETS.items():
        value = getattr(r, name)
        if value is None:
            ok = True  # nothing of that kind in the set
        elif op == ">=":
            ok = value >= target
        else:
            ok = value <= target
        out[name] = {"value": value, "target": f"{op} {target:g}", "ok": ok}
    return out


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{v * 100:.1f}%"


def format_report(r: Report, *, title: str = "", show_errors: bool = True) -> str:
    """A plain-text report for the terminal."""
    lines: list[str] = []
    if title:
        lines += [title, "=" * len(title)]
    lines.append(f"cases: {r.n}")
    for name, t in r.targets.items():
        mark = "ok " if t["ok"] else "MISS"
        value = t["value"]
        shown = _pct(value) if isinstance(value, float) else str(value)
        lines.append(f"  [{mark}] {name.replace('_', ' ')}: {shown} (target {t['target']})")
    lines.append(f"  threshold precision: {_pct(r.threshold_precision)}")
    lines.append(f"  non-recent flag accuracy: {_pct(r.non_recent_accuracy)}")
    lines.append(f"  criteria F1: {_pct(r.criteria_f1)}   categories F1: {_pct(r.categories_f1)}")
    lines.append("")
    short = {lab: lab[:5] for lab in LABELS}
    lines.append("confusion (rows expected, columns predicted):")
    lines.append(" " * 18 + " ".join(f"{short[p]:>6}" for p in LABELS))
    for e in LABELS:
        lines.append(f"  {e:<16}" + " ".join(f"{r.confusion[e][p]:>6}" for p in LABELS))
    lines.append("")
    lines.append("per label:        precision  recall  support")
    for lab, v in r.per_label.items():
        p, rc = v["precision"], v["recall"]
        lines.append(
            f"  {lab:<16} {_pct(p if isinstance(p, float) else None):>9} "
            f"{_pct(rc if isinstance(rc, float) else None):>7} {v['support']:>8}"
        )
    lines.append("")
    lines.append("per sector:       accuracy  n")
    for sector, row in r.per_sector.items():
        lines.append(f"  {sector:<16} {_pct(float(row['accuracy'])):>8} {row['n']:>3}")
    if show_errors and r.errors:
        lines.append("")
        lines.append(f"wrong ({len(r.errors)}):")
        for err in r.errors:
            flag = " !threshold miss" if err["threshold_miss"] else ""
            lines.append(f"  {err['id']}: expected {err['expected']}, got {err['predicted']}{flag}")
            lines.append(f"      {err['text']}")
    return "\n".join(lines)
