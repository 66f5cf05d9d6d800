"""Files people open in their own programs: a document as Word (.docx), a review date as a
calendar reminder (.ics). Standard library only, so the browser makes them too (Pyodide).

A .docx is a zip of a few XML parts (ECMA-376); this writes the smallest set Word and
LibreOffice open: content types, the package relationship, the document and its styles. Words in
square brackets are for staff to complete, so they are highlighted. Output is deterministic
(fixed zip timestamps) so that tests and downloads of the same note are byte for byte the same.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from xml.sax.saxutils import escape

from .document import Document

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ICS_MIME = "text/calendar"
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
_PLACEHOLDER = re.compile(r"(\[[^\[\]]*\])")
# Every control character but tab, line feed and carriage return (one pass; a Word file is made
# for every document on every result page).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
</Types>"""
_PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
_DOCUMENT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""
_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{_W}">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/><w:sz w:val="24"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr></w:style>
</w:styles>"""


def _runs(text: str) -> str:
    """Runs of one paragraph: bracketed placeholders highlighted, for staff to complete."""
    out = []
    for part in _PLACEHOLDER.split(text):
        if not part:
            continue
        props = '<w:rPr><w:highlight w:val="yellow"/></w:rPr>' if _PLACEHOLDER.fullmatch(part) else ""
        out.append(f'<w:r>{props}<w:t xml:space="preserve">{escape(_xml_safe(part))}</w:t></w:r>')
    return "".join(out)


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot hold most control characters; the engine already refuses them in answers."""
    return _CONTROL.sub("", text)


def _paragraph(text: str, style: str = "") -> str:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    lines = text.split("\n")
    body = '<w:r><w:br/></w:r>'.join(_runs(line) for line in lines)
    return f"<w:p>{props}{body}</w:p>"


def docx_bytes(doc: Document) -> bytes:
    """The document as a Word file: its title, then each section's heading, paragraphs and items."""
    paragraphs = [_paragraph(doc.title, "Title")]
    for section in doc.sections:
        if section.show_title:
            paragraphs.append(_paragraph(section.title, "Heading1"))
        if section.verbatim is not None:
            paragraphs += [_paragraph(line) for line in section.verbatim.split("\n")]
        paragraphs += [_paragraph(p) for p in section.paragraphs]
        if section.plain:
            paragraphs += [_paragraph(item) for item in section.items if item]
        else:
            paragraphs += [_paragraph(f"• {item}", "ListBullet") for item in section.items]
    body = "".join(paragraphs)
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}"><w:body>{body}'
                '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440"/></w:sectPr>'
                "</w:body></w:document>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _PACKAGE_RELS),
                           ("word/_rels/document.xml.rels", _DOCUMENT_RELS), ("word/document.xml", document),
                           ("word/styles.xml", _STYLES)):
            z.writestr(zipfile.ZipInfo(name, date_time=_ZIP_TIME), data.encode("utf-8"))
    return buffer.getvalue()


def _ics_text(text: str) -> str:
    """RFC 5545 text: backslash, comma, semicolon and newline escaped."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """RFC 5545 lines are at most 75 octets; longer ones continue after CRLF and a space."""
    out, current = [], ""
    for ch in line:
        if len((current + ch).encode("utf-8")) > (75 if not out else 74):
            out.append(current)
            current = ""
        current += ch
    return out + [current]


def review_ics(reference: str, review_date: str, made_on: str, summary: str, description: str) -> str:
    """A calendar reminder for a review date: an all-day event, with the reference and nothing
    else about the case (a calendar is shared more widely than a case file)."""
    day = dt.date.fromisoformat(review_date)
    uid_ref = re.sub(r"[^A-Za-z0-9-]+", "-", reference).strip("-") or "no-reference"
    stamp = dt.date.fromisoformat(made_on).strftime("%Y%m%dT000000Z")
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//OPCC contact handbook//decision aid//EN", "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:review-{uid_ref}-{day:%Y%m%d}@opcc-decision-aid",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_ics_text(summary)}",
        f"DESCRIPTION:{_ics_text(description)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT", "END:VCALENDAR",
    ]
    return "\r\n".join(folded for line in lines for folded in _fold(line)) + "\r\n"
