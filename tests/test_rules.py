"""One test per rule a careful reviewer expects (issue 2, point 5)."""

from __future__ import annotations

import datetime as dt

import pytest

from decision_aid.engine import outcome, walk
from decision_aid.note import render
from decision_aid.rules import add_months, options_for

from conftest import TODAY, case


def decide(flow, profile, **overrides):
    return outcome(flow, profile, case(**overrides), today=TODAY)


def offered(flow, profile, **overrides):
    answers = case(**overrides)
    state = walk(flow, profile, {k: v for k, v in answers.items() if k not in ("measures", "checklist", "details")})
    assert state.current == "measures"
    return {o.id for o in options_for(flow, profile, state.answers, "measures")}


# --- "none of these" -----------------------------------------------------------------------------


def test_none_of_these_leads_to_no_sanction_and_says_why(flow, generic, register):
    answers = {k: v for k, v in case(behaviour=["none"]).items() if k not in ("needs", "measures", "checklist")}
    result = outcome(flow, generic, answers, today=TODAY)
    assert result.nothing_unacceptable and not result.measures and not result.restricts
    assert result.ceiling is None
    assert [a.id for a in result.immediate][0] == "no_sanction"
    note = render(result, flow)
    assert "not by itself unacceptable" in note and "no sanction applies" in note and "was angry" not in note


def test_none_of_these_still_checks_our_own_handling_then_skips_the_measures(flow, generic):
    start = {"safety": ["none"], "journey": "incident", "channel": "letter", "matter": "ongoing", "history": "repeated", "new_information": "no", "behaviour": ["none"]}
    assert walk(flow, generic, start).current == "cause_process"
    answers = {k: v for k, v in case(behaviour=["none"], cause_communication="no").items() if k not in ("needs", "measures", "checklist", "details")}
    assert walk(flow, generic, answers).current == "details"
    result = outcome(flow, generic, {**answers, "details": {"account": "Angry about our delay."}}, today=TODAY)
    assert [f.node for f in result.remedies] == ["cause_communication"] and not result.measures


def test_a_person_at_risk_comes_first_and_is_never_met_with_a_sanction(flow, profiles):
    for profile in profiles.values():
        result = decide(flow, profile, safety=["person_at_risk", "threat_harm"], behaviour=["abusive_language"], breached="warning",
                        measures=["explain_change"] if "explain_change" in profile.measures else ["no_action"], checklist=None)
        ids = [a.id for a in result.immediate]
        assert ids[0] == "person_at_risk" and "end_contact" not in ids, profile.id
        assert result.ceiling.id == "address" and not result.restricts, profile.id


def test_not_known_is_an_honest_answer_that_sends_staff_to_the_file(flow, generic):
    result = decide(flow, generic, history="not_known", matter="not_known", measures=["explain_change"], checklist=None)
    assert "check_file" in [a.id for a in result.immediate] and result.ceiling.id == "address"


def test_not_sure_about_new_information_holds_restrictions_back_until_it_is_checked(flow, generic):
    result = decide(flow, generic, new_information="not_sure", measures=["written_warning"], checklist=None)
    assert "check_new_information" in [a.id for a in result.immediate]
    assert result.ceiling.id == "warning" and any("new information" in w for w in result.restrictions_wait)


# --- safety first ---------------------------------------------------------------------------------


@pytest.mark.parametrize("item", ["violence_used", "violence_threatened", "threat_harm", "stalking"])
def test_a_safety_risk_comes_first_with_immediate_protection_police_and_welfare(flow, generic, item):
    result = decide(flow, generic, safety=[item], behaviour=["none"], history="first", measures=["warn_in_contact"], checklist=None)
    actions = [a.id for a in result.immediate]
    assert actions[:2] == ["end_contact", "police"]
    assert "welfare" in actions
    assert "aggressive" in [f.id for f in result.families]


@pytest.mark.parametrize("office", ["warwickshire", "cumbria", "generic"])
def test_violence_is_always_reported_and_the_office_may_choose_not_to_warn(flow, profiles, office):
    result = decide(flow, profiles[office], safety=["violence_threatened"], history="first", measures=["end_or_hold_call"], checklist=None)
    police = next(a for a in result.immediate if a.id == "police")
    assert "always reported" in police.text and "may choose not to warn" in police.text


def test_a_safety_case_with_no_other_behaviour_still_reaches_the_measures(flow, generic):
    state = walk(flow, generic, {"safety": ["stalking"], "journey": "incident", "channel": "social_media", "matter": "ongoing", "history": "first", "new_information": "no", "behaviour": ["none"]})
    assert state.current == "cause_process"


