"""Triage speed and memory: ``python -m bench.bench_triage`` (or ``make bench``).

Targets (issue 4), each printed as one JSON line:

* ``triage_throughput`` — at least 300 texts per second on one core for 1-2 KB texts,
  through ``assess_many`` in a single process. The process is pinned to one CPU; the
  figure that decides ``ok`` is texts per CPU-second of this process, so other work on
  a shared machine distorts it less (wall-clock texts per second is reported too). It
  is the median of three runs, each over texts the pipeline has not seen (cold word
  caches), which keeps one noisy run on a busy machine from deciding the result.
* ``triage_latency`` — p95 wall time of a single ``assess`` call below 20 ms.
* ``triage_memory`` — resident memory (VmRSS) of a warmed triage process below 300 MB.

The texts are the labelled cases of ``tests/data/triage`` dressed as referral emails
(greeting, follow-up paragraphs, signature, disclaimer) and cut to 1-2 KB.
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

import triage

TARGET_TEXTS_PER_S = 300.0
TARGET_P95_MS = 20.0
TARGET_RSS_MB = 300.0
N_THROUGHPUT = int(os.environ.get("LADO_BENCH_TRIAGE_TEXTS", "1000"))
N_LATENCY = int(os.environ.get("LADO_BENCH_TRIAGE_SINGLE", "300"))

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "triage"
FOLLOW_UP = [
    "We have followed our safeguarding procedures and recorded everything on our system.",
    "The headteacher has been made aware and we are keeping the situation under review.",
    "I have not spoken to the member of staff and will wait for your advice before I do.",
    "The child's parents have asked to be kept informed of what happens next.",
    "We have CCTV of the corridor and have made sure it is kept.",
    "Please let me know if you need anything else from us, or if a strategy meeting is needed.",
    "Our records show no previous concerns about this person that we are aware of.",
]
SIGNATURE = (
    "\n\nKind regards\n\n{name}\nDesignated Safeguarding Lead\n{org}\nTel: 01632 960{n:03d}\n\n"
    "This email and any attachments are confidential and intended solely for the addressee. "
    "If you are not the intended recipient please notify the sender and delete it. Views "
    "expressed are those of the author and not necessarily those of the organisation."
)


def _texts(n: int, seed: int = 7) -> list[str]:
    cases = []
    for name in ("dev.jsonl", "shared-dev.jsonl"):
        path = DATA / name
        if path.exists():
            cases += [json.loads(x)["text"] for x in path.read_text().splitlines() if x.strip()]
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        body = ["Dear LADO team,", "", rnd.choice(cases), ""]
        while len("\n".join(body)) < rnd.randint(700, 1500):
            body.append(rnd.choice(FOLLOW_UP))
        text = "\n".join(body) + SIGNATURE.format(
            name=rnd.choice(["Priya Shah", "Tom Briggs", "Ann Okafor"]),
            org=rnd.choice(["Oakfield Academy", "Riverside Nursery", "Meadowbank Children's Home"]),
            n=i % 1000,
        )
        out.append(text[: rnd.randint(1000, 2000)])
    return out


def _rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pin() -> int | None:
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def _emit(record: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def main() -> int:
    cpu = _pin()
    started = time.perf_counter()
    t = triage.default_triager()
    t.warm()
    load_s = time.perf_counter() - started
    texts = _texts(N_THROUGHPUT)
    t.assess_many(_texts(50, seed=1))  # warm the code paths, not these texts' words

    rates_cpu: list[float] = []
    rates_wall: list[float] = []
    complete = True
    for seed in (7, 8, 9):
        batch = texts if seed == 7 else _texts(N_THROUGHPUT, seed=seed)
        wall0, cpu0 = time.perf_counter(), time.process_time()
        results = t.assess_many(batch)
        wall, cpu_s = time.perf_counter() - wall0, time.process_time() - cpu0
        rates_cpu.append(len(batch) / cpu_s if cpu_s else float("inf"))
        rates_wall.append(len(batch) / wall if wall else float("inf"))
        complete = complete and len(results) == len(batch)
    rate_cpu = statistics.median(rates_cpu)
    _emit(
        {
            "benchmark": "triage_throughput",
            "ok": rate_cpu >= TARGET_TEXTS_PER_S and complete,
            "texts": len(texts),
            "runs": len(rates_cpu),
            "mean_chars": round(statistics.mean(len(x) for x in texts)),
            "texts_per_cpu_s": round(rate_cpu, 1),
            "texts_per_cpu_s_runs": [round(r, 1) for r in rates_cpu],
            "texts_per_s_wall": round(statistics.median(rates_wall), 1),
            "target_texts_per_s": TARGET_TEXTS_PER_S,
            "pinned_cpu": cpu,
            "pipeline_load_s": round(load_s, 2),
            "rules_version": t.rules_version,
        }
    )

    single = texts[: min(N_LATENCY, len(texts))]
    walls, cpus = [], []
    for text in single:
        w0, c0 = time.perf_counter(), time.process_time()
        t.assess(text)
        walls.append((time.perf_counter() - w0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
    q_wall = statistics.quantiles(walls, n=100)
    q_cpu = statistics.quantiles(cpus, n=100)
    _emit(
        {
            "benchmark": "triage_latency",
            "ok": q_wall[94] < TARGET_P95_MS,
            "calls": len(single),
            "p50_ms": round(q_wall[49], 2),
            "p95_ms": round(q_wall[94], 2),
            "p99_ms": round(q_wall[98], 2),
            "p95_cpu_ms": round(q_cpu[94], 2),
            "target_p95_ms": TARGET_P95_MS,
        }
    )

    rss = _rss_mb()
    _emit(
        {
            "benchmark": "triage_memory",
            "ok": rss < TARGET_RSS_MB,
            "rss_mb": round(rss, 1),
            "target_rss_mb": TARGET_RSS_MB,
        }
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
