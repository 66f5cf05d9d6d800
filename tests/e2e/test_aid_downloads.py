"""What staff download from the result page opens in their own programs: the record note and the
letters as Word files, the review date as a calendar reminder (issue 12)."""

from __future__ import annotations

import docx
import icalendar

from .aid_page import scenario


def download(aid, selector, tmp_path):
    with aid.page.expect_download() as caught:
        aid.page.click(selector)
    path = tmp_path / caught.value.suggested_filename
    caught.value.save_as(path)
    return path


def test_the_note_downloads_as_a_word_file_and_the_review_as_a_calendar_reminder(aid, tmp_path):
    aid.walk(scenario("telephone_to_writing_cumbria"))
    aid.see_result()
    word = download(aid, "#aid-step [data-action=download][data-target=doc-note][data-format=docx]", tmp_path)
    assert word.suffix == ".docx"
    assert docx.Document(str(word)).paragraphs[0].text == "Record note: managing contact"
    reminder = download(aid, "#aid-step [data-action=download][data-target=doc-reminder]", tmp_path)
    event = icalendar.Calendar.from_ical(reminder.read_bytes()).walk("VEVENT")[0]
    day = event.decoded("DTSTART")
    note = aid.page.text_content("#doc-note")
    assert f"Review on or before {day.day} {day:%B} {day.year}." in note  # the note's own review date
