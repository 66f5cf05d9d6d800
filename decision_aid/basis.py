"""Policy or practice: how one statement is shown to one office's staff.

A statement is that office's **policy** only where clauses of its own policy say it (for the
generic profile, any of the five). Otherwise it is our **practice**: either marked so in the
content (`practice = "why"`), or drawn from other offices' policies, which the reason then names.
Nothing here renders; the note, the views and the build show a `Basis` in their own format.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Cited, Flow, NoticeItem, Option, Profile

POLICY, PRACTICE = "policy", "practice"


@dataclass(frozen=True)
class Basis:
    kind: str  # POLICY or PRACTICE
    cite: tuple[str, ...]  # policy: the office's own clauses; practice: the clauses it draws on
    reason: str = ""  # practice: why we advise it

    @property
    def practice(self) -> bool:
        return self.kind == PRACTICE


def of(flow: Flow, office: Profile, cite: tuple[str, ...], practice: str = "") -> Basis:
    if practice:
        return Basis(PRACTICE, tuple(cite), practice)
    own = office.own(cite)
    if own:
        return Basis(POLICY, own)
    return Basis(PRACTICE, tuple(cite), flow.say("basis.other_offices", office=office.short, sources=sources(flow, cite)))


def sources(flow: Flow, refs: tuple[str, ...]) -> str:
    """'Warwickshire (001 §4); West Midlands (003 ¶4.1)': each office with its clauses."""
    by_office: dict[str, list[str]] = {}
    for ref in refs:
        clause = flow.register.resolve(ref)
        by_office.setdefault(clause.short if clause else ref.split(" ", 1)[0], []).append(ref)
    return "; ".join(flow.say("basis.source", name=name, cites="; ".join(refs)) for name, refs in by_office.items())


def of_element(office: Profile, element: NoticeItem, required: tuple[str, ...]) -> Basis:
    """A letter element: policy where the office's policy requires it (`required`), else practice."""
    if element.id in required:
        return Basis(POLICY, office.own(element.cite))
    return Basis(PRACTICE, element.cite, element.practice)


def statements(value: Cited) -> list[tuple[str, Basis]]:
    """An office's value as one or two statements: what its policy says (its own clauses), then
    any advice of ours that goes with it."""
    out = [(value.text, Basis(POLICY, value.cite))]
    if value.advice:
        out.append((value.advice.text, Basis(PRACTICE, (), value.advice.why)))
    return out


def states_something(option: Option) -> bool:
    """An option that makes a claim (a kind of behaviour, a need and what to do about it), not
    just an answer such as "Telephone" or "Yes": only such options carry a basis."""
    return not option.exclusive and bool(option.family or option.police or option.remedy or option.practice)


@dataclass(frozen=True)
class Stated:
    """One statement the aid can show to one office's staff: where it appears, its words, its basis."""

    where: str
    text: str
    basis: Basis


def inventory(flow: Flow, office: Profile) -> list[Stated]:
    """Every statement the aid can present to this office's staff, with its basis: questions and
    hints, options, measures, lists, ceiling rules, the review proposal, letter elements and the
    office's own values. The sign-off page lists the practice ones apart from the policy ones."""
    out: list[Stated] = []

    def add(where: str, text: str, cite: tuple[str, ...], practice: str = "") -> None:
        out.append(Stated(where, text, of(flow, office, cite, practice)))

    for nid, node in flow.nodes.items():
        add(f"question {nid}", node.question, node.cite)
        if node.hint:
            if node.hint_practice:
                out.append(Stated(f"question {nid}, hint", node.hint, Basis(PRACTICE, (), node.hint_practice)))
            else:
                add(f"question {nid}, hint", node.hint, node.cite)
        for option in node.options:
            if states_something(option):
                add(f"question {nid}, option {option.id}", option.label, option.cite, option.practice)
            if option.remedy:
                add(f"question {nid}, option {option.id}, what to do", option.remedy, option.cite, option.practice)
    for fid, family in flow.families.items():
        add(f"family {fid}", family.summary, family.cite)
    for mid in office.measures:
        measure = office.measure(flow.measures[mid])
        add(f"measure {mid}", measure.label, measure.cite, measure.practice)
    for iid in office.checklist:
        item = flow.checklist[iid]
        add(f"checklist {iid}", item.text, item.cite, item.practice)
    for kind, items in (("safeguard", flow.safeguards), ("action", flow.actions)):
        for iid, item in items.items():
            add(f"{kind} {iid}", item.text, item.cite, item.practice)
    for rid, rule in flow.ceiling.items():
        add(f"ceiling rule {rid}", rule.text, rule.cite, rule.practice)
    for journey, items in flow.handling.items():
        for item in items:
            add(f"handling a {journey.replace('_', ' ')}: {item.id}", item.text, item.cite, item.practice)
    if not office.review_months:
        fallback = flow.review_fallback
        out.append(Stated("review proposal", f"{fallback.months} months", Basis(PRACTICE, fallback.cite, fallback.practice)))
    for name, letter, elements in (("notice", office.notice, flow.notice), ("warning letter", office.warning_letter, flow.warning_letter)):
        for eid in letter.all:
            out.append(Stated(f"{name} {eid}", elements[eid].text, of_element(office, elements[eid], letter.items)))
    values = [("person", office.person), ("ending the contact", office.end_contact), ("review", office.review),
              ("dispute route", office.dispute), ("read and file", office.read_and_file), ("without a warning", office.without_warning.said)]
    values += [(f"who decides: {role}", value) for role, value in office.authorisers.items()]
    values += [(f"police: {kind}", rule.said) for kind, rule in office.police.items()]
    values += [("police: visits", office.police_visit)] if office.police_visit else []
    for where, value in values:
        out += [Stated(f"office value: {where}", text, b) for text, b in statements(value)]
    return out
