"""The mail poller inside the web service (``lado serve``), and the triager the
command line uses.

In dev the poller runs in the service by default, so ``make run`` ingests ``.eml``
files dropped into ``var/mail``; in prod run ``lado poll`` as its own process (or set
``LADO_MAIL__POLL_IN_SERVICE=true``). Several instances may run: a database lock
lets only one poll a mailbox at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from bot.settings import Settings
from bot.web.keys import DB, SETTINGS, TRIAGER
from intake.mail.build import MailNotConfigured, build_poller
from intake.triager import ThreadTriager, Triager

log = logging.getLogger(__name__)


def local_triager() -> Triager:
    """The triage engine in a worker thread of this process (command-line jobs)."""
    return ThreadTriager()


def poll_in_service(settings: Settings, *, default: bool) -> bool:
    if settings.mail.poll_in_service is not None:
        return settings.mail.poll_in_service
    return default and settings.is_dev and settings.mail.source_kind != "none"


def mail_poller(*, default: bool) -> Callable[[web.Application], AsyncIterator[None]]:
    """A cleanup context that runs the poller while the service runs (when enabled).

    ``default`` is whether it runs when LADO_MAIL__POLL_IN_SERVICE is not set (on for
    the service's own database in dev; off when a caller supplies the database)."""

    async def ctx(app: web.Application) -> AsyncIterator[None]:
        settings = app[SETTINGS]
        if not poll_in_service(settings, default=default):
            yield
            return
        triager = app.get(TRIAGER) or local_triager()
        try:
            poller = build_poller(
                app[DB],
                settings.mail,
                settings.authority,
                base_url=settings.base_url,
                triager=triager,
            )
        except MailNotConfigured as exc:
            log.warning("mail poller not started: %s", "; ".join(exc.problems))
            yield
            return
        log.info("mail poller started (%s)", settings.mail.source_kind)
        task = asyncio.create_task(poller.run_forever(), name="mail-poller")
        yield
        poller.stop.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=30)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await poller.close()

    return ctx
