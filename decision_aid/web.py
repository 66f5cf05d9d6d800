"""The browser front end's Python half: one session in memory, one renderer of escaped HTML.

JavaScript (docs/aid/aid.js) sends JSON requests and swaps in the HTML this returns; it holds
no decision logic. The contract is in PROTOCOL.md beside this file. Everything a user typed is
escaped with `html.escape` at the single point where it meets markup (`esc`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import traceback
from dataclasses import dataclass, field
from html import escape
from typing import Any

from .content import Register, clause_anchor, load_flow, load_profiles, load_register
from .engine import AnswerError, Walk, answer, outcome, validate, walk, would_discard
from .model import Flow, Node, Option, Outcome, Profile
from .note import documents, as_text
from .rules import options_for


def esc(text: Any) -> str:
    return escape(str(text), quote=True)


def _id(*parts: str) -> str:
    return "-".join(re.sub(r"[^a-zA-Z0-9_-]", "_", p) for p in parts)


@dataclass(frozen=True)
class Links:
    """Relative links from the aid page to the handbook, so the site works under any base path."""

    base: str = "../"

    def page(self, path: str) -> str:
        return f"{self.base}{path}"

    def source(self, ref: str) -> str:
        return f"{self.base}sources/#{clause_anchor(ref)}"

    def cites(self, refs: tuple[str, ...] | list[str]) -> str:
        return "; ".join(f'<a href="{esc(self.source(r))}">{esc(r)}</a>' for r in refs)


# --- rendering: steps ---------------------------------------------------------------------------


def _error_summary(errors: list[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="#{esc(target)}">{esc(message)}</a></li>' for target, message in errors)
    return (
        '<div id="aid-error-summary" class="aid-error-summary" role="alert" tabindex="-1" aria-labelledby="aid-error-title">'
        f'<h2 id="aid-error-title" class="aid-error-summary__title">There is a problem</h2><ul class="aid-error-summary__list">{items}</ul></div>'
    )


def _sources(flow: Flow, node: Node, links: Links) -> str:
    page = flow.handbook.get(node.stage)
    guide = f'Read more: <a href="{esc(links.page(page))}">handbook: {esc(node.stage.lower())}</a>. ' if page else ""
    return f'<p class="aid-sources">{guide}Sources: {links.cites(node.cite)}</p>'


def _choice(node: Node, option: Option, checked: bool, kind: str, links: Links) -> str:
    input_id = _id(node.id, option.id)
    hint_id = f"{input_id}-hint"
    described = f' aria-describedby="{hint_id}"' if option.hint else ""
    exclusive = ' data-exclusive="true"' if option.exclusive else ""
    hint = f'<div id="{hint_id}" class="aid-hint aid-choice__hint">{esc(option.hint)}</div>' if option.hint else ""
    divider = '<div class="aid-choice__divider">or</div>' if option.exclusive and kind == "checkbox" else ""
    return (
        f'{divider}<div class="aid-choice">'
        f'<input class="aid-choice__input" type="{kind}" id="{input_id}" name="answer" value="{esc(option.id)}"'
        f'{" checked" if checked else ""}{described}{exclusive}>'
        f'<label class="aid-choice__label" for="{input_id}">{esc(option.label)}</label>{hint}</div>'
    )


def render_step(flow: Flow, profile: Profile, answers: dict, node_id: str, links: Links, *,
                number: int, value: Any = None, error: AnswerError | None = None,
                mode: str = "normal", can_go_back: bool = True) -> str:
    """One question, GOV.UK style: a fieldset whose legend is the page heading."""
    node = flow.nodes[node_id]
    hint_id, error_id = f"{node_id}-hint", f"{node_id}-error"
    describedby = " ".join(x for x in (hint_id if node.hint else "", error_id if error else "") if x)
    parts = [f'<form class="aid-form" data-node="{esc(node_id)}" data-mode="{esc(mode)}" novalidate>']
    if error:
        target = _id("details", error.field) if error.field else _first_input(flow, profile, answers, node)
        parts.append(_error_summary([(target, error.message)]))
    parts.append(f'<div class="aid-group{" aid-group--error" if error else ""}">')
    aria = f' aria-describedby="{describedby}"' if describedby else ""
    parts.append(f'<fieldset class="aid-fieldset"{aria}>')
    parts.append(
        f'<legend class="aid-legend"><span class="aid-caption">Step {number}: {esc(node.stage)}</span>'
        f'<h1 id="aid-heading" class="aid-heading" tabindex="-1">{esc(node.question)}</h1></legend>'
    )
    if node.hint:
        parts.append(f'<div id="{hint_id}" class="aid-hint">{esc(node.hint)}</div>')
    if error and not error.field:
        parts.append(f'<p id="{error_id}" class="aid-error-message"><span class="visually-hidden">Error:</span> {esc(error.message)}</p>')
    if node.kind == "details":
        parts.append(_details_fields(node, value or {}, error))
    else:
        kind = "radio" if node.kind == "single" else "checkbox"
        chosen = [value] if isinstance(value, str) else list(value or [])
        options = options_for(flow, profile, answers, node_id)
        parts.append(f'<div class="aid-choices aid-choices--{kind}">')
        if node.options_from == "measures" or any(o.family for o in options):
            parts.append(_grouped(flow, node, options, chosen, links))
        else:
            parts.extend(_choice(node, o, o.id in chosen, kind, links) for o in options)
        parts.append("</div>")
    parts.append("</fieldset></div>")
    parts.append(_sources(flow, node, links))
    back = '<button type="button" class="aid-button aid-button--secondary" data-action="back">Back</button>' if can_go_back else ""
    label = "Save and return to your answers" if mode == "change" else "Continue"
    parts.append(f'<div class="aid-actions"><button type="submit" class="aid-button">{label}</button>{back}</div>')
    parts.append("</form>")
    return "".join(parts)


def _first_input(flow: Flow, profile: Profile, answers: dict, node: Node) -> str:
    if node.kind == "details":
        return _id("details", node.fields[0].id)
    options = options_for(flow, profile, answers, node.id)
    return _id(node.id, options[0].id) if options else "aid-heading"


def _grouped(flow: Flow, node: Node, options: tuple[Option, ...], chosen: list[str], links: Links) -> str:
    """Long lists in groups: behaviours under their family, measures under their tier (least
    restrictive first), each group titled and linked to its handbook page. Ungrouped options
    (such as "None of these") follow on their own."""
    out, current = [], None
    for option in options:
        group = _group_of(flow, option)
        if group != current and current is not None:
            out.append("</div>")
        if group and group != current:
            title, page = group
            out.append(f'<div class="aid-group-of-choices"><p class="aid-group-of-choices__title">{esc(title)}'
                       f' <a class="aid-group-of-choices__link" href="{esc(links.page(page))}">(handbook)</a></p>')
        current = group
        plain = Option(option.id, option.label, option.cite, hint=option.hint if not group or node.options_from != "measures" else "", exclusive=option.exclusive)
        out.append(_choice(node, plain, option.id in chosen, "checkbox", links))
    if current is not None:
        out.append("</div>")
    return "".join(out)


def _group_of(flow: Flow, option: Option) -> tuple[str, str] | None:
    if option.family:
        return flow.families[option.family].label, flow.handbook["The behaviour"]
    measure = flow.measures.get(option.id)
    if measure:
        tier = flow.tiers[measure.tier]
        return tier.label, flow.handbook.get(tier.id, "")
    return None


def _details_fields(node: Node, values: dict, error: AnswerError | None) -> str:
    out = []
    for f in node.fields:
        fid = _id("details", f.id)
        hint_id, err_id = f"{fid}-hint", f"{fid}-error"
        has_error = error is not None and error.field == f.id
        described = " ".join(x for x in (hint_id if f.hint else "", err_id if has_error else "") if x)
        aria = f' aria-describedby="{described}"' if described else ""
        invalid = ' aria-invalid="true"' if has_error else ""
        required = "" if f.required else " (optional)"
        value = esc(values.get(f.id, ""))
        out.append(f'<div class="aid-field{" aid-field--error" if has_error else ""}">')
        out.append(f'<label class="aid-label" for="{fid}">{esc(f.label)}{required}</label>')
        if f.hint:
            out.append(f'<div id="{hint_id}" class="aid-hint">{esc(f.hint)}</div>')
        if has_error:
            out.append(f'<p id="{err_id}" class="aid-error-message"><span class="visually-hidden">Error:</span> {esc(error.message)}</p>')
        if f.kind == "textarea":
            out.append(f'<textarea class="aid-textarea" id="{fid}" name="{esc(f.id)}" rows="6" maxlength="{f.max_length}"{aria}{invalid}>{value}</textarea>')
        else:
            # A date is typed as text with an example (GOV.UK pattern): the browser's own date
            # picker shows the format of the browser's locale, which may not be the one we ask for.
            extra = ' autocomplete="off" spellcheck="false"' if f.kind == "date" else ""
            out.append(f'<input class="aid-input aid-input--{f.kind}" type="text" id="{fid}" name="{esc(f.id)}" value="{value}" maxlength="{f.max_length}"{extra}{aria}{invalid}>')
        out.append("</div>")
    return "".join(out)


# --- rendering: summary, confirm, result ------------------------------------------------------------


def answer_text(flow: Flow, profile: Profile, answers: dict, node_id: str) -> list[str]:
    """The labels of an answer, as plain strings (escaped by the caller)."""
    node = flow.nodes[node_id]
    value = answers[node_id]
    if node.kind == "details":
        return [f"{f.label}: {value.get(f.id) or ('today' if f.kind == 'date' else 'not given')}" for f in node.fields]
    labels = {o.id: o.label for o in options_for(flow, profile, answers, node_id)}
    labels.update({i: item.text for i, item in flow.checklist.items()})
    picked = [value] if isinstance(value, str) else value
    return [labels.get(v, v) for v in picked]


def render_summary(flow: Flow, profile: Profile, state: Walk) -> str:
    rows = []
    for node_id in state.path:
        node = flow.nodes[node_id]
        texts = answer_text(flow, profile, state.answers, node_id)
        shown = esc(texts[0]) if len(texts) == 1 else "<ul>" + "".join(f"<li>{esc(t)}</li>" for t in texts) + "</ul>"
        rows.append(
            f'<div class="aid-summary__row"><dt class="aid-summary__key">{esc(node.question)}</dt>'
            f'<dd class="aid-summary__value">{shown}</dd>'
            f'<dd class="aid-summary__actions"><button type="button" class="aid-link" data-action="change" data-node="{esc(node_id)}">'
            f'Change<span class="visually-hidden"> your answer to: {esc(node.question)}</span></button></dd></div>'
        )
    return (
        '<div class="aid-summary-page"><h1 id="aid-heading" class="aid-heading" tabindex="-1">Check your answers</h1>'
        f'<p>Office: {esc(profile.name)}. Change any answer before you see the recommendation.</p>'
        f'<dl class="aid-summary">{"".join(rows)}</dl>'
        '<div class="aid-actions"><button type="button" class="aid-button" data-action="result">See the recommendation</button>'
        '<button type="button" class="aid-button aid-button--secondary" data-action="restart">Start again</button></div></div>'
    )


def render_confirm(flow: Flow, node_id: str, discarded: tuple[str, ...]) -> str:
    items = "".join(f"<li>{esc(flow.nodes[n].question)}</li>" for n in discarded if n in flow.nodes)
    return (
        '<div class="aid-confirm"><h1 id="aid-heading" class="aid-heading" tabindex="-1">This change clears some later answers</h1>'
        f'<p>Changing your answer to “{esc(flow.nodes[node_id].question)}” means these answers no longer apply and will be cleared:</p>'
        f'<ul class="aid-list">{items}</ul>'
        '<div class="aid-actions"><button type="button" class="aid-button aid-button--warning" data-action="confirm">Change it and clear those answers</button>'
        '<button type="button" class="aid-button aid-button--secondary" data-action="cancel">Keep my earlier answer</button></div></div>'
    )


def _document_block(doc_id: str, title: str, filename: str, text: str) -> str:
    heading_id = f"{doc_id}-heading"
    return (
        f'<section class="aid-document" aria-labelledby="{heading_id}">'
        f'<h2 id="{heading_id}">{esc(title)}</h2>'
        '<div class="aid-document__actions">'
        f'<button type="button" class="aid-button" data-action="copy" data-target="{doc_id}">Copy {esc(title[0].lower() + title[1:])}</button>'
        f'<button type="button" class="aid-button aid-button--secondary" data-action="download" data-target="{doc_id}" data-filename="{esc(filename)}">Download as .txt</button>'
        f'<button type="button" class="aid-button aid-button--secondary" data-action="print" data-target="{doc_id}">Print</button>'
        '</div>'
        f'<div class="aid-document__region" role="region" aria-label="{esc(title)}">'
        f'<pre id="{doc_id}" class="aid-document__text" tabindex="0">{esc(text)}</pre></div></section>'
    )


DOCUMENT_IDS = {
    "Record note: managing contact": ("doc-note", "Record note", "record-note"),
    "Draft warning letter": ("doc-warning-letter", "Draft warning letter", "warning-letter"),
    "Draft contact strategy notice": ("doc-strategy-notice", "Draft contact strategy notice", "contact-strategy-notice"),
}


def result_documents(result: Outcome, register: Register) -> list[dict[str, str]]:
    ref = re.sub(r"[^A-Za-z0-9_-]+", "-", result.reference).strip("-")[:40]
    out = []
    for doc in documents(result, register):
        doc_id, title, stem = DOCUMENT_IDS[doc.title]
        filename = f"{stem}-{ref or 'no-reference'}-{result.decision_date}.txt"
        out.append({"id": doc_id, "title": title, "filename": filename, "text": as_text(doc)})
    return out


def render_result(flow: Flow, result: Outcome, docs: list[dict[str, str]], links: Links) -> str:
    o = result
    parts = ['<div class="aid-result"><h1 id="aid-heading" class="aid-heading" tabindex="-1">Recommendation</h1>']
    if o.nothing_unacceptable:
        parts.append('<div class="aid-panel aid-panel--ok"><p class="aid-panel__title">No sanction</p>'
                     '<p>Anger, frustration, or being forceful or determined, is not by itself unacceptable. Keep helping the person as usual.</p></div>')
    if o.restrictions_wait:
        parts.append('<div class="aid-panel aid-panel--warning"><p class="aid-panel__title">Any restriction must wait</p>'
                     + "".join(f"<p>{esc(w)}</p>" for w in o.restrictions_wait) + "</div>")
    parts.append('<h2>Do now</h2><ol class="aid-list">')
    parts.extend(f'<li>{esc(a.text)} <span class="aid-cite">({links.cites(a.cite)})</span></li>' for a in o.immediate)
    if o.police_route:
        parts.append(f'<li>Police route at this office: {esc(o.police_route.text)} <span class="aid-cite">({links.cites(o.police_route.cite)})</span></li>')
    parts.append("</ol>")
    if o.remedies:
        parts.append(f'<h2>Put our own handling right first</h2><p><a href="{esc(links.page(flow.handbook["Underlying causes"]))}">Why this comes first</a></p><ul class="aid-list">')
        parts.extend(f'<li>{esc(c.remedy)} <span class="aid-cite">({links.cites(c.cite)})</span></li>' for c in o.remedies)
        parts.append("</ul>")
    if o.measures:
        parts.append("<h2>Proposed measures</h2><ul class=\"aid-list aid-measures\">")
        for c in o.measures:
            page = flow.handbook.get(c.tier.id, "")
            note = f" {esc(c.note)}" if c.note else ""
            parts.append(
                f'<li><strong>{esc(c.measure.label)}</strong>.{note}<br>Why: {esc(c.measure.reason)}<br>'
                f'Decided by: {esc(c.decided_by.text)} <span class="aid-cite">({links.cites(c.decided_by.cite)})</span><br>'
                f'<a href="{esc(links.page(page))}">Handbook: {esc(c.tier.label.lower())}</a> · Sources: {links.cites(c.measure.cite)}</li>'
            )
        parts.append("</ul>")
    if o.ceiling_reasons and not o.nothing_unacceptable:
        parts.append("<h2>Why this far and no further</h2>" + "".join(f"<p>{esc(r)}</p>" for r in o.ceiling_reasons))
    if o.restricts:
        status = "satisfied" if o.authorisation_ready else "not yet satisfied: the restriction cannot be authorised until every item is met"
        parts.append(f'<h2>Before restricting</h2><p>The authoriser\'s checklist is {esc(status)}. Review by {esc(o.review_date)}. '
                     f'<a href="{esc(links.page("notice/"))}">What the written notice must say</a>.</p>')
    parts.append("<h2>Record and letters</h2><p>Copy the record note into the case file. Nothing here has been saved or sent anywhere.</p>")
    parts.extend(_document_block(d["id"], d["title"], d["filename"], d["text"]) for d in docs)
    parts.append('<div class="aid-actions"><button type="button" class="aid-button aid-button--secondary" data-action="summary">Back to your answers</button>'
                 '<button type="button" class="aid-button aid-button--secondary" data-action="restart">Start again</button></div></div>')
    return "".join(parts)


# --- the session -------------------------------------------------------------------------------------


@dataclass
class Session:
    flow: Flow
    profiles: dict[str, Profile]
    register: Register
    profile: Profile
    links: Links
    today: dt.date | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    shown: str | None = None  # the node on screen; None on summary, confirm and result
    pending: tuple[str, Any] | None = None  # a change awaiting confirmation
    practice: Any = None  # a practice.Scenario while a trainee works through one

    # -- request handling
    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        kind = request.get("type")
        handler = getattr(self, f"on_{kind}", None) if isinstance(kind, str) else None
        if handler is None:
            return self._error_view(f"The aid did not understand the request {kind!r}.")
        return handler(request)

    def on_start(self, request: dict) -> dict:
        scenario_id = request.get("practice")
        if scenario_id is not None:
            from .practice import load_practice  # only practice mode pays for loading scenarios

            scenarios = load_practice(self.flow, self.profiles)
            self.practice = scenarios.get(scenario_id) if isinstance(scenario_id, str) else None
            if self.practice is None:
                return self._error_view(f"There is no practice scenario called {str(scenario_id)[:60]!r}. Choose one from the induction page.")
            self.profile = self.profiles[self.practice.office]
        restored = request.get("answers")
        self.answers = walk(self.flow, self.profile, restored).answers if isinstance(restored, dict) else {}
        return self._next_view()

    def on_restart(self, request: dict) -> dict:
        self.answers, self.pending = {}, None
        view = self._next_view()
        view["announce"] = "Started again. All answers cleared. " + view["announce"]
        return view

    def on_submit(self, request: dict) -> dict:
        node_id = request.get("node")
        state = walk(self.flow, self.profile, self.answers)
        if node_id not in self.flow.nodes or (node_id not in state.path and node_id != state.current):
            return self._next_view()  # a stale form (e.g. from the pre-rendered page): show where we are
        node = self.flow.nodes[node_id]
        values = request.get("values")
        value = form_value(node, values if isinstance(values, dict) else {})
        mode = "change" if request.get("mode") == "change" else "normal"
        prefix = {n: state.answers[n] for n in state.path[: state.path.index(node_id)]} if node_id in state.path else state.answers
        try:
            value = validate(self.flow, self.profile, prefix, node_id, value)
        except AnswerError as error:
            return self._step_view(node_id, value=value, error=error, mode=mode)
        if mode == "change":
            discarded = would_discard(self.flow, self.profile, self.answers, node_id, value)
            if discarded:
                self.pending = (node_id, value)
                self.shown = None
                return self._view("confirm", None, render_confirm(self.flow, node_id, discarded),
                                  "Check before changing", "This change clears some later answers.")
        self._apply(node_id, value)
        return self._next_view(after_change=mode == "change")

    def on_confirm(self, request: dict) -> dict:
        if self.pending:
            node_id, value = self.pending
            self.pending = None
            self._apply(node_id, value)
        return self._next_view(after_change=True)

    def on_cancel(self, request: dict) -> dict:
        self.pending = None
        return self.on_summary(request)

    def on_back(self, request: dict) -> dict:
        state = walk(self.flow, self.profile, self.answers)
        if self.shown is None and state.path:  # from the summary or a result: the last question
            return self._step_view(state.path[-1])
        position = state.path.index(self.shown) if self.shown in state.path else len(state.path)
        if position == 0:
            return self._step_view(self.shown or self.flow.start, can_go_back=False)
        return self._step_view(state.path[position - 1])

    def on_change(self, request: dict) -> dict:
        node_id = request.get("node")
        state = walk(self.flow, self.profile, self.answers)
        if node_id not in state.path:
            return self._next_view()
        return self._step_view(node_id, mode="change")

    def on_summary(self, request: dict) -> dict:
        state = walk(self.flow, self.profile, self.answers)
        if not state.complete:
            return self._next_view()
        self.shown = None
        return self._view("summary", None, render_summary(self.flow, self.profile, state),
                          "Check your answers", "Check your answers before you see the recommendation.")

    def on_result(self, request: dict) -> dict:
        state = walk(self.flow, self.profile, self.answers)
        if not state.complete:
            return self._next_view()
        result = outcome(self.flow, self.profile, state.answers, self.today)
        docs = result_documents(result, self.register)
        self.shown = None
        html = render_result(self.flow, result, docs, self.links)
        announce = "The recommendation and record note are ready."
        if self.practice is not None:
            from .practice import compare, render_comparison

            differences = compare(self.flow, self.profile, self.practice, state.answers)
            html = render_comparison(self.flow, self.practice, differences, self.links) + html
            announce = "Practice complete: your answers are shown beside the model answer."
        view = self._view("result", None, html, "Recommendation", announce)
        view["documents"] = docs
        return view

    # -- helpers
    def _apply(self, node_id: str, value: Any) -> None:
        state, _ = answer(self.flow, self.profile, self.answers, node_id, value)
        self.answers = state.answers

    def _next_view(self, after_change: bool = False) -> dict:
        state = walk(self.flow, self.profile, self.answers)
        self.answers = state.answers
        if state.complete:
            return self.on_summary({})
        return self._step_view(state.current)

    def _step_view(self, node_id: str, *, value: Any = None, error: AnswerError | None = None,
                   mode: str = "normal", can_go_back: bool | None = None) -> dict:
        state = walk(self.flow, self.profile, self.answers)
        prefix_len = state.path.index(node_id) if node_id in state.path else len(state.path)
        prefix = {n: state.answers[n] for n in state.path[:prefix_len]}
        if value is None and error is None:
            value = state.answers.get(node_id)
        node = self.flow.nodes[node_id]
        html = render_step(self.flow, self.profile, prefix, node_id, self.links, number=prefix_len + 1,
                           value=value, error=error, mode=mode,
                           can_go_back=prefix_len > 0 if can_go_back is None else can_go_back)
        self.shown = node_id
        if error:
            return self._view("step", node_id, html, f"Error: {node.question}", f"There is a problem: {error.message}", focus="aid-error-summary")
        return self._view("step", node_id, html, node.question, f"Step {prefix_len + 1}: {node.question}")

    def _view(self, view: str, node: str | None, html: str, title: str, announce: str, focus: str = "aid-heading") -> dict:
        state = walk(self.flow, self.profile, self.answers)
        if self.practice is not None:
            from .practice import render_brief

            # The story stays in reach on every step, folded away once the trainee has started.
            brief = render_brief(self.flow, self.practice, self.links)
            opened = " open" if not state.path else ""
            html = f'<details class="aid-practice"{opened}><summary>Practice scenario: {esc(self.practice.title)}</summary>{brief}</details>{html}'
        return {
            "view": view, "node": node, "html": html, "title": f"{title} – Decision aid",
            "focus": focus, "announce": announce, "answers": state.answers, "complete": state.complete,
        }

    def _error_view(self, message: str) -> dict:
        html = (
            '<div class="aid-error-page"><h1 id="aid-heading" class="aid-heading" tabindex="-1">Something went wrong</h1>'
            f'<p>{esc(message)}</p><p>Your answers are still here. Try again, or '
            '<button type="button" class="aid-link" data-action="restart">start again</button>.</p></div>'
        )
        return self._view("error", None, html, "Something went wrong", message)


def form_value(node: Node, values: dict[str, Any]) -> Any:
    """FormData ({name: [values]}) to the engine's answer shape for this question."""
    def strings(name: str) -> list[str]:
        raw = values.get(name, [])
        raw = raw if isinstance(raw, list) else [raw]
        return [v for v in raw if isinstance(v, str)]

    if node.kind == "details":
        return {f.id: (strings(f.id) or [""])[0] for f in node.fields}
    picked = strings("answer")
    if node.kind == "single":
        return picked[0] if picked else ""
    return picked


