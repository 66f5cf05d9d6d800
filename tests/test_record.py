"""Carrying a case forward: the record note's JSON is a case record the aid reads back (issue 11).

Decide, save the JSON, open it again: the review, breach or dispute walk finds what was decided,
when, by whom and when its review is due already answered, for staff to check. A record from
another office or flow version, or a damaged file, is refused with what to do instead.
"""

from __future__ import annotations

import io
import json

import pytest

from decision_aid import web
from decision_aid.cli import main
from decision_aid.engine import outcome, walk
from decision_aid.note import as_json, render
from decision_aid.record import RecordError, read_record

from conftest import TODAY, case

# A strategy authorised today: telephone calls limited, after a broken warning.
STRATEGY = case(measures=["limit_call_duration"], details={"reference": "REF-7", "account": "Calls.", "date": "2026-11-27"})
REVIEW_OPENING = {"safety": ["none"], "journey": "review"}


def saved(flow, profile, answers=STRATEGY) -> str:
    return as_json(outcome(flow, profile, answers, today=TODAY), flow)


def test_a_restriction_is_recorded_as_the_strategy_it_puts_in_place(flow, generic):
    record = json.loads(saved(flow, generic))
    assert record["format"] == "opcc-case-record" and record["format_version"] == 1
    assert record["in_place"] == {
        "kind": "strategy", "decided": "2026-11-27", "decided_by": generic.authorisers["restriction"].text,
        "review_due": "2027-02-27", "terms": flow.measures["limit_call_duration"].label,
    }


def test_a_written_warning_is_recorded_as_a_warning_with_no_review_date(flow, generic):
    answers = case(history="repeated", measures=["written_warning"], checklist=None)
    entry = json.loads(saved(flow, generic, answers))["in_place"]
    assert (entry["kind"], entry["decided"], entry["review_due"]) == ("warning", "2026-11-27", "")
    assert entry["decided_by"] == generic.authorisers["warning"].text


def test_nothing_put_in_place_is_recorded_as_nothing(flow, generic):
    answers = case(history="first", behaviour=["none"], needs=None, measures=None, checklist=None)
    assert json.loads(saved(flow, generic, answers))["in_place"] is None


def test_a_review_that_keeps_a_strategy_records_the_next_review_and_a_lift_records_nothing(flow, generic):
    review = {**REVIEW_OPENING, "reviewed": "strategy",
              "arrangement_details": {"decided": "2026-08-27", "review_due": "2026-11-27"},
              "review_reason": "due", "review_since": ["still_needed"], "review_outcome": "keep",
              "details": {"date": "2026-11-27", "account": "Review."}}
    kept = json.loads(saved(flow, generic, review))["in_place"]
    assert (kept["kind"], kept["decided"], kept["review_due"]) == ("strategy", "2026-11-27", "2027-02-27")
    lifted = json.loads(saved(flow, generic, {**review, "review_outcome": "lift"}))["in_place"]
    assert lifted is None


def test_a_record_read_back_answers_what_is_in_place(flow, generic):
    carried = read_record(saved(flow, generic), flow, generic)
    answers = carried.answers()
    assert answers["reviewed"] == answers["breached"] == answers["disputed"] == "strategy"
    assert answers["arrangement_details"] == {"decided": "2026-11-27", "decided_by": generic.authorisers["restriction"].text,
                                              "review_due": "2027-02-27", "terms": flow.measures["limit_call_duration"].label}
    assert (carried.made, carried.reference) == ("2026-11-27", "REF-7")


def test_a_review_started_from_a_record_needs_only_the_review_questions(flow, generic):
    carried = read_record(saved(flow, generic), flow, generic).answers()
    state = walk(flow, generic, {**carried, **REVIEW_OPENING})
    assert state.current == "review_reason" and state.answers["arrangement_details"]["review_due"] == "2027-02-27"


# --- refused, with what to do ----------------------------------------------------------------------


def refused(text, flow, profile, profiles=None) -> str:
    with pytest.raises(RecordError) as caught:
        read_record(text, flow, profile, profiles)
    return str(caught.value)


def test_a_record_from_another_office_is_refused_naming_both_offices(flow, profiles):
    message = refused(saved(flow, profiles["generic"]), flow, profiles["cumbria"], profiles)
    assert profiles["generic"].name in message and profiles["cumbria"].name in message
    assert "Open the aid for that office" in message


def test_a_record_from_another_flow_version_is_refused(flow, generic):
    record = json.loads(saved(flow, generic))
    record["flow_version"] = "2025.01.0"
    message = refused(json.dumps(record), flow, generic)
    assert "version '2025.01.0'" in message and flow.version in message and "Start a new walk" in message


@pytest.mark.parametrize("text, says", [
    ("{not json", "could not be read as JSON (line 1)"),
    ('{"answers": {}}', "not a case record made by this aid"),
    ("[]", "not a case record made by this aid"),
    ("x" * 2_000_001, "too large to be a case record"),
])
def test_a_file_that_is_not_a_record_is_refused(flow, generic, text, says):
    message = refused(text, flow, generic)
    assert says in message and "Start a new walk" in message


@pytest.mark.parametrize("key, value", [
    ("kind", "ban"), ("decided", "27/11/2026"), ("review_due", "soon"), ("terms", 5), ("decided_by", "x" * 201),
])
def test_a_damaged_record_is_refused_naming_what_is_damaged(flow, generic, key, value):
    record = json.loads(saved(flow, generic))
    record["in_place"][key] = value
    message = refused(json.dumps(record), flow, generic)
    assert f"damaged: its 'in_place.{key}'" in message


