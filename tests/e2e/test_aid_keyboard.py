"""The decision aid by keyboard alone: Tab to move, Space to tick, arrow keys inside a radio group
(the platform's own way to choose a radio), Enter to continue. No clicks anywhere."""

from __future__ import annotations

from .aid_page import AidPage, scenario


def test_keyboard_only_walk_reaches_the_record_note_and_copies_it(new_context, base_url, engine_documents):
    context, _log = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    aid = AidPage(context.new_page()).open().wait_until_ready()
    answers = scenario("first_isolated_abusive_email_cumbria")
    details = {k: v for k, v in answers["details"].items() if k != "date"}  # the date is optional: today
    answers = {**answers, "details": details}

    for _ in range(40):
        if aid.view != "step":
            break
        node = aid.node
        if node == "details":
            aid.key_fill(details)
        else:
            aid.key_choose(node, answers[node])
        aid.key_press_button("#aid-step form.aid-form button[type=submit]")
        aid.assert_focus_on_heading()
    assert aid.view == "summary", f"the keyboard walk stopped at {aid.heading!r}"

    aid.key_press_button("#aid-step [data-action=result]")
    assert aid.view == "result"
    aid.assert_focus_on_heading()
    assert aid.note() == engine_documents(answers)["doc-note"]

    aid.tab_to('#aid-step [data-action=copy][data-target="doc-note"]')
    aid.page.keyboard.press("Enter")
    aid.page.wait_for_function("() => /copied/i.test(document.getElementById('aid-step').innerText)")
    assert aid.page.evaluate("() => navigator.clipboard.readText()") == aid.note()
