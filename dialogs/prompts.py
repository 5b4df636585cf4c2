"""What the person is asked: the next question, a question again, the step they are at,
and the check-your-answers summary. Each works on the turn alone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs.reply import SummaryItem
from dialogs.script import GROUPS, SLOT_BY_KEY, SLOTS, Choice, Slot
from dialogs.state import facts
from dialogs.turn import Turn


def next_slot(state: Mapping[str, Any]) -> Slot | None:
    answers = state.get("answers", {})
    known = facts(state)
    for slot in SLOTS:
        if slot.key in answers or not slot.applies(known):
            continue
        if state.get("urgent") and not slot.urgent:
            continue
        return slot
    return None


def advance(turn: Turn) -> None:
    slot = next_slot(turn.state)
    if slot is None:
        show_summary(turn)
        return
    ask(turn, slot)


def ask(turn: Turn, slot: Slot, *, again: bool = False) -> None:
    state = turn.state
    state["step"] = "ask"
    state["current"] = slot.key
    history: list[str] = state.setdefault("history", [])
    if slot.key in history:
        history.remove(slot.key)
    history.append(slot.key)
    existing = turn.answers.get(slot.key)
    text = slot.prompt
    if existing is not None and not again:
        text += f"\n(Your answer so far: {existing.get('d')}.)"
    turn.say(text)
    turn.choices = list(slot.choices)
    if existing is not None:
        turn.choices = [Choice(f"Keep: {existing.get('d')}"[:60], "keep"), *turn.choices]


def prompt(turn: Turn) -> None:
    """Repeat what the person is being asked now."""
    state = turn.state
    step = state.get("step")
    if step == "ask":
        slot = SLOT_BY_KEY.get(str(state.get("current")))
        if slot is None:
            advance(turn)
        else:
            ask(turn, slot, again=True)
    elif step == "confirm":
        show_summary(turn)
    elif step == "confirm_cancel":
        turn.say("Do you want to cancel this report?")
        turn.choices = [Choice("Yes, cancel", "yes"), Choice("No, carry on", "no")]
    elif step == "confirm_restart":
        turn.say("Do you want to start again? Your answers so far will be cleared.")
        turn.choices = [Choice("Yes, start again", "yes"), Choice("No, carry on", "no")]
    elif step == "callback_offer":
        turn.say("Would you like the LADO team to call you back?")
        turn.choices = [Choice("Yes, call me back", "yes"), Choice("No, carry on", "no")]
    elif step == "callback_phone":
        turn.say("What phone number should we call you on?")
        turn.choices = [Choice("No call back", "cancel")]
    elif step == "callback_name":
        turn.say("And what is your name?")
    elif step == "done":
        turn.done = True
        turn.say(
            f"Your report {state.get('reference')} has been sent. You can add anything "
            "else here and it will be added to your report."
        )
    elif step == "cancelled":
        turn.ended = True
        turn.say("This report was cancelled. Type “start again” to start a new report.")
        turn.choices = [Choice("Start again", "start again")]
    else:
        advance(turn)


def summary(turn: Turn) -> list[SummaryItem]:
    known = facts(turn.state)
    items = []
    for slot in SLOTS:
        answer = turn.answers.get(slot.key)
        if answer is None or not slot.applies(known):
            continue
        items.append(
            SummaryItem(
                key=slot.key,
                label=slot.title,
                answer=str(answer.get("d")),
                group=GROUPS.get(slot.group, slot.group),
                change=f"change {slot.key}",
                change_value={"command": "change", "key": slot.key},
                source=str(answer.get("s", "told")),
            )
        )
    return items


def show_summary(turn: Turn) -> None:
    state = turn.state
    state["step"] = "confirm"
    state["current"] = None
    turn.summary = summary(turn)
    lines = ["Please check your answers before you send the report:"]
    group = None
    for item in turn.summary:
        if item.group != group:
            group = item.group
            lines.append(f"\n{group}")
        lines.append(f"• {item.label}: {item.answer}")
    lines.append(
        "\nTo change an answer, type “change” and the question (like “change the adult's "
        "name”). If everything is right, choose “Send report”."
    )
    turn.say("\n".join(lines))
    turn.choices = [Choice("Send report", "submit"), Choice("Change an answer", "change")]
