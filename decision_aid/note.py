"""The record note and the draft letters, as plain text, Markdown or JSON.

Each document is first built as a list of sections (pure data), then formatted; the formats
cannot drift apart because they share one builder. Every fixed sentence comes from the content
(documents.toml, and the words of measures, families and notice elements), so a wording change
never touches this file. Text the user typed is carried as given: escaping for HTML happens in
the HTML views, never here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from . import basis, record
from . import contract as c
from .basis import Basis
from .document import Document, Section, long_date
from .summary import case_summary_sections, summary_sections
from .model import Advice, CaseOutcome, Cited, Flow, Item, Outcome
from .rules import capitalise

FORMATS = ("text", "markdown", "json")


@dataclass(frozen=True)
class Statement:
    """One line of the note that states a rule, and its basis (for the JSON and for audits)."""

    section: str
    text: str
    basis: Basis


class _Writer:
    """Writes the note's cited lines: policy with its clauses, practice marked with its reason,
    and keeps every such line as a Statement."""

    def __init__(self, flow: Flow, outcome: Outcome):
        self.flow, self.office = flow, outcome.office
        self.statements: list[Statement] = []
        self.section = ""

    def say(self, key: str, **values: object) -> str:
        return self.flow.say(f"note.{key}", **values)

    def suffix(self, b: Basis) -> str:
        if not b.practice:
            return cites(b.cite)
        named = all(ref in b.reason for ref in b.cite)  # a reason that names its sources needs no "see"
        see = [self.say("basis.see", cites="; ".join(b.cite))] if b.cite and not named else []
        return f" ({'; '.join([self.say('basis.practice', reason=b.reason), *see])})"

    def line(self, text: str, b: Basis) -> str:
        self.statements.append(Statement(self.section, text, b))
        return text + self.suffix(b)

    def stated(self, text: str, cite: tuple[str, ...], practice: str = "", advice: Advice | None = None) -> str:
        out = self.line(text, basis.of(self.flow, self.office, cite, practice))
        if advice:
            out += " " + self.line(capitalise(advice.text) + ".", Basis(basis.PRACTICE, (), advice.why))
        return out

    def item(self, item: Item) -> str:
        return self.stated(item.text, item.cite, item.practice, item.advice)

    def value(self, value: Cited, text: str | None = None) -> str:
        """An office's value (its own clauses), with any advice of ours after it."""
        return self.stated(text if text is not None else value.text, value.cite, advice=value.advice)

    def start(self, key: str) -> str:
        self.section = self.say(key)
        return self.section


def _breached(o: Outcome, w: _Writer) -> tuple[str, ...]:
    """A breach's context: what it breaks, when that was decided, and what it says (as answered)."""
    a = o.arrangement
    lines = [w.say("breach.in_place", in_place=o.history.label, date=a.get(c.DECIDED) or "[date]")]
    if a.get(c.TERMS):
        lines.append(w.say("contact.terms", terms=a[c.TERMS]))
    due = a.get(c.REVIEW_DUE)
    if due:
        lines.append(w.say("contact.overdue" if due < o.decision_date else "contact.review_due", date=due))  # ISO dates
    return tuple(lines)


def cites(refs: tuple[str, ...] | list[str]) -> str:
    return f" ({'; '.join(refs)})" if refs else ""


def _document(flow: Flow, kind: str, key: str, sections: list[Section] | tuple[Section, ...]) -> Document:
    return Document(kind, flow.say(f"{key}.title"), flow.say(f"{key}.short"), flow.say(f"{key}.filename"), tuple(sections))


def record_note(outcome: Outcome, flow: Flow) -> Document:
    return _record_note(outcome, flow)[0]


def note_statements(outcome: Outcome | CaseOutcome, flow: Flow) -> list[Statement]:
    """Every cited line of the record note with its basis, in note order."""
    if isinstance(outcome, CaseOutcome):
        return _case_note(outcome, flow)[1]
    return _record_note(outcome, flow)[1]


