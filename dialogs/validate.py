"""Reading answers the way people in England write them, with a clear retry message.

Each reader takes the text and returns ``(value, display)``: the JSON value the
referral gets and the words shown back to the referrer. A reader raises
``Retry(message)`` with a plain-English prompt when it cannot read the answer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import phonenumbers

#: the free-text limit for the account of what happened (and any long answer)
TEXT_LIMIT = 5_000

#: a function turning words into a date, relative to the message time
DateResolver = Callable[[str, dt.datetime], dt.date | None]


class Retry(Exception):
    """The answer could not be used; ``message`` says how to answer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, single spaces, no trailing full stop."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").strip().lower()
    text = re.sub(r"\s+", " ", text)
    return text.rstrip(".!")


_YES = re.compile(
    r"^(y|yes|yeah|yep|yup|yea|aye|correct|right|true|ok|okay|they have|he has|she has|"
    r"i am|it was|it is|there is|there was|definitely|absolutely)\b"
)
_NO = re.compile(
    r"^(n|no|nope|nah|not|none|never|false|negative|they haven't|they have not|he hasn't|"
    r"she hasn't|i'm not|i am not|it wasn't|it was not|there isn't|there wasn't)\b"
)


def yes_no(text: str) -> bool:
    words = normalise(text)
    if _NO.match(words):
        return False
    if _YES.match(words):
        return True
    raise Retry("Please answer yes or no (or say “don't know”).")


def yes_no_display(value: bool) -> str:
    return "Yes" if value else "No"


_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def email(text: str) -> str:
    value = text.strip().strip("<>").strip()
    if len(value) > 320 or not _EMAIL.fullmatch(value):
        raise Retry(
            "That does not look like an email address. "
            "Check it and type it again, like name@school.org.uk."
        )
    local, _, domain = value.rpartition("@")
    if ".." in value or domain.startswith("-") or len(local) > 64:
        raise Retry(
            "That does not look like an email address. "
            "Check it and type it again, like name@school.org.uk."
        )
    return f"{local}@{domain.lower()}"


PHONE_RETRY = (
    "That does not look like a UK phone number. Type it with the area code, "
    "like 0161 496 0000 or 07911 123456."
)


def uk_phone(text: str) -> str:
    """A UK phone number in the national format (``07911 123456``)."""
    raw = re.sub(r"(?i)\b(tel|phone|mobile|mob|landline|ext\.?)\b[: ]*", "", text.strip())
    if not re.fullmatch(r"[0-9+() .\-]{7,25}", raw):
        raise Retry(PHONE_RETRY)
    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException as exc:
        raise Retry(PHONE_RETRY) from exc
    if number.country_code != 44 or not phonenumbers.is_valid_number(number):
        raise Retry(PHONE_RETRY)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


_PHONE_IN_TEXT = re.compile(r"(?:\+44\s?|0)[0-9][0-9 ().\-]{8,16}[0-9]")


def contact(text: str) -> dict[str, str]:
    """A phone number, an email address, or both, from one answer."""
    found: dict[str, str] = {}
    mail = _EMAIL.search(text)
    if mail:
        found["email"] = email(mail.group(0))
    elif "@" in text:
        email(text.strip())  # raises the email retry message
    rest = text.replace(mail.group(0), " ") if mail else text
    phone = _PHONE_IN_TEXT.search(rest)
    if phone:
        found["phone"] = uk_phone(phone.group(0))
    elif re.search(r"\d{5,}", rest) and not found:
        raise Retry(PHONE_RETRY)
    if not found:
        raise Retry(
            "Please give a phone number or an email address we can reach you on, "
            "like 07911 123456 or name@school.org.uk."
        )
    return found


def contact_display(value: dict[str, str]) -> str:
    return ", ".join(v for v in (value.get("phone"), value.get("email")) if v)


_NUMBERS = {
    "zero": 0,
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
}


def _numbers_in(text: str) -> list[int]:
    words = re.findall(r"\d+|[a-z]+", normalise(text).replace("-", " "))
    numbers: list[int] = []
    for word in words:
        if word.isdigit():
            numbers.append(int(word))
        elif word in _NUMBERS and word not in ("a", "an"):
            value = _NUMBERS[word]
            if numbers and numbers[-1] in (20, 30, 40, 50) and value < 10:
                numbers[-1] += value  # "twenty one"
            else:
                numbers.append(value)
    return numbers


def count(text: str) -> int:
    """How many (children): a whole number from 1 to 100."""
    numbers = _numbers_in(text)
    if re.fullmatch(r"(just )?(one|a child|a single child|only one)", normalise(text)):
        return 1
    if len(numbers) != 1 or not 1 <= numbers[0] <= 100:
        raise Retry("Please give the number as a figure, like 1 or 3 (or say “don't know”).")
    return numbers[0]


def _age_on(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def ages(text: str, *, at: dt.datetime, resolve: DateResolver) -> list[int]:
    """One age or several ("8", "eight", "6 and 9", "18 months", or a date of birth)."""
    words = normalise(text)
    if re.search(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\b(19|20)\d{2}\b", words) or re.search(
        r"\b(born|dob|date of birth)\b", words
    ):
        born = resolve(re.sub(r"\b(born( on)?|dob|date of birth)\b:?", "", words).strip(), at)
        if born is None or born > at.date():
            raise Retry(
                "I could not read that date of birth. Try something like 14/03/2017, "
                "or give the child's age in years."
            )
        return [_age_on(born, at.date())]
    if re.search(r"\b(months?|weeks?|days?)\b", words) and not re.search(r"\byears?\b", words):
        numbers = _numbers_in(words)
        if len(numbers) == 1 and numbers[0] < 36:
            return [numbers[0] // 12 if "month" in words else 0]
    numbers = _numbers_in(words)
    if not numbers:
        raise Retry("Please give the child's age in years, like 8 (or say “don't know”).")
    if any(n > 17 for n in numbers):
        raise Retry(
            "A child is under 18. If the person is an adult now, give their age when it "
            "happened, like 14."
        )
    return numbers


def ages_display(value: int | list[int]) -> str:
    values = value if isinstance(value, list) else [value]
    return ", ".join(str(v) for v in values)


def date(
    text: str,
    *,
    at: dt.datetime,
    resolve: DateResolver,
    not_future: bool = True,
    birth: bool = False,
) -> dt.date:
    day = resolve(text, at)
    if day is None:
        raise Retry(
            "I could not read that as a date. Try something like “yesterday”, "
            "“last Tuesday” or “3 March 2026” (or say “don't know”)."
        )
    today = at.date()
    if not_future and day > today:
        raise Retry("That date is in the future. Please check it and type it again.")
    if birth:
        years = _age_on(day, today)
        if not 10 <= years <= 100:
            raise Retry(
                "That date of birth gives an age of "
                f"{years}. Please check it (like 14/03/1985), or say “don't know”."
            )
    return day


def date_display(value: str) -> str:
    day = dt.date.fromisoformat(value)
    return f"{day.day} {day:%B %Y}"


def text(value: str, *, limit: int, what: str = "answer") -> str:
    cleaned = value.strip()
    if not cleaned:
        raise Retry("Please type an answer (or say “don't know”).")
    if len(cleaned) > limit:
        raise Retry(
            f"That {what} is {len(cleaned):,} characters long; the limit is {limit:,}. "
            "Please shorten it."
        )
    return cleaned
