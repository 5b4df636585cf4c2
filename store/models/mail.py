"""Where each mailbox poller has got to, and which instance holds its lock."""

import datetime as dt

from sqlalchemy import BigInteger, Text
from sqlmodel import Field, SQLModel

from store.types import UTCDateTime, utcnow


class MailboxCursor(SQLModel, table=True):
    __tablename__ = "mailbox_cursor"

    mailbox: str = Field(primary_key=True, max_length=320)
    source: str = Field(max_length=20)
    # IMAP
    uidvalidity: int | None = Field(default=None, sa_type=BigInteger)
    last_uid: int | None = Field(default=None, sa_type=BigInteger)
    # EWS sync_items state / Graph delta link
    sync_state: str | None = Field(default=None, sa_type=Text)
    delta_link: str | None = Field(default=None, sa_type=Text)
    # liveness and the single-poller lock
    heartbeat_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    lock_owner: str | None = Field(default=None, max_length=120)
    lock_expires_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
