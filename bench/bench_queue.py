"""Officer queue and item pages over real HTTP with 100,000 referrals in PostgreSQL.

Targets (issue 3): the queue page (first 50, default order) and the detail page
with previous-concern matching answer in p95 < 100 ms on this machine.

The service runs as a separate `lado serve` process against a PostgreSQL schema
of its own (dropped afterwards); this process signs in and times requests.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import time
from pathlib import Path

import aiohttp
import psycopg

from bench.common import LADO, bench_schema, percentile, service_env, serving
from bench.datagen import generate

N_REFERRALS = int(os.environ.get("LADO_BENCH_REFERRALS", "100000"))
REQUESTS = 200
TARGET_P95_MS = 100.0
PASSWORD = "benchmark password 123"  # noqa: S105 (a throwaway benchmark account)


async def _sign_in(session: aiohttp.ClientSession, url: str) -> None:
    async with session.get(f"{url}/login") as page:
        token = re.search(r'name="form_token" value="([^"]+)"', await page.text())
    assert token is not None
    async with session.post(
        f"{url}/login",
        data={"email": "bench@example.gov.uk", "password": PASSWORD, "form_token": token.group(1)},
        allow_redirects=False,
    ) as response:
        assert response.status == 303, response.status


async def _time(session: aiohttp.ClientSession, url: str) -> float:
    start = time.perf_counter()
    async with session.get(url) as response:
        await response.read()
        assert response.status == 200, response.status
    return (time.perf_counter() - start) * 1000


async def _measure(url: str, references: list[str]) -> dict[str, list[float]]:
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        await _sign_in(session, url)
        for _ in range(10):  # warm up connections and caches
            await _time(session, f"{url}/queue")
        queue = [await _time(session, f"{url}/queue") for _ in range(REQUESTS)]
        rng = random.Random(7)
        detail = [
            await _time(session, f"{url}/queue/{rng.choice(references)}") for _ in range(REQUESTS)
        ]
    return {"queue": queue, "detail": detail}


def main() -> int:
    with bench_schema() as url:
        started = time.perf_counter()
        asyncio.run(generate(url, N_REFERRALS, seed=3))
        load_seconds = time.perf_counter() - started
        with psycopg.connect(url) as conn:
            conn.execute("ANALYZE")
            references = [
                r[0]
                for r in conn.execute(
                    "SELECT reference FROM referral WHERE adult_name IS NOT NULL "
                    "ORDER BY random() LIMIT 500"
                )
            ]
        env = service_env(url)
        subprocess.run(
            [
                LADO,
                "officer",
                "add",
                "bench@example.gov.uk",
                "--role",
                "officer",
                "--password-stdin",
            ],
            input=PASSWORD + "\n",
            text=True,
            env=env,
            check=True,
            capture_output=True,
        )
        with serving(env, ready_within=60) as base:
            timings = asyncio.run(_measure(base, references))
        load = Path("/proc/loadavg").read_text().split()[0]
        ok_all = True
        for name, samples in timings.items():
            p95 = percentile(samples, 95)
            ok = p95 < TARGET_P95_MS
            ok_all &= ok
            print(
                json.dumps(
                    {
                        "benchmark": f"officer_{name}_page",
                        "ok": ok,
                        "referrals": N_REFERRALS,
                        "requests": len(samples),
                        "p50_ms": round(statistics.median(samples), 1),
                        "p95_ms": round(p95, 1),
                        "target_p95_ms": TARGET_P95_MS,
                        "seed_seconds": round(load_seconds, 1),
                        "loadavg": float(load),
                    }
                )
            )
        return 0 if ok_all else 1


if __name__ == "__main__":
    raise SystemExit(main())