def _record_note(outcome: Outcome, flow: Flow) -> tuple[Document, list[Statement]]:
    o, office = outcome, outcome.office
    w = _Writer(flow, o)
    say = w.say
    s: list[Section] = []
    s.append(Section(w.start("case.title"), items=(
        say("case.date", date=o.decision_date),
        say("case.office", office=office.name, profile=office.id),
        say("case.reference", reference=o.reference or say("case.no_reference")),
    )))
    s.append(Section(w.start("account.title"), verbatim=o.account or say("account.empty")))
    s.append(Section(w.start("context.title"), items=(
        say("context.channel", channel=o.channel),
        say("context.matter", matter=o.matter.label),  # the facts of the case, as answered: no basis
        *((say("context.history", history=o.history.label),) if not o.handling else _breached(o, w)),
        say("context.new_information", answer=say("context.yes" if o.new_information else "context.no")),
    )))
    s.append(Section(
        w.start("safety.title"),
        items=tuple(w.stated(x.label, x.cite, x.practice) for x in o.safety) or (say("safety.none"),),
    ))
    if o.handling:  # a breach: what it breaks, and how a breach is handled
        s.append(Section(w.start("breach.title"), items=tuple(w.item(i) for i in o.handling)))
    if o.nothing_unacceptable:
        behaviour = Section(w.start("behaviour.title"), paragraphs=(say("behaviour.none"),))
    else:
        title = w.start("behaviour.title")
        fams = {f.id: f.label for f in o.families}
        caveat = ()
        if o.new_information and any(f.id == c.PERSISTENT for f in o.families):
            caveat = (say("behaviour.persistence_caveat"),)
        behaviour = Section(title, paragraphs=caveat, items=tuple(
            w.stated(say("behaviour.item", behaviour=b.label, family=fams.get(b.family, b.family)), b.cite, b.practice) for b in o.behaviours
        ) + tuple(w.stated(say("behaviour.family", family=f.label), f.cite) for f in o.families))
    s.append(behaviour)
    title = w.start("actions.title")
    police = (w.value(o.police_route, say("actions.police_route", route=o.police_route.text)),) if o.police_route else ()
    s.append(Section(title, items=tuple(w.item(a) for a in o.immediate) + police))
    if o.causes:
        s.append(Section(
            w.start("causes.title"),
            items=tuple(w.stated(say("causes.item", question=f.question, answer=f.answer), f.cite) for f in o.causes),
        ))
        title = w.start("remedies.title")
        remedies = tuple(w.stated(f.remedy, f.cite) for f in o.remedies)
        s.append(Section(title, items=remedies or (say("remedies.none"),)))
    if o.restrictions_wait:
        s.append(Section(w.start("wait.title"), paragraphs=o.restrictions_wait))
    if not o.nothing_unacceptable:
        title = w.start("needs.title")
        needs = tuple(w.stated(n.label, n.cite, n.practice) for n in o.needs) or (say("needs.none"),)
        adjust = tuple(w.stated(say("needs.adjustment", remedy=n.remedy), n.cite, n.practice) for n in o.needs if n.remedy)
        keep = (say("needs.keep", channel=flow.channels[o.protected_channel].phrase),) if o.protected_channel else ()
        s.append(Section(title, items=needs + adjust, paragraphs=keep))
        title = w.start("proportionality.title")
        s.append(Section(
            title,
            paragraphs=tuple(w.item(r) for r in o.ceiling_reasons)
            + ((say("proportionality.top", tier=o.open_tier.label),) if o.open_tier else ()),
        ))
        s.append(_measures_section(o, w))
        if o.withheld:
            s.append(Section(w.start("withheld.title"), items=tuple(
                say("withheld.item", measure=m.measure.label, why=m.why) for m in o.withheld
            )))
    s.append(_authorisation_section(o, w))
    if o.notice:
        title = w.start("notice.title")
        s.append(Section(
            title,
            paragraphs=(say("notice.intro", person=office.person.text),),
            items=tuple(w.line(n.text, basis.of_element(office, n, office.notice.items)) for n in o.notice),
        ))
    elif o.warning_letter:
        s.append(Section(w.start("notice.title"), paragraphs=(say("notice.warning_only"),)))
    if o.safeguards:
        title = w.start("safeguards.title")
        s.append(Section(title, items=tuple(w.item(g) for g in o.safeguards)))
    if o.dispute:
        title = w.start("dispute.title")
        s.append(Section(title, paragraphs=(w.value(o.dispute, f"{capitalise(o.dispute.text)}."),)))
    title = w.start("review.title")
    fallback = o.restricts and not office.review_months
    review_basis = (w.stated(say("review.basis", basis=o.review_basis), flow.review_fallback.cite, flow.review_fallback.practice)
                    if fallback else say("review.basis", basis=o.review_basis) + (cites(office.review.cite) if o.restricts else ""))
    s.append(Section(title, items=(say("review.date", date=o.review_date or say("review.no_date")), review_basis)))
    return _reasoning(flow, o, s, w)


