"""The decision aid's first moments and its resets: the first question is in the page before
Python has loaded and an early answer is applied once it has; Continue with nothing chosen shows
an error summary that takes focus; Start again clears everything."""

from __future__ import annotations

import json

from .aid_page import AidPage, scenario
from .e2e_support import hold_runtime, release


def test_first_question_is_served_prerendered_in_the_page(context):
    html = context.request.get("aid/").text()
    assert 'id="aid-root"' in html
    assert '<form class="aid-form" data-node="safety"' in html, "the first question is not pre-rendered into aid/index.html"
    assert 'id="aid-heading"' in html and 'id="safety-none"' in html


def test_first_question_is_answerable_before_the_worker_is_ready_and_the_answer_is_applied_once_ready(new_context):
    context, _log = new_context()
    held = hold_runtime(context)
    page = context.new_page()
    aid = AidPage(page).open()
    assert aid.state == "loading"
    assert aid.node == "safety" and aid.heading
    assert page.is_visible("#aid-status"), "no visible loading message while Python loads"

    aid.choose("safety", ["none"])
    page.click("#aid-step form.aid-form button[type=submit]")
    assert aid.state == "loading", "the engine was ready before the early answer; the test proves nothing"
    page.wait_for_function("() => /saved/i.test(document.getElementById('aid-status').textContent)")
    assert aid.node == "safety", "the page moved on without the engine"

    release(page, held)
    aid.wait_until_ready()
    page.wait_for_selector('#aid-step form.aid-form[data-node="journey"]', timeout=15_000)
    assert aid.node == "journey", f"the early answer was not applied: the page shows {aid.node!r}"
    aid.assert_focus_on_heading()


def test_continue_with_nothing_chosen_shows_an_error_summary_that_takes_focus(aid):
    assert aid.node == "safety" and not aid.checked()
    aid.continue_()
    assert aid.node == "safety"
    summary = aid.page.locator("#aid-error-summary")
    assert summary.is_visible(), "no error summary"
    assert summary.get_attribute("role") == "alert"
    assert aid.focused_id == "aid-error-summary", f"focus is on {aid.focused_id!r}, not on the error summary"
    assert aid.page.title().startswith("Error:"), f"the title does not say there is an error: {aid.page.title()!r}"
    link = summary.locator("a").first
    assert link.get_attribute("href") == "#safety-violence_used", "the error summary does not link to the first option"
    # The question recovers once answered.
    aid.choose("safety", ["none"]).continue_()
    assert aid.node == "journey" and not aid.page.query_selector("#aid-error-summary")


def test_start_again_clears_every_answer_including_those_kept_in_the_tab(aid):
    page = aid.page
    page.check("#aid-keep")
    answers = scenario("angry_but_reasonable_generic")
    aid.walk(answers)
    assert page.evaluate("() => sessionStorage.getItem('opcc-aid-answers')"), "ticking 'keep my answers' kept nothing"
    aid.see_result()

    aid.start_again()
    assert aid.node == "safety", f"Start again went to {aid.node!r}"
    aid.assert_focus_on_heading()
    assert aid.checked() == [], f"Start again left {aid.checked()} ticked"
    assert not page.is_checked("#aid-keep"), "Start again left 'keep my answers' ticked"
    kept = "() => [sessionStorage.getItem('opcc-aid-answers'), sessionStorage.getItem('opcc-aid-walk')]"
    assert page.evaluate(kept) == [None, None], "Start again left answers in sessionStorage"
    # The next question is blank too: nothing of the earlier walk survives.
    aid.choose("safety", ["none"]).continue_()
    assert aid.node == "journey" and aid.checked() == [], f"the earlier answer {aid.checked()} came back"
    # A reload keeps the new walk (its one answer), and nothing of the old one.
    page.reload()
    aid.wait_until_ready()
    page.wait_for_selector('#aid-step form.aid-form[data-node="journey"]')
    assert aid.checked() == [] and json.loads(page.evaluate(kept)[1]) == {"safety": ["none"]}


def test_a_start_slower_than_the_old_15_s_limit_shows_its_stage_not_a_failure(new_context):
    context, _log = new_context()
    held = hold_runtime(context)  # past the 15 s the aid used to allow: a very slow network or laptop
    page = context.new_page()
    aid = AidPage(page).open()
    page.wait_for_function("() => performance.now() > 20000", timeout=60_000, polling=500)
    assert aid.state == "loading", f"a start within the stall window was declared {aid.state!r}"
    assert page.is_hidden("#aid-failure")
    assert "fetching its engine" in page.text_content("#aid-status"), "the stage is not shown"
    release(page, held)
    aid.wait_until_ready()
    assert page.is_hidden("#aid-failure")
