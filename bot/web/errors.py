"""Errors that become clear 4xx pages (or JSON for API paths) without echoing input."""

from __future__ import annotations

import logging
import secrets
import traceback
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.templating import render

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class UserError(Exception):
    """A problem the person can fix; ``message`` is shown to them and must not echo input."""

    def __init__(self, status: int, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = problems or []


def exception_summary(exc: BaseException) -> str:
    """Type and innermost frames of an exception, without its message (which may hold data)."""
    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    where = " <- ".join(
        f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in reversed(frames)
    )
    return f"{type(exc).__name__} at {where}" if where else type(exc).__name__


def _wants_json(request: web.Request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def error_response(
    request: web.Request, status: int, message: str, problems: list[str] | None = None
) -> web.Response:
    if _wants_json(request):
        body: dict[str, object] = {"error": message, "status": status}
        if problems:
            body["problems"] = problems
        return web.json_response(body, status=status)
    response = render(
        "error.html",
        request,
        {"status": status, "message": message, "problems": problems or []},
        status=status,
    )
    return response


_REASONS = {
    400: "The request could not be understood.",
    403: "You do not have permission to do that.",
    404: "There is nothing at this address.",
    405: "That action is not allowed here.",
    409: "This item changed since you opened it. Reload the page to see the latest version.",
    413: "What you sent is too large.",
    415: "That type of content is not accepted here.",
    429: "Too many requests. Please wait a moment and try again.",
}


def route_name(request: web.Request) -> str:
    """The route pattern (e.g. ``/queue/{reference}``), never the concrete path."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "?"


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except UserError as exc:
        return error_response(request, exc.status, exc.message, exc.problems)
    except web.HTTPException as exc:
        if exc.status < 400 or exc.content_type == "application/json":
            raise  # redirects, and API errors that already carry a JSON body
        return error_response(request, exc.status, _REASONS.get(exc.status, exc.reason))
    except Exception as exc:
        error_id = secrets.token_hex(6)
        log.error(
            "unhandled error %s on %s %s: %s",
            error_id,
            request.method,
            route_name(request),
            exception_summary(exc),
        )
        return error_response(
            request,
            500,
            "Something went wrong on our side. Nothing you sent has been lost. "
            f"If it keeps happening, quote error {error_id}.",
        )
