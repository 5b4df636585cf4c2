"""Check your answers, send the report into the queue, and what follows once it is sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dialogs import answering, guidance, navigation, prompts
from dialogs import commands as cmd
from dialogs import validate as v
from dialogs.script import Choice
from dialogs.state import draft_of
from dialogs.turn import Turn
from intake.conversation_records import SUBMITTED

if TYPE_CHECKING:
    from dialogs.engine import Engine


async def confirm(engine: Engine, turn: Turn, text: str) -> None:
    command = cmd.command_of(text)
    words = v.normalise(text)
    if (command is not None and command.name == cmd.SUBMIT) or words in ("yes", "y"):
        await submit(engine, turn)
        return
    if words in ("no", "n"):
        navigation.change(turn, "")
        return
    turn.say(
        "If everything is right, choose “Send report”. To change an answer, type “change” "
        "and the question."
    )
    turn.choices = [Choice("Send report", "submit"), Choice("Change an answer", "change")]


async def submit(engine: Engine, turn: Turn) -> None:
    state = turn.state
    state["step"] = "submitting"
    pending = engine.conversations.prepare_resume_code()
    try:
        await engine.checkpoint(turn)
        outcome = await engine.conversations.submit(
            turn.conversation,
            draft_of(state, turn.conversation),
            complete_existing=bool(state.get("queued")),
        )
    except BaseException:
        pending.discard()
        raise
    code = await pending.issue(turn.conversation)
    state["step"] = "done"
    state["current"] = None
    state["reference"] = outcome.reference
    state["queued"] = False
    turn.status = SUBMITTED
    turn.referral_id = outcome.referral_id
    turn.resume_code = code
    turn.done = True
    turn.say(
        *guidance.after_submit(
            reference=outcome.reference,
            resume_code=code,
            suggestion="URGENT"
            if state.get("urgent") or outcome.immediate_danger
            else outcome.suggestion,
            missing=list(outcome.missing),
            authority=engine.authority,
        )
    )


async def after_done(engine: Engine, turn: Turn, text: str) -> None:
    command = cmd.command_of(text)
    reference = turn.state.get("reference")
    turn.done = True
    if cmd.signals_danger(text):
        await answering.emergency(engine, turn)
    if command is not None and command.name == cmd.SPEAK:
        turn.say(guidance.speak_to_someone(engine.authority))
    elif command is not None and command.name == cmd.RESTART:
        turn.say(
            f"Your report {reference} has been sent. To report a different concern, "
            "start a new conversation."
        )
    elif command is not None and command.name in (cmd.HELP, cmd.WHY):
        turn.say(
            f"Your report {reference} has been sent. Anything you type here is added to it "
            "for the officer. " + guidance.duty_contact(engine.authority)
        )
    elif text:
        turn.say(f"Thank you. We have added that to your report {reference}.")
    else:
        prompts.prompt(turn)