def _reasoning(flow: Flow, o: Outcome | CaseOutcome, s: list[Section], w: "_Writer"):
    """The reasoning appendix closed as every one is: its clauses, and what produced it."""
    s.append(Section(w.start("references.title"), items=tuple(_reference_line(ref, flow) for ref in o.citations)))
    s.append(Section(w.start("produced.title"), items=(
        w.say("produced.version", version=o.flow_version, hash=o.content_hash),
        w.say("produced.disclaimer"),
    )))
    return _document(flow, c.REASONING_DOC, "note", s), w.statements


def _measures_section(o: Outcome, w: _Writer) -> Section:
    title = w.start("measures.title")
    if not o.measures:
        return Section(title, paragraphs=(w.say("measures.none"),))
    lines = []
    for chosen in o.measures:
        why = f"{chosen.measure.reason} {chosen.note}" if chosen.note else chosen.measure.reason
        line = w.say("measures.item", measure=chosen.measure.label, why=why, decided_by=chosen.decided_by.text)
        lines.append(w.stated(line, chosen.measure.cite, chosen.measure.practice))
    return Section(title, items=tuple(lines))


def _authorisation_section(o: Outcome, w: _Writer) -> Section:
    def say(key: str, **values: object) -> str:
        return w.say(f"authorisation.{key}", **values)

    title = w.start("authorisation.title")
    needing = [m for m in o.measures if m.measure.authoriser != c.ROLE_STAFF]
    if not o.measures:
        return Section(title, paragraphs=(say("nothing"),))
    if not needing:
        return Section(title, paragraphs=(say("staff_only"),))
    whom = []
    for m in needing:
        if m.decided_by not in whom:
            whom.append(m.decided_by)
    paragraphs = [say("needed", who=w.value(who, capitalise(who.text))) for who in whom]
    items: tuple[str, ...] = ()
    if o.checklist:
        items = tuple(f"[{'x' if ok else ' '}] {w.item(item)}" for item, ok in o.checklist)
        paragraphs.append(say("ready") if o.authorisation_ready else say("not_ready"))
    return Section(title, paragraphs=tuple(paragraphs), items=items)


def _reference_line(ref: str, flow: Flow) -> str:
    clause = flow.register.resolve(ref)
    if clause is None:  # the loader rejects unknown citations, so this is a bug, not bad input
        raise KeyError(ref)
    return flow.say("note.references.item", ref=ref, title=clause.title, office=clause.office, file=clause.file)


# --- draft letters ---------------------------------------------------------------------------------


def _letter_heading(o: Outcome, flow: Flow) -> Section:
    reference = flow.say("letters.reference", reference=o.reference or flow.say("letters.no_reference"))
    return Section("Heading", plain=True, show_title=False, items=(
        *flow.paragraphs("letters.heading"), "", long_date(o.decision_date), reference,
    ))


