"""The journeys that are not a behaviour to deal with: a review, a dispute, an information
request, someone writing for the person, or something new. Pure functions from a complete walk to
a `CaseOutcome`: what is in place, how this contact is handled, what happens next. None of them
is a breach, and none of them leads to a sanction.
"""

from __future__ import annotations

import datetime as dt

from . import contract as c
from .model import CaseOutcome, Flow, Item, Profile
from .rules import Answers, add_months, at_risk, at_risk_actions, chosen, handling_for, parse_date, police_action, safety_items, sort_citations

IN_PLACE_QUESTION = {c.REVIEW: c.REVIEWED, c.DISPUTE: c.DISPUTED}


def case_actions(flow: Flow, profile: Profile, answers: Answers) -> tuple[Item, ...]:
    """Safety first, whatever the journey: a person at risk, and threats to staff."""
    out = []
    if at_risk(answers):
        out += at_risk_actions(flow)
    police = police_action(flow, profile, answers)
    if police:
        out.append(police)
    if safety_items(flow, answers):
        out.append(flow.actions[c.WELFARE])
    return tuple(out)


def decide_case(flow: Flow, profile: Profile, answers: Answers, today: dt.date | None = None) -> CaseOutcome:
    journey_id = answers[c.JOURNEY]
    details = answers.get(c.DETAILS, {})
    decision_date = parse_date(details[c.DATE]) if details.get(c.DATE) else (today or dt.date.today())
    arrangement = answers.get(c.ARRANGEMENT_DETAILS, {})
    in_place_node = IN_PLACE_QUESTION.get(journey_id, c.ARRANGEMENT)
    in_place = flow.nodes[in_place_node].option(answers[in_place_node]) if in_place_node in answers else None
    own = c.JOURNEY_QUESTION.get(journey_id)
    detail = flow.nodes[own].option(answers[own]) if own in answers else None
    handling = handling_for(flow, answers)

    review_due = arrangement.get(c.REVIEW_DUE) or None
    overdue = bool(review_due) and parse_date(review_due) < decision_date
    since = tuple(flow.nodes[c.REVIEW_SINCE].option(v) for v in chosen(answers, c.REVIEW_SINCE))
    review_outcome = flow.nodes[c.REVIEW_OUTCOME].option(answers[c.REVIEW_OUTCOME]) if c.REVIEW_OUTCOME in answers else None
    months = profile.review_months or flow.review_fallback.months
    next_review = (add_months(decision_date, months).isoformat()
                   if review_outcome is not None and review_outcome.id != c.LIFT else None)
    role = "restriction" if in_place is not None and in_place.id == c.STRATEGY_IN_PLACE else "warning"
    decider = profile.authorisers[role] if journey_id == c.REVIEW else None
    dispute = profile.dispute if journey_id in (c.DISPUTE, c.REVIEW) else None

    safety = tuple(flow.nodes[c.SAFETY].option(s) for s in chosen(answers, c.SAFETY)
                   if not flow.nodes[c.SAFETY].option(s).exclusive)
    immediate = case_actions(flow, profile, answers)
    journey = flow.nodes[c.JOURNEY].option(journey_id)
    cites = [
        *journey.cite, *(in_place.cite if in_place else ()), *(detail.cite if detail else ()),
        *(ref for o in since for ref in o.cite), *(review_outcome.cite if review_outcome else ()),
        *(ref for i in handling for ref in i.cite), *(ref for i in immediate for ref in i.cite),
        *(ref for o in safety for ref in o.cite), *(dispute.cite if dispute else ()),
        *(decider.cite if decider else ()), *profile.person.cite,
        *((profile.review.cite if profile.review_months else flow.review_fallback.cite) if next_review else ()),
    ]
    return CaseOutcome(
        office=profile,
        flow_version=flow.version,
        content_hash=flow.content_hash,
        journey=journey,
        decision_date=decision_date.isoformat(),
        reference=details.get(c.REFERENCE, ""),
        account=details.get(c.ACCOUNT, ""),
        safety=safety,
        immediate=immediate,
        in_place=in_place,
        decided=arrangement.get(c.DECIDED) or None,
        decided_by=arrangement.get(c.DECIDED_BY, ""),
        terms=arrangement.get(c.TERMS, ""),
        review_due=review_due,
        overdue=overdue,
        detail=detail,
        review_since=since,
        review_outcome=review_outcome,
        next_review=next_review,
        next_review_months=months,
        handling=handling,
        dispute=dispute,
        decider=decider,
        citations=sort_citations(set(cites)),
    )
