"""Our side of the interface to the Bot Framework SDK: plain data in, plain data out.

``bot.teams.sdk`` turns each SDK ``Activity`` into an ``Inbound`` and each ``Outbound``
into an ``Activity``; everything else in ``bot.teams`` works on these, so that the SDK
(archived upstream) can be replaced by the Microsoft 365 Agents SDK in one module.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any, Protocol

from intake.teams import Place

#: what an inbound activity means to us
MESSAGE = "message"  # a person typed something or pressed a card button
INSTALLED = "installed"  # the app was added to a personal chat or a team
REMOVED = "removed"  # the app was removed
OTHER = "other"  # typing, reactions, ...: ignored


@dataclass(frozen=True)
class Inbound:
    kind: str
    place: Place
    #: the sender's Microsoft Entra object id (Teams always sends it for tenant users)
    user_aad_id: str | None = None
    #: the text, with the bot's @mention removed
    text: str = ""
    #: an Adaptive Card ``Action.Submit`` payload (then ``text`` is usually empty)
    value: dict[str, Any] | None = None
    #: the sender's tenant (Teams puts it in channelData)
    tenant_id: str | None = None


@dataclass(frozen=True)
class Choice:
    label: str
    value: str


@dataclass(frozen=True)
class Outbound:
    """One message from the bot: text, optional quick replies, optional Adaptive Card."""

    text: str = ""
    choices: list[Choice] = field(default_factory=list)
    #: an Adaptive Card (JSON), shown below the text
    card: dict[str, Any] | None = None
    #: the card's plain-text summary (notifications, clients without cards)
    summary: str = ""


class DeliveryError(Exception):
    """A message could not be posted. ``code`` is safe to log; ``permanent`` means retrying
    cannot help; ``gone`` means the conversation no longer exists for the bot."""

    def __init__(self, code: str, *, permanent: bool = False, gone: bool = False) -> None:
        super().__init__(code)
        self.code = code
        self.permanent = permanent
        self.gone = gone


class Handler(Protocol):
    """The bot's behaviour: what to send back for an inbound activity."""

    def __call__(self, inbound: Inbound) -> Awaitable[list[Outbound]]: ...