def warning_letter(outcome: Outcome, flow: Flow) -> Document:
    o = outcome
    elements = {e.id for e in o.warning_elements}
    asks = (*(f.ask for f in o.families), *flow.paragraphs("letters.warning.closing")) if c.WARNING_CHANGE in elements else ()
    paragraphs = tuple(e.wording.fill() for e in o.warning_elements if e.part == c.NOTICE_LETTER)
    return _document(flow, c.WARNING_LETTER_DOC, "letters.warning", (
        _letter_heading(o, flow),
        Section("Letter", show_title=False, paragraphs=flow.paragraphs("letters.warning.opening"),
                items=tuple(f.letter for f in o.families)),
        Section("What we ask", show_title=False, paragraphs=(*asks, *paragraphs, *flow.paragraphs("letters.sign_off"))),
    ))


def strategy_notice(outcome: Outcome, flow: Flow) -> Document:
    o = outcome
    restrictions = tuple(m.measure.letter for m in o.measures if m.tier.restricts)
    why = flow.say("letters.strategy.why", behaviour=" and ".join(f.letter for f in o.families))
    dispute = o.office.dispute_letter or flow.say("letters.dispute_placeholder")
    values = {"review_date": long_date(o.review_date) if o.review_date else "", "dispute": dispute}
    rights = tuple(n.wording.fill(**values) for n in o.notice if n.part == c.NOTICE_LETTER)
    staff = (flow.say("letters.strategy.check"), *(n.wording.fill() for n in o.notice if n.part == c.NOTICE_STAFF))
    return _document(flow, c.STRATEGY_NOTICE_DOC, "letters.strategy", (
        _letter_heading(o, flow),
        Section("Letter", show_title=False,
                paragraphs=(*flow.paragraphs("letters.strategy.opening"), why, flow.say("letters.strategy.from_now")),
                items=restrictions),
        Section("Your rights", show_title=False, paragraphs=(*rights, *flow.paragraphs("letters.sign_off"))),
        Section(flow.say("letters.strategy.before_sending"), items=staff),
    ))


def _dispute_route(office, flow: Flow) -> str:
    """How the person disputes a decision, in words to them; the bracketed placeholder where the
    office's policy states no route."""
    return office.dispute_letter or flow.say("letters.dispute_placeholder")


def _letter_date(iso: str | None) -> str:
    return long_date(iso) if iso else "[date]"


def breach_reminder(outcome: Outcome, flow: Flow) -> Document:
    o = outcome
    return _document(flow, c.BREACH_REMINDER_DOC, "letters.breach_reminder", (
        _letter_heading(o, flow),
        Section("Letter", show_title=False, paragraphs=(
            *flow.paragraphs("letters.breach_reminder.opening", decided=_letter_date(o.arrangement.get(c.DECIDED))),
            *flow.paragraphs("letters.breach_reminder.body"),
            *flow.paragraphs("letters.sign_off"),
        )),
    ))


def short_note(outcome: Outcome | CaseOutcome, flow: Flow) -> Document:
    """The record note for the case file: facts and decisions; the reasoning is its appendix."""
    sections = case_summary_sections(outcome, flow) if isinstance(outcome, CaseOutcome) else summary_sections(outcome, flow)
    return _document(flow, c.NOTE, "summary", sections)


@dataclass(frozen=True)
class Made:
    """A result's documents and the record note's statements with their basis, made together: the
    reasoning note is the largest document, and the result page, its files and the case record all
    need it."""

    documents: list[Document]
    statements: list[Statement]


