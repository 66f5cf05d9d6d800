"""The walk survives the browser (issue 12): each question is a history entry, so the browser's
Back and Forward move between questions; following a handbook link and coming back, or
reloading, keeps every answer in that tab; the walk's copy goes when the walk ends; closing the tab
mid-walk asks first, a link within the handbook does not."""

from __future__ import annotations

import json

from .aid_page import scenario

WALK = "() => sessionStorage.getItem('opcc-aid-walk')"


def wait_for_question(aid, node):
    aid.page.wait_for_selector(f'#aid-step form.aid-form[data-node="{node}"]')


def test_browser_back_and_forward_move_between_questions_with_answers_kept(aid):
    aid.answer("safety", ["none"]).answer("journey", "incident").answer("channel", "email")
    assert aid.node == "matter"
    aid.page.go_back()
    wait_for_question(aid, "channel")
    assert aid.checked() == ["channel-email"]
    aid.page.go_back()
    wait_for_question(aid, "journey")
    assert aid.checked() == ["journey-incident"]
    aid.page.go_forward()
    wait_for_question(aid, "channel")
    assert aid.checked() == ["channel-email"]


def test_the_back_button_and_the_browser_agree(aid):
    aid.answer("safety", ["none"]).answer("journey", "incident")
    aid.action("back")
    assert aid.node == "journey"
    aid.page.go_forward()
    wait_for_question(aid, "channel")


def test_following_a_handbook_link_and_coming_back_keeps_every_answer(aid):
    answers = scenario("angry_but_reasonable_generic")
    aid.answer("safety", answers["safety"]).answer("journey", "incident").answer("channel", answers["channel"])
    assert aid.node == "matter"
    aid.page.click("#aid-step .aid-sources a")  # the question's handbook page
    aid.page.wait_for_load_state()
    assert "/aid/" not in aid.page.url
    aid.page.go_back()
    aid.wait_until_ready()
    wait_for_question(aid, "matter")
    assert json.loads(aid.page.evaluate(WALK))["channel"] == answers["channel"]
    aid.page.click("[data-action=back]")
    wait_for_question(aid, "channel")
    assert aid.checked() == [f"channel-{answers['channel']}"]


def test_a_reload_mid_walk_keeps_the_answers_and_the_question(aid):
    aid.answer("safety", ["none"]).answer("journey", "incident").answer("channel", "letter")
    aid.page.reload()
    aid.wait_until_ready()
    wait_for_question(aid, "matter")
    aid.action("back")
    assert aid.node == "channel" and aid.checked() == ["channel-letter"]


def test_the_walks_copy_of_the_answers_goes_once_the_record_note_is_saved(aid):
    aid.walk(scenario("angry_but_reasonable_generic"))
    aid.see_result()
    assert aid.page.evaluate(WALK), "the walk in progress was not kept"
    with aid.page.expect_download():
        aid.page.click("#aid-step [data-action=download][data-target=doc-note]")
    assert aid.page.evaluate(WALK) is None, "the answers stayed after the note was saved"


def _junk(seed: int) -> str:
    """A random JSON value that is not a walk's answers (numbers, nulls, nesting, wrong types)."""
    import random

    rng = random.Random(seed)

    def value(depth: int):
        kind = rng.choice(["num", "null", "bool", "list", "dict", "str"] if depth < 4 else ["num", "null", "bool"])
        if kind == "list":
            return [value(depth + 1) for _ in range(rng.randint(1, 3))]
        if kind == "dict":
            return {rng.choice(["safety", "journey", "x", ""]): value(depth + 1) for _ in range(rng.randint(1, 3))}
        return {"num": rng.randint(-10**6, 10**6), "null": None, "bool": True, "str": "\u202e<b>"}[kind]

    def answer_shaped(v) -> bool:  # what aid.js accepts: a text, texts, or named texts
        return (isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))
                or (isinstance(v, dict) and all(isinstance(x, str) for x in v.values())))

    while True:
        candidate = {"safety": value(1)}
        if not answer_shaped(candidate["safety"]):
            return json.dumps(candidate)


def test_saved_answers_that_are_not_answers_are_removed_with_a_message(aid):
    # Deeply nested, the wrong shape, or not JSON, and random junk: each is dropped and the walk
    # starts afresh, with a message; the aid is never left busy.
    for tampered in ["[" * 100000 + "]" * 100000, '{"safety": {"a": {"b": {"c": "d"}}}}', '{"safety": 1}', "{not json",
                     "x" * 300_000, *(_junk(seed) for seed in range(6))]:
        aid.page.evaluate("(t) => sessionStorage.setItem('opcc-aid-walk', t)", tampered)
        aid.page.reload(wait_until="domcontentloaded")
        aid.wait_until_ready()
        aid.page.wait_for_function("() => /could not be read/.test(document.getElementById('aid-status').textContent)")
        assert aid.node == "safety" and aid.checked() == []
        assert aid.page.evaluate(WALK) is None


def _dialogs(page) -> list[str]:
    seen: list[str] = []

    def handle(dialog):
        seen.append(dialog.type)
        dialog.accept()

    page.on("dialog", handle)
    return seen


def test_closing_the_tab_mid_walk_asks_first(aid):
    seen = _dialogs(aid.page)
    aid.answer("safety", ["none"]).answer("journey", "incident")
    aid.page.close(run_before_unload=True)
    aid.page.wait_for_event("close")
    assert seen == ["beforeunload"], "closing the tab mid-walk loses the answers without a word"


def test_a_link_to_the_handbook_mid_walk_does_not_ask(aid):
    seen = _dialogs(aid.page)
    aid.answer("safety", ["none"]).answer("journey", "incident")
    with aid.page.expect_navigation():
        aid.page.click("#aid-step .aid-sources a")
    assert "/aid/" not in aid.page.url
    assert seen == [], "a link within the handbook keeps the walk, so it should not warn"


def test_closing_before_any_answer_does_not_ask(aid):
    seen = _dialogs(aid.page)
    aid.page.close(run_before_unload=True)
    aid.page.wait_for_event("close")
    assert seen == []
