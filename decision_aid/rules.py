"""The rules: pure functions from (flow, office profile, answers) to what may be done and why.

Answers are a plain dict: node id -> option id (single choice), list of option ids (multi-select)
or dict of field values (details). The walk in `engine.py` guarantees they are valid and on the
path before anything here is called.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

from . import contract as c
from .model import (
    CeilingRule,
    CauseFinding,
    ChosenMeasure,
    Flow,
    Item,
    Measure,
    NoticeItem,
    Option,
    Outcome,
    Profile,
    Tier,
    Withheld,
)

Answers = dict[str, Any]


# --- reading the answers --------------------------------------------------------------------------


def chosen(answers: Answers, node: str) -> list[str]:
    value = answers.get(node)
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def picked(flow: Flow, answers: Answers, node_id: str) -> list[str]:
    """The options chosen at a multi-select question, leaving out its exclusive "none" option."""
    node = flow.nodes[node_id]
    exclusive = {o.id for o in node.options if o.exclusive}
    return [v for v in chosen(answers, node_id) if v not in exclusive]


def safety_items(flow: Flow, answers: Answers) -> list[str]:
    """Violence, threats and stalking: what puts staff or others at risk. A risk to the person
    themselves is not among them: it is never met with a sanction (`at_risk`)."""
    return [s for s in picked(flow, answers, c.SAFETY) if s != c.PERSON_AT_RISK]


def at_risk(answers: Answers) -> bool:
    """The person may harm themselves, is in crisis, or there is a safeguarding concern."""
    return c.PERSON_AT_RISK in chosen(answers, c.SAFETY)


def new_information_open(answers: Answers) -> bool:
    """New information was brought, or it is not yet known whether it was: either way it comes first."""
    return answers.get(c.NEW_INFORMATION) in (c.YES, c.NOT_SURE)


def behaviour_ids(flow: Flow, answers: Answers) -> list[str]:
    return picked(flow, answers, c.BEHAVIOUR)


def families(flow: Flow, answers: Answers) -> list[str]:
    found = []
    if safety_items(flow, answers):
        found.append(c.AGGRESSIVE)  # violence, threats and stalking are the gravest abuse
    node = flow.nodes[c.BEHAVIOUR]
    for bid in behaviour_ids(flow, answers):
        option = node.option(bid)
        if option and option.family and option.family not in found:
            found.append(option.family)
    return [f for f in flow.families if f in found]  # in the flow's own order


def unmet_causes(flow: Flow, answers: Answers) -> list[CauseFinding]:
    return [c for c in cause_findings(flow, answers) if not c.met]


def cause_findings(flow: Flow, answers: Answers) -> list[CauseFinding]:
    findings = []
    for nid, node in flow.nodes.items():
        if not node.cause or nid not in answers:
            continue
        option = node.option(answers[nid])
        if option is None:
            continue
        findings.append(CauseFinding(nid, node.question, option.label, option.met is not False, option.remedy, option.cite))
    return findings


def protected_channel(answers: Answers) -> str | None:
    channel = answers.get(c.ADJUSTMENT_CHANNEL)
    return None if channel in (None, c.NO_CHANNEL) else channel


# --- conditions that transitions in flow.toml may name --------------------------------------------


def nothing_unacceptable(flow: Flow, profile: Profile, answers: Answers) -> bool:
    """'None of these' at the behaviour step, and nothing under safety either."""
    return not behaviour_ids(flow, answers) and not safety_items(flow, answers)


def restricts_contact(flow: Flow, profile: Profile, answers: Answers) -> bool:
    return any(flow.tiers[flow.measures[m].tier].restricts for m in chosen(answers, c.MEASURES) if m in flow.measures)


def _journey_is(journey: str) -> Callable[[Flow, Profile, Answers], bool]:
    def condition(flow: Flow, profile: Profile, answers: Answers) -> bool:
        return answers.get(c.JOURNEY) == journey
    return condition


CONDITIONS: dict[str, Callable[[Flow, Profile, Answers], bool]] = {
    "nothing_unacceptable": nothing_unacceptable,
    "needs_authorisation": restricts_contact,
    "journey_breach": _journey_is(c.BREACH),
    "journey_review": _journey_is(c.REVIEW),
    "journey_information_request": _journey_is(c.INFORMATION_REQUEST),
    "journey_representative": _journey_is(c.REPRESENTATIVE),
}


def handling_for(flow: Flow, answers: Answers) -> tuple[Item, ...]:
    """How this journey is handled: its statements, less those `only` for other answers to its own question."""
    journey = answers.get(c.JOURNEY)
    own = answers.get(c.JOURNEY_QUESTION.get(journey, ""))
    return tuple(i for i in flow.handling.get(journey, ()) if not i.only or own in i.only)


def history_rule(answers: Answers) -> str:
    """The ceiling rule of the history: what a breach breaks, or how often it has happened."""
    if answers.get(c.JOURNEY) == c.BREACH:
        return c.BREACHED_RULES[answers[c.BREACHED]]  # the contract makes these the only answers
    return c.HISTORY_RULES[answers[c.HISTORY]]


def history_option(flow: Flow, answers: Answers) -> Option:
    node = c.BREACHED if answers.get(c.JOURNEY) == c.BREACH else c.HISTORY
    return flow.nodes[node].option(answers[node])


# --- proportionality -------------------------------------------------------------------------------


def _reason(rule: CeilingRule) -> Item:
    return Item(rule.id, rule.text, rule.cite, rule.practice)


def before_any_warning(flow: Flow, answers: Answers) -> bool:
    """A safety case on a first or repeated incident: nobody has yet given the person a warning."""
    return bool(safety_items(flow, answers)) and answers.get(c.HISTORY) in (c.FIRST, c.REPEATED)


def aggressive_before_any_warning(flow: Flow, answers: Answers) -> bool:
    """Aggressive or abusive behaviour (threats included) before anyone has warned the person:
    where an office's policy may restrict without a warning (003 ¶6; 004 §1.3 for writing)."""
    return c.AGGRESSIVE in families(flow, answers) and answers.get(c.HISTORY) in (c.FIRST, c.REPEATED)