def test_a_threat_in_person_may_lead_straight_to_barring_where_the_policy_allows_it(flow, profiles):
    ids = offered(flow, profiles["west_midlands"], safety=["threat_harm"], channel="in_person", history="first", behaviour=["intimidating_presence"])
    assert "bar_premises" in ids
    assert not ids & {"limit_call_duration", "one_channel", "single_point_of_contact"}


@pytest.mark.parametrize("office", ["generic", "warwickshire", "cumbria", "office_000", "humberside"])
def test_a_first_threat_reaches_no_restriction_before_a_warning_elsewhere(flow, profiles, office):
    ids = offered(flow, profiles[office], safety=["threat_harm"], channel="in_person", history="first", behaviour=["intimidating_presence"])
    restricting = {m.id for m in flow.measures.values() if flow.tiers[m.tier].restricts}
    assert not ids & restricting


def test_a_threat_still_waits_for_our_own_shortcomings_before_any_restriction(flow, generic):
    ids = offered(flow, generic, safety=["threat_harm"], channel="in_person", history="first", cause_handling="no")
    assert "bar_premises" not in ids


def test_the_note_gives_the_offices_own_route_to_the_police(flow, profiles, register):
    result = decide(flow, profiles["humberside"], safety=["threat_harm"], history="first", measures=["warn_in_contact"], checklist=None)
    assert "Head of Assurance and Statutory Duties" in result.police_route.text
    assert "Police route at this office: your line manager" in render(result, flow)


def test_verbal_abuse_without_a_threat_may_still_be_reported_to_the_police(flow, profiles):
    result = decide(flow, profiles["cumbria"], behaviour=["abusive_language"], history="first", measures=["end_or_hold_call"], checklist=None)
    police = next(a for a in result.immediate if a.id == "police")
    assert police.text.startswith("Verbal abuse aimed at staff may be reported")
    assert result.police_route is not None


@pytest.mark.parametrize("office, rule", [("west_midlands", "will"), ("humberside", "will"), ("warwickshire", "may"), ("office_000", "silent")])
def test_what_happens_about_a_threat_follows_the_offices_own_rule(flow, profiles, office, rule):
    profile = profiles[office]
    result = decide(flow, profile, safety=["threat_harm"], history="first", measures=["end_or_hold_call"], checklist=None)
    police = next(a for a in result.immediate if a.id == "police")
    assert profile.police["threats"].rule == rule
    assert police.cite == profile.police["threats"].said.cite


def test_persistence_alone_brings_no_police_action(flow, generic):
    result = decide(flow, generic, measures=["written_warning"], checklist=None)
    assert "police" not in [a.id for a in result.immediate] and result.police_route is None


def test_stalking_adds_advice_on_privacy_online(flow, generic):
    result = decide(flow, generic, safety=["stalking"], history="first", measures=["warn_in_contact"], checklist=None)
    assert "privacy_online" in [a.id for a in result.immediate]


# --- underlying causes first -------------------------------------------------------------------


def test_an_unmet_underlying_cause_withholds_every_restriction(flow, generic):
    ids = offered(flow, generic, cause_communication="no")
    restricting = {m.id for m in flow.measures.values() if flow.tiers[m.tier].restricts}
    assert ids and not (ids & restricting)
    assert "written_warning" in ids


def test_an_unmet_underlying_cause_puts_remedial_actions_in_the_note_and_says_restriction_waits(flow, generic, register):
    result = decide(flow, generic, cause_rationale="no", measures=["written_warning"], checklist=None)
    assert [c.node for c in result.remedies] == ["cause_rationale"]
    assert result.restrictions_wait and "should wait" in result.restrictions_wait[0]
    note = render(result, flow)
    assert "Explain the decision again" in note and "should wait" in note


def test_a_restriction_proposed_despite_an_unmet_cause_is_refused(flow, generic):
    from decision_aid.engine import AnswerError

    with pytest.raises(AnswerError) as caught:
        decide(flow, generic, cause_support="no")
    assert caught.value.node == "measures"


def test_new_information_holds_back_restriction_until_it_is_considered(flow, generic):
    assert not offered(flow, generic, new_information="yes") & {"limit_call_duration", "single_point_of_contact"}
    result = decide(flow, generic, new_information="yes", measures=["written_warning"], checklist=None)
    assert "consider_new_information" in [a.id for a in result.immediate]
    assert any("new information" in w for w in result.restrictions_wait)


# --- proportionality ---------------------------------------------------------------------------------


