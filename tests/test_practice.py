"""Practice scenarios: valid on load, model answers that the engine itself produces, broken copies
that fail with named errors, the comparison, and escaping in its HTML.

The scenarios double as regression tests of the engine: each one states its model answer
(families, measures, who decides, whether contact is restricted) independently of the engine's
wording, and the engine's outcome for the model answers must agree.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from decision_aid.content import CONTENT_DIR, ContentError, load_all, load_register
from decision_aid.engine import outcome, walk
from decision_aid.practice import NO_CEILING, NO_SHORTCOMING, PRACTICE_FILE, Difference, compare, feedback, load_practice, verify
from decision_aid.web import Links
from decision_aid.web.practice_views import render_brief, render_comparison, scenarios_index_html

FLOW, PROFILES = load_all()
SCENARIOS = load_practice(FLOW, PROFILES)
REGISTER = load_register()
ALL = [pytest.param(s, id=sid) for sid, s in SCENARIOS.items()]
# Scenarios that decide about behaviour (an incident, a breach), and those of the other journeys.
DECIDING = {sid: s for sid, s in SCENARIOS.items() if s.answers["journey"] in ("incident", "breach")}
BEHAVIOUR = [pytest.param(s, id=sid) for sid, s in DECIDING.items()]
CASES = [pytest.param(s, id=sid) for sid, s in SCENARIOS.items() if sid not in DECIDING]


def profile_of(scenario):
    return PROFILES[scenario.office]


def result(scenario):
    return outcome(FLOW, profile_of(scenario), scenario.answers)


# --- the set of scenarios covers what a new starter must meet ---------------------------------------


def test_there_are_at_least_twelve_scenarios():
    assert len(SCENARIOS) >= 12


def test_every_behaviour_family_is_practised():
    seen = {f.id for s in DECIDING.values() for f in result(s).families}
    assert set(FLOW.families) <= seen


def test_every_channel_is_practised():
    seen = {s.answers["channel"] for s in DECIDING.values()}
    assert set(FLOW.channels) <= seen, f"channels with no scenario: {set(FLOW.channels) - seen}"


@pytest.mark.parametrize("label,check", [
    ("a disclosed disability", lambda s: "disability" in s.answers.get("needs", [])),
    ("a language need", lambda s: "language" in s.answers.get("needs", [])),
    ("a safety case", lambda s: s.answers["safety"] != ["none"]),
    ("a 'none of these' case", lambda s: s.answers["behaviour"] == ["none"]),
    ("a concluded matter", lambda s: s.answers["matter"] == "concluded"),
    ("new information", lambda s: s.answers["new_information"] == "yes"),
    ("a breach of a contact strategy", lambda s: s.answers.get("breached") == "strategy"),
    ("a matter outside our remit", lambda s: s.answers["matter"] == "outside_remit"),
    ("a restriction with the checklist", lambda s: "checklist" in s.answers),
])
def test_the_scenarios_include(label, check):
    assert any(check(s) for s in DECIDING.values()), f"no scenario with {label}"


def test_at_least_two_scenarios_turn_on_our_own_shortcomings():
    own = [s.id for s in DECIDING.values() if result(s).remedies]
    assert len(own) >= 2, own


# --- every model answer is what the engine produces ---------------------------------------------------


@pytest.mark.parametrize("scenario", ALL)
def test_the_model_answers_are_a_complete_valid_walk(scenario):
    state = walk(FLOW, profile_of(scenario), scenario.answers, strict=True)
    assert state.complete and state.dropped == ()
    assert state.path == scenario.path


@pytest.mark.parametrize("scenario", ALL)
def test_the_engine_arrives_at_the_stated_model_answer(scenario):
    assert verify(FLOW, profile_of(scenario), scenario) == []


@pytest.mark.parametrize("scenario", BEHAVIOUR)
def test_the_engine_classifies_the_behaviour_as_the_model_answer_says(scenario):
    assert sorted(f.id for f in result(scenario).families) == sorted(scenario.model.families)


@pytest.mark.parametrize("scenario", BEHAVIOUR)
def test_the_engine_proposes_exactly_the_model_measures(scenario):
    assert sorted(c.measure.id for c in result(scenario).measures) == sorted(scenario.model.measures)


@pytest.mark.parametrize("scenario", BEHAVIOUR)
def test_the_most_restrictive_measure_is_decided_by_the_model_authoriser(scenario):
    measures = result(scenario).measures
    if not scenario.model.authoriser:
        assert measures == ()
    else:
        assert scenario.model.authoriser in measures[-1].decided_by.text


@pytest.mark.parametrize("scenario", BEHAVIOUR)
def test_a_restricting_model_answer_is_ready_to_authorise(scenario):
    o = result(scenario)
    assert o.restricts is scenario.model.restricts
    if o.restricts:
        assert o.authorisation_ready, "a model answer must not restrict before every checklist point is met"
        assert o.restrictions_wait == ()


@pytest.mark.parametrize("scenario", BEHAVIOUR)
def test_every_reason_cites_the_register_and_every_key_decision_has_one(scenario):
    assert "behaviour" in scenario.why
    for key, why in scenario.why.items():
        assert why.cite and all(ref in REGISTER.clauses for ref in why.cite), key
    for finding in result(scenario).remedies:
        assert finding.node in scenario.why, f"unmet {finding.node} has no reason of its own"


@pytest.mark.parametrize("scenario", ALL)
def test_the_story_gives_nothing_away(scenario):
    """Facts only: no option label, measure or family name copied into what the trainee reads."""
    story = " ".join(scenario.paragraphs).lower()
    giveaways = [m.label for m in FLOW.measures.values()] + [f.label for f in FLOW.families.values()]
    giveaways += ["none of these", "unreasonably persistent", "model answer"]
    assert [g for g in giveaways if g.lower() in story] == []
    assert len(scenario.paragraphs) >= 2


def test_every_journey_and_the_person_at_risk_route_are_practised():
    journeys = {s.answers["journey"] for s in SCENARIOS.values()}
    assert journeys == {o.id for o in FLOW.nodes["journey"].options}
    assert any("person_at_risk" in s.answers["safety"] for s in SCENARIOS.values())


@pytest.mark.parametrize("scenario", CASES)
def test_a_journey_scenario_is_handled_as_its_model_answer_says_and_never_restricts(scenario):
    o = result(scenario)
    assert sorted(i.id for i in o.handling) == sorted(scenario.model.handling)
    assert not scenario.model.restricts and "journey" in scenario.why
    for key, why in scenario.why.items():
        assert why.cite and all(ref in REGISTER.clauses for ref in why.cite), key


@pytest.mark.parametrize("scenario", CASES)
def test_a_trainee_who_takes_a_journey_for_a_breach_is_shown_the_difference(scenario):
    breach = {"safety": ["none"], "journey": "breach"}
    differences = {d.key: d for d in compare(FLOW, profile_of(scenario), scenario, breach)}
    assert not differences["journey"].match and differences["journey"].why
    assert not differences["outcome.handling"].answered


def test_read_after_points_to_a_handbook_page():
    for s in SCENARIOS.values():
        assert s.read_after in FLOW.pages


# --- broken copies fail with named errors ----------------------------------------------------------


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / PRACTICE_FILE
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test fixture out of date: {old!r} not in {PRACTICE_FILE}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def error_for(folder: Path) -> ContentError:
    flow, profiles = load_all(folder)
    with pytest.raises(ContentError) as caught:
        load_practice(flow, profiles, folder)
    assert caught.value.file == PRACTICE_FILE
    return caught.value


def test_the_shipped_practice_file_is_valid():
    assert load_practice() == SCENARIOS


def test_an_unknown_option_in_a_model_answer_names_scenario_and_question(copy):
    edit(copy, 'channel = "telephone"', 'channel = "carrier_pigeon"')
    error = error_for(copy)
    assert error.key == "scenarios.angry_about_delay.answers.channel"
    assert "carrier_pigeon" in error.problem


def test_an_unknown_question_in_a_model_answer_is_rejected(copy):
    edit(copy, 'history = "first"', 'history = "first"\nmood = "grumpy"')
    assert error_for(copy).key == "scenarios.angry_about_delay.answers.mood"


def test_an_incomplete_model_answer_is_rejected(copy):
    edit(copy, 'behaviour = ["none"]\n', "")
    error = error_for(copy)
    assert error.key == "scenarios.angry_about_delay.answers" and "behaviour" in error.problem


def test_a_model_answer_off_the_path_is_rejected(copy):
    # 'None of these' at the behaviour step skips the needs and measures: answering one is an error.
    edit(copy, 'behaviour = ["none"]', 'behaviour = ["none"]\nneeds = ["none_known"]')
    error = error_for(copy)
    assert error.key == "scenarios.angry_about_delay.answers.needs"


def test_a_citation_not_in_the_register_is_rejected(copy):
    edit(copy, 'cite = ["000 §2", "002 §3.1", "003 Intro", "001 §3"]', 'cite = ["000 §2", "001 §99"]')
    error = error_for(copy)
    assert error.key == "scenarios.angry_about_delay.why.behaviour.cite[1]" and "001 §99" in error.problem


def test_an_unknown_office_is_rejected(copy):
    edit(copy, 'office = "generic"', 'office = "atlantis"')
    assert error_for(copy).key == "scenarios.angry_about_delay.office"


def test_a_missing_reason_for_a_key_decision_is_rejected(copy):
    edit(copy, "[scenarios.letters_in_second_language.why.cause_support]", "[scenarios.letters_in_second_language.why.unused_cause_support]")
    error = error_for(copy)
    assert error.key == "scenarios.letters_in_second_language.why.unused_cause_support"


def test_an_unmet_cause_without_its_own_reason_is_rejected(copy):
    text = (copy / PRACTICE_FILE).read_text(encoding="utf-8")
    block = re.search(r"\[scenarios\.missed_updates\.why\.cause_communication\]\ntext = .*\ncite = .*\n", text).group(0)
    (copy / PRACTICE_FILE).write_text(text.replace(block, ""), encoding="utf-8")
    error = error_for(copy)
    assert error.key == "scenarios.missed_updates.why.cause_communication" and "missing" in error.problem


def test_model_measures_that_differ_from_the_answers_are_rejected(copy):
    edit(copy, 'measures = ["end_or_hold_call", "written_warning"]\nauthoriser', 'measures = ["end_or_hold_call"]\nauthoriser')
    assert error_for(copy).key == "scenarios.threat_on_the_phone.model.measures"


def test_an_unknown_family_is_rejected(copy):
    edit(copy, 'families = ["aggressive"]', 'families = ["grumpy"]')
    assert error_for(copy).key == "scenarios.threat_on_the_phone.model.families[0]"


def test_a_misspelt_key_is_reported(copy):
    edit(copy, 'read_after = "behaviour/"', 'read_afer = "behaviour/"')
    assert error_for(copy).key.startswith("scenarios.angry_about_delay.read_af")


def test_an_unknown_handbook_page_is_rejected(copy):
    edit(copy, 'read_after = "behaviour/"', 'read_after = "nowhere/"')
    assert error_for(copy).key == "scenarios.angry_about_delay.read_after"


def test_a_file_that_is_not_toml_names_the_file(copy):
    (copy / PRACTICE_FILE).write_text("[scenarios\n", encoding="utf-8")
    assert "not valid TOML" in error_for(copy).problem


# --- comparison ----------------------------------------------------------------------------------------


def by_key(differences: list[Difference]) -> dict[str, Difference]:
    return {d.key: d for d in differences}


@pytest.mark.parametrize("scenario", ALL)
def test_identical_answers_give_no_difference(scenario):
    differences = compare(FLOW, profile_of(scenario), scenario, dict(scenario.answers))
    assert [d.key for d in differences if not d.match] == []
    keys = [d.key for d in differences]
    assert keys[: len(scenario.path) - 1] == [n for n in scenario.path if n != "details"]
    if scenario.id in DECIDING:
        assert keys[-6:] == ["outcome.families", "outcome.causes", "outcome.ceiling", "outcome.measures",
                             "outcome.authoriser", "outcome.restricts"]
    else:
        assert keys[-2:] == ["outcome.handling", "outcome.restricts"]


def test_a_different_choice_is_reported_with_its_reason_page_and_sources():
    s = SCENARIOS["letters_in_second_language"]
    mine = {**s.answers, "cause_process": "yes", "measures": ["written_warning"]}
    d = by_key(compare(FLOW, profile_of(s), s, mine))
    assert not d["cause_process"].match
    assert d["cause_process"].trainee == ("Yes",) and d["cause_process"].model == ("No, or not sure",)
    assert d["cause_process"].why == s.why["cause_process"].text
    assert d["cause_process"].cite == s.why["cause_process"].cite
    assert d["cause_process"].page == "causes/"
    assert d["cause_process"].question == FLOW.nodes["cause_process"].question
    assert not d["measures"].match and not d["outcome.measures"].match and not d["outcome.authoriser"].match
    assert "line manager" in d["outcome.authoriser"].trainee[0]
    assert d["behaviour"].match and d["outcome.families"].match and d["outcome.restricts"].match


def test_multi_select_answers_match_in_any_order():
    s = SCENARIOS["brain_injury_calls"]
    mine = {**s.answers, "behaviour": list(reversed(s.answers["behaviour"]))}
    assert all(d.match for d in compare(FLOW, profile_of(s), s, mine))


def test_a_walk_that_goes_another_way_shows_questions_only_one_side_reached():
    s = SCENARIOS["angry_about_delay"]  # the model answer: 'none of these', our side, then the note
    mine = {**{k: v for k, v in s.answers.items() if k != "details"}, "behaviour": ["abusive_language"], "needs": ["none_known"]}
    d = by_key(compare(FLOW, profile_of(s), s, mine))
    assert not d["behaviour"].match
    assert "needs" in d and d["needs"].model == () and not d["needs"].match
    assert not d["outcome.families"].answered  # the trainee's walk stopped before the end


def test_an_incomplete_or_invalid_trainee_walk_is_not_an_error():
    s = SCENARIOS["rewritten_complaint"]
    d = by_key(compare(FLOW, profile_of(s), s, {"safety": ["none"], "channel": "fax"}))
    assert d["safety"].match and not d["channel"].answered
    assert all(not x.match for k, x in d.items() if k.startswith("outcome."))
    assert compare(FLOW, profile_of(s), s, None)  # not even a dict: everything unanswered


def complete(s, answers):
    """The trainee's answers, finished by always taking the last option: a walk to the end."""
    answers = dict(answers)
    while not (w := walk(FLOW, profile_of(s), answers)).complete:
        node = FLOW.nodes[w.current]
        if node.kind == "details":
            answers[w.current] = {f.id: "2026-11-20" if "date" in f.id else "x" for f in node.fields}
        else:
            answers[w.current] = [node.options[-1].id] if node.kind == "multi" else node.options[-1].id
    return answers


