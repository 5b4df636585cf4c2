"""``lado triage``: the default assess command, --jsonl, eval, rules check, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.triage_cmd import triage_group
from tests.triage.conftest import DATA
from triage.rules import DEFAULT_RULES_DIR


@pytest.fixture
def run():  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(triage_group, list(args), input=stdin, catch_exceptions=False)

    return invoke


def test_help_explains_the_default(run) -> None:  # type: ignore[no-untyped-def]
    res = run("--help")
    assert res.exit_code == 0
    assert "lado triage [FILE|-]" in res.output and "eval" in res.output


def test_assess_a_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "r.txt"
    f.write_text("Mr Dean, a PE teacher, slapped a Year 3 boy. He denies it.")
    res = run(str(f))
    assert res.exit_code == 0
    assert "Suggestion:  REFERRAL" in res.output and "context:denial" in res.output


def test_assess_stdin_as_json(run) -> None:  # type: ignore[no-untyped-def]
    res = run("-", "--json", "--received-at", "2025-03-13T10:00:00+00:00",
              stdin="The coach hit a 9 year old yesterday.")  # fmt: skip
    assert res.exit_code == 0
    data = json.loads(res.output)
    assert data["suggestion"] == "REFERRAL"
    assert data["fields"]["incident_date"] == "2025-03-12"


def test_assess_with_known_details(run) -> None:  # type: ignore[no-untyped-def]
    res = run("--json", "--known", "adult_name=Ann Lee", "-", stdin="She slapped a pupil.")
    assert res.exit_code == 0
    assert json.loads(res.output)["fields"]["adult_name"] == "Ann Lee"
    assert run("--known", "nonsense", "-", stdin="x").exit_code == 2


def test_jsonl_keeps_ids_and_reports_bad_lines(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "in.jsonl"
    f.write_text(
        "\n".join(
            [
                json.dumps({"id": "a", "text": "Her stepdad hits her."}),
                "{broken",
                json.dumps(
                    {"id": "c", "text": "The TA punched a boy.", "received_at": "2025-03-13"}
                ),
                json.dumps({"id": "d", "received_at": "not a date", "text": "x"}),
            ]
        )
    )
    res = run("--jsonl", str(f))
    assert res.exit_code == 2
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["a", 2, "c", "d"]
    assert lines[0]["suggestion"] == "NOT_LADO" and lines[2]["suggestion"] == "REFERRAL"
    assert "error" in lines[1] and "error" in lines[3]


def test_jsonl_all_good_exits_zero(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "in.jsonl"
    f.write_text("\n".join(json.dumps({"id": i, "text": "hi"}) for i in range(60)))
    out = tmp_path / "out.jsonl"
    res = run("--jsonl", str(f), "-o", str(out))
    assert res.exit_code == 0
    assert len(out.read_text().splitlines()) == 60


def test_eval_prints_the_report(run) -> None:  # type: ignore[no-untyped-def]
    res = run("eval", str(DATA / "shared-dev.jsonl"))
    assert res.exit_code == 0
    for part in ("threshold recall", "urgent recall", "accuracy", "confusion", "per sector"):
        assert part in res.output


def test_eval_json_and_strict(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = run("eval", "--json", str(DATA / "shared-dev.jsonl"))
    assert res.exit_code == 0
    data = json.loads(res.output)
    assert data["n"] == 30 and "threshold_recall" in data and "confusion" in data
    wrong = tmp_path / "wrong.jsonl"
    wrong.write_text(json.dumps({"id": "w", "text": "hi", "expected": "URGENT"}) + "\n")
    assert run("eval", str(wrong)).exit_code == 0
    assert run("eval", "--strict", str(wrong)).exit_code == 1


def test_eval_bad_input(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    assert run("eval", str(bad)).exit_code == 2
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert run("eval", str(empty)).exit_code == 2
    assert run("eval", str(tmp_path / "missing.jsonl")).exit_code == 2


def test_rules_check(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = run("rules", "check")
    assert res.exit_code == 0 and "Rules OK" in res.output
    res = run("rules", "check", "--json")
    assert json.loads(res.output)["ok"] is True
    broken = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, broken, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (broken / "harm.yaml").write_text("lexicons: [oops\n")
    res = run("rules", "check", "--rules", str(broken))
    assert res.exit_code == 1 and "harm.yaml" in res.output
    data = json.loads(run("rules", "check", "--rules", str(broken), "--json").output)
    assert data["ok"] is False and data["problems"]


def test_invalid_rules_directory_for_assess(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "rules"
    broken.mkdir()
    res = run("--rules", str(broken), "-", stdin="x")
    assert res.exit_code == 3


def test_registered_on_lado() -> None:
    from bot.cli import main

    assert "triage" in main.commands


def test_no_net_runs_the_rules_alone(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "r.txt"
    f.write_text(
        "A PE teacher has been seen in the changing rooms with a Year 8 girl after school and "
        "she was crying when she came out."
    )
    with_net = json.loads(run(str(f), "--json").output)
    alone = json.loads(run(str(f), "--json", "--no-net").output)
    assert with_net["suggestion"] == "REFERRAL" and "safety_net" in with_net["flags"]
    assert alone["suggestion"] == "ADVICE" and "/net-" not in alone["rules_version"]


@pytest.fixture
def small_sets(tmp_path: Path) -> Path:
    data = tmp_path / "sets"
    data.mkdir()
    lines = (DATA / "shared-dev.jsonl").read_text().splitlines()
    (data / "a.jsonl").write_text("\n".join(lines[:15]) + "\n")
    (data / "b.jsonl").write_text("\n".join(lines[15:]) + "\n")
    return data


def test_net_train_writes_reproducible_weights(run, small_sets: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "net.bin"
    first = run("net", "train", "--data", str(small_sets), "--out", str(out), "--json")
    assert first.exit_code == 0, first.output
    meta = json.loads(first.output)
    assert meta["examples"] == 30 and set(meta["trained_on"]) == {"a", "b"}
    assert out.exists() and out.with_suffix(".json").exists()
    again = run("net", "train", "--data", str(small_sets), "--out", str(out), "--json")
    assert json.loads(again.output)["weights_sha256_8"] == meta["weights_sha256_8"]


def test_net_loso_compares_each_set_with_and_without_the_net(run, small_sets: Path) -> None:  # type: ignore[no-untyped-def]
    res = run("net", "loso", "--data", str(small_sets), "--json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert [r["set"] for r in rows] == ["a", "b"]
    for r in rows:
        assert r["net_threshold_recall"] >= r["rules_threshold_recall"]
    text = run("net", "loso", "--data", str(small_sets))
    assert "with net" in text.output


def test_net_train_needs_labelled_sets(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = run("net", "train", "--data", str(tmp_path), "--out", str(tmp_path / "x.bin"))
    assert res.exit_code == 2 and "no labelled cases" in res.output