# --- the module-level session JavaScript talks to -----------------------------------------------------

_session: Session | None = None


def new_session(office: str = "generic", base: str = "../", today: dt.date | None = None) -> Session:
    flow = load_flow()
    profiles = load_profiles(flow)
    profile = profiles.get(office) or profiles["generic"]
    return Session(flow, profiles, load_register(), profile, Links(base), today)


def create(office: str = "generic", base: str = "../") -> None:
    global _session
    _session = new_session(office, base)


def handle_json(request: str) -> str:
    """One JSON request in, one JSON response out; never raises."""
    global _session
    try:
        if _session is None:
            create()
        data = json.loads(request)
        if not isinstance(data, dict):
            raise ValueError("a request must be a JSON object")
        response = _session.handle(data)
    except Exception as error:  # the page must explain, never go blank
        traceback.print_exc()
        response = _session._error_view(f"An internal error occurred ({type(error).__name__}).") if _session else {
            "view": "error", "node": None, "html": f"<p>{esc(error)}</p>", "title": "Error", "focus": "aid-step",
            "announce": "The decision aid failed to start.", "answers": {}, "complete": False,
        }
    return json.dumps(response, ensure_ascii=False)


def prerender(office: str = "generic", base: str = "../") -> str:
    """The first step's HTML, exactly as a fresh session's `start` returns it (for the build)."""
    return new_session(office, base).handle({"type": "start"})["html"]
