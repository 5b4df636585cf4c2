"""Headless Chromium (Debian's package) driven by Playwright against a live server.

The service runs on 127.0.0.1 (a free port) inside the test's event loop; the
browser is Debian's ``/usr/bin/chromium`` (Playwright never downloads one).
axe-core comes from the npm registry (``node_modules``, installed by ``make install``).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from playwright.async_api import Browser, Page, async_playwright

from bot.app import create_app
from bot.settings import Settings
from intake.triager import Triager
from store.engine import Database
from tests.bot.webtools import unused_triager
from tests.conftest import require_or_skip

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@dataclass
class LiveServer:
    url: str
    db: Database
    app: web.Application


async def start_server(
    db: Database, triager: Triager | None = None, **settings: Any
) -> tuple[LiveServer, web.AppRunner]:
    app = create_app(
        Settings(_env_file=None, **settings),  # type: ignore[call-arg]
        db=db,
        triager=triager or unused_triager(),
    )
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return LiveServer(url=f"http://127.0.0.1:{port}", db=db, app=app), runner


@pytest.fixture
async def live_server(sqlite_db: Database) -> AsyncIterator[LiveServer]:
    server, runner = await start_server(sqlite_db)
    yield server
    await runner.cleanup()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not Path(CHROMIUM).exists():
        require_or_skip("browser", "Debian chromium is not installed at /usr/bin/chromium")
    async with async_playwright() as playwright:
        instance = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        await instance.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    # axe-core is injected by the test harness; the app's CSP forbids inline script
    context = await browser.new_context(bypass_csp=True, locale="en-GB")
    page = await context.new_page()
    yield page
    await context.close()


async def axe_violations(
    page: Page, impacts: tuple[str, ...] = ("serious", "critical")
) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.x A/AA and best practice) on the current page."""
    if not AXE.exists():
        require_or_skip("browser", "axe-core is not installed (run `make install`)")
    if shutil.which("node") is None:
        pytest.skip("node is not available")
    await page.evaluate(AXE.read_text())
    result = await page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
              values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    violations = [v for v in result if v["impact"] in impacts]
    if violations:
        print(json.dumps(violations, indent=2))
    return violations
