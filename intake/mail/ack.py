"""The acknowledgement email: the reference, what happens next, and the questions for
exactly the essential details the triage found missing.

It is marked ``Auto-Submitted: auto-replied`` (RFC 3834) so well-behaved systems do
not answer it, threads with the referrer's email (In-Reply-To/References), and
carries our loop headers so we recognise it if it ever comes back.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from intake.config import AuthoritySettings
from intake.mail.classify import OWN_HEADER
from store.types import utcnow
from triage.vocab import ESSENTIAL_DETAILS

#: each essential detail as a question to a professional who emailed us
QUESTIONS: dict[str, str] = {
    "immediate_danger": "Is any child in immediate danger now? If so, call 999 first.",
    "referrer_name": "What is your name?",
    "referrer_role": "What is your role?",
    "referrer_organisation": "Which organisation are you contacting us from?",
    "referrer_contact": "What phone number can we reach you on?",
    "referrer_is_dsl": "Are you the designated safeguarding lead or the manager?",
    "what_happened": "What happened, in your own words?",
    "adult_name": "What is the full name of the adult the concern is about?",
    "adult_dob": "What is the adult's date of birth?",
    "adult_address": "What is the adult's home address?",
    "adult_role": "What is the adult's role or job title?",
    "employer": "Who employs the adult, and at which setting?",
    "employment_basis": "Is the adult paid, a volunteer, agency staff or self-employed?",
    "sector": "What type of organisation does the adult work for?",
    "adult_other_roles": "Does the adult have any other roles with children or adults "
    "(a second job, volunteering, fostering)?",
    "child_name": "What is the child's first name or initials?",
    "child_age": "How old is the child (or what is their date of birth)?",
    "child_send": "Does the child have any special educational needs or disability?",
    "child_looked_after": "Is the child looked after, or on a child protection plan?",
    "incident_date": "When did it happen?",
    "aware_date": "When did your organisation become aware?",
    "location": "Where did it happen?",
    "in_work": "Did it happen at work, outside work or online?",
    "restraint": "Was any restraint involved?",
    "injury": "Was the child injured? If so, how?",
    "previous_concerns": "Are you aware of any previous concerns about this adult?",
    "police_informed": "Have the police been told? If so, what is the crime reference?",
    "csc_informed": "Has children's social care been told?",
    "parents_informed": "Have the child's parents or carers been told?",
    "adult_status": "Is the adult still working, suspended or redeployed?",
    "adult_informed": "Has the adult been told about the concern?",
    "non_recent": "Did this happen some time ago, and is the person harmed now an adult?",
}

#: details the sender of an email has already given us by writing from an address
ANSWERED_BY_EMAIL = frozenset({"referrer_contact"})


def question(key: str) -> str:
    """The question for one essential detail."""
    if key in QUESTIONS:
        return QUESTIONS[key]
    label = ESSENTIAL_DETAILS.get(key, key.replace("_", " "))
    return f"Please tell us {label}."


def questions_for(missing: Sequence[str], known: Sequence[str] = ()) -> list[str]:
    """Questions for exactly the missing essential details (in the asking order of
    ESSENTIAL_DETAILS), leaving out what the email itself answered."""
    skip = set(known) | ANSWERED_BY_EMAIL
    wanted = [k for k in missing if k not in skip]
    order = {k: i for i, k in enumerate(ESSENTIAL_DETAILS)}
    return [question(k) for k in sorted(dict.fromkeys(wanted), key=lambda k: order.get(k, 999))]


@dataclass(frozen=True)
class AckContext:
    authority: AuthoritySettings
    address: str
    chat_url: str


def ack_message_id(inbound_id: int, reference: str, address: str) -> str:
    """Deterministic Message-ID of the acknowledgement of one stored email (so a
    restarted poller can never queue a second one)."""
    domain = address.rsplit("@", 1)[-1] if "@" in address else "lado-intake.invalid"
    digest = hashlib.sha256(f"{inbound_id}:{reference}".encode()).hexdigest()[:16]
    return f"<ack-{inbound_id}-{digest}@{domain}>"


def _subject(reference: str, original: str) -> str:
    original = re.sub(r"\s+", " ", original or "").strip()
    original = re.sub(r"\[?\bLADO-\d{4}-\d{6}\b\]?", "", original)
    original = re.sub(r"^((re|aw|sv)\s*:\s*)+", "Re: ", original.strip(), flags=re.I).strip()
    if not original:
        return f"[{reference}] Your contact with the LADO service"
    if not re.match(r"^(re|aw|sv)\s*:", original, re.I):
        original = f"Re: {original}"
    return f"[{reference}] {original}"[:250]


def compose(
    ctx: AckContext,
    *,
    to: str,
    reference: str,
    inbound_row_id: int,
    inbound_message_id: str | None,
    inbound_references: Sequence[str],
    original_subject: str,
    missing: Sequence[str],
    known: Sequence[str] = (),
    reply: bool = False,
) -> EmailMessage:
    """The acknowledgement (``reply``: of a further email on an existing referral)."""
    a = ctx.authority
    msg = EmailMessage()
    msg["From"] = formataddr((a.service_name, ctx.address))
    msg["To"] = to
    msg["Subject"] = _subject(reference, original_subject)
    msg["Date"] = format_datetime(utcnow())
    msg["Message-ID"] = ack_message_id(inbound_row_id, reference, ctx.address)
    if inbound_message_id:
        msg["In-Reply-To"] = inbound_message_id
        refs = [*[r for r in inbound_references if r][-20:], inbound_message_id]
        msg["References"] = " ".join(dict.fromkeys(refs))
    msg["Auto-Submitted"] = "auto-replied"
    msg["X-Auto-Response-Suppress"] = "All"
    msg["X-Loop"] = ctx.address
    msg[OWN_HEADER] = "acknowledgement"
    msg["X-LADO-Reference"] = reference
    lines = [
        "Hello,",
        "",
    ]
    if reply:
        lines += [
            f"Thank you. We have added your email to {reference}; the officer dealing with it "
            "will read it.",
        ]
    else:
        lines += [
            f"Thank you for contacting the {a.service_name} at {a.name}. We have received your "
            f"email and logged it with the reference {reference}.",
            "",
            f"Please keep this reference and leave [{reference}] in the subject of any reply, "
            "so that it reaches the same record.",
            "",
            "What happens next",
            "",
            f"An allegations officer will read your email and contact you within "
            f"{a.response_hours} hours ({a.duty_hours}). Until we have spoken, please do not "
            "investigate, interview the child, the adult or any witnesses, or tell the adult "
            "about the concern. Keeping records, noting who was present and preserving any "
            "CCTV is helpful.",
        ]
        questions = questions_for(missing, known)
        if questions:
            lines += [
                "",
                "To help us decide quickly, please tell us:",
                "",
                *[f"{i}. {q}" for i, q in enumerate(questions, 1)],
                "",
                "You can reply to this email with your answers, or continue in the web chat at "
                f"{ctx.chat_url} using the reference {reference}. If you do not know an answer, "
                "just say so.",
            ]
    lines += [
        "",
        "If a child is in immediate danger, call 999 now. To make a referral about a child's "
        f"welfare, call children's social care on {a.front_door_phone} (out of hours "
        f"{a.out_of_hours_phone}).",
        "",
        f"LADO duty line: {a.duty_phone} ({a.duty_hours}).",
        "",
        f"{a.service_name}, {a.name}",
        "",
        "This is an automatic acknowledgement.",
    ]
    msg.set_content("\n".join(lines))
    return msg