def ceiling(flow: Flow, profile: Profile, answers: Answers) -> tuple[Tier | None, list[Item]]:
    """The most restrictive tier of the ladder this case justifies, with the reasons for it.

    Which rule applies is decided here; how far each rule reaches, and its words, are content
    (rules.toml), so the record note and the sign-off page say the same.
    """
    rules = flow.ceiling
    if nothing_unacceptable(flow, profile, answers):
        return None, [_reason(rules[c.RULE_NOTHING])]
    history = answers.get(c.HISTORY)
    if before_any_warning(flow, answers):
        rule = rules[c.RULE_SAFETY]
    elif history == c.FIRST and c.AGGRESSIVE in families(flow, answers):
        rule = rules[c.RULE_FIRST_AGGRESSIVE]
    else:
        rule = rules[history_rule(answers)]
    top, reasons = flow.tiers[rule.tier], [_reason(rule)]
    if rule.id == c.RULE_SAFETY or without_warning(flow, profile, answers):
        said = profile.without_warning.said
        reasons.append(Item(c.WITHOUT_WARNING, capitalise(said.text) + ".", said.cite))
    caps = []
    if unmet_causes(flow, answers):
        caps.append(rules[c.CAP_CAUSES])
    if new_information_open(answers):
        caps.append(rules[c.CAP_NEW_INFORMATION])
    if at_risk(answers):
        caps.append(rules[c.CAP_AT_RISK])
    for cap in caps:
        limit = flow.tiers[cap.tier]
        if top.rank > limit.rank:
            top = limit
            reasons.append(_reason(cap))
    return top, reasons


def without_warning(flow: Flow, profile: Profile, answers: Answers) -> tuple[str, ...]:
    """Measures the office's policy allows for aggressive or abusive behaviour before any warning
    (003 ¶6's barring, 004 §1.3's strategy for threats or abuse in writing), whatever the ceiling:
    only for the channels it names, if any."""
    allowed = profile.without_warning
    if (not aggressive_before_any_warning(flow, answers) or unmet_causes(flow, answers)
            or new_information_open(answers) or at_risk(answers)):
        return ()  # our own shortcomings and new information come first, whatever the policy allows
    if allowed.channels and answers.get(c.CHANNEL) not in allowed.channels:
        return ()
    return allowed.measures


