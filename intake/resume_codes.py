"""Resume codes: random, shown once, stored only as an argon2 hash.

``ResumeCodes`` is the part of ``intake.conversations.Conversations`` that issues
them and finds the conversation a reference and code reopen.
"""

from __future__ import annotations

import asyncio
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from intake.conversation_records import (
    CANCELLED,
    EXPIRED,
    Conversation,
    normalise_reference,
    random_chars,
    view,
)
from store.engine import Database
from store.errors import NotFound
from store.references import REFERENCE_RE
from store.repo import conversations as repo
from store.repo import referrals as referral_repo

# Light argon2id parameters (about 2 ms): the code is random (~40 bits), online guessing
# is rate limited, and anyone able to read the hash can already read the conversation's
# state in the same row, so a password-grade cost would only slow every referrer down
# (a burst of 200 conversations spent seconds hashing at the OWASP password setting).
_hasher = PasswordHasher(time_cost=2, memory_cost=2_048, parallelism=1)


def new_resume_code() -> str:
    return f"{random_chars(4)}-{random_chars(4)}"


class ResumeCodes:
    """Issuing resume codes, and reopening a conversation with one (part of
    ``Conversations``)."""

    db: Database

    async def issue_resume_code(self, conversation: Conversation) -> str:
        """A new resume code for the conversation; the previous one stops working."""
        return await self.prepare_resume_code().issue(conversation)

    def prepare_resume_code(self) -> PendingCode:
        """Start hashing a new code in a worker thread now (argon2 takes tens of
        milliseconds); ``issue`` stores it later, so the hashing overlaps other work
        and the old code keeps working if that work fails."""
        code = new_resume_code()
        return PendingCode(
            self.db, code, asyncio.ensure_future(asyncio.to_thread(_hasher.hash, code))
        )

    async def find_for_resume(self, reference: str, code: str) -> Conversation | None:
        """The conversation a reference (``CH-…`` or ``LADO-…``) and code open, or None."""
        wanted = normalise_reference(reference)
        typed = normalise_reference(code)
        if not wanted or not typed or len(typed) > 20:
            return None
        if len(typed) == 8 and "-" not in typed:
            typed = f"{typed[:4]}-{typed[4:]}"
        async with self.db.session() as session:
            conversation_id: str | None = wanted
            if REFERENCE_RE.fullmatch(wanted):
                try:
                    referral = await referral_repo.get_by_reference(session, reference=wanted)
                except NotFound:
                    referral = None
                conversation_id = referral.conversation_id if referral else None
            found = (
                await repo.get_conversation(session, conversation_id=conversation_id)
                if conversation_id
                else None
            )
        if found is None or not found[0].resume_code_hash:
            # same work either way, so timing does not tell whether the reference exists
            await asyncio.to_thread(_verify, _DUMMY_HASH, typed)
            return None
        row, ref = found
        assert row.resume_code_hash is not None
        if not await asyncio.to_thread(_verify, row.resume_code_hash, typed):
            return None
        if row.status in (EXPIRED, CANCELLED):
            return None
        return view(row, ref)


class PendingCode:
    """A resume code being hashed; ``issue`` stores the hash and returns the code."""

    def __init__(self, db: Database, code: str, digest: asyncio.Future[str]) -> None:
        self.db = db
        self.code = code
        self.digest = digest

    async def issue(self, conversation: Conversation) -> str:
        digest = await self.digest
        async with self.db.transaction() as session:
            await repo.set_resume_code(session, conversation_id=conversation.id, code_hash=digest)
        return self.code

    def discard(self) -> None:
        """Not needed after all (the work it overlapped failed)."""
        self.digest.cancel()


def _verify(digest: str, code: str) -> bool:
    try:
        return _hasher.verify(digest, code)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(8))
