"""A manager opens the reports in headless Chromium: axe-core finds no serious or
critical problem, the charts are images with names, the period form works from
the keyboard, and a CSV downloads."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.async_api import Page, expect

from bench.datagen import generate
from tests.bot.webtools import PASSWORD
from tests.browser.conftest import LiveServer, axe_violations
from tests.conftest import add_officer

pytestmark = pytest.mark.browser


async def test_reports_page_passes_axe_and_downloads_csv(
    page: Page, live_server: LiveServer, sqlite_url: str
) -> None:
    await generate(sqlite_url, 400, seed=3, start=dt.date(2024, 4, 1), end=dt.date(2026, 3, 31))
    await add_officer(live_server.db, "manager@example.gov.uk", "manager")
    await page.goto(f"{live_server.url}/login?next=/reports")
    await page.get_by_label("Email address").fill("manager@example.gov.uk")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()

    # the period, typed the UK way, submitted from the keyboard
    await page.get_by_label("From", exact=True).fill("1/4/2024")
    await page.get_by_label("To", exact=True).fill("31/3/2026")
    await page.get_by_label("To", exact=True).press("Enter")
    await expect(page.get_by_text("1 Apr 2024 to 31 Mar 2026")).to_be_visible()
    await expect(page.get_by_role("heading", name="Year on year")).to_be_visible()
    await expect(page.get_by_role("table", name="Contacts by quarter", exact=True)).to_be_visible()
    await expect(
        page.get_by_role("img", name="Chart: Contacts by employment sector")
    ).to_be_visible()

    assert await axe_violations(page) == []

    async with page.expect_download() as info:
        await page.get_by_role("link", name="Case outcomes: download as CSV").click()
    download = await info.value
    assert download.suggested_filename == "lado-outcomes-2024-04-01-to-2026-03-31.csv"

    # the error state is accessible too
    await page.goto(f"{live_server.url}/reports?from=31/2/2025")
    await expect(page.get_by_role("alert")).to_contain_text("The start date is not a date")
    assert await axe_violations(page) == []
