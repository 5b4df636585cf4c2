"""The officer review UI: sign-in, the queue, an item and its actions.

Server-rendered (aiohttp + Jinja2), works without JavaScript.
"""

from __future__ import annotations

from aiohttp import web

from bot.review import actions, auth, views


def setup(app: web.Application) -> None:
    app.add_routes(auth.routes)
    app.add_routes(views.routes)
    app.add_routes(actions.routes)
