"""Words that work at any step ("help", "why", "back", "change …", "don't know",
"cancel", "start again", "speak to someone", "save"), and moving between questions."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from dialogs import answering, guidance, prompts
from dialogs import commands as cmd
from dialogs import validate as v
from dialogs.script import SLOT_BY_KEY, SLOTS, Choice, Slot
from dialogs.state import facts
from dialogs.turn import Turn

if TYPE_CHECKING:
    from dialogs.engine import Engine


#: the answer to "help", at any step
HELP_TEXT = (
    "You can type:\n"
    "• “why” – why we ask this question\n"
    "• “back” – go back to the previous question\n"
    "• “change” and the answer, like “change the adult's name”\n"
    "• “don't know” or “skip” – if you do not know (not for your own name and "
    "contact details)\n"
    "• “save” – get a reference and code to come back later\n"
    "• “speak to someone” – the duty line, or ask for a call back\n"
    "• “cancel” or “start again”\n"
    "If a child is in immediate danger, call 999."
)


async def handle_command(engine: Engine, turn: Turn, command: cmd.Command) -> bool:
    """Handle a global command; False when the step should treat it as an answer."""
    state = turn.state
    step = state.get("step")
    name = command.name
    if step in ("confirm_cancel", "confirm_restart", "callback_offer") and name not in (
        cmd.HELP,
        cmd.SPEAK,
    ):
        return False
    if step in ("callback_phone", "callback_name") and name in (cmd.SKIP, cmd.CANCEL):
        resume_paused(turn, "OK, no call back for now.")
        return True
    if name == cmd.HELP:
        turn.say(HELP_TEXT)
        prompts.prompt(turn)
    elif name == cmd.WHY:
        slot = SLOT_BY_KEY.get(str(state.get("current"))) if step == "ask" else None
        turn.say(
            slot.why
            if slot
            else "We ask only what the LADO team needs to decide what should happen next, "
            "so that you are not contacted for the same details again."
        )
        prompts.prompt(turn)
    elif name == cmd.BACK:
        back(turn)
    elif name == cmd.CHANGE:
        change(turn, command.argument)
    elif name == cmd.SKIP:
        if step != "ask":
            return False
        await answering.skip(engine, turn)
    elif name == cmd.KEEP:
        if step != "ask" or str(state.get("current")) not in turn.answers:
            return False
        prompts.advance(turn)
    elif name == cmd.CANCEL:
        pause(turn, "confirm_cancel")
        turn.say(
            "Do you want to cancel this report? Nothing you have told us will be passed "
            "to the LADO team."
        )
        turn.choices = [Choice("Yes, cancel", "yes"), Choice("No, carry on", "no")]
    elif name == cmd.RESTART:
        pause(turn, "confirm_restart")
        prompts.prompt(turn)
    elif name == cmd.SPEAK:
        turn.say(guidance.speak_to_someone(engine.authority))
        if state.get("callback"):
            turn.say(
                f"We have already asked the team to call you back (reference {state['callback']})."
            )
            prompts.prompt(turn)
        else:
            if not str(step).startswith("callback"):
                pause(turn, "callback_offer")
            state["step"] = "callback_offer"
            prompts.prompt(turn)
    elif name == cmd.SAVE:
        if not turn.answers.get("what_happened"):
            turn.say(
                "There is nothing to save yet. Once you have told us what happened, you "
                "can save and come back later."
            )
        else:
            code = await engine.conversations.issue_resume_code(turn.conversation)
            turn.resume_code = code
            turn.say(
                f"Saved. To come back later, use your reference {turn.conversation.id} and "
                f"code {code} (this replaces any earlier code). Keep them safe: we cannot "
                f"show the code again. If you do not come back within "
                "a while, we pass what you have told us to the LADO team as an incomplete "
                "report."
            )
        prompts.prompt(turn)
    elif name == cmd.SUBMIT:
        return False
    return True


def pause(turn: Turn, step: str) -> None:
    state = turn.state
    if state.get("step") not in ("confirm_cancel", "confirm_restart") and not str(
        state.get("step")
    ).startswith("callback"):
        state["paused"] = {"step": state.get("step"), "current": state.get("current")}
    state["step"] = step


def resume_paused(turn: Turn, message: str) -> None:
    state = turn.state
    paused = state.pop("paused", None) or {"step": "ask", "current": None}
    state["step"] = paused.get("step") or "ask"
    state["current"] = paused.get("current")
    turn.say(message)
    prompts.prompt(turn)


def back(turn: Turn) -> None:
    state = turn.state
    history: list[str] = state.get("history", [])
    step = state.get("step")
    if step == "confirm":
        target = history[-1] if history else None
    elif step == "ask":
        current = str(state.get("current"))
        index = history.index(current) if current in history else len(history)
        target = history[index - 1] if index > 0 else None
    else:
        resume_paused(turn, "OK.")
        return
    if target is None or target not in SLOT_BY_KEY:
        turn.say("This is the first question.")
        prompts.prompt(turn)
        return
    if step == "ask" and str(state.get("current")) in history:
        history.remove(str(state.get("current")))
    prompts.ask(turn, SLOT_BY_KEY[target])


def changeable(turn: Turn) -> list[Slot]:
    known = facts(turn.state)
    return [s for s in SLOTS if s.key in turn.answers and s.applies(known)]


def change(turn: Turn, argument: str) -> None:
    if turn.state.get("step") not in ("ask", "confirm"):
        prompts.prompt(turn)
        return
    candidates = changeable(turn)
    slot = match_slot(argument, candidates) if argument else None
    if slot is None:
        turn.say(
            "Which answer would you like to change?"
            if not argument
            else "I could not tell which answer you mean. Which one would you like to change?"
        )
        turn.choices = [Choice(s.title, f"change {s.key}") for s in candidates]
        return
    prompts.ask(turn, slot)


def match_slot(argument: str, slots: list[Slot]) -> Slot | None:
    words = v.normalise(argument).replace("'s", "").replace("’s", "")
    words = re.sub(r"\b(the|my|a|an|answer|to|about|of|for)\b", " ", words)
    tokens = set(words.split())
    if not tokens:
        return None
    for slot in slots:
        if words.strip() in (slot.key, slot.key.replace("_", " ")):
            return slot
    best: tuple[int, Slot] | None = None
    for slot in slots:
        title = set(
            re.sub(r"[^a-z ]", " ", slot.title.lower().replace("'s", "")).split()
            + slot.key.split("_")
        )
        score = len(tokens & title)
        if score and (best is None or score > best[0]):
            best = (score, slot)
    return best[1] if best else None
