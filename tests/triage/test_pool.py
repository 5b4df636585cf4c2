"""The process pool: workers load the pipeline once; results cross as JSON."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from triage.pool import TriagePool
from triage.result import TriageResult
from triage.vocab import Suggestion


@pytest.fixture(scope="module")
def pool():  # type: ignore[no-untyped-def]
    p = TriagePool(size=1)
    asyncio.run(p.start())
    yield p
    asyncio.run(p.close())


async def test_assess_in_a_worker_process(pool: TriagePool) -> None:
    r = await pool.assess("The coach punched a 12 year old boy at training.")
    assert isinstance(r, TriageResult)
    assert r.suggestion is Suggestion.REFERRAL
    many = await asyncio.gather(*(pool.assess("Her stepdad hits her.") for _ in range(5)))
    assert {m.suggestion for m in many} == {Suggestion.NOT_LADO}


async def test_known_and_received_at_cross_the_boundary(pool: TriagePool) -> None:
    import datetime as dt

    received = dt.datetime(2025, 3, 13, 12, tzinfo=dt.UTC)
    r = await pool.assess(
        "The TA slapped him yesterday.",
        known={"adult_name": "Ann Lee"},
        received_at=received,
    )
    assert r.fields.adult_name == "Ann Lee"
    assert r.fields.incident_date == dt.date(2025, 3, 12)


async def test_bad_input_is_a_value_error(pool: TriagePool) -> None:
    with pytest.raises(ValueError, match="str"):
        await pool.assess(b"bytes")  # type: ignore[arg-type]


async def test_a_dead_worker_is_replaced(pool: TriagePool) -> None:
    from triage.pool import _ping

    assert pool._executor is not None
    loop = asyncio.get_running_loop()
    pid = await loop.run_in_executor(pool._executor, _ping)
    os.kill(pid, signal.SIGKILL)
    await asyncio.sleep(0.2)
    r = await pool.assess("The teacher hit a pupil.")
    assert r.suggestion is Suggestion.REFERRAL


async def test_lifecycle_and_errors() -> None:
    p = TriagePool(size=1)
    assert not p.running
    with pytest.raises(RuntimeError, match="not started"):
        await p.assess("x")
    with pytest.raises(ValueError, match="at least one"):
        TriagePool(size=0)
    with pytest.raises(ValueError, match="start_method"):
        TriagePool(start_method="fork")
    await p.close()  # closing a pool that never started is harmless
