"""Errors of the application core. Messages are safe to show to the person who acted."""

from __future__ import annotations


class IntakeError(Exception):
    """Base class: ``str(error)`` is a plain-English message with no personal data."""


class Forbidden(IntakeError):
    """The actor's role does not allow this."""


class Invalid(IntakeError):
    """The request breaks a rule (e.g. a decision that differs from the suggestion needs a
    reason). ``problems`` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class Conflict(IntakeError):
    """Someone else changed or claimed the item first."""


class NotFoundError(IntakeError):
    """The item does not exist."""


class AuthFailed(IntakeError):
    """Sign-in refused (the message never says whether the account exists)."""