# The trainee of the audit: one wrong tick at the behaviour question sends the walk another way.
WRONG_TICK = ("angry_about_delay", {"behaviour": ["abusive_language"], "needs": ["none_known"]})


def test_one_answer_that_sends_the_walk_another_way_counts_once():
    s = SCENARIOS[WRONG_TICK[0]]
    fb = feedback(FLOW, profile_of(s), s, complete(s, {**s.answers, **WRONG_TICK[1]}))
    assert fb.parted_at == "behaviour"
    assert [d.key for d in fb.questions if not d.match] == ["behaviour"]
    assert {d.key for d in fb.only_yours} >= {"needs", "measures"}
    assert all(d.key not in {q.key for q in fb.questions} for d in fb.only_yours + fb.only_model)


def test_the_walks_part_at_the_answer_that_changes_the_route_not_an_earlier_one_no_route_reads():
    s = SCENARIOS[WRONG_TICK[0]]
    other = next(o.id for o in FLOW.nodes["channel"].options if o.id != s.answers["channel"])
    fb = feedback(FLOW, profile_of(s), s, complete(s, {**s.answers, **WRONG_TICK[1], "channel": other}))
    assert [d.key for d in fb.questions if not d.match] == ["channel", "behaviour"]
    assert fb.parted_at == "behaviour"


