"""Which Bot Connector addresses the bot may talk to (no request forgery via serviceUrl).

An activity tells the bot where to send its replies (``serviceUrl``). A forged or
misrouted activity could point that at an internal address; the bot only ever calls
addresses under one of the configured prefixes: same scheme, same host and port, and a
path inside the prefix's path. Anything odd (credentials in the URL, a query, dot
segments, encoded characters in the path) is refused outright.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

_DEFAULT_PORTS = {"https": 443, "http": 80}
MAX_URL = 500


def _port(scheme: str, port: int | None) -> int:
    return port if port is not None else _DEFAULT_PORTS.get(scheme, -1)


def allowed_service_url(url: str | None, allowed: Sequence[str]) -> bool:
    """True when ``url`` lies under one of the ``allowed`` prefixes."""
    if not url or len(url) > MAX_URL or any(ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    if (
        parts.scheme not in _DEFAULT_PORTS
        or not parts.hostname
        or parts.username is not None
        or parts.password is not None
        or parts.query
        or parts.fragment
        or "%" in parts.path
        or "\\" in parts.path
        or any(segment in (".", "..") for segment in parts.path.split("/"))
    ):
        return False
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    for prefix in allowed:
        try:
            wanted = urlsplit(prefix.strip())
            wanted_port = wanted.port
        except ValueError:
            continue
        if not wanted.hostname or wanted.scheme != parts.scheme:
            continue
        if wanted.hostname.lower() != parts.hostname.lower():
            continue
        if _port(wanted.scheme, wanted_port) != _port(parts.scheme, port):
            continue
        base = wanted.path if wanted.path.endswith("/") else wanted.path + "/"
        if path.startswith(base):
            return True
    return False
