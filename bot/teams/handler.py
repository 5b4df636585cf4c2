"""What the bot does with each Teams activity (no SDK here: ``Inbound`` in, ``Outbound`` out).

- In a **personal chat**, every message is a turn of the same referral conversation as
  the web chat (``dialogs.engine.Engine``, channel ``teams``): the same questions,
  store and triage. The chat remembers its current conversation; "new report" starts
  another once the last one was sent or ended. Card submits (empty text, a ``value``)
  are handed to the engine as structured input.
- In a **team channel or group chat** the bot takes no reports (others would read
  them): it says so, and only answers the duty-channel commands.
- **Duty commands**: "register as duty" / "stop duty alerts" (personal chat, officers
  an administrator has linked) and "register duty channel" / "stop duty channel" (in a
  channel, linked managers and admins).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from bot.teams.activity import INSTALLED, MESSAGE, REMOVED, Inbound, Outbound
from bot.teams.render import render_reply, safe
from dialogs.engine import ConversationNotFound, Engine
from dialogs.reply import Reply
from dialogs.validate import TEXT_LIMIT, normalise
from intake.conversation_records import ACTIVE
from intake.errors import Conflict, Forbidden, Invalid, NotFoundError
from intake.teams import CHANNEL, PERSONAL, Target, TeamsDirectory

log = logging.getLogger(__name__)

DUTY_ON = "duty_on"
DUTY_OFF = "duty_off"
CHANNEL_ON = "channel_on"
CHANNEL_OFF = "channel_off"

COMMANDS = {
    "register as duty": DUTY_ON,
    "register for duty": DUTY_ON,
    "start duty alerts": DUTY_ON,
    "stop duty alerts": DUTY_OFF,
    "unregister as duty": DUTY_OFF,
    "register duty channel": CHANNEL_ON,
    "stop duty channel": CHANNEL_OFF,
    "unregister duty channel": CHANNEL_OFF,
}
NEW_REPORT = ("new report", "report a concern", "start a new report")
#: first messages that only mean "let's begin" (not an answer to keep)
OPENERS = (
    "hi",
    "hello",
    "hey",
    "start",
    "begin",
    "help",
    "report",
    "new report",
    "report a concern",
)

NOT_HERE = (
    "I do not take reports here, because everyone in this conversation could read them. "
    "To report a concern about an adult who works with children, message me in a "
    "private chat. If a child is in immediate danger, call 999."
)
NO_IDENTITY = (
    "Sorry, I can only take reports from signed-in accounts of this organisation. Please "
    "use the web chat or email the LADO team instead."
)
SOMETHING_WRONG = (
    "Sorry, something went wrong on our side. Nothing you sent has been lost. Please send "
    "your last message again."
)


def command_of(text: str) -> str | None:
    words = normalise(text).rstrip(".!")
    return COMMANDS.get(" ".join(words.split()))


def clean_value(value: Any) -> dict[str, Any] | None:
    """The parts of a card submit the engine reads (strings, and a map of answers)."""
    if not isinstance(value, dict):
        return None
    cleaned: dict[str, Any] = {}
    for key, item in list(value.items())[:50]:
        if not isinstance(key, str) or key == "msteams" or len(key) > 60:
            continue
        if isinstance(item, str):
            cleaned[key] = item[:TEXT_LIMIT]
        elif key == "answers" and isinstance(item, dict):
            cleaned[key] = {
                str(k)[:60]: v[:TEXT_LIMIT]
                for k, v in list(item.items())[:50]
                if isinstance(v, str)
            }
    return cleaned or None


class TeamsBot:
    """The Teams channel's behaviour over the dialog engine and the Teams directory."""

    def __init__(self, engine: Engine, directory: TeamsDirectory, *, app_name: str) -> None:
        self.engine = engine
        self.directory = directory
        self.app_name = app_name
        self._locks: dict[str, asyncio.Lock] = {}

    def _lock(self, key: str) -> asyncio.Lock:
        """One turn at a time per Teams conversation (in this process)."""
        if len(self._locks) > 10_000:
            for stale in [k for k, lock in self._locks.items() if not lock.locked()]:
                del self._locks[stale]
        return self._locks.setdefault(key, asyncio.Lock())

    async def __call__(self, inbound: Inbound) -> list[Outbound]:
        if inbound.kind == REMOVED:
            await self.directory.removed(inbound.place.conversation_key)
            log.info("teams: app removed from a %s conversation", inbound.place.kind)
            return []
        if inbound.kind == INSTALLED:
            target = await self.directory.seen(inbound.place)
            log.info("teams: app added to %s conversation %s", target.kind, target.id)
            return [Outbound(text=safe(self._welcome(target)))]
        if inbound.kind != MESSAGE:
            return []
        target = await self.directory.seen(inbound.place)
        command = command_of(inbound.text) if inbound.text else None
        if command is not None:
            return [Outbound(text=safe(await self._duty(command, inbound, target)))]
        if target.kind != PERSONAL:
            return [Outbound(text=safe(NOT_HERE + " " + self._channel_help()))]
        if not inbound.user_aad_id:
            return [Outbound(text=NO_IDENTITY)]
        async with self._lock(target.conversation_key):
            return await self._turn(inbound, target)

    # ------------------------------------------------------------ the referral conversation

    async def _turn(self, inbound: Inbound, target: Target) -> list[Outbound]:
        text = inbound.text.strip()
        value = clean_value(inbound.value)
        if target.dialog_id is None:
            return await self._start(inbound, target, text if value is None else "")
        if not text and value is None:
            return render_reply(await self.engine.current(target.dialog_id))
        if value is None and normalise(text) in NEW_REPORT:
            current = await self.engine.conversations.load(target.dialog_id)
            if current is None or current.status != ACTIVE or current.state.get("step") == "done":
                return await self._start(inbound, target, "")
            text = "start again"
        try:
            reply = await self.engine.handle(target.dialog_id, text, value=value)
        except ConversationNotFound:
            return await self._start(inbound, target, text)
        except Conflict as exc:
            return [Outbound(text=safe(str(exc)))]
        return render_reply(reply)

    async def _start(self, inbound: Inbound, target: Target, text: str) -> list[Outbound]:
        reply = await self.engine.start(channel="teams", user_key=f"aad:{inbound.user_aad_id}")
        await self.directory.set_dialog(target, reply.conversation_id)
        log.info("teams: conversation %s started in chat %s", reply.conversation_id, target.id)
        out = render_reply(reply)
        if text and normalise(text).rstrip(".!") not in OPENERS:
            # the first message already says something: keep it as the first answer
            follow: Reply = await self.engine.handle(reply.conversation_id, text)
            out.extend(render_reply(follow))
        return out

    # ------------------------------------------------------------ duty commands

    async def _duty(self, command: str, inbound: Inbound, target: Target) -> str:
        try:
            if command in (DUTY_ON, DUTY_OFF):
                on = command == DUTY_ON
                await self.directory.set_duty(inbound.user_aad_id, target, on=on)
                log.info("teams: an officer went %s duty", "on" if on else "off")
                if on:
                    return (
                        "You are on duty. Urgent items will be posted here as they arrive "
                        "(the reference and a link only). Type “stop duty alerts” when your "
                        "duty ends."
                    )
                return "You will no longer receive duty alerts here."
            on = command == CHANNEL_ON
            await self.directory.set_duty_channel(inbound.user_aad_id, target, on=on)
            log.info("teams: channel %s duty channel %s", target.id, "set" if on else "cleared")
            if on:
                return (
                    "This channel is now the LADO duty channel: urgent items will be posted "
                    "here as they arrive (the reference and a link only)."
                )
            return "This channel will no longer receive duty alerts."
        except (Forbidden, NotFoundError) as exc:
            return str(exc)
        except Invalid as exc:
            return " ".join(exc.problems)

    # ------------------------------------------------------------ words

    def _channel_help(self) -> str:
        return (
            "A LADO manager or administrator can make this channel the duty channel by "
            f"typing “@{self.app_name} register duty channel”."
        )

    def _welcome(self, target: Target) -> str:
        if target.kind == CHANNEL or target.kind != PERSONAL:
            return "Thank you for adding me. " + NOT_HERE + " " + self._channel_help()
        return (
            f"Hello. I am the {self.engine.authority.service_name} of "
            f"{self.engine.authority.name}. I can take a report of a concern about an adult "
            "who works or volunteers with children: say hello, or tell me what happened, "
            "to begin. If a child is in immediate danger, call 999.\n\n"
            "LADO officers: once an administrator has linked your Teams account, type "
            "“register as duty” to receive urgent alerts here."
        )
