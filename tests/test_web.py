"""The browser session and renderer: the protocol in decision_aid/PROTOCOL.md, on CPython."""

from __future__ import annotations

import json
import re

import pytest

from decision_aid import web

from conftest import TODAY, case
from html_support import parse_html

PAYLOAD = '<img src=x onerror=alert(1)><script>alert(2)</script>"\'&'


@pytest.fixture()
def session():
    return web.new_session("generic", "../", today=TODAY)


def submit(session, node, *values, mode="normal", **fields):
    payload = {k: [v] for k, v in fields.items()} if fields else {"answer": list(values)}
    return session.handle({"type": "submit", "node": node, "values": payload, "mode": mode})


def walk_to_summary(session, answers=None):
    answers = answers or case()
    for node, value in answers.items():
        response = session.handle({"type": "submit", "node": node, "values": web.form_values(value)})
    return response


def tags(html: str) -> list[tuple[str, dict]]:
    return parse_html(html).tags


def test_the_prerendered_first_step_is_what_a_fresh_session_starts_with(session):
    assert web.prerender("generic", "../") == session.handle({"type": "start"})["html"]


def test_a_step_is_a_form_with_a_fieldset_whose_legend_holds_the_focusable_heading(session):
    html = session.handle({"type": "start"})["html"]
    names = [t for t, _ in tags(html)]
    assert names[:5] == ["form", "div", "fieldset", "legend", "span"]
    heading = next(a for t, a in tags(html) if t == "h1")
    assert heading == {"id": "aid-heading", "class": "aid-heading", "tabindex": "-1"}


def test_every_choice_has_a_label_tied_to_its_input(session):
    html = session.handle({"type": "start"})["html"]
    inputs = {a["id"] for t, a in tags(html) if t == "input"}
    labels = {a["for"] for t, a in tags(html) if t == "label"}
    assert inputs and inputs == labels


def test_continuing_with_nothing_chosen_shows_an_error_summary_that_takes_focus(session):
    response = submit(session, "safety")
    assert response["focus"] == "aid-error-summary" and response["node"] == "safety"
    assert 'role="alert"' in response["html"] and "Select at least one answer to “Has anyone been hurt or put at risk?”" in response["html"]
    assert response["announce"].startswith("There is a problem")


def test_a_complete_walk_ends_on_check_your_answers_with_a_change_button_per_answer(session):
    response = walk_to_summary(session)
    assert response["view"] == "summary" and response["complete"]
    changes = [a["data-node"] for t, a in tags(response["html"]) if a.get("data-action") == "change"]
    assert changes == list(case())


def test_text_typed_by_the_user_is_escaped_in_the_summary_and_the_result(session):
    answers = case(details={"reference": PAYLOAD[:100], "account": PAYLOAD, "date": "2026-11-27"})
    summary = walk_to_summary(session, answers)["html"]
    result = session.handle({"type": "result"})
    for html in (summary, result["html"]):
        assert "<script>" not in html and "<img" not in html
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    note = next(d for d in result["documents"] if d["id"] == "doc-note")
    assert PAYLOAD in note["text"]  # the copyable plain text keeps exactly what was typed


def test_an_invalid_details_field_is_marked_and_linked_from_the_error_summary(session):
    walk_to_summary(session, {k: v for k, v in case().items() if k != "details"})
    response = submit(session, "details", reference="R", account="", date="31/12/2026")
    assert response["focus"] == "aid-error-summary"
    assert 'href="#details-account"' in response["html"] and 'aria-invalid="true"' in response["html"]


def test_a_change_that_keeps_later_answers_returns_to_the_summary(session):
    walk_to_summary(session)
    session.handle({"type": "change", "node": "channel"})
    response = submit(session, "channel", "letter", mode="change")
    assert response["view"] == "summary" and session.answers["measures"] == ["limit_call_duration"]


# A written warning for a repeated demand for updates: a first incident would not justify it.
WARNED_AFTER_REPEATS = case(history="repeated", measures=["written_warning"], checklist=None)


def test_a_change_that_would_discard_later_answers_asks_first_and_cancel_keeps_them(session):
    walk_to_summary(session, WARNED_AFTER_REPEATS)
    response = submit(session, "history", "first", mode="change")
    assert response["view"] == "confirm"
    assert "Which measures do you propose?" in response["html"]
    assert session.handle({"type": "cancel"})["view"] == "summary"
    assert session.answers["history"] == "repeated"


