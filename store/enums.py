"""Codes the store records for the life of a referral.

The triage's own vocabulary (suggestions, criteria, categories, sectors) lives in
``triage.vocab``; the codes here belong to intake and case handling.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    CHAT = "chat"
    TEAMS = "teams"
    EMAIL = "email"
    FORM = "form"
    PHONE = "phone"


class Kind(StrEnum):
    """What a queue item is."""

    CONCERN = "concern"  # a contact about an adult who works with children
    CALLBACK = "callback"  # someone asked to speak to a person
    QUARANTINE = "quarantine"  # mail that could not be processed ("could not process")
    AUTOMATED = "automated"  # auto-replies, bounces and list mail not linked to a referral


class Status(StrEnum):
    NEW = "new"  # not yet claimed by an officer
    CLAIMED = "claimed"  # an officer is working on it
    OPEN = "open"  # a case in the LADO process (referral or consultation), until closed
    DECIDED = "decided"  # a contact decided without a case (advice, LLC noted, not LADO, ...)
    CLOSED = "closed"  # a case closed with its outcome recorded


#: Statuses an officer still has work to do on.
ACTIVE_STATUSES: frozenset[Status] = frozenset({Status.NEW, Status.CLAIMED, Status.OPEN})


class Decision(StrEnum):
    ADVICE = "advice"  # advice given
    LOW_LEVEL_CONCERN = "low_level_concern"  # low-level concern noted
    CONSULTATION = "consultation"
    REFERRAL = "referral"  # referral to the LADO process
    NOT_LADO = "not_lado"  # not a LADO matter / redirected
    DUPLICATE = "duplicate"  # duplicate of another referral
    NO_FURTHER_ACTION = "no_further_action"


#: Decisions that open a case in the LADO process.
CASE_DECISIONS: frozenset[Decision] = frozenset({Decision.REFERRAL, Decision.CONSULTATION})


class WaitingOn(StrEnum):
    POLICE = "police"
    EMPLOYER = "employer"
    SOCIAL_CARE = "social_care"
    REFERRER = "referrer"
    OTHER = "other"


class Outcome(StrEnum):
    """Case outcomes (KCSIE definitions; 'no outcome' as the seeds record it)."""

    SUBSTANTIATED = "substantiated"
    UNSUBSTANTIATED = "unsubstantiated"
    UNFOUNDED = "unfounded"
    FALSE = "false"
    MALICIOUS = "malicious"
    NO_OUTCOME = "no_outcome"


class PoliceOutcome(StrEnum):
    NO_POLICE_ACTION = "no_police_action"
    NFA = "nfa"  # investigated, no further action
    PROSECUTION = "prosecution"
    CAUTION = "caution"
    ONGOING = "ongoing"


class EmployerOutcome(StrEnum):
    DISMISSED = "dismissed"
    RESIGNED = "resigned"
    SANCTION = "sanction"
    TRAINING_SUPPORT = "training_support"
    NO_SANCTION = "no_sanction"
    NOT_EMPLOYED = "not_employed"


class Role(StrEnum):
    OFFICER = "officer"
    MANAGER = "manager"
    AUDITOR = "auditor"
    ADMIN = "admin"


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class LinkKind(StrEnum):
    RELATED = "related"
    DUPLICATE = "duplicate"
