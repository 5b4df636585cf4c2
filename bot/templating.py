"""Jinja2 set-up: autoescaping, template folders, filters and context for every page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.review.present import CHOICES, LABELS, highlight, label, safe_html
from bot.web.keys import OFFICER, SESSION, SETTINGS
from store.workdays import LONDON

TEMPLATES = Path(__file__).parent / "templates"


def _when(value: dt.datetime | dt.date | None, with_time: bool = True) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        local = value.astimezone(LONDON)
        return local.strftime("%-d %b %Y, %H:%M") if with_time else local.strftime("%-d %b %Y")
    return value.strftime("%-d %b %Y")


def _iso(value: dt.datetime | dt.date | None) -> str:
    return "" if value is None else value.isoformat()


def _label(value: str | None, table: str, default: str = "—") -> str:
    return label(LABELS[table], value, default)


def base_context(request: web.Request) -> dict[str, Any]:
    """What every page needs: the officer (if any), the CSRF token, the authority."""
    settings = request.app[SETTINGS]
    return {
        "request": request,
        "officer": request.get(OFFICER),
        "csrf": session.csrf_token if (session := request.get(SESSION)) else "",
        "authority": settings.authority,
        "is_dev": settings.is_dev,
        "choices": CHOICES,
    }


def setup(app: web.Application) -> None:
    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.filters["iso"] = _iso
    env.filters["label"] = _label
    env.filters["highlight"] = highlight
    env.filters["safe_html"] = safe_html


def render(
    template: str, request: web.Request, context: dict[str, Any], *, status: int = 200
) -> web.Response:
    """Render a page with the base context merged in (use this, not aiohttp_jinja2 directly)."""
    return aiohttp_jinja2.render_template(
        template, request, {**base_context(request), **context}, status=status
    )
