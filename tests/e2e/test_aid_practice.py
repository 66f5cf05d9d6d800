"""Practice mode in the browser: a trainee walks a scenario and sees the model answer beside theirs."""

from __future__ import annotations

import json

from decision_aid.content import load_all
from decision_aid.practice import load_practice

from .aid_page import AidPage
from .e2e_support import hold_runtime, release


def test_a_practice_scenario_walked_in_the_browser_ends_with_the_comparison(page):
    flow, profiles = load_all()
    scenario = load_practice(flow, profiles)["missed_updates"]
    response = page.goto(f"aid/?practice={scenario.id}", wait_until="domcontentloaded")
    assert response is not None and response.status == 200
    aid = AidPage(page).wait_until_ready()
    page.wait_for_selector("#aid-step details.aid-practice[open]", timeout=15_000)
    assert scenario.title in page.inner_text("#aid-step summary")

    changed = dict(scenario.answers, channel="letter" if scenario.answers["channel"] != "letter" else "email")
    aid.walk(changed)
    aid.see_result()

    comparison = page.inner_text("#aid-step")
    assert "Your answers and the model answer" in comparison
    differing = page.locator("#aid-step .aid-practice__item--differs")
    assert differing.count() >= 1, "changing the channel should show at least one difference"
    first = differing.first
    assert first.locator("a[href]").count() >= 1, "a difference must link to the handbook or the source clause"
    assert page.locator("#doc-note").count() == 1, "the trainee still gets the record note"


def test_the_story_shows_and_an_early_answer_is_kept_before_the_engine_is_ready(new_context):
    flow, profiles = load_all()
    scenario = load_practice(flow, profiles)["missed_updates"]
    context, _log = new_context()
    held = hold_runtime(context)
    page = context.new_page()
    page.goto(f"aid/?practice={scenario.id}", wait_until="domcontentloaded")
    aid = AidPage(page)
    page.wait_for_selector("#aid-step .aid-practice-brief")
    assert aid.state == "loading"
    assert scenario.paragraphs[0][:30] in page.inner_text("#aid-step .aid-practice-brief")
    assert page.is_hidden("#aid-keep"), "practice offers no way to keep answers"

    aid.choose("safety", scenario.answers["safety"])
    page.click("#aid-step form.aid-form button[type=submit]")
    page.wait_for_function("() => /saved/i.test(document.getElementById('aid-status').textContent)")
    assert aid.state == "loading", "the engine was ready before the early answer; the test proves nothing"

    release(page, held)
    aid.wait_until_ready()
    page.wait_for_selector('#aid-step form.aid-form[data-node="journey"]', timeout=15_000)
    assert page.locator("#aid-step details.aid-practice").count() == 1, "the story is still within reach"


def test_practice_never_reads_or_changes_a_real_cases_answers(aid):
    real = {"safety": ["none"], "journey": "incident"}
    aid.page.evaluate("(a) => { sessionStorage.setItem('opcc-aid-walk', JSON.stringify(a)); "
                      "sessionStorage.setItem('opcc-aid-keep', '1'); sessionStorage.setItem('opcc-aid-answers', JSON.stringify(a)); }", real)
    aid.page.goto("aid/?practice=missed_updates", wait_until="domcontentloaded")
    aid.wait_until_ready()
    aid.page.wait_for_selector('#aid-step form.aid-form[data-node="safety"]')
    assert aid.checked() == [], "practice started from the real case's answers"
    aid.answer("safety", ["none"])
    stored = aid.page.evaluate("() => [sessionStorage.getItem('opcc-aid-walk'), sessionStorage.getItem('opcc-aid-answers')]")
    assert [json.loads(s) for s in stored] == [real, real]
    assert aid.page.evaluate("() => sessionStorage.getItem('opcc-aid-walk:practice:missed_updates')")

    aid.page.goto("aid/?practice=no_such_scenario", wait_until="domcontentloaded")
    aid.wait_until_ready()
    aid.page.wait_for_function("() => /no practice scenario called/.test(document.getElementById('aid-step').textContent)")
    stored = aid.page.evaluate("() => [sessionStorage.getItem('opcc-aid-walk'), sessionStorage.getItem('opcc-aid-answers')]")
    assert [json.loads(s) for s in stored] == [real, real], "a bad ?practice= value touched the real answers"
