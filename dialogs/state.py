"""The conversation's JSON state, and what it has collected as intake takes it.

The state is plain JSON (``conversation_state.state``), saved after every turn:
``step``, ``current`` (the question being asked), ``answers``
(``{key: {"v": value, "d": shown, "s": told|found|unknown}}``), ``history`` (for
"back"), ``urgent``, ``triage`` (the suggestion and categories of the account),
``received``, ``turn``, ``reference``, ``queued``, ``paused``, ``callback``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from dialogs.script import UNKNOWN, facts_of
from intake.conversation_records import ChildDetails, Conversation, Draft

STATE_VERSION = 1


def new_state() -> dict[str, Any]:
    return {
        "v": STATE_VERSION,
        "step": "ask",
        "current": "immediate_danger",
        "answers": {},
        "history": ["immediate_danger"],
        "urgent": False,
        "turn": 0,
    }


def facts(state: Mapping[str, Any]) -> dict[str, Any]:
    """The answers plus what conditions may also look at (triage categories, receipt)."""
    triage = state.get("triage") or {}
    return facts_of(
        state.get("answers", {}),
        categories=triage.get("categories", []),
        received=state.get("received"),
    )


def _split_names(text: str) -> list[str]:
    parts = re.split(r"\s*(?:,|;|\band\b|&)\s*", text)
    return [p.strip()[:100] for p in parts if p.strip()]


def draft_of(state: Mapping[str, Any], conversation: Conversation) -> Draft:
    """What the conversation has collected, as intake takes it."""
    received = state.get("received")
    return draft_from_answers(
        state.get("answers", {}),
        urgent=bool(state.get("urgent")),
        received=dt.datetime.fromisoformat(received) if received else None,
        has_concern=conversation.has_concern,
    )


def draft_from_answers(
    answers: Mapping[str, Mapping[str, Any]],
    *,
    urgent: bool,
    received: dt.datetime | None,
    has_concern: bool = False,
) -> Draft:
    """Answers (from the conversation or the form) as intake takes them."""
    known: dict[str, Any] = {}
    for key, answer in answers.items():
        value = answer.get("v")
        if key == "what_happened":
            continue
        if key == "referrer_contact" and isinstance(value, dict):
            known["referrer_contact"] = value.get("email") or value.get("phone")
            if value.get("email"):
                known["referrer_email"] = value["email"]
            if value.get("phone"):
                known["referrer_phone"] = value["phone"]
            continue
        if key == "child_age" and isinstance(value, list):
            known[key] = ", ".join(str(a) for a in value)
            continue
        if key == "child_looked_after" and value not in (UNKNOWN, None):
            known[key] = value in ("looked_after", "on_plan")
            known["child_on_plan"] = value == "on_plan"
            continue
        known[key] = value
    if urgent:
        known["immediate_danger"] = True
    narrative = str(answers.get("what_happened", {}).get("v") or "")
    if not narrative and has_concern:
        narrative = (
            "The referrer started again or changed their account; the earlier account is "
            "in the transcript."
        )
    return Draft(
        narrative=narrative, known=known, children=_children(answers), received_at=received
    )


def _children(answers: Mapping[str, Mapping[str, Any]]) -> list[ChildDetails]:
    def value(key: str) -> Any:
        answer = answers.get(key)
        got = answer.get("v") if answer else None
        return None if got == UNKNOWN else got

    names_text = value("child_name")
    names = _split_names(names_text) if isinstance(names_text, str) else []
    raw_ages = value("child_age")
    ages = raw_ages if isinstance(raw_ages, list) else ([raw_ages] if raw_ages is not None else [])
    count = value("children_count")
    number = max(count if isinstance(count, int) else 0, len(names), len(ages))
    if number == 0 and any(
        value(k) is not None for k in ("child_send", "child_looked_after", "child_social_worker")
    ):
        number = 1
    number = min(number, 20)
    single = number == 1
    looked_after = value("child_looked_after")
    return [
        ChildDetails(
            name=names[i] if i < len(names) else None,
            age=ages[i] if i < len(ages) and isinstance(ages[i], int) else None,
            send=value("child_send") if single else None,
            looked_after=(looked_after == "looked_after") if single and looked_after else None,
            on_plan=(looked_after == "on_plan") if single and looked_after else None,
            social_worker=str(value("child_social_worker"))[:200]
            if single and value("child_social_worker")
            else None,
        )
        for i in range(number)
    ]
