"""The aid's HTML: every view the browser shows, rendered from the flow and the answers.

Pure functions from data to markup; the session (`session.py`) decides which view to show.
Everything from a user or the content is escaped with `html.escape` at the one point where it
meets markup (`esc`). The markup conventions the JavaScript relies on are in PROTOCOL.md.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from html import escape
from typing import Any

from .. import basis
from .. import contract as c
from ..basis import Basis
from ..clauses import clause_anchor
from ..engine import AnswerError, Walk
from ..model import Advice, CaseOutcome, Flow, Item, Node, Option, Outcome, Profile
from ..note import Document, Statement, as_text, note_statements
from ..document import long_date
from ..office_files import docx_bytes, review_ics
from ..record import Carried
from ..rules import options_for


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


def basis_mark(flow: Flow, links: Links, b: Basis) -> str:
    """A statement's basis, shown after it: the office's clauses, or our practice and why."""
    if not b.practice:
        return f'<span class="aid-cite">({links.cites(b.cite)})</span>'
    named = all(ref in b.reason for ref in b.cite)
    see = f"; {esc(flow.say('result.see', cites='§§'))}".replace("§§", links.cites(b.cite)) if b.cite and not named else ""
    return f'<span class="aid-practice-mark">({esc(flow.say("result.practice", reason=b.reason))}{see})</span>'


def stated(flow: Flow, profile: Profile, links: Links, text: str, cite: tuple[str, ...],
           practice: str = "", advice: Advice | None = None) -> str:
    """Escaped text with its basis mark, and any advice of ours after it."""
    out = f"{esc(text)} {basis_mark(flow, links, basis.of(flow, profile, cite, practice))}"
    if advice:
        out += f" {esc(advice.text[:1].upper() + advice.text[1:])}. {basis_mark(flow, links, Basis(basis.PRACTICE, (), advice.why))}"
    return out


def stated_item(flow: Flow, profile: Profile, links: Links, item: Item) -> str:
    return stated(flow, profile, links, item.text, item.cite, item.practice, item.advice)


def _sources(flow: Flow, profile: Profile, node: Node, links: Links) -> str:
    stage = flow.stages[node.stage]
    pages = ([(node.page, node.page_label)] if node.page else []) + [(stage.page, stage.label.lower())]
    guide = "Read more: " + "; ".join(f'<a href="{esc(links.page(p))}">handbook: {esc(label)}</a>' for p, label in pages) + "."
    b = basis.of(flow, profile, node.cite)
    sources = links.cites(b.cite) if not b.practice else basis_mark(flow, links, b)
    # After Continue, and the clauses folded away: the answer comes first, the reading after.
    return (f'<div class="aid-sources"><p>{guide}</p>'
            f'<details class="aid-sources__details"><summary>Sources for this question</summary><p>{sources}</p></details></div>')


def _option_mark(flow: Flow, profile: Profile, option: Option, links: Links) -> str:
    """For an option that is not the office's policy: the practice mark, under its label."""
    if not basis.states_something(option):
        return ""
    b = basis.of(flow, profile, option.cite, option.practice)
    return f'<div class="aid-hint aid-choice__basis">{basis_mark(flow, links, b)}</div>' if b.practice else ""


def _choice(node: Node, option: Option, checked: bool, kind: str, links: Links, mark: str = "") -> str:
    input_id = _id(node.id, option.id)
    hint_id = f"{input_id}-hint"
    described = f' aria-describedby="{hint_id}"' if option.hint or mark else ""
    exclusive = ' data-exclusive="true"' if option.exclusive else ""
    hint = (f'<div id="{hint_id}" class="aid-hint aid-choice__hint">{esc(option.hint)}{mark}</div>'
            if option.hint or mark else "")
    divider = '<div class="aid-choice__divider">or</div>' if option.exclusive and kind == "checkbox" else ""
    return (
        f'{divider}<div class="aid-choice">'
        f'<input class="aid-choice__input" type="{kind}" id="{input_id}" name="answer" value="{esc(option.id)}"'
        f'{" checked" if checked else ""}{described}{exclusive}>'
        f'<label class="aid-choice__label" for="{input_id}">{esc(option.label)}</label>{hint}</div>'
    )


