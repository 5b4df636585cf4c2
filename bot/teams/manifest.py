"""The Teams app package: ``manifest.json`` and two icons, zipped, ready to upload.

``build_package`` writes the manifest for the current schema (1.22) with the app id,
the bot id, the valid domain of ``LADO_BASE_URL`` and scopes personal + team, and
draws the icons in code (a white shield: 192×192 on the accent colour, and a 32×32
white-on-transparent outline). ``check_package`` applies the schema's rules that can
be checked offline: required fields, lengths, ids, URLs, domains, icon sizes and the
outline's colours.
"""

from __future__ import annotations

import io
import json
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from typing import Any
from urllib.parse import urlsplit

from bot.teams.config import TeamsSettings
from intake.config import AuthoritySettings
from intake.teams import is_guid

MANIFEST_VERSION = "1.22"
SCHEMA = f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
ACCENT = (0x1D, 0x4E, 0x89)
COLOR_SIZE = 192
OUTLINE_SIZE = 32
PACKAGE_NAME = "lado-intake-teams.zip"
REQUIRED = (
    "manifestVersion",
    "version",
    "id",
    "developer",
    "name",
    "description",
    "icons",
    "accentColor",
)
_SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$")
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_DOMAIN = re.compile(
    r"^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?::\d{1,5})?$"
)

Pixel = tuple[int, int, int, int]

PERSONAL_COMMANDS = [
    ("new report", "Start a new report of a concern about an adult who works with children"),
    ("help", "What you can type while reporting a concern"),
    ("register as duty", "LADO officers: receive urgent alerts here while on duty"),
    ("stop duty alerts", "LADO officers: stop receiving urgent alerts"),
]
TEAM_COMMANDS = [
    ("register duty channel", "LADO managers: post urgent alerts in this channel"),
    ("stop duty channel", "LADO managers: stop posting urgent alerts here"),
]


# ---------------------------------------------------------------- icons


