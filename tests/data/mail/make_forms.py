"""Build the referral-form fixtures and the corpus emails that carry them.

Written with the standard library only (the .docx is a zip of WordprocessingML with
content controls and a table; the PDFs are written object by object), so the files
are exactly what the tests describe. The built files are committed; run
``python tests/data/mail/make_forms.py`` to rebuild them.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).parent
FORMS = HERE / "forms"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _p(text: str, bold: bool = False) -> str:
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:p><w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _sdt_p(label: str, value: str) -> str:
    """A paragraph "Label: [content control holding value]" (a Word form field)."""
    return (
        f'<w:p><w:r><w:t xml:space="preserve">{escape(label)} </w:t></w:r>'
        f'<w:sdt><w:sdtPr><w:alias w:val="{escape(label)}"/><w:tag w:val="f"/></w:sdtPr>'
        f'<w:sdtContent><w:r><w:t xml:space="preserve">{escape(value)}</w:t></w:r>'
        f"</w:sdtContent></w:sdt></w:p>"
    )


def _cell(content: str) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/></w:tcPr>{content}</w:tc>'


def _row(label: str, value: str, control: bool = True) -> str:
    if control:
        value_xml = (
            '<w:sdt><w:sdtPr><w:tag w:val="v"/></w:sdtPr><w:sdtContent>'
            + _p(value)
            + "</w:sdtContent></w:sdt>"
        )
    else:
        value_xml = _p(value)
    return f"<w:tr>{_cell(_p(label))}{_cell(value_xml)}</w:tr>"


def docx(path: Path, body: str) -> None:
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}'
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    doc_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (
            ("[Content_Types].xml", types),
            ("_rels/.rels", rels),
            ("word/document.xml", document),
            ("word/_rels/document.xml.rels", doc_rels),
        ):
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 1, 9, 0, 0))
            z.writestr(info, data)


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def _pdf_text(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _content(lines: list[str]) -> bytes:
    ops = ["BT", "/F1 11 Tf", "14 TL", "50 800 Td"]
    for line in lines:
        ops.append(f"({_pdf_text(line)}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    return b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"


def pdf_with_fields(path: Path, heading: list[str], fields: list[tuple[str, str]]) -> None:
    first_field = 7
    field_refs = " ".join(f"{first_field + i} 0 R" for i in range(len(fields)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            f"/Resources << /Font << /F1 6 0 R >> >> /Annots [{field_refs}] >>"
        ).encode(),
        _content(heading),
        f"<< /Fields [{field_refs}] /DA (/F1 10 Tf 0 g) >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, (name, value) in enumerate(fields):
        y = 700 - i * 24
        objects.append(
            (
                f"<< /Type /Annot /Subtype /Widget /FT /Tx /T ({_pdf_text(name)}) "
                f"/TU ({_pdf_text(name)}) /V ({_pdf_text(value)}) /Rect [220 {y} 540 {y + 18}] "
                "/P 3 0 R /F 4 /DA (/F1 10 Tf 0 g) >>"
            ).encode("latin-1")
        )
    path.write_bytes(_pdf(objects))


def pdf_flat(path: Path, lines: list[str]) -> None:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _content(lines),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    path.write_bytes(_pdf(objects))


def main() -> None:
    FORMS.mkdir(exist_ok=True)
    docx(
        FORMS / "lado_referral_form.docx",
        _p("LADO Referral Form", bold=True)
        + _p("Details of the person making the referral", bold=True)
        + _sdt_p("Your name:", "Priya Shah")
        + _sdt_p("Your role:", "Headteacher")
        + _sdt_p("Your organisation:", "Brookside Academy")
        + _sdt_p("Your telephone:", "01632 960555")
        + _p("Details of the adult", bold=True)
        + "<w:tbl>"
        + _row("Name of adult:", "Daniel Price")
        + _row("Date of birth:", "14/03/1985")
        + _row("Role:", "Learning support assistant")
        + _row("Employer / setting:", "Brookside Academy")
        + _row("Paid or volunteer:", "Paid")
        + "</w:tbl>"
        + _p("Details of the child", bold=True)
        + "<w:tbl>"
        + _row("Child's initials:", "K.M.")
        + _row("Child's age:", "9")
        + _row("SEND:", "Yes - autism", control=False)
        + "</w:tbl>"
        + _p("Details of the allegation", bold=True)
        + _sdt_p("Date of incident:", "20/11/2026")
        + _sdt_p(
            "Details of allegation:",
            "K told her class teacher that Mr Price pushed her against the wall in the "
            "corridor and squeezed her arm until it hurt. A red mark was seen.",
        )
        + _sdt_p("Police informed:", "No")
        + _sdt_p("Parents informed:", "Yes"),
    )
    docx(
        FORMS / "blank_form.docx",
        _p("LADO Referral Form", bold=True)
        + _sdt_p("Name of adult:", "Click or tap here to enter text.")
        + _sdt_p("Date of birth:", "Click or tap here to enter a date."),
    )
    pdf_with_fields(
        FORMS / "lado_referral_fields.pdf",
        ["LADO Referral Form (fillable)"],
        [
            ("Name of adult", "Gareth Lewis"),
            ("Date of birth", "02/07/1979"),
            ("Role", "Football coach"),
            ("Employer", "Riverside Juniors FC"),
            ("Paid or volunteer", "Volunteer"),
            ("Date of incident", "15/11/2026"),
            ("Police informed", "Yes"),
            ("Crime reference", "CR/12345/26"),
            (
                "Details of allegation",
                "A parent reported that the coach sent a 12-year-old player messages on "
                "Snapchat asking him to keep their chats secret.",
            ),
        ],
    )
    pdf_flat(
        FORMS / "lado_referral_flat.pdf",
        [
            "LADO Referral Form",
            "Details of the adult",
            "Name of adult: Sarah Collins",
            "Date of birth: 21/09/1990",
            "Role: Nursery practitioner",
            "Employer: Little Acorns Nursery",
            "Details of the child",
            "Child's age: 3",
            "Details of allegation: A colleague saw her smack a three-year-old on the leg.",
            "Police informed: No",
        ],
    )


def _blob(size: int, seed: str) -> bytes:
    """Deterministic incompressible bytes (a stand-in for a photo or a scan)."""
    import hashlib

    out = bytearray()
    block = seed.encode()
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:size])


def _mail(
    name: str, sender: str, subject: str, text: str, files: list[tuple[str, str, bytes]]
) -> None:
    from email.message import EmailMessage
    from email.policy import SMTP

    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "LADO <lado@example.gov.uk>"
    msg["Subject"] = subject
    msg["Date"] = "Wed, 25 Nov 2026 10:00:00 +0000"
    msg["Message-ID"] = f"<{name.split('_')[0]}-built@corpus.example.org>"
    msg.set_content(text)
    for filename, ctype, data in files:
        maintype, subtype = ctype.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    (HERE / "corpus" / name).write_bytes(msg.as_bytes(policy=SMTP))


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def mails() -> None:
    """The corpus emails that carry the built forms or large files."""
    (HERE / "corpus").mkdir(exist_ok=True)
    _mail(
        "07_word_form_attached.eml",
        "Priya Shah <p.shah@brookside.example.sch.uk>",
        "LADO referral form attached",
        "Please find our completed LADO referral form attached.\n\nPriya Shah\nHeadteacher",
        [("LADO referral form.docx", DOCX, (FORMS / "lado_referral_form.docx").read_bytes())],
    )
    _mail(
        "08_pdf_form_fields.eml",
        "Club Welfare Officer <welfare@riverside-juniors.example.org>",
        "Referral - football coach",
        "Completed referral form attached.",
        [("referral.pdf", "application/pdf", (FORMS / "lado_referral_fields.pdf").read_bytes())],
    )
    _mail(
        "09_pdf_flattened_scan.eml",
        "Nursery Office <office@littleacorns.example.co.uk>",
        "Referral form (scanned)",
        "Our referral form is attached as a PDF.",
        [("scan0001.pdf", "application/pdf", (FORMS / "lado_referral_flat.pdf").read_bytes())],
    )
    _mail(
        "10_blank_form_attached.eml",
        "New DSL <dsl@newschool.example.sch.uk>",
        "Is this the right form?",
        "Hello, is this the right form for reporting a concern about a teacher who shouted "
        "at and pushed a pupil? I have not filled it in yet.",
        [("blank.docx", DOCX, (FORMS / "blank_form.docx").read_bytes())],
    )
    _mail(
        "29_huge_attachment.eml",
        "Site Manager <site@academy.example.sch.uk>",
        "CCTV still - staff member",
        "A CCTV still is attached showing a member of staff, Dean Ross, pushing a Year 8 "
        "pupil into a locker.",
        [("cctv_still.jpg", "image/jpeg", _blob(600 * 1024, "cctv"))],
    )
    _mail(
        "30_message_over_size_limit.eml",
        "Records <records@bigtrust.example.org>",
        "Full case file",
        "The full case file is attached.",
        [("case_file.pdf", "application/pdf", _blob(900 * 1024, "casefile"))],
    )


if __name__ == "__main__":
    main()
    mails()
