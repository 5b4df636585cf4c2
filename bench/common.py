"""What the benchmarks share: a migrated PostgreSQL schema of their own for each run, the
service as a separate ``lado serve`` process, and percentiles.

``LADO_BENCH_POSTGRES_URL`` names the PostgreSQL server (default: the test server on
127.0.0.1:5432, database ``test``).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import psycopg

from store import migrate

PG_BASE = os.environ.get("LADO_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
#: the ``lado`` command of this virtual environment
LADO = str(Path(sys.executable).with_name("lado"))


@contextmanager
def bench_schema(prefix: str = "lado_bench") -> Iterator[str]:
    """A PostgreSQL schema of its own, migrated to the head revision, for one run; yields
    its database URL and drops the schema afterwards, whatever happens."""
    schema = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(PG_BASE, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        url = f"{PG_BASE}?options=-csearch_path%3D{schema}"
        migrate.upgrade(url)
        yield url
    finally:
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def service_env(url: str, **settings: str) -> dict[str, str]:
    """The environment for a ``lado`` process on the benchmark's database (dev, quiet),
    with any further ``LADO_*`` settings."""
    return {
        **os.environ,
        "LADO_DATABASE_URL": url,
        "LADO_ENV": "dev",
        "LADO_LOG_LEVEL": "WARNING",
        **settings,
    }


async def wait_ready(url: str, within: float) -> None:
    """Wait until the service's ``/readyz`` answers 200; RuntimeError after ``within`` s."""
    deadline = time.monotonic() + within
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(f"{url}/readyz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.3)
    raise RuntimeError("the service did not become ready")


@contextmanager
def serving(env: Mapping[str, str], *, ready_within: float) -> Iterator[str]:
    """``lado serve`` on a free loopback port; yields its base URL once it is ready (its
    error output is shown when it does not get there) and stops it afterwards."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryFile() as errors:
        server = subprocess.Popen(
            [LADO, "serve", "--port", str(port)],
            env=dict(env),
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            try:
                asyncio.run(wait_ready(base, ready_within))
            except RuntimeError:
                errors.seek(0)
                sys.stderr.write(errors.read().decode(errors="replace")[-3000:])
                raise
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


def percentile(samples: list[float], q: int) -> float:
    """The ``q``-th percentile (inclusive method; needs two samples or more)."""
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]
