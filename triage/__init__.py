"""Apply the statutory harm criteria to free text, with evidence. A pure library.

    >>> from triage import assess
    >>> result = assess("Our PE teacher grabbed a Year 4 boy by the arm yesterday.")
    >>> result.suggestion
    <Suggestion.REFERRAL: 'REFERRAL'>

``assess``/``assess_many`` use the rules shipped in ``triage/rules/``; ``Triager(rules_dir)``
uses another rule set. ``triage.pool.TriagePool`` runs the triage in worker processes
for the service; ``triage.dates.resolve_date`` reads a date answer.

Importing this package is cheap: the spaCy pipeline (in ``triage.engine``) is loaded on
first use. The other layers import ``triage`` for its types and entry points, and the
service's worker processes load the pipeline, so nothing above this package pulls spaCy
in at import time (the import contracts in ``pyproject.toml`` check that).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from triage.result import Evidence, ExtractedFields, TriageResult

__all__ = [
    "Evidence",
    "ExtractedFields",
    "Item",
    "TriageResult",
    "Triager",
    "assess",
    "assess_many",
    "default_triager",
    "safety_net_loso",
    "train_safety_net",
]


def _engine() -> ModuleType:
    return importlib.import_module("triage.engine")


def assess(
    text: str,
    *,
    known: Mapping[str, Any] | None = None,
    received_at: dt.datetime | None = None,
) -> TriageResult:
    """Triage one text with the shipped rules.

    ``known`` holds details already collected (keys of ``triage.vocab.ESSENTIAL_DETAILS``
    or ``ExtractedFields`` names); they override what is extracted, and an answer of
    None/"unknown"/"don't know" counts as answered. ``received_at`` (tz-aware; default
    now, UTC) anchors relative dates. Raises ValueError for input that is not text."""
    result: TriageResult = _engine().assess(text, known=known, received_at=received_at)
    return result


def assess_many(
    items: Iterable[Any],
    *,
    known: Mapping[str, Any] | None = None,
    received_at: dt.datetime | None = None,
    batch_size: int = 64,
) -> list[TriageResult]:
    """Triage many texts in one ``nlp.pipe`` pass. Each item is a text, a
    ``triage.Item``, or a mapping with ``text`` (optionally ``known``, ``received_at``)."""
    results: list[TriageResult] = _engine().assess_many(
        items, known=known, received_at=received_at, batch_size=batch_size
    )
    return results


def train_safety_net(
    data_dir: str | Path | None = None,
    out: str | Path | None = None,
    *,
    threshold: float = 0.7,
) -> dict[str, Any]:
    """Train the safety net on the labelled sets in ``data_dir`` (default
    ``tests/data/triage``) and write it to ``out`` (default the shipped model); returns
    the metadata written beside it (see ``triage.safety_net``)."""
    mod = importlib.import_module("triage.net_training")
    meta: dict[str, Any] = mod.train_model(
        data_dir or mod.DATA_DIR, out or mod.MODEL_FILE, threshold=threshold
    )
    return meta


def safety_net_loso(
    data_dir: str | Path | None = None,
    *,
    threshold: float = 0.7,
    progress: Callable[[str], None] | None = None,
) -> list[dict[str, Any]]:
    """Leave one set out: per labelled set, the rules alone and the rules with a net
    trained without that set (accuracy, threshold recall and precision, ids raised)."""
    mod = importlib.import_module("triage.net_training")
    rows = mod.leave_one_set_out(data_dir or mod.DATA_DIR, threshold=threshold, progress=progress)
    return [dict(r) for r in mod.loso_table(rows)]


def __getattr__(name: str) -> Any:
    if name in ("Item", "Triager", "default_triager"):
        return getattr(_engine(), name)
    raise AttributeError(f"module 'triage' has no attribute {name!r}")