def test_confirming_a_discarding_change_clears_the_dependent_answers_and_asks_again(session):
    walk_to_summary(session, WARNED_AFTER_REPEATS)
    submit(session, "history", "first", mode="change")
    response = session.handle({"type": "confirm"})
    assert response["node"] == "measures" and "measures" not in session.answers


def test_back_goes_to_the_previous_question_with_its_answer_kept(session):
    submit(session, "safety", "none")
    submit(session, "journey", "incident")
    submit(session, "channel", "email")
    response = session.handle({"type": "back"})
    assert response["node"] == "channel"
    assert 'value="email" checked' in response["html"]


def test_start_again_clears_every_answer(session):
    walk_to_summary(session)
    response = session.handle({"type": "restart"})
    assert response["node"] == "safety" and response["answers"] == {} and "cleared" in response["announce"]


def test_starting_with_saved_answers_resumes_where_they_stop(session):
    saved = {k: v for k, v in case(history="first").items() if k in ("safety", "journey", "channel", "matter")}
    response = session.handle({"type": "start", "answers": saved})
    assert response["node"] == "history" and response["answers"] == saved


def test_a_stale_submit_for_a_question_off_the_path_shows_the_current_step(session):
    response = submit(session, "measures", "no_action")
    assert response["node"] == "safety"


def test_the_result_links_every_measure_to_its_handbook_page_and_sources(session):
    walk_to_summary(session)
    html = session.handle({"type": "result"})["html"]
    assert 'href="../contact-strategy/"' in html and 'href="../sources/#c-001-s7"' in html
    assert 'role="region" aria-label="Record note, text"' in html and 'data-action="copy" data-target="doc-note"' in html


def test_the_result_offers_the_letters_the_case_needs_with_safe_file_names(session):
    walk_to_summary(session, case(details={"reference": "A/B 12", "account": "x", "date": "2026-11-27"}))
    docs = session.handle({"type": "result"})["documents"]
    assert [d["filename"] for d in docs] == ["record-note-A-B-12-2026-11-27.txt", "record-note-appendix-A-B-12-2026-11-27.txt",
                                                "contact-strategy-notice-A-B-12-2026-11-27.txt"]


def test_links_follow_the_base_path_given():
    custom = web.new_session("cumbria", "../../", today=TODAY)
    html = custom.handle({"type": "start"})["html"]
    assert 'href="../../police/"' in html and 'href="../../sources/#' in html


@pytest.mark.parametrize("request_text", ["not json", "[1, 2]", '{"type": "fly"}', '{"type": "submit", "node": 5}', '{"type": "submit", "node": "safety", "values": "x"}'])
def test_handle_json_never_raises_and_always_returns_html(request_text):
    web.create("generic", "../")
    response = json.loads(web.handle_json(request_text))
    assert response["html"] and response["view"] in ("error", "step")


# --- the result made ahead (prepare) ------------------------------------------------------------


def test_a_result_made_ahead_on_check_your_answers_is_the_one_the_click_shows(session):
    walk_to_summary(session)
    session.prepare()
    assert session.prepared is not None
    shown = session.handle({"type": "result"})
    assert shown["html"] is session.prepared[1]["html"]
    unprepared = web.new_session("generic", "../", today=TODAY)
    walk_to_summary(unprepared)
    assert shown == unprepared.handle({"type": "result"})


def test_making_the_result_ahead_changes_nothing_on_screen(session):
    walk_to_summary(session)
    session.prepare()
    assert session.view == "summary"
    session.handle({"type": "ask_restart"})
    assert session.handle({"type": "cancel"})["view"] == "summary"


def test_nothing_is_made_ahead_away_from_check_your_answers(session):
    submit(session, "safety", "none")
    session.prepare()
    assert session.prepared is None


def test_a_change_after_the_result_was_made_ahead_gives_the_result_of_the_new_answers(session):
    walk_to_summary(session)
    session.prepare()
    session.handle({"type": "change", "node": "channel"})
    submit(session, "channel", "letter", mode="change")
    shown = session.handle({"type": "result"})
    fresh = web.new_session("generic", "../", today=TODAY)
    walk_to_summary(fresh, case(channel="letter"))
    assert shown["html"] == fresh.handle({"type": "result"})["html"]


def test_a_result_made_ahead_is_not_used_on_another_day(session):
    import datetime as dt

    walk_to_summary(session)
    session.prepare()
    session.today = TODAY + dt.timedelta(days=1)
    shown = session.handle({"type": "result"})
    assert shown["html"] is not session.prepared[1]["html"]
    tomorrow = web.new_session("generic", "../", today=TODAY + dt.timedelta(days=1))
    walk_to_summary(tomorrow)
    assert shown == tomorrow.handle({"type": "result"})


