"""Each guidance page says where the decision aid uses it: the questions whose own page or whose
stage's page it is (and, on a measure tier's page, the measures question), each linked to its entry on
the all-questions page, with a link to start the aid. Derived from the flow, so it cannot drift
from the questions the aid asks.
"""

from __future__ import annotations

from decision_aid import contract as c
from decision_aid.model import Flow

from .markup import md, page_md
from .routes import numbered


def questions_using(flow: Flow, page: str) -> list[str]:
    """The aid's questions behind a handbook page (`causes/`), in the flow's order."""
    nodes = [nid for nid, node in flow.nodes.items() if page in (flow.page_of(nid), flow.stages[node.stage].page)]
    if c.MEASURES not in nodes and any(t.page == page for t in flow.tiers.values()):
        nodes.append(c.MEASURES)
    return nodes


def pages_by_source(flow: Flow) -> dict[str, str]:
    """Markdown source (`causes.md`) -> the flow's name for the page (`causes/`)."""
    return {page_md(p): p for p in flow.pages}


HEADING = "In the decision aid"
ANCHOR = "in-the-decision-aid"


def aid_note(flow: Flow, page: str, aid_href: str, reference_href: str) -> str:
    """A closing Markdown section for a guidance page; "" when the aid does not use the page.
    Last on the page, so it never pushes the page's own urgent advice down."""
    nodes = questions_using(flow, page)
    if not nodes:
        return ""
    number = numbered(flow)
    items = "\n".join(f"- [{number[nid]}. {md(flow.nodes[nid].question)}]({reference_href}#node-{nid})" for nid in nodes)
    which = "this question" if len(nodes) == 1 else "these questions"
    return (f"## {HEADING} {{ #{ANCHOR} }}\n\n"
            f"This page is the guidance behind {which} of the [decision aid]({aid_href}):\n\n{items}\n\n"
            "Each link opens the question on the all-questions page, with where each answer leads and the "
            f"clauses behind it. [Start the decision aid]({aid_href}).\n")


def with_aid_note(markdown: str, note: str) -> str:
    return f"{markdown.rstrip()}\n\n{note}" if note else markdown
