"""Walking the flow: next question, validation with clear messages, and what a change discards."""

from __future__ import annotations

import pytest

from decision_aid.engine import AnswerError, answer, outcome, validate, walk, would_discard

from conftest import TODAY, case


def test_an_empty_walk_starts_with_safety(flow, generic):
    state = walk(flow, generic, {})
    assert (state.current, state.path) == ("safety", ())


def test_a_complete_set_of_answers_completes_the_walk(flow, generic):
    state = walk(flow, generic, case())
    assert state.complete and state.path[-1] == "details" and not state.dropped


def test_answers_off_the_path_are_dropped(flow, generic):
    state = walk(flow, generic, case(behaviour=["none"]))
    assert state.complete
    assert set(state.dropped) >= {"needs", "measures", "checklist"} and "cause_process" not in state.dropped


def test_replay_refuses_answers_that_are_off_the_path(flow, generic):
    with pytest.raises(AnswerError) as caught:
        outcome(flow, generic, case(behaviour=["none"]), today=TODAY)
    assert caught.value.node == "needs" and "not on the path" in caught.value.message


@pytest.mark.parametrize("node, value, message", [
    ("channel", "pigeon", "'pigeon' is not one of the options here"),
    ("channel", "", "Select one answer to “How did the person contact us this time?”"),
    ("channel", ["telephone"], "Select one answer to"),
    ("safety", [], "Select at least one answer to “Has anyone been hurt or put at risk?”"),
    ("safety", ["none", "stalking"], "'None of these' cannot be combined with other options"),
    ("safety", [1], "give a list of option ids"),
    ("nowhere", "x", "there is no such question"),
])
def test_invalid_answers_are_rejected_with_a_message_fit_to_show(flow, generic, node, value, message):
    with pytest.raises(AnswerError) as caught:
        validate(flow, generic, {}, node, value)
    assert message in caught.value.message


def test_multi_select_answers_are_put_in_option_order_without_repeats(flow, generic):
    assert validate(flow, generic, {}, "safety", ["stalking", "violence_used", "stalking"]) == ["violence_used", "stalking"]


@pytest.mark.parametrize("details, field, message", [
    ({"account": "   "}, "account", "Enter what happened, in brief"),
    ({"account": "x", "date": "27th of never"}, "date", "for example 27/11/2026"),
    ({"account": "x", "date": "2026-02-30"}, "date", "there is no such date (30/2/2026)"),
    ({"account": "x" * 4001}, "account", "4000 characters or fewer"),
    ({"account": "bell\x07"}, "account", "control character (U+0007)"),
    ({"account": 5}, "account", "must be text"),
])
def test_details_are_checked_field_by_field(flow, generic, details, field, message):
    with pytest.raises(AnswerError) as caught:
        validate(flow, generic, {}, "details", details)
    assert caught.value.field == field and message in caught.value.message


def test_details_keep_unicode_and_line_breaks(flow, generic):
    value = validate(flow, generic, {}, "details", {"account": "  Café 😊\r\nnext line\t(tab)  "})
    assert value["account"] == "Café 😊\nnext line\t(tab)"


def test_a_change_that_keeps_later_answers_valid_keeps_them(flow, generic):
    state, discarded = answer(flow, generic, case(), "channel", "email")
    assert state.complete and discarded == ()
    assert state.answers["measures"] == ["limit_call_duration"]


def test_a_change_that_invalidates_a_later_answer_discards_it_and_stops_there(flow, generic):
    repeated = case(history="repeated", measures=["written_warning"], checklist=None)
    state, discarded = answer(flow, generic, repeated, "history", "first")
    assert state.current == "measures"  # a first incident of this kind does not justify a written warning
    assert discarded == ("measures", "details")


def test_the_user_can_be_warned_before_a_change_discards_answers(flow, generic):
    assert would_discard(flow, generic, case(), "behaviour", ["none"])[:2] == ("needs", "measures")
    assert would_discard(flow, generic, case(), "channel", "letter") == ()


def test_a_question_off_the_current_path_cannot_be_answered(flow, generic):
    with pytest.raises(AnswerError):
        answer(flow, generic, {"safety": ["none"]}, "measures", ["no_action"])


# --- dates as staff type them (GOV.UK: accept the common forms) ----------------------------------------


@pytest.mark.parametrize("typed", ["27/11/2026", "27-11-2026", "27.11.2026", " 27 / 11 / 2026 ", "27 November 2026",
                                   "27 Nov 2026", "27th November 2026", "2026-11-27", "27 NOVEMBER 2026"])
def test_a_date_in_any_common_uk_form_is_kept_as_year_month_day(flow, generic, typed):
    details = validate(flow, generic, {}, "details", {"reference": "", "account": "x", "date": typed})
    assert details["date"] == "2026-11-27"


@pytest.mark.parametrize("typed, says", [
    ("11/27/2026", "there is no such date (11/27/2026)"),
    ("31 February 2026", "there is no such date"),
    ("27/11/26", "enter a day, month and year"),
    ("next Tuesday", "enter a day, month and year"),
])
def test_a_date_that_cannot_be_read_says_what_to_type(flow, generic, typed, says):
    with pytest.raises(AnswerError) as caught:
        validate(flow, generic, {}, "details", {"reference": "", "account": "x", "date": typed})
    assert says in caught.value.message and caught.value.field == "date"
    assert caught.value.message.startswith(flow.nodes["details"].fields[2].label)
