"""Text preparation that never moves a character.

``normalise`` maps the input to a string of exactly the same length (curly quotes to
straight ones, control characters and lone surrogates to spaces), so every offset the
pipeline reports indexes the original input. ``prepare`` then blanks (replaces with
spaces, keeping line breaks) the parts of an email that must not give evidence: header
lines, quoted replies, signatures, disclaimers and classification banners; and it splits
the rest into segments (the message itself, then any forwarded messages) so that the
first relevant narrative can be chosen once the rules have run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from triage.rules.models import EmailRules

#: Characters analysed; text beyond this is not read (the rationale says so).
MAX_CHARS = 100_000

_TRANSLATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u200b": " ",
        "\u200c": " ",
        "\u200d": " ",
        "\u2060": " ",
        "\ufeff": " ",
        "\t": " ",
        "\u2028": "\n",
        "\u2029": "\n",
        "\x0b": "\n",
        "\x0c": "\n",
        "\x85": "\n",
    }
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufff0-\uffff]")
_LONE_CR = re.compile(r"\r(?!\n)")


def normalise(text: str) -> str:
    """Same-length normalisation: straight quotes, plain dashes, no control characters."""
    out = text.translate(_TRANSLATION)
    out = _LONE_CR.sub("\n", out)
    out = out.replace("\r", " ")
    out = _CONTROL.sub(" ", out)
    if len(out) != len(text):  # pragma: no cover - every mapping above is one to one
        raise AssertionError("normalisation changed the length")
    return out


SegmentKind = Literal["message", "forwarded"]


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    kind: SegmentKind


@dataclass
class Prepared:
    """The blanked text and its structure."""

    text: str  # same length as the analysed part of the input; excluded parts blanked
    analysed: int  # number of input characters analysed (<= MAX_CHARS)
    segments: list[Segment]
    excluded: list[tuple[int, int, str]] = field(default_factory=list)
    signature: tuple[int, int] | None = None  # the first signature block, for the referrer

    @property
    def truncated(self) -> bool:
        return self.analysed < self.total

    total: int = 0


@dataclass
class _Compiled:
    reply: list[re.Pattern[str]]
    forward: list[re.Pattern[str]]
    header: re.Pattern[str]
    header_any: re.Pattern[str]
    sent_like: re.Pattern[str]
    signature: list[re.Pattern[str]]
    disclaimer: list[re.Pattern[str]]
    banner: list[re.Pattern[str]]
    pointer: list[re.Pattern[str]]


_compiled: dict[int, _Compiled] = {}
#: Cheap test before the disclaimer expressions run (each cue contains one of these).
_DISCLAIMER_WORDS = (
    "confidential", "privileged", "intended", "recipient", "disclaimer", "views", "virus",
    "environment", "registered", "company", "liab", "monitored", "freedom", "originated",
)  # fmt: skip


def _compile(rules: EmailRules) -> _Compiled:
    key = id(rules)
    hit = _compiled.get(key)
    if hit is not None:
        return hit

    def rx(items: list[str]) -> list[re.Pattern[str]]:
        # one alternation per list: a line is tested once, not once per pattern
        if not items:
            return []
        return [re.compile("|".join(f"(?:{p})" for p in items), re.IGNORECASE)]

    names = "|".join(re.escape(h) for h in rules.header_fields) or "From"
    c = _Compiled(
        reply=rx(rules.reply_markers),
        forward=rx(rules.forward_markers),
        header=re.compile(rf"^\s*(?:{names})\s*:", re.IGNORECASE),
        header_any=re.compile(rf"^\s*\*?(?:{names})\*?\s*:", re.IGNORECASE),
        sent_like=re.compile(r"^\s*\*?(?:Sent|Date)\*?\s*:", re.IGNORECASE),
        signature=rx(rules.signature_openers),
        disclaimer=[re.compile(p, re.IGNORECASE) for p in rules.disclaimer_cues],
        banner=rx(rules.banner_lines),
        pointer=[re.compile(p, re.IGNORECASE | re.MULTILINE) for p in rules.quoted_pointers],
    )
    _compiled[key] = c
    return c


def _lines(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _is_reply_subject(text: str, lines: list[tuple[int, int]], start: int) -> bool:
    for s, e in lines[start : start + 8]:
        line = text[s:e]
        if re.match(r"^\s*\*?Subject\*?\s*:\s*(?:RE|AW|Antw|SV)\s*:", line, re.IGNORECASE):
            return True
        if re.match(r"^\s*\*?Subject\*?\s*:", line, re.IGNORECASE):
            return False
    return False


_HTML_HINT = re.compile(r"</?(?:p|br|div|span|b|i|em|strong|table|td|tr|html|body|li|ul|a)\b", re.I)
_HTML_BLOCK = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_HTML_TAG = re.compile(r"<[^<>\n]{1,300}>")


def _blank(match: re.Match[str]) -> str:
    return "".join("\n" if ch == "\n" else " " for ch in match.group(0))


def strip_html(text: str) -> str:
    """Same-length: HTML tags, scripts and styles become spaces (only for HTML-ish text)."""
    if not _HTML_HINT.search(text):
        return text
    return _HTML_TAG.sub(_blank, _HTML_BLOCK.sub(_blank, text))


def prepare(text: str, rules: EmailRules) -> Prepared:
    """Normalise, blank the non-narrative parts of an email and find its segments."""
    total = len(text)
    analysed = min(total, MAX_CHARS)
    norm = strip_html(normalise(text[:analysed]))
    c = _compile(rules)
    lines = _lines(norm)
    excluded: list[tuple[int, int, str]] = []
    segments: list[Segment] = []
    seg_start, seg_kind = 0, "message"
    skip_rest = False  # inside a quoted reply: nothing more is read
    signature: tuple[int, int] | None = None
    in_signature = False
    quoted_read = False  # the sender pointed to the quoted message below: it is a segment
    i = 0
    # header lines at the very top (a pasted or saved email)
    while i < len(lines) and (
        not norm[lines[i][0] : lines[i][1]].strip()
        or c.header.match(norm[lines[i][0] : lines[i][1]])
    ):
        s, e = lines[i]
        if norm[s:e].strip():
            excluded.append((s, e, "header"))
        i += 1
    while i < len(lines):
        s, e = lines[i]
        line = norm[s:e]
        if skip_rest:
            excluded.append((s, e, "quoted"))
            i += 1
            continue
        nxt = norm[lines[i + 1][0] : lines[i + 1][1]] if i + 1 < len(lines) else ""
        reply = any(p.match(line) for p in c.reply) or (
            re.match(r"^\s*On\b", line) and re.match(r"^.{0,120}\bwrote:\s*$", nxt)
        )
        header_block = c.header_any.match(line) and any(
            c.sent_like.match(norm[a:b]) for a, b in lines[i + 1 : i + 6]
        )
        forward = any(p.match(line) for p in c.forward)
        if (
            reply
            and not quoted_read
            and any(p.search(norm, 0, s) for p in c.pointer)
            and norm[s:].count("\n") > 1
        ):
            # "please see below": the sender points to the message they quote; it is read
            # (without its ">" marks) when nothing above it is relevant
            quoted_read = True
            segments.append(Segment(seg_start, s, seg_kind))  # type: ignore[arg-type]
            excluded.append((s, e, "quoted"))
            seg_start, seg_kind = e, "forwarded"
            in_signature = False
            i += 1
            continue
        if reply or ((header_block or forward) and _is_reply_subject(norm, lines, i)):
            segments.append(Segment(seg_start, s, seg_kind))  # type: ignore[arg-type]
            excluded.append((s, len(norm), "quoted"))
            skip_rest = True
            seg_start = len(norm)
            i += 1
            continue
        if forward or header_block:
            segments.append(Segment(seg_start, s, seg_kind))  # type: ignore[arg-type]
            seg_start, seg_kind = s, "forwarded"
            in_signature = False
            if forward:
                excluded.append((s, e, "forwarded"))
                i += 1
            while i < len(lines) and c.header_any.match(norm[lines[i][0] : lines[i][1]]):
                excluded.append((lines[i][0], lines[i][1], "header"))
                i += 1
            continue
        stripped = line.strip()
        if stripped.startswith(">") and quoted_read:
            marks = len(line) - len(line.lstrip(" >"))
            excluded.append((s, s + marks, "quoted"))
            if not line[marks:].strip():
                in_signature = False
        elif stripped.startswith(">"):
            excluded.append((s, e, "quoted"))
        elif any(p.match(line) for p in c.banner):
            excluded.append((s, e, "banner"))
        elif in_signature and (len(stripped) <= 100 or not stripped):
            excluded.append((s, e, "signature"))
        elif stripped and any(p.match(line) for p in c.signature):
            in_signature = True
            excluded.append((s, e, "signature"))
            if signature is None:
                signature = (s, e)
        else:
            in_signature = False
        if in_signature and signature is not None and signature[0] >= seg_start:
            signature = (signature[0], max(signature[1], e))
        i += 1
    if not skip_rest:
        segments.append(Segment(seg_start, len(norm), seg_kind))  # type: ignore[arg-type]
    # disclaimer paragraphs: at least two distinct cues (only paragraphs with a cue word)
    for para in re.finditer(r"(?:[^\n]+\n?)+", norm):
        chunk = para.group(0)
        low = chunk.lower()
        if not any(k in low for k in _DISCLAIMER_WORDS):
            continue
        hits = sum(1 for p in c.disclaimer if p.search(chunk))
        if hits >= 2 or (hits == 1 and re.match(r"\s*disclaimer\b", chunk, re.IGNORECASE)):
            excluded.append((para.start(), para.end(), "disclaimer"))
    blanked = list(norm) if excluded else None
    if blanked is not None:
        for s, e, _ in excluded:
            for k in range(s, min(e, len(blanked))):
                if blanked[k] != "\n":
                    blanked[k] = " "
    out = "".join(blanked) if blanked is not None else norm
    segments = [sg for sg in segments if out[sg.start : sg.end].strip()] or [
        Segment(0, len(out), "message")
    ]
    return Prepared(
        text=out,
        analysed=analysed,
        segments=segments,
        excluded=sorted(excluded),
        signature=signature,
        total=total,
    )
