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

from . import contract as c
from .model import Flow, Outcome
from .rules import capitalise

FORMATS = ("text", "markdown", "json")


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    verbatim: str | None = None  # the user's own words, shown as typed
    plain: bool = False  # items are lines (an address block), not a bulleted list
    show_title: bool = True  # letters run on without headings between their parts


@dataclass(frozen=True)
class Document:
    kind: str  # contract.DOCUMENTS: note, warning_letter, strategy_notice
    title: str
    short: str  # the name on buttons
    filename: str  # the stem of a downloaded file
    sections: tuple[Section, ...]

    @property
    def letter(self) -> bool:
        return self.kind != c.NOTE


def cites(refs: tuple[str, ...] | list[str]) -> str:
    return f" ({'; '.join(refs)})" if refs else ""


def _document(flow: Flow, kind: str, key: str, sections: list[Section] | tuple[Section, ...]) -> Document:
    return Document(kind, flow.say(f"{key}.title"), flow.say(f"{key}.short"), flow.say(f"{key}.filename"), tuple(sections))


def record_note(outcome: Outcome, flow: Flow) -> Document:
    o, office = outcome, outcome.office

    def say(key: str, **values: object) -> str:
        return flow.say(f"note.{key}", **values)

    s: list[Section] = []
    s.append(Section(say("case.title"), items=(
        say("case.date", date=o.decision_date),
        say("case.office", office=office.name, profile=office.id),
        say("case.reference", reference=o.reference or say("case.no_reference")),
    )))
    s.append(Section(say("account.title"), verbatim=o.account or say("account.empty")))
    s.append(Section(say("context.title"), items=(
        say("context.channel", channel=o.channel),
        say("context.matter", matter=o.matter.label) + cites(o.matter.cite),
        say("context.history", history=o.history.label) + cites(o.history.cite),
        say("context.new_information", answer=say("context.yes" if o.new_information else "context.no")),
    )))
    s.append(Section(
        say("safety.title"),
        items=tuple(f"{x.label}{cites(x.cite)}" for x in o.safety) or (say("safety.none"),),
    ))
    if o.nothing_unacceptable:
        behaviour = Section(say("behaviour.title"), paragraphs=(say("behaviour.none"),))
    else:
        fams = {f.id: f.label for f in o.families}
        caveat = ()
        if o.new_information and any(f.id == c.PERSISTENT for f in o.families):
            caveat = (say("behaviour.persistence_caveat"),)
        behaviour = Section(say("behaviour.title"), paragraphs=caveat, items=tuple(
            say("behaviour.item", behaviour=b.label, family=fams.get(b.family, b.family)) + cites(b.cite) for b in o.behaviours
        ) + tuple(say("behaviour.family", family=f.label) + cites(f.cite) for f in o.families))
    s.append(behaviour)
    police = (say("actions.police_route", route=o.police_route.text) + cites(o.police_route.cite),) if o.police_route else ()
    s.append(Section(say("actions.title"), items=tuple(f"{a.text}{cites(a.cite)}" for a in o.immediate) + police))
    if o.causes:
        s.append(Section(
            say("causes.title"),
            items=tuple(say("causes.item", question=f.question, answer=f.answer) + cites(f.cite) for f in o.causes),
        ))
        remedies = tuple(f"{f.remedy}{cites(f.cite)}" for f in o.remedies)
        s.append(Section(say("remedies.title"), items=remedies or (say("remedies.none"),)))
    if o.restrictions_wait:
        s.append(Section(say("wait.title"), paragraphs=o.restrictions_wait))
    if not o.nothing_unacceptable:
        needs = tuple(f"{n.label}{cites(n.cite)}" for n in o.needs) or (say("needs.none"),)
        adjust = tuple(say("needs.adjustment", remedy=n.remedy) + cites(n.cite) for n in o.needs if n.remedy)
        keep = (say("needs.keep", channel=flow.channels[o.protected_channel].phrase),) if o.protected_channel else ()
        s.append(Section(say("needs.title"), items=needs + adjust, paragraphs=keep))
        s.append(Section(
            say("proportionality.title"),
            paragraphs=tuple(o.ceiling_reasons) + ((say("proportionality.top", tier=o.ceiling.label),) if o.ceiling else ()),
        ))
        s.append(_measures_section(o, flow))
        if o.withheld:
            s.append(Section(say("withheld.title"), items=tuple(
                say("withheld.item", measure=w.measure.label, why=w.why) for w in o.withheld
            )))
    s.append(_authorisation_section(o, flow))
    if o.notice:
        s.append(Section(
            say("notice.title"),
            paragraphs=(say("notice.intro", person=office.person.text),),
            items=tuple(f"{n.text}{cites(n.cite)}" for n in o.notice),
        ))
    elif o.warning_letter:
        s.append(Section(say("notice.title"), paragraphs=(say("notice.warning_only"),)))
    if o.safeguards:
        s.append(Section(say("safeguards.title"), items=tuple(f"{g.text}{cites(g.cite)}" for g in o.safeguards)))
    if o.dispute:
        s.append(Section(say("dispute.title"), paragraphs=(f"{capitalise(o.dispute.text)}.{cites(o.dispute.cite)}",)))
    s.append(Section(say("review.title"), items=(
        say("review.date", date=o.review_date or say("review.no_date")),
        say("review.basis", basis=o.review_basis) + (cites(office.review.cite) if o.restricts else ""),
    )))
    s.append(Section(say("references.title"), items=tuple(_reference_line(ref, flow) for ref in o.citations)))
    s.append(Section(say("produced.title"), items=(
        say("produced.version", version=o.flow_version, hash=o.content_hash),
        say("produced.disclaimer"),
    )))
    return _document(flow, c.NOTE, "note", s)