def make(outcome: Outcome | CaseOutcome, flow: Flow) -> Made:
    if isinstance(outcome, CaseOutcome):
        note, statements = _case_note(outcome, flow)
        docs = [short_note(outcome, flow), note]
        if outcome.journey.id == c.DISPUTE:
            docs.append(dispute_acknowledgement(outcome, flow))
        if outcome.review_outcome is not None:
            docs.append(review_letter(outcome, flow))
        return Made(docs, statements)
    note, statements = _record_note(outcome, flow)
    docs = [short_note(outcome, flow), note]
    if outcome.history.id == c.STRATEGY_IN_PLACE and outcome.handling:  # a breach of a strategy (001 §7.1)
        docs.append(breach_reminder(outcome, flow))
    if outcome.warning_letter:
        docs.append(warning_letter(outcome, flow))
    if outcome.strategy_notice:
        docs.append(strategy_notice(outcome, flow))
    return Made(docs, statements)


def documents(outcome: Outcome | CaseOutcome, flow: Flow) -> list[Document]:
    return make(outcome, flow).documents


# --- the other journeys: a review, a dispute, an information request, a representative, new ---------


def case_note(outcome: CaseOutcome, flow: Flow) -> Document:
    return _case_note(outcome, flow)[0]


def _case_note(outcome: CaseOutcome, flow: Flow) -> tuple[Document, list[Statement]]:
    o, office = outcome, outcome.office
    w = _Writer(flow, o)
    say = w.say
    s: list[Section] = [Section(w.start("case.title"), items=(
        say("case.date", date=o.decision_date),
        say("case.office", office=office.name, profile=office.id),
        say("case.reference", reference=o.reference or say("case.no_reference")),
    ))]
    s.append(Section(w.start("account.title"), verbatim=o.account or say("account.empty")))
    title = w.start("contact.title")
    items = [w.stated(say("contact.journey", journey=o.journey.label), o.journey.cite, o.journey.practice)]
    if o.detail:
        items.append(say("contact.detail", detail=o.detail.label))
    if o.in_place:
        items.append(say("contact.in_place", in_place=o.in_place.label))
    if o.decided:
        items.append(say("contact.decided", date=o.decided))
    if o.decided_by:
        items.append(say("contact.decided_by", who=o.decided_by))
    if o.terms:
        items.append(say("contact.terms", terms=o.terms))
    if o.review_due and not o.overdue:  # an overdue review is said once, above the list
        items.append(say("contact.review_due", date=o.review_due))
    paragraphs = (say("contact.overdue", date=o.review_due),) if o.overdue else ()
    s.append(Section(title, paragraphs=paragraphs, items=tuple(items)))
    if o.safety or o.immediate:
        title = w.start("safety.title")
        s.append(Section(title, items=tuple(w.stated(x.label, x.cite, x.practice) for x in o.safety)))
        title = w.start("actions.title")
        s.append(Section(title, items=tuple(w.item(a) for a in o.immediate)))
    title = w.start("handling.title")
    handling = [w.item(i) for i in o.handling]
    if o.dispute and o.journey.id == c.DISPUTE:
        handling.append(w.value(o.dispute, say("handling.route", route=o.dispute.text)))
    s.append(Section(title, items=tuple(handling)))
    if o.review_outcome:
        title = w.start("review_decision.title")
        items = []
        if o.review_since:
            items.append(w.line(say("review_decision.since", since="; ".join(x.label for x in o.review_since)),
                                basis.of(flow, office, tuple(ref for x in o.review_since for ref in x.cite))))
        items.append(w.stated(say("review_decision.decision", decision=o.review_outcome.label), o.review_outcome.cite))
        if o.decider:  # the office names who authorises; that they also review is our reading
            items.append(w.line(say("review_decision.decider", who=o.decider.text),
                                Basis(basis.PRACTICE, o.decider.cite, say("review_decision.decider_why"))))
        if o.next_review:
            fallback = not office.review_months
            review_basis = flow.say("review.fallback" if fallback else "review.fixed",
                                    review=capitalise(office.review.text), months=o.next_review_months)
            line = say("review_decision.next", date=o.next_review, basis=review_basis)
            items.append(w.stated(line, flow.review_fallback.cite, flow.review_fallback.practice) if fallback
                         else w.value(office.review, line))
        else:
            items.append(say("review_decision.lifted"))
        s.append(Section(title, items=tuple(items)))
    return _reasoning(flow, o, s, w)


