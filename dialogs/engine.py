"""The guided referral conversation: a channel-neutral engine over the referral script.

Channels call three methods and render the ``Reply`` they get back:

- ``start(channel=...)`` opens a conversation and returns the opening turn;
- ``handle(conversation_id, text, value=None)`` takes one message (typed text, a
  quick-reply value, or a structured submit such as an Adaptive Card's ``value``)
  and returns the bot's turn;
- ``resume(reference, code)`` reopens a conversation exactly where it was.

The flow: the immediate-danger question first, then "tell us what happened" in
free text, which is triaged to pre-fill what it already says; then only the
essential details still missing; then check-your-answers with a way to change any
answer; then the report goes into the queue and the referrer gets the reference,
a resume code, plain-English guidance and the duty contact details.

Every inbound message is stored before it is processed; the state (JSON) and the
reply are stored together before the reply is returned (see ``intake.conversations``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import Any

from dialogs import answering, flows, guidance, navigation, prompts, submission
from dialogs import commands as cmd
from dialogs import validate as v
from dialogs.reply import Reply
from dialogs.script import SLOT_BY_KEY, Choice
from dialogs.state import new_state
from dialogs.turn import Turn
from intake.config import AuthoritySettings
from intake.conversation_records import (
    ABANDONED,
    ACTIVE,
    CANCELLED,
    EXPIRED,
    QUEUEING,
    SUBMITTED,
    Conversation,
)
from intake.conversations import Conversations
from intake.errors import Conflict, IntakeError

log = logging.getLogger(__name__)


class ConversationNotFound(IntakeError):
    """No conversation has that id."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Engine:
    """The referral conversation over a ``Conversations`` store (see the module docstring)."""

    def __init__(
        self,
        conversations: Conversations,
        authority: AuthoritySettings,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.conversations = conversations
        self.authority = authority
        self.clock = clock

    # ------------------------------------------------------------ public API

    async def start(
        self, *, channel: str, user_key: str | None = None, now: dt.datetime | None = None
    ) -> Reply:
        """Open a conversation; the reply is the welcome and the first question."""
        now = now or self.clock()
        state = new_state()
        conversation = await self.conversations.create(
            channel=channel, state=state, user_key=user_key, now=now
        )
        turn = Turn(conversation, state, now)
        turn.say(self._welcome())
        prompts.prompt(turn)
        return await self._finish(turn)

    async def handle(
        self,
        conversation_id: str,
        text: str = "",
        *,
        value: Mapping[str, Any] | None = None,
        now: dt.datetime | None = None,
        authorise: Callable[[Conversation], None] | None = None,
    ) -> Reply:
        """One message from the person: typed text, a quick-reply value sent as text, or a
        structured ``value`` (see docs/dialogs.md). Returns the bot's turn.

        ``authorise`` (optional) sees the conversation before anything is stored and may
        raise to refuse the message (the web chat checks its token there)."""
        now = now or self.clock()
        text = text if isinstance(text, str) else ""
        text, structured = self._input(text, value)
        record = text if text else _describe(structured)
        conversation = await self.conversations.receive(
            conversation_id, record, now=now, check=authorise
        )
        if conversation is None:
            raise ConversationNotFound("There is no conversation with that reference.")
        if conversation.status == QUEUEING:
            raise Conflict("One moment: your report is being saved. Please send that again.")
        state = dict(conversation.state) or new_state()
        state["turn"] = int(state.get("turn", 0)) + 1
        turn = Turn(conversation, state, now)
        await self._process(turn, text, structured)
        return await self._finish(turn)

    async def resume(
        self, reference: str, code: str, *, now: dt.datetime | None = None
    ) -> Reply | None:
        """Reopen a conversation by its reference (``CH-…`` or ``LADO-…``) and resume code;
        None when they do not match. The reply repeats where the person was."""
        now = now or self.clock()
        conversation = await self.conversations.find_for_resume(reference, code)
        if conversation is None:
            return None
        state = dict(conversation.state)
        state["turn"] = int(state.get("turn", 0)) + 1
        turn = Turn(conversation, state, now)
        if conversation.status == ABANDONED:
            self._welcome_back_queued(turn)
        elif conversation.status == SUBMITTED:
            turn.say(
                f"Welcome back. Your report {conversation.reference} has been sent to the LADO "
                "team. You can add anything else here and it will be added to your report."
            )
            turn.done = True
        else:
            turn.say("Welcome back. Here is where you were.")
            prompts.prompt(turn)
        return await self._finish(turn)

    async def current(self, conversation_id: str) -> Reply:
        """The current question again, without changing anything (e.g. after a reload)."""
        conversation = await self.conversations.load(conversation_id)
        if conversation is None:
            raise ConversationNotFound("There is no conversation with that reference.")
        turn = Turn(conversation, dict(conversation.state), self.clock())
        prompts.prompt(turn)
        return self._reply(turn, conversation)

    # ------------------------------------------------------------ saving

    async def _finish(self, turn: Turn) -> Reply:
        answers = turn.state.get("answers", {})
        has_concern = bool(answers.get("what_happened", {}).get("v"))
        conversation = await self.conversations.save(
            turn.conversation,
            state=turn.state,
            outbound=turn.transcript(),
            turn=int(turn.state.get("turn", 0)),
            now=turn.now,
            status=turn.status,
            has_concern=has_concern,
            referral_id=turn.referral_id,
            flags={"step": str(turn.state.get("step")), "urgent": bool(turn.urgent_now)},
        )
        return self._reply(turn, conversation)

    async def checkpoint(self, turn: Turn) -> None:
        """Save the state mid-turn (before a side effect such as submitting)."""
        turn.conversation = await self.conversations.save(
            turn.conversation,
            state=turn.state,
            outbound=None,
            turn=int(turn.state.get("turn", 0)),
            now=turn.now,
        )

    def _reply(self, turn: Turn, conversation: Conversation) -> Reply:
        state = turn.state
        step = str(state.get("step"))
        return Reply(
            conversation_id=conversation.id,
            turn=int(state.get("turn", 0)),
            messages=list(turn.messages),
            choices=list(turn.choices),
            summary=list(turn.summary),
            done=turn.done or step == "done",
            reference=state.get("reference") or conversation.reference,
            resume_code=turn.resume_code,
            urgent=turn.urgent_now,
            step=step,
            expects=state.get("current") if step == "ask" else None,
            ended=turn.ended,
        )

    # ------------------------------------------------------------ input

    def _input(self, text: str, value: object) -> tuple[str, dict[str, Any] | None]:
        """Typed text, or a structured value: {"choice": v}, {"command": c, "key": k},
        {"answers": {key: text}}."""
        if not value:
            return text.strip(), None
        if not isinstance(value, Mapping):
            return text.strip(), {"invalid": True}
        if isinstance(value.get("choice"), str):
            return value["choice"].strip(), None
        command = value.get("command")
        if isinstance(command, str):
            key = value.get("key")
            words = f"{command} {key}" if isinstance(key, str) and key else command
            return words.strip(), None
        answers = value.get("answers")
        if isinstance(answers, Mapping) and all(
            isinstance(k, str) and isinstance(a, str) for k, a in answers.items()
        ):
            return "", {"answers": dict(answers)}
        if isinstance(value.get("text"), str):
            return value["text"].strip(), None
        return text.strip(), {"invalid": True}

    # ------------------------------------------------------------ the flow

    async def _process(self, turn: Turn, text: str, structured: dict[str, Any] | None) -> None:
        state = turn.state
        status = turn.conversation.status
        if status in (EXPIRED, CANCELLED) or state.get("step") == "cancelled":
            command = cmd.command_of(text)
            if command is not None and command.name == cmd.RESTART:
                flows.restart(self, turn)
                return
            turn.say(
                "This report was cancelled or has ended, and nothing more will be added to it. "
                "Type “start again” to start a new report.",
                guidance.duty_contact(self.authority),
            )
            turn.choices = [Choice("Start again", "start again")]
            turn.ended = True
            return
        if status == ABANDONED:
            self._welcome_back_queued(turn, prompt=False)
        if structured is not None and structured.get("invalid"):
            turn.say("Sorry, I could not read that. Please type your answer.")
            prompts.prompt(turn)
            return
        if len(text) > v.TEXT_LIMIT:
            turn.say(
                f"That message is {len(text):,} characters long; the limit is "
                f"{v.TEXT_LIMIT:,}. Please shorten it, or send it in parts."
            )
            prompts.prompt(turn)
            return
        step = state.get("step")
        if step == "done":
            await submission.after_done(self, turn, text)
            return
        if text and not state.get("urgent") and cmd.signals_danger(text):
            await answering.emergency(self, turn)
            current = state.get("current")
            news = step == "confirm" or (
                step == "ask" and current not in ("what_happened", "immediate_danger")
            )
            if news:
                # the message is news, not an answer: add it to the account, then carry on
                account = turn.answers.get("what_happened")
                if account is not None:
                    account["v"] = f"{account['v']}\n\n{text}"[: v.TEXT_LIMIT]
                    account["d"] = account["v"]
            if step == "confirm":
                prompts.advance(turn)  # the few urgent questions left, or the answers again
                return
            if news:
                slot = SLOT_BY_KEY.get(str(current))
                if slot is not None and slot.urgent and current not in turn.answers:
                    prompts.ask(turn, slot, again=True)
                else:
                    prompts.advance(turn)
                return
        if structured is not None and "answers" in structured:
            await answering.many_answers(self, turn, structured["answers"])
            return
        command = cmd.command_of(text)
        if command is not None and await navigation.handle_command(self, turn, command):
            return
        if step == "ask":
            await answering.answer(self, turn, text)
        elif step == "confirm":
            await submission.confirm(self, turn, text)
        elif step in ("confirm_cancel", "confirm_restart"):
            await flows.confirm_exit(self, turn, text)
        elif step in ("callback_offer", "callback_phone", "callback_name"):
            await flows.callback(self, turn, text)
        elif step == "submitting":
            await submission.submit(self, turn)
        else:
            prompts.prompt(turn)

    def _welcome(self) -> str:
        return (
            f"Welcome to the {self.authority.service_name} of {self.authority.name}. Use this "
            "to report a concern about an adult who works or volunteers with children. It "
            "usually takes about 10 minutes. Type “help” at any time to see what you can "
            "do, or “speak to someone” to talk to the duty team."
        )

    def _welcome_back_queued(self, turn: Turn, *, prompt: bool = True) -> None:
        state = turn.state
        reference = turn.conversation.reference
        state["queued"] = True
        state["reference"] = None
        turn.status = ACTIVE
        turn.say(
            "Welcome back. Because you were away for a while, we passed what you had told us "
            f"to the LADO team as an incomplete report (reference {reference}). "
            "You can carry on answering to complete it."
        )
        if prompt:
            prompts.prompt(turn)


def _describe(structured: Mapping[str, Any] | None) -> str:
    """A readable transcript line for a structured submit (never a raw dump)."""
    if not structured:
        return ""
    answers = structured.get("answers")
    if isinstance(answers, Mapping):
        return "\n".join(
            f"{SLOT_BY_KEY[k].title if k in SLOT_BY_KEY else k}: {a}" for k, a in answers.items()
        )
    return "[a form the channel could not read]"


__all__ = ["ConversationNotFound", "Engine"]
