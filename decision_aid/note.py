"""The record note and the draft letters, as plain text, Markdown or JSON.

Each document is first built as a list of sections (pure data), then formatted; the formats
cannot drift apart because they share one builder. Text the user typed is carried as given:
escaping for HTML happens in the HTML renderer, never here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from .content import Register
from .model import Outcome
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
    title: str
    sections: tuple[Section, ...]
    kind: str = field(default="note")


def cites(refs: tuple[str, ...] | list[str]) -> str:
    return f" ({'; '.join(refs)})" if refs else ""


def _yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


def record_note(outcome: Outcome, register: Register) -> Document:
    o, office = outcome, outcome.office
    s: list[Section] = []
    s.append(Section("Case", items=(
        f"Date of decision: {o.decision_date}",
        f"Office: {office.name} (profile '{office.id}')",
        f"Reference: {o.reference or '[none given]'}",
    )))
    s.append(Section("What happened (as recorded by staff)", verbatim=o.account or "[not given]"))
    s.append(Section("Context", items=(
        f"Channel: {o.channel}",
        f"Matter: {o.matter.label}{cites(o.matter.cite)}",
        f"Isolated incident or pattern: {o.history.label}{cites(o.history.cite)}",
        f"Significant new information, matter or complaint: {_yes_no(o.new_information)}",
    )))
    s.append(Section(
        "Safety",
        items=tuple(f"{x.label}{cites(x.cite)}" for x in o.safety) or ("No violence, threat of harm or stalking reported.",),
    ))
    if o.nothing_unacceptable:
        behaviour = Section("Behaviour", paragraphs=(
            "None of the listed behaviours: the person was angry, upset, forceful or determined, which is not by itself unacceptable. No sanction applies.",
        ))
    else:
        fams = {f.id: f.label for f in o.families}
        caveat = ()
        if o.new_information and any(f.id == "persistent" for f in o.families):
            caveat = ("Persistence means contact without new information: as the person has brought new information, check whether this is persistence at all.",)
        behaviour = Section("Behaviour", paragraphs=caveat, items=tuple(
            f"{b.label} [{fams.get(b.family, b.family)}]{cites(b.cite)}" for b in o.behaviours
        ) + tuple(f"Family: {f.label}{cites(f.cite)}" for f in o.families))
    s.append(behaviour)
    police = (f"Police route at this office: {o.police_route.text}{cites(o.police_route.cite)}",) if o.police_route else ()
    s.append(Section("Immediate actions", items=tuple(f"{a.text}{cites(a.cite)}" for a in o.immediate) + police))
    if o.causes:
        s.append(Section(
            "Underlying causes: our own handling",
            items=tuple(f"{c.question} {c.answer}.{cites(c.cite)}" for c in o.causes),
        ))
        remedies = tuple(f"{c.remedy}{cites(c.cite)}" for c in o.remedies)
        s.append(Section(
            "Remedial actions",
            items=remedies or ("None needed: every question about our own handling was answered satisfactorily.",),
        ))
    if o.restrictions_wait:
        s.append(Section("Restrictions must wait", paragraphs=o.restrictions_wait))
    if not o.nothing_unacceptable:
        needs = tuple(f"{n.label}{cites(n.cite)}" for n in o.needs) or ("None known.",)
        adjust = tuple(f"Adjustment: {n.remedy}{cites(n.cite)}" for n in o.needs if n.remedy)
        keep = (
            (f"A reasonable adjustment relies on contact by {_channel(o)}: no restriction may remove it.",)
            if o.protected_channel else ()
        )
        s.append(Section("Needs and reasonable adjustments", items=needs + adjust, paragraphs=keep))
        s.append(Section(
            "Proportionality",
            paragraphs=tuple(o.ceiling_reasons) + (
                (f"Most restrictive step open now: {o.ceiling.label}.",) if o.ceiling else ()
            ),
        ))
        s.append(_measures_section(o))
        if o.withheld:
            s.append(Section("Measures not offered, and why", items=tuple(
                f"{w.measure.label}: {w.why}." for w in o.withheld
            )))
    s.append(_authorisation_section(o))
    if o.notice:
        s.append(Section(
            "Written notice to send",
            paragraphs=(f"Write to the {office.person.text} (or use another format they can access) before the restriction starts.",),
            items=tuple(f"{n.text}{cites(n.cite)}" for n in o.notice),
        ))
    elif o.warning_letter:
        s.append(Section("Written notice to send", paragraphs=("A written warning letter: see the draft.",)))
    if o.safeguards:
        s.append(Section("Safeguards that stay in place", items=tuple(f"{g.text}{cites(g.cite)}" for g in o.safeguards)))
    if o.dispute:
        s.append(Section("How the person can dispute it", paragraphs=(f"{capitalise(o.dispute.text)}.{cites(o.dispute.cite)}",)))
    s.append(Section("Review", items=(
        f"Review date: {o.review_date or 'none'}",
        f"Basis: {o.review_basis}{cites(office.review.cite) if o.restricts else ''}",
    )))
    s.append(Section("Policy references", items=tuple(_reference_line(ref, register) for ref in o.citations)))
    s.append(Section("Produced by", items=(
        f"OPCC decision aid, flow version {o.flow_version}, content hash {o.content_hash}",
        "A recommendation to support a decision, not the decision itself: the named authoriser decides.",
    )))
    return Document("Record note: managing contact", tuple(s))


def _channel(o: Outcome) -> str:
    from_labels = {
        "telephone": "telephone", "letter": "letter", "email": "e-mail",
        "social_media": "social media", "in_person": "visiting in person",
    }
    return from_labels.get(o.protected_channel or "", o.protected_channel or "")


def _measures_section(o: Outcome) -> Section:
    if not o.measures:
        return Section("Recommended measures", paragraphs=("No further action beyond recording what happened.",))
    lines = []
    for c in o.measures:
        extra = f" {c.note}" if c.note else ""
        lines.append(
            f"{c.measure.label}. Why: {c.measure.reason}{extra} Decided by: {c.decided_by.text}{cites(c.measure.cite)}"
        )
    return Section("Recommended measures", items=tuple(lines))


def _authorisation_section(o: Outcome) -> Section:
    needing = [c for c in o.measures if c.measure.authoriser != "staff"]
    if not o.measures:
        return Section("Authorisation", paragraphs=("No measure is proposed, so nothing needs authorising.",))
    if not needing:
        return Section("Authorisation", paragraphs=(
            "Nothing here needs authorisation beyond telling your line manager: staff may take these steps themselves.",
        ))
    whom = []
    for c in needing:
        line = f"{capitalise(c.decided_by.text)}{cites(c.decided_by.cite)}"
        if line not in whom:
            whom.append(line)
    paragraphs = [f"Needed from: {w}" for w in whom]
    items: tuple[str, ...] = ()
    if o.checklist:
        items = tuple(f"[{'x' if ok else ' '}] {item.text}{cites(item.cite)}" for item, ok in o.checklist)
        paragraphs.append(
            "The authoriser's checklist is satisfied."
            if o.authorisation_ready
            else "The checklist is not yet satisfied: the restriction cannot be authorised until every item is ticked."
        )
    return Section("Authorisation", paragraphs=tuple(paragraphs), items=items)


def _reference_line(ref: str, register: Register) -> str:
    clause = register.resolve(ref)
    if clause is None:  # the loader rejects unknown citations, so this is a bug, not bad input
        raise KeyError(ref)
    return f"{ref}: {clause.title} ({clause.office}, {clause.file})"


# --- draft letters ---------------------------------------------------------------------------------


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def long_date(iso: str) -> str:
    """27 November 2026: the form a letter uses (the note keeps ISO dates for sorting)."""
    year, month, day = (int(p) for p in iso.split("-"))
    return f"{day} {MONTHS[month - 1]} {year}"


def _letter_heading(o: Outcome) -> Section:
    return Section("Heading", plain=True, show_title=False, items=(
        "[Name of the person]", "[Address, or e-mail address]", "", long_date(o.decision_date),
        f"Our reference: {o.reference or '[reference]'}",
    ))


def warning_letter(outcome: Outcome) -> Document:
    o = outcome
    return Document("Draft warning letter", (
        _letter_heading(o),
        Section("Letter", show_title=False, paragraphs=(
            "Dear [Name],",
            "I am writing about your recent contact with this office. We want to deal with your matter properly, and we also have a duty to keep our staff safe and to be fair to everyone who contacts us.",
            "The way you have contacted us has fallen short of what we can accept. On [date or dates] there was:",
        ), items=tuple(f.letter for f in o.families)),
        Section("What we ask", show_title=False, paragraphs=(
            *(f.ask for f in o.families),
            "[Add what should change in this case, in plain words.]",
            "If the behaviour continues, we may put arrangements in place to manage your future contact with this office. If that happens we will write to explain them, how long they last and how you can dispute them.",
            "This letter does not stop you raising a new matter or making a new complaint, and it does not affect your right to contact the police on 999 in an emergency or 101 otherwise.",
            "I enclose a copy of our policy on managing contact. If you need this letter in another format, please tell us.",
            "Yours sincerely,",
            "[Your name]",
            "[Job title]",
        )),
    ), kind="letter")


def strategy_notice(outcome: Outcome) -> Document:
    o, office = outcome, outcome.office
    restrictions = tuple(c.measure.letter for c in o.measures if c.tier.restricts)
    present = {n.id for n in o.notice}
    paragraphs = [
        "Dear [Name],",
        "I am writing to tell you about arrangements for your future contact with this office, and why we have made them.",
    ]
    kinds = " and ".join(f.letter for f in o.families)
    why = f"This is because of {kinds}: [describe briefly what happened and when]. We cannot accept this, because it affects our staff and our ability to serve others."
    tail: list[str] = []
    if "duration_review" in present:
        tail.append(f"These arrangements will be reviewed on or before {long_date(o.review_date)}. We will tell you the outcome of the review and of any change.")
    if "dispute" in present and o.dispute:
        tail.append(f"If you disagree with this decision, you can dispute it: {o.dispute.text}.")
    if "new_matters" in present:
        tail.append("You can still raise a new matter or make a new complaint with us, and your right to complain and your right of review are not affected.")
    if "police_routes" in present:
        tail.append("These arrangements apply only to contact with this office. You can still contact the police on 999 in an emergency or 101 otherwise.")
    if "office_only" in present:
        tail.append("We have put these arrangements in place so that your concerns are dealt with promptly and properly. If they are not kept to, that may slow down how we handle your matter.")
    if "info_rights" in present:
        tail.append("Your rights to request information, under the Freedom of Information Act 2000 and the Data Protection Act 2018, are not affected.")
    if "copy_of_policy" in present:
        tail.append("I enclose a copy of our policy on managing contact, which explains this further.")
    staff_notes = ["[Staff: check every item of the record note's 'Written notice to send' list is covered before sending.]"]
    if "accessible_format" in present:
        staff_notes.append("[Staff: send this in writing, or in another format the person can access.]")
    if "post_and_email" in present:
        staff_notes.append("[Staff: send this by post and by e-mail.]")
    return Document("Draft contact strategy notice", (
        _letter_heading(o),
        Section("Letter", show_title=False, paragraphs=tuple(paragraphs) + (why, "From now on:"), items=restrictions),
        Section("Your rights", show_title=False, paragraphs=tuple(tail) + (
            "Yours sincerely,", "[Your name]", "[Job title]",
        )),
        Section("Before sending", items=tuple(staff_notes)),
    ), kind="letter")


def documents(outcome: Outcome, register: Register) -> list[Document]:
    docs = [record_note(outcome, register)]
    if outcome.warning_letter:
        docs.append(warning_letter(outcome))
    if outcome.strategy_notice:
        docs.append(strategy_notice(outcome))
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
            lines += [p, ""] if doc.kind == "letter" else [p]
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


def as_json(outcome: Outcome, register: Register) -> str:
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
        "causes": {c.node: c.met for c in o.causes},
        "restrictions_wait": list(o.restrictions_wait),
        "needs": [n.id for n in o.needs],
        "protected_channel": o.protected_channel,
        "ceiling": o.ceiling.id if o.ceiling else None,
        "measures": [{"id": c.measure.id, "tier": c.tier.id, "decided_by": c.decided_by.text} for c in o.measures],
        "withheld": {w.measure.id: w.why for w in o.withheld},
        "restricts": o.restricts,
        "checklist": {item.id: ok for item, ok in o.checklist},
        "authorisation_ready": o.authorisation_ready,
        "notice": [n.id for n in o.notice],
        "safeguards": [g.id for g in o.safeguards],
        "dispute": o.dispute.text if o.dispute else None,
        "review_date": o.review_date,
        "citations": list(o.citations),
        "documents": {d.title: as_text(d) for d in documents(o, register)},
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render(outcome: Outcome, register: Register, fmt: str = "text") -> str:
    if fmt == "json":
        return as_json(outcome, register)
    formatter = as_markdown if fmt == "markdown" else as_text
    return "\n".join(formatter(d) for d in documents(outcome, register))