def test_the_decisions_include_shortcomings_and_ceiling_read_from_the_model_walk():
    s = SCENARIOS["angry_about_delay"]
    d = by_key(compare(FLOW, profile_of(s), s, complete(s, {**s.answers, **WRONG_TICK[1]})))
    model = result(s)
    assert d["outcome.causes"].model == tuple(f.question for f in model.causes if not f.met) != (NO_SHORTCOMING,)
    assert d["outcome.ceiling"].model == ((model.ceiling.label,) if model.ceiling else (NO_CEILING,))
    assert d["outcome.causes"].why == s.why["causes"].text


def test_a_trainee_who_has_not_finished_is_not_told_the_walks_parted():
    s = SCENARIOS["angry_about_delay"]
    fb = feedback(FLOW, profile_of(s), s, {k: s.answers[k] for k in ("safety", "journey", "channel")})
    assert fb.parted_at is None and not fb.only_yours
    assert {d.key for d in fb.only_model} >= {"behaviour", "history"}
    assert all(not d.answered for d in fb.decisions)


def test_feedback_leads_with_the_decisions_then_the_questions_as_asked():
    s = SCENARIOS[WRONG_TICK[0]]
    markup = render_comparison(FLOW, s, feedback(FLOW, profile_of(s), s, complete(s, {**s.answers, **WRONG_TICK[1]})), Links("../"))
    well_formed(markup)
    assert markup.index("<h3>The decisions</h3>") < markup.index('id="practice-outcome-families"') < markup.index("<h3>Question by question</h3>")
    assert markup.index('id="practice-safety"') < markup.index('id="practice-behaviour"') < markup.index('id="practice-parted"')
    assert "Your decisions differ from the model answer on 2 of 6" in markup
    assert "1 of the 14 questions you both answered differs:" in markup


