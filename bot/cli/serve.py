"""``lado serve``: run the web service."""

from __future__ import annotations

import logging

import click
from aiohttp import web

from bot import logs
from bot.app import create_app
from bot.cli.common import EXIT_CONFIG, fail, load_settings
from bot.settings import UnsafeSettings

log = logging.getLogger(__name__)


@click.command()
@click.option("--host", help="Address to listen on (default: LADO_WEB__HOST, 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default: LADO_WEB__PORT, 8080).")
def serve(host: str | None, port: int | None) -> None:
    """Serve the officer UI, the web chat, the report form, Teams and health checks.

    Run `lado db upgrade` first. Stops cleanly on SIGTERM or Ctrl-C.
    """
    settings = load_settings()
    logs.configure(settings.log_level, settings.log_format)
    try:
        app = create_app(settings)
    except UnsafeSettings as exc:
        fail("refusing to start in prod:\n  " + "\n  ".join(exc.problems), EXIT_CONFIG)
    host = host or settings.web.host
    port = port or settings.web.port
    log.info("serving on http://%s:%s (env=%s)", host, port, settings.env)
    web.run_app(
        app,
        host=host,
        port=port,
        print=None,
        access_log_format='%a "%r" %s %b %Tf',
        handle_signals=True,
    )