def test_start_again_drops_the_result_made_ahead(session):
    walk_to_summary(session)
    session.prepare()
    session.handle({"type": "restart"})
    assert session.prepared is None


def test_nothing_is_made_ahead_while_start_again_is_asked(session):
    walk_to_summary(session)
    session.handle({"type": "ask_restart"})
    session.prepare()
    assert session.prepared is None


def test_a_result_made_ahead_is_not_used_for_another_office():
    cumbria = web.new_session("cumbria", "../", today=TODAY)
    walk_to_summary(cumbria)
    cumbria.prepare()
    cumbria.profile = cumbria.profiles["west_midlands"]  # as a practice scenario of another office does
    shown = cumbria.handle({"type": "result"})
    assert shown["html"] is not cumbria.prepared[1]["html"] and "West Midlands" in shown["html"]


def test_the_bridge_prepare_never_raises(monkeypatch):
    from decision_aid.web import bridge

    session = web.new_session("generic", "../", today=TODAY)

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(session, "prepare", broken)
    monkeypatch.setattr(bridge, "_session", session)
    web.prepare()  # printed to stderr, not raised: it only ever saves time


# --- practice mode ------------------------------------------------------------------------------


def practice_walk(session, scenario_id, change=None):
    from decision_aid.practice import load_practice

    scenario = load_practice(session.flow, session.profiles)[scenario_id]
    response = session.handle({"type": "start", "practice": scenario_id})
    answers = dict(scenario.answers, **(change or {}))
    for node in scenario.path:
        value = answers[node]
        response = submit(session, node, **value) if isinstance(value, dict) else submit(session, node, *([value] if isinstance(value, str) else value))
    return scenario, response


def test_practice_mode_keeps_the_story_on_every_step_and_uses_the_scenarios_office(session):
    response = session.handle({"type": "start", "practice": "racist_email"})
    assert 'class="aid-practice" open' in response["html"] and "Practice scenario:" in response["html"]
    from decision_aid.practice import load_practice

    assert session.profile.id == load_practice(session.flow, session.profiles)["racist_email"].office


def test_practice_ends_with_the_trainees_answers_beside_the_model_answer(session):
    scenario, response = practice_walk(session, "missed_updates")
    assert response["view"] == "summary"
    result = session.handle({"type": "result"})
    assert "Your answers and the model answer" in result["html"]
    assert result["announce"].startswith("Practice complete")


def test_practice_explains_a_difference_with_a_link_to_the_handbook(session):
    scenario, _ = practice_walk(session, "angry_about_delay", change={"channel": "letter"})
    html = session.handle({"type": "result"})["html"]
    comparison = re.search(r'<section class="aid-practice".*?</section>', html, re.S).group(0)
    assert "Telephone" in comparison and "Letter" in comparison and 'href="../channels/"' in comparison
    assert html.index('id="aid-heading"') < html.index('id="practice-compare-heading"'), "the feedback is above the page's h1"


def test_an_unknown_practice_scenario_says_so(session):
    response = session.handle({"type": "start", "practice": "<script>"})
    assert response["view"] == "error" and "&lt;script&gt;" in response["html"]


# --- policy or practice, visibly (issue 10) ------------------------------------------------------------


def test_an_option_that_is_not_the_offices_policy_is_marked_as_our_practice_on_the_step():
    session = web.new_session("humberside", "../", today=TODAY)
    answers = case(history="first")
    view = session.handle({"type": "start", "answers": {k: answers[k] for k in ("safety", "journey", "channel", "matter", "history", "new_information")}})
    assert view["node"] == "behaviour"
    personal = re.search(r'id="behaviour-personal_contact-hint"[^>]*>(.*?)</div></div>', view["html"], re.S).group(1)
    assert "Our practice: not in the Humberside policy; as in West Midlands 003 ¶3" in re.sub(r"<[^>]+>", "", personal)
    abuse = re.search(r'id="behaviour-abusive_language"', view["html"])
    assert abuse and 'id="behaviour-abusive_language-hint"' not in view["html"]  # 004 §1.2 says it: no mark