def test_same_and_different_are_told_apart_by_words_mark_and_shape_not_colour():
    s = SCENARIOS[WRONG_TICK[0]]
    markup = render_comparison(FLOW, s, feedback(FLOW, profile_of(s), s, complete(s, {**s.answers, **WRONG_TICK[1]})), Links("../"))
    items = dict(re.findall(r'<li id="practice-([a-z-]+)" class="aid-practice__item[^"]*">(.*?)</li>(?=<li id=|</ol>)', markup))
    differs, same = items["behaviour"], items["safety"]
    assert "\u2717" in differs and "Different from the model answer" in differs and "<dl" in differs
    assert "\u2713" in same and "Same as the model answer" in same and "<dl" not in same and "Both:" in same


# --- rendering -------------------------------------------------------------------------------------------


class Strict(HTMLParser):
    """Fails on an unbalanced tag, so a stray '<' from typed text would show up."""

    VOID = {"br", "input", "img", "hr", "meta", "link"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()


def well_formed(markup: str) -> Strict:
    parser = Strict()
    parser.feed(markup)
    parser.close()
    assert parser.stack == []
    return parser


def test_render_comparison_has_the_heading_reasons_and_links():
    s = SCENARIOS["missed_updates"]
    mine = {**s.answers, "cause_communication": "yes"}
    markup = render_comparison(FLOW, s, feedback(FLOW, profile_of(s), s, mine), Links("../"))
    well_formed(markup)
    assert "<h2" in markup and "Your answers and the model answer</h2>" in markup
    assert 'href="../causes/"' in markup
    for ref in s.why["cause_communication"].cite:
        assert f">{ref}</a>" in markup
    assert 'href="../sources/#c-001-s4"' in markup
    assert "Different from the model answer" in markup and "Same as the model answer" in markup
    assert 'href="#practice-cause-communication"' in markup and 'id="practice-cause-communication"' in markup


def test_render_comparison_escapes_everything_typed():
    s = SCENARIOS["angry_about_delay"]
    nasty = '<script>alert("x")</script>&amp;'
    mine = {**s.answers, "channel": nasty, "details": {"account": nasty, "reference": nasty, "date": ""}}
    fb = feedback(FLOW, profile_of(s), s, mine)
    # An id the walk cannot use is shown as typed wherever labels are made from raw answers.
    odd = Difference("channel", "question", nasty, "Context", (nasty,), (nasty,), False, True, nasty, (), "channels/")
    fb = replace(fb, questions=fb.questions + (odd,), only_yours=(odd,), only_model=(odd,))
    markup = render_comparison(FLOW, s, fb, Links('"><x>'))
    assert "<script>" not in markup and "<x>" not in markup
    assert "&lt;script&gt;" in markup and "&amp;amp;" in markup
    well_formed(markup)


def test_render_brief_shows_the_story_and_what_to_read():
    s = SCENARIOS["brain_injury_calls"]
    markup = render_brief(FLOW, s, Links("../"))
    well_formed(markup)
    assert f'href="../{s.read_after}"' in markup
    assert markup.count("<p>") >= len(s.paragraphs)


def test_the_index_links_every_scenario_to_the_aid_in_practice_mode():
    markup = scenarios_index_html(SCENARIOS, Links("../"))
    well_formed(markup)
    for sid in SCENARIOS:
        assert f'href="../aid/?practice={sid}"' in markup


def test_practice_feedback_names_a_measure_in_the_scenario_offices_own_words():
    from decision_aid.practice import _labels

    flow, profiles = load_all()
    answers = {"measures": ["limit_frequency", "read_and_file"]}
    assert _labels(flow, profiles["humberside"], answers, "measures") == (
        "Limit how often the person may telephone",
        "Stop logging, dealing with or discussing further letters and e-mails about the same matter")
    assert _labels(flow, profiles["generic"], answers, "measures")[0] == flow.measures["limit_frequency"].label
