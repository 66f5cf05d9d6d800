"""The rules: pure functions from (flow, office profile, answers) to what may be done and why.

Answers are a plain dict: node id -> option id (single choice), list of option ids (multi-select)
or dict of field values (details). The walk in `engine.py` guarantees they are valid and on the
path before anything here is called.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

from .model import (
    CauseFinding,
    ChosenMeasure,
    Cited,
    Flow,
    Item,
    Measure,
    Option,
    Outcome,
    Profile,
    Tier,
    Withheld,
)

Answers = dict[str, Any]

CAUSE_NODES_PREFIX = "cause_"
# Used where an office fixes no review interval: the shortest interval among the five policies.
FALLBACK_REVIEW_MONTHS = 3
FALLBACK_REVIEW_CITE = ("003 ¶8", "001 §7")
VIOLENCE = {"violence_used", "violence_threatened"}


# --- reading the answers --------------------------------------------------------------------------


def chosen(answers: Answers, node: str) -> list[str]:
    value = answers.get(node)
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def safety_items(answers: Answers) -> list[str]:
    return [s for s in chosen(answers, "safety") if s != "none"]


def behaviour_ids(answers: Answers) -> list[str]:
    return [b for b in chosen(answers, "behaviour") if b != "none"]


def families(flow: Flow, answers: Answers) -> list[str]:
    found = []
    if safety_items(answers):
        found.append("aggressive")  # violence, threats and stalking are the gravest abuse
    node = flow.nodes["behaviour"]
    for bid in behaviour_ids(answers):
        option = node.option(bid)
        if option and option.family and option.family not in found:
            found.append(option.family)
    return [f for f in flow.families if f in found]  # in the flow's own order


def unmet_causes(flow: Flow, answers: Answers) -> list[CauseFinding]:
    return [c for c in cause_findings(flow, answers) if not c.met]


def cause_findings(flow: Flow, answers: Answers) -> list[CauseFinding]:
    findings = []
    for nid, node in flow.nodes.items():
        if not nid.startswith(CAUSE_NODES_PREFIX) or nid not in answers:
            continue
        option = node.option(answers[nid])
        if option is None:
            continue
        findings.append(CauseFinding(nid, node.question, option.label, option.met is not False, option.remedy, option.cite))
    return findings


def protected_channel(answers: Answers) -> str | None:
    channel = answers.get("adjustment_channel")
    return None if channel in (None, "none") else channel


# --- conditions that transitions in flow.toml may name --------------------------------------------


def nothing_unacceptable(flow: Flow, profile: Profile, answers: Answers) -> bool:
    """'None of these' at the behaviour step, and nothing under safety either."""
    return not behaviour_ids(answers) and not safety_items(answers)


def restricts_contact(flow: Flow, profile: Profile, answers: Answers) -> bool:
    return any(flow.tiers[flow.measures[m].tier].restricts for m in chosen(answers, "measures") if m in flow.measures)


CONDITIONS: dict[str, Callable[[Flow, Profile, Answers], bool]] = {
    "nothing_unacceptable": nothing_unacceptable,
    "needs_authorisation": restricts_contact,
}


# --- proportionality -------------------------------------------------------------------------------

# How far up the ladder a case may go. Stated once, with the clauses behind each step, so that the
# outcome's reasons and the all-questions reference (the policy owner's sign-off) say the same.
CEILING_RULES: dict[str, Item] = {rule.id: rule for rule in (
    Item("nothing", "Nothing the person did is unacceptable in itself, so no measure is justified.",
         ("000 §2", "002 §3.1", "003 Intro")),
    Item("safety", "Violence, a threat of harm or stalking needs no prior warning: protective restrictions, such as barring from the premises, may be authorised at once.",
         ("001 §6", "001 §7", "002 §5.10", "003 ¶6")),
    Item("first_aggressive", "A first, isolated incident: a written warning at most, because the behaviour was aggressive or abusive.",
         ("003 ¶4.1", "001 §6", "003 ¶4.2")),
    Item("first", "A first, isolated incident: address the behaviour with the person; nothing formal yet.",
         ("003 ¶4.1", "001 §6", "004 §1.1")),
    Item("repeated", "The person has not yet been told what must change: a written warning comes before any restriction.",
         ("000 §7", "001 §6", "002 §5.4", "003 ¶4.2")),
    Item("after_warning", "The behaviour carried on after a written warning: a contact strategy may now be proportionate.",
         ("003 ¶4.3", "001 §7", "000 §8")),
    Item("breach", "A contact strategy is already in place and has been broken: it may be tightened or escalated.",
         ("001 §7.1", "001 §7.2", "003 ¶4.5", "004 §1.6")),
    Item("cap_causes", "But our own handling falls short on at least one point: put that right first. Until then nothing beyond a written warning is open.",
         ("001 §4",)),
    Item("cap_new_information", "But the person has brought new information: consider it first. Until then nothing beyond a written warning is open.",
         ("000 §7", "001 §7", "002 §5.6")),
)}


def ceiling(flow: Flow, profile: Profile, answers: Answers) -> tuple[Tier | None, list[str]]:
    """The most restrictive tier of the ladder this case justifies, with the reasons for it."""
    tiers = sorted(flow.tiers.values(), key=lambda t: t.rank)
    by_rank = {t.rank: t for t in tiers}
    rule = CEILING_RULES
    if nothing_unacceptable(flow, profile, answers):
        return None, [rule["nothing"].text]
    history = answers.get("history")
    aggressive = "aggressive" in families(flow, answers)
    if safety_items(answers) and history in ("first", "repeated"):
        rank, reasons = 4, [rule["safety"].text]
    elif history == "first":
        rank, reasons = (3, [rule["first_aggressive"].text]) if aggressive else (2, [rule["first"].text])
    elif history == "repeated":
        rank, reasons = 3, [rule["repeated"].text]
    elif history == "after_warning":
        rank, reasons = 4, [rule["after_warning"].text]
    else:  # breach
        rank, reasons = 5, [rule["breach"].text]
    if rank > 3 and unmet_causes(flow, answers):
        rank = 3
        reasons.append(rule["cap_causes"].text)
    if rank > 3 and answers.get("new_information") == "yes":
        rank = 3
        reasons.append(rule["cap_new_information"].text)
    return by_rank.get(rank) or max((t for t in tiers if t.rank <= rank), key=lambda t: t.rank), reasons


def measure_options(flow: Flow, profile: Profile, answers: Answers, top: Tier | None = ...) -> tuple[list[Measure], list[Withheld]]:
    """Measures that may be proposed in this case, least restrictive first, and those withheld."""
    if top is ...:
        top, _ = ceiling(flow, profile, answers)
    channel = answers.get("channel")
    matter = answers.get("matter")
    keep = protected_channel(answers)
    offered: list[Measure] = []
    withheld: list[Withheld] = []
    for measure in sorted(flow.measures.values(), key=lambda m: m.rank):
        tier = flow.tiers[measure.tier]
        if measure.channels and channel not in measure.channels:
            continue  # not a choice on this channel at all; nothing to explain
        if measure.id not in profile.measures:
            withheld.append(Withheld(measure, f"not one of the measures in {profile.short}'s policy"))
        elif top is None or tier.rank > top.rank:
            withheld.append(Withheld(measure, "goes further than the behaviour and its history justify"))
        elif measure.matter and matter not in measure.matter:
            withheld.append(Withheld(measure, "only possible once the matter is concluded" if "concluded" in measure.matter else "not possible while the matter is open"))
        elif keep and keep in measure.removes:
            withheld.append(Withheld(measure, f"would remove {flow.channels[keep].lower()}, which a reasonable adjustment relies on"))
        else:
            offered.append(measure)
    return offered, withheld


def options_for(flow: Flow, profile: Profile, answers: Answers, node_id: str) -> tuple[Option, ...]:
    """The options a question offers, given the answers before it."""
    node = flow.nodes[node_id]
    if node.options_from == "measures":
        offered, _ = measure_options(flow, profile, answers)
        return tuple(Option(m.id, m.label, m.cite, hint=flow.tiers[m.tier].label) for m in offered) + node.options
    if node.options_from == "checklist":
        items = [flow.checklist[i] for i in profile.checklist]
        return tuple(Option(i.id, i.text, i.cite) for i in items) + node.options
    return node.options


# --- dates -----------------------------------------------------------------------------------------

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str) -> dt.date:
    if not ISO_DATE.match(text):
        raise ValueError("write the date as YYYY-MM-DD, for example 2026-11-27")
    return dt.date.fromisoformat(text)


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
    details = answers.get("details", {})
    decision_date = parse_date(details["date"]) if details.get("date") else (today or dt.date.today())
    safety = tuple(flow.nodes["safety"].option(s) for s in safety_items(answers))
    behaviours = tuple(flow.nodes["behaviour"].option(b) for b in behaviour_ids(answers))
    fams = tuple(flow.families[f] for f in families(flow, answers))
    nothing = nothing_unacceptable(flow, profile, answers)
    causes = tuple(cause_findings(flow, answers))
    needs = tuple(flow.nodes["needs"].option(n) for n in chosen(answers, "needs") if n != "none_known")
    keep = protected_channel(answers)
    top, top_reasons = ceiling(flow, profile, answers)
    _, withheld = measure_options(flow, profile, answers, top)

    picked = [flow.measures[m] for m in chosen(answers, "measures") if m in flow.measures]
    measures = tuple(
        ChosenMeasure(m, flow.tiers[m.tier], profile.authorisers[m.authoriser], _keep_note(flow, m, keep))
        for m in sorted(picked, key=lambda m: m.rank)
    )
    restricts = any(c.tier.restricts for c in measures)

    wait = []
    if any(not c.met for c in causes):
        wait.append("Any restriction should wait until the shortcomings in our own handling listed above are put right; that may be enough to stop the behaviour.")
    if answers.get("new_information") == "yes" and not nothing:
        wait.append("Any restriction should wait until the new information has been considered.")

    satisfied = set(chosen(answers, "checklist"))
    checklist = tuple((flow.checklist[i], i in satisfied) for i in profile.checklist) if restricts else ()
    warning_letter = any(c.measure.id == "written_warning" for c in measures)
    notice = notice_elements(flow, profile, bool(needs)) if restricts else ()
    safeguards = tuple(flow.safeguards.values()) if restricts else ()

    if restricts:
        months = profile.review_months or FALLBACK_REVIEW_MONTHS
        review_date = add_months(decision_date, months).isoformat()
        basis = (
            f"{capitalise(profile.review.text)} ({months} months from the decision)."
            if profile.review_months
            else f"{capitalise(profile.review.text)}. The aid proposes {months} months, the shortest interval among the five policies; agree the date with the authoriser."
        )
    else:
        review_date, basis = None, "No restriction is proposed, so no review date is needed."

    immediate = _immediate_actions(flow, profile, answers, nothing)
    police_route = profile.authorisers["police"] if any(a.id.startswith("police_") for a in immediate) else None
    outcome_cites = [
        *(c for o in safety for c in o.cite),
        *(c for o in behaviours for c in o.cite),
        *(c for f in fams for c in f.cite),
        *(c for i in immediate for c in i.cite),
        *(police_route.cite if police_route else ()),
        *(profile.threats_cite if police_route and profile.threats_always_reported else ()),
        *(c for f in causes for c in f.cite),
        *(c for o in needs for c in o.cite),
        *(c for m in measures for c in (*m.measure.cite, *m.decided_by.cite)),
        *(c for i, _ in checklist for c in i.cite),
        *(c for i in notice for c in i.cite),
        *(c for i in safeguards for c in i.cite),
        *(profile.dispute.cite if restricts else ()),
        *(profile.review.cite if restricts else ()),
        *(FALLBACK_REVIEW_CITE if restricts and not profile.review_months else ()),
        *profile.person.cite,
    ]
    for nid in ("channel", "matter", "history", "new_information", "adjustment_channel"):
        if nid in answers:
            option = flow.nodes[nid].option(answers[nid])
            outcome_cites.extend(option.cite if option else ())

    return Outcome(
        office=profile,
        flow_version=flow.version,
        content_hash=flow.content_hash,
        decision_date=decision_date.isoformat(),
        reference=details.get("reference", ""),
        account=details.get("account", ""),
        channel=flow.channels[answers["channel"]],
        matter=flow.nodes["matter"].option(answers["matter"]),
        history=flow.nodes["history"].option(answers["history"]),
        new_information=answers.get("new_information") == "yes",
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
        measures=measures,
        withheld=tuple(withheld),
        restricts=restricts,
        checklist=checklist,
        notice=notice,
        safeguards=safeguards,
        dispute=profile.dispute if restricts else None,
        police_route=police_route,
        review_date=review_date,
        review_basis=basis,
        warning_letter=warning_letter,
        strategy_notice=restricts,
        citations=sort_citations(set(outcome_cites)),
    )


# Every restriction notice says these, whatever the office's own list: they are the safeguards the
# person keeps (001 §7, §7.2, §7.3, §9; 002 §5.8, §5.9; 004 §1.5).
ALWAYS_IN_NOTICE = ("reason", "what_restricted", "duration_review", "dispute", "new_matters", "police_routes", "info_rights")


def notice_elements(flow: Flow, profile: Profile, needs_known: bool) -> tuple[Item, ...]:
    """What the written notice must contain: the safeguards, the office's own list, and an
    accessible format whenever the person has a known need (Equality Act 2010; 001 §5, §7)."""
    wanted = set(ALWAYS_IN_NOTICE) | set(profile.notice) | ({"accessible_format"} if needs_known else set())
    return tuple(item for item_id, item in flow.notice.items() if item_id in wanted)


def capitalise(text: str) -> str:
    """First letter upper case, the rest as written (profile text starts mid-sentence)."""
    return text[:1].upper() + text[1:]


def _keep_note(flow: Flow, measure: Measure, keep: str | None) -> str:
    if measure.id == "one_channel" and keep:
        return f"The one method kept must be {flow.channels[keep].lower()}, which a reasonable adjustment relies on."
    return ""


def _immediate_actions(flow: Flow, profile: Profile, answers: Answers, nothing: bool) -> tuple[Item, ...]:
    """Actions to take now, safety first, in the order a member of staff should take them."""
    a = flow.actions
    safety = set(safety_items(answers))
    ids: list[str] = []
    if nothing:
        ids.append("no_sanction")
    if safety:
        ids.append("end_contact")
        ids.append("police_always" if safety & VIOLENCE else "police_reported" if profile.threats_always_reported else "police_consider")
        ids.append("welfare")
        if "stalking" in safety:
            ids.append("privacy_online")
    elif "personal_contact" in behaviour_ids(answers):
        ids.append("privacy_online")
    if not safety and "aggressive" in families(flow, answers):
        ids.append("police_reported" if profile.threats_always_reported else "police_abuse")
    if not nothing:
        ids += ["tell_manager", "record_today"]
        if "aggressive" in families(flow, answers) and "welfare" not in ids:
            ids.append("welfare")
    if answers.get("new_information") == "yes":
        ids.append("consider_new_information")
    if answers.get("matter") == "outside_remit":
        ids.append("signpost_remit")
    if answers.get("history") == "first" and not nothing and not safety:
        ids.append("isolated_no_further")
    return tuple(a[i] for i in ids)


def _citation_key(ref: str) -> tuple:
    policy, _, clause = ref.partition(" ")
    numbers = [int(n) for n in re.findall(r"\d+", clause)]
    return (policy, not clause[:1] in "§¶", numbers, clause)


def sort_citations(refs: set[str] | list[str]) -> tuple[str, ...]:
    return tuple(sorted(set(refs), key=_citation_key))
