"""Logging, configured once at the entry point.

Loggers are named after modules. Nothing logs referral text, email bodies,
names or tokens: log references, ids, counts and exception class names.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Literal

_STD_ATTRS = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STD_ATTRS and not key.startswith("_"):
                payload[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            payload["exception"] = record.exc_info[0].__name__
        return json.dumps(payload, default=str)


class NoTracebackFormatter(logging.Formatter):
    """Text lines; exceptions appear as their class name only.

    Tracebacks can carry local values (an email body, a form field); keep them out
    of logs and let the error id point an engineer at the request.
    """

    def formatException(self, ei: object) -> str:
        exc_type = ei[0] if isinstance(ei, tuple) else None
        return f"  exception: {getattr(exc_type, '__name__', 'unknown')}"


def configure(level: str = "INFO", fmt: Literal["text", "json"] = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            NoTracebackFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # aiohttp's access log writes full URLs; ours carry no personal data, but keep it quiet
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