def dispute_acknowledgement(outcome: CaseOutcome, flow: Flow) -> Document:
    o = outcome
    return _document(flow, c.DISPUTE_DOC, "letters.dispute", (
        _letter_heading(o, flow),
        Section("Letter", show_title=False, paragraphs=(
            *flow.paragraphs("letters.dispute.opening", decided=_letter_date(o.decided)),
            flow.say("letters.dispute.route", route=_dispute_route(o.office, flow)),
            *flow.paragraphs("letters.dispute.closing"),
            *flow.paragraphs("letters.sign_off"),
        )),
    ))


def review_letter(outcome: CaseOutcome, flow: Flow) -> Document:
    o = outcome
    decision = flow.say(f"letters.review.{o.review_outcome.id}")
    later = (flow.say("letters.review.next", next_review=long_date(o.next_review)),) if o.next_review else ()
    dispute = () if o.review_outcome.id == c.LIFT else (flow.say("letters.review.dispute", route=_dispute_route(o.office, flow)),)
    return _document(flow, c.REVIEW_DOC, "letters.review", (
        _letter_heading(o, flow),
        Section("Letter", show_title=False, paragraphs=(
            *flow.paragraphs("letters.review.opening", decided=_letter_date(o.decided)),
            decision, *later, *dispute,
            *flow.paragraphs("letters.sign_off"),
        )),
    ))


# --- formatting --------------------------------------------------------------------------------


def as_text(doc: Document) -> str:
    lines = [doc.title.upper(), "=" * len(doc.title), ""]
    for section in doc.sections:
        if section.show_title:
            lines += [section.title, "-" * len(section.title)]
        if section.verbatim is not None:
            lines += section.verbatim.split("\n")
        for p in section.paragraphs:
            lines += [p, ""] if doc.letter else [p]
        lines += list(section.items) if section.plain else [f"- {item}" for item in section.items]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


MD_SPECIAL = set("\\`*_[]<>#|&!")
ORDERED_MARKER = re.compile(r"^(\s*\d{1,9})([.)])")


def _md_escape(text: str) -> str:
    """Make text literal in Markdown: it must not become a heading, link, list, entity or HTML."""
    escaped = "".join("\\" + ch if ch in MD_SPECIAL else ch for ch in text)
    # A line that starts like a list item or a numbered item would change the structure.
    escaped = ORDERED_MARKER.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped)
    stripped = escaped.lstrip()
    if stripped[:1] in ("-", "+", "="):
        indent = len(escaped) - len(stripped)
        escaped = escaped[:indent] + "\\" + stripped
    return escaped


def as_markdown(doc: Document) -> str:
    lines = [f"# {doc.title}", ""]
    for section in doc.sections:
        if section.show_title:
            lines += [f"## {section.title}", ""]
        if section.verbatim is not None:
            # A backslash at the end of a line is a hard line break: the account keeps its lines.
            typed = section.verbatim.split("\n")
            lines += [f"> {_md_escape(line)}" + ("\\" if i < len(typed) - 1 and line else "") if line else ">" for i, line in enumerate(typed)]
            lines.append("")
        for p in section.paragraphs:
            lines += [_md_escape(p), ""]
        if section.items and section.plain:
            lines += [f"{_md_escape(item)}  " if item else "" for item in section.items] + [""]
        elif section.items:
            lines += [f"- {_md_escape(item)}" for item in section.items] + [""]
    return "\n".join(lines).rstrip() + "\n"


