"""Word files and calendar reminders, opened by well-kept reader libraries (python-docx,
icalendar): what staff download must open in Word, LibreOffice and their calendar."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import icalendar

from decision_aid.engine import outcome
from decision_aid.note import documents, warning_letter
from decision_aid.office_files import docx_bytes, review_ics
from decision_aid.web import views

from conftest import TODAY, case

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "answers.json"


def example(flow, generic):
    return outcome(flow, generic, json.loads(EXAMPLE.read_text(encoding="utf-8"))["answers"], today=TODAY)


def paragraphs(data: bytes) -> list:
    return docx.Document(io.BytesIO(data)).paragraphs


def test_every_document_opens_as_a_word_file_with_its_title_and_text(flow, generic):
    for doc in documents(example(flow, generic), flow):
        opened = paragraphs(docx_bytes(doc))
        assert opened[0].text == doc.title and opened[0].style.name == "Title"
        text = "\n".join(p.text for p in opened)
        for section in doc.sections:
            for line in (*section.paragraphs, *section.items):
                assert line in text, (doc.title, line)


def test_placeholders_for_staff_are_highlighted_in_the_word_file(flow, generic):
    letter = warning_letter(outcome(flow, generic, case(history="repeated", measures=["written_warning"], checklist=None), today=TODAY), flow)
    runs = [r for p in paragraphs(docx_bytes(letter)) for r in p.runs]
    marked = [r.text for r in runs if r.font.highlight_color is not None]
    assert "[Name of the person]" in marked and all(t.startswith("[") and t.endswith("]") for t in marked)


def test_text_typed_by_staff_reaches_the_word_file_unchanged(flow, generic):
    typed = 'Said "I\'ll be back" & <left> — 5 < 6'
    result = outcome(flow, generic, case(details={"reference": "R&D <1>", "account": typed, "date": "2026-11-27"}), today=TODAY)
    text = "\n".join(p.text for d in documents(result, flow) for p in paragraphs(docx_bytes(d)))
    assert typed in text and "R&D <1>" in text


def test_the_same_note_makes_the_same_word_file(flow, generic):
    doc = documents(example(flow, generic), flow)[0]
    assert docx_bytes(doc) == docx_bytes(doc)


def test_the_review_date_opens_as_a_calendar_event_with_only_the_reference(flow, generic):
    result = example(flow, generic)
    filename, ics = views.review_reminder(flow, result)
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event.decoded("DTSTART").isoformat() == result.review_date == "2027-02-27"
    assert "CASE-2026-0142" in str(event["SUMMARY"]) and filename == "review-CASE-2026-0142-2027-02-27.ics"
    assert result.account[:20] not in ics and "telephone" not in ics.lower()


def test_long_and_special_text_in_a_reminder_is_folded_and_escaped():
    ics = review_ics("R;1,2", "2027-01-31", "2026-11-27", "Review, reference R;1,2 " + "x" * 100, "Line one\nline two")
    assert all(len(line.encode("utf-8")) <= 75 for line in ics.split("\r\n"))
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(event["SUMMARY"]).startswith("Review, reference R;1,2 x") and str(event["DESCRIPTION"]) == "Line one\nline two"


def test_no_review_date_no_reminder(flow, generic):
    nothing = outcome(flow, generic, case(history="first", behaviour=["none"], needs=None, measures=None, checklist=None), today=TODAY)
    assert views.review_reminder(flow, nothing) is None
