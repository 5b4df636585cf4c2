"""`lado chat`: the same conversation in a terminal, and `--json` for scripts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.dialogs.harness import ACCOUNT, ANSWERS

LADO = str(Path(sys.executable).with_name("lado"))


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "LADO_DATABASE_URL": url, "LADO_ENV": "dev", "LADO_LOG_LEVEL": "ERROR"}


def _run(url: str, lines: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LADO, "chat", *args],
        input="".join(f"{line}\n" for line in lines),
        text=True,
        capture_output=True,
        env=_env(url),
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_json_mode_prints_one_line_per_bot_turn(sqlite_url: str) -> None:
    """A script drives the conversation: write one line, read exactly one JSON line."""
    with subprocess.Popen(
        [LADO, "chat", "--json"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_env(sqlite_url),
    ) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        turn = json.loads(proc.stdout.readline())
        assert set(turn) >= {"text", "choices", "done", "reference"}
        assert turn["done"] is False and "immediate danger" in turn["text"]
        assert {"label": "No", "value": "no"} in turn["choices"]
        sent = 0
        while not turn["done"] and sent < 60:
            if turn["expects"] == "what_happened":
                line = ACCOUNT
            elif turn["expects"]:
                line = ANSWERS[turn["expects"]]
            else:
                line = "submit"
            proc.stdin.write(line + "\n")
            proc.stdin.flush()
            sent += 1
            turn = json.loads(proc.stdout.readline())
            if turn["expects"] == "referrer_name":
                assert turn["resume_code"] is None or turn["resume_code"] in turn["text"]
        assert turn["done"] and turn["reference"].startswith("LADO-")
        assert "What NOT to do" in turn["text"]
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0
        assert proc.stdout.read() == ""  # nothing more after the last line of input
    queued = subprocess.run(
        [LADO, "queue", "--json"], text=True, capture_output=True, env=_env(sqlite_url), check=True
    )
    record = json.loads(queued.stdout.splitlines()[0])
    assert record["reference"] == turn["reference"] and record["channel"] == "chat"
    assert record["suggestion"] in ("REFERRAL", "CONSULTATION", "URGENT")


def test_bad_resume_code_exits_not_found(sqlite_url: str) -> None:
    proc = _run(sqlite_url, [], "--json", "--resume", "CH-AAAA-BBBB", "--code", "CCCC-DDDD")
    assert proc.returncode == 5
    assert "do not match" in proc.stderr


def test_sweep_command(sqlite_url: str) -> None:
    proc = subprocess.run(
        [LADO, "chat", "sweep", "--json"],
        text=True,
        capture_output=True,
        env=_env(sqlite_url),
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"queued": [], "expired": 0, "skipped": 0}
