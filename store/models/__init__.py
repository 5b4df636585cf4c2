"""All tables. Import from here; Alembic's metadata is ``SQLModel.metadata``."""

from store.models.audit import AuditEvent, AuditHead
from store.models.case import Note, NoteCreate, ReferenceCounter, ReferralLink
from store.models.conversation import ConversationState
from store.models.mail import MailboxCursor
from store.models.message import Attachment, Message, MessageCreate, MessagePublic
from store.models.officer import Officer, OfficerCreate, OfficerPublic, OfficerSession
from store.models.referral import (
    AdultNameKey,
    Child,
    ChildCreate,
    ChildPublic,
    Referral,
    ReferralCreate,
    ReferralPublic,
)
from store.models.teams import Alert, AlertDelivery, TeamsConversation, TeamsOfficer

__all__ = [
    "AdultNameKey",
    "Alert",
    "AlertDelivery",
    "Attachment",
    "AuditEvent",
    "AuditHead",
    "Child",
    "ChildCreate",
    "ChildPublic",
    "ConversationState",
    "MailboxCursor",
    "Message",
    "MessageCreate",
    "MessagePublic",
    "Note",
    "NoteCreate",
    "Officer",
    "OfficerCreate",
    "OfficerPublic",
    "OfficerSession",
    "ReferenceCounter",
    "Referral",
    "ReferralCreate",
    "ReferralLink",
    "ReferralPublic",
    "TeamsConversation",
    "TeamsOfficer",
]
