"""``lado poll``: read the LADO mailbox and turn each email into a triaged queue item."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from typing import Any

import click

from bot import logs
from bot.cli.common import (
    EXIT_CONFIG,
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_UNAVAILABLE,
    fail,
    load_settings,
    print_json,
    with_database,
)
from bot.mail import local_triager
from bot.settings import Settings, UnsafeSettings
from intake.mail.build import MailNotConfigured, build_poller, mailbox_address
from intake.mail.outcomes import PassResult
from intake.mail.poller import Poller
from intake.mail.source import SourceError
from store.engine import Database
from store.repo import mail as mail_repo
from store.types import utcnow

log = logging.getLogger(__name__)


def _stop_on_signals(poller: Poller) -> None:
    """SIGTERM / Ctrl-C: finish the current message, then stop."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        # event loops without signal support (Windows' proactor loop raises
        # NotImplementedError, a loop outside the main thread RuntimeError): Ctrl-C still
        # interrupts, only the graceful finish of the current message is lost
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, poller.stop.set)


async def _once(poller: Poller, *, progress: bool, wait: float) -> PassResult:
    """One pass; a progress bar on stderr once a backlog of 20 or more shows up."""
    bars: list[Any] = []
    with contextlib.ExitStack() as stack:

        def on_item(outcome: str) -> None:
            if not progress:
                return
            if not bars:
                total = (poller.waiting or 0) + 1
                if total < 20:
                    return
                bar: Any = click.progressbar(length=total, label="mail", file=sys.stderr)
                bars.append(stack.enter_context(bar))
            bars[0].update(1)

        return await poller.run_once(on_item=on_item, wait_for_lock=wait)


async def _check(settings: Settings, database: Database, as_json: bool) -> int:
    mailbox = mailbox_address(settings.mail, settings.authority)
    async with database.session() as session:
        cursor = await mail_repo.get_cursor(session, mailbox=mailbox)
        counts = await mail_repo.counts(session, mailbox=mailbox)
    now = utcnow()
    age = (now - cursor.heartbeat_at).total_seconds() if cursor and cursor.heartbeat_at else None
    stale = age is None or age > settings.mail.heartbeat_stale_seconds
    record = {
        "mailbox": mailbox,
        "source": cursor.source if cursor else None,
        "heartbeat_age_seconds": round(age, 1) if age is not None else None,
        "stale": stale,
        "lock_owner": cursor.lock_owner if cursor else None,
        "lock_expires_at": cursor.lock_expires_at if cursor else None,
        "last_error": cursor.last_error if cursor else None,
        "messages_in": counts.get("in", 0),
        "messages_out": counts.get("out", 0),
    }
    if as_json:
        print_json(record)
    elif stale:
        click.echo(
            f"stale: last heartbeat {'never' if age is None else f'{age:.0f}s ago'} "
            f"(limit {settings.mail.heartbeat_stale_seconds}s)",
            err=True,
        )
    else:
        click.echo(f"ok: heartbeat {age:.0f}s ago; {counts.get('in', 0)} emails stored")
    return EXIT_FAILURE if stale else EXIT_OK


@click.command()
@click.option("--once", is_flag=True, help="Process what is waiting, then exit.")
@click.option(
    "--check",
    is_flag=True,
    help="Exit 1 when the poller's heartbeat is older than LADO_MAIL__HEARTBEAT_STALE_SECONDS.",
)
@click.option(
    "--wait-for-lock",
    type=click.FloatRange(0, 3600),
    default=None,
    help="With --once: how long to wait for another poller's lock (default: the lock time).",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary (one line).")
def poll(once: bool, check: bool, wait_for_lock: float | None, as_json: bool) -> None:
    """Read the LADO mailbox (LADO_MAIL__SOURCE) and file each email.

    Each email is stored first, then triaged into a new referral, threaded into the
    referral it answers, or filed as automatic mail or "could not process"; an
    acknowledgement with the reference goes back to people (never to auto-replies,
    bounces, lists or ourselves); then the email is moved out of the inbox.

    Without --once, polls every LADO_MAIL__INTERVAL_SECONDS with exponential back-off
    after errors and a heartbeat. SIGTERM finishes the current email, then exits. Only
    one poller works a mailbox at a time (a database lock that expires if it dies).
    """
    settings = load_settings()
    logs.configure(settings.log_level, settings.log_format)
    try:
        settings.check()
    except UnsafeSettings as exc:
        fail("refusing to start in prod:\n  " + "\n  ".join(exc.problems), EXIT_CONFIG)

    async def go(database: Database) -> int:
        if check:
            return await _check(settings, database, as_json)
        try:
            poller = build_poller(
                database,
                settings.mail,
                settings.authority,
                base_url=settings.base_url,
                triager=local_triager(),
            )
        except MailNotConfigured as exc:
            fail("mail is not configured:\n  " + "\n  ".join(exc.problems), EXIT_CONFIG)
        _stop_on_signals(poller)
        if not once:
            try:
                await poller.run_forever()
            finally:
                await poller.close()
            return EXIT_OK
        wait = settings.mail.lock_seconds + 1 if wait_for_lock is None else wait_for_lock
        try:
            result = await _once(poller, progress=not as_json, wait=wait)
        except SourceError as exc:
            fail(f"mailbox unreachable: {exc}", EXIT_UNAVAILABLE)
        finally:
            await poller.close()
        summary = result.as_dict()
        if as_json:
            print_json(summary)
        else:
            click.echo(
                ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in summary.items() if v)
                or "nothing waiting",
                err=True,
            )
        if result.locked_out:
            click.echo("lado: another poller holds the mailbox lock", err=True)
            return EXIT_FAILURE
        return EXIT_OK

    raise SystemExit(with_database(go, settings))