def measure_options(flow: Flow, profile: Profile, answers: Answers, top: Tier | None = ...) -> tuple[list[Measure], list[Withheld]]:
    """Measures that may be proposed in this case, least restrictive first, and those withheld."""
    if top is ...:
        top, _ = ceiling(flow, profile, answers)
    channel = answers.get(c.CHANNEL)
    matter = answers.get(c.MATTER)
    keep = protected_channel(answers)
    exempt = without_warning(flow, profile, answers) if top is not None else ()
    offered: list[Measure] = []
    withheld: list[Withheld] = []
    for measure in sorted(map(profile.measure, flow.measures.values()), key=lambda m: m.rank):
        tier = flow.tiers[measure.tier]
        states = measure.matter or (tuple(s for s in c.MATTER_STATES if s != c.ONGOING) if measure.id in profile.not_while_ongoing else ())
        if measure.channels and channel not in measure.channels:
            continue  # not a choice on this channel at all; nothing to explain
        if measure.id not in profile.measures:
            why = flow.say("withheld.not_in_policy", office=profile.short)
        elif (top is None or tier.rank > top.rank) and measure.id not in exempt:
            why = flow.say("withheld.too_far")
        elif states and matter not in states:
            why = flow.say("withheld.needs_concluded" if tuple(states) == (c.CONCLUDED,) else "withheld.not_while_open")
        elif keep and keep in measure.removes:
            why = flow.say("withheld.removes_adjusted", channel=flow.channels[keep].label.lower())
        else:
            offered.append(measure)
            continue
        withheld.append(Withheld(measure, why))
    return offered, withheld


def options_for(flow: Flow, profile: Profile, answers: Answers, node_id: str) -> tuple[Option, ...]:
    """The options a question offers, given the answers before it."""
    node = flow.nodes[node_id]
    if node.options_from == c.FROM_MEASURES:
        offered, _ = measure_options(flow, profile, answers)
        return tuple(Option(m.id, m.label, m.cite, hint=flow.tiers[m.tier].label) for m in offered) + node.options
    if node.options_from == c.FROM_CHECKLIST:
        items = [flow.checklist[i] for i in profile.checklist]
        return tuple(Option(i.id, i.text, i.cite) for i in items) + node.options
    return node.options


# --- dates -----------------------------------------------------------------------------------------

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# Dates a case can have: anything outside is a slip of the keyboard (0001, 9999), refused at the
# question rather than carried into review dates and calendar files.
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


def in_window(day: dt.date) -> dt.date:
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"enter a date between {EARLIEST.year} and {LATEST.year} (this one is in {day.year})")
    return day


def parse_date(text: str) -> dt.date:
    if not ISO_DATE.match(text):
        raise ValueError("write the date as YYYY-MM-DD, for example 2026-11-27")
    try:
        return in_window(dt.date.fromisoformat(text))
    except ValueError as error:
        raise ValueError(str(error) if "between" in str(error) else f"there is no such date ({text})") from None