def render_step(flow: Flow, profile: Profile, answers: dict, node_id: str, links: Links, *,
                number: int, value: Any = None, error: AnswerError | None = None,
                mode: str = "normal", can_go_back: bool = True, carried: str = "") -> str:
    """One question, GOV.UK style: a fieldset whose legend is the page heading. `carried` says
    where a prefilled answer came from (a case record), read out with the question."""
    node = flow.nodes[node_id]
    hint_id, error_id, carried_id = f"{node_id}-hint", f"{node_id}-error", f"{node_id}-carried"
    describedby = " ".join(x for x in (hint_id if node.hint else "", carried_id if carried else "", error_id if error else "") if x)
    parts = [f'<form class="aid-form" data-node="{esc(node_id)}" data-mode="{esc(mode)}" novalidate>']
    if error:
        target = _id(node.id, error.field) if error.field else _first_input(flow, profile, answers, node)
        parts.append(_error_summary([(target, error.message)]))
    parts.append(f'<div class="aid-group{" aid-group--error" if error else ""}">')
    aria = f' aria-describedby="{describedby}"' if describedby else ""
    parts.append(f'<fieldset class="aid-fieldset"{aria}>')
    parts.append(
        f'<legend class="aid-legend"><span class="aid-caption">Step {number}: {esc(flow.stages[node.stage].label)}</span>'
        f'<h1 id="aid-heading" class="aid-heading" tabindex="-1">{esc(node.question)}</h1></legend>'
    )
    if node.hint:
        mark = f" {basis_mark(flow, links, Basis(basis.PRACTICE, (), node.hint_practice))}" if node.hint_practice else ""
        parts.append(f'<div id="{hint_id}" class="aid-hint">{esc(node.hint)}{mark}</div>')
    if carried:
        parts.append(f'<p id="{carried_id}" class="aid-carried">{esc(carried)}</p>')
    if error and not error.field:
        parts.append(f'<p id="{error_id}" class="aid-error-message"><span class="visually-hidden">Error:</span> {esc(error.message)}</p>')
    if node.kind == "details":
        parts.append(_details_fields(node, value or {}, error))
    else:
        kind = "radio" if node.kind == "single" else "checkbox"
        chosen = [value] if isinstance(value, str) else list(value or [])
        options = options_for(flow, profile, answers, node_id)
        parts.append(f'<div class="aid-choices aid-choices--{kind}">')
        if node.options_from == c.FROM_MEASURES or any(o.family for o in options):
            parts.append(_grouped(flow, profile, node, options, chosen, links))
        else:
            parts.extend(_choice(node, o, o.id in chosen, kind, links, _option_mark(flow, profile, o, links)) for o in options)
        parts.append("</div>")
    parts.append("</fieldset></div>")
    back = '<button type="button" class="aid-button aid-button--secondary" data-action="back">Back</button>' if can_go_back else ""
    label = "Save and return to your answers" if mode == "change" else "Continue"
    parts.append(f'<div class="aid-actions"><button type="submit" class="aid-button">{label}</button>{back}</div>')
    parts.append(_sources(flow, profile, node, links))
    parts.append("</form>")
    return "".join(parts)


def _first_input(flow: Flow, profile: Profile, answers: dict, node: Node) -> str:
    if node.kind == "details":
        return _id(node.id, node.fields[0].id)
    options = options_for(flow, profile, answers, node.id)
    return _id(node.id, options[0].id) if options else "aid-heading"


def _grouped(flow: Flow, profile: Profile, node: Node, options: tuple[Option, ...], chosen: list[str], links: Links) -> str:
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
        plain = Option(option.id, option.label, option.cite, hint=option.hint if not group or node.options_from != c.FROM_MEASURES else "", exclusive=option.exclusive)
        out.append(_choice(node, plain, option.id in chosen, "checkbox", links, _option_mark(flow, profile, option, links)))
    if current is not None:
        out.append("</div>")
    return "".join(out)


def _group_of(flow: Flow, option: Option) -> tuple[str, str] | None:
    if option.family:
        return flow.families[option.family].label, flow.page_of(c.BEHAVIOUR)
    measure = flow.measures.get(option.id)
    if measure:
        tier = flow.tiers[measure.tier]
        return tier.label, tier.page
    return None