def _measures_section(o: Outcome, flow: Flow) -> Section:
    title = flow.say("note.measures.title")
    if not o.measures:
        return Section(title, paragraphs=(flow.say("note.measures.none"),))
    lines = []
    for chosen in o.measures:
        why = f"{chosen.measure.reason} {chosen.note}" if chosen.note else chosen.measure.reason
        line = flow.say("note.measures.item", measure=chosen.measure.label, why=why, decided_by=chosen.decided_by.text)
        lines.append(line + cites(chosen.measure.cite))
    return Section(title, items=tuple(lines))


def _authorisation_section(o: Outcome, flow: Flow) -> Section:
    def say(key: str, **values: object) -> str:
        return flow.say(f"note.authorisation.{key}", **values)

    needing = [m for m in o.measures if m.measure.authoriser != c.ROLE_STAFF]
    if not o.measures:
        return Section(say("title"), paragraphs=(say("nothing"),))
    if not needing:
        return Section(say("title"), paragraphs=(say("staff_only"),))
    whom = []
    for m in needing:
        line = f"{capitalise(m.decided_by.text)}{cites(m.decided_by.cite)}"
        if line not in whom:
            whom.append(line)
    paragraphs = [say("needed", who=w) for w in whom]
    items: tuple[str, ...] = ()
    if o.checklist:
        items = tuple(f"[{'x' if ok else ' '}] {item.text}{cites(item.cite)}" for item, ok in o.checklist)
        paragraphs.append(say("ready") if o.authorisation_ready else say("not_ready"))
    return Section(say("title"), paragraphs=tuple(paragraphs), items=items)


def _reference_line(ref: str, flow: Flow) -> str:
    clause = flow.register.resolve(ref)
    if clause is None:  # the loader rejects unknown citations, so this is a bug, not bad input
        raise KeyError(ref)
    return flow.say("note.references.item", ref=ref, title=clause.title, office=clause.office, file=clause.file)


# --- draft letters ---------------------------------------------------------------------------------


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def long_date(iso: str) -> str:
    """27 November 2026: the form a letter uses (the note keeps ISO dates for sorting)."""
    year, month, day = (int(p) for p in iso.split("-"))
    return f"{day} {MONTHS[month - 1]} {year}"


def _letter_heading(o: Outcome, flow: Flow) -> Section:
    reference = flow.say("letters.reference", reference=o.reference or flow.say("letters.no_reference"))
    return Section("Heading", plain=True, show_title=False, items=(
        *flow.paragraphs("letters.heading"), "", long_date(o.decision_date), reference,
    ))


def warning_letter(outcome: Outcome, flow: Flow) -> Document:
    o = outcome
    return _document(flow, c.WARNING_LETTER_DOC, "letters.warning", (
        _letter_heading(o, flow),
        Section("Letter", show_title=False, paragraphs=flow.paragraphs("letters.warning.opening"),
                items=tuple(f.letter for f in o.families)),
        Section("What we ask", show_title=False, paragraphs=(
            *(f.ask for f in o.families),
            *flow.paragraphs("letters.warning.closing"),
            *flow.paragraphs("letters.sign_off"),
        )),
    ))


def strategy_notice(outcome: Outcome, flow: Flow) -> Document:
    o = outcome
    restrictions = tuple(m.measure.letter for m in o.measures if m.tier.restricts)
    why = flow.say("letters.strategy.why", behaviour=" and ".join(f.letter for f in o.families))
    values = {"review_date": long_date(o.review_date) if o.review_date else "", "dispute": o.dispute.text if o.dispute else ""}
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


def documents(outcome: Outcome, flow: Flow) -> list[Document]:
    docs = [record_note(outcome, flow)]
    if outcome.warning_letter:
        docs.append(warning_letter(outcome, flow))
    if outcome.strategy_notice:
        docs.append(strategy_notice(outcome, flow))
    return docs


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


def as_json(outcome: Outcome, flow: Flow) -> str:
    o = outcome
    data = {
        "office": o.office.id,
        "flow_version": o.flow_version,
        "content_hash": o.content_hash,
        "decision_date": o.decision_date,
        "reference": o.reference,
        "account": o.account,
        "channel": o.channel,
        "matter": o.matter.id,
        "history": o.history.id,
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
        "safeguards": [g.id for g in o.safeguards],
        "dispute": o.dispute.text if o.dispute else None,
        "review_date": o.review_date,
        "citations": list(o.citations),
        "documents": {d.title: as_text(d) for d in documents(o, flow)},
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render(outcome: Outcome, flow: Flow, fmt: str = "text") -> str:
    if fmt == "json":
        return as_json(outcome, flow)
    formatter = as_markdown if fmt == "markdown" else as_text
    return "\n".join(formatter(d) for d in documents(outcome, flow))
