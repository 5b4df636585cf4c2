"""Officer accounts: password hashing (argon2), sign-in with lockout, bootstrap."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from intake.errors import AuthFailed, Invalid, NotFoundError
from store import audit
from store.engine import Database
from store.enums import Role
from store.models import Officer, OfficerCreate
from store.repo import officers as repo
from store.types import utcnow

_hasher = PasswordHasher()
#: verified against when the account does not exist, so timing does not reveal it
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

MIN_PASSWORD = 12
MAX_PASSWORD = 256
GENERIC_FAILURE = "Email address or password not recognised, or the account is locked."


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_problems(password: str) -> list[str]:
    problems = []
    if len(password) < MIN_PASSWORD:
        problems.append(f"Use at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        problems.append(f"Use at most {MAX_PASSWORD} characters.")
    if password.strip() != password:
        problems.append("Do not start or end the password with a space.")
    return problems


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class Actor:
    """Who is acting: an officer (with role) or the system (a job or channel)."""

    name: str
    officer_id: int | None = None
    role: Role | None = None

    @classmethod
    def of(cls, officer: Officer) -> Actor:
        assert officer.id is not None
        return cls(name=f"officer:{officer.id}", officer_id=officer.id, role=Role(officer.role))

    @classmethod
    def system(cls, job: str) -> Actor:
        return cls(name=f"system:{job}")


async def authenticate(
    db: Database, *, email: str, password: str, max_failures: int, lockout: dt.timedelta
) -> Officer:
    """The officer, or AuthFailed (same message whether or not the account exists).

    Failures are committed (and audited) before AuthFailed is raised, so the
    lockout counts every attempt.
    """
    async with db.transaction() as session:
        officer = await repo.find_by_email(session, email=email)
        if officer is None or officer.disabled or officer.id is None:
            _verify(_DUMMY_HASH, password)
            signed_in = None
        elif officer.locked_until is not None and officer.locked_until > utcnow():
            _verify(_DUMMY_HASH, password)
            await audit.append(
                session, actor=f"officer:{officer.id}", officer_id=officer.id, action="login.locked"
            )
            signed_in = None
        elif not _verify(officer.password_hash, password):
            failures = await repo.record_failed_login(
                session, officer_id=officer.id, max_failures=max_failures, lockout=lockout
            )
            await audit.append(
                session,
                actor=f"officer:{officer.id}",
                officer_id=officer.id,
                action="login.failed",
                detail={"locked": failures >= max_failures},
            )
            signed_in = None
        else:
            if _hasher.check_needs_rehash(officer.password_hash):
                await repo.set_password(
                    session,
                    officer_id=officer.id,
                    password_hash=hash_password(password),
                    must_change=officer.must_change_password,
                )
            await repo.record_login(session, officer_id=officer.id)
            await audit.append(
                session, actor=f"officer:{officer.id}", officer_id=officer.id, action="login"
            )
            await session.refresh(officer)
            signed_in = officer
    if signed_in is None:
        raise AuthFailed(GENERIC_FAILURE)
    return signed_in


async def add_officer(
    db: Database,
    *,
    email: str,
    role: Role,
    password: str,
    display_name: str = "",
    must_change: bool = False,
    actor: Actor,
) -> Officer:
    problems = password_problems(password)
    if "@" not in email or len(email) > 320:
        problems.append("Give a valid email address.")
    if problems:
        raise Invalid(problems)
    async with db.transaction() as session:
        if await repo.find_by_email(session, email=email) is not None:
            raise Invalid(["An officer with that email address already exists."])
        officer = await repo.create_officer(
            session,
            data=OfficerCreate(
                email=email,
                display_name=display_name or email.split("@", 1)[0],
                role=role.value,
                password_hash=hash_password(password),
                must_change_password=must_change,
            ),
        )
        await audit.append(
            session,
            actor=actor.name,
            officer_id=actor.officer_id,
            action="officer.add",
            detail={"officer": officer.id, "role": role.value},
        )
        return officer


async def set_disabled(db: Database, *, email: str, disabled: bool, actor: Actor) -> Officer:
    async with db.transaction() as session:
        officer = await repo.find_by_email(session, email=email)
        if officer is None or officer.id is None:
            raise NotFoundError("No officer has that email address.")
        await repo.set_disabled(session, officer_id=officer.id, disabled=disabled)
        await audit.append(
            session,
            actor=actor.name,
            officer_id=actor.officer_id,
            action="officer.disable" if disabled else "officer.enable",
            detail={"officer": officer.id},
        )
        await session.refresh(officer)
        return officer


async def change_password(db: Database, *, officer_id: int, current: str, new: str) -> None:
    problems = password_problems(new)
    if new == current:
        problems.append("Choose a password different from the current one.")
    async with db.transaction() as session:
        officer = await repo.get_officer(session, officer_id=officer_id)
        if not _verify(officer.password_hash, current):
            problems.insert(0, "The current password is not right.")
        if problems:
            raise Invalid(problems)
        await repo.set_password(
            session, officer_id=officer_id, password_hash=hash_password(new), must_change=False
        )
        await audit.append(
            session, actor=f"officer:{officer_id}", officer_id=officer_id, action="password.change"
        )


@dataclass(frozen=True)
class Bootstrap:
    created: bool
    email: str
    password: str | None = None


async def bootstrap_admin(
    db: Database, *, email: str = "admin@localhost", password: str | None = None
) -> Bootstrap:
    """Create a first admin when there are no officers at all.

    Without ``password`` a one-time password is generated (returned once, to be
    printed in dev) and must be changed at the first sign-in.
    """
    async with db.transaction() as session:
        if await repo.count_officers(session) > 0:
            return Bootstrap(created=False, email=email)
    one_time = password is None
    password = password or secrets.token_urlsafe(15)
    await add_officer(
        db,
        email=email,
        role=Role.ADMIN,
        password=password,
        display_name="Administrator",
        must_change=one_time,
        actor=Actor.system("bootstrap"),
    )
    return Bootstrap(created=True, email=email, password=password if one_time else None)
