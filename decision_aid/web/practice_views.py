"""The HTML of practice mode: the scenario's brief, and the trainee's answers beside the model
answer. The comparison itself is `decision_aid.practice.compare`; this only renders it, every
string from the trainee or the content escaped.
"""

from __future__ import annotations

from ..model import Flow
from ..practice import Difference, Feedback, Scenario
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


SAME = "Same as the model answer"
DIFFERENT = "Different from the model answer"
# Same and different differ in words, in a mark read out with them, and in layout (a difference
# is shown in full, a match in one line with its reason folded), never by colour alone.
MARKS = {True: ("\u2713", SAME, "match"), False: ("\u2717", DIFFERENT, "differs")}


def render_comparison(flow: Flow, scenario: Scenario, fb: Feedback, links: Links) -> str:
    """The trainee's answers beside the model answer: the decisions first, then the questions both
    walks asked, with those only one walk asked grouped where the walks parted. Every string from
    the trainee or the content is escaped."""
    decisions_differ = [d for d in fb.decisions if not d.match]
    questions_differ = [d for d in fb.questions if not d.match]
    parted = next((d for d in fb.questions if d.key == fb.parted_at), None)
    parts = [
        f'<section class="aid-practice" aria-labelledby="practice-compare-heading" data-scenario="{esc(scenario.id)}">',
        '<h2 id="practice-compare-heading">Your answers and the model answer</h2>',
        f'<p>Scenario: <strong>{esc(scenario.title)}</strong>.</p>',
    ]
    if decisions_differ:
        parts.append(f'<p class="aid-practice__headline">Your decisions differ from the model answer on '
                     f'{len(decisions_differ)} of {len(fb.decisions)}:</p>' + _jump_list(decisions_differ))
    else:
        parts.append(f'<p class="aid-practice__headline">Your decisions match the model answer: all {len(fb.decisions)} of them.</p>')
    answered = (f"{len(questions_differ)} of the {len(fb.questions)} questions you both answered "
                f"{'differs' if len(questions_differ) == 1 else 'differ'}"
                if questions_differ else f"All {len(fb.questions)} questions you both answered match")
    parts.append(f"<p>{answered}{':' if questions_differ else '.'}</p>")
    if questions_differ:
        parts.append(_jump_list(questions_differ))
    if parted is not None:
        parts.append(f'<p>After your answer to <a href="#{esc(parted.anchor)}">{esc(parted.question)}</a> your walk and the model '
                     "answer asked different questions; they are grouped under that answer, not counted one by one.</p>")
    parts.append("<p>Nothing you entered has been recorded or sent anywhere.</p>")

    parts.append('<h3>The decisions</h3><ol class="aid-practice__list">')
    parts += [_item(d, links, full=not d.match) for d in fb.decisions]
    parts.append('</ol><h3>Question by question</h3><ol class="aid-practice__list">')
    for d in fb.questions:
        parts.append(_item(d, links, full=not d.match or d is parted))
        if d is parted:
            parts.append(_parted(fb, d))
    if parted is None and (fb.only_yours or fb.only_model):
        parts.append(_parted(fb, None))
    parts.append("</ol></section>")
    return "".join(parts)


def _jump_list(differences: list[Difference]) -> str:
    return '<ul class="aid-practice__summary">' + "".join(
        f'<li><a href="#{esc(d.anchor)}">{esc(d.question)}</a></li>' for d in differences) + "</ul>"


def _item(d: Difference, links: Links, full: bool = True) -> str:
    mark, status, modifier = MARKS[d.match]
    if not d.answered:
        status = "You did not reach this"
    page = f'Read more: <a href="{esc(links.page(d.page))}">handbook: {esc(d.stage.lower())}</a>. ' if d.page else ""
    sources = f"Sources: {links.cites(d.cite)}" if d.cite else ""
    head = (f'<li id="{esc(d.anchor)}" class="aid-practice__item aid-practice__item--{modifier}">'
            f'<h4 class="aid-practice__question">{esc(d.question)}</h4>'
            f'<p class="aid-practice__status aid-practice__status--{modifier}"><span class="aid-practice__mark" aria-hidden="true">{mark}</span> {esc(status)}</p>')
    if not full:  # a match: one line, the reason folded away
        why = (f'<details class="aid-practice__more"><summary>Why</summary><p class="aid-practice__why">{esc(d.why)}</p>'
               f'<p class="aid-sources">{page}{sources}</p></details>') if d.why or page or sources else ""
        return f'{head}<p class="aid-practice__both">Both: {_answer_inline(d.model)}</p>{why}</li>'
    empty_mine = "Not answered" if d.kind == "question" else "Not reached: your walk is not complete"
    why = f'<p class="aid-practice__why"><strong>Why:</strong> {esc(d.why)}</p>' if d.why else ""
    return (f'{head}<dl class="aid-practice__pair">'
            f'<dt>Your answer</dt><dd>{_answer_list(d.trainee, empty_mine)}</dd>'
            f'<dt>Model answer</dt><dd>{_answer_list(d.model, "The model answer does not reach this question")}</dd>'
            f'</dl>{why}<p class="aid-sources">{page}{sources}</p></li>')


def _parted(fb: Feedback, at: Difference | None) -> str:
    """The questions only one walk asked, together, under the answer where the walks parted."""
    if at is not None:
        lead = (f"Your answer to \u201c{esc(at.question)}\u201d took your walk to different questions from the model answer\u2019s. "
                "Go back to that answer first; the questions below follow from it.")
        heading = "Where the walks parted"
    else:
        lead = "Your walk stopped before the end, so these questions of the model answer were not reached."
        heading = "Not reached"
    parts = [f'<li id="practice-parted" class="aid-practice__item aid-practice__item--parted"><h4>{heading}</h4><p>{lead}</p>']
    if fb.only_yours:
        parts.append("<h5>Only your walk asked</h5><ul>" + "".join(
            f"<li>{esc(d.question)} <span class=\"aid-practice__answer\">Your answer: {_answer_inline(d.trainee)}</span></li>"
            for d in fb.only_yours) + "</ul>")
    if fb.only_model:
        parts.append("<h5>Only the model answer asked</h5><ul>" + "".join(
            f"<li>{esc(d.question)} <span class=\"aid-practice__answer\">Model answer: {_answer_inline(d.model)}</span>"
            + (f' <span class="aid-practice__why">{esc(d.why)}</span>' if d.why else "") + "</li>"
            for d in fb.only_model) + "</ul>")
    if not (fb.only_yours or fb.only_model):
        parts.append("<p>Your walk has not reached the questions that follow yet.</p>")
    return "".join(parts) + "</li>"


def _answer_inline(labels: tuple[str, ...]) -> str:
    return esc("; ".join(labels)) if labels else "no answer"


def scenarios_index_html(scenarios: dict[str, Scenario] | list[Scenario], links: Links, aid_page: str = "aid/") -> str:
    """A list of the scenarios, each linking to the aid in practice mode (`?practice=<id>`)."""
    items = scenarios.values() if isinstance(scenarios, dict) else scenarios
    rows = "".join(
        f'<li><a href="{esc(links.page(aid_page))}?practice={esc(s.id)}">{esc(s.title)}</a></li>' for s in items
    )
    return f'<ul class="aid-practice-index">{rows}</ul>'
