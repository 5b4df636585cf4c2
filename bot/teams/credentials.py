"""The bot's own access token for calling the Bot Connector (replies and alerts).

Client credentials from the bot's single-tenant app registration: a client secret or
a certificate (PEM with the private key). msal does the protocol; it is synchronous
(requests), so it runs in a worker thread, never on the event loop, and the token is
reused until five minutes before it expires.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import time
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from bot.teams.config import BOT_OAUTH_SCOPE, TeamsSettings

log = logging.getLogger(__name__)

#: renew the token this long before it expires
MARGIN = dt.timedelta(minutes=5)


class TokenUnavailable(Exception):
    """No token could be had (the code is safe to log)."""


def certificate_credential(path: str) -> dict[str, str]:
    """msal's certificate credential from a PEM holding the certificate and private key."""
    pem = Path(path).read_bytes()
    certificate = x509.load_pem_x509_certificate(pem)
    key = serialization.load_pem_private_key(pem, password=None)
    return {
        "private_key": key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        # Entra identifies the certificate by its SHA-1 thumbprint (not used for security)
        "thumbprint": certificate.fingerprint(hashes.SHA1()).hex(),  # noqa: S303
        "public_certificate": certificate.public_bytes(serialization.Encoding.PEM).decode(),
    }


class TokenSource:
    """Access tokens for the Bot Connector, from Microsoft Entra ID through msal."""

    def __init__(self, settings: TeamsSettings, *, scope: str = BOT_OAUTH_SCOPE) -> None:
        self.settings = settings
        self.scope = scope
        self._app: Any = None
        self._session: Any = None
        self._token: str | None = None
        self._expires = 0.0
        self._lock = asyncio.Lock()

    def _msal(self) -> Any:
        if self._app is None:
            import msal
            import requests

            settings = self.settings
            credential: Any = (
                certificate_credential(settings.certificate_path)
                if settings.certificate_path
                else settings.app_password.get_secret_value()
            )
            # verify per request: requests lets REQUESTS_CA_BUNDLE override a session's own
            session = self._session = requests.Session()
            session.request = functools.partial(  # type: ignore[method-assign]
                session.request,
                verify=settings.ca_bundle or True,
                timeout=settings.timeout_seconds,
            )
            custom = "login.microsoftonline.com" not in settings.login_url
            self._app = msal.ConfidentialClientApplication(
                settings.app_id,
                client_credential=credential,
                authority=f"{settings.login_url.rstrip('/')}/{settings.tenant_id}",
                http_client=session,
                **({"instance_discovery": False} if custom else {}),
            )
        return self._app

    def close(self) -> None:
        """Close msal's HTTP connections (when the service stops)."""
        if self._session is not None:
            self._session.close()

    async def token(self) -> str:
        async with self._lock:
            if self._token and time.monotonic() < self._expires:
                return self._token
            try:
                result: dict[str, Any] = await asyncio.to_thread(self._acquire)
            except Exception as exc:  # network, TLS or a bad certificate file
                raise TokenUnavailable(type(exc).__name__) from exc
            token = result.get("access_token")
            if not isinstance(token, str) or not token:
                raise TokenUnavailable(str(result.get("error") or "no_token")[:60])
            lifetime = int(result.get("expires_in") or 3600)
            self._token = token
            self._expires = time.monotonic() + max(lifetime - MARGIN.total_seconds(), 30)
            return token

    def _acquire(self) -> dict[str, Any]:
        result: dict[str, Any] = self._msal().acquire_token_for_client(scopes=[self.scope])
        return result
