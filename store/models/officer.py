"""Officers (the people who sign in) and their server-side sessions."""

import datetime as dt

from sqlmodel import Field, SQLModel

from store.enums import Role
from store.types import UTCDateTime, utcnow


class OfficerBase(SQLModel):
    email: str = Field(max_length=320, unique=True)
    display_name: str = Field(default="", max_length=200)
    role: str = Field(default=Role.OFFICER.value, max_length=12)
    disabled: bool = False
    #: notified of URGENT items (e.g. through Teams) as the duty officer
    on_duty: bool = False


class OfficerCreate(OfficerBase):
    password_hash: str = Field(max_length=200)
    must_change_password: bool = False


class Officer(OfficerBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=200)
    must_change_password: bool = False
    failed_logins: int = 0
    locked_until: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_login_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OfficerPublic(OfficerBase):
    id: int
    last_login_at: dt.datetime | None


class OfficerSession(SQLModel, table=True):
    """A signed-in browser. The cookie carries a random token; only its hash is stored."""

    __tablename__ = "officer_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    officer_id: int = Field(foreign_key="officer.id", index=True)
    csrf_token: str = Field(max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: dt.datetime = Field(sa_type=UTCDateTime, index=True)
