"""Reading an inbound Bot Framework activity (its JSON) into our ``Inbound``.

Done on the JSON itself (the Activity protocol, the same for the archived SDK and its
successor), defensively: any field may be missing or of the wrong type. The stored
conversation reference keeps only what posting later needs: no display names, and
for a channel the channel itself rather than the thread the message was in.
"""

from __future__ import annotations

import re
from typing import Any

from bot.teams.activity import INSTALLED, MESSAGE, OTHER, REMOVED, Inbound
from intake.teams import CHANNEL, GROUP, PERSONAL, Place

MAX_ID = 500
_KINDS = {"personal": PERSONAL, "channel": CHANNEL, "groupChat": GROUP}
_AT_TAG = re.compile(r"<at>[^<]{0,200}</at>", re.IGNORECASE)


class BadActivity(ValueError):
    """The JSON is not an activity we can read (safe to show: says what is wrong)."""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any, limit: int = MAX_ID) -> str | None:
    return value[:limit] if isinstance(value, str) and value else None


def conversation_key(conversation_id: str) -> str:
    """A channel's messages arrive as ``<channel>;messageid=<thread>``: key by the channel."""
    return conversation_id.split(";messageid=", 1)[0]


def tenant_of(body: dict[str, Any]) -> str | None:
    tenant = _str(_dict(_dict(body.get("channelData")).get("tenant")).get("id"), 64)
    return tenant or _str(_dict(body.get("conversation")).get("tenantId"), 64)


def _reference(body: dict[str, Any], kind: str, key: str) -> dict[str, Any]:
    conversation = _dict(body.get("conversation"))
    bot = _dict(body.get("recipient"))
    user = _dict(body.get("from"))
    reference: dict[str, Any] = {
        "bot": {"id": _str(bot.get("id")), "name": _str(bot.get("name"), 100)},
        "conversation": {
            "id": key,
            "conversationType": _str(conversation.get("conversationType"), 20),
            "tenantId": _str(conversation.get("tenantId"), 64),
            "isGroup": bool(conversation.get("isGroup")),
        },
        "channelId": _str(body.get("channelId"), 40),
        "serviceUrl": _str(body.get("serviceUrl")),
        "locale": _str(body.get("locale"), 20),
    }
    if kind == PERSONAL:
        reference["user"] = {
            "id": _str(user.get("id")),
            "aadObjectId": _str(user.get("aadObjectId"), 64),
        }
    return reference


def _strip_mentions(body: dict[str, Any], text: str) -> str:
    bot_id = _dict(body.get("recipient")).get("id")
    for entity in body.get("entities") or []:
        entity = _dict(entity)
        if str(entity.get("type", "")).lower() != "mention":
            continue
        if _dict(entity.get("mentioned")).get("id") != bot_id:
            continue
        mention = entity.get("text")
        if isinstance(mention, str) and mention:
            text = text.replace(mention, " ")
    return " ".join(_AT_TAG.sub(" ", text).split()) if "<at>" in text.lower() else text


def _kind(body: dict[str, Any]) -> str:
    kind = body.get("type")
    bot_id = _dict(body.get("recipient")).get("id")
    if kind == "message":
        return MESSAGE
    if kind == "conversationUpdate":
        added = [_dict(m).get("id") for m in body.get("membersAdded") or []]
        removed = [_dict(m).get("id") for m in body.get("membersRemoved") or []]
        if bot_id and bot_id in added:
            return INSTALLED
        if bot_id and bot_id in removed:
            return REMOVED
    if kind == "installationUpdate" and str(body.get("action", "")).startswith("remove"):
        return REMOVED
    return OTHER


def read_activity(body: Any) -> Inbound:
    """Our view of the activity; BadActivity when it lacks what every activity has."""
    if not isinstance(body, dict):
        raise BadActivity("The body must be a JSON object (an activity).")
    if not isinstance(body.get("type"), str) or not body["type"]:
        raise BadActivity("The activity has no type.")
    conversation = _dict(body.get("conversation"))
    conversation_id = _str(conversation.get("id"))
    service_url = _str(body.get("serviceUrl"))
    if conversation_id is None or service_url is None:
        raise BadActivity("The activity has no conversation or serviceUrl.")
    kind = _KINDS.get(str(conversation.get("conversationType") or "personal"), GROUP)
    key = conversation_key(conversation_id)
    channel_data = _dict(body.get("channelData"))
    team = _dict(channel_data.get("team"))
    user = _dict(body.get("from"))
    aad = _str(user.get("aadObjectId"), 64)
    aad = aad.lower() if aad else None
    place = Place(
        conversation_key=key,
        kind=kind,
        service_url=service_url,
        reference=_reference(body, kind, key),
        aad_object_id=aad if kind == PERSONAL else None,
        tenant_id=tenant_of(body),
        team_id=_str(team.get("id"), 200),
        title=_str(team.get("name"), 200),
    )
    raw_text = body.get("text")
    text = raw_text if isinstance(raw_text, str) else ""
    value = body.get("value")
    return Inbound(
        kind=_kind(body),
        place=place,
        user_aad_id=aad,
        text=_strip_mentions(body, text).strip() if text else "",
        value=value if isinstance(value, dict) else None,
        tenant_id=tenant_of(body),
    )
