"""Run the triage in worker processes, off the event loop.

The service never runs the triage on its event loop: ``TriagePool`` keeps a
``ProcessPoolExecutor`` (``spawn`` start method by default: no forked event loop or
database connections in the workers) whose initializer loads and warms the pipeline
once per worker. ``await pool.assess(...)`` sends the text to a worker with
``loop.run_in_executor``; the result comes back as a JSON dict and is rebuilt as a
:class:`TriageResult`. If a worker dies, the pool is rebuilt and the call retried once.

    async with TriagePool(size=2) as pool:
        result = await pool.assess(text, received_at=received)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import logging
import multiprocessing
import os
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import TracebackType
from typing import Any

from triage.result import TriageResult

log = logging.getLogger(__name__)

_worker: Any = None  # the Triager of this worker process


def _init_worker(rules_dir: str | None) -> None:
    """Worker initializer: build and warm the pipeline once for this process."""
    global _worker
    engine = importlib.import_module("triage.engine")
    _worker = engine.Triager(rules_dir) if rules_dir else engine.default_triager()
    _worker.warm()


def _ping() -> int:
    return os.getpid()


def _assess_json(
    text: str, known: dict[str, Any] | None, received_at: dt.datetime | None
) -> dict[str, Any]:
    if _worker is None:  # pragma: no cover - the initializer always runs first
        _init_worker(None)
    result: TriageResult = _worker.assess(text, known=known, received_at=received_at)
    return result.to_json_dict()


class TriagePool:
    """A pool of triage worker processes (default one worker)."""

    def __init__(
        self,
        size: int = 1,
        *,
        rules_dir: str | Path | None = None,
        start_method: str = "spawn",
        timeout: float | None = 60.0,
    ) -> None:
        if size < 1:
            raise ValueError("a triage pool needs at least one worker")
        if start_method not in ("spawn", "forkserver"):
            raise ValueError("start_method must be 'spawn' or 'forkserver'")
        self.size = size
        self.rules_dir = str(rules_dir) if rules_dir is not None else None
        self.start_method = start_method
        self.timeout = timeout
        self._executor: ProcessPoolExecutor | None = None
        self._lock = asyncio.Lock()

    @property
    def running(self) -> bool:
        return self._executor is not None

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.size,
            mp_context=multiprocessing.get_context(self.start_method),
            initializer=_init_worker,
            initargs=(self.rules_dir,),
        )

    async def start(self) -> None:
        """Start the workers and wait until each has loaded the pipeline."""
        async with self._lock:
            if self._executor is not None:
                return
            self._executor = self._new_executor()
            await self._warm(self._executor)
            log.info("triage pool started with %d worker(s)", self.size)

    async def _warm(self, executor: ProcessPoolExecutor) -> None:
        loop = asyncio.get_running_loop()
        pids = await asyncio.gather(
            *(loop.run_in_executor(executor, _ping) for _ in range(self.size))
        )
        log.debug("triage workers ready: %d process(es)", len(set(pids)))

    async def close(self) -> None:
        """Stop the workers (waits for running calls)."""
        async with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True)
            log.info("triage pool stopped")

    async def __aenter__(self) -> TriagePool:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _restart(self, broken: ProcessPoolExecutor) -> ProcessPoolExecutor:
        async with self._lock:
            if self._executor is broken:
                log.warning("a triage worker died; restarting the pool")
                broken.shutdown(wait=False, cancel_futures=True)
                self._executor = self._new_executor()
            assert self._executor is not None
            return self._executor

    async def assess(
        self,
        text: str,
        *,
        known: Mapping[str, Any] | None = None,
        received_at: dt.datetime | None = None,
    ) -> TriageResult:
        """Triage one text in a worker process (see ``triage.assess``)."""
        if not isinstance(text, str):
            raise ValueError(f"text must be str, not {type(text).__name__}")
        executor = self._executor
        if executor is None:
            raise RuntimeError("the triage pool is not started: await pool.start() first")
        loop = asyncio.get_running_loop()
        args = (text, dict(known) if known is not None else None, received_at)
        for attempt in (1, 2):
            try:
                future = loop.run_in_executor(executor, _assess_json, *args)
                data = await asyncio.wait_for(future, self.timeout)
                return TriageResult.model_validate(data)
            except BrokenProcessPool:
                if attempt == 2:
                    raise
                executor = await self._restart(executor)
        raise AssertionError("unreachable")  # pragma: no cover
