"""The public pages: the chat (``/chat``) and the plain report form (``/report``).

The chat page is static HTML plus ``/static/chat/chat.js`` (no inline script, no
third-party code); the form works without JavaScript and is protected by a
double-submit CSRF cookie, like the sign-in form.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from typing import Any

from aiohttp import web

from bot.templating import render
from bot.web.errors import UserError
from bot.web.keys import SETTINGS
from bot.webchat.keys import CHAT
from dialogs import guidance
from dialogs.form import SECTIONS, read_form, submit_form
from dialogs.script import Reading
from dialogs.validate import TEXT_LIMIT

log = logging.getLogger(__name__)
routes = web.RouteTableDef()

FORM_COOKIE = "lado_report"


@routes.get("/chat")
async def chat_page(request: web.Request) -> web.StreamResponse:
    return render("webchat/chat.html", request, {"text_limit": TEXT_LIMIT})


def _form_token(request: web.Request) -> str:
    existing = request.cookies.get(FORM_COOKIE, "")
    return existing if 20 <= len(existing) <= 64 else secrets.token_urlsafe(24)


def _with_cookie(request: web.Request, response: web.StreamResponse, token: str) -> None:
    response.set_cookie(
        FORM_COOKIE,
        token,
        max_age=4 * 3600,
        path="/report",
        httponly=True,
        samesite="Strict",
        secure=request.app[SETTINGS].cookies_secure,
    )


def _form_page(
    request: web.Request,
    token: str,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> web.Response:
    response = render(
        "webchat/report.html",
        request,
        {
            "form_token": token,
            "sections": SECTIONS,
            "values": values or {},
            "errors": errors or {},
            "text_limit": TEXT_LIMIT,
        },
        status=status,
    )
    _with_cookie(request, response, token)
    return response


@routes.get("/report")
async def report_page(request: web.Request) -> web.StreamResponse:
    return _form_page(request, _form_token(request))


@routes.post("/report")
async def report(request: web.Request) -> web.StreamResponse:
    chat = request.app[CHAT]
    wait = chat.starts.check(f"ip:{request.remote or 'unknown'}")
    if wait:
        raise UserError(429, "Too many reports from here in a short time. Please wait a minute.")
    form = await request.post()
    cookie = request.cookies.get(FORM_COOKIE, "")
    supplied = form.get("form_token", "")
    if (
        not cookie
        or not isinstance(supplied, str)
        or not hmac.compare_digest(cookie.encode(), supplied.encode())
    ):
        raise UserError(
            403, "This form has expired or did not come from this service. Reload it and try again."
        )
    values: dict[str, str] = {}
    for section in SECTIONS:
        for form_field in section[1]:
            raw = form.get(form_field.name, "")
            values[form_field.name] = raw if isinstance(raw, str) else ""
    engine = chat.engine
    now = engine.clock()
    result = read_form(
        values,
        reading=Reading(
            at=now, resolve=lambda text, at: engine.conversations.resolve_date(text, at=at)
        ),
    )
    if result.errors:
        return _form_page(request, cookie, values=values, errors=result.errors, status=400)
    outcome = await submit_form(engine.conversations, result.answers, now=now)
    log.info("report form submitted as %s", outcome.reference)
    authority = request.app[SETTINGS].authority
    urgent = outcome.immediate_danger
    context: dict[str, Any] = {
        "reference": outcome.reference,
        "urgent": urgent,
        "messages": guidance.after_submit(
            reference=outcome.reference,
            resume_code=None,
            suggestion="URGENT" if urgent else outcome.suggestion,
            missing=outcome.missing,
            authority=authority,
        )[1:],
    }
    response = render("webchat/report_done.html", request, context)
    response.del_cookie(FORM_COOKIE, path="/report")
    return response
