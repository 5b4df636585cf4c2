"""Liveness and readiness for load balancers and the Docker HEALTHCHECK."""

from __future__ import annotations

from aiohttp import web

from bot.web.keys import DB

routes = web.RouteTableDef()


@routes.get("/healthz")
async def healthz(_request: web.Request) -> web.Response:
    """The process is up. Touches nothing else (no database)."""
    return web.json_response({"status": "ok"})


@routes.get("/readyz")
async def readyz(request: web.Request) -> web.Response:
    """Ready to serve: the database answers. 503 otherwise."""
    if await request.app[DB].ping():
        return web.json_response({"status": "ready", "database": "ok"})
    return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)


@routes.get("/favicon.ico")
async def favicon(_request: web.Request) -> web.Response:
    """Browsers ask for this on every site; the real icon is linked from each page."""
    raise web.HTTPMovedPermanently("/static/favicon.svg")
