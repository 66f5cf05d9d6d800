"""reference.md ("All questions"): everything the aid can ask and say, for the built office.

Every question in flow order with its hint, options, routes and citations; every measure by tier
with who decides it for this office; the checklist, notice elements, safeguards and immediate
actions; then the letters in full and every fixed sentence of the record note and the result
page (`signoff.py`). It is the aid's no-JavaScript fallback and the document a policy owner
signs off, so it is generated from the same content the aid runs on and cannot drift from it.
"""

from __future__ import annotations

from decision_aid import basis
from decision_aid.contract import ACCESSIBLE_FORMAT, FROM_CHECKLIST, FROM_MEASURES, MEASURES, ROLES
from decision_aid.graph import RESULT
from decision_aid.model import Node

from . import signoff
from .markup import basis_md, cap, cite, md, page_md, practice_md
from .routes import node_title, numbered, phrases
from .state import Build

PAGE = "reference.md"
KIND_WORDS = {"single": "choose one", "multi": "tick all that apply", "details": "fill in the fields"}
MATTER_WORDS = {"ongoing": "ongoing", "concluded": "concluded", "outside_remit": "outside our remit"}


def reference_markdown(build: Build) -> str:
    flow, office = build.flow, build.office
    n = numbered(flow)
    lines = [
        "---",
        "title: All questions",
        "search:",
        "  boost: 0.5  # it repeats every topic; the topic pages should rank first",
        "---",
        "",
        "# All questions in the decision aid",
        "",
        "Every question the decision aid can ask, in the order of the flow, with every option, route,",
        "measure and list it draws on, and the clauses behind each. The page is generated from the same",
        "content files the aid runs on, so it says exactly what the aid does. Use it when the aid cannot",
        "run (no JavaScript), or to check and sign off the wording.",
        "",
        '!!! info "Version"',
        "",
        f"    Flow version **{md(flow.version)}**, content hash `{flow.content_hash}`.",
        f"    Office values are shown for **{md(office.name)}** (the office this copy of the handbook is built for).",
        "    A record note from the aid carries the same version and hash.",
        "",
        "## Contents { #contents }",
        "",
    ]
    for nid, node in flow.nodes.items():
        lines.append(f"{n[nid]}. [{md(node.question)}](#node-{nid}) ({md(flow.stages[node.stage].label.lower())})")
    lines += [
        "",
        "Then: [behaviour families](#families), [measures by tier](#measures), [who decides](#who-decides),",
        "[the authoriser's checklist](#checklist), [the written notice](#notice), [safeguards](#safeguards)",
        "and [immediate actions](#actions); then [the letters in full](#letters) and [every fixed sentence](#words)",
        "of the record note and the result page, and [our practice, listed apart for approval](#practice).",
        "The same flow is drawn on the [flow map](map.md).",
        "",
    ]
    for nid, node in flow.nodes.items():
        lines += _reference_node(build, nid, node)
    lines += _reference_families(build)
    lines += _reference_measures(build)
    lines += _reference_roles(build)
    lines += _reference_lists(build)
    lines += signoff.letters_in_full(build)
    lines += signoff.fixed_words(build)
    lines += signoff.practice_apart(build)
    return "\n".join(lines) + "\n"


