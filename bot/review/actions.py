"""Officer actions on one item (POST only; CSRF checked by the auth middleware).

Each handler checks the role first, then validates the form, then acts, then
redirects back to the item (post/redirect/get).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel

from bot.review import forms
from bot.review.auth import require
from bot.review.views import reference_from
from bot.web.errors import UserError
from bot.web.keys import DB
from intake import case_record, review
from intake.errors import Conflict, Forbidden, Invalid, NotFoundError
from intake.officers import Actor
from intake.review_common import ASSIGNERS, CHANGERS
from store.enums import Role

routes = web.RouteTableDef()

F = TypeVar("F", bound=BaseModel)


async def _act(
    request: web.Request,
    model: type[F],
    action: Callable[[Actor, str, F], Awaitable[Any]],
    *,
    roles: frozenset[Role] = CHANGERS,
    anchor: str = "",
) -> web.StreamResponse:
    actor = require(request, roles)
    reference = reference_from(request)
    form = await forms.parse_form(request, model)
    try:
        await action(actor, reference, form)
    except Forbidden as exc:
        raise UserError(403, str(exc)) from exc
    except Invalid as exc:
        raise UserError(400, "This could not be saved.", exc.problems) from exc
    except Conflict as exc:
        raise UserError(409, str(exc)) from exc
    except NotFoundError as exc:
        raise UserError(404, str(exc)) from exc
    raise web.HTTPSeeOther(f"/queue/{reference}{anchor}")


@routes.post("/queue/{reference}/claim")
async def claim(request: web.Request) -> web.StreamResponse:
    db = request.app[DB]

    async def act(actor: Actor, ref: str, form: forms.Versioned) -> None:
        await review.claim(db, actor=actor, reference=ref, version=form.version)

    return await _act(request, forms.Versioned, act)


@routes.post("/queue/{reference}/assign")
async def assign(request: web.Request) -> web.StreamResponse:
    db = request.app[DB]

    async def act(actor: Actor, ref: str, form: forms.AssignForm) -> None:
        await review.assign(
            db, actor=actor, reference=ref, version=form.version, officer_id=form.officer_id
        )

    return await _act(request, forms.AssignForm, act, roles=ASSIGNERS)


@routes.post("/queue/{reference}/decide")
async def decide(request: web.Request) -> web.StreamResponse:
    db = request.app[DB]

    async def act(actor: Actor, ref: str, form: forms.DecideForm) -> None:
        await review.decide(
            db,
            actor=actor,
            reference=ref,
            version=form.version,
            decision=form.decision,
            reason=form.reason,
            duplicate_of=form.duplicate_of,
            categories=[c.value for c in form.categories] or None,
        )

    return await _act(request, forms.DecideForm, act, anchor="#decision")


@routes.post("/queue/{reference}/note")
async def note(request: web.Request) -> web.StreamResponse:
    db = request.app[DB]

    async def act(actor: Actor, ref: str, form: forms.NoteForm) -> None:
        await review.add_note(db, actor=actor, reference=ref, text=form.text)

    return await _act(request, forms.NoteForm, act, anchor="#notes")


@routes.post("/queue/{reference}/link")
async def link(request: web.Request) -> web.StreamResponse:
    db = request.app[DB]

    async def act(actor: Actor, ref: str, form: forms.LinkForm) -> None:
        await review.link(db, actor=actor, reference=ref, other=form.other)

    return await _act(request, forms.LinkForm, act, anchor="#links")


@routes.post("/queue/{reference}/wait")
async def wait(request: web.Request) -> web.StreamResponse:
    db = request.app[DB]

    async def act(actor: Actor, ref: str, form: forms.WaitForm) -> None:
        await review.set_waiting(
            db,
            actor=actor,
            reference=ref,
            version=form.version,
            waiting_on=form.waiting_on,
            reason=form.reason,
        )

    return await _act(request, forms.WaitForm, act)


@routes.post("/queue/{reference}/lifecycle")
async def lifecycle(request: web.Request) -> web.StreamResponse:
    db = request.app[DB]

    async def act(actor: Actor, ref: str, form: forms.LifecycleForm) -> None:
        changes = case_record.Lifecycle(
            strategy_meeting_on=form.strategy_meeting_on,
            outcome=form.outcome,
            police_outcome=form.police_outcome,
            employer_outcome=form.employer_outcome,
            dbs_referral=form.dbs_referral,
            regulator_referral=form.regulator_referral,
            close=form.close,
        )
        await case_record.update_lifecycle(
            db, actor=actor, reference=ref, version=form.version, changes=changes
        )

    return await _act(request, forms.LifecycleForm, act, anchor="#case")
