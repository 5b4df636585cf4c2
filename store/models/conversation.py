"""The state of a guided conversation (web chat, Teams, terminal), stored after every turn."""

import datetime as dt
from typing import Any

from sqlmodel import Field, SQLModel

from store.types import JSONType, UTCDateTime, utcnow


class ConversationState(SQLModel, table=True):
    __tablename__ = "conversation_state"

    id: str = Field(primary_key=True, max_length=36)
    channel: str = Field(max_length=10)
    #: active, submitted, abandoned (queued as incomplete), expired, cancelled
    status: str = Field(default="active", max_length=12, index=True)
    #: the dialog engine's JSON state
    state: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    version: int = 1
    #: true once the conversation holds any account of a concern
    has_concern: bool = False
    referral_id: int | None = Field(default=None, foreign_key="referral.id", index=True)
    #: argon2 hash of the resume code given to the referrer
    resume_code_hash: str | None = Field(default=None, max_length=200)
    #: sha256 of the per-conversation bearer token (web chat) and its expiry
    token_hash: str | None = Field(default=None, max_length=64, index=True)
    token_expires_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: stable channel identity of the person (e.g. Teams user id), never shown
    user_key: str | None = Field(default=None, max_length=200, index=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
