"""Settings of the guided conversation and the web chat (``LADO_CHAT__*``)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ChatSettings(BaseModel):
    """Idle times, the web chat's token lifetime and its rate limits."""

    idle_minutes: int = Field(
        default=30,
        ge=1,
        le=7 * 24 * 60,
        description="A conversation idle this long is queued as an incomplete referral when "
        "it holds any account of a concern, and expires when it does not",
    )
    urgent_idle_minutes: int = Field(
        default=5,
        ge=1,
        le=24 * 60,
        description="The same for a conversation where a child may be in immediate danger",
    )
    sweep_seconds: int = Field(
        default=60,
        ge=0,
        le=3600,
        description="How often the service looks for idle conversations (0 = never; run "
        "`lado chat sweep` from a timer instead)",
    )
    token_minutes: int = Field(
        default=30,
        ge=1,
        le=24 * 60,
        description="A web-chat conversation token expires after this long without a message "
        "(the referrer can resume with the reference and code)",
    )
    messages_per_minute: int = Field(
        default=30,
        ge=1,
        le=1000,
        description="Messages accepted per web-chat conversation per minute",
    )
    starts_per_minute: int = Field(
        default=10,
        ge=1,
        le=10_000,
        description="New conversations, resume attempts and form posts accepted per client "
        "address per minute",
    )