def _details_fields(node: Node, values: dict, error: AnswerError | None) -> str:
    out = []
    for f in node.fields:
        fid = _id(node.id, f.id)
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
        # Case details never go into the browser's form history (autocomplete="off"): it is kept on
        # disk across restarts, which nothing typed here may be without the user's choice.
        if f.kind == "textarea":
            out.append(f'<textarea class="aid-textarea" id="{fid}" name="{esc(f.id)}" rows="6" maxlength="{f.max_length}" autocomplete="off"{aria}{invalid}>{value}</textarea>')
        else:
            # A date is typed as text with an example (GOV.UK pattern): the browser's own date
            # picker shows the format of the browser's locale, which may not be the one we ask for.
            extra = ' spellcheck="false"' if f.kind == "date" else ""
            out.append(f'<input class="aid-input aid-input--{f.kind}" type="text" id="{fid}" name="{esc(f.id)}" value="{value}" maxlength="{f.max_length}" autocomplete="off"{extra}{aria}{invalid}>')
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
        '<button type="button" class="aid-button aid-button--secondary" data-action="ask_restart">Start again</button></div></div>'
    )


def render_interrupt(flow: Flow, profile: Profile, items: tuple[Item, ...], links: Links) -> str:
    """Straight after a safety tick: what to do now, in the office's own terms, before the walk goes on."""
    say = lambda key: esc(flow.say(f"result.{key}"))
    listed = "".join(f"<li>{stated_item(flow, profile, links, item)}</li>" for item in items)
    return (
        f'<div class="aid-interrupt"><h1 id="aid-heading" class="aid-heading" tabindex="-1">{say("now_title")}</h1>'
        f'<p class="aid-interrupt__intro">{say("now_intro")}</p><ol class="aid-list">{listed}</ol>'
        f'<div class="aid-actions"><button type="button" class="aid-button" data-action="carry_on">{say("carry_on")}</button>'
        '<button type="button" class="aid-button aid-button--secondary" data-action="back">Back</button></div></div>'
    )


