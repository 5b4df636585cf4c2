"""A non-editable install (the Dockerfile's `pip install .`) must carry every data file
the packages read at run time: templates, static files, rule files, migrations and the
triage safety net's weights. An editable install hides a missing glob, so check the
globs in pyproject.toml against the files in the tree."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "dialogs", "intake", "triage", "store")
#: documentation kept beside code, not read at run time
NOT_RUNTIME = {"triage/rules/README.md"}


def _globs() -> dict[str, list[str]]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return data["tool"]["setuptools"]["package-data"]


def _covered(rel: Path, globs: dict[str, list[str]]) -> bool:
    for package, patterns in globs.items():
        if package == "*":
            # applies in every package directory, to files directly inside it
            if any(fnmatch.fnmatch(rel.name, p) for p in patterns):
                return True
            continue
        base = Path(*package.split("."))
        try:
            inner = rel.relative_to(base)
        except ValueError:
            continue
        if any(fnmatch.fnmatch(str(inner), p) for p in patterns):
            return True
    return False


def _data_files() -> list[Path]:
    files = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*"):
            if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".py":
                continue
            rel = path.relative_to(ROOT)
            if str(rel) not in NOT_RUNTIME:
                files.append(rel)
    return files


def test_every_data_file_is_in_the_package_data() -> None:
    files = _data_files()
    assert any(f.suffix == ".bin" for f in files), "the safety net's weights are missing"
    assert any(f.suffix == ".yaml" for f in files)
    globs = _globs()
    missing = [str(f) for f in files if not _covered(f, globs)]
    assert not missing, f"not installed by `pip install .`: {missing}"


def test_a_file_outside_the_globs_is_noticed() -> None:
    globs = _globs()
    assert not _covered(Path("triage/model/weights.onnx"), globs)
    assert not _covered(Path("bot/templates/page.txt"), globs)
    assert _covered(Path("triage/model/safety_net.bin"), globs)