def test_the_result_page_marks_practice_and_cites_the_offices_own_clauses():
    session = web.new_session("humberside", "../", today=TODAY)
    answers = case(history="first", behaviour=["abusive_language"], measures=["end_or_hold_call"], checklist=None)
    session.handle({"type": "start", "answers": answers})
    html = session.handle({"type": "result"})["html"]
    assert 'class="aid-practice-mark"' in html and "Our practice: not in the Humberside policy" in html
    do_now = html.split("<h2>Do now</h2>", 1)[1].split("</ol>", 1)[0]
    assert "004 §1.3" in do_now and "003 ¶5" not in do_now


# --- safety at once (issue 12) -----------------------------------------------------------------------


def test_a_safety_tick_shows_what_to_do_now_before_the_next_question():
    session = web.new_session("west_midlands", "../", today=TODAY)
    view = submit(session, "safety", "threat_harm")
    assert view["view"] == "interrupt" and view["focus"] == "aid-heading" and "Do this now" in view["html"]
    profile = session.profile
    assert html_text(profile.end_contact.text) in view["html"] and "003 ¶6" in view["html"]  # its own police rule
    assert 'data-action="carry_on"' in view["html"]
    assert session.handle({"type": "carry_on"})["node"] == "journey"


def test_a_person_at_risk_is_told_their_safety_first_and_never_to_end_the_contact():
    session = web.new_session("cumbria", "../", today=TODAY)
    view = submit(session, "safety", "person_at_risk")
    assert view["view"] == "interrupt"
    assert "safety comes first" in view["html"] and html_text(session.profile.end_contact.text) not in view["html"]


def test_no_safety_tick_goes_straight_to_the_next_question(session):
    assert submit(session, "safety", "none")["node"] == "journey"


def test_back_from_what_to_do_now_returns_to_the_safety_question(session):
    submit(session, "safety", "stalking")
    view = session.handle({"type": "back"})
    assert view["node"] == "safety" and 'value="stalking" checked' in view["html"]


def html_text(text: str) -> str:
    from html import escape
    return escape(text[:1].upper() + text[1:], quote=True)


# --- the walk survives the browser (issue 12) ----------------------------------------------------------


def test_start_again_asks_first_and_no_returns_to_the_result_with_every_answer(session):
    walk_to_summary(session)
    session.handle({"type": "result"})
    asked = session.handle({"type": "ask_restart"})
    assert asked["view"] == "confirm" and "Start again?" in asked["html"] and 'data-action="restart"' in asked["html"]
    back = session.handle({"type": "cancel"})
    assert back["view"] == "result" and back["answers"]["details"]["account"] == "Calls every day."


def test_start_again_with_nothing_answered_needs_no_question(session):
    assert session.handle({"type": "ask_restart"})["node"] == "safety"


def test_a_history_entry_shows_its_question_again_with_the_answer_kept(session):
    walk_to_summary(session)
    view = session.handle({"type": "show", "view": "step", "node": "channel"})
    assert view["node"] == "channel" and 'value="telephone" checked' in view["html"]
    assert session.handle({"type": "show", "view": "summary", "node": None})["view"] == "summary"


def test_a_reload_restores_the_answers_and_the_view_it_was_on():
    fresh = web.new_session("generic", "../", today=TODAY)
    view = fresh.handle({"type": "show", "view": "step", "node": "matter", "answers": case()})
    assert view["node"] == "matter" and 'value="concluded" checked' in view["html"]


def test_a_history_entry_the_answers_no_longer_reach_shows_where_they_do_lead(session):
    submit(session, "safety", "none")
    assert session.handle({"type": "show", "view": "step", "node": "measures"})["node"] == "journey"


def test_every_document_made_in_practice_is_stamped_as_not_a_case_record(session):
    scenario, _ = practice_walk(session, "angry_about_delay")
    result = session.handle({"type": "result"})
    assert result["documents"] and all(d["text"].startswith("PRACTICE — NOT A CASE RECORD") for d in result["documents"])
    assert all(d["filename"].startswith("practice-") for d in result["documents"])
    assert "PRACTICE — NOT A CASE RECORD" in result["html"]


def test_every_free_text_field_stays_out_of_the_browsers_form_history(flow, profiles):
    from decision_aid.web.views import render_step

    details = [nid for nid, node in flow.nodes.items() if node.kind == "details"]
    assert len(details) >= 2
    for nid in details:
        html = render_step(flow, profiles["generic"], {}, nid, web.Links("../"), number=1)
        fields = re.findall(r"<(?:input|textarea)\b[^>]*>", html)
        typed = [f for f in fields if 'type="radio"' not in f and 'type="checkbox"' not in f]
        assert typed, nid
        assert all('autocomplete="off"' in f for f in typed), (nid, [f for f in typed if 'autocomplete="off"' not in f])
