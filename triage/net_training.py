"""Training and measuring the safety net (``lado triage net train`` / ``net loso``).

The training data are the labelled sets in ``tests/data/triage`` (every ``*.jsonl``).
``train_model`` trains on all of them and writes ``triage/model/safety_net.bin``;
``leave_one_set_out`` trains once per set *without* that set and measures, on it, the
rules alone and the rules with the net: the honest measure of what the net adds on text
it was not trained on.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triage.engine import Triager
from triage.evaluate import Case, Report, evaluate, load_cases
from triage.safety_net import (
    DEFAULT_THRESHOLD,
    EPOCHS,
    LENGTH,
    MODEL_FILE,
    NGRAM,
    SEED,
    SafetyNet,
    file_digest,
    save,
    train,
)
from triage.textprep import prepare
from triage.vocab import Suggestion

__all__ = [
    "DATA_DIR",
    "MODEL_FILE",
    "SetResult",
    "labelled_sets",
    "leave_one_set_out",
    "loso_table",
    "train_model",
]

DATA_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "triage"


def labelled_sets(data_dir: str | Path = DATA_DIR) -> dict[str, list[Case]]:
    """Every ``*.jsonl`` file of labelled cases in the directory, by file stem."""
    out = {p.stem: load_cases(p) for p in sorted(Path(data_dir).glob("*.jsonl"))}
    if not out:
        raise ValueError(f"no labelled cases (*.jsonl) in {data_dir}")
    return out


def _examples(tri: Triager, cases: list[Case]) -> list[tuple[str, Suggestion]]:
    return [(prepare(c.text, tri.rules.email).text, c.expected) for c in cases]


def train_model(
    data_dir: str | Path = DATA_DIR,
    out: str | Path = MODEL_FILE,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    seed: int = SEED,
) -> dict[str, Any]:
    """Train on every labelled set and save the model with its ``meta.json``."""
    tri = Triager(safety_net=False)
    sets = labelled_sets(data_dir)
    examples = [e for cases in sets.values() for e in _examples(tri, cases)]
    nlp = train(examples, seed=seed)
    meta = {
        "threshold": threshold,
        "seed": seed,
        "epochs": EPOCHS,
        "ngram_size": NGRAM,
        "hash_length": LENGTH,
        "labels": ["THR", "LLC", "OTHER"],
        "trained_on": {
            name: {"cases": len(cases), "sha256_12": file_digest(Path(data_dir) / f"{name}.jsonl")}
            for name, cases in sets.items()
        },
        "examples": len(examples),
    }
    return save(nlp, out, meta)


@dataclass
class SetResult:
    name: str
    rules: Report
    with_net: Report
    raised: list[str] = field(default_factory=list)  # ids the net raised


def leave_one_set_out(
    data_dir: str | Path = DATA_DIR,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    seed: int = SEED,
    progress: Callable[[str], None] | None = None,
) -> list[SetResult]:
    """For each labelled set: the rules alone, and the rules with a net trained on the
    other sets only."""
    tri = Triager(safety_net=False)
    sets = labelled_sets(data_dir)
    received = dt.datetime.now(dt.UTC)
    out: list[SetResult] = []
    for name, cases in sets.items():
        if progress is not None:
            progress(name)
        others = [c for other, cs in sets.items() if other != name for c in cs]
        net = SafetyNet(train(_examples(tri, others), seed=seed), threshold=threshold)
        items = [{"text": c.text, "received_at": c.received_at or received} for c in cases]
        results = tri.assess_many(items)
        # the rules with this net, through the engine itself (the same guards as shipped)
        with_net = copy.copy(tri)
        with_net.net = net
        raised_results = with_net.assess_many(items)
        raised = [i for i, r in enumerate(raised_results) if "safety_net" in r.flags]
        out.append(
            SetResult(
                name=name,
                rules=evaluate(cases, results),
                with_net=evaluate(cases, raised_results),
                raised=[cases[i].id for i in raised],
            )
        )
    return out


def loso_table(rows: list[SetResult]) -> list[Mapping[str, Any]]:
    """One plain dict per set for printing or JSON."""
    return [
        {
            "set": r.name,
            "n": r.rules.n,
            "rules_accuracy": r.rules.accuracy,
            "rules_threshold_recall": r.rules.threshold_recall,
            "net_accuracy": r.with_net.accuracy,
            "net_threshold_recall": r.with_net.threshold_recall,
            "net_threshold_precision": r.with_net.threshold_precision,
            "raised": r.raised,
        }
        for r in rows
    ]
