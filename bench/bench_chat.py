"""200 concurrent web-chat conversations over real HTTP and WebSocket, against the service
(a separate `lado serve` process) on PostgreSQL, with the triage the service runs.

Targets (issue 5): p95 server time per turn < 150 ms including triage, and zero lost
turns: every message sent and every reply received is stored.

Each simulated referrer starts a conversation over HTTP, opens the WebSocket, answers
every question (pausing 2-6 s to read and type, quicker than most people), checks the answers
and sends the report. Server time is what the service reports for each turn
(``server_ms``: from receiving the message to having stored the reply, triage included).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import aiohttp
import psycopg

from bench.common import bench_schema, percentile, service_env, serving

CONVERSATIONS = int(os.environ.get("LADO_BENCH_CONVERSATIONS", "200"))
PAUSE = (2.0, 6.0)
TARGET_P95_MS = 150.0

ACCOUNTS = [
    "This morning a Year 4 boy told our DSL that Mr {name}, the PE teacher, grabbed his arm "
    "hard in the changing rooms and left a red mark. He is upset and did not want to go "
    "back to PE.",
    "A parent has shown us messages that our youth club volunteer {name} sent her 14-year-old "
    "daughter on Snapchat late at night, asking her to keep their chats secret.",
    "One of our residential support workers, {name}, was arrested at the weekend after an "
    "incident of domestic abuse at home. He has two children of his own.",
    "A nursery practitioner, {name}, was seen shouting at a toddler and pulling her roughly by "
    "the wrist during lunch. Another member of staff reported it to me today.",
]
ANSWERS = {
    "immediate_danger": "no",
    "referrer_name": "Sam Taylor",
    "referrer_contact": "07911 123456",
    "referrer_role": "Designated safeguarding lead",
    "referrer_organisation": "Oakfield Primary School",
    "referrer_is_dsl": "yes",
    "adult_name": "David Dean",
    "adult_role": "Teaching assistant",
    "employer": "Oakfield Primary School",
    "sector": "education",
    "employment_basis": "paid",
    "adult_dob": "14/03/1985",
    "adult_address": "don't know",
    "adult_other_roles": "none known",
    "children_count": "1",
    "child_name": "A.B.",
    "child_age": "8",
    "child_send": "no",
    "child_looked_after": "no",
    "child_social_worker": "don't know",
    "incident_date": "yesterday",
    "aware_date": "today",
    "location": "The school hall",
    "in_work": "at work",
    "restraint": "no",
    "injury": "A red mark",
    "previous_concerns": "none known",
    "police_informed": "no",
    "crime_reference": "don't know",
    "csc_informed": "no",
    "parents_informed": "yes",
    "adult_status": "working",
    "adult_informed": "no",
    "non_recent": "no",
}


class Stats:
    def __init__(self) -> None:
        self.server_ms: list[float] = []
        self.by_kind: dict[str, list[float]] = {"account": [], "submit": [], "answer": []}
        self.roundtrip_ms: list[float] = []
        self.sent: dict[str, int] = {}
        self.received: dict[str, int] = {}
        self.references: dict[str, str] = {}
        self.errors: list[str] = []


async def _referrer(
    session: aiohttp.ClientSession, base: str, number: int, stats: Stats, rng: random.Random
) -> None:
    await asyncio.sleep(rng.uniform(0, 3))  # arrivals spread over three seconds
    async with session.post(f"{base}/api/chat/conversations", json={}) as response:
        if response.status != 201:
            stats.errors.append(f"start {response.status}")
            return
        started = await response.json()
    cid = started["conversation_id"]
    stats.sent[cid] = 0
    stats.received[cid] = 1
    turn = started["turn"]
    account = rng.choice(ACCOUNTS).format(name=f"Dean{number}")
    ws_url = base.replace("http://", "ws://") + f"/api/chat/conversations/{cid}/ws"
    async with session.ws_connect(ws_url) as ws:
        await ws.send_json({"type": "auth", "token": started["token"]})
        ready = await ws.receive_json(timeout=30)
        if ready.get("type") != "ready":
            stats.errors.append(f"auth {ready}")
            return
        for _ in range(80):
            if turn["done"]:
                break
            if turn["step"] == "confirm":
                text = "submit"
            elif turn["expects"] == "what_happened":
                text = account
            else:
                text = ANSWERS.get(turn["expects"] or "", "don't know")
            await asyncio.sleep(rng.uniform(*PAUSE))
            sent_at = time.perf_counter()
            await ws.send_json({"type": "message", "text": text})
            stats.sent[cid] += 1
            reply = await ws.receive_json(timeout=60)
            if reply.get("type") != "turn":
                stats.errors.append(f"turn {reply.get('status')}")
                return
            stats.roundtrip_ms.append((time.perf_counter() - sent_at) * 1000)
            stats.server_ms.append(float(reply["server_ms"]))
            kind = "account" if text == account else "submit" if text == "submit" else "answer"
            stats.by_kind[kind].append(float(reply["server_ms"]))
            stats.received[cid] += 1
            turn = reply["turn"]
        if turn["done"]:
            stats.references[cid] = turn["reference"]


async def _run(base: str, stats: Stats) -> float:
    rng = random.Random(5)
    connector = aiohttp.TCPConnector(limit=0)
    started = time.perf_counter()
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(
            *(
                _referrer(session, base, n, stats, random.Random(rng.random()))
                for n in range(CONVERSATIONS)
            )
        )
    return time.perf_counter() - started


def _stored(url: str, stats: Stats) -> tuple[int, int]:
    """(turns missing from the store, conversations not in the queue)."""
    lost = 0
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT conversation_id, direction, count(*) FROM message "
            "WHERE conversation_id IS NOT NULL GROUP BY conversation_id, direction"
        ).fetchall()
        stored = {(cid, direction): n for cid, direction, n in rows}
        for cid, sent in stats.sent.items():
            lost += max(0, sent - stored.get((cid, "in"), 0))
            lost += max(0, stats.received[cid] - stored.get((cid, "out"), 0))
        queued = {
            r[0]
            for r in conn.execute("SELECT conversation_id FROM referral WHERE kind = 'concern'")
        }
    missing = sum(1 for cid in stats.references if cid not in queued)
    return lost, missing


def main() -> int:
    env = {
        "LADO_MAIL__SOURCE": "none",
        "LADO_CHAT__SWEEP_SECONDS": "0",
        "LADO_CHAT__STARTS_PER_MINUTE": "10000",
        "LADO_CHAT__MESSAGES_PER_MINUTE": "1000",
    }
    with bench_schema() as url, serving(service_env(url, **env), ready_within=180) as base:
        stats = Stats()
        seconds = asyncio.run(_run(base, stats))
        lost, not_queued = _stored(url, stats)
        load = Path("/proc/loadavg").read_text().split()[0]
        p95 = percentile(stats.server_ms, 95) if len(stats.server_ms) > 1 else float("inf")
        ok = (
            p95 < TARGET_P95_MS
            and lost == 0
            and not_queued == 0
            and not stats.errors
            and len(stats.references) == CONVERSATIONS
        )
        print(
            json.dumps(
                {
                    "benchmark": "chat_turns",
                    "ok": ok,
                    "conversations": CONVERSATIONS,
                    "completed": len(stats.references),
                    "turns": len(stats.server_ms),
                    "seconds": round(seconds, 1),
                    "turns_per_second": round(len(stats.server_ms) / seconds, 1),
                    "p50_server_ms": round(statistics.median(stats.server_ms), 1),
                    "p95_server_ms": round(p95, 1),
                    "p99_server_ms": round(percentile(stats.server_ms, 99), 1),
                    "max_server_ms": round(max(stats.server_ms), 1),
                    "p95_roundtrip_ms": round(percentile(stats.roundtrip_ms, 95), 1),
                    "p95_by_turn_ms": {
                        k: round(percentile(v, 95), 1)
                        for k, v in stats.by_kind.items()
                        if len(v) > 1
                    },
                    "lost_turns": lost,
                    "not_queued": not_queued,
                    "errors": len(stats.errors),
                    "error_kinds": sorted(set(stats.errors))[:5],
                    "target_p95_ms": TARGET_P95_MS,
                    "loadavg": float(load),
                }
            )
        )
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
