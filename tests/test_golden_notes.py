"""Golden record notes: worked scenarios written from the five policies, replayed end to end.

Each tests/scenarios/NAME.json is an answer file (the format `python -m decision_aid replay` reads)
with two extra keys: "description", the story and why the outcome is right by the policies, and
"expect", the model answer stated independently of the engine's wording. Two kinds of test follow:

* the replayed note, as text and as Markdown, is byte for byte tests/golden/NAME.txt / NAME.md,
  but for the content hash, which the golden files write as `<content hash>` (it changes with
  every content edit; a test below checks the note carries the real one)
  (regenerate with `.venv/bin/python tools/update_golden.py` when a change is intended,
  and read the diff as a reviewer would);
* each scenario's "expect" entries hold for the replayed outcome (`--format json`), one kind of
  expectation per test, so a failure names the rule that broke.
"""

from __future__ import annotations

import difflib
import html
import io
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from decision_aid.cli import main as cli_main
from decision_aid.content import load_all as _load_all
from decision_aid.engine import walk
from decision_aid.rules import options_for

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = ROOT / "tests" / "scenarios"
GOLDEN_DIR = ROOT / "tests" / "golden"
SCENARIOS = sorted(SCENARIO_DIR.glob("*.json"))
GOLDEN_SUFFIX = {"text": ".txt", "markdown": ".md"}
UPDATE_HINT = "run tools/update_golden.py if the change is intended"
RESTRICTING_TIERS = {"restriction", "escalation"}
CONTENT_HASH = re.compile(r"content hash [0-9a-f]{16}\b")  # as tools/update_golden.py writes it

# Every key an "expect" object may use; a key not listed here is a typo and fails the suite.
EXPECT_KEYS = {
    "restricts", "nothing_unacceptable", "families", "measures", "measures_include", "measures_exclude",
    "withheld_include", "offered_include", "immediate_include", "immediate_exclude", "authoriser_contains",
    "warning_authoriser_contains", "authorisation_ready", "review_date", "has_review_date",
    "restrictions_wait", "ceiling", "protected_channel", "notice_include", "safeguards_include",
    "dispute_contains", "documents", "account_equals", "text_contains", "markdown_contains",
    "markdown_excludes", "markdown_renders_account_as_typed",
    # the journeys other than an incident (a review, a dispute, an information request, a
    # representative, new information): what the contact is, how it is handled, what comes next
    "journey", "handling_include", "handling_exclude", "next_review", "overdue", "review_decider_contains",
}


# --- replaying a scenario ------------------------------------------------------------------------


@lru_cache(maxsize=None)
def load_all():
    return _load_all()


