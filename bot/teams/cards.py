"""The duty alert as Teams shows it: an Adaptive Card with the reference, the triage
suggestion, the deadlines and a link to the item in the officer queue.

Built only from ``intake.alerts.AlertContent``, which holds no allegation text, names
or contact details: the officer opens the item (signed in) to read it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from bot.teams.activity import Outbound
from bot.teams.render import card
from intake.alerts import URGENT, AlertContent
from store.workdays import LONDON

CHANNEL_LABELS = {
    "chat": "web chat",
    "teams": "Teams",
    "email": "email",
    "form": "report form",
    "phone": "phone",
}


def _when(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        local = value.astimezone(LONDON)
        return local.strftime("%a %d %b %Y, %H:%M")
    return value.strftime("%a %d %b %Y")


def item_link(base_url: str, reference: str) -> str:
    return f"{base_url.rstrip('/')}/queue/{quote(reference, safe='')}"


def alert_message(content: AlertContent, *, base_url: str) -> Outbound:
    urgent = content.reason == URGENT
    title = (
        "URGENT: a child may be at immediate risk" if urgent else "New referral in the LADO queue"
    )
    link = item_link(base_url, content.reference)
    facts = [
        {"title": "Reference", "value": content.reference},
        {"title": "Suggestion", "value": content.suggestion_label},
        {
            "title": "Received",
            "value": _when(content.received_at)
            + f" (by {CHANNEL_LABELS.get(content.channel, content.channel)})",
        },
        {"title": "Respond by", "value": _when(content.respond_by)},
        {"title": "One working day", "value": _when(content.notification_due)},
    ]
    if content.incomplete:
        facts.append({"title": "Note", "value": "Incomplete: the referrer did not finish"})
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": title,
            "weight": "Bolder",
            "size": "Medium",
            "color": "Attention" if urgent else "Default",
            "wrap": True,
        },
        {"type": "FactSet", "facts": facts},
        {
            "type": "TextBlock",
            "text": "Open the item to read it (sign-in required). Details are never sent to Teams.",
            "isSubtle": True,
            "wrap": True,
        },
    ]
    actions = [{"type": "Action.OpenUrl", "title": "Open in the queue", "url": link}]
    summary = f"{'URGENT' if urgent else 'Referral'}: {content.reference}"
    fallback = f"{title}. {content.reference}. Open it in the LADO queue: {link}"
    return Outbound(card=card(body, actions, fallback), summary=summary)
