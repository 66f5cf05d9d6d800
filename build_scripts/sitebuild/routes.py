"""Routes in words, for every page that shows the flow: the reference, the map and its words.

The routes themselves come from `decision_aid.graph` (the model the loader checks); this only
says them. Condition names are those of `decision_aid.rules.CONDITIONS`; a condition without
words fails the build.
"""

from __future__ import annotations

from decision_aid.graph import RESULT, Route, routes
from decision_aid.model import Flow, Node
from decision_aid.rules import CONDITIONS

from . import BuildError
from .markup import md

CONDITION_WORDS = {
    "nothing_unacceptable": "nothing the person did is unacceptable (“None of these” at the behaviour question, and nothing under safety)",
    "needs_authorisation": "a proposed measure restricts contact (a contact strategy, or a step after a breach), so it needs authorising",
    "journey_breach": "the contact is behaviour that breaks a warning or a contact strategy already in place",
    "journey_review": "the contact is a review of a warning or a contact strategy",
    "journey_information_request": "the contact is a request for information",
    "journey_representative": "someone is writing on the person's behalf",
}
CONDITION_SHORT = {"nothing_unacceptable": "nothing unacceptable", "needs_authorisation": "a restriction proposed",
                   "journey_breach": "a breach", "journey_review": "a review",
                   "journey_information_request": "an information request", "journey_representative": "a representative"}
RESULT_TITLE = "Recommendation, record note and letters"

if set(CONDITION_WORDS) != set(CONDITIONS) or set(CONDITION_SHORT) != set(CONDITIONS):
    raise BuildError(f"build: say every condition of decision_aid.rules.CONDITIONS in words ({', '.join(CONDITIONS)})")


def numbered(flow: Flow) -> dict[str, int]:
    return {nid: n for n, nid in enumerate(flow.nodes, 1)}


def node_title(flow: Flow, nid: str) -> str:
    return RESULT_TITLE if nid == RESULT else f"{numbered(flow)[nid]}. {flow.nodes[nid].question}"


def phrase(node: Node, route: Route, ways: int, where: str) -> str:
    """One route as a clause: 'if “None of these” is chosen on its own, go to WHERE'."""
    if route.kind == "option":
        alone = " on its own" if node.kind == "multi" else ""
        return f"if “{md(node.option(route.option).label)}” is chosen{alone}, go to {where}"
    if route.kind == "when":
        return f"if {md(CONDITION_WORDS[route.condition])}, go to {where}"
    return f"{'otherwise' if ways > 1 else 'next'}, go to {where}"


def label(node: Node, route: Route, ways: int) -> str:
    """One route as the short label on the map's arrow."""
    if route.kind == "option":
        return f"“{node.option(route.option).label}”"
    if route.kind == "when":
        return CONDITION_SHORT[route.condition]
    return "otherwise" if ways > 1 else ""


def phrases(node: Node, where) -> list[str]:
    """Every route of a question as clauses, `where(target)` naming each destination."""
    ways = routes(node)
    return [phrase(node, r, len(ways), where(r.target)) for r in ways]
