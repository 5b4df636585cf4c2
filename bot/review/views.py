"""The queue and the item detail page (read-only; every detail view is audited)."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from bot.review.auth import csrf_token, require
from bot.review.present import CHOICES
from bot.templating import render
from bot.web.errors import UserError
from bot.web.keys import DB, SETTINGS
from intake import clock, review, review_views
from intake.errors import NotFoundError
from intake.review_common import ASSIGNERS, CHANGERS
from store.enums import Role
from store.repo import officers as officer_repo
from store.repo.referrals import QueueFilter, queue_page
from store.types import utcnow

routes = web.RouteTableDef()

PAGE_SIZE = 50
REFERENCE_RE = re.compile(r"^LADO-\d{4}-\d{6}$")
ALL_ROLES = frozenset(Role)


def _choice(
    request: web.Request, name: str, allowed: list[tuple[str, str]], extra: tuple[str, ...] = ()
) -> str | None:
    value = request.query.get(name, "")
    if not value:
        return None
    if value not in {v for v, _ in allowed} | set(extra):
        raise UserError(400, f"Unknown {name} filter.")
    return value


def _page(request: web.Request) -> int:
    raw = request.query.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 100_000:
        raise UserError(400, "Page numbers are whole numbers from 1.")
    return int(raw)


@routes.get("/")
async def home(_request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther("/queue")


@routes.get("/queue")
async def queue(request: web.Request) -> web.StreamResponse:
    actor = require(request, ALL_ROLES)
    filters = QueueFilter(
        status=_choice(request, "status", CHOICES["status"], ("active", "all")),
        suggestion=_choice(request, "suggestion", CHOICES["suggestion"]),
        channel=_choice(request, "channel", CHOICES["channel"]),
        sector=_choice(request, "sector", CHOICES["sector"]),
        kind=_choice(request, "kind", CHOICES["kind"]),
        claimed_by_id=actor.officer_id if request.query.get("mine") == "1" else None,
    )
    page = _page(request)
    db = request.app[DB]
    async with db.session() as session:
        rows, total = await queue_page(
            session, filters=filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
        officers = {
            o.id: o for o in await officer_repo.list_officers(session, include_disabled=True)
        }
    now = utcnow()
    authority = request.app[SETTINGS].authority
    items = [(r, clock.deadlines(r, authority, now=now)) for r in rows]
    query = {k: v for k, v in request.query.items() if k != "page"}
    return render(
        "review/queue.html",
        request,
        {
            "items": items,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PAGE_SIZE)),
            "filters": filters,
            "query": query,
            "mine": request.query.get("mine") == "1",
            "officers": officers,
            "now": now,
        },
    )


def reference_from(request: web.Request) -> str:
    reference = request.match_info["reference"]
    if not REFERENCE_RE.match(reference):
        raise UserError(404, "There is no referral with that reference.")
    return reference


@routes.get("/queue/{reference}")
async def detail(request: web.Request) -> web.StreamResponse:
    actor = require(request, ALL_ROLES)
    reference = reference_from(request)
    try:
        item = await review_views.view(request.app[DB], actor=actor, reference=reference)
    except NotFoundError as exc:
        raise UserError(404, str(exc)) from exc
    settings = request.app[SETTINGS]
    context: dict[str, Any] = {
        "item": item,
        "r": item.referral,
        "deadlines": clock.deadlines(item.referral, settings.authority, now=utcnow()),
        "can_change": actor.role in CHANGERS,
        "can_assign": actor.role in ASSIGNERS,
        "actor": actor,
        "csrf": csrf_token(request),
        "agreeing": review.AGREEING_DECISION.get(item.referral.triage_suggestion or ""),
    }
    return render("review/detail.html", request, context)


@routes.get("/queue/{reference}/attachments/{attachment_id:\\d+}")
async def attachment(request: web.Request) -> web.StreamResponse:
    actor = require(request, ALL_ROLES)
    reference = reference_from(request)
    try:
        item = await review_views.view_attachment(
            request.app[DB],
            actor=actor,
            reference=reference,
            attachment_id=int(request.match_info["attachment_id"]),
        )
    except NotFoundError as exc:
        raise UserError(404, str(exc)) from exc
    assert item.data is not None
    safe_name = re.sub(r"[^A-Za-z0-9._-]+", "_", item.filename or "attachment")[:100]
    return web.Response(
        body=item.data,
        content_type="application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="{safe_name}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
