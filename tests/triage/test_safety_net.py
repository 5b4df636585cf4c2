"""The statistical safety net: it can raise ADVICE or LOW_LEVEL_CONCERN to REFERRAL,
never lower anything, says so in the rationale, and is trained reproducibly here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.triage.conftest import DATA, RECEIVED
from triage.engine import Triager
from triage.safety_net import META_FILE, SafetyNet, file_digest, save, train, weights_hash
from triage.vocab import THRESHOLD_SUGGESTIONS, Suggestion

S = Suggestion


@dataclass(frozen=True)
class _Fixed(SafetyNet):
    """A net that gives every text the same probability."""

    p: float = 0.99

    def score(self, prepared: str) -> float:
        return self.p


@pytest.fixture(scope="module")
def rules_alone() -> Triager:
    return Triager(safety_net=False)


def _with(p: float) -> Triager:
    return Triager(safety_net=_Fixed(nlp=None, threshold=0.7, version="fixed", p=p))  # type: ignore[arg-type]


def test_the_shipped_net_is_loaded_and_named_in_the_version(triager, rules_alone) -> None:  # type: ignore[no-untyped-def]
    assert triager.net is not None
    assert triager.rules_version.startswith(triager.rules.version + "/net-")
    assert rules_alone.net is None and rules_alone.rules_version == triager.rules.version


def test_it_raises_advice_that_reads_like_harm_and_says_so(triager, rules_alone) -> None:  # type: ignore[no-untyped-def]
    text = (
        "A PE teacher has been seen in the changing rooms with a Year 8 girl after school and "
        "she was crying when she came out."
    )
    assert rules_alone.assess(text, received_at=RECEIVED).suggestion is S.ADVICE
    r = triager.assess(text, received_at=RECEIVED)
    assert r.suggestion is S.REFERRAL
    assert "safety_net" in r.flags
    assert "raised by the safety net" in r.rationale and "never lower" in r.rationale
    assert r.confidence < 0.5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Can you tell me whether a parent helper needs a DBS check?", S.REFERRAL),
        ("A teacher hugs the Year 6 girls a lot and calls them sweetheart.", S.REFERRAL),
        ("The PE teacher slapped a Year 4 boy across the face yesterday.", S.REFERRAL),
        ("A pupil told me her stepdad hits her. He is a builder.", S.NOT_LADO),
        ("The coach is hitting a boy on the pitch right now.", S.URGENT),
        # a reason of the rules' own to stay low is kept
        ("Hypothetically, if a teacher were to hug a pupil, would that be reported?", S.ADVICE),
        (
            "We restrained a Year 4 boy using a Team Teach hold in line with his plan. "
            "No injuries.",
            S.ADVICE,
        ),
        ("A parent has complained that a teacher gives too much homework.", S.ADVICE),
    ],
)
def test_it_only_ever_raises_advice_or_a_low_level_concern(text: str, expected: S) -> None:
    assert _with(0.99).assess(text, received_at=RECEIVED).suggestion is expected


def test_below_its_threshold_it_changes_nothing(rules_alone) -> None:  # type: ignore[no-untyped-def]
    text = "A teacher hugs the Year 6 girls a lot and calls them sweetheart."
    low = _with(0.69).assess(text, received_at=RECEIVED)
    alone = rules_alone.assess(text, received_at=RECEIVED)
    assert low.model_dump(exclude={"rules_version"}) == alone.model_dump(exclude={"rules_version"})
    assert low.suggestion is S.LOW_LEVEL_CONCERN and "safety_net" not in low.flags


def test_a_raised_low_level_concern_keeps_its_evidence() -> None:
    r = _with(0.9).assess(
        "A teacher hugs the Year 6 girls a lot and calls them sweetheart.", received_at=RECEIVED
    )
    assert r.suggestion is S.REFERRAL
    assert "low-level concern (‘hug" in r.rationale
    assert any(e.label == "low_level_concern" for e in r.evidence)
    assert r.criteria == []


def test_training_is_reproducible_and_saved_weights_load(tmp_path: Path) -> None:
    examples = [
        ("the teacher slapped a pupil", S.REFERRAL),
        ("the coach hugs the players", S.LOW_LEVEL_CONCERN),
        ("a question about dbs checks", S.ADVICE),
        ("his stepdad hit him", S.NOT_LADO),
    ] * 3
    first, second = train(examples, epochs=3), train(examples, epochs=3)
    assert weights_hash(first) == weights_hash(second)
    model = tmp_path / "net.bin"
    save(first, model, {"threshold": 0.8})
    loaded = SafetyNet.load(model)
    assert loaded.threshold == 0.8
    assert loaded.version == weights_hash(first)
    net = SafetyNet(first)
    assert loaded.score("the teacher slapped a pupil") == pytest.approx(
        net.score("the teacher slapped a pupil")
    )
    assert net.score("the teacher slapped a pupil") > net.score("a question about dbs checks")


def test_the_shipped_net_was_trained_on_the_labelled_sets_as_they_are() -> None:
    meta = json.loads(META_FILE.read_text())
    shipped = {name: info["sha256_12"] for name, info in meta["trained_on"].items()}
    current = {p.stem: file_digest(p) for p in sorted(DATA.glob("*.jsonl"))}
    assert shipped == current, "the labelled data changed: run `lado triage net train`"
    assert meta["seed"] == 0 and 0.5 <= meta["threshold"] < 1
    assert (META_FILE.with_suffix(".bin")).stat().st_size < 1_000_000


def test_it_never_lowers_a_threshold_suggestion(triager, rules_alone) -> None:  # type: ignore[no-untyped-def]
    from triage.evaluate import load_cases

    cases = load_cases(DATA / "shared-dev.jsonl")
    items = [{"text": c.text, "received_at": RECEIVED} for c in cases]
    for alone, with_net in zip(
        rules_alone.assess_many(items), triager.assess_many(items), strict=True
    ):
        if alone.suggestion in THRESHOLD_SUGGESTIONS or alone.suggestion is S.NOT_LADO:
            assert with_net.suggestion is alone.suggestion


NAMES_A_WORKER = (
    "My son's swimming coach is his stepdad's brother and he slapped my son at a family barbecue."
)


def test_not_lado_is_raised_only_past_the_higher_bar_when_a_role_of_trust_is_named(
    rules_alone,  # type: ignore[no-untyped-def]
) -> None:
    assert rules_alone.assess(NAMES_A_WORKER, received_at=RECEIVED).suggestion is S.NOT_LADO
    below = _with(0.85).assess(NAMES_A_WORKER, received_at=RECEIVED)
    assert below.suggestion is S.NOT_LADO and below.redirect == "front_door"
    r = _with(0.95).assess(NAMES_A_WORKER, received_at=RECEIVED)
    assert r.suggestion is S.REFERRAL and "safety_net" in r.flags
    assert r.redirect is None  # the result is no longer a redirect...
    assert "position of trust" in r.rationale
    assert "If it is not a LADO matter" in r.rationale  # ...but says where it would go
    assert "never lower" in r.rationale


@pytest.mark.parametrize(
    "text",
    [
        # no one in a position of trust: the rules' reading stands
        "A pupil told me her stepdad hits her. He is a builder.",
        "Some random guy has been messaging my 13 year old on Instagram asking for pictures.",
    ],
)
def test_not_lado_without_a_role_of_trust_is_never_raised(text: str) -> None:
    r = _with(0.99).assess(text, received_at=RECEIVED)
    assert r.suggestion is S.NOT_LADO and "safety_net" not in r.flags


def test_loso_runs_the_shipped_engine_with_each_left_out_net(tmp_path: Path) -> None:
    from triage.net_training import leave_one_set_out

    rows = [
        {"id": "a1", "expected": "REFERRAL", "text": "The PE teacher slapped a Year 4 boy."},
        {"id": "a2", "expected": "NOT_LADO", "text": "A pupil says her stepdad hits her."},
        {"id": "a3", "expected": "ADVICE", "text": "Does a parent helper need a DBS check?"},
    ]
    for name in ("one", "two"):
        (tmp_path / f"{name}.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    results = leave_one_set_out(tmp_path)
    assert [r.name for r in results] == ["one", "two"]
    for r in results:
        assert r.rules.n == 3 and r.with_net.n == 3
        assert set(r.raised) <= {"a1", "a2", "a3"}
