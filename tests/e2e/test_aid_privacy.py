"""Free text is data, never markup: an HTML/script payload typed into every free-text field of the
aid shows literally on "Check your answers", in the record note and back in the fields, and runs
nothing."""

from __future__ import annotations

from .aid_page import scenario

PAYLOAD = "<img src=x onerror=window.__xss=1><script>window.__xss=2</script>"


def assert_inert(aid, where: str) -> None:
    assert aid.page.evaluate("() => typeof window.__xss") == "undefined", f"the payload ran on {where}"
    made = aid.page.evaluate("() => document.querySelectorAll('#aid-step img, #aid-step script').length")
    assert made == 0, f"the payload became {made} element(s) on {where}"


def test_html_and_script_typed_into_every_free_text_field_render_inert(aid, engine_documents):
    answers = scenario("outside_remit_generic")
    details = answers.pop("details")
    for _ in range(40):
        if aid.node == "details" or aid.view != "step":
            break
        aid.answer(aid.node, answers[aid.node])
    assert aid.node == "details"

    fields = aid.page.eval_on_selector_all(
        "#aid-step form.aid-form textarea, #aid-step form.aid-form input[type=text]",
        "els => els.map(e => e.id.replace(/^details-/, ''))",
    )
    assert len(fields) >= 2, f"expected the reference and the account as free text, found {fields}"
    # What each field holds once typed (a field's maxlength may cut the payload short).
    limits = {f: aid.page.get_attribute(f"#details-{f}", "maxlength") for f in fields}
    held = {f: PAYLOAD[: int(limits[f])] if limits[f] else PAYLOAD for f in fields}
    aid.fill_details({field: PAYLOAD for field in fields}).continue_()
    # A field that cannot take the payload (the date) says so, and still shows it only as text.
    rejected = aid.page.eval_on_selector_all(
        "#aid-step [aria-invalid=true]", "els => els.map(e => e.id.replace(/^details-/, ''))"
    )
    if rejected:
        assert aid.node == "details" and aid.page.query_selector("#aid-error-summary"), "a rejected field without an error summary"
        assert_inert(aid, "the details question with an error")
        aid.assert_focus_on_heading()  # on the error summary
        for field in fields:
            assert aid.page.input_value(f"#details-{field}") == held[field], f"{field} does not hold the payload as typed"
        assert set(rejected) <= set(details), f"fields rejected beyond those with a scenario value: {rejected}"
        aid.fill_details({field: details[field] for field in rejected}).continue_()
    accepted = [field for field in fields if field not in rejected]
    assert {"reference", "account"} <= set(accepted), f"free text refused: {rejected}"
    assert all(held[f] == PAYLOAD for f in accepted), f"a free-text field is too short for the payload: {limits}"
    typed = {**details, **{field: PAYLOAD for field in accepted}}
    assert aid.view == "summary", f"expected Check your answers, the page shows {aid.heading!r}"
    assert_inert(aid, "Check your answers")
    shown = aid.page.inner_text("#aid-step")
    assert shown.count(PAYLOAD) >= len(accepted), f"the payload is not shown literally for every field on Check your answers:\n{shown}"

    aid.see_result()
    assert_inert(aid, "the recommendation")
    assert PAYLOAD in aid.note(), "the payload is not in the record note as typed"
    assert aid.note() == engine_documents({**answers, "details": typed})["doc-note"]

    aid.action("summary")
    aid.change("details")
    assert_inert(aid, "the details question in change mode")
    for field in fields:
        assert aid.page.input_value(f"#details-{field}") == typed[field], f"{field} does not hold what was typed"


STRIP_AUTOCOMPLETE = """
new MutationObserver(() => {
  for (const field of document.querySelectorAll('#aid-step [autocomplete]')) field.removeAttribute('autocomplete');
}).observe(document, { childList: true, subtree: true });
"""


def _kept_by_the_browser(browser, base_url, tmp_path, marker: str, strip: bool) -> list:
    """Walk the aid in a Chromium profile of its own, then read what its autofill store kept."""
    import sqlite3

    from .aid_page import AidPage
    from .conftest import CHROMIUM, CHROMIUM_ARGS

    profile = tmp_path / ("control" if strip else "profile")
    context = browser.browser_type.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, base_url=base_url)
    try:
        page = context.new_page()
        if strip:
            page.add_init_script(STRIP_AUTOCOMPLETE)
        aid = AidPage(page).open().wait_until_ready()
        answers = scenario("angry_but_reasonable_generic")
        answers["details"] = {**answers["details"], "reference": marker, "account": f"{marker} said so"}
        aid.walk(answers)
        aid.see_result()
    finally:
        context.close()
    store = profile / "Default" / "Web Data"
    assert store.is_file(), "Chromium kept no profile data"
    with sqlite3.connect(store) as db:
        return [row for row in db.execute("SELECT name, value FROM autofill").fetchall() if marker in str(row[1])]


def test_case_details_typed_in_a_walk_stay_out_of_the_browsers_autofill_store(browser, base_url, tmp_path):
    """Chromium keeps what is typed into submitted forms in its profile ("Web Data", table
    autofill) across restarts; a field with autocomplete="off" is left out of it. The control run,
    with the attribute taken off, shows that this Chromium would have kept it."""
    assert _kept_by_the_browser(browser, base_url, tmp_path, "REF-Qx7-control-marker", strip=True), \
        "the control run kept nothing: this test could not see the store"
    kept = _kept_by_the_browser(browser, base_url, tmp_path, "REF-Qx7-autofill-marker", strip=False)
    assert kept == [], f"typed case details were kept by the browser: {kept}"
