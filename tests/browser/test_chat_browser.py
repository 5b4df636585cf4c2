"""The web chat in headless Chromium: a referral made with the keyboard only, then seen by
an officer in the queue with its transcript and triage evidence; axe-core on every page."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, expect

from store.engine import Database
from tests.bot.webtools import PASSWORD
from tests.browser.conftest import LiveServer, axe_violations, start_server
from tests.conftest import add_officer
from tests.dialogs.harness import ACCOUNT, ANSWERS, FakeTriager

pytestmark = pytest.mark.browser


@pytest.fixture
async def chat_server(sqlite_db: Database) -> AsyncIterator[LiveServer]:
    server, runner = await start_server(
        sqlite_db, FakeTriager(), chat={"sweep_seconds": 0, "messages_per_minute": 300}
    )
    yield server
    await runner.cleanup()


async def _focused_id(page: Page) -> str:
    return str(await page.evaluate("document.activeElement && document.activeElement.id"))


async def _tab_to(page: Page, element_id: str, limit: int = 30) -> None:
    for _ in range(limit):
        await page.keyboard.press("Tab")
        if await _focused_id(page) == element_id:
            return
    raise AssertionError(f"could not reach #{element_id} with the keyboard")


async def _type(page: Page, text: str) -> None:
    """Type a message into the focused box and press Enter."""
    assert await _focused_id(page) == "chat-input"
    await page.keyboard.insert_text(text)
    await page.keyboard.press("Enter")


async def test_a_referral_by_keyboard_then_the_officer_sees_it(
    page: Page, chat_server: LiveServer
) -> None:
    await page.goto(f"{chat_server.url}/chat")
    banner = page.get_by_role("region", name="Emergency")
    await expect(banner).to_contain_text("If a child is in immediate danger, call 999.")
    log = page.get_by_role("log")

    await _tab_to(page, "start-button")
    await page.keyboard.press("Enter")
    await expect(log).to_contain_text("immediate danger right now")
    assert await _focused_id(page) == "chat-input"
    # a quick reply is a real button, reached with Shift+Tab from the message box
    await page.keyboard.press("Shift+Tab")
    await page.keyboard.press("Shift+Tab")
    await expect(page.locator(":focus")).to_have_text("No")
    await page.keyboard.press("Enter")
    await expect(log).to_contain_text("in your own words")
    await page.locator("#chat-input").focus()
    await _type(page, ACCOUNT)
    await expect(log).to_contain_text("your reference CH-")

    bot = page.locator("#chat-log li.bot")
    for _ in range(45):
        last = bot.last
        if await last.get_attribute("data-step") != "ask":
            break
        expects = await last.get_attribute("data-expects")
        assert expects is not None
        before = await bot.count()
        await _type(page, ANSWERS[expects])
        await expect(bot).to_have_count(before + 1)
    await expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    assert await axe_violations(page) == []
    await page.locator("#chat-input").focus()
    await _type(page, "submit")
    reference = page.locator("#chat-log .reference")
    await expect(reference).to_have_text(re.compile(r"LADO-\d{4}-\d{6}"))
    await expect(log).to_contain_text("do not interview the child")
    ref = await reference.inner_text()

    await add_officer(chat_server.db, "officer@example.gov.uk")
    await page.goto(f"{chat_server.url}/login")
    await page.get_by_label("Email address").fill("officer@example.gov.uk")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("link", name=ref)).to_be_visible()
    assert await axe_violations(page) == []
    await page.get_by_role("link", name=ref).click()
    await expect(page.locator("mark.ev").first).to_contain_text("grabbed")
    messages = page.get_by_role("region", name="Messages")
    await expect(messages).to_contain_text("immediate danger right now")
    await expect(messages).to_contain_text("Jo Bloggs")
    await expect(messages).to_contain_text("[code shown to the referrer]")
    assert await axe_violations(page) == []


async def test_chat_page_passes_axe_before_and_during_a_conversation(
    page: Page, chat_server: LiveServer
) -> None:
    await page.goto(f"{chat_server.url}/chat")
    assert await axe_violations(page) == []
    await page.get_by_role("button", name="Start a report").click()
    await expect(page.get_by_role("log")).to_contain_text("immediate danger")
    assert await axe_violations(page) == []
    # 400% zoom: a 320 CSS pixel wide viewport, nothing scrolls sideways
    await page.set_viewport_size({"width": 320, "height": 256})
    await page.reload()
    overflow = await page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert overflow is False


async def test_report_form_passes_axe_and_shows_problems(
    page: Page, chat_server: LiveServer
) -> None:
    await page.goto(f"{chat_server.url}/report")
    assert await axe_violations(page) == []
    await page.get_by_label("What is your name? (required)").fill("Jo Bloggs")
    await page.get_by_label(re.compile("What phone number or email")).fill("not an email@")
    await page.get_by_role("button", name="Send report").click()
    summary = page.get_by_role("alert")
    await expect(summary).to_contain_text("There is a problem")
    await expect(summary).to_contain_text("does not look like an email")
    assert await axe_violations(page) == []
    await page.get_by_label(re.compile("What phone number or email")).fill("07911 123456")
    await page.get_by_label(re.compile("in your own words")).fill(ACCOUNT)
    await page.get_by_role("button", name="Send report").click()
    await expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    await expect(page.locator(".reference")).to_have_text(re.compile(r"LADO-\d{4}-\d{6}"))
    assert await axe_violations(page) == []


async def test_the_page_talks_over_a_websocket_under_the_real_csp(
    browser: Browser, chat_server: LiveServer
) -> None:
    context = await browser.new_context(locale="en-GB")  # CSP enforced (no bypass)
    page = await context.new_page()
    problems: list[str] = []
    sockets: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("websocket", lambda ws: sockets.append(ws.url))
    try:
        await page.goto(f"{chat_server.url}/chat")
        await page.get_by_role("button", name="Start a report").click()
        await expect(page.get_by_role("log")).to_contain_text("immediate danger")
        await page.get_by_role("button", name="No", exact=True).click()
        await expect(page.get_by_role("log")).to_contain_text("in your own words")
        assert sockets and sockets[0].endswith("/ws") and "token" not in sockets[0]
        assert problems == []
    finally:
        await context.close()


async def test_a_reload_keeps_the_conversation(page: Page, chat_server: LiveServer) -> None:
    await page.goto(f"{chat_server.url}/chat")
    await page.get_by_role("button", name="Start a report").click()
    await page.get_by_role("button", name="No", exact=True).click()
    await expect(page.get_by_role("log")).to_contain_text("in your own words")
    await page.reload()
    log = page.get_by_role("log")
    await expect(log).to_contain_text("immediate danger right now")
    await expect(log).to_contain_text("in your own words")
    await page.locator("#chat-input").fill(ACCOUNT)
    await page.keyboard.press("Enter")
    await expect(log).to_contain_text("What is your name?")
