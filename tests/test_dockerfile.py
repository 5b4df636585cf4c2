"""The Dockerfile cannot be built here (no Docker engine), so it is checked by parsing:
hadolint runs in `make test`; this checks the properties the service relies on."""

from __future__ import annotations

import fnmatch
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            out.append((keyword.upper(), rest.strip()))
    return out


def test_multi_stage_with_pinned_python_311_images() -> None:
    froms = [rest for kw, rest in _instructions() if kw == "FROM"]
    assert len(froms) >= 2
    for image in froms:
        assert re.match(r"python:3\.11\.\d+-slim-bookworm\b", image), image


def test_runs_as_a_non_root_user() -> None:
    users = [rest for kw, rest in _instructions() if kw == "USER"]
    assert users, "no USER instruction"
    uid = users[-1].split(":")[0]
    assert uid not in ("0", "root")


def test_healthcheck_hits_healthz() -> None:
    checks = [rest for kw, rest in _instructions() if kw == "HEALTHCHECK"]
    assert len(checks) == 1
    assert "/healthz" in checks[0]


def test_entrypoint_migrates_then_serves() -> None:
    instructions = dict(_instructions())
    assert "docker-entrypoint.sh" in instructions["ENTRYPOINT"]
    assert '"serve"' in instructions["CMD"]
    script = (ROOT / "docker-entrypoint.sh").read_text()
    assert script.index("lado db upgrade") < script.index('exec lado "$@"')
    assert (ROOT / "docker-entrypoint.sh").stat().st_mode & 0o111
    subprocess.run(["sh", "-n", str(ROOT / "docker-entrypoint.sh")], check=True)


def test_read_only_root_filesystem_friendly() -> None:
    env = " ".join(rest for kw, rest in _instructions() if kw == "ENV")
    assert "PYTHONDONTWRITEBYTECODE=1" in env
    assert "HOME=/tmp" in env and "TMPDIR=/tmp" in env


def test_every_copied_path_exists_and_is_not_ignored() -> None:
    ignored = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for keyword, rest in _instructions():
        if keyword != "COPY" or rest.startswith("--from"):
            continue
        *sources, _dest = rest.split()
        for source in sources:
            assert (ROOT / source).exists(), source
            assert not any(fnmatch.fnmatch(source, pattern) for pattern in ignored), source
