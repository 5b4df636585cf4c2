"""What the engine hands a channel after each turn: plain data, easy to render anywhere."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from dialogs.script import Choice


@dataclass(frozen=True)
class SummaryItem:
    """One row of the check-your-answers summary.

    ``change`` is the text that asks to change it (``"change adult_name"``);
    ``change_value`` is the same as a structured value (for card buttons)."""

    key: str
    label: str
    answer: str
    group: str
    change: str
    change_value: dict[str, str]
    #: told (by the referrer), found (in their account) or unknown ("don't know")
    source: str


@dataclass
class Reply:
    """One bot turn: every message of the turn, then what the person can do next."""

    conversation_id: str
    turn: int
    messages: list[str]
    choices: list[Choice] = field(default_factory=list)
    #: the check-your-answers summary, when this turn shows it
    summary: list[SummaryItem] = field(default_factory=list)
    #: the report is in the queue (further messages are added to it)
    done: bool = False
    #: the LADO reference, once the conversation became a referral
    reference: str | None = None
    #: a resume code shown in this turn (never stored in plain text)
    resume_code: str | None = None
    #: a child may be in immediate danger: channels may style the turn as an alert
    urgent: bool = False
    #: ask (a question), confirm, done, cancelled, ...
    step: str = "ask"
    #: the question being asked (a slot key), if any
    expects: str | None = None
    #: the conversation has ended (cancelled or expired); start a new one
    ended: bool = False

    @property
    def text(self) -> str:
        """All of the turn's messages, joined (what a plain-text channel prints)."""
        return "\n\n".join(self.messages)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["text"] = self.text
        return data
