"""Every inbound and outbound chat turn or email, and the files attached to them."""

import datetime as dt
from typing import Any

from sqlalchemy import Index, LargeBinary, Text
from sqlmodel import Field, SQLModel

from store.enums import Direction
from store.types import JSONType, UTCDateTime, utcnow

BODY_MAX = 2_000_000


class MessageBase(SQLModel):
    direction: str = Field(default=Direction.IN.value, max_length=3)
    channel: str = Field(max_length=10)
    sender: str | None = Field(default=None, max_length=320)
    sender_name: str | None = Field(default=None, max_length=200)
    recipients: str | None = Field(default=None, max_length=2000)
    subject: str | None = Field(default=None, max_length=998)
    body_text: str = Field(default="", max_length=BODY_MAX, sa_type=Text)
    #: the original HTML body (sanitised when displayed, never trusted)
    body_html: str | None = Field(default=None, max_length=BODY_MAX, sa_type=Text)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    #: machine flags for officers: auto_reply, bounce, list, own_mail, name_mismatch, ...
    flags: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)


class MessageCreate(MessageBase):
    referral_id: int | None = None
    conversation_id: str | None = None
    mailbox: str | None = None
    message_id: str | None = None
    in_reply_to: str | None = None
    references: str | None = None
    raw: bytes | None = None
    auth_results: dict[str, Any] = Field(default_factory=dict)


class Message(MessageBase, table=True):
    __table_args__ = (Index("uq_message_mailbox_message_id", "mailbox", "message_id", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    referral_id: int | None = Field(default=None, foreign_key="referral.id", index=True)
    conversation_id: str | None = Field(default=None, max_length=36, index=True)
    # email identity and threading
    mailbox: str | None = Field(default=None, max_length=320)
    message_id: str | None = Field(default=None, max_length=998)
    in_reply_to: str | None = Field(default=None, max_length=998)
    references: str | None = Field(default=None, sa_type=Text)
    #: the raw RFC 5322 bytes, stored before anything else is done with the mail
    raw: bytes | None = Field(default=None, sa_type=LargeBinary)
    #: SPF/DKIM/DMARC verdicts from Authentication-Results
    auth_results: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    #: for outbound mail: queued, sent, failed, suppressed
    delivery_status: str | None = Field(default=None, max_length=20)
    error: str | None = Field(default=None, max_length=500)


class MessagePublic(MessageBase):
    id: int
    referral_id: int | None


class Attachment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="message.id", index=True)
    referral_id: int | None = Field(default=None, foreign_key="referral.id", index=True)
    filename: str = Field(default="", max_length=255)
    content_type: str = Field(default="application/octet-stream", max_length=200)
    size: int = 0
    sha256: str = Field(default="", max_length=64)
    #: None when the file was refused (too large, disallowed type); see ``status``
    data: bytes | None = Field(default=None, sa_type=LargeBinary)
    status: str = Field(default="stored", max_length=20)
    reason: str | None = Field(default=None, max_length=300)
    #: labelled fields read from an attached referral form
    extracted: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
