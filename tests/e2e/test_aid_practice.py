"""Practice mode in the browser: a trainee walks a scenario and sees the model answer beside theirs."""

from __future__ import annotations

from decision_aid.content import load_all
from decision_aid.practice import load_practice

from .aid_page import AidPage


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
