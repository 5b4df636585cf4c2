"""``lado chat``: the guided referral conversation in a terminal, and the abandonment sweep."""

from __future__ import annotations

import sys
from typing import Any

import click

from bot.cli.common import EXIT_NOT_FOUND, fail, load_settings, print_json, with_database
from dialogs.engine import Engine
from dialogs.reply import Reply
from dialogs.sweep import sweep as run_sweep
from intake.conversations import Conversations
from intake.triager import ThreadTriager
from store.engine import Database
from store.types import utcnow


def _line(reply: Reply) -> dict[str, Any]:
    return {
        "text": reply.text,
        "choices": [{"label": c.label, "value": c.value} for c in reply.choices],
        "done": reply.done,
        "reference": reply.reference,
        "conversation_id": reply.conversation_id,
        "expects": reply.expects,
        "resume_code": reply.resume_code,
        "urgent": reply.urgent,
    }


def _show(reply: Reply, as_json: bool) -> None:
    if as_json:
        print_json(_line(reply))
        return
    click.echo("")
    click.echo(reply.text)
    if reply.choices:
        click.echo("  " + "   ".join(f"[{i}] {c.label}" for i, c in enumerate(reply.choices, 1)))
    click.echo("")


def _pick(text: str, reply: Reply) -> str:
    """In a terminal, a number picks one of the listed choices."""
    stripped = text.strip()
    if stripped.isdigit() and reply.choices and 1 <= int(stripped) <= len(reply.choices):
        return reply.choices[int(stripped) - 1].value
    return text


@click.group(invoke_without_command=True)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print exactly one JSON line per bot turn: the opening turn, then one after each "
    'line of input ({"text", "choices", "done", "reference", ...}).',
)
@click.option("--resume", "reference", help="Carry on a saved report (CH-… or LADO-… reference).")
@click.option("--code", help="The resume code that goes with --resume.")
@click.pass_context
def chat(ctx: click.Context, as_json: bool, reference: str | None, code: str | None) -> None:
    """Report a concern through the guided conversation, in the terminal.

    Each line you type is one message; type "help" for what you can say. With --json a
    script can drive it: send one line, read one JSON line back. The report goes into
    the same queue, through the same triage, as the web chat.
    """
    if ctx.invoked_subcommand is not None:
        return
    if bool(reference) != bool(code):
        fail("--resume and --code go together", 2)
    settings = load_settings()

    async def go(database: Database) -> None:
        engine = Engine(
            Conversations(database, ThreadTriager(), actor="terminal"), settings.authority
        )
        if reference and code:
            reply = await engine.resume(reference, code)
            if reply is None:
                fail(
                    "that reference and code do not match a report that can be reopened",
                    EXIT_NOT_FOUND,
                )
        else:
            reply = await engine.start(channel="chat", user_key="terminal")
        _show(reply, as_json)
        for raw in sys.stdin:
            text = raw.rstrip("\n")
            if not as_json:
                text = _pick(text, reply)
            reply = await engine.handle(reply.conversation_id, text)
            _show(reply, as_json)

    with_database(go, settings)


@chat.command("sweep")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
def sweep(as_json: bool) -> None:
    """Queue idle conversations that hold a concern as incomplete referrals; expire empty ones.

    The service does this every LADO_CHAT__SWEEP_SECONDS; run this from a timer when that
    is 0. Idle means LADO_CHAT__IDLE_MINUTES without a message (LADO_CHAT__URGENT_IDLE_MINUTES
    when a child may be in danger).
    """
    settings = load_settings()

    async def go(database: Database) -> dict[str, object]:
        conversations = Conversations(database, ThreadTriager(), actor="sweep")
        report = await run_sweep(conversations, settings.chat, now=utcnow())
        return report.as_dict()

    result = with_database(go, settings)
    if as_json:
        print_json(result)
    else:
        queued = result["queued"]
        assert isinstance(queued, list)
        click.echo(
            f"{len(queued)} queued as incomplete"
            + (f" ({', '.join(queued)})" if queued else "")
            + f", {result['expired']} expired"
        )
