"""Run the benchmarks: ``python -m bench [NAME ...]``.

Each ``bench/bench_<name>.py`` runs in a fresh interpreter (so resident-memory
figures are its own) and prints one JSON object per line, each with at least
``{"benchmark": str, "ok": bool}`` plus its measured figures and targets.
This runner passes those lines through unchanged and exits non-zero when a
benchmark failed to run or missed its target.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def _modules(selected: list[str]) -> list[str]:
    here = Path(__file__).parent
    names = sorted(p.stem for p in here.glob("bench_*.py"))
    if selected:
        wanted = {s if s.startswith("bench_") else f"bench_{s}" for s in selected}
        unknown = wanted - set(names)
        if unknown:
            raise SystemExit(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
        names = [n for n in names if n in wanted]
    return names


def main(argv: list[str]) -> int:
    failed = False
    for name in _modules(argv):
        proc = subprocess.run(
            [sys.executable, "-m", f"bench.{name}"], stdout=subprocess.PIPE, text=True, check=False
        )
        for line in proc.stdout.splitlines():
            line = line.strip()
            if not line.startswith("{"):
                continue
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
            try:
                if not json.loads(line).get("ok", False):
                    failed = True
            except json.JSONDecodeError:
                failed = True
        if proc.returncode != 0:
            sys.stdout.write(
                json.dumps({"benchmark": name, "ok": False, "error": f"exit {proc.returncode}"})
                + "\n"
            )
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
