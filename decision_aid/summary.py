"""The short record note: what a case file wants, in the record's voice.

Facts and decisions, not instructions: what happened, how it was assessed, what was decided and
by whom, what happens next and when it is reviewed, and the policy clauses, named by office
("Warwickshire policy §7.2"). The full reasoning, every line with its basis, is the appendix
(`note.record_note` / `note.case_note`), which staff may include or leave out. Every fixed word
is in documents.toml under [summary].
"""

from __future__ import annotations

from . import contract as c
from .document import Section, long_date as _long_date
from .model import CaseOutcome, Flow, Outcome, Profile
from .rules import capitalise


def _say(flow: Flow, key: str, **values: object) -> str:
    return flow.say(f"summary.{key}", **values)


def long_date(iso: str | None) -> str:
    return _long_date(iso) if iso else ""


def policy_line(flow: Flow, profile: Profile, citations: tuple[str, ...]) -> list[str]:
    """The office's own clauses, one line per policy: 'Warwickshire policy (001): §4, §7, §7.2'.
    Other offices' clauses back our practice only; the appendix lists them with each line."""
    own = profile.own(tuple(citations))
    by_policy: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for ref in own:
        clause = flow.register.resolve(ref)
        if clause is None:
            raise KeyError(ref)  # the loader refuses unknown citations: a bug, not bad input
        by_policy.setdefault(clause.policy, []).append(clause.key)
        names[clause.policy] = clause.short
    lines = [_say(flow, "policy_item", office=names[p], policy=p, clauses=", ".join(keys)) for p, keys in sorted(by_policy.items())]
    if len(own) < len(citations):
        lines.append(_say(flow, "policy_other"))
    return lines


def _header(flow: Flow, o: Outcome | CaseOutcome) -> list[str]:
    return [_say(flow, "case", date=long_date(o.decision_date), reference=o.reference or _say(flow, "no_reference"),
                 office=o.office.name)]


def summary_sections(outcome: Outcome, flow: Flow) -> tuple[Section, ...]:
    o = outcome
    assessment: list[str] = []
    if o.journey is not None and o.journey.id == c.BREACH:
        decided = long_date(o.arrangement.get(c.DECIDED)) or _say(flow, "date_unknown")
        assessment.append(_say(flow, "breaks", in_place=o.history.label.lower(), date=decided))
    if o.safety:
        assessment.append(_say(flow, "safety_items", items="; ".join(x.label.lower() for x in o.safety)))
    if o.nothing_unacceptable:
        assessment.append(_say(flow, "not_unacceptable"))
    else:
        assessment.append(_say(flow, "classified", families="; ".join(f.label for f in o.families)))
    if o.remedies:
        assessment.append(_say(flow, "shortcomings", items=" ".join(capitalise(f.remedy) for f in o.remedies)))
    else:
        assessment.append(_say(flow, "no_shortcomings"))
    needs = [n for n in o.needs if not n.exclusive]
    assessment.append(_say(flow, "needs_known", items="; ".join(n.label.lower() for n in needs)) if needs else _say(flow, "no_needs"))
    if o.protected_channel:
        assessment.append(_say(flow, "protected", channel=flow.channels[o.protected_channel].label.lower()))
    if o.new_information:
        assessment.append(_say(flow, "new_brought"))

    decision: list[str] = []
    if o.measures:
        decision.append(_say(flow, "measures", items="; ".join(m.measure.label for m in o.measures)))
    else:
        decision.append(_say(flow, "no_measure"))
    if o.restricts:
        decision.append(_say(flow, "authoriser", who=capitalise(o.measures[-1].decided_by.text)))
        decision.append(_say(flow, "checklist_ready" if o.authorisation_ready else "checklist_not_ready"))
    elif o.measures:
        decision.append(_say(flow, "decided_by", who=capitalise(o.measures[-1].decided_by.text)))
    if o.restrictions_wait:
        decision.append(_say(flow, "waits"))

    after: list[str] = []
    if o.police_route and any(a.id == c.POLICE for a in o.immediate):
        after.append(_say(flow, "police", route=o.police_route.text))
    if o.warning_letter:
        after.append(_say(flow, "warning_letter"))
    if o.strategy_notice:
        after.append(_say(flow, "notice"))
    if o.review_date:
        after.append(_say(flow, "review", date=long_date(o.review_date)))
    return _frame(flow, o, Section(_say(flow, "assessment_title"), items=tuple(assessment)), decision, after)


def case_summary_sections(outcome: CaseOutcome, flow: Flow) -> tuple[Section, ...]:
    o = outcome
    contact = [_say(flow, "contact", journey=o.journey.label)]
    if o.detail:
        contact.append(_say(flow, "detail", detail=o.detail.label))
    if o.in_place:
        decided = long_date(o.decided) or _say(flow, "date_unknown")
        by = _say(flow, "in_place_by", who=o.decided_by) if o.decided_by else ""
        contact.append(_say(flow, "in_place", in_place=o.in_place.label, date=decided, by=by))
    if o.review_due:
        contact.append(_say(flow, "overdue" if o.overdue else "review_due", date=long_date(o.review_due)))
    if o.safety:
        contact.append(_say(flow, "safety_items", items="; ".join(x.label.lower() for x in o.safety)))

    decision: list[str] = []
    if o.review_outcome is not None:
        decision.append(_say(flow, "review_decision", decision=o.review_outcome.label))
        if o.decider:
            decision.append(_say(flow, "decided_by", who=capitalise(o.decider.text)))
    elif o.journey.id == c.DISPUTE and o.dispute:
        decision.append(_say(flow, "dispute_route", route=o.dispute.text))
    else:
        decision.append(_say(flow, "handled", journey=o.journey.label.lower()))
    after = [_say(flow, "next_review", date=long_date(o.next_review))] if o.next_review else []
    if o.review_outcome is not None and o.review_outcome.id == c.LIFT:
        after.append(_say(flow, "lifted"))
    return _frame(flow, o, Section(_say(flow, "contact_title"), items=tuple(contact)), decision, after)


def _frame(flow: Flow, o: Outcome | CaseOutcome, body: Section, decision: list[str], after: list[str]) -> tuple[Section, ...]:
    """Every short note's sections: the case, the account, what was found (`body`), the decision,
    what happens next (or that nothing does), the office's clauses, and what made the note."""
    return (
        Section(_say(flow, "case_title"), items=tuple(_header(flow, o))),
        Section(_say(flow, "account_title"), verbatim=o.account or _say(flow, "account_empty")),
        body,
        Section(_say(flow, "decision_title"), items=tuple(decision)),
        Section(_say(flow, "next_title"), items=tuple(after) or (_say(flow, "nothing_next"),)),
        Section(_say(flow, "policy_title"), items=tuple(policy_line(flow, o.office, o.citations))),
        Section(_say(flow, "made_title"), items=(_say(flow, "made", version=o.flow_version),)),
    )
