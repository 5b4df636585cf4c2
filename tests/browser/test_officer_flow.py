"""An officer signs in, claims a seeded referral, decides differently from the
suggestion (the reason is demanded) and sees it in the audit trail."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.bot.webtools import PASSWORD
from tests.browser.conftest import LiveServer, axe_violations
from tests.conftest import add_officer, add_referral

pytestmark = pytest.mark.browser


async def _sign_in(page: Page, server: LiveServer, email: str) -> None:
    await page.goto(f"{server.url}/queue")
    await expect(page).to_have_url(f"{server.url}/login?next=/queue")
    await page.get_by_label("Email address").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Queue")).to_be_visible()


async def test_claim_decide_with_reason_and_see_the_audit_trail(
    page: Page, live_server: LiveServer
) -> None:
    await add_officer(live_server.db, "officer@example.gov.uk")
    referral = await add_referral(live_server.db, adult_name="David Dean")
    await _sign_in(page, live_server, "officer@example.gov.uk")

    await page.get_by_role("link", name=referral.reference).click()
    await expect(page.get_by_role("heading", name=referral.reference)).to_be_visible()
    await expect(page.locator("mark.ev").first).to_have_text("grabbed his arm [criterion:harmed]")

    await page.get_by_role("button", name="Claim this item").click()
    await expect(page.get_by_text("In review")).to_be_visible()

    # a decision different from the suggested REFERRAL, without a reason: refused
    await page.get_by_label("Advice given").check()
    await page.get_by_role("button", name="Record decision").click()
    await expect(page.get_by_role("alert")).to_contain_text("Give a reason")

    await page.go_back()
    await page.reload()
    await page.get_by_label("Advice given").check()
    await page.get_by_label("Reason").fill("Handled as a practice issue by the school.")
    await page.get_by_role("button", name="Record decision").click()

    await expect(page.get_by_text("Advice given").first).to_be_visible()
    audit = page.get_by_role("region", name="Audit trail")
    await expect(audit).to_contain_text("decide")
    await expect(audit).to_contain_text("differs: True")
    await expect(audit).to_contain_text("claim")


async def test_queue_and_detail_pages_pass_axe(page: Page, live_server: LiveServer) -> None:
    await add_officer(live_server.db, "officer@example.gov.uk")
    referral = await add_referral(live_server.db, triage_suggestion="URGENT")
    await add_referral(live_server.db)
    await page.goto(f"{live_server.url}/login")
    assert await axe_violations(page) == []
    await _sign_in(page, live_server, "officer@example.gov.uk")
    assert await axe_violations(page) == []
    await page.goto(f"{live_server.url}/queue/{referral.reference}")
    assert await axe_violations(page) == []
