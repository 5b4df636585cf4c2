"""How a dialog turn (``dialogs.reply.Reply``) looks in Teams.

- the turn's messages as one text message (Teams reads text as Markdown: single line
  breaks become hard breaks, and link syntax in echoed answers is neutralised);
- up to three choices as suggested actions (Teams shows no more than three); more
  as buttons on a small Adaptive Card, each also listed in the text;
- the check-your-answers step as an Adaptive Card: the answers by group, a list to
  pick one to change, and "Send report". Its ``Action.Submit`` data is exactly what
  the engine reads from a structured submit: ``{"choice": "submit"}``, or
  ``{"command": "change", "key": <the picked answer>}``;
- every card carries a plain-text fallback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.teams.activity import Choice, Outbound
from dialogs.reply import Reply, SummaryItem

#: Teams shows at most three suggested actions
MAX_SUGGESTED = 3
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.4"


def safe(text: str) -> str:
    """Text for Teams' Markdown: line breaks kept, link syntax in echoed input defused."""
    text = text.replace("\r\n", "\n").replace("](", "]\u200b(")
    return "\n\n".join("  \n".join(p.split("\n")) for p in text.split("\n\n"))


def card(
    body: list[dict[str, Any]], actions: list[dict[str, Any]], fallback: str
) -> dict[str, Any]:
    return {
        "type": "AdaptiveCard",
        "$schema": CARD_SCHEMA,
        "version": CARD_VERSION,
        "body": body,
        "actions": actions,
        "fallbackText": fallback[:2000],
    }


def _text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": safe(text), "wrap": True, **style}


def check_answers_card(items: Sequence[SummaryItem], intro: str) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        _text_block("Check your answers", weight="Bolder", size="Medium"),
        _text_block("Please check your answers before you send the report."),
    ]
    group = None
    facts: list[dict[str, str]] = []
    for item in items:
        if item.group != group:
            if facts:
                body.append({"type": "FactSet", "facts": facts})
            facts = []
            group = item.group
            body.append(_text_block(group, weight="Bolder", spacing="Medium"))
        facts.append({"title": safe(item.label), "value": safe(item.answer)})
    if facts:
        body.append({"type": "FactSet", "facts": facts})
    body.append(
        {
            "type": "Input.ChoiceSet",
            "id": "key",
            "label": "To change an answer, choose it here, then “Change this answer”",
            "style": "compact",
            "isRequired": False,
            "choices": [{"title": item.label, "value": item.key} for item in items],
        }
    )
    actions = [
        {
            "type": "Action.Submit",
            "title": "Send report",
            "style": "positive",
            "data": {"choice": "submit"},
        },
        {"type": "Action.Submit", "title": "Change this answer", "data": {"command": "change"}},
    ]
    return card(body, actions, intro)


def choices_card(choices: Sequence[Choice]) -> dict[str, Any]:
    actions = [
        {"type": "Action.Submit", "title": c.label[:60], "data": {"choice": c.value}}
        for c in choices
    ]
    fallback = "You can reply with: " + "; ".join(c.label for c in choices)
    return card([_text_block("Choose one, or type your answer.")], actions, fallback)


def render_reply(reply: Reply) -> list[Outbound]:
    """The Teams messages for one turn of the referral conversation."""
    messages = list(reply.messages)
    choices = [Choice(c.label, c.value) for c in reply.choices]
    if reply.summary:
        # the engine's last message of a check-answers turn is the summary as text: it
        # becomes the card's fallback, and the earlier messages are sent as text
        summary_text = messages.pop() if messages else "Please check your answers."
        out = [Outbound(text=safe("\n\n".join(messages)))] if messages else []
        out.append(
            Outbound(
                card=check_answers_card(reply.summary, summary_text),
                summary="Please check your answers before you send the report.",
            )
        )
        return out
    text = safe("\n\n".join(messages))
    if len(choices) <= MAX_SUGGESTED:
        return [Outbound(text=text, choices=choices)]
    listed = "\n".join(f"• {c.label}" for c in choices)
    return [
        Outbound(
            text=text + "\n\n" + safe("You can choose:\n" + listed),
            card=choices_card(choices),
            summary="Choose one, or type your answer.",
        )
    ]
