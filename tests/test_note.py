"""The record note and letters: complete headings, the user's words kept as typed, never as markup."""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from decision_aid.engine import outcome
from decision_aid.note import as_markdown, as_text, documents, record_note, render, strategy_notice, warning_letter

from conftest import TODAY, case

NOTE_HEADINGS = [
    "Case", "What happened (as recorded by staff)", "Context", "Safety", "Behaviour", "Immediate actions",
    "Underlying causes: our own handling", "Remedial actions", "Needs and reasonable adjustments",
    "Proportionality", "Recommended measures", "Authorisation", "Written notice to send",
    "Safeguards that stay in place", "How the person can dispute it", "Review", "Policy references", "Produced by",
]


def test_a_restriction_note_has_every_heading_a_case_file_expects(flow, generic, register):
    result = outcome(flow, generic, case(), today=TODAY)
    titles = [s.title for s in record_note(result, flow).sections]
    assert [t for t in NOTE_HEADINGS if t in titles] == NOTE_HEADINGS


def test_the_note_names_flow_version_and_content_hash(flow, generic, register):
    text = render(outcome(flow, generic, case(), today=TODAY), flow)
    assert f"flow version {flow.version}, content hash {flow.content_hash}" in text


def test_the_account_is_kept_exactly_as_typed_in_plain_text(flow, generic, register):
    account = "Line one <b>bold</b> & more\nLine two: 1. not a list"
    text = render(outcome(flow, generic, case(details={"account": account, "date": "2026-11-27"}), today=TODAY), flow)
    assert "Line one <b>bold</b> & more\nLine two: 1. not a list\n" in text


@pytest.mark.parametrize("typed", [
    "<script>alert(1)</script>", "# heading", "1. first", "1) first", "- item", "[link](http://example.org)",
    "&copy; &lt;b&gt;", "**bold** _em_ `code`", "> quote", "| a | b |",
])
def test_typed_markup_stays_literal_when_the_markdown_note_is_rendered(flow, generic, register, typed):
    result = outcome(flow, generic, case(details={"account": typed, "reference": typed[:100], "date": "2026-11-27"}), today=TODAY)
    html = MarkdownIt("commonmark").enable("table").render(as_markdown(record_note(result, flow)))
    assert typed in html_lib.unescape(html), html
    for tag in ("<script", "<ol", "<a ", "<strong", "<em>", "<code", "<table", "<blockquote>\n<blockquote>"):
        assert tag not in html
    assert html.count("<h1>") == 1  # only the document title


def test_the_accounts_line_breaks_survive_markdown(flow, generic, register):
    result = outcome(flow, generic, case(details={"account": "first line\nsecond line", "date": "2026-11-27"}), today=TODAY)
    html = MarkdownIt("commonmark").render(as_markdown(record_note(result, flow)))
    assert "first line<br />\nsecond line" in html


def test_the_warning_letter_describes_the_behaviour_to_the_person_not_in_staff_terms(flow, generic):
    result = outcome(flow, generic, case(safety=["stalking"], history="first", measures=["written_warning"], checklist=None), today=TODAY)
    letter = "\n".join(p for s in warning_letter(result, flow).sections for p in (*s.paragraphs, *s.items))
    assert "Stalking" not in letter
    assert "abusive, threatening or intimidating" in letter and "27 November 2026" in letter


def test_the_strategy_notice_states_each_restriction_review_dispute_and_safeguards(flow, profiles):
    result = outcome(flow, profiles["office_000"], case(measures=["limit_call_duration", "read_and_file"]), today=TODAY)
    letter = "\n".join(p for s in strategy_notice(result, flow).sections for p in (*s.paragraphs, *s.items))
    assert "no longer than [length" in letter and "read any further correspondence about [the matter] and keep it on file" in letter
    assert "reviewed on or before 27 February 2027" in letter
    assert "[Office to confirm: how to ask for this decision to be looked at again]" in letter  # 000 states no route
    assert "ask the police for help" in letter and "new matter" in letter and "Freedom of Information" in letter


def test_the_json_outcome_carries_the_documents_and_the_citations(flow, generic, register):
    data = json.loads(render(outcome(flow, generic, case(), today=TODAY), flow, "json"))
    assert data["restricts"] is True and data["review_date"] == "2027-02-27"
    assert set(data["documents"]) == {"Record note: managing contact", "Record note appendix: the full reasoning",
                                      "Draft contact strategy notice"}
    assert "001 §7" in data["citations"]


def test_the_json_gives_every_cited_line_its_basis(flow, profiles):
    result = outcome(flow, profiles["humberside"], case(history="first", behaviour=["abusive_language"], measures=["end_or_hold_call"], checklist=None), today=TODAY)
    statements = json.loads(render(result, flow, "json"))["statements"]
    kinds = {s["basis"] for s in statements}
    assert kinds == {"policy", "practice"}
    isolated = next(s for s in statements if s["text"].startswith("An isolated incident may need no further action"))
    assert isolated["basis"] == "practice" and isolated["cite"] == ["003 ¶4.1"] and "not in the Humberside policy" in isolated["reason"]
    assert all(all(ref.startswith("004 ") for ref in s["cite"]) for s in statements if s["basis"] == "policy")


def test_the_text_note_marks_practice_in_words(flow, profiles):
    result = outcome(flow, profiles["humberside"], case(history="first", behaviour=["abusive_language"], measures=["end_or_hold_call"], checklist=None), today=TODAY)
    note = render(result, flow)
    assert "An isolated incident may need no further action once it is recorded and your manager agrees. (our practice: not in the Humberside policy; as in West Midlands 003 ¶4.1)" in note


# --- the short record note, and the reasoning as its appendix (issue 12) --------------------------------


def example_documents(flow, generic):
    answers = json.loads((Path(__file__).resolve().parent.parent / "examples" / "answers.json").read_text(encoding="utf-8"))["answers"]
    return documents(outcome(flow, generic, answers, today=TODAY), flow)


def test_the_record_note_for_the_example_is_short_and_the_reasoning_is_a_separate_appendix(flow, generic):
    docs = example_documents(flow, generic)
    note, appendix = as_text(docs[0]), as_text(docs[1])
    assert docs[0].kind == "note" and docs[1].kind == "reasoning"
    assert len(note) < 2500, len(note)
    assert "Underlying causes" not in note and "Measures not offered" not in note
    assert "Measures not offered" in appendix and "Underlying causes" in appendix


def test_the_record_note_states_facts_and_decisions_not_instructions(flow, profiles):
    for profile in profiles.values():
        note = as_text(documents(outcome(flow, profile, case(), today=TODAY), flow)[0])
        without_account = note.replace("Calls every day.", "")
        assert not re.search(r"\b(you|your)\b", without_account, re.I), (profile.id, without_account)


def test_the_record_note_names_clauses_by_policy_not_by_file_or_hash(flow, profiles):
    cumbria = profiles["cumbria"]
    note = as_text(documents(outcome(flow, cumbria, case(), today=TODAY), flow)[0])
    assert "Cumbria policy (002): " in note and ".txt" not in note and "content hash" not in note
    assert "Warwickshire policy" not in note  # another office's clauses back practice only: in the appendix


def test_the_record_note_says_what_happens_next_and_the_review_date(flow, generic):
    note = as_text(documents(outcome(flow, generic, case(), today=TODAY), flow)[0])
    assert "To be authorised by: " in note and "Review on or before 27 February 2027." in note
