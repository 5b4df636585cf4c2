"""Labelled fields from attached referral forms (Word .docx and PDF).

Word: docx2python keeps text inside content controls (python-docx silently drops
it); tables are read row by row ("label | value"), paragraphs as "Label: value".
PDF: AcroForm fields (pypdf) by field name or tooltip, with text extraction as the
fallback for flattened forms. Labels are mapped to ``triage.vocab.ESSENTIAL_DETAILS``
keys, using the section a label sits in ("Details of the child" → child_*), in
``form_labels.py``; answers are normalised in ``form_values.py``.

``read_form(filename, data)`` never raises; it returns {} for anything it cannot read.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Iterable
from typing import Any

from intake.mail.form_labels import key_for, section_of
from intake.mail.form_values import fields_from_pairs

log = logging.getLogger(__name__)

MAX_FORM_BYTES = 20 * 1024 * 1024
MAX_PDF_PAGES = 30

_LABEL_VALUE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9 '’/()?&,.-]{1,80}?)\s*[:：]\s*(.*)$")


def _lines_to_pairs(
    lines: Iterable[str], section: str = ""
) -> tuple[list[tuple[str, str, str]], str]:
    """ "Label: value" lines (or a label line followed by its value) → pairs, tracking
    section headings; returns the pairs and the section at the end."""
    pairs: list[tuple[str, str, str]] = []
    pending: str | None = None
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        match = _LABEL_VALUE.match(line)
        if match and key_for(match.group(1), section):
            label, value = match.group(1), match.group(2)
            if value.strip():
                pairs.append((label, value, section))
                pending = None
            else:
                pending = label
            continue
        if pending is not None:
            pairs.append((pending, line, section))
            pending = None
            continue
        section = section_of(line, section)
    return pairs, section


# ---------------------------------------------------------------- Word


def _docx_lines(data: bytes) -> list[str]:
    """The document as lines in reading order; a table row "label | value" becomes
    "label: value". Content controls are kept (docx2python reads them)."""
    from docx2python import docx2python

    with docx2python(io.BytesIO(data)) as doc:
        body = doc.body
    lines: list[str] = []
    for table in body:
        for row in table:
            cells = ["\n".join(p for p in cell if p).strip() for cell in row]
            filled = [c for c in cells if c]
            if len(filled) >= 2 and "\n" not in filled[0] and key_for(filled[0]):
                lines.append(f"{filled[0].rstrip(' :')}: {' '.join(filled[1:])}")
                continue
            for cell in filled:
                lines += cell.split("\n")
    return lines


def read_docx(data: bytes) -> dict[str, Any]:
    return fields_from_pairs(_lines_to_pairs(_docx_lines(data))[0])


# ---------------------------------------------------------------- PDF


def read_pdf(data: bytes) -> dict[str, Any]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            reader.decrypt("")
        except Exception:
            return {}
    pairs: list[tuple[str, str, str]] = []
    fields = reader.get_fields() or {}
    for name, field in fields.items():
        value = field.get("/V")
        if value is None:
            continue
        text = str(value).lstrip("/")
        if text in ("Off",):
            text = "No"
        label = str(field.get("/TU") or name)
        pairs.append((label, text, ""))
        if label != str(name):
            pairs.append((str(name).replace("_", " "), text, ""))
    found = fields_from_pairs(pairs)
    if found:
        return found
    lines: list[str] = []
    for page in reader.pages[:MAX_PDF_PAGES]:
        lines += (page.extract_text() or "").splitlines()
    return fields_from_pairs(_lines_to_pairs(lines)[0])


def read_form(filename: str, content_type: str, data: bytes) -> dict[str, Any]:
    """Known details from an attached form; {} when it is not a form we can read."""
    name = filename.lower()
    if len(data) > MAX_FORM_BYTES:
        return {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            logging.getLogger("pypdf").setLevel(logging.ERROR)
            if name.endswith(".docx") or content_type.endswith("wordprocessingml.document"):
                return read_docx(data)
            if name.endswith(".pdf") or content_type == "application/pdf":
                return read_pdf(data)
    except Exception as exc:  # a damaged or unusual file: no fields, the file is still kept
        log.info("form not read: %s", type(exc).__name__)
    return {}
