"""Full walks of the decision aid in the browser, from the first question to the record note, for
policy scenarios (tests/scenarios/*.json replayed with the generic office the site is built for);
Change from "Check your answers", with and without discarding later answers; the Copy button."""

from __future__ import annotations

import pytest

from .aid_page import scenario

SCENARIOS = [
    "angry_but_reasonable_generic",  # nothing unacceptable: no sanction
    "outside_remit_generic",  # restrictions with the authoriser's checklist
    "telephone_adjustment_humberside",  # a disability and an adjusted channel
    "threatening_visit_west_midlands",  # safety first: a threat of harm
    "first_isolated_abusive_email_cumbria",  # a first incident, a written warning, a language need
    "breach_of_contact_plan_west_midlands",  # a breached plan tightened
]


@pytest.mark.parametrize("name", SCENARIOS)
def test_full_walk_ends_in_the_record_note_the_engine_writes(aid, engine_documents, name):
    answers = scenario(name)
    asked = aid.walk(answers)
    assert asked[0] == "safety" and asked[-1] == "details"
    assert set(aid.summary_nodes()) == set(asked), "Check your answers does not list every question asked"

    aid.see_result()
    aid.assert_focus_on_heading()
    region = aid.page.locator('[role=region][aria-label="Record note, text"]')
    assert region.count() == 1, "no region labelled 'Record note'"
    assert region.locator("#doc-note").count() == 1
    expected = engine_documents(answers)
    assert aid.note() == expected["doc-note"], "the browser's record note differs from the engine's (CPython, same package)"
    assert answers["details"]["reference"] in aid.note()
    for doc_id, text in expected.items():  # draft letters likewise
        assert aid.page.text_content(f"#{doc_id}") == text, f"{doc_id} differs from the engine's"


def test_change_from_check_your_answers_keeps_the_later_answers_still_valid(aid, engine_documents):
    answers = scenario("obstructive_caller_not_yet_told_humberside")
    aid.walk(answers)
    before = aid.summary()
    question = aid.page.locator('#aid-step [data-action=change][data-node="matter"]')
    assert question.count() == 1

    aid.change("matter")
    assert aid.checked() == ["matter-ongoing"], "the change page is not prefilled with the earlier answer"
    aid.assert_focus_on_heading()
    aid.choose("matter", ["concluded"]).continue_()

    assert aid.view == "summary", f"a change discarding nothing went to {aid.view!r} ({aid.heading!r})"
    after = aid.summary()
    assert after.keys() == before.keys(), "the change lost or added questions"
    changed = {q for q in before if before[q] != after[q]}
    assert len(changed) == 1, f"expected only the matter answer to change; changed: {changed}"
    aid.see_result()
    assert aid.note() == engine_documents({**answers, "matter": "concluded"})["doc-note"]


def test_change_that_discards_dependent_answers_warns_first_and_cancel_keeps_them(aid, engine_documents):
    answers = scenario("obstructive_caller_not_yet_told_humberside")
    aid.walk(answers)
    before = aid.summary()

    aid.change("behaviour")
    aid.choose("behaviour", ["none"]).continue_()
    assert aid.view == "confirm", f"no warning before discarding answers: the page shows {aid.heading!r}"
    aid.assert_focus_on_heading()
    cleared = aid.page.eval_on_selector_all("#aid-step .aid-confirm li", "els => els.map(e => e.innerText.trim())")
    assert len(cleared) >= 2, f"the warning lists {cleared}, not the answers it will clear"
    assert set(cleared) < set(before), f"the warning lists questions that were not answered: {cleared}"

    aid.action("cancel")
    assert aid.view == "summary" and aid.summary() == before, "Keep my earlier answer did not keep every answer"

    aid.change("behaviour")
    aid.choose("behaviour", ["none"]).continue_()
    assert aid.view == "confirm"
    aid.action("confirm")
    aid.assert_focus_on_heading()
    assert aid.view == "summary", f"after confirming, the page shows {aid.heading!r}"
    after = aid.summary()
    assert set(after) < set(before), "confirming the change discarded nothing"
    assert not any(n in ("needs", "measures", "checklist") for n in aid.summary_nodes())  # our side (cause_*) is still asked
    aid.see_result()
    changed = {k: v for k, v in {**answers, "behaviour": ["none"]}.items() if k not in ("needs", "adjustment_channel", "measures", "checklist")}
    assert aid.note() == engine_documents(changed)["doc-note"]
    assert "No sanction" in aid.page.inner_text("#aid-step")


def test_copy_button_puts_the_record_note_on_the_clipboard(new_context, base_url, engine_documents):
    from .aid_page import AidPage

    context, _log = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    aid = AidPage(context.new_page()).open().wait_until_ready()
    answers = scenario("outside_remit_generic")
    aid.walk(answers)
    aid.see_result()
    button = aid.page.get_by_role("button", name="Copy record note")
    assert button.count() == 1, "no 'Copy record note' button"
    button.click()
    aid.page.wait_for_function("() => /copied/i.test(document.getElementById('aid-step').innerText)")
    copied = aid.page.evaluate("() => navigator.clipboard.readText()")
    assert copied == aid.note() == engine_documents(answers)["doc-note"]


def test_a_safety_tick_shows_what_to_do_now_and_carries_on_to_the_next_question(aid):
    aid.choose("safety", ["violence_threatened"]).continue_()
    assert aid.view == "interrupt", f"a safety tick went to {aid.view!r}"
    aid.assert_focus_on_heading()
    assert aid.heading == "Do this now"
    aid.action("carry_on")
    assert aid.node == "journey"
