"""Form models for the officer actions: every field validated, nothing trusted."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, TypeVar

from aiohttp import web
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from bot.web.errors import UserError
from store.enums import Decision, EmployerOutcome, Outcome, PoliceOutcome, WaitingOn
from triage.vocab import Category

REFERENCE_PATTERN = r"^LADO-\d{4}-\d{6}$"

F = TypeVar("F", bound=BaseModel)


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _yes_no(value: Any) -> Any:
    if value in (None, ""):
        return None
    if value in ("yes", "true", "on", "1"):
        return True
    if value in ("no", "false", "0"):
        return False
    return value


class _Form(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    csrf_token: str = Field(default="", max_length=200)


class Versioned(_Form):
    version: int = Field(ge=1, le=10_000_000)


class AssignForm(Versioned):
    officer_id: int = Field(ge=1)


class DecideForm(Versioned):
    decision: Decision
    reason: str = Field(default="", max_length=4000)
    duplicate_of: Annotated[str | None, BeforeValidator(_blank_to_none)] = Field(
        default=None, pattern=REFERENCE_PATTERN
    )
    categories: list[Category] = Field(default_factory=list, max_length=5)


class NoteForm(_Form):
    text: str = Field(min_length=1, max_length=10_000)


class LinkForm(_Form):
    other: str = Field(pattern=REFERENCE_PATTERN)


class WaitForm(Versioned):
    waiting_on: Annotated[WaitingOn | None, BeforeValidator(_blank_to_none)] = None
    reason: str = Field(default="", max_length=500)


class LifecycleForm(Versioned):
    strategy_meeting_on: Annotated[dt.date | None, BeforeValidator(_blank_to_none)] = None
    outcome: Annotated[Outcome | None, BeforeValidator(_blank_to_none)] = None
    police_outcome: Annotated[PoliceOutcome | None, BeforeValidator(_blank_to_none)] = None
    employer_outcome: Annotated[EmployerOutcome | None, BeforeValidator(_blank_to_none)] = None
    dbs_referral: Annotated[bool | None, BeforeValidator(_yes_no)] = None
    regulator_referral: Annotated[str | None, BeforeValidator(_blank_to_none)] = Field(
        default=None, max_length=100
    )
    close: Annotated[bool, BeforeValidator(lambda v: v in ("yes", "on", "true", "1"))] = False


FIELD_LABELS = {
    "version": "version",
    "officer_id": "officer",
    "decision": "decision",
    "reason": "reason",
    "duplicate_of": "original reference (LADO-YYYY-NNNNNN)",
    "categories": "categories",
    "text": "note",
    "other": "reference to link (LADO-YYYY-NNNNNN)",
    "waiting_on": "waiting on",
    "strategy_meeting_on": "strategy meeting date (YYYY-MM-DD)",
    "outcome": "outcome",
    "police_outcome": "police outcome",
    "employer_outcome": "employer outcome",
    "dbs_referral": "DBS referral",
    "regulator_referral": "regulator referral",
}


def describe_errors(exc: ValidationError) -> list[str]:
    """One plain line per invalid field, naming the field, never echoing the value."""
    problems = []
    for error in exc.errors(include_input=False, include_url=False):
        field = str(error["loc"][0]) if error["loc"] else "form"
        label = FIELD_LABELS.get(field, field)
        problems.append(f"Check the {label}: {error['msg'].rstrip('.')}.")
    return problems


async def parse_form(request: web.Request, model: type[F]) -> F:
    """Validate the posted form against ``model`` or answer 400 listing each problem."""
    if request.content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise UserError(415, "Send this form from the page (form-encoded).")
    form = await request.post()
    data: dict[str, Any] = {}
    for key in form:
        values = [v for v in form.getall(key) if isinstance(v, str)]
        if key in model.model_fields and _is_list(model, key):
            data[key] = values
        elif values:
            data[key] = values[-1]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise UserError(400, "Some of the details need correcting.", describe_errors(exc)) from exc


def _is_list(model: type[BaseModel], key: str) -> bool:
    annotation = model.model_fields[key].annotation
    return getattr(annotation, "__origin__", None) is list
