"""The evaluation metrics (pure), and the targets on the labelled sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.triage.conftest import DATA
from triage.evaluate import Case, evaluate, format_report, load_cases, parse_case
from triage.result import TriageResult
from triage.vocab import Suggestion

S = Suggestion


def _case(expected: S, **kw: object) -> Case:
    return Case(id=str(kw.pop("id", expected.value)), text="x", expected=expected, **kw)  # type: ignore[arg-type]


def _res(s: S) -> TriageResult:
    return TriageResult(suggestion=s)


def test_metrics() -> None:
    cases = [
        _case(S.URGENT, id="a", sector="education"),
        _case(S.REFERRAL, id="b", sector="education", criteria=("harmed",)),
        _case(S.REFERRAL, id="c", sector="sports", criteria=("harmed",)),
        _case(S.CONSULTATION, id="d", sector="sports"),
        _case(S.ADVICE, id="e", sector="health"),
        _case(S.NOT_LADO, id="f", sector="other"),
    ]
    results = [_res(S.URGENT), _res(S.CONSULTATION), _res(S.NOT_LADO), _res(S.REFERRAL),
               _res(S.ADVICE), _res(S.ADVICE)]  # fmt: skip
    r = evaluate(cases, results)
    assert r.n == 6
    assert r.accuracy == round(2 / 6, 4)
    assert r.threshold_recall == 0.75  # a, b, d kept in the threshold set; c lost
    assert r.urgent_recall == 1.0
    assert r.not_lado_on_worker_harm == 1  # c: a worker harmed a child, NOT_LADO predicted
    assert r.confusion["REFERRAL"]["NOT_LADO"] == 1
    assert r.per_label["ADVICE"]["precision"] == 0.5
    assert r.per_sector["education"]["accuracy"] == 0.5
    assert [e["id"] for e in r.errors] == ["b", "c", "d", "f"]
    assert r.targets["accuracy"]["ok"] is False
    assert not r.meets_targets
    text = format_report(r, title="t")
    assert "threshold recall" in text and "c: expected REFERRAL, got NOT_LADO" in text
    json.dumps(r.to_dict())


def test_evaluate_needs_one_result_per_case() -> None:
    with pytest.raises(ValueError, match="one result per case"):
        evaluate([_case(S.ADVICE)], [])


def test_case_parsing_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="expected"):
        parse_case({"text": "x", "expected": "MAYBE"}, "f:1")
    with pytest.raises(ValueError, match="text"):
        parse_case({"expected": "ADVICE"}, "f:1")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "expected": "ADVICE"}\n{not json\n')
    with pytest.raises(ValueError, match=r"bad\.jsonl:2"):
        load_cases(bad)


@pytest.mark.parametrize(
    "name",
    [
        "heldout.jsonl",
        "shared-dev.jsonl",
        "dev.jsonl",
        "dev2.jsonl",
        "dev3.jsonl",
        "fresh.jsonl",
        "fresh2.jsonl",
        "fresh3.jsonl",
        "fresh4.jsonl",
        "fresh5.jsonl",
        "fresh6.jsonl",
    ],
)
def test_targets_on_the_labelled_sets(triager, name: str) -> None:  # type: ignore[no-untyped-def]
    cases = load_cases(DATA / name)
    results = triager.assess_many([{"text": c.text, "received_at": c.received_at} for c in cases])
    report = evaluate(cases, results)
    missed = {k: v for k, v in report.targets.items() if not v["ok"]}
    assert not missed, (missed, [e["id"] for e in report.errors])


def test_the_labelled_sets_cover_every_label_and_sector() -> None:
    from triage.vocab import Sector

    cases = load_cases(DATA / "dev.jsonl") + load_cases(DATA / "heldout.jsonl")
    assert len(cases) >= 200
    assert {c.expected for c in cases} == set(S)
    assert {c.sector for c in cases} >= {s.value for s in Sector}
    assert len(load_cases(DATA / "heldout.jsonl")) >= 80