def _reference_node(build: Build, nid: str, node: Node) -> list[str]:
    flow = build.flow
    stage = flow.stages[node.stage]
    lines = [
        f"## {numbered(flow)[nid]}. {md(node.question)} {{ #node-{nid} }}",
        "",
        f"**Stage:** {md(stage.label)} · **Answer:** {KIND_WORDS[node.kind]} · **Question id:** `{nid}` · "
        f"**Handbook:** [{md(stage.label.lower())}]({page_md(stage.page)})",
        "",
    ]
    if node.hint:
        lines += [f"*Hint shown:* {md(node.hint)}", ""]
    lines += [f"**Sources:** {cite(node.cite)}", ""]
    if node.options_from == FROM_MEASURES:
        lines += [
            "**Options:** the [measures below](#measures) that this case allows, least restrictive first. A measure is",
            "offered only if the office's policy has it, it is no further up the ladder than the behaviour and its",
            "history justify, the channel and the state of the matter fit, and it does not take away a channel a",
            "reasonable adjustment relies on. Those not offered are listed in the recommendation with the reason. Also:",
            "",
        ]
    elif node.options_from == FROM_CHECKLIST:
        lines += ["**Options:** the points of [the authoriser's checklist](#checklist) that the office's policy requires. Also:", ""]
    elif node.options:
        lines += ["**Options:**", ""]
    for option in node.options:
        lines.append(f"- **{md(option.label)}** `{option.id}` {cite(option.cite)}")
        if option.hint:
            lines.append(f"    - Hint: {md(option.hint)}")
        if option.exclusive:
            lines.append("    - Stands alone: it cannot be ticked with any other option.")
        if option.family:
            lines.append(f"    - Counts as: {md(flow.families[option.family].label.lower())}.")
        if option.met is True:
            lines.append("    - Means this duty is met.")
        if option.met is False:
            lines.append(f"    - Means this duty is not met. To put right first: {md(option.remedy)}")
        elif option.remedy:
            lines.append(f"    - What to do: {md(option.remedy)}")
        if option.next:
            alone = " on its own" if node.kind == "multi" else ""
            target = node_title(flow, option.next) if option.next != RESULT else "the recommendation"
            lines.append(f"    - If chosen{alone}, the aid goes next to [{md(target)}](#node-{option.next}).")
    if node.fields:
        lines += ["**Fields:**", ""]
        for f in node.fields:
            need = "required" if f.required else "optional"
            hint = f" {md(f.hint)}" if f.hint else ""
            lines.append(f"- **{md(f.label)}** `{f.id}` ({f.kind}, {need}, at most {f.max_length} characters).{hint}")
    where = lambda t: f"[{md(node_title(flow, t))}](#node-{t})" if t != RESULT else "the recommendation, record note and letters"
    lines += ["", "**Where next:** " + " ".join(cap(p) + "." for p in phrases(node, where)), ""]
    return lines


def _reference_families(build: Build) -> list[str]:
    lines = [
        "## Behaviour families { #families }",
        "",
        "Each behaviour option counts in one family; violence, threats and stalking count as aggressive or abusive.",
        "",
    ]
    for fid, family in build.flow.families.items():
        lines += [
            f"- **{md(family.label)}** `{fid}` {cite(family.cite)}",
            f"    - {md(family.summary)}",
            f"    - In a letter: “{md(family.letter)}”.",
            f"    - What a letter asks: “{md(family.ask)}”",
        ]
    return lines + [""]


def _reference_ceiling(build: Build) -> list[str]:
    """The proportionality rules, in the words the record note uses (rules.toml)."""
    flow = build.flow
    lines = [
        "## How far up the ladder a case may go { #ceiling }",
        "",
        "The aid works out the most restrictive tier a case justifies from its history, and lowers it",
        "while our own handling falls short or new information is waiting. These are the rules, in the",
        "words the record note uses, with the tier each one reaches:",
        "",
    ]
    for rule in flow.ceiling.values():
        reach = f"up to *{md(flow.tiers[rule.tier].label.lower())}*" if rule.tier else "no measure"
        lines.append(f"- {md(rule.text)} {cite(rule.cite)} `{rule.id}` ({reach})")
    fallback = flow.review_fallback
    lines += ["", f"Where an office's policy fixes no review interval, the aid proposes {fallback.months} months {cite(fallback.cite)}.", ""]
    return lines