def test_a_first_isolated_incident_never_reaches_a_contact_strategy(flow, profiles):
    """Except what an office's own policy allows for abuse before a warning: West Midlands may
    bar from premises (003 ¶6); Humberside considers a strategy for abuse in writing (004 §1.3)."""
    for profile in profiles.values():
        for behaviour in (["abusive_language"], ["volume"], ["refuses_decision"]):
            ids = offered(flow, profile, history="first", behaviour=behaviour)  # by telephone
            restricting = {i for i in ids if i in flow.measures and flow.tiers[flow.measures[i].tier].restricts}
            allowed = {"bar_premises"} if profile.id == "west_midlands" and behaviour == ["abusive_language"] else set()
            assert restricting == allowed, profile.id


def test_a_first_incident_of_abuse_may_reach_a_written_warning_but_persistence_may_not(flow, generic):
    assert "written_warning" in offered(flow, generic, history="first", behaviour=["abusive_language"])
    assert "written_warning" not in offered(flow, generic, history="first", behaviour=["reframing"])


def test_a_pattern_not_yet_raised_with_the_person_stops_at_a_written_warning(flow, generic):
    ids = offered(flow, generic, history="repeated")
    assert "written_warning" in ids and "single_point_of_contact" not in ids


def test_measures_are_offered_least_restrictive_first(flow, generic):
    state = walk(flow, generic, {k: v for k, v in case(breached="strategy").items() if k not in ("measures", "checklist", "details")})
    ranks = [flow.measures[o.id].rank for o in options_for(flow, generic, state.answers, "measures") if o.id in flow.measures]
    assert ranks == sorted(ranks) and len(ranks) > 10


def test_escalation_after_a_breach_only(flow, generic):
    assert "tighten_strategy" not in offered(flow, generic, breached="warning")
    assert {"tighten_strategy", "legal_advice", "police_breach"} <= offered(flow, generic, breached="strategy")


def test_read_and_file_needs_a_concluded_matter(flow, generic):
    assert "read_and_file" not in offered(flow, generic, matter="ongoing")
    assert "read_and_file" in offered(flow, generic, matter="concluded")
    assert "refuse_reopen" not in offered(flow, generic, matter="outside_remit")


def test_ending_a_call_is_offered_only_on_the_telephone(flow, generic):
    assert "end_or_hold_call" in offered(flow, generic, channel="telephone")
    assert "end_or_hold_call" not in offered(flow, generic, channel="letter")


def test_an_office_offers_only_the_measures_its_policy_has(flow, profiles):
    assert "bar_premises" in offered(flow, profiles["west_midlands"], channel="in_person")
    assert "bar_premises" not in offered(flow, profiles["cumbria"], channel="in_person")


def test_withheld_measures_are_listed_with_the_reason(flow, generic):
    result = decide(flow, generic, history="repeated", measures=["written_warning"], checklist=None)
    reasons = {w.measure.id: w.why for w in result.withheld}
    assert reasons["single_point_of_contact"] == "goes further than the behaviour and its history justify"


def test_every_proportionality_rule_cites_clauses_in_the_register(flow, register):
    for rule in flow.ceiling.values():
        assert (rule.cite or rule.practice) and all(register.resolve(ref) for ref in rule.cite), rule.id


# --- what every restriction carries -------------------------------------------------------------------


def test_a_restriction_carries_authoriser_review_notice_dispute_and_safeguards(flow, generic):
    result = decide(flow, generic, measures=["limit_call_duration", "read_and_file"])
    assert result.restricts
    assert all(c.decided_by.text.startswith("the Chief Executive") for c in result.measures)
    assert result.review_date == "2027-02-27"
    assert {"reason", "what_restricted", "duration_review", "dispute", "new_matters", "police_routes"} <= {n.id for n in result.notice}
    assert result.dispute and "Chief Executive" in result.dispute.text
    assert {"new_matters_accepted", "police_routes", "information_rights", "filed_read"} <= {s.id for s in result.safeguards}
    assert result.strategy_notice


@pytest.mark.parametrize("office, authoriser", [
    ("office_000", "the Chief Executive"),
    ("warwickshire", "Head of Business Services and Assurance"),
    ("cumbria", "Head of Department"),
    ("west_midlands", "not named: the policy says only that a decision is made"),
    ("humberside", "Statutory Operations Manager"),
])
def test_the_authoriser_of_a_restriction_comes_from_the_office_profile(flow, profiles, office, authoriser):
    result = decide(flow, profiles[office], measures=["limit_call_duration"])
    assert authoriser in result.measures[0].decided_by.text