MONTHS = {name: i for i, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec")), 1) for name in names}
NUMERIC_UK_DATE = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")
WORDED_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")


def read_date(text: str) -> dt.date:
    """A date as staff type it: 27/11/2026, 27-11-2026, 27.11.2026, 27 November 2026, 27 Nov 2026,
    or 2026-11-27. Day first, as in the UK; the year in full, so nothing is guessed."""
    text = " ".join(text.strip().lower().split())
    if ISO_DATE.match(text):
        day, month, year = int(text[8:10]), int(text[5:7]), int(text[:4])
    elif m := NUMERIC_UK_DATE.match(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif (m := WORDED_DATE.match(text)) and m[2] in MONTHS:
        day, month, year = int(m[1]), MONTHS[m[2]], int(m[3])
    else:
        raise ValueError("enter a day, month and year, for example 27/11/2026 or 27 November 2026")
    try:
        day_ = dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"there is no such date ({day}/{month}/{year}): check the day and the month") from None
    return in_window(day_)


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    # The 31st plus a month lands on the last day of a shorter month.
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


# --- the outcome -------------------------------------------------------------------------------------


def decide(flow: Flow, profile: Profile, answers: Answers, today: dt.date | None = None) -> Outcome:
    """Turn a complete, valid walk into a recommendation that can be defended line by line."""
    details = answers.get(c.DETAILS, {})
    decision_date = parse_date(details[c.DATE]) if details.get(c.DATE) else (today or dt.date.today())
    safety = tuple(flow.nodes[c.SAFETY].option(s) for s in picked(flow, answers, c.SAFETY))
    behaviours = tuple(flow.nodes[c.BEHAVIOUR].option(b) for b in behaviour_ids(flow, answers))
    fams = tuple(flow.families[f] for f in families(flow, answers))
    nothing = nothing_unacceptable(flow, profile, answers)
    causes = tuple(cause_findings(flow, answers))
    needs = tuple(flow.nodes[c.NEEDS].option(n) for n in picked(flow, answers, c.NEEDS)) if c.NEEDS in answers else ()
    keep = protected_channel(answers)
    top, top_reasons = ceiling(flow, profile, answers)
    offered, withheld = measure_options(flow, profile, answers, top)
    open_tier = max((flow.tiers[m.tier] for m in offered), key=lambda t: t.rank, default=None) if top else None

    proposed = [profile.measure(flow.measures[m]) for m in chosen(answers, c.MEASURES) if m in flow.measures]
    measures = tuple(
        ChosenMeasure(m, flow.tiers[m.tier], profile.authorisers[m.authoriser], _measure_note(flow, profile, m, keep))
        for m in sorted(proposed, key=lambda m: m.rank)
    )
    restricts = any(chosen_measure.tier.restricts for chosen_measure in measures)

    wait = []
    if any(not finding.met for finding in causes):
        wait.append(flow.say("wait.causes"))
    if new_information_open(answers) and not nothing:
        wait.append(flow.say("wait.new_information"))

    satisfied = set(chosen(answers, c.CHECKLIST))
    exempt = set(without_warning(flow, profile, answers))
    restricting = {m.measure.id for m in measures if m.tier.restricts}
    # Where the policy itself allows the restriction before any warning, the person cannot yet
    # have had the chance to change, and the policy does not ask for it.
    waived = {c.CHANCE_TO_CHANGE} if restricting and restricting <= exempt else set()
    checklist = tuple((flow.checklist[i], i in satisfied) for i in profile.checklist if i not in waived) if restricts else ()
    warning_letter = any(m.id == c.WRITTEN_WARNING for m in proposed)
    notice = letter_elements(flow.notice, profile.notice.all, bool(needs)) if restricts else ()
    warning_elements = letter_elements(flow.warning_letter, profile.warning_letter.all, False) if warning_letter else ()
    safeguards = tuple(flow.safeguards.values()) if restricts else ()

    fallback = flow.review_fallback
    if restricts:
        months = profile.review_months or fallback.months
        review_date = add_months(decision_date, months).isoformat()
        rule = "review.fixed" if profile.review_months else "review.fallback"
        basis = flow.say(rule, review=capitalise(profile.review.text), months=months)
    else:
        review_date, basis = None, flow.say("review.none")

    immediate = immediate_actions(flow, profile, answers, nothing)
    # A visit with a route of its own: the police action already says who calls the police.
    visit = profile.police_visit if answers.get(c.CHANNEL) == c.IN_PERSON else None
    police_route = profile.authorisers[c.ROLE_POLICE] if any(a.id == c.POLICE for a in immediate) and not visit else None
    outcome_cites = [
        *(ref for o in safety for ref in o.cite),
        *(ref for o in behaviours for ref in o.cite),
        *(ref for f in fams for ref in f.cite),
        *(ref for i in immediate for ref in i.cite),
        *(police_route.cite if police_route else ()),
        *(ref for r in top_reasons for ref in r.cite),
        *(ref for f in causes for ref in f.cite),
        *(ref for o in needs for ref in o.cite),
        *(ref for m in measures for ref in (*m.measure.cite, *m.decided_by.cite)),
        *(ref for i, _ in checklist for ref in i.cite),
        *(ref for i in notice for ref in i.cite),
        *(ref for i in warning_elements for ref in i.cite),
        *(ref for i in safeguards for ref in i.cite),
        *(profile.dispute.cite if restricts else ()),
        *(profile.review.cite if restricts else ()),
        *(fallback.cite if restricts and not profile.review_months else ()),
        *profile.person.cite,
    ]
    breach = answers.get(c.JOURNEY) == c.BREACH
    handling = handling_for(flow, answers) if breach else ()
    outcome_cites += [ref for item in handling for ref in item.cite]
    for nid in (c.CHANNEL, c.MATTER, c.HISTORY, c.BREACHED, c.NEW_INFORMATION, c.ADJUSTMENT_CHANNEL):
        if nid in answers:
            option = flow.nodes[nid].option(answers[nid])
            outcome_cites.extend(option.cite if option else ())

    return Outcome(
        office=profile,
        flow_version=flow.version,
        content_hash=flow.content_hash,
        decision_date=decision_date.isoformat(),
        reference=details.get(c.REFERENCE, ""),
        account=details.get(c.ACCOUNT, ""),
        channel=flow.channels[answers[c.CHANNEL]].label,
        matter=flow.nodes[c.MATTER].option(answers[c.MATTER]),
        history=history_option(flow, answers),
        new_information=answers.get(c.NEW_INFORMATION) == c.YES,
        safety=safety,
        behaviours=behaviours,
        families=fams,
        nothing_unacceptable=nothing,
        immediate=immediate,
        causes=causes,
        restrictions_wait=tuple(wait),
        needs=needs,
        protected_channel=keep,
        ceiling=top,
        ceiling_reasons=tuple(top_reasons),
        open_tier=open_tier,
        measures=measures,
        withheld=tuple(withheld),
        restricts=restricts,
        checklist=checklist,
        notice=notice,
        warning_elements=warning_elements,
        safeguards=safeguards,
        dispute=profile.dispute if restricts else None,
        police_route=police_route,
        review_date=review_date,
        review_basis=basis,
        warning_letter=warning_letter,
        strategy_notice=restricts,
        citations=sort_citations(set(outcome_cites)),
        journey=flow.nodes[c.JOURNEY].option(answers[c.JOURNEY]),
        arrangement=dict(answers.get(c.ARRANGEMENT_DETAILS, {})) if breach else {},
        handling=handling,
    )


def letter_elements(elements: dict[str, NoticeItem], chosen_ids: tuple[str, ...], needs_known: bool) -> tuple[NoticeItem, ...]:
    """What a letter contains: the elements the office's letter carries (its policy's, then our
    practice), and an accessible format whenever the person has a known need (Equality Act 2010).
    In the order of lists.toml, which is the order of the letter."""
    wanted = set(chosen_ids) | ({c.ACCESSIBLE_FORMAT} if needs_known else set())
    return tuple(item for item_id, item in elements.items() if item_id in wanted)


def capitalise(text: str) -> str:
    """First letter upper case, the rest as written (profile text starts mid-sentence)."""
    return text[:1].upper() + text[1:]


def _measure_note(flow: Flow, profile: Profile, measure: Measure, keep: str | None) -> str:
    """What a proposed measure means in this case: the channel an adjustment keeps open, or the
    office's own rule for reading and filing (the same words the handbook shows)."""
    if measure.id == c.ONE_CHANNEL and keep:
        return flow.say("keep_channel.one_channel", channel=flow.channels[keep].label.lower())
    if measure.id == c.READ_AND_FILE:
        return flow.say("keep_channel.read_and_file", office=profile.short, rule=profile.read_and_file.text)
    return ""


def police_kind(flow: Flow, answers: Answers) -> str | None:
    """The gravest kind of behaviour, among the answers, that the police may be told of."""
    kinds = {flow.nodes[nid].option(v).police for nid in (c.SAFETY, c.BEHAVIOUR) for v in picked(flow, answers, nid)}
    return next((k for k in c.POLICE_KINDS if k in kinds), None)


def at_risk_actions(flow: Flow) -> list[Item]:
    """For a person at risk, before anything else: their safety (999 first), that details may be
    shared to keep them safe, and who is consulted before sharing without their consent."""
    return [flow.actions[a] for a in c.AT_RISK_ACTIONS]


def safety_first(flow: Flow, profile: Profile, answers: Answers) -> tuple[Item, ...]:
    """What to do at once, straight after the safety question, before anything else is asked:
    for a person at risk, their safety; for violence, threats or stalking, the office's own rules
    for ending the contact (a call and a visit, since the channel is not asked yet), the police,
    and staff welfare. Empty when nothing of the kind happened."""
    out: list[Item] = []
    if at_risk(answers):
        out += at_risk_actions(flow)
    if safety_items(flow, answers):
        if not at_risk(answers):  # never ended because of a risk to the person (issue 11)
            rules = [profile.end_contact] + ([profile.end_visit] if profile.end_visit and profile.end_visit != profile.end_contact else [])
            out += [Item(c.END_CONTACT, capitalise(r.text) + ".", r.cite, advice=r.advice) for r in rules]
        police = police_action(flow, profile, answers)
        if police:
            out.append(police)
        out.append(flow.actions[c.WELFARE])
    return tuple(out)


def police_action(flow: Flow, profile: Profile, answers: Answers) -> Item | None:
    """What happens about the police, in the office's own terms, for the gravest kind of behaviour."""
    kind = police_kind(flow, answers)
    if not kind:
        return None
    visit = profile.police_visit if answers.get(c.CHANNEL) == c.IN_PERSON else None
    rule = visit or profile.police[kind].said
    return Item(c.POLICE, capitalise(rule.text) + ".", rule.cite, advice=rule.advice)


def immediate_actions(flow: Flow, profile: Profile, answers: Answers, nothing: bool) -> tuple[Item, ...]:
    """Actions to take now, safety first, in the order a member of staff should take them.

    How to end the contact and what happens about the police are the office's own rules (its
    profile); the other actions are exactly those of contract.ACTIONS (lists.toml)."""
    safety = set(safety_items(flow, answers))
    aggressive = c.AGGRESSIVE in families(flow, answers)
    risk = at_risk(answers)
    live = flow.channels[answers[c.CHANNEL]].live if c.CHANNEL in answers else False
    out: list[Item] = []
    add = lambda action_id: out.append(flow.actions[action_id])
    if risk:
        out += at_risk_actions(flow)  # first, and it rules out ending the contact below
    if nothing:
        add(c.NO_SANCTION)
    rule = (profile.end_visit if answers.get(c.CHANNEL) == c.IN_PERSON else profile.end_contact) if live else None
    if (safety or aggressive) and rule and not risk:
        out.append(Item(c.END_CONTACT, capitalise(rule.text) + ".", rule.cite, advice=rule.advice))
    police = police_action(flow, profile, answers)
    if police:
        out.append(police)
    if safety:
        add(c.WELFARE)
    if c.STALKING in safety or c.PERSONAL_CONTACT in behaviour_ids(flow, answers):
        add(c.PRIVACY_ONLINE)
    if not nothing:
        add(c.TELL_MANAGER)
        add(c.RECORD_TODAY)
        if aggressive and not safety:
            add(c.WELFARE)
    if answers.get(c.NEW_INFORMATION) == c.YES:
        add(c.CONSIDER_NEW_INFORMATION)
    elif answers.get(c.NEW_INFORMATION) == c.NOT_SURE:
        add(c.CHECK_NEW_INFORMATION)
    if c.NOT_KNOWN in (answers.get(c.HISTORY), answers.get(c.MATTER)):
        add(c.CHECK_FILE)
    if answers.get(c.MATTER) == c.OUTSIDE_REMIT:
        add(c.SIGNPOST_REMIT)
    # "May need no further action" would contradict a line above saying the police are told (issue 12).
    kind = police_kind(flow, answers)
    reported = kind is not None and profile.police[kind].rule in c.REPORTED
    if answers.get(c.HISTORY) == c.FIRST and not nothing and not safety and not reported:
        add(c.ISOLATED_NO_FURTHER)
    return tuple(out)


def _citation_key(ref: str) -> tuple:
    policy, _, clause = ref.partition(" ")
    numbers = [int(n) for n in re.findall(r"\d+", clause)]
    return (policy, not clause[:1] in "§¶", numbers, clause)


def sort_citations(refs: set[str] | list[str]) -> tuple[str, ...]:
    return tuple(sorted(set(refs), key=_citation_key))
