"""Shared fixtures for the triage tests. The pipeline is built once per session (the
library caches it per process), so every test after the first is fast."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from triage.result import TriageResult

DATA = Path(__file__).resolve().parents[1] / "data" / "triage"
#: A Thursday afternoon in March, so relative dates are easy to check.
RECEIVED = dt.datetime(2025, 3, 13, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def triager():  # type: ignore[no-untyped-def]
    import triage

    t = triage.default_triager()
    t.warm()
    return t


@pytest.fixture(scope="session")
def rules_only():  # type: ignore[no-untyped-def]
    """The rules alone (``safety_net=False``), so the net cannot hide a rule gap; every
    result's evidence offsets are checked."""
    from triage.engine import Triager

    t = Triager(safety_net=False)

    def run(text: str) -> TriageResult:
        result: TriageResult = t.assess(text, received_at=RECEIVED)
        for ev in result.evidence:
            assert ev.text == text[ev.start : ev.end], ev
        return result

    return run


@pytest.fixture
def assess(triager):  # type: ignore[no-untyped-def]
    def run(text: str, **kw: object) -> TriageResult:
        kw.setdefault("received_at", RECEIVED)
        result: TriageResult = triager.assess(text, **kw)
        for ev in result.evidence:
            assert ev.text == text[ev.start : ev.end], ev
        return result

    return run


def labels(result: TriageResult) -> set[str]:
    return {e.label for e in result.evidence}


def evidence_texts(result: TriageResult, prefix: str) -> list[str]:
    return [e.text for e in result.evidence if e.label.startswith(prefix)]
