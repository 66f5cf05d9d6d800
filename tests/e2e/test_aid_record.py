"""Carrying a case forward in the browser: download the case record, open it again for the review.

The record leaves the tab only as a download the user asks for, and comes back only as a file
the user chooses; a record the aid cannot use says why on the page.
"""

from __future__ import annotations

import json
from pathlib import Path

from .aid_page import scenario


def download_record(aid, tmp_path: Path) -> Path:
    with aid.page.expect_download() as caught:
        aid.page.click("#aid-step [data-action=download][data-target=doc-record]")
    path = tmp_path / caught.value.suggested_filename
    caught.value.save_as(path)
    return path


def open_record(aid, path: Path):
    return aid._act(lambda: aid.page.set_input_files("#aid-record", str(path)))


def test_a_strategy_decided_today_is_reviewed_from_its_downloaded_record(aid, tmp_path):
    aid.walk(scenario("telephone_to_writing_cumbria"))  # any walk that restricts contact
    aid.see_result()
    path = download_record(aid, tmp_path)
    assert path.name.endswith(".json")
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["format"] == "opcc-case-record" and record["in_place"]["kind"] == "strategy"

    aid.start_again()
    open_record(aid, path)
    assert aid.node == "safety"
    aid.answer("safety", ["none"]).answer("journey", "review")
    assert aid.node == "reviewed" and aid.checked() == ["reviewed-strategy"], "the record did not answer what is reviewed"
    assert "Filled in from the case record of" in aid.page.text_content("#aid-step")
    aid.continue_()
    assert aid.node == "arrangement_details"
    assert aid.page.input_value("#arrangement_details-decided") == record["in_place"]["decided"]
    assert aid.page.input_value("#arrangement_details-review_due") == record["in_place"]["review_due"]


def test_a_record_from_another_office_is_refused_on_the_page(aid, tmp_path):
    made = scenario("angry_but_reasonable_generic")
    aid.walk(made)
    aid.see_result()
    path = download_record(aid, tmp_path)
    record = json.loads(path.read_text(encoding="utf-8"))
    record["office"] = "humberside"
    other = tmp_path / "other-office.json"
    other.write_text(json.dumps(record), encoding="utf-8")
    aid.start_again()
    open_record(aid, other)
    text = aid.page.text_content("#aid-step")
    assert "was made for" in text and "Open the aid for that office" in text
    aid.assert_focus_on_heading()
