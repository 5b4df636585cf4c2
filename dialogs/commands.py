"""Words that work anywhere in the conversation, and the immediate-danger signal.

Commands are recognised only when the whole message is the command ("help",
"back", "I don't know", "change the adult's name"), so an account that merely
contains the word "back" is never mistaken for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dialogs.validate import normalise

HELP = "help"
WHY = "why"
BACK = "back"
CHANGE = "change"
SKIP = "skip"
CANCEL = "cancel"
RESTART = "restart"
SPEAK = "speak"
SAVE = "save"
KEEP = "keep"
SUBMIT = "submit"

_EXACT: dict[str, str] = {}
for _command, _phrases in {
    HELP: ("help", "?", "menu", "options", "what can i say", "what can i type", "commands"),
    WHY: (
        "why",
        "why?",
        "why do you ask",
        "why do you need this",
        "why do you need to know",
        "why do you want to know",
        "why is this needed",
    ),
    BACK: ("back", "go back", "previous", "previous question", "undo"),
    SKIP: (
        "skip",
        "don't know",
        "dont know",
        "do not know",
        "i don't know",
        "i dont know",
        "i do not know",
        "not sure",
        "i'm not sure",
        "im not sure",
        "i am not sure",
        "unknown",
        "no idea",
        "not known",
        "dk",
        "pass",
        "unsure",
    ),
    CANCEL: ("cancel", "quit", "exit", "cancel this", "cancel the report", "stop"),
    RESTART: ("start again", "restart", "start over", "begin again", "reset", "start from scratch"),
    SAVE: ("save", "save for later", "save and come back later", "pause", "come back later"),
    KEEP: ("keep", "keep this answer", "keep answer", "keep it", "same", "no change"),
    SUBMIT: (
        "submit",
        "send",
        "send it",
        "send report",
        "send the report",
        "submit report",
        "confirm",
        "confirm and send",
        "accept and send",
    ),
}.items():
    for _phrase in _phrases:
        _EXACT[_phrase] = _command

_SPEAK = re.compile(
    r"^(can i |could i |i want to |i'd like to |i would like to |please )?"
    r"(speak|talk) (to|with) (someone|somebody|a person|a human|an officer|the lado|"
    r"a real person|the duty (officer|line|team))( please)?$"
    r"|^(call me( back)?|ring me( back)?|phone me( back)?|request a call ?back|call ?back)"
    r"( please)?$"
)
_CHANGE = re.compile(
    r"^(change|edit|correct|amend|update|fix)\b(?: (?:my |the |answer to )?(.*))?$"
)


@dataclass(frozen=True)
class Command:
    name: str
    #: what follows "change"
    argument: str = ""


def command_of(text: str) -> Command | None:
    """The command a whole message is, if it is one."""
    words = normalise(text)
    if not words or len(words) > 80:
        return None
    if words in _EXACT:
        return Command(_EXACT[words])
    if _SPEAK.match(words):
        return Command(SPEAK)
    change = _CHANGE.match(words)
    if change:
        return Command(CHANGE, (change.group(2) or "").strip())
    return None


#: phrases that mean a child may be in danger right now; deliberately broad (a false
#: alarm costs a 999 reminder, a miss could cost a child)
_DANGER = re.compile(
    r"\b("
    r"(in|at) (immediate|imminent|serious) (danger|risk)"
    r"|(is|are|'s|'re) in danger"
    r"|in danger (right )?now"
    r"|(right now|at the moment|as we speak|currently).{0,40}\b(hurt|hitting|attacking|"
    r"beating|abusing|touching|threatening|locked|alone with|with (him|her|them))"
    r"|(hurting|hitting|attacking|beating|abusing|strangling|choking) (him|her|them|"
    r"the child|a child|the boy|the girl|a pupil|the pupil|my child|my son|my daughter) "
    r"(right )?now"
    r"|(is|are) (still )?with (him|her|them) (right )?now"
    r"|has (taken|got|abducted) (the|a|my) (child|boy|girl|pupil|son|daughter)"
    r"|(child|boy|girl|pupil|son|daughter) (is|has gone) missing"
    r"|(has|have) not come home|hasn't come home"
    r"|threaten(ing|ed)? to (kill|hurt|harm)"
    r"|going to (kill|hurt|harm)"
    r"|(has|with) a (knife|gun|weapon)"
    r"|emergency"
    r"|call(ed|ing)? 999|need (the )?police now"
    r")\b",
    re.I,
)
_NEGATED = re.compile(r"\b(no|not|isn't|aren't|never|nobody|no one|without)\b[^.!?]{0,25}$", re.I)


def signals_danger(text: str) -> bool:
    """True when a message suggests a child is in danger now (unless plainly negated)."""
    for match in _DANGER.finditer(text.replace("\u2019", "'")):
        before = text[max(0, match.start() - 30) : match.start()]
        if not _NEGATED.search(before):
            return True
    return False