@pytest.mark.parametrize("office, review", [("generic", "2027-02-27"), ("cumbria", "2027-11-27"), ("west_midlands", "2027-02-27")])
def test_the_review_date_follows_the_office_interval_from_the_decision_date(flow, profiles, office, review):
    assert decide(flow, profiles[office], measures=["limit_call_duration"]).review_date == review


def test_an_office_with_no_fixed_interval_gets_a_proposed_date_and_says_so(flow, profiles):
    result = decide(flow, profiles["warwickshire"], measures=["limit_call_duration"])
    assert result.review_date == "2027-02-27"
    assert "proposes 3 months" in result.review_basis and "agree the date" in result.review_basis


def test_the_review_date_defaults_to_today_when_no_date_is_given(flow, generic):
    answers = case(details={"account": "Calls."})
    result = outcome(flow, generic, answers, today=dt.date(2026, 1, 31))
    assert (result.decision_date, result.review_date) == ("2026-01-31", "2026-04-30")


def test_month_arithmetic_keeps_to_the_end_of_short_months():
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 12, 15), 12) == dt.date(2027, 12, 15)


def test_an_unsatisfied_checklist_means_the_restriction_cannot_be_authorised_yet(flow, generic, register):
    result = decide(flow, generic, checklist=["properly_considered"])
    assert not result.authorisation_ready
    assert "cannot be authorised until every item is ticked" in render(result, flow)


def test_a_warning_is_decided_by_the_offices_warning_role_and_produces_a_letter(flow, profiles):
    result = decide(flow, profiles["west_midlands"], history="repeated", measures=["written_warning"], checklist=None)
    assert "line manager" in result.measures[0].decided_by.text
    assert result.warning_letter and not result.strategy_notice and not result.review_date


# --- reasonable adjustments ---------------------------------------------------------------------------


@pytest.mark.parametrize("channel, measure", [("telephone", "disallow_telephone"), ("email", "block_channel"), ("in_person", "bar_premises"), ("social_media", "block_social_media")])
def test_a_restriction_never_removes_the_channel_an_adjustment_relies_on(flow, generic, channel, measure):
    without = offered(flow, generic, channel="in_person")
    assert measure in without
    ids = offered(flow, generic, channel="in_person", needs=["disability"], adjustment_channel=channel)
    assert measure not in ids


def test_restricting_to_one_channel_names_the_channel_the_adjustment_needs(flow, generic):
    result = decide(flow, generic, needs=["language"], adjustment_channel="letter", measures=["one_channel"])
    assert "must be letter" in result.measures[0].note


def test_a_known_need_puts_an_accessible_format_into_every_notice(flow, profiles):
    office = profiles["west_midlands"]
    assert "accessible_format" not in office.notice.items
    result = decide(flow, office, needs=["disability"], adjustment_channel="telephone")
    assert "accessible_format" in [n.id for n in result.notice]


def test_a_notice_carries_what_the_offices_policy_requires_and_the_practice_we_add(flow, profiles):
    office = profiles["humberside"]
    result = decide(flow, office)
    ids = [n.id for n in result.notice]
    assert set(office.notice.items) <= set(ids) and set(office.notice.practice) <= set(ids)


def test_a_known_need_lists_the_adjustment_to_make(flow, generic, register):
    result = decide(flow, generic, needs=["language"], adjustment_channel="none", measures=["written_warning"], checklist=None)
    assert "Adjustment: Make reasonable efforts so that the person clearly understands" in render(result, flow)


def test_needs_without_a_channel_leave_every_measure_on_offer(flow, generic):
    assert offered(flow, generic, needs=["disability"], adjustment_channel="none") == offered(flow, generic)


def test_a_first_incident_the_police_are_told_of_is_not_also_said_to_need_no_further_action(flow, profiles):
    swearing = dict(history="first", behaviour=["abusive_language"], measures=["end_or_hold_call"], checklist=None)
    told = [a.id for a in decide(flow, profiles["west_midlands"], **swearing).immediate]  # 003 ¶6: reported as a rule
    assert "police" in told and "isolated_no_further" not in told
    may = [a.id for a in decide(flow, profiles["cumbria"], **swearing).immediate]  # may be reported
    assert "isolated_no_further" in may


def test_the_do_now_list_never_repeats_an_action(flow, profiles):
    for profile in profiles.values():
        ids = [a.id for a in decide(flow, profile, safety=["threat_harm"], history="first", measures=["end_or_hold_call"], checklist=None).immediate]
        assert len(ids) == len(set(ids)), (profile.id, ids)
