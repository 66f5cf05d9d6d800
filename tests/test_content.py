"""The loader rejects malformed or inconsistent content with one message naming file, key, problem."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from decision_aid.cli import main
from decision_aid.content import CONTENT_DIR, ContentError, load_all, load_flow, load_profiles


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def edit(folder: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test fixture out of date: {old!r} not in {name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def error_for(folder: Path) -> ContentError:
    with pytest.raises(ContentError) as caught:
        load_all(folder)
    return caught.value


def test_the_shipped_content_is_valid():
    flow, profiles = load_all()
    assert flow.start == "safety"
    assert set(profiles) == {"generic", "office_000", "warwickshire", "cumbria", "west_midlands", "humberside"}


def test_a_transition_to_a_missing_node_names_file_and_key(copy):
    edit(copy, "flow.toml", 'next = "matter"', 'next = "matters"')
    error = error_for(copy)
    assert (error.file, error.key) == ("flow.toml", "nodes.channel.next")
    assert "'matters'" in error.problem and "not a node" in error.problem


def test_an_option_route_to_a_missing_node_is_rejected(copy):
    edit(copy, "flow.toml", 'next = "measures"\ncite = ["001 §5"]', 'next = "nowhere"\ncite = ["001 §5"]')
    error = error_for(copy)
    assert error.file == "flow.toml" and error.key == "nodes.needs.options[4].next"


def test_a_citation_of_a_clause_not_in_the_register_is_rejected(copy):
    edit(copy, "flow.toml", 'cite = ["001 §6", "004 §1.3"]\nnext = "matter"', 'cite = ["001 §66", "004 §1.3"]\nnext = "matter"')
    error = error_for(copy)
    assert (error.file, error.key) == ("flow.toml", "nodes.channel.cite[0]")
    assert "'001 §66'" in error.problem


def test_a_citation_in_the_wrong_form_is_rejected(copy):
    edit(copy, "lists.toml", 'cite = ["003 ¶4.1"]\n\n[[actions]]\nid = "no_sanction"', 'cite = ["para 4"]\n\n[[actions]]\nid = "no_sanction"')
    error = error_for(copy)
    assert error.file == "lists.toml" and error.key.startswith("actions[")
    assert "<policy> <clause>" in error.problem


def test_an_uncited_question_is_rejected(copy):
    edit(copy, "flow.toml", 'cite = ["001 §1", "004 §1.1", "004 §1.5"]\n', 'cite = []\n')
    error = error_for(copy)
    assert (error.key, error.problem) == ("nodes.matter.cite", 'is missing: cite the clauses that say it, or mark it practice = "why we advise it"')


def test_a_measure_without_a_rank_is_rejected(copy):
    edit(copy, "measures.toml", 'rank = 40\n', "")
    error = error_for(copy)
    assert error.file == "measures.toml" and error.key.endswith(".rank") and "severity rank" in error.problem


def test_a_measure_without_an_authoriser_is_rejected(copy):
    edit(copy, "measures.toml", 'tier = "restriction"\nrank = 40\nauthoriser = "restriction"\n', 'tier = "restriction"\nrank = 40\n')
    error = error_for(copy)
    assert error.key.endswith(".authoriser") and "authoriser role" in error.problem


def test_a_measure_with_an_unknown_authoriser_role_is_rejected(copy):
    edit(copy, "measures.toml", 'rank = 40\nauthoriser = "restriction"', 'rank = 40\nauthoriser = "boss"')
    assert "'boss' is not one of" in error_for(copy).problem


def test_a_rank_that_is_not_a_number_is_rejected(copy):
    edit(copy, "measures.toml", "rank = 40", 'rank = "high"')
    error = error_for(copy)
    assert error.key == "measures[10].rank" and error.problem == "expected a whole number, found text"


def test_a_loop_in_the_flow_is_rejected(copy):
    edit(copy, "flow.toml", 'next = "behaviour"', 'next = [{ when = "needs_authorisation", to = "channel" }, { to = "behaviour" }]')
    error = error_for(copy)
    assert error.key == "nodes.new_information.next" and "loop" in error.problem
    assert "channel -> matter -> new_information -> channel" in error.problem


def test_a_node_nobody_can_reach_is_rejected(copy):
    with (copy / "flow.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[nodes.orphan]\nstage = "record"\nkind = "single"\nquestion = "Lost?"\ncite = ["001 §4"]\nnext = "result"\n'
                     '[[nodes.orphan.options]]\nid = "yes"\nlabel = "Yes"\ncite = ["001 §4"]\n')
    error = error_for(copy)
    assert (error.key, error.problem) == ("nodes.orphan", "cannot be reached from the start")


def test_a_node_whose_routes_can_all_fail_is_a_dead_end(copy):
    edit(copy, "flow.toml", '  { to = "needs" },', '  { when = "nothing_unacceptable", to = "needs" },')
    error = error_for(copy)
    assert error.key == "nodes.cause_misunderstandings.next" and "last route must have no 'when'" in error.problem


def test_a_route_condition_the_engine_does_not_know_is_rejected(copy):
    edit(copy, "flow.toml", 'when = "nothing_unacceptable"', 'when = "feels_wrong"')
    error = error_for(copy)
    assert error.key == "nodes.cause_misunderstandings.next[0]" and "'feels_wrong'" in error.problem


def test_a_duplicate_option_is_rejected(copy):
    edit(copy, "flow.toml", 'id = "letter"\nlabel = "Letter"\ncite = ["001 §6", "004 §1.3"]', 'id = "telephone"\nlabel = "Letter"\ncite = ["001 §6", "004 §1.3"]')
    error = error_for(copy)
    assert error.key == "nodes.channel.options[1].id" and "declared twice" in error.problem


def test_a_misspelt_key_is_reported_not_ignored(copy):
    edit(copy, "flow.toml", 'hint = "What you can do at once', 'hnit = "What you can do at once')
    error = error_for(copy)
    assert (error.key, error.problem) == ("nodes.channel.hnit", "is not a known key here (a typo?)")


def test_a_file_that_is_not_toml_names_the_file(copy):
    (copy / "measures.toml").write_text("[[measures]\nid = 1", encoding="utf-8")
    error = error_for(copy)
    assert error.file == "measures.toml" and error.problem.startswith("not valid TOML")


def test_a_missing_content_file_names_the_file(copy):
    (copy / "lists.toml").unlink()
    error = error_for(copy)
    assert (error.file, error.problem) == ("lists.toml", "file not found")


def test_an_unmet_answer_without_a_remedy_is_rejected(copy):
    edit(copy, "flow.toml", 'remedy = "Give the person a clear update now and agree when they will next hear from us."\n', "")
    error = error_for(copy)
    assert error.key == "nodes.cause_communication.options[1].remedy"


def test_a_restriction_without_its_letter_sentence_is_rejected(copy):
    text = (copy / "measures.toml").read_text(encoding="utf-8")
    (copy / "measures.toml").write_text(re.sub(r'letter = "Telephone calls and meetings[^\n]*\n', "", text), encoding="utf-8")
    assert error_for(copy).key == "measures[10].letter"


def test_a_profile_offering_an_unknown_measure_is_rejected(copy):
    edit(copy, "offices/cumbria.toml", '"record_calls",', '"record_calls", "stocks",')
    error = error_for(copy)
    assert error.file == "offices/cumbria.toml" and error.key.startswith("measures.available[")
    assert "'stocks'" in error.problem


def test_a_profile_missing_an_authoriser_role_is_rejected(copy):
    text = (copy / "offices/humberside.toml").read_text(encoding="utf-8")
    start = text.index("[authorisers.escalation]")
    end = text.index("[authorisers.police]")
    (copy / "offices/humberside.toml").write_text(text[:start] + text[end:], encoding="utf-8")
    error = error_for(copy)
    assert (error.file, error.key) == ("offices/humberside.toml", "authorisers.escalation")


def test_a_profile_value_without_a_citation_is_rejected(copy):
    edit(copy, "offices/west_midlands.toml", 'cite = ["003 ¶4.4", "003 ¶8"]', "cite = []")
    error = error_for(copy)
    assert (error.file, error.key) == ("offices/west_midlands.toml", "review.cite")


def test_a_profile_with_an_impossible_review_interval_is_rejected(copy):
    edit(copy, "offices/cumbria.toml", "months = 12", "months = -1")
    assert error_for(copy).key == "review.months"


def test_a_profile_whose_id_differs_from_its_file_name_is_rejected(copy):
    edit(copy, "offices/cumbria.toml", 'id = "cumbria"', 'id = "cumbia"')
    assert error_for(copy).key == "id"


def test_the_generic_profile_is_required(copy):
    (copy / "offices/generic.toml").unlink()
    assert "generic profile is missing" in error_for(copy).problem


def test_check_command_exits_non_zero_naming_file_and_key_on_a_broken_copy(copy, capsys):
    edit(copy, "flow.toml", 'next = "new_information"', 'next = "new_info"')
    assert main(["check", "--content", str(copy)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == "error: content invalid: flow.toml: nodes.history.next: goes to 'new_info', which is not a node"


def test_the_content_hash_changes_with_any_content_file(copy):
    before = load_flow(copy).content_hash
    edit(copy, "offices/cumbria.toml", "at least once a year", "at least once every year")
    assert load_flow(copy).content_hash != before


def test_a_question_in_an_undeclared_stage_is_rejected(copy):
    edit(copy, "flow.toml", 'stage = "authorisation"', 'stage = "sign_off"')
    error = error_for(copy)
    assert error.key == "nodes.checklist.stage" and "'sign_off' is not a stage in [stages]" in error.problem


def test_a_stage_without_a_handbook_page_is_rejected(copy):
    edit(copy, "flow.toml", '[stages.authorisation]\nlabel = "Authorisation"\npage = "contact-strategy/"\n',
         '[stages.authorisation]\nlabel = "Authorisation"\n')
    error = error_for(copy)
    assert (error.file, error.key, error.problem) == ("flow.toml", "stages.authorisation.page", "is missing")


# --- policy or practice: every statement has a basis (issue 10) ------------------------------------------


def test_a_statement_with_neither_clauses_nor_a_practice_reason_is_refused(copy):
    edit(copy, "lists.toml", 'text = "Tell your line manager what happened, so that the response is fair and consistent."\ncite = ["000 §7", "001 §6", "002 §5.2", "003 ¶4.1"]',
         'text = "Tell your line manager what happened, so that the response is fair and consistent."')
    error = error_for(copy)
    assert error.file == "lists.toml" and error.key.startswith("actions[") and "cite the clauses that say it, or mark it practice" in error.problem


def test_a_statement_marked_as_practice_needs_no_clause(copy):
    edit(copy, "lists.toml", 'text = "Tell your line manager what happened, so that the response is fair and consistent."\ncite = ["000 §7", "001 §6", "002 §5.2", "003 ¶4.1"]',
         'text = "Tell your line manager what happened, so that the response is fair and consistent."\npractice = "managers keep the response consistent"')
    flow, _ = load_all(copy)
    assert flow.actions["tell_manager"].practice == "managers keep the response consistent" and flow.actions["tell_manager"].cite == ()


def test_an_office_value_citing_another_offices_policy_is_refused(copy):
    edit(copy, "offices/humberside.toml", 'text = "the member of staff, who records it against the case"\ncite = ["004 §1.3"]',
         'text = "the member of staff, who records it against the case"\ncite = ["004 §1.3", "003 ¶5"]')
    error = error_for(copy)
    assert (error.file, error.key) == ("offices/humberside.toml", "authorisers.staff.cite[1]")
    assert "another office's policy" in error.problem


def test_an_office_listing_a_measure_its_policy_does_not_name_is_refused(copy):
    edit(copy, "offices/humberside.toml", '"warn_in_contact", "end_or_hold_call",', '"warn_in_contact", "end_or_hold_call", "bar_premises",')
    error = error_for(copy)
    assert error.file == "offices/humberside.toml" and error.key.startswith("measures.available[")
    assert "'bar_premises'" in error.problem and "cites no clause of policy 004" in error.problem


def test_an_offices_own_words_for_a_measure_it_does_not_list_are_refused(copy):
    edit(copy, "offices/humberside.toml", "[measure_words.limit_frequency]", "[measure_words.bar_premises]")
    error = error_for(copy)
    assert (error.file, error.key) == ("offices/humberside.toml", "measure_words.bar_premises")
    assert "not one of this office's measures" in error.problem


def test_an_offices_own_words_for_a_measure_must_cite_its_own_policy(copy):
    edit(copy, "offices/humberside.toml", 'letter = "You may telephone us [how often]."\ncite = ["004 §1.5"]',
         'letter = "You may telephone us [how often]."\ncite = ["002 §5.7"]')
    error = error_for(copy)
    assert (error.file, error.key) == ("offices/humberside.toml", "measure_words.limit_frequency.cite[0]")
    assert "another office's policy" in error.problem


def test_an_offices_own_words_for_a_measure_replace_its_label_letter_and_clauses_for_that_office_only():
    flow, profiles = load_all()
    shared = flow.measures["limit_frequency"]
    humberside = profiles["humberside"].measure(shared)
    assert (humberside.label, humberside.letter, humberside.cite) == (
        "Limit how often the person may telephone", "You may telephone us [how often].", ("004 §1.5",))
    assert profiles["generic"].measure(shared) is shared
    filing = flow.measures["read_and_file"]
    assert profiles["humberside"].measure(filing).reason != filing.reason  # its own reason, where given
    assert (humberside.tier, humberside.rank, humberside.authoriser) == (shared.tier, shared.rank, shared.authoriser)


def test_the_shared_words_of_a_measure_carry_no_one_offices_example():
    # A call on one set morning or afternoon a week is Cumbria's example (002 §5.7): its own words only.
    flow, profiles = load_all()
    assert "for example" not in flow.measures["limit_frequency"].label + flow.measures["limit_frequency"].letter
    assert "one agreed morning or afternoon a week" in profiles["cumbria"].measure(flow.measures["limit_frequency"]).label


def test_a_letter_element_listed_as_required_without_a_clause_of_the_policy_is_refused(copy):
    edit(copy, "offices/humberside.toml", 'items = ["reason", "what_restricted", "new_matters", "duration_review", "copy_of_policy", "post_and_email"]',
         'items = ["reason", "what_restricted", "new_matters", "duration_review", "copy_of_policy", "post_and_email", "info_rights"]')
    error = error_for(copy)
    assert error.file == "offices/humberside.toml" and error.key == "notice.items[6]" and "list it under practice" in error.problem


def test_advice_where_a_policy_is_silent_must_say_why(copy):
    edit(copy, "offices/office_000.toml", 'why = "the policy does not say whether to warn first; telling the person why gives them the chance to change"\n', "")
    error = error_for(copy)
    assert (error.file, error.key) == ("offices/office_000.toml", "end_contact.advice.why") and error.problem == "is missing"
