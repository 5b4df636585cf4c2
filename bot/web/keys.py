"""Typed application keys for the long-lived resources (see ``bot.app``)."""

from __future__ import annotations

from aiohttp import web

from bot.settings import Settings
from intake.triager import Triager
from store.engine import Database
from store.models import Officer, OfficerSession

SETTINGS = web.AppKey("settings", Settings)
DB = web.AppKey("db", Database)
TRIAGER = web.AppKey("triager", Triager)
#: path prefixes anyone may reach without signing in (each adapter adds its own)
PUBLIC_PREFIXES = web.AppKey("public_prefixes", list[str])

#: the signed-in officer and their session, set by the auth middleware
OFFICER = web.RequestKey("officer", Officer)
SESSION = web.RequestKey("session", OfficerSession)
