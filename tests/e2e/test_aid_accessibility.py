"""axe-core (pinned, injected from node_modules) finds no WCAG 2.2 A/AA violation on any view of
the decision aid (every question, an error, what to do now after a safety tick, Check your
answers, the change warning, the result),
in the light and the dark palette."""

from __future__ import annotations

import pytest

from .aid_page import AidPage, scenario
from .e2e_support import assert_palette, axe_violations, format_violations


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_view_of_the_aid_has_no_wcag_22_aa_violation(new_context, scheme):
    context, _log = new_context(color_scheme=scheme)
    aid = AidPage(context.new_page()).open()
    assert_palette(aid.page, scheme)
    found: list[str] = []

    def check(where: str) -> None:
        violations = axe_violations(aid.page)
        if violations:
            found.append(format_violations(violations, f"{where} ({scheme} palette)"))

    check("the first question while Python loads")
    aid.wait_until_ready()
    aid.continue_()  # nothing chosen: the error summary
    check("the first question with its error summary")
    aid.choose("safety", ["threat_harm"]).continue_()
    assert aid.view == "interrupt"
    check("what to do now, after a safety tick")
    aid.action("back")

    answers = scenario("telephone_adjustment_humberside")  # the longest walk: every stage
    aid.walk(answers, after_each=lambda a: check(f"the view after answering, {a.heading!r}"))
    aid.change("behaviour")
    check("a question in change mode")
    aid.choose("behaviour", ["none"]).continue_()
    assert aid.view == "confirm"
    check("the warning before a change clears answers")
    aid.action("cancel")
    aid.see_result()
    check("the recommendation and record note")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_practice_start_and_feedback_have_no_wcag_22_aa_violation(new_context, scheme):
    from decision_aid.content import load_all
    from decision_aid.practice import load_practice

    flow, profiles = load_all()
    s = load_practice(flow, profiles)["angry_about_delay"]
    context, _log = new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(f"aid/?practice={s.id}", wait_until="domcontentloaded")
    aid = AidPage(page)
    found: list[str] = []

    def check(where: str) -> None:
        violations = axe_violations(page)
        if violations:
            found.append(format_violations(violations, f"{where} ({scheme} palette)"))

    check("a practice scenario's story and first question while Python loads")
    aid.wait_until_ready()
    # One wrong tick that sends the walk another way: differences, matches and the parted group.
    aid.walk({**s.answers, "behaviour": ["abusive_language"], "needs": ["none_known"], "measures": ["no_action"]})
    aid.see_result()
    page.locator("#aid-step details.aid-practice__more").first.evaluate("d => d.open = true")
    check("the practice feedback")
    assert not found, "\n".join(found)
