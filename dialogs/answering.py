"""Reading answers: one typed answer, several at once (a structured submit), "don't
know", the account of what happened (triaged to pre-fill the details it gives), and the
immediate-danger interrupt."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from dialogs import commands as cmd
from dialogs import guidance, prompts
from dialogs import validate as v
from dialogs.script import SLOT_BY_KEY, UNKNOWN, Reading, Slot
from dialogs.state import draft_of, facts
from dialogs.turn import Turn

if TYPE_CHECKING:
    from dialogs.engine import Engine


def reading(engine: Engine, turn: Turn) -> Reading:
    return Reading(
        at=turn.now,
        resolve=lambda text, at: engine.conversations.resolve_date(text, at=at),
    )


async def answer(engine: Engine, turn: Turn, text: str) -> None:
    slot = SLOT_BY_KEY[str(turn.state.get("current"))]
    try:
        value, display = slot.read(text, reading(engine, turn))
    except v.Retry as retry:
        turn.say(retry.message)
        turn.choices = list(slot.choices)
        return
    await store_answer(engine, turn, slot, value, display, "told")
    prompts.advance(turn)


async def store_answer(
    engine: Engine, turn: Turn, slot: Slot, value: Any, display: str, source: str
) -> None:
    turn.answers[slot.key] = {"v": value, "d": display, "s": source}
    if slot.key == "immediate_danger":
        if value is True and not turn.state.get("urgent"):
            await emergency(engine, turn)
        elif value == UNKNOWN:
            turn.say(guidance.not_sure_about_danger(engine.authority))
    elif slot.key == "what_happened":
        await account_given(engine, turn, str(value))


async def account_given(engine: Engine, turn: Turn, narrative: str) -> None:
    state = turn.state
    state.setdefault("received", turn.now.isoformat())
    pending = None if state.get("resume_offered") else engine.conversations.prepare_resume_code()
    try:
        summary = await engine.conversations.triage(
            narrative, known=draft_of(state, turn.conversation).known, received_at=turn.now
        )
    except BaseException:
        if pending is not None:
            pending.discard()
        raise
    if summary is not None:
        state["triage"] = {
            "suggestion": summary.suggestion,
            "categories": summary.categories,
            "missing": summary.missing,
            "non_recent": summary.non_recent,
        }
        noted = []
        for key, found in summary.found.items():
            slot = SLOT_BY_KEY.get(key)
            existing = turn.answers.get(key)
            if slot is None or (existing is not None and existing.get("s") != "found"):
                continue
            if slot.kind == "contact" and isinstance(found, str):
                try:
                    found = v.contact(found)
                except v.Retry:
                    continue
            elif isinstance(found, str):
                found = found[: slot.max_length]
            turn.answers[key] = {"v": found, "d": slot.display(found), "s": "found"}
            noted.append(f"• {slot.title}: {slot.display(found)}")
        if summary.immediate_danger and not state.get("urgent"):
            await emergency(engine, turn)
        if noted:
            turn.say(
                "Thank you. From what you wrote, we have noted:\n"
                + "\n".join(noted)
                + "\nYou can check and change these before you send the report."
            )
    if pending is not None:
        state["resume_offered"] = True
        code = await pending.issue(turn.conversation)
        turn.resume_code = code
        turn.say(
            "If you need to stop, you can come back to this report later with your "
            f"reference {turn.conversation.id} and code {code}. Keep them safe: we "
            "cannot show the code again."
        )


async def many_answers(engine: Engine, turn: Turn, given: Mapping[str, str]) -> None:
    """A structured submit of several answers at once (e.g. an edited card)."""
    problems = []
    known = facts(turn.state)
    for key, text in given.items():
        slot = SLOT_BY_KEY.get(key)
        if slot is None or not slot.applies(known):
            problems.append(f"{key}: there is no such question.")
            continue
        command = cmd.command_of(text)
        if command is not None and command.name == cmd.SKIP and slot.accepts_unknown:
            turn.answers[key] = {"v": UNKNOWN, "d": "Not known", "s": "unknown"}
            continue
        try:
            value, display = slot.read(text, reading(engine, turn))
        except v.Retry as retry:
            problems.append(f"{slot.title}: {retry.message}")
            continue
        await store_answer(engine, turn, slot, value, display, "told")
    if problems:
        turn.say("Some answers need another look:\n" + "\n".join(f"• {p}" for p in problems))
    if turn.state.get("step") in ("ask", "confirm"):
        prompts.advance(turn)
    else:
        prompts.prompt(turn)


async def skip(engine: Engine, turn: Turn) -> None:
    slot = SLOT_BY_KEY[str(turn.state.get("current"))]
    if not slot.accepts_unknown:
        if slot.key == "what_happened":
            turn.say(
                "We need at least a short description of your concern to pass it on. If "
                "you would rather talk it through, type “speak to someone”."
            )
        else:
            turn.say(
                f"We need {slot.title.lower()} so the LADO team can contact you about this "
                "report; “don't know” cannot be accepted here. " + slot.why
            )
        prompts.ask(turn, slot, again=True)
        return
    await store_answer(engine, turn, slot, UNKNOWN, "Not known", "unknown")
    prompts.advance(turn)


async def emergency(engine: Engine, turn: Turn) -> None:
    state = turn.state
    state["urgent"] = True
    turn.urgent_now = True
    turn.answers["immediate_danger"] = {"v": True, "d": "Yes", "s": "told"}
    turn.say(guidance.emergency(engine.authority))
    if turn.conversation.referral_id is not None:
        await engine.conversations.mark_urgent(turn.conversation)
