"""Officer sign-in: server-side sessions, the default-deny gate, CSRF and roles.

- The session cookie carries a random token; the database stores only its keyed
  hash, so a copy of the database cannot be used to sign in. HttpOnly,
  SameSite=Strict, Secure (and the ``__Host-`` prefix) behind HTTPS.
- Every path is closed to anonymous users unless a part of the service declared
  it public (``PUBLIC_PREFIXES``).
- Every state-changing request from a signed-in officer carries the session's
  CSRF token; the sign-in form uses a double-submit cookie.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, Iterable

from aiohttp import web

from bot.templating import render
from bot.web.errors import UserError
from bot.web.keys import DB, OFFICER, PUBLIC_PREFIXES, SESSION, SETTINGS
from intake import officers as officer_service
from intake.errors import AuthFailed, Invalid
from intake.officers import Actor
from store import audit
from store.enums import Role
from store.models import Officer
from store.repo import officers as repo
from store.types import utcnow

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOGIN_COOKIE = "lado_login"
TOUCH_EVERY = dt.timedelta(seconds=60)

routes = web.RouteTableDef()


def cookie_name(request: web.Request) -> str:
    return "__Host-lado_session" if request.app[SETTINGS].cookies_secure else "lado_session"


def token_hash(request: web.Request, token: str) -> str:
    key = request.app[SETTINGS].secret_key.get_secret_value().encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def _expiry(request: web.Request, created: dt.datetime, now: dt.datetime) -> dt.datetime:
    web_settings = request.app[SETTINGS].web
    idle = now + dt.timedelta(minutes=web_settings.session_idle_minutes)
    absolute = created + dt.timedelta(hours=web_settings.session_max_hours)
    return min(idle, absolute)


def _set_cookie(
    request: web.Request,
    response: web.StreamResponse,
    name: str,
    value: str,
    *,
    max_age: int | None,
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="Strict",
        secure=request.app[SETTINGS].cookies_secure,
    )


def current_officer(request: web.Request) -> Officer | None:
    return request.get(OFFICER)


def require(request: web.Request, roles: Iterable[Role] | None = None) -> Actor:
    """The signed-in officer as an Actor, or 403 when their role is not in ``roles``."""
    officer = request.get(OFFICER)
    if officer is None:
        raise web.HTTPForbidden()
    if roles is not None and Role(officer.role) not in set(roles):
        raise UserError(403, "Your role does not allow this.")
    return Actor.of(officer)


def csrf_token(request: web.Request) -> str:
    session = request.get(SESSION)
    return session.csrf_token if session is not None else ""


def _is_public(request: web.Request) -> bool:
    path = request.path
    return any(
        path == prefix or path.startswith(prefix.rstrip("/") + "/")
        for prefix in request.app[PUBLIC_PREFIXES]
    )


async def _load_session(request: web.Request) -> None:
    token = request.cookies.get(cookie_name(request))
    if not token or len(token) > 200:
        return
    digest = token_hash(request, token)
    now = utcnow()
    db = request.app[DB]
    async with db.session() as session:
        found = await repo.load_session(session, token_hash=digest, now=now)
    if found is None:
        return
    officer_session, officer = found
    request[SESSION] = officer_session
    request[OFFICER] = officer
    if now - officer_session.last_seen_at > TOUCH_EVERY:
        async with db.transaction() as session:
            await repo.touch_session(
                session,
                token_hash=digest,
                now=now,
                expires_at=_expiry(request, officer_session.created_at, now),
            )


def _safe_next(value: str | None) -> str:
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/queue"


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    await _load_session(request)
    if _is_public(request):
        return await handler(request)
    officer = request.get(OFFICER)
    if officer is None:
        if request.method in SAFE_METHODS:
            raise web.HTTPSeeOther(f"/login?next={request.rel_url.path}")
        raise web.HTTPForbidden()
    if request.method not in SAFE_METHODS:
        await _check_csrf(request)
    if officer.must_change_password and request.path not in ("/account/password", "/logout"):
        raise web.HTTPSeeOther("/account/password")
    return await handler(request)


async def _check_csrf(request: web.Request) -> None:
    expected = csrf_token(request)
    supplied = request.headers.get("X-CSRF-Token", "")
    if not supplied and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        form = await request.post()
        value = form.get("csrf_token", "")
        supplied = value if isinstance(value, str) else ""
    if not expected or not hmac.compare_digest(supplied.encode(), expected.encode()):
        raise UserError(
            403,
            "This form has expired or did not come from this service. "
            "Go back, reload the page and try again.",
        )


# ---------------------------------------------------------------- pages


@routes.get("/login")
async def login_page(request: web.Request) -> web.StreamResponse:
    if request.get(OFFICER) is not None:
        raise web.HTTPSeeOther(_safe_next(request.query.get("next")))
    existing = request.cookies.get(LOGIN_COOKIE, "")
    form_token = existing if 20 <= len(existing) <= 64 else secrets.token_urlsafe(24)
    response = render(
        "review/login.html",
        request,
        {"form_token": form_token, "next": _safe_next(request.query.get("next")), "problems": []},
    )
    _set_cookie(request, response, LOGIN_COOKIE, form_token, max_age=3600)
    return response


@routes.post("/login")
async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    supplied = str(form.get("form_token", ""))
    if not cookie or not hmac.compare_digest(cookie.encode(), supplied.encode()):
        raise UserError(403, "The sign-in form has expired. Go back, reload it and try again.")
    email = str(form.get("email", "")).strip()[:320]
    password = str(form.get("password", ""))[:1024]
    next_url = _safe_next(str(form.get("next", "")))
    settings = request.app[SETTINGS]
    try:
        officer = await officer_service.authenticate(
            request.app[DB],
            email=email,
            password=password,
            max_failures=settings.web.login_max_failures,
            lockout=dt.timedelta(minutes=settings.web.lockout_minutes),
        )
    except AuthFailed as exc:
        response = render(
            "review/login.html",
            request,
            {"form_token": cookie, "next": next_url, "problems": [str(exc)], "email": email},
            status=401,
        )
        return response
    assert officer.id is not None
    token = secrets.token_urlsafe(32)
    now = utcnow()
    async with request.app[DB].transaction() as session:
        await repo.create_session(
            session,
            token_hash=token_hash(request, token),
            officer_id=officer.id,
            csrf_token=secrets.token_urlsafe(32),
            expires_at=_expiry(request, now, now),
        )
    target = "/account/password" if officer.must_change_password else next_url
    response = web.HTTPSeeOther(target)
    _set_cookie(request, response, cookie_name(request), token, max_age=None)
    response.del_cookie(LOGIN_COOKIE, path="/")
    raise response


@routes.post("/logout")
async def logout(request: web.Request) -> web.StreamResponse:
    token = request.cookies.get(cookie_name(request), "")
    officer = request.get(OFFICER)
    async with request.app[DB].transaction() as session:
        await repo.delete_session(session, token_hash=token_hash(request, token))
        if officer is not None:
            await audit.append(
                session, actor=f"officer:{officer.id}", officer_id=officer.id, action="logout"
            )
    response = web.HTTPSeeOther("/login")
    response.del_cookie(cookie_name(request), path="/")
    raise response


@routes.get("/account/password")
async def password_page(request: web.Request) -> web.StreamResponse:
    require(request)
    return render("review/password.html", request, {"problems": [], "done": False})


@routes.post("/account/password")
async def change_password(request: web.Request) -> web.StreamResponse:
    actor = require(request)
    assert actor.officer_id is not None
    form = await request.post()
    current = str(form.get("current", ""))[:1024]
    new = str(form.get("new", ""))[:1024]
    confirm = str(form.get("confirm", ""))[:1024]
    problems: list[str] = []
    if new != confirm:
        problems.append("The new password and its confirmation do not match.")
    else:
        try:
            await officer_service.change_password(
                request.app[DB], officer_id=actor.officer_id, current=current, new=new
            )
        except Invalid as exc:
            problems = exc.problems
    if problems:
        return render(
            "review/password.html", request, {"problems": problems, "done": False}, status=400
        )
    raise web.HTTPSeeOther("/queue")
