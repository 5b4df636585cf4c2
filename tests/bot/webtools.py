"""Helpers for driving the officer UI over real HTTP in tests."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from intake.triager import Triager
from triage.result import TriageResult

PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_VERSION = re.compile(r'name="version" value="(\d+)"')


class UnusedTriager:
    """For tests of pages that never triage: fails loudly if they do."""

    async def assess(
        self,
        text: str,
        *,
        known: Mapping[str, Any] | None = None,
        received_at: dt.datetime | None = None,
    ) -> TriageResult:
        raise AssertionError("this test did not expect a triage")


def unused_triager() -> Triager:
    return UnusedTriager()


async def login(client: TestClient, email: str, password: str = PASSWORD) -> ClientResponse:
    page = await client.get("/login")
    assert page.status == 200
    token = re.search(r'name="form_token" value="([^"]+)"', await page.text())
    assert token is not None
    return await client.post(
        "/login",
        data={"email": email, "password": password, "form_token": token.group(1), "next": "/queue"},
        allow_redirects=False,
    )


async def csrf_and_version(client: TestClient, path: str) -> tuple[str, int]:
    page = await client.get(path)
    assert page.status == 200, await page.text()
    html = await page.text()
    csrf = _CSRF.search(html)
    version = _VERSION.search(html)
    assert csrf is not None
    return csrf.group(1), int(version.group(1)) if version else 0