def render_restart_confirm() -> str:
    """Before Start again clears a walk: a question, not a surprise."""
    return (
        '<div class="aid-confirm aid-restart"><h1 id="aid-heading" class="aid-heading" tabindex="-1">Start again?</h1>'
        '<p>This clears every answer in this walk, and the record note and letters made from them. It cannot be undone. '
        'Copy or download anything you need first.</p>'
        '<div class="aid-actions"><button type="button" class="aid-button aid-button--warning" data-action="restart">Yes, clear my answers</button>'
        '<button type="button" class="aid-button aid-button--secondary" data-action="cancel">No, keep my answers</button></div></div>'
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


def _document_block(flow: Flow, doc_id: str, title: str, filename: str, text: str) -> str:
    heading_id = f"{doc_id}-heading"
    word = filename.removesuffix(".txt") + ".docx"
    return (
        f'<section class="aid-document" aria-labelledby="{heading_id}">'
        f'<h2 id="{heading_id}">{esc(title)}</h2>'
        '<div class="aid-document__actions">'
        f'<button type="button" class="aid-button" data-action="copy" data-target="{doc_id}">Copy {esc(title[0].lower() + title[1:])}</button>'
        f'<button type="button" class="aid-button aid-button--secondary" data-action="download" data-target="{doc_id}" data-filename="{esc(filename)}">Download as .txt</button>'
        f'<button type="button" class="aid-button aid-button--secondary" data-action="download" data-target="{doc_id}" data-format="docx" data-filename="{esc(word)}">{esc(flow.say("result.word_download"))}</button>'
        f'<button type="button" class="aid-button aid-button--secondary" data-action="print" data-target="{doc_id}">Print</button>'
        '</div>'
        f'<div class="aid-document__region" role="region" aria-label="{esc(title)}, text">'
        f'<pre id="{doc_id}" class="aid-document__text" tabindex="0">{esc(text)}</pre></div></section>'
    )


def document_id(doc: Document) -> str:
    """The id of the <pre> holding a document: doc-note, doc-warning-letter, doc-strategy-notice."""
    return "doc-" + doc.kind.replace("_", "-")


def result_documents(result: Outcome | CaseOutcome, docs: list[Document]) -> list[dict[str, str]]:
    """The documents as the browser copies and downloads them (PROTOCOL.md: `documents`): the
    text, and the same as a Word file (base64, for a download the page assembles)."""
    ref = re.sub(r"[^A-Za-z0-9_-]+", "-", result.reference).strip("-")[:40]
    return [
        {"id": document_id(doc), "title": doc.short, "text": as_text(doc),
         "filename": f"{doc.filename}-{ref or 'no-reference'}-{result.decision_date}.txt",
         "docx": base64.b64encode(docx_bytes(doc)).decode("ascii")}
        for doc in docs
    ]


def render_result(flow: Flow, result: Outcome | CaseOutcome, docs: list[dict[str, str]], links: Links,
                  record_json: str = "", statements: list[Statement] | None = None, lead: str = "") -> str:
    """`statements`: the record note's, if already made (note.make); `lead`: markup placed
    first under the page's one h1 (practice feedback, read before the recommendation)."""
    if isinstance(result, CaseOutcome):
        return render_case_result(flow, result, docs, links, record_json, statements, lead)
    o = result

    def say(key: str, **values: object) -> str:
        return esc(flow.say(f"result.{key}", **values))

    parts = [f'<div class="aid-result"><h1 id="aid-heading" class="aid-heading" tabindex="-1">{say("heading")}</h1>', lead]
    if o.nothing_unacceptable:
        parts.append(f'<div class="aid-panel aid-panel--ok"><p class="aid-panel__title">{say("nothing_title")}</p>'
                     f'<p>{say("nothing")}</p></div>')
    if o.restrictions_wait:
        parts.append(f'<div class="aid-panel aid-panel--warning"><p class="aid-panel__title">{say("wait_title")}</p>'
                     + "".join(f"<p>{esc(w)}</p>" for w in o.restrictions_wait) + "</div>")
    parts.append(f'<h2>{say("do_now")}</h2><ol class="aid-list">')
    office = o.office
    parts.extend(f"<li>{stated_item(flow, office, links, a)}</li>" for a in o.immediate)
    if o.police_route:
        route = o.police_route
        parts.append(f"<li>{stated(flow, office, links, flow.say('result.police_route', route=route.text), route.cite, advice=route.advice)}</li>")
    parts.append("</ol>")
    if o.remedies:
        causes_page = flow.stages[flow.nodes[o.remedies[0].node].stage].page
        parts.append(f'<h2>{say("remedies_title")}</h2><p><a href="{esc(links.page(causes_page))}">{say("remedies_link")}</a></p><ul class="aid-list">')
        parts.extend(f"<li>{stated(flow, office, links, f.remedy, f.cite)}</li>" for f in o.remedies)
        parts.append("</ul>")
    if o.measures:
        parts.append(f'<h2>{say("measures_title")}</h2><ul class="aid-list aid-measures">')
        for m in o.measures:
            note = f" {esc(m.note)}" if m.note else ""
            parts.append(
                f'<li><strong>{esc(m.measure.label)}</strong>.{note}<br>{say("why")} {esc(m.measure.reason)}<br>'
                f'{say("decided_by")} {stated(flow, office, links, m.decided_by.text, m.decided_by.cite, advice=m.decided_by.advice)}<br>'
                f'<a href="{esc(links.page(m.tier.page))}">{say("handbook", tier=m.tier.label.lower())}</a> · '
                f'{say("sources")} {basis_mark(flow, links, basis.of(flow, office, m.measure.cite, m.measure.practice))}</li>'
            )
        parts.append("</ul>")
    if o.ceiling_reasons and not o.nothing_unacceptable:
        parts.append(f'<h2>{say("ceiling_title")}</h2>' + "".join(f"<p>{stated_item(flow, office, links, r)}</p>" for r in o.ceiling_reasons))
    if o.restricts:
        status = say("checklist_ready" if o.authorisation_ready else "checklist_not_ready", date=o.review_date)
        parts.append(f'<h2>{say("before_title")}</h2><p>{status} '
                     f'<a href="{esc(links.page(flow.say("result.notice_page")))}">{say("notice_link")}</a>.</p>')
    parts.append(_documents_and_actions(flow, docs, o, record_json))
    return "".join(parts)


def review_reminder(flow: Flow, result: Outcome | CaseOutcome) -> tuple[str, str] | None:
    """The review date as a calendar reminder: (file name, .ics text), or None without a review."""
    due = result.review_date if isinstance(result, Outcome) else result.next_review
    if not due:
        return None
    reference = result.reference or "none given"
    ics = review_ics(result.reference, due, result.decision_date, flow.say("result.reminder_summary", reference=reference),
                     flow.say("result.reminder_description", date=long_date(result.decision_date), reference=reference))
    ref = re.sub(r"[^A-Za-z0-9_-]+", "-", result.reference).strip("-")[:40]
    return f"review-{ref or 'no-reference'}-{due}.ics", ics


def _reminder_block(flow: Flow, result: Outcome | CaseOutcome) -> str:
    reminder = review_reminder(flow, result)
    if reminder is None:
        return ""
    filename, ics = reminder
    return (
        '<section class="aid-document aid-reminder" aria-labelledby="doc-reminder-heading">'
        f'<h2 id="doc-reminder-heading">{esc(flow.say("result.reminder_title"))}</h2><p>{esc(flow.say("result.reminder_intro"))}</p>'
        '<div class="aid-document__actions">'
        f'<button type="button" class="aid-button aid-button--secondary" data-action="download" data-target="doc-reminder" '
        f'data-type="text/calendar" data-filename="{esc(filename)}">{esc(flow.say("result.reminder_download"))}</button></div>'
        f'<pre id="doc-reminder" hidden>{esc(ics)}</pre></section>'
    )


def _record_block(flow: Flow, result: Outcome | CaseOutcome, record_json: str) -> str:
    """The case record (the note as JSON), to download and open again for the next review,
    breach or dispute. Shown folded: it is for the aid to read, not for staff to copy."""
    ref = re.sub(r"[^A-Za-z0-9_-]+", "-", result.reference).strip("-")[:40]
    filename = f"case-record-{ref or 'no-reference'}-{result.decision_date}.json"
    return (
        '<section class="aid-document aid-record" aria-labelledby="doc-record-heading">'
        f'<h2 id="doc-record-heading">{esc(flow.say("result.record_title"))}</h2>'
        f'<p>{esc(flow.say("result.record_intro"))}</p>'
        '<div class="aid-document__actions">'
        f'<button type="button" class="aid-button aid-button--secondary" data-action="download" data-target="doc-record" data-filename="{esc(filename)}">'
        f'{esc(flow.say("result.record_download"))}</button></div>'
        f'<details class="aid-record__details"><summary>{esc(flow.say("result.record_show"))}</summary>'
        f'<div class="aid-document__region" role="region" aria-label="{esc(flow.say("result.record_title"))}, text">'
        f'<pre id="doc-record" class="aid-document__text" tabindex="0">{esc(record_json)}</pre></div></details></section>'
    )


def carried_note(flow: Flow, carried: Carried) -> str:
    """On a question a previous record answers: where the answer shown comes from (plain text)."""
    reference = f" ({carried.reference})" if carried.reference else ""
    return flow.say("result.carried", date=carried.made, reference=reference)



def _documents_and_actions(flow: Flow, docs: list[dict[str, str]], result: Outcome | CaseOutcome | None = None,
                           record_json: str = "") -> str:
    record = _record_block(flow, result, record_json) if result is not None and record_json else ""
    return (
        f'<h2>{esc(flow.say("result.documents_title"))}</h2><p>{esc(flow.say("result.documents_intro"))}</p>'
        + "".join(_document_block(flow, d["id"], d["title"], d["filename"], d["text"]) for d in docs)
        + (_reminder_block(flow, result) if result is not None else "")
        + record
        + '<div class="aid-actions"><button type="button" class="aid-button aid-button--secondary" data-action="summary">Back to your answers</button>'
        '<button type="button" class="aid-button aid-button--secondary" data-action="ask_restart">Start again</button></div></div>'
    )


def render_case_result(flow: Flow, result: CaseOutcome, docs: list[dict[str, str]], links: Links, record_json: str = "",
                       statements: list[Statement] | None = None, lead: str = "") -> str:
    """A journey that is not a behaviour: the record note's own statements, section by section,
    each with its basis, so the page and the note cannot say different things."""
    parts = [f'<div class="aid-result"><h1 id="aid-heading" class="aid-heading" tabindex="-1">{esc(flow.say("result.heading"))}</h1>',
             lead, f'<p>{esc(result.journey.label)}.</p>']
    if result.overdue:
        parts.append(f'<div class="aid-panel aid-panel--warning"><p class="aid-panel__title">{esc(flow.say("result.overdue_title"))}</p>'
                     f'<p>{esc(flow.say("note.contact.overdue", date=result.review_due))}</p></div>')
    section = None
    for st in note_statements(result, flow) if statements is None else statements:
        if st.section != section:
            parts.append(("</ul>" if section is not None else "") + f'<h2>{esc(st.section)}</h2><ul class="aid-list">')
            section = st.section
        parts.append(f"<li>{esc(st.text)} {basis_mark(flow, links, st.basis)}</li>")
    if section is not None:
        parts.append("</ul>")
    parts.append(_documents_and_actions(flow, docs, result, record_json))
    return "".join(parts)


def render_error(message: str) -> str:
    return (
        '<div class="aid-error-page"><h1 id="aid-heading" class="aid-heading" tabindex="-1">Something went wrong</h1>'
        f'<p>{esc(message)}</p><p>Your answers are still here. Try again, or '
        '<button type="button" class="aid-link" data-action="ask_restart">start again</button>.</p></div>'
    )
