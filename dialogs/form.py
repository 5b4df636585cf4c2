"""The report form: the same questions and the same validation as the conversation, on
one page. Channel-neutral: the web form (``/report``) renders ``FIELDS`` and posts the
answers back through ``read_form``; ``submit_form`` sends them to the same queue
through the same triage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dialogs import validate as v
from dialogs.script import GROUPS, SLOTS, UNKNOWN, Reading, Slot, facts_of
from dialogs.state import draft_from_answers
from intake.conversation_records import SubmitOutcome
from intake.conversations import Conversations


@dataclass(frozen=True)
class FormField:
    slot: Slot
    #: radio options for yes/no and choice questions (value, label)
    options: tuple[tuple[str, str], ...]
    widget: str  # radios, textarea, input, email_phone

    @property
    def name(self) -> str:
        return self.slot.key


def _field(slot: Slot) -> FormField:
    if slot.kind in ("yesno", "choice"):
        options = tuple(
            (c.value if c.value != "don't know" else UNKNOWN, c.label) for c in slot.choices
        )
        return FormField(slot, options, "radios")
    if slot.kind == "narrative" or slot.max_length > 500:
        return FormField(slot, (), "textarea")
    return FormField(slot, (), "input")


#: every question, in the conversation's order, grouped for fieldsets
FIELDS: tuple[FormField, ...] = tuple(_field(s) for s in SLOTS)
SECTIONS: list[tuple[str, list[FormField]]] = []
for _group in ("danger", "you", "what", "adult", "child", "actions"):
    SECTIONS.append((GROUPS[_group], [f for f in FIELDS if f.slot.group == _group]))


@dataclass
class FormResult:
    answers: dict[str, dict[str, Any]]
    #: field name -> problem
    errors: dict[str, str]


def read_form(values: Mapping[str, str], *, reading: Reading) -> FormResult:
    """Read every answer with the conversation's readers; empty optional answers are left
    out (so the triage may still find them in the account)."""
    answers: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    for form_field in FIELDS:
        slot = form_field.slot
        raw = (values.get(slot.key) or "").strip()
        if not raw:
            if slot.required:
                errors[slot.key] = f"Enter {slot.title.lower()}."
            continue
        if raw == UNKNOWN and slot.accepts_unknown:
            answers[slot.key] = {"v": UNKNOWN, "d": "Not known", "s": "unknown"}
            continue
        try:
            value, display = slot.read(raw, reading)
        except v.Retry as retry:
            errors[slot.key] = retry.message
            continue
        answers[slot.key] = {"v": value, "d": display, "s": "told"}
    known = facts_of(answers, categories=[], received=reading.at.isoformat())
    for key in list(answers):
        slot = next(f.slot for f in FIELDS if f.slot.key == key)
        if not slot.applies(known):
            del answers[key]
    return FormResult(answers, errors)


def transcript(answers: Mapping[str, Mapping[str, Any]]) -> str:
    """The form as the officer reads it in the transcript."""
    lines = []
    for slot in SLOTS:
        if slot.key in answers:
            lines.append(f"{slot.title}: {answers[slot.key].get('d')}")
    return "\n".join(lines)


async def submit_form(
    conversations: Conversations,
    answers: Mapping[str, Mapping[str, Any]],
    *,
    now: dt.datetime,
) -> SubmitOutcome:
    urgent = answers.get("immediate_danger", {}).get("v") is True
    draft = draft_from_answers(answers, urgent=urgent, received=now)
    return await conversations.submit_form(draft, transcript=transcript(answers))
