"""The HTML of practice mode: the scenario's brief, and the trainee's answers beside the model
answer. The comparison itself is `decision_aid.practice.compare`; this only renders it, every
string from the trainee or the content escaped.
"""

from __future__ import annotations

from ..model import Flow
from ..practice import Difference, Scenario
from .views import Links, esc


def with_brief(flow: Flow, scenario: Scenario, links: Links, html: str, opened: bool) -> str:
    """A view with the scenario's story folded above it (open until the trainee starts)."""
    brief = render_brief(flow, scenario, links)
    return (f'<details class="aid-practice"{" open" if opened else ""}><summary>Practice scenario: '
            f'{esc(scenario.title)}</summary>{brief}</details>{html}')


def render_brief(flow: Flow, scenario: Scenario, links: Links) -> str:
    """The scenario as the trainee first sees it: title, story, and what to read first."""
    paragraphs = "".join(f"<p>{esc(p)}</p>" for p in scenario.paragraphs)
    return (
        f'<section class="aid-practice-brief" aria-labelledby="practice-brief-heading" data-scenario="{esc(scenario.id)}">'
        f'<h2 id="practice-brief-heading">Practice scenario: {esc(scenario.title)}</h2>'
        f'<div class="aid-practice-brief__story">{paragraphs}</div>'
        f'<p class="aid-hint">Work through the aid as you would for a real case; at the end you will see your answers beside the model answer. '
        f'Nothing you enter is recorded or sent anywhere. Before you start, read <a href="{esc(links.page(scenario.read_after))}">'
        f'{esc(_page_name(flow, scenario.read_after))}</a>.</p></section>'
    )


def _page_name(flow: Flow, page: str) -> str:
    stages = [s.label for s in flow.stages.values() if s.page == page]
    return f"the handbook: {stages[0].lower()}" if stages else "the handbook page"


def _answer_list(labels: tuple[str, ...], empty: str) -> str:
    if not labels:
        return f'<span class="aid-practice__none">{esc(empty)}</span>'
    if len(labels) == 1:
        return esc(labels[0])
    return '<ul class="aid-practice__answers">' + "".join(f"<li>{esc(t)}</li>" for t in labels) + "</ul>"


def render_comparison(flow: Flow, scenario: Scenario, differences: list[Difference], links: Links) -> str:
    """Your answers and the model answer, point by point, each with its reason, handbook page and
    source clauses. Every string from the trainee or the content is escaped."""
    differing = [d for d in differences if not d.match]
    total = len(differences)
    parts = [
        f'<section class="aid-practice" aria-labelledby="practice-compare-heading" data-scenario="{esc(scenario.id)}">',
        '<h2 id="practice-compare-heading">Your answers and the model answer</h2>',
        f'<p>Scenario: <strong>{esc(scenario.title)}</strong>. ',
    ]
    if differing:
        parts.append(f"You differ from the model answer on {len(differing)} of {total} points. Each one is explained below.</p>")
        parts.append('<ul class="aid-practice__summary">' + "".join(
            f'<li><a href="#{esc(d.anchor)}">{esc(d.question)}</a></li>' for d in differing) + "</ul>")
    else:
        parts.append(f"All {total} points match the model answer. The reasons are below.</p>")
    parts.append("<p>Nothing you entered has been recorded or sent anywhere.</p>")
    parts.append('<ol class="aid-practice__list">')
    for d in differences:
        status = "Same as the model answer" if d.match else ("Different from the model answer" if d.answered else "You did not reach this")
        modifier = "match" if d.match else "differs"
        empty_mine = "Not answered" if d.kind == "question" else "Not reached: your walk is not complete"
        page = f'Read more: <a href="{esc(links.page(d.page))}">handbook: {esc(d.stage.lower())}</a>. ' if d.page else ""
        sources = f"Sources: {links.cites(d.cite)}" if d.cite else ""
        why = f'<p class="aid-practice__why"><strong>Why:</strong> {esc(d.why)}</p>' if d.why else ""
        parts.append(
            f'<li id="{esc(d.anchor)}" class="aid-practice__item aid-practice__item--{modifier}">'
            f'<h3 class="aid-practice__question">{esc(d.question)}</h3>'
            f'<p class="aid-practice__status aid-practice__status--{modifier}">{esc(status)}</p>'
            '<dl class="aid-practice__pair">'
            f'<dt>Your answer</dt><dd>{_answer_list(d.trainee, empty_mine)}</dd>'
            f'<dt>Model answer</dt><dd>{_answer_list(d.model, "The model answer does not reach this question")}</dd>'
            f"</dl>{why}"
            f'<p class="aid-sources">{page}{sources}</p></li>'
        )
    parts.append("</ol></section>")
    return "".join(parts)


def scenarios_index_html(scenarios: dict[str, Scenario] | list[Scenario], links: Links, aid_page: str = "aid/") -> str:
    """A list of the scenarios, each linking to the aid in practice mode (`?practice=<id>`)."""
    items = scenarios.values() if isinstance(scenarios, dict) else scenarios
    rows = "".join(
        f'<li><a href="{esc(links.page(aid_page))}?practice={esc(s.id)}">{esc(s.title)}</a></li>' for s in items
    )
    return f'<ul class="aid-practice-index">{rows}</ul>'