def case_json(outcome: CaseOutcome, flow: Flow, made: Made | None = None) -> dict:
    o, made = outcome, made or make(outcome, flow)
    return {
        **record.header(o),
        "office": o.office.id,
        "flow_version": o.flow_version,
        "content_hash": o.content_hash,
        "journey": o.journey.id,
        "decision_date": o.decision_date,
        "reference": o.reference,
        "account": o.account,
        "safety": [x.id for x in o.safety],
        "immediate_actions": [a.id for a in o.immediate],
        "was_in_place": o.in_place.id if o.in_place else None,
        "decided": o.decided,
        "decided_by": o.decided_by,
        "terms": o.terms,
        "review_due": o.review_due,
        "overdue": o.overdue,
        "detail": o.detail.id if o.detail else None,
        "review_since": [x.id for x in o.review_since],
        "review_outcome": o.review_outcome.id if o.review_outcome else None,
        "next_review": o.next_review,
        "handling": [i.id for i in o.handling],
        "dispute": o.dispute.text if o.dispute else None,
        "decided_by_office": o.decider.text if o.decider else None,
        "restricts": False,
        "citations": list(o.citations),
        "statements": [{"section": st.section, "text": st.text, "basis": st.basis.kind, "cite": list(st.basis.cite),
                        "reason": st.basis.reason} for st in made.statements],
        "documents": {d.title: as_text(d) for d in made.documents},
    }


def as_json(outcome: Outcome | CaseOutcome, flow: Flow, made: Made | None = None) -> str:
    """The case record; `made`, if given, is make(outcome, flow) already done (a result page
    makes it once for everything)."""
    if isinstance(outcome, CaseOutcome):
        return json.dumps(case_json(outcome, flow, made), indent=2, ensure_ascii=False) + "\n"
    o, made = outcome, made or make(outcome, flow)
    data = {
        **record.header(o),
        "office": o.office.id,
        "flow_version": o.flow_version,
        "content_hash": o.content_hash,
        "decision_date": o.decision_date,
        "reference": o.reference,
        "account": o.account,
        "channel": o.channel,
        "matter": o.matter.id,
        "journey": o.journey.id if o.journey else c.INCIDENT,
        "history": o.history.id,
        "arrangement": dict(o.arrangement),
        "handling": [i.id for i in o.handling],
        "new_information": o.new_information,
        "safety": [x.id for x in o.safety],
        "behaviours": [b.id for b in o.behaviours],
        "families": [f.id for f in o.families],
        "nothing_unacceptable": o.nothing_unacceptable,
        "immediate_actions": [a.id for a in o.immediate],
        "causes": {f.node: f.met for f in o.causes},
        "restrictions_wait": list(o.restrictions_wait),
        "needs": [n.id for n in o.needs],
        "protected_channel": o.protected_channel,
        "ceiling": o.ceiling.id if o.ceiling else None,
        "measures": [{"id": m.measure.id, "tier": m.tier.id, "decided_by": m.decided_by.text} for m in o.measures],
        "withheld": {w.measure.id: w.why for w in o.withheld},
        "restricts": o.restricts,
        "checklist": {item.id: ok for item, ok in o.checklist},
        "authorisation_ready": o.authorisation_ready,
        "notice": [n.id for n in o.notice],
        "warning_letter": [n.id for n in o.warning_elements],
        "safeguards": [g.id for g in o.safeguards],
        "dispute": o.dispute.text if o.dispute else None,
        "review_date": o.review_date,
        "citations": list(o.citations),
        "statements": [{"section": st.section, "text": st.text, "basis": st.basis.kind, "cite": list(st.basis.cite),
                        "reason": st.basis.reason} for st in made.statements],
        "documents": {d.title: as_text(d) for d in made.documents},
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render(outcome: Outcome, flow: Flow, fmt: str = "text") -> str:
    if fmt == "json":
        return as_json(outcome, flow)
    formatter = as_markdown if fmt == "markdown" else as_text
    return "\n".join(formatter(d) for d in documents(outcome, flow))
