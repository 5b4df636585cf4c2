"""Validating the token on every inbound Bot Framework request.

The Bot Framework signs each request to ``/api/messages`` with a JWT in
``Authorization: Bearer …``. We check it ourselves (PyJWT) rather than through the
archived SDK, whose validation fetches keys with blocking calls and lets malformed
tokens escape as unhandled errors (HTTP 500). A request is accepted only when:

- the header is ``Bearer <one token>`` of a sane length;
- the token is signed (RS256/384/512) by a key published in the Bot Framework's
  OpenID metadata, and that key is endorsed for the activity's channel (``msteams``);
- the issuer is the Bot Framework, the audience is our app id, it has not expired
  (five minutes' clock skew allowed) and is already valid;
- its ``serviceurl`` claim equals the activity's ``serviceUrl``.

Every failure is an ``InvalidToken`` with a short code for the log (never the token).
Keys are cached for a day; an unknown key id triggers at most one refresh per five
minutes, so forged key ids cannot make us hammer the metadata endpoint.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import jwt

log = logging.getLogger(__name__)

ALGORITHMS = ("RS256", "RS384", "RS512")
MAX_HEADER = 4096
CLOCK_SKEW = dt.timedelta(minutes=5)

FetchJson = Callable[[str], Awaitable[Any]]


class InvalidToken(Exception):
    """The request is not authenticated; ``code`` says why (safe to log)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class KeysUnavailable(Exception):
    """The signing keys could not be fetched and none are cached."""


@dataclass(frozen=True)
class SigningKey:
    key: Any
    endorsements: frozenset[str] | None


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class KeySet:
    """The signing keys published through an OpenID metadata document, cached."""

    def __init__(
        self,
        metadata_url: str,
        fetch_json: FetchJson,
        *,
        max_age: dt.timedelta = dt.timedelta(days=1),
        min_refresh: dt.timedelta = dt.timedelta(minutes=5),
        retry_empty: dt.timedelta = dt.timedelta(seconds=10),
        clock: Callable[[], dt.datetime] = _utcnow,
    ) -> None:
        self.metadata_url = metadata_url
        self.fetch_json = fetch_json
        self.max_age = max_age
        self.min_refresh = min_refresh
        self.retry_empty = retry_empty
        self.clock = clock
        self._keys: dict[str, SigningKey] = {}
        self._fetched_at: dt.datetime | None = None
        self._attempted_at: dt.datetime | None = None
        self._lock = asyncio.Lock()

    async def get(self, kid: str) -> SigningKey | None:
        now = self.clock()
        if self._fetched_at is None or now - self._fetched_at > self.max_age:
            await self._refresh()
        key = self._keys.get(kid)
        if key is None:
            await self._refresh()
            key = self._keys.get(kid)
        return key

    async def _refresh(self) -> None:
        async with self._lock:
            now = self.clock()
            if self._attempted_at is not None:
                wait = self.min_refresh if self._keys else self.retry_empty
                if now - self._attempted_at < wait:
                    if not self._keys:
                        raise KeysUnavailable("waiting before fetching the keys again")
                    return
            self._attempted_at = now
            try:
                metadata = await self.fetch_json(self.metadata_url)
                jwks_uri = metadata["jwks_uri"] if isinstance(metadata, dict) else None
                if not isinstance(jwks_uri, str):
                    raise ValueError("no jwks_uri in the metadata")
                keys = _parse_keys(await self.fetch_json(jwks_uri))
            except Exception as exc:  # network, TLS, JSON: keep what we have
                log.warning("teams: signing keys not refreshed (%s)", type(exc).__name__)
                if not self._keys:
                    raise KeysUnavailable(type(exc).__name__) from exc
                return
            self._keys = keys
            self._fetched_at = now
            log.info("teams: %d signing key(s) loaded", len(keys))


def _parse_keys(document: Any) -> dict[str, SigningKey]:
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JSON Web Key Set")
    keys: dict[str, SigningKey] = {}
    for item in document["keys"]:
        if not isinstance(item, dict) or item.get("kty") != "RSA":
            continue
        kid = item.get("kid")
        if not isinstance(kid, str) or not kid:
            continue
        try:
            public = jwt.PyJWK(item, algorithm="RS256").key
        except (jwt.PyJWTError, ValueError, TypeError):
            continue
        endorsements = item.get("endorsements")
        keys[kid] = SigningKey(
            key=public,
            endorsements=frozenset(str(e) for e in endorsements)
            if isinstance(endorsements, list)
            else None,
        )
    if not keys:
        raise ValueError("the key set holds no usable RSA keys")
    return keys


class TokenValidator:
    """Checks the ``Authorization`` header of an inbound activity (see the module doc)."""

    def __init__(self, keys: KeySet, *, issuer: str, audience: str) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience

    async def validate(
        self, header: str | None, *, service_url: str | None, channel_id: str | None
    ) -> dict[str, Any]:
        """The token's claims, or InvalidToken (KeysUnavailable when no keys can be had)."""
        if not self.audience:
            raise InvalidToken("no_app_id")
        if not header:
            raise InvalidToken("missing")
        if len(header) > MAX_HEADER:
            raise InvalidToken("too_long")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or " " in token or token.count(".") != 2:
            raise InvalidToken("malformed")
        try:
            unverified = jwt.get_unverified_header(token)
        except (jwt.PyJWTError, ValueError, TypeError) as exc:
            raise InvalidToken("malformed") from exc
        algorithm = unverified.get("alg")
        kid = unverified.get("kid")
        if algorithm not in ALGORITHMS:
            raise InvalidToken("algorithm")
        if not isinstance(kid, str) or not kid or len(kid) > 200:
            raise InvalidToken("no_key_id")
        key = await self.keys.get(kid)
        if key is None:
            raise InvalidToken("unknown_key")
        if key.endorsements is not None and (channel_id or "") not in key.endorsements:
            raise InvalidToken("endorsement")
        claims = _decode(token, key.key, str(algorithm), self.issuer, self.audience)
        if not service_url or claims.get("serviceurl") != service_url:
            raise InvalidToken("service_url")
        return claims


def _decode(token: str, key: Any, algorithm: str, issuer: str, audience: str) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=audience,
            issuer=issuer,
            leeway=CLOCK_SKEW,
            options={"require": ["exp", "iss", "aud"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("expired") from exc
    except jwt.ImmatureSignatureError as exc:
        raise InvalidToken("not_yet_valid") from exc
    except jwt.InvalidAudienceError as exc:
        raise InvalidToken("audience") from exc
    except jwt.InvalidIssuerError as exc:
        raise InvalidToken("issuer") from exc
    except jwt.InvalidSignatureError as exc:
        raise InvalidToken("signature") from exc
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        raise InvalidToken("invalid") from exc
    return claims
