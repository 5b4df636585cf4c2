"""Side flows of the conversation: cancel, start again, and "speak to someone" (a call
back request in the queue). Each takes the engine and the turn in progress."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dialogs import guidance, navigation, prompts, submission
from dialogs import validate as v
from dialogs.script import Choice
from dialogs.state import new_state
from dialogs.turn import Turn
from intake.conversation_records import ACTIVE, CANCELLED

if TYPE_CHECKING:
    from dialogs.engine import Engine


# ---------------------------------------------------------------- cancel, restart


def restart(engine: Engine, turn: Turn) -> None:
    turn_no = turn.state.get("turn", 0)
    # a conversation already queued as incomplete stays tied to that referral: sending
    # the new answers completes it rather than leaving them unsaved
    queued = bool(turn.state.get("queued"))
    turn.state.clear()
    turn.state.update(new_state())
    turn.state["turn"] = turn_no
    turn.state["resume_offered"] = False
    if queued:
        turn.state["queued"] = True
    turn.status = ACTIVE
    turn.say("OK, let's start again.")
    prompts.prompt(turn)


async def confirm_exit(engine: Engine, turn: Turn, text: str) -> None:
    try:
        yes = v.yes_no(text)
    except v.Retry:
        prompts.prompt(turn)
        return
    if not yes:
        navigation.resume_paused(turn, "OK, let's carry on.")
        return
    if turn.state.get("step") == "confirm_restart":
        restart(engine, turn)
        return
    state = turn.state
    state.pop("paused", None)
    if state.get("urgent") and turn.answers.get("what_happened"):
        await submission.submit(engine, turn)
        turn.say(
            "Because you told us a child may be in immediate danger, we have passed what "
            "you told us to the LADO team anyway."
        )
        return
    state["step"] = "cancelled"
    turn.status = CANCELLED
    turn.ended = True
    if state.get("queued"):
        turn.say(
            "You have stopped here. What you told us earlier was already passed to the LADO "
            f"team as an incomplete report ({turn.conversation.reference}); an officer will "
            "still read it. " + guidance.duty_contact(engine.authority)
        )
    else:
        turn.say(
            "Your report has been cancelled and will not be passed to the LADO team. If you "
            "still have a concern, " + guidance.duty_contact(engine.authority),
        )
    turn.choices = [Choice("Start again", "start again")]


# ---------------------------------------------------------------- speak to someone


async def callback(engine: Engine, turn: Turn, text: str) -> None:
    state = turn.state
    step = state.get("step")
    contact = turn.answers.get("referrer_contact", {}).get("v")
    phone = contact.get("phone") if isinstance(contact, dict) else None
    if step == "callback_offer":
        try:
            wanted = v.yes_no(text)
        except v.Retry:
            prompts.prompt(turn)
            return
        if not wanted:
            navigation.resume_paused(turn, "OK.")
            return
        if phone is None:
            state["step"] = "callback_phone"
            prompts.prompt(turn)
            return
        state["callback_phone"] = phone
    elif step == "callback_phone":
        try:
            state["callback_phone"] = v.uk_phone(text)
        except v.Retry as retry:
            turn.say(retry.message)
            return
    elif step == "callback_name":
        try:
            state["callback_name"] = v.text(text, limit=200)
        except v.Retry as retry:
            turn.say(retry.message)
            return
    name = turn.answers.get("referrer_name", {}).get("v") or state.get("callback_name")
    if not name:
        state["step"] = "callback_name"
        prompts.prompt(turn)
        return
    reference = await engine.conversations.request_callback(
        turn.conversation,
        name=str(name),
        phone=str(state["callback_phone"]),
        narrative=str(turn.answers.get("what_happened", {}).get("v") or ""),
        now=turn.now,
    )
    state["callback"] = reference
    navigation.resume_paused(
        turn,
        f"Thank you. We have asked the LADO team to call you on {state['callback_phone']} "
        f"(call-back reference {reference}). Meanwhile, you can carry on with your report.",
    )
