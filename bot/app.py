"""The aiohttp application factory (the composition root of the web service).

``create_app(settings)`` does no I/O: the database engine, the triage pool and
any background tasks are opened in ``cleanup_ctx`` when the app starts and
closed when it stops.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

from aiohttp import web

from bot import review, templating, webchat
from bot.mail import mail_poller
from bot.review import reports as report_pages
from bot.review.auth import auth_middleware
from bot.settings import Settings
from bot.teams import web as teams
from bot.web import health
from bot.web.errors import error_middleware
from bot.web.keys import DB, PUBLIC_PREFIXES, SETTINGS, TRIAGER
from bot.web.security import security_headers
from intake.triager import Triager
from store.engine import Database
from triage.pool import TriagePool

STATIC = Path(__file__).parent / "static"


def create_app(
    settings: Settings, *, db: Database | None = None, triager: Triager | None = None
) -> web.Application:
    """Build the service. ``db`` and ``triager`` may be supplied (tests, embedding);
    otherwise they are created from ``settings`` when the app starts."""
    settings.check()
    app = web.Application(
        middlewares=[security_headers, error_middleware, auth_middleware],
        client_max_size=settings.web.max_request_kb * 1024,
    )
    app[SETTINGS] = settings
    app[PUBLIC_PREFIXES] = ["/login", "/healthz", "/readyz", "/favicon.ico", "/static/"]
    templating.setup(app)
    app.router.add_static("/static/", STATIC, show_index=False, follow_symlinks=False)
    app.add_routes(health.routes)
    review.setup(app)
    report_pages.setup(app)
    app.cleanup_ctx.append(_database(db))
    app.cleanup_ctx.append(_triage(triager))
    webchat.setup(app)  # after the database and triage: it opens the dialog engine on them
    teams.setup(app)  # likewise: the Teams channel and its duty alerts
    app.cleanup_ctx.append(mail_poller(default=db is None))
    return app


Context = Callable[[web.Application], AsyncIterator[None]]


def _database(supplied: Database | None) -> Context:
    async def ctx(app: web.Application) -> AsyncIterator[None]:
        db = supplied or Database(app[SETTINGS].database_url)
        app[DB] = db
        yield
        if supplied is None:
            await db.dispose()

    return ctx


def _triage(supplied: Triager | None) -> Context:
    """The triage runs in worker processes (warmed once each), never on the event loop."""

    async def ctx(app: web.Application) -> AsyncIterator[None]:
        if supplied is not None:
            app[TRIAGER] = supplied
            yield
            return
        pool = TriagePool(size=app[SETTINGS].triage.workers)
        await pool.start()
        app[TRIAGER] = pool
        try:
            yield
        finally:
            await pool.close()

    return ctx