def _reference_measures(build: Build) -> list[str]:
    flow, office = build.flow, build.office
    lines = _reference_ceiling(build) + [
        "## Measures, least restrictive first { #measures }",
        "",
        "The ladder of measures. The aid offers a measure only when it fits the case (see [question "
        f"{numbered(flow)[MEASURES]}](#node-{MEASURES})). A tier that restricts contact needs authorising, a written",
        "notice, a review date and the safeguards. “Who decides” names the role, and who that is for",
        f"**{md(office.short)}**.",
        "",
    ]
    for tier in sorted(flow.tiers.values(), key=lambda t: t.rank):
        page = tier.page
        lines += [
            f"### Tier {tier.rank}: {md(tier.label)} {{ #tier-{tier.id} }}",
            "",
            ("Restricts contact: needs authorising, written notice, a review date and the safeguards."
             if tier.restricts else "Does not restrict contact."),
            f"Handbook: [{md(tier.label.lower())}]({page_md(page)})." if page else "",
            "",
        ]
        for m in sorted((office.measure(m) for m in flow.measures.values() if m.tier == tier.id), key=lambda m: m.rank):
            who = office.authorisers[m.authoriser]
            lines.append(f"- **{md(cap(m.label))}** `{m.id}` · rank {m.rank} {cite(m.cite)}")
            lines.append(f"    - Who decides: {ROLES[m.authoriser]}; for {md(office.short)}: {md(who.text)} {cite(who.cite)}")
            lines.append(f"    - Why it can be proportionate: {md(m.reason)}")
            if m.channels:
                lines.append(f"    - Offered only for contact by: {md(', '.join(flow.channels[c].label.lower() for c in m.channels))}.")
            if m.matter:
                lines.append(f"    - Offered only when the matter is: {md(' or '.join(MATTER_WORDS.get(s, s) for s in m.matter))}.")
            if m.removes:
                lines.append(
                    f"    - Takes away: {md(', '.join(flow.channels[c].label.lower() for c in m.removes))}; never offered when a "
                    "reasonable adjustment relies on that channel."
                )
            if m.id not in office.measures:
                lines.append(f"    - Not among {md(office.short)}'s measures, so not offered in this copy. {cite(office.measures_cite)}")
            if m.letter:
                lines.append(f"    - The written notice says: “{md(m.letter)}”")
        lines.append("")
    return lines


def _reference_roles(build: Build) -> list[str]:
    office = build.office
    lines = [
        "## Who decides { #who-decides }",
        "",
        f"For **{md(office.name)}**. Other offices: [the five offices compared](compare.md).",
        "",
    ]
    for role, who in office.authorisers.items():
        lines.append(f"- **{md(cap(ROLES[role]))}** (`{role}`): {md(who.text)} {cite(who.cite)}")
    lines += [
        f"- **Review of a restriction**: {md(office.review.text)} {cite(office.review.cite)}",
        f"- **How the person disputes it**: {md(office.dispute.text)} {cite(office.dispute.cite)}",
        "",
    ]
    return lines


def _reference_lists(build: Build) -> list[str]:
    flow, office = build.flow, build.office
    said = lambda item: basis_md(basis.of(flow, office, item.cite, item.practice))
    lines = [
        "## The authoriser's checklist { #checklist }",
        "",
        f"Before any restriction, the authoriser must be satisfied of each point that the {md(office.short)} policy requires",
        f"{cite(office.checklist_cite)}. Points marked *(not required here)* come from another office's policy.",
        "",
    ]
    for iid, item in flow.checklist.items():
        if iid in office.checklist:
            lines.append(f"1. {md(item.text)} `{iid}` {said(item)}")
        else:
            lines.append(f"1. {md(item.text)} *(not required here)* `{iid}`")
    for title, anchor, letter, elements, intro in (
        ("What the written notice contains", "notice", office.notice, flow.notice,
         "Every restriction is explained to the person in writing, or in a format they can use."),
        ("What a warning letter contains", "warning-letter", office.warning_letter, flow.warning_letter,
         "A written warning tells the person what is wrong, in writing or in a format they can use."),
    ):
        lines += ["", f"## {title} {{ #{anchor} }}", "", f"{intro} {cite(letter.cite)}",
                  "Elements marked *(not carried here)* are in neither this office's policy nor our practice for it.", ""]
        for iid, item in elements.items():
            if iid in letter.all:
                lines.append(f"1. {md(item.text)} `{iid}` {basis_md(basis.of_element(office, item, letter.items))}")
            elif iid == ACCESSIBLE_FORMAT:
                lines.append(f"1. {md(item.text)} `{iid}` *(when the person has a known need)* {practice_md(item.practice, item.cite)}")
            else:
                lines.append(f"1. {md(item.text)} *(not carried here)* `{iid}`")
    lines += ["", "## Safeguards with every restriction { #safeguards }", ""]
    lines += [f"1. {md(item.text)} `{iid}` {said(item)}" for iid, item in flow.safeguards.items()]
    lines += [
        "",
        "## Immediate actions { #actions }",
        "",
        "The recommendation starts with the actions that apply to the case, safety first: how to end the",
        f"contact and what happens about the police are {md(office.short)}'s own rules ([who decides](#who-decides));",
        "the others are these.",
        "",
    ]
    lines += [f"- {md(item.text)} `{iid}` {said(item)}" for iid, item in flow.actions.items()]
    return lines + [""]
