"""One turn of the conversation: the state it works on and what the bot says back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from dialogs.reply import SummaryItem
from dialogs.script import Choice
from intake.conversation_records import Conversation

CODE_REDACTED = "[code shown to the referrer]"


@dataclass
class Turn:
    conversation: Conversation
    state: dict[str, Any]
    now: dt.datetime
    messages: list[str] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    summary: list[SummaryItem] = field(default_factory=list)
    status: str | None = None
    referral_id: int | None = None
    resume_code: str | None = None
    done: bool = False
    ended: bool = False
    urgent_now: bool = False

    def say(self, *texts: str) -> None:
        self.messages.extend(t for t in texts if t)

    @property
    def answers(self) -> dict[str, dict[str, Any]]:
        answers: dict[str, dict[str, Any]] = self.state.setdefault("answers", {})
        return answers

    def transcript(self) -> str:
        text = "\n\n".join(self.messages)
        if self.resume_code:
            text = text.replace(self.resume_code, CODE_REDACTED)
        return text
