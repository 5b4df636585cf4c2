"""How the application core reaches the triage.

The service runs the triage in a process pool (``triage.pool.TriagePool``) so it
never runs on the event loop; command-line jobs may run it in a thread.
Both satisfy ``Triager``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol

import triage
from triage.result import TriageResult


class Triager(Protocol):
    async def assess(
        self,
        text: str,
        *,
        known: Mapping[str, Any] | None = None,
        received_at: dt.datetime | None = None,
    ) -> TriageResult: ...


class ThreadTriager:
    """Runs the triage in a worker thread of this process: for command-line jobs.

    The web service uses the process pool (``triage.pool.TriagePool``) instead, so
    that triage never competes with the event loop for the interpreter.
    """

    async def assess(
        self,
        text: str,
        *,
        known: Mapping[str, Any] | None = None,
        received_at: dt.datetime | None = None,
    ) -> TriageResult:
        return await asyncio.to_thread(triage.assess, text, known=known, received_at=received_at)
