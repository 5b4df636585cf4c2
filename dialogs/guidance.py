"""What the referrer is told: the emergency message, what happens next for each triage
suggestion, what to do now and what NOT to do, and the duty contact details.

Every number and hour comes from the authority's settings: nothing here names a council.
The suggestion is only a suggestion; the wording says so, and an officer decides.
"""

from __future__ import annotations

from intake.config import AuthoritySettings

WHAT_NOT_TO_DO = (
    "What NOT to do before you have spoken to the LADO:\n"
    "• do not investigate, and do not interview the child, the adult or any witnesses;\n"
    "• do not tell the adult about the concern — the LADO will agree with you how and "
    "when they are told;\n"
    "• do not suspend or take other employment action until you have had advice;\n"
    "• do not delay reporting to gather more information."
)

WHAT_TO_DO = (
    "What to do now:\n"
    "• write down what you were told or saw, in the words used, with times, dates, "
    "places and who was present; sign and date it;\n"
    "• keep any evidence safe (for example CCTV, messages, registers, incident forms);\n"
    "• basic fact-finding is fine: who was on duty, whether there is CCTV."
)


def duty_contact(authority: AuthoritySettings) -> str:
    return (
        f"{authority.service_name} duty line: {authority.duty_phone} ({authority.duty_hours}); "
        f"email {authority.duty_email}."
    )


def emergency(authority: AuthoritySettings) -> str:
    return (
        "If a child is in immediate danger, call 999 now and ask for the police. "
        "Then call children's social care on "
        f"{authority.front_door_phone} (out of hours: {authority.out_of_hours_phone}). "
        "We have marked this report URGENT so the LADO team sees it first. "
        "When the child is safe, please carry on: we only need a few details."
    )


def not_sure_about_danger(authority: AuthoritySettings) -> str:
    return (
        "If you think a child may be at risk of harm right now, call 999 or children's "
        f"social care on {authority.front_door_phone} "
        f"(out of hours: {authority.out_of_hours_phone})."
    )


def speak_to_someone(authority: AuthoritySettings) -> str:
    return (
        f"You can speak to the {authority.service_name} duty team on "
        f"{authority.duty_phone} ({authority.duty_hours}). "
        "If a child is at risk and the line is closed, call "
        f"{authority.out_of_hours_phone}, or 999 in an emergency."
    )


def _response(authority: AuthoritySettings) -> str:
    return f"within {authority.response_hours} hours"


def next_steps(suggestion: str | None, authority: AuthoritySettings, missing: list[str]) -> str:
    """What happens next, in plain English, for the triage suggestion."""
    response = _response(authority)
    if suggestion == "URGENT":
        return (
            "From what you have told us, a child may be at immediate risk. If you have not "
            "already, call 999 now, and children's social care on "
            f"{authority.front_door_phone} (out of hours: {authority.out_of_hours_phone}). "
            "The LADO team has been alerted and an officer will contact you as soon as "
            "possible today."
        )
    if suggestion in ("REFERRAL", "CONSULTATION"):
        return (
            "From what you have told us, this is likely to need the LADO's oversight. "
            f"An officer will contact you {response} to agree what happens next. "
            "Please keep the adult's role under review with your senior manager, but take "
            "no action against them until you have had advice."
        )
    if suggestion == "LOW_LEVEL_CONCERN":
        return (
            "From what you have told us, this may be a low-level concern: behaviour that "
            "does not meet the harm threshold but is not in line with your code of conduct. "
            "Record it under your organisation's low-level concerns policy and tell your "
            "DSL. Patterns matter: if there are other concerns about this adult, tell us. "
            f"An officer will review what you sent {response} and contact you if needed."
        )
    if suggestion == "NOT_LADO":
        return (
            "From what you have told us, this may not be a matter for the LADO (for example "
            "if the adult does not work with children, or it is a concern about a child's "
            "welfare at home). An officer will still read it "
            f"{response}. If a child needs help, contact children's social care on "
            f"{authority.front_door_phone}; for a concern about an adult who works with "
            "adults, contact adult social care; for a crime, the police (999 in an "
            "emergency, 101 otherwise)."
        )
    text = f"An officer will read what you sent and contact you {response} with advice."
    if missing:
        text += (
            " The officer may ask about details we could not collect, such as "
            + "; ".join(missing[:4])
            + ": these could change the answer."
        )
    return text


def after_submit(
    *,
    reference: str,
    resume_code: str | None,
    suggestion: str | None,
    missing: list[str],
    authority: AuthoritySettings,
) -> list[str]:
    """The messages shown once a report is in the queue."""
    first = f"Thank you. Your report has been sent to the LADO team. Your reference is {reference}."
    if resume_code:
        first += (
            f" Your code is {resume_code}. With the reference and code you can come back to "
            "add information. Keep them somewhere safe: we cannot show the code again."
        )
    return [
        first,
        "What happens next: " + next_steps(suggestion, authority, missing),
        WHAT_TO_DO,
        WHAT_NOT_TO_DO,
        duty_contact(authority),
    ]