def test_a_record_that_puts_nothing_in_place_has_nothing_to_carry(flow, generic):
    nothing = saved(flow, generic, case(history="first", behaviour=["none"], needs=None, measures=None, checklist=None))
    assert "nothing to carry forward" in refused(nothing, flow, generic)


# --- the terminal --------------------------------------------------------------------------------


def test_replay_from_a_record_fills_in_what_is_in_place(flow, generic, tmp_path):
    record = tmp_path / "record.json"
    record.write_text(saved(flow, generic), encoding="utf-8")
    answers = tmp_path / "review.json"
    answers.write_text(json.dumps({"answers": {
        **REVIEW_OPENING, "review_reason": "due", "review_since": ["kept_to"], "review_outcome": "relax",
        "details": {"reference": "REF-7", "account": "Review.", "date": "2027-02-27"}}}), encoding="utf-8")
    out = io.StringIO()
    assert main(["replay", str(answers), "--from", str(record)], stdout=out) == 0
    note = out.getvalue()
    assert "Decided on 2026-11-27" in note and "Its review is due on 2027-02-27" in note
    assert "Next review on or before 2027-05-27" in note


def test_the_interactive_walk_offers_the_record_and_enter_keeps_it(flow, generic, tmp_path):
    record = tmp_path / "record.json"
    record.write_text(saved(flow, generic), encoding="utf-8")
    typed = "\n".join([
        "6",  # safety: none of these
        "3",  # a review
        "",  # what is reviewed: Enter keeps the strategy
        "", "", "", "",  # what is in place: Enter keeps each field
        "1",  # due
        "1",  # kept to it
        "2",  # keep it
        "REF-7", "Reviewed.", "2027-02-27",
    ]) + "\n"
    out = io.StringIO()
    assert main(["--from", str(record)], stdin=io.StringIO(typed), stdout=out) == 0
    text = out.getvalue()
    assert "[from the record: 2; Enter keeps it]" in text and "[from the record: 2027-02-27; Enter keeps it]" in text
    assert "What is in place: A contact strategy or contact plan" in text and "Decided on 2026-11-27" in text


def test_a_bad_record_stops_the_terminal_with_one_line_and_exit_2(flow, profiles, tmp_path, capsys):
    record = tmp_path / "record.json"
    record.write_text(saved(flow, profiles["generic"]), encoding="utf-8")
    assert main(["--office", "humberside", "--from", str(record)], stdin=io.StringIO("")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "was made for" in err and str(record) in err


# --- the browser session -------------------------------------------------------------------------


def test_opening_a_record_offers_what_it_put_in_place_on_its_questions(flow, generic):
    session = web.new_session("generic", "../", today=TODAY)
    view = session.handle({"type": "start", "record": saved(flow, generic)})
    assert view["node"] == "safety" and view["announce"].startswith("Case record of 2026-11-27 opened.")
    session.handle({"type": "submit", "node": "safety", "values": {"answer": ["none"]}})
    view = session.handle({"type": "submit", "node": "journey", "values": {"answer": ["review"]}})
    assert view["node"] == "reviewed" and 'value="strategy" checked' in view["html"]
    assert "Filled in from the case record of 2026-11-27 (REF-7)" in view["html"]
    view = session.handle({"type": "submit", "node": "reviewed", "values": {"answer": ["strategy"]}})
    assert view["node"] == "arrangement_details" and 'value="2027-02-27"' in view["html"]


def test_a_record_that_cannot_be_used_shows_why_escaped(flow, generic):
    session = web.new_session("generic", "../", today=TODAY)
    view = session.handle({"type": "start", "record": '{"format": "<script>"}'})
    assert view["view"] == "error" and "not a case record made by this aid" in view["html"]
    view = session.handle({"type": "start", "record": "<script>alert(1)</script>"})
    assert "<script>" not in view["html"]


def test_the_result_offers_the_case_record_to_download(flow, generic):
    session = web.new_session("generic", "../", today=TODAY)
    session.handle({"type": "start", "answers": STRATEGY})
    html = session.handle({"type": "result"})["html"]
    assert 'data-action="download" data-target="doc-record" data-filename="case-record-REF-7-2026-11-27.json"' in html
    assert "&quot;format&quot;: &quot;opcc-case-record&quot;" in html


def test_text_in_a_record_is_escaped_where_it_is_shown(flow, generic):
    record = json.loads(saved(flow, generic))
    record["in_place"]["terms"] = "<img src=x onerror=alert(1)>"
    session = web.new_session("generic", "../", today=TODAY)
    session.handle({"type": "start", "record": json.dumps(record)})
    session.handle({"type": "submit", "node": "safety", "values": {"answer": ["none"]}})
    session.handle({"type": "submit", "node": "journey", "values": {"answer": ["dispute"]}})
    view = session.handle({"type": "submit", "node": "disputed", "values": {"answer": ["strategy"]}})
    assert "&lt;img src=x onerror=alert(1)&gt;" in view["html"] and "<img src=x" not in view["html"]


def test_the_note_of_a_review_from_a_record_cites_the_offices_review_rule(flow, profiles):
    cumbria = profiles["cumbria"]
    carried = read_record(saved(flow, cumbria), flow, cumbria).answers()
    answers = {**REVIEW_OPENING, **{k: carried[k] for k in ("reviewed", "arrangement_details")},
               "review_reason": "due", "review_since": ["kept_to"], "review_outcome": "keep",
               "details": {"date": "2027-11-27", "account": "Annual review."}}
    note = render(outcome(flow, cumbria, answers, today=TODAY), flow, "text")
    assert "Next review on or before 2028-11-27" in note and "002 §7.1" in note