def load_scenario(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def replay(path: Path, fmt: str) -> str:
    """Exactly what `python -m decision_aid replay PATH --format FMT` prints."""
    out = io.StringIO()
    code = cli_main(["replay", str(path), "--format", fmt], stdout=out)
    assert code == 0, f"{path.name}: replay --format {fmt} exited {code}"
    return out.getvalue()


@lru_cache(maxsize=None)
def outcome(path: Path) -> dict[str, Any]:
    return json.loads(replay(path, "json"))


def expect(path: Path) -> dict[str, Any]:
    return load_scenario(path).get("expect", {})


def with_expectation(key: str) -> list:
    """The scenarios that state an expectation under `key`, as pytest parameters named for them."""
    found = [pytest.param(p, id=p.stem) for p in SCENARIOS if key in expect(p)]
    assert found, f"no scenario states {key!r}: remove the test or add the expectation to a scenario"
    return found


ALL = [pytest.param(p, id=p.stem) for p in SCENARIOS]


def measure_ids(data: dict[str, Any]) -> list[str]:
    return [m["id"] for m in data["measures"]]


# --- the scenario set itself ---------------------------------------------------------------------


def test_there_are_at_least_twelve_scenarios():
    assert len(SCENARIOS) >= 12, [p.name for p in SCENARIOS]


def test_the_scenarios_cover_every_office_profile():
    _, profiles = load_all()
    used = {load_scenario(p).get("office", "generic") for p in SCENARIOS}
    assert set(profiles) - used == set(), f"offices with no scenario: {sorted(set(profiles) - used)}"


def test_the_scenarios_cover_every_behaviour_family():
    flow, _ = load_all()
    seen = {f for p in SCENARIOS for f in outcome(p).get("families", ())}
    assert set(flow.families) - seen == set(), f"families with no scenario: {sorted(set(flow.families) - seen)}"


def test_the_scenarios_include_a_none_of_these_outcome():
    assert any(outcome(p).get("nothing_unacceptable") for p in SCENARIOS)


def test_every_journey_has_golden_notes_for_at_least_three_offices():
    flow, _ = load_all()
    offices: dict[str, set[str]] = {}
    for p in SCENARIOS:
        data = load_scenario(p)
        offices.setdefault(data["answers"]["journey"], set()).add(data.get("office", "generic"))
    journeys = {o.id for o in flow.nodes["journey"].options}
    thin = {j: sorted(offices.get(j, ())) for j in journeys if len(offices.get(j, ())) < 3}
    assert thin == {}, f"journeys with golden notes for fewer than three offices: {thin}"


@pytest.mark.parametrize("path", ALL)
def test_every_scenario_tells_its_story_and_states_a_model_answer(path):
    data = load_scenario(path)
    assert isinstance(data.get("description"), str) and len(data["description"]) > 40, "a one- or two-sentence description is needed"
    assert isinstance(data.get("expect"), dict) and data["expect"], "state the model answer in 'expect'"
    assert set(data["expect"]) <= EXPECT_KEYS, f"unknown expect keys: {sorted(set(data['expect']) - EXPECT_KEYS)}"


@pytest.mark.parametrize("path", ALL)
def test_every_scenario_fixes_the_decision_date_so_the_note_is_deterministic(path):
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", load_scenario(path)["answers"]["details"].get("date", ""))


def test_every_golden_file_has_a_scenario():
    stems = {p.stem for p in SCENARIOS}
    orphans = [g.name for g in GOLDEN_DIR.iterdir() if g.suffix in GOLDEN_SUFFIX.values() and g.stem not in stems]
    assert orphans == [], f"golden files without a scenario: {orphans}"


# --- golden notes --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(GOLDEN_SUFFIX))
@pytest.mark.parametrize("path", ALL)
def test_replayed_note_matches_the_golden_file(path, fmt):
    golden = GOLDEN_DIR / (path.stem + GOLDEN_SUFFIX[fmt])
    assert golden.exists(), f"{golden.relative_to(ROOT)} is missing: {UPDATE_HINT}"
    want = golden.read_bytes().decode("utf-8")
    got = CONTENT_HASH.sub("content hash <content hash>", replay(path, fmt))
    if got != want:
        diff = "".join(difflib.unified_diff(
            want.splitlines(keepends=True), got.splitlines(keepends=True),
            fromfile=f"golden/{golden.name}", tofile=f"replay --format {fmt}",
        ))
        pytest.fail(f"{path.name}: the {fmt} note differs from the golden file; {UPDATE_HINT}.\n{diff}", pytrace=False)


@pytest.mark.parametrize("path", ALL)
def test_the_note_names_the_content_it_was_made_from(path):
    flow, _ = load_all()
    assert f"content hash {flow.content_hash}" in replay(path, "text")


# --- the model answers ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", with_expectation("restricts"))
def test_contact_is_restricted_only_where_the_model_answer_says(path):
    assert outcome(path)["restricts"] is expect(path)["restricts"]


@pytest.mark.parametrize("path", with_expectation("nothing_unacceptable"))
def test_anger_without_unacceptable_behaviour_is_recorded_as_none_of_these(path):
    assert outcome(path)["nothing_unacceptable"] is expect(path)["nothing_unacceptable"]


@pytest.mark.parametrize("path", with_expectation("families"))
def test_the_behaviour_is_classified_in_the_expected_families(path):
    assert sorted(outcome(path)["families"]) == sorted(expect(path)["families"])


@pytest.mark.parametrize("path", with_expectation("measures"))
def test_exactly_the_expected_measures_are_recommended(path):
    assert measure_ids(outcome(path)) == expect(path)["measures"]


@pytest.mark.parametrize("path", with_expectation("measures_include"))
def test_the_expected_measures_are_recommended(path):
    missing = set(expect(path)["measures_include"]) - set(measure_ids(outcome(path)))
    assert missing == set()


@pytest.mark.parametrize("path", with_expectation("measures_exclude"))
def test_disproportionate_measures_are_not_recommended(path):
    present = set(expect(path)["measures_exclude"]) & set(measure_ids(outcome(path)))
    assert present == set()


@pytest.mark.parametrize("path", with_expectation("withheld_include"))
def test_measures_the_case_does_not_justify_are_withheld_with_a_reason(path):
    withheld = outcome(path)["withheld"]
    missing = [m for m in expect(path)["withheld_include"] if not withheld.get(m)]
    assert missing == [], f"not withheld: {missing}"


@pytest.mark.parametrize("path", with_expectation("offered_include"))
def test_measures_the_policy_allows_here_are_offered(path):
    data = load_scenario(path)
    flow, profiles = load_all()
    profile = profiles[data.get("office", "generic")]
    answers = walk(flow, profile, data["answers"], strict=True).answers
    offered = {o.id for o in options_for(flow, profile, answers, "measures")}
    missing = [m for m in expect(path)["offered_include"] if m not in offered]
    why = {m: outcome(path)["withheld"].get(m, "not listed") for m in missing}
    assert missing == [], f"not offered: {why}"


@pytest.mark.parametrize("path", with_expectation("immediate_include"))
def test_the_immediate_actions_include_what_the_policies_require(path):
    missing = [a for a in expect(path)["immediate_include"] if a not in outcome(path)["immediate_actions"]]
    assert missing == [], f"missing immediate actions: {missing}"


@pytest.mark.parametrize("path", with_expectation("immediate_exclude"))
def test_the_immediate_actions_leave_out_what_does_not_apply(path):
    present = [a for a in expect(path)["immediate_exclude"] if a in outcome(path)["immediate_actions"]]
    assert present == [], f"immediate actions that should not be there: {present}"


@pytest.mark.parametrize("path", with_expectation("authoriser_contains"))
def test_restrictions_are_decided_by_the_office_named_authoriser(path):
    restricting = [m for m in outcome(path)["measures"] if m["tier"] in RESTRICTING_TIERS]
    assert restricting, "the model answer names an authoriser but no restricting measure was recommended"
    wanted = expect(path)["authoriser_contains"]
    wrong = {m["id"]: m["decided_by"] for m in restricting if wanted not in m["decided_by"]}
    assert wrong == {}, f"expected {wanted!r} in decided_by"


@pytest.mark.parametrize("path", with_expectation("warning_authoriser_contains"))
def test_written_warnings_are_given_by_the_office_named_person(path):
    warnings = [m for m in outcome(path)["measures"] if m["tier"] == "warning"]
    assert warnings, "the model answer names who gives the warning but no written warning was recommended"
    wanted = expect(path)["warning_authoriser_contains"]
    assert all(wanted in m["decided_by"] for m in warnings), [m["decided_by"] for m in warnings]


@pytest.mark.parametrize("path", with_expectation("authorisation_ready"))
def test_the_authoriser_checklist_is_complete_when_every_criterion_is_met(path):
    assert outcome(path)["authorisation_ready"] is expect(path)["authorisation_ready"]


@pytest.mark.parametrize("path", with_expectation("review_date"))
def test_the_review_date_follows_the_office_review_interval(path):
    assert outcome(path)["review_date"] == expect(path)["review_date"]


@pytest.mark.parametrize("path", with_expectation("has_review_date"))
def test_a_restriction_always_carries_a_review_date(path):
    assert (outcome(path)["review_date"] is not None) is expect(path)["has_review_date"]


@pytest.mark.parametrize("path", with_expectation("restrictions_wait"))
def test_restriction_waits_for_our_own_shortcomings_or_new_information(path):
    assert bool(outcome(path)["restrictions_wait"]) is expect(path)["restrictions_wait"]


@pytest.mark.parametrize("path", with_expectation("ceiling"))
def test_the_most_restrictive_step_matches_the_history(path):
    assert outcome(path)["ceiling"] == expect(path)["ceiling"]


@pytest.mark.parametrize("path", with_expectation("protected_channel"))
def test_the_channel_a_reasonable_adjustment_relies_on_is_protected(path):
    data = outcome(path)
    assert data["protected_channel"] == expect(path)["protected_channel"]
    removing = {"telephone": "disallow_telephone", "email": "block_channel", "social_media": "block_channel", "in_person": "bar_premises"}
    assert removing.get(data["protected_channel"]) not in measure_ids(data)


@pytest.mark.parametrize("path", with_expectation("notice_include"))
def test_the_written_notice_covers_what_the_policies_require(path):
    missing = [n for n in expect(path)["notice_include"] if n not in outcome(path)["notice"]]
    assert missing == [], f"missing from the written notice: {missing}"


@pytest.mark.parametrize("path", with_expectation("safeguards_include"))
def test_the_safeguards_stay_in_place_under_a_restriction(path):
    missing = [g for g in expect(path)["safeguards_include"] if g not in outcome(path)["safeguards"]]
    assert missing == [], f"missing safeguards: {missing}"


@pytest.mark.parametrize("path", with_expectation("dispute_contains"))
def test_the_person_is_told_the_office_dispute_route(path):
    assert expect(path)["dispute_contains"] in (outcome(path)["dispute"] or "")


@pytest.mark.parametrize("path", with_expectation("documents"))
def test_the_expected_documents_are_drafted(path):
    assert list(outcome(path)["documents"]) == expect(path)["documents"]


# --- the journeys ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", with_expectation("journey"))
def test_the_contact_is_recorded_as_the_journey_it_is(path):
    data = outcome(path)
    assert data["journey"] == expect(path)["journey"]
    if data["journey"] not in ("incident", "breach"):
        assert "The breach" not in replay(path, "text") and not data["restricts"], "never a breach, never a sanction"


@pytest.mark.parametrize("path", with_expectation("handling_include"))
def test_the_contact_is_handled_as_the_policies_say(path):
    missing = [h for h in expect(path)["handling_include"] if h not in outcome(path)["handling"]]
    assert missing == [], f"missing from how this is handled: {missing}"


@pytest.mark.parametrize("path", with_expectation("handling_exclude"))
def test_handling_meant_for_other_cases_is_left_out(path):
    present = [h for h in expect(path)["handling_exclude"] if h in outcome(path)["handling"]]
    assert present == [], f"handling that does not apply here: {present}"


@pytest.mark.parametrize("path", with_expectation("next_review"))
def test_a_review_ends_in_the_next_review_date_or_a_lift(path):
    assert outcome(path)["next_review"] == expect(path)["next_review"]


@pytest.mark.parametrize("path", with_expectation("overdue"))
def test_an_overdue_review_is_marked_overdue(path):
    assert outcome(path)["overdue"] is expect(path)["overdue"]
    assert ("has passed: the review is overdue" in replay(path, "text")) is expect(path)["overdue"]


@pytest.mark.parametrize("path", with_expectation("review_decider_contains"))
def test_a_review_is_decided_by_the_office_named_person(path):
    assert expect(path)["review_decider_contains"] in (outcome(path)["decided_by_office"] or "")


# --- text typed by staff ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", with_expectation("account_equals"))
def test_the_account_is_kept_exactly_as_typed(path):
    assert outcome(path)["account"] == expect(path)["account_equals"]


@pytest.mark.parametrize("path", with_expectation("text_contains"))
def test_the_text_note_shows_typed_text_unchanged(path):
    note = replay(path, "text")
    missing = [s for s in expect(path)["text_contains"] if s not in note]
    assert missing == []


@pytest.mark.parametrize("path", with_expectation("markdown_contains"))
def test_the_markdown_note_escapes_typed_text(path):
    note = replay(path, "markdown")
    missing = [s for s in expect(path)["markdown_contains"] if s not in note]
    assert missing == []


@pytest.mark.parametrize("path", with_expectation("markdown_excludes"))
def test_the_markdown_note_carries_no_live_markup_from_typed_text(path):
    note = replay(path, "markdown")
    present = [s for s in expect(path)["markdown_excludes"] if s in note]
    assert present == []


def _rendered_blockquote(markdown: str) -> str:
    """The first blockquote as a reader sees it: soft line breaks are spaces, hard breaks new lines."""
    from markdown_it import MarkdownIt  # a dev dependency (pyproject.toml)

    page = MarkdownIt("commonmark").render(markdown)
    quote = page.split("<blockquote>", 1)[1].split("</blockquote>", 1)[0]
    quote = re.sub(r"<br\s*/?>\n?", "\x00", quote)  # hard line break
    quote = re.sub(r"</p>\s*<p>", "\x00", quote)  # paragraph break
    quote = re.sub(r"<[^>]+>", "", quote).strip()
    quote = re.sub(r"\s*\n\s*", " ", quote)  # a soft line break shows as a space
    return html.unescape(quote).replace("\x00", "\n")


@pytest.mark.parametrize("path", with_expectation("markdown_renders_account_as_typed"))
def test_the_account_reads_as_typed_once_the_markdown_is_rendered(path):
    assert expect(path)["markdown_renders_account_as_typed"] is True
    typed = load_scenario(path)["answers"]["details"]["account"]
    shown = _rendered_blockquote(replay(path, "markdown"))
    diff = "\n".join(difflib.unified_diff(typed.splitlines(), shown.splitlines(), "typed", "rendered", lineterm=""))
    assert shown == typed, f"the rendered account differs from what was typed:\n{diff}"
