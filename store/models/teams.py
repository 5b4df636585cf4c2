"""Microsoft Teams: where the bot can post, which officer is which Teams user, and the
durable outbox of alerts about urgent items.

- ``TeamsConversation``: one Teams conversation the bot is in (an officer's or a
  referrer's personal chat, a team channel), with the Bot Framework conversation
  reference needed to post to it later (proactive messages). No display names.
- ``TeamsOfficer``: an administrator's mapping of an officer to a Microsoft Entra
  (AAD) object id; only mapped users can put themselves on duty.
- ``Alert``: written in the same transaction that creates an URGENT (or REFERRAL)
  referral, whichever process creates it; ``AlertDelivery``: one row per alert and
  target, claimed with a lease, attempted with back-off, sent once.
"""

import datetime as dt
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from store.types import JSONType, UTCDateTime, utcnow


class TeamsConversation(SQLModel, table=True):
    __tablename__ = "teams_conversation"

    id: int | None = Field(default=None, primary_key=True)
    #: the Bot Framework conversation id (personal chats and channels)
    conversation_key: str = Field(max_length=500, unique=True)
    #: personal, channel or group
    kind: str = Field(max_length=10)
    #: the person in a personal chat (Microsoft Entra object id)
    aad_object_id: str | None = Field(default=None, max_length=64, index=True)
    tenant_id: str | None = Field(default=None, max_length=64)
    team_id: str | None = Field(default=None, max_length=200)
    #: the team's name, for `lado teams channels` (never a person's name)
    title: str | None = Field(default=None, max_length=200)
    service_url: str = Field(max_length=500)
    #: the SDK's serialised conversation reference (user display names removed)
    reference: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    #: this channel receives the duty alerts
    duty_channel: bool = Field(default=False, index=True)
    #: false once the app was removed or the conversation is gone
    installed: bool = True
    #: the referral conversation (``conversation_state.id``) this chat is in now
    dialog_id: str | None = Field(default=None, max_length=36, foreign_key="conversation_state.id")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TeamsOfficer(SQLModel, table=True):
    __tablename__ = "teams_officer"

    officer_id: int = Field(primary_key=True, foreign_key="officer.id")
    aad_object_id: str = Field(max_length=64, unique=True)
    linked_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    linked_by: str = Field(max_length=120)


class Alert(SQLModel, table=True):
    __tablename__ = "alert"
    __table_args__ = (UniqueConstraint("referral_id", "reason", name="uq_alert_referral_reason"),)

    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id")
    #: urgent or referral
    reason: str = Field(max_length=12)
    #: new (not yet routed), routed, skipped (by settings), expired (too old to send)
    status: str = Field(default="new", max_length=12, index=True)
    #: how many times routing found nobody to send it to
    unrouted: int = 0
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    routed_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class AlertDelivery(SQLModel, table=True):
    __tablename__ = "alert_delivery"
    __table_args__ = (UniqueConstraint("alert_id", "target_id", name="uq_alert_delivery_target"),)

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alert.id", index=True)
    target_id: int = Field(foreign_key="teams_conversation.id")
    #: pending, sending (claimed; see lease_until), sent, failed
    status: str = Field(default="pending", max_length=12, index=True)
    attempts: int = 0
    next_attempt_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    lease_until: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: the id the Bot Connector gave the posted message
    activity_id: str | None = Field(default=None, max_length=200)
    #: the last failure as a code (an exception class or HTTP status), never content
    last_error: str | None = Field(default=None, max_length=200)