def png(width: int, height: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """A truecolour-with-alpha PNG (8 bits per channel), drawn pixel by pixel."""
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")  # filter type: none
        for x in range(width):
            row.extend(pixel(x, y))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def read_png(data: bytes) -> tuple[int, int, list[list[Pixel]]]:
    """Width, height and RGBA pixels of a PNG written by ``png`` (8-bit RGBA, no filter)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, _ = struct.unpack(">IIBBBBB", body)
            if (depth, colour) != (8, 6):
                raise ValueError("not 8-bit RGBA")
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * 4 + 1
    pixels = []
    for y in range(height):
        line = raw[y * stride : (y + 1) * stride]
        if line[0] != 0:
            raise ValueError("filtered rows are not read here")
        cells = [line[1 + x * 4 : 5 + x * 4] for x in range(width)]
        pixels.append([(c[0], c[1], c[2], c[3]) for c in cells])
    return width, height, pixels


def _in_shield(u: float, v: float) -> bool:
    """A shield shape in the unit square (u across, v down)."""
    if not 0.18 <= v <= 0.86:
        return False
    if v <= 0.55:
        return abs(u - 0.5) <= 0.3
    return abs(u - 0.5) <= 0.3 * (0.86 - v) / 0.31


def colour_icon() -> bytes:
    white: Pixel = (255, 255, 255, 255)
    accent: Pixel = (*ACCENT, 255)
    size = COLOR_SIZE

    def pixel(x: int, y: int) -> Pixel:
        u, v = (x + 0.5) / size, (y + 0.5) / size
        return white if _in_shield(u, v) else accent

    return png(size, size, pixel)


def outline_icon() -> bytes:
    """White shield outline on transparency (Teams requires white and transparent only)."""
    size = OUTLINE_SIZE
    step = 1.6 / size

    def pixel(x: int, y: int) -> Pixel:
        u, v = (x + 0.5) / size, (y + 0.5) / size
        inside = _in_shield(u, v)
        edge = inside and not all(
            _in_shield(u + du, v + dv) for du in (-step, 0, step) for dv in (-step, 0, step)
        )
        return (255, 255, 255, 255) if edge else (0, 0, 0, 0)

    return png(size, size, pixel)


# ---------------------------------------------------------------- manifest


def _version() -> str:
    try:
        return metadata.version("lado-intake")
    except metadata.PackageNotFoundError:
        return "0.1.0"


def domain_of(base_url: str) -> str:
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port}" if parts.port and parts.port != 443 else host


def build_manifest(
    teams: TeamsSettings, authority: AuthoritySettings, *, base_url: str, version: str | None = None
) -> dict[str, Any]:
    site = base_url.rstrip("/")
    short = teams.app_name
    return {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": version or _version(),
        "id": (teams.manifest_id or teams.app_id).lower(),
        "developer": {
            "name": authority.name[:32],
            "websiteUrl": site,
            "privacyUrl": teams.privacy_url or site,
            "termsOfUseUrl": teams.terms_url or site,
        },
        "name": {"short": short, "full": f"{short}: {authority.service_name}"[:100]},
        "description": {
            "short": "Report a concern about an adult who works with children"[:80],
            "full": (
                f"Report a concern to the {authority.service_name} of {authority.name} about an "
                "adult who works or volunteers with children: the same guided questions as the "
                "council's web chat, with a reference at the end. LADO officers on duty receive "
                "an alert here when an urgent item arrives (the reference and a link only). If a "
                "child is in immediate danger, call 999."
            )[:4000],
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [
            {
                "botId": teams.app_id.lower(),
                "scopes": ["personal", "team"],
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [
                    {
                        "scopes": ["personal"],
                        "commands": [{"title": t, "description": d} for t, d in PERSONAL_COMMANDS],
                    },
                    {
                        "scopes": ["team"],
                        "commands": [{"title": t, "description": d} for t, d in TEAM_COMMANDS],
                    },
                ],
            }
        ],
        "validDomains": [domain_of(base_url)],
    }


@dataclass(frozen=True)
class Package:
    data: bytes
    manifest: dict[str, Any]


def build_package(
    teams: TeamsSettings, authority: AuthoritySettings, *, base_url: str, version: str | None = None
) -> Package:
    manifest = build_manifest(teams, authority, base_url=base_url, version=version)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (
            ("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False).encode()),
            ("color.png", colour_icon()),
            ("outline.png", outline_icon()),
        ):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return Package(buffer.getvalue(), manifest)


# ---------------------------------------------------------------- offline checks


def _https(url: Any) -> bool:
    if not isinstance(url, str) or len(url) > 2048:
        return False
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.hostname)


def _text(problems: list[str], where: str, value: Any, limit: int) -> None:
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where} is required")
    elif len(value) > limit:
        problems.append(f"{where} is longer than {limit} characters")


def check_manifest(manifest: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    for key in REQUIRED:
        if key not in manifest:
            problems.append(f"{key} is required")
    if manifest.get("manifestVersion") != MANIFEST_VERSION:
        problems.append(f"manifestVersion must be {MANIFEST_VERSION}")
    if not _SEMVER.fullmatch(str(manifest.get("version", ""))):
        problems.append("version must be a semantic version such as 1.0.0")
    if not is_guid(str(manifest.get("id", ""))):
        problems.append("id must be a GUID (set LADO_TEAMS__APP_ID or LADO_TEAMS__MANIFEST_ID)")
    developer = manifest.get("developer") or {}
    _text(problems, "developer.name", developer.get("name"), 32)
    for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        if not _https(developer.get(key)):
            problems.append(f"developer.{key} must be an https:// address")
    name = manifest.get("name") or {}
    _text(problems, "name.short", name.get("short"), 30)
    _text(problems, "name.full", name.get("full"), 100)
    description = manifest.get("description") or {}
    _text(problems, "description.short", description.get("short"), 80)
    _text(problems, "description.full", description.get("full"), 4000)
    if not _HEX_COLOUR.fullmatch(str(manifest.get("accentColor", ""))):
        problems.append("accentColor must be a colour such as #1D4E89")
    bots = manifest.get("bots") or []
    if not bots:
        problems.append("bots: the package must declare the bot")
    for bot in bots:
        if not is_guid(str(bot.get("botId", ""))):
            problems.append("bots[].botId must be the bot's Microsoft App ID (a GUID)")
        scopes = bot.get("scopes") or []
        if not scopes or set(scopes) - {"personal", "team", "groupChat", "copilot"}:
            problems.append("bots[].scopes must be personal, team or groupChat")
        for command_list in bot.get("commandLists") or []:
            commands = command_list.get("commands") or []
            if len(commands) > 10:
                problems.append("a command list holds at most 10 commands")
            for command in commands:
                _text(problems, "command title", command.get("title"), 32)
                _text(problems, "command description", command.get("description"), 128)
    domains = manifest.get("validDomains") or []
    for domain in domains:
        if not isinstance(domain, str) or not _DOMAIN.fullmatch(domain):
            problems.append(f"validDomains: {str(domain)[:80]!r} is not a domain name")
        elif domain.startswith("*.") and domain.count(".") < 2:
            problems.append("validDomains: a wildcard must not cover a whole top-level domain")
    return problems


def check_package(data: bytes) -> list[str]:
    """Problems with an app package (empty when it passes every offline check)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return ["the package is not a zip file"]
    names = set(archive.namelist())
    if "manifest.json" not in names:
        return ["manifest.json must be at the root of the zip"]
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return ["manifest.json is not valid JSON"]
    problems = check_manifest(manifest)
    icons = manifest.get("icons") or {}
    for key, size in (("color", COLOR_SIZE), ("outline", OUTLINE_SIZE)):
        name = icons.get(key)
        if not isinstance(name, str) or name not in names:
            problems.append(f"icons.{key}: {name!r} is not in the package")
            continue
        try:
            width, height, pixels = read_png(archive.read(name))
        except (ValueError, zlib.error, struct.error):
            problems.append(f"icons.{key} is not a PNG this check can read")
            continue
        if (width, height) != (size, size):
            problems.append(f"icons.{key} must be {size}×{size} pixels (it is {width}×{height})")
        if key == "outline":
            colours = {p for row in pixels for p in row}
            if any(
                a not in (0, 255) or (a and (r, g, b) != (255, 255, 255)) for r, g, b, a in colours
            ):
                problems.append("icons.outline must be white on a transparent background")
            if not any(a for _, _, _, a in colours):
                problems.append("icons.outline is empty")
    if len(data) > 25 * 1024 * 1024:
        problems.append("the package is larger than 25 MB")
    return problems
