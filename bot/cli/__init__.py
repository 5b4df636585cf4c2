"""The ``lado`` command line: one entry point for every job the service does.

Each command is imported when it is used: ``lado --help`` lists them from ``COMMANDS``
without importing any (between them they pull in aiohttp, SQLAlchemy, botbuilder and
the web app), so every ``lado`` command starts without loading the others.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

import click

from bot.cli.common import EXIT_CODES_HELP

#: every command: name -> ("module:attribute", the first sentence of its help, which
#: ``lado --help`` shows; tests/bot/test_cli.py checks both against the command itself)
COMMANDS: dict[str, tuple[str, str]] = {
    "audit": (
        "bot.cli.audit:audit",
        "The append-only audit log: verify the hash chain, print its head.",
    ),
    "chat": (
        "bot.cli.chat:chat",
        "Report a concern through the guided conversation, in the terminal.",
    ),
    "db": ("bot.cli.db:db", "Database schema: upgrade it, or show where it is."),
    "demo": ("bot.cli.demo:demo_group", "Fictional demo data (refused in prod)."),
    "export": (
        "bot.cli.report:export",
        "Decided referrals (decided on the dates given) for import into a case-management "
        "system, in the versioned schema of docs/export-schema.md.",
    ),
    "officer": (
        "bot.cli.officer:officer",
        "Officer accounts: add, disable, enable, list, and the first admin.",
    ),
    "poll": (
        "bot.cli.poll:poll",
        "Read the LADO mailbox (LADO_MAIL__SOURCE) and file each email.",
    ),
    "queue": (
        "bot.cli.queue:queue",
        "List queue items in the officer queue's order (urgent first, then the clock).",
    ),
    "report": (
        "bot.cli.report:report",
        "The annual-report tables for any period: contacts by quarter and month, sector, "
        "category, source and channel, outcomes, case duration, timeliness, workload, "
        "conversion, low-level concerns and triage agreement (docs/reports.md).",
    ),
    "serve": (
        "bot.cli.serve:serve",
        "Serve the officer UI, the web chat, the report form, Teams and health checks.",
    ),
    "teams": (
        "bot.cli.teams:teams",
        "Microsoft Teams: the app package, who is who, the duty channel and alerts.",
    ),
    "triage": (
        "bot.cli.triage_cmd:triage_group",
        "Triage text against the statutory harm criteria, with evidence.",
    ),
}


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's commands: the table's, each imported on first use, and any added."""

    def __init__(self, table: Mapping[str, tuple[str, str]]) -> None:
        self.table = table
        self.loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.loaded:
            module, _, attribute = self.table[name][0].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            assert isinstance(command, click.Command)
            self.loaded[name] = command
        return self.loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self.loaded[name]

    def __contains__(self, name: object) -> bool:
        return name in self.loaded or name in self.table

    def __iter__(self) -> Iterator[str]:
        return iter(sorted({*self.table, *self.loaded}))

    def __len__(self) -> int:
        return len({*self.table, *self.loaded})


class LazyGroup(click.Group):
    """A group whose commands are imported when they are used (``LazyCommands``); its
    help lists those not imported yet with the short help from the table."""

    def __init__(
        self, name: str | None = None, *, table: Mapping[str, tuple[str, str]], **kwargs: Any
    ) -> None:
        self.lazy = LazyCommands(table)
        super().__init__(name, commands=self.lazy, **kwargs)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.lazy.loaded.get(name) or click.Command(
                name, help=self.lazy.table[name][1]
            )
            if not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(name, c.get_short_help_str(limit)) for name, c in rows])


@click.group(
    cls=LazyGroup,
    table=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXIT_CODES_HELP,
)
@click.version_option(package_name="lado-intake", prog_name="lado")
def main() -> None:
    """LADO Intake: intake and triage for allegations against adults who work with children.

    Settings come from LADO_* environment variables (and a .env file in the working
    directory); see .env.example for every setting.
    """
