"""MkDocs hooks for induction: the all-questions reference, the flow map, and the practice
scenarios placed along the induction path. Registered after hooks.py in mkdocs.yml.

Everything here is generated at build time from the same content the engine reads
(decision_aid/content/), so neither page can drift from what the aid does:

- `reference.md` ("All questions"): every question in flow order with its hint, options (hints,
  exclusive flags, their own routes), routes and conditions in words, citations; every measure by
  tier with its rank, who decides (and who that is for the office built), channel and matter
  conditions and the channels it takes away; the checklist, notice elements, safeguards and
  immediate actions; the flow version and content hash. It is the aid's no-JavaScript fallback
  and the document a policy owner signs off.
- `map.md` ("Flow map"): an SVG drawn here (a top-to-bottom layered layout, no outside tools),
  each question a link to its handbook page, with the same graph as an ordered list in words.
- `induction.md` (written by hand) holds `<!-- practice: <handbook page> -->` markers; each
  becomes the list of practice scenarios to try after that page. A scenario whose page has no
  marker fails the build, so none can go missing from the path.

Citations are written as `[[001 §7]]`; hooks.py (which runs first for every page) turns them
into links to the Sources page. Any other text from the content files is escaped.
"""

from __future__ import annotations

import html
import logging
import os
import re
from dataclasses import dataclass

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from decision_aid.content import RESULT, ContentError, load_all
from decision_aid.model import Flow, Node, Profile
from decision_aid.practice import Scenario, load_practice

log = logging.getLogger("mkdocs.hooks.induction")

REFERENCE_PAGE = "reference.md"
MAP_PAGE = "map.md"
INDUCTION_PAGE = "induction.md"
GENERATED = (REFERENCE_PAGE, MAP_PAGE)
AID_PAGE = "aid/index.md"
PRACTICE_MARK = re.compile(r"^<!--\s*practice:\s*(\S+)\s*-->[ \t]*$", re.M)

# Conditions of routes, in words; the names are those of decision_aid.rules.CONDITIONS.
CONDITION_WORDS = {
    "nothing_unacceptable": "nothing the person did is unacceptable (“None of these” at the behaviour question, and nothing under safety)",
    "needs_authorisation": "a proposed measure restricts contact (a contact strategy, or a step after a breach), so it needs authorising",
}
CONDITION_SHORT = {"nothing_unacceptable": "nothing unacceptable", "needs_authorisation": "a restriction proposed"}
KIND_WORDS = {"single": "choose one", "multi": "tick all that apply", "details": "fill in the fields"}
ROLE_WORDS = {
    "staff": "the member of staff, alone",
    "warning": "whoever agrees a written warning",
    "restriction": "whoever authorises a restriction",
    "escalation": "whoever decides after a breach",
    "police": "whoever reports to the police",
}
MATTER_WORDS = {"ongoing": "ongoing", "concluded": "concluded", "outside_remit": "outside our remit"}


@dataclass
class _State:
    flow: Flow
    profiles: dict[str, Profile]
    office: Profile
    scenarios: dict[str, Scenario]


_state: _State | None = None


def _require() -> _State:
    if _state is None:
        raise PluginError("induction hooks: on_config did not run")
    return _state


# --- small helpers --------------------------------------------------------------------------------


def md(text: str) -> str:
    """Content text made literal in Markdown (as hooks.py does for profile values)."""
    return html.escape(text, quote=False).replace("*", r"\*").replace("_", r"\_").replace("[", r"\[")


def cite(refs) -> str:
    return f"[[{'; '.join(refs)}]]" if refs else ""


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def page_md(path: str) -> str:
    """A handbook path from flow.toml ("causes/") as the Markdown source it is built from."""
    return (path.rstrip("/") or "index") + ".md"


def numbered(flow: Flow) -> dict[str, int]:
    return {nid: n for n, nid in enumerate(flow.nodes, 1)}


def node_title(flow: Flow, nid: str) -> str:
    if nid == RESULT:
        return "Recommendation, record note and letters"
    return f"{numbered(flow)[nid]}. {flow.nodes[nid].question}"


def routes(node: Node) -> list[tuple[str, str | None, str]]:
    """(target, condition or None, kind) for every way out of a node, in the order they apply:
    option routes first ("option:<id>"), then the node's own routes ("when" / "default")."""
    out = []
    for option in node.options:
        if option.next:
            out.append((option.next, option.id, "option"))
    for transition in node.next:
        out.append((transition.to, transition.when, "when" if transition.when else "default"))
    return out


# --- the all-questions reference ----------------------------------------------------------------------


def reference_markdown(state: _State) -> str:
    flow, office = state.flow, state.office
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
        lines.append(f"{n[nid]}. [{md(node.question)}](#node-{nid}) ({md(node.stage.lower())})")
    lines += [
        "",
        "Then: [behaviour families](#families), [measures by tier](#measures), [who decides](#who-decides),",
        "[the authoriser's checklist](#checklist), [the written notice](#notice), [safeguards](#safeguards)",
        "and [immediate actions](#actions). The same flow is drawn on the [flow map](map.md).",
        "",
    ]
    for nid, node in flow.nodes.items():
        lines += _reference_node(state, nid, node)
    lines += _reference_families(state)
    lines += _reference_measures(state)
    lines += _reference_roles(state)
    lines += _reference_lists(state)
    return "\n".join(lines) + "\n"


def _route_words(flow: Flow, node: Node) -> list[str]:
    parts = []
    ways = routes(node)
    for target, cond, kind in ways:
        link = f"[{md(node_title(flow, target))}](#node-{target})" if target != RESULT else "the recommendation, record note and letters"
        if kind == "option":
            option = node.option(cond)
            alone = " on its own" if node.kind == "multi" else ""
            parts.append(f"If “{md(option.label)}” is chosen{alone}: go to {link}.")
        elif kind == "when":
            parts.append(f"If {md(CONDITION_WORDS.get(cond, cond))}: go to {link}.")
        else:
            parts.append(f"{'Otherwise' if len(ways) > 1 else 'Next'}: go to {link}.")
    return parts


def _reference_node(state: _State, nid: str, node: Node) -> list[str]:
    flow = state.flow
    page = flow.handbook[node.stage]
    lines = [
        f"## {numbered(flow)[nid]}. {md(node.question)} {{ #node-{nid} }}",
        "",
        f"**Stage:** {md(node.stage)} · **Answer:** {KIND_WORDS[node.kind]} · **Question id:** `{nid}` · "
        f"**Handbook:** [{md(node.stage.lower())}]({page_md(page)})",
        "",
    ]
    if node.hint:
        lines += [f"*Hint shown:* {md(node.hint)}", ""]
    lines += [f"**Sources:** {cite(node.cite)}", ""]
    if node.options_from == "measures":
        lines += [
            "**Options:** the [measures below](#measures) that this case allows, least restrictive first. A measure is",
            "offered only if the office's policy has it, it is no further up the ladder than the behaviour and its",
            "history justify, the channel and the state of the matter fit, and it does not take away a channel a",
            "reasonable adjustment relies on. Those not offered are listed in the recommendation with the reason. Also:",
            "",
        ]
    elif node.options_from == "checklist":
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
    lines += ["", "**Where next:** " + " ".join(_route_words(flow, node)), ""]
    return lines


def _reference_families(state: _State) -> list[str]:
    lines = [
        "## Behaviour families { #families }",
        "",
        "Each behaviour option counts in one family; violence, threats and stalking count as aggressive or abusive.",
        "",
    ]
    for fid, family in state.flow.families.items():
        lines += [
            f"- **{md(family.label)}** `{fid}` {cite(family.cite)}",
            f"    - {md(family.summary)}",
            f"    - In a letter: “{md(family.letter)}”.",
            f"    - What a letter asks: “{md(family.ask)}”",
        ]
    return lines + [""]


def _reference_ceiling() -> list[str]:
    """The proportionality rules, in the words the record note uses (decision_aid.rules)."""
    from decision_aid.rules import CEILING_RULES

    lines = [
        "## How far up the ladder a case may go { #ceiling }",
        "",
        "The aid works out the most restrictive tier a case justifies from its history, and lowers it",
        "while our own handling falls short or new information is waiting. These are the rules, in the",
        "words the record note uses:",
        "",
    ]
    lines += [f"- {md(rule.text)} {cite(rule.cite)} `{rule.id}`" for rule in CEILING_RULES.values()]
    return lines + [""]


def _reference_measures(state: _State) -> list[str]:
    flow, office = state.flow, state.office
    lines = _reference_ceiling() + [
        "## Measures, least restrictive first { #measures }",
        "",
        "The ladder of measures. The aid offers a measure only when it fits the case (see [question "
        f"{numbered(flow)['measures']}](#node-measures)). A tier that restricts contact needs authorising, a written",
        "notice, a review date and the safeguards. “Who decides” names the role, and who that is for",
        f"**{md(office.short)}**.",
        "",
    ]
    for tier in sorted(flow.tiers.values(), key=lambda t: t.rank):
        page = flow.handbook.get(tier.id)
        lines += [
            f"### Tier {tier.rank}: {md(tier.label)} {{ #tier-{tier.id} }}",
            "",
            ("Restricts contact: needs authorising, written notice, a review date and the safeguards."
             if tier.restricts else "Does not restrict contact."),
            f"Handbook: [{md(tier.label.lower())}]({page_md(page)})." if page else "",
            "",
        ]
        for m in sorted((m for m in flow.measures.values() if m.tier == tier.id), key=lambda m: m.rank):
            who = office.authorisers[m.authoriser]
            lines.append(f"- **{md(cap(m.label))}** `{m.id}` · rank {m.rank} {cite(m.cite)}")
            lines.append(f"    - Who decides: {ROLE_WORDS.get(m.authoriser, m.authoriser)}; for {md(office.short)}: {md(who.text)} {cite(who.cite)}")
            lines.append(f"    - Why it can be proportionate: {md(m.reason)}")
            if m.channels:
                lines.append(f"    - Offered only for contact by: {md(', '.join(flow.channels[c].lower() for c in m.channels))}.")
            if m.matter:
                lines.append(f"    - Offered only when the matter is: {md(' or '.join(MATTER_WORDS.get(s, s) for s in m.matter))}.")
            if m.removes:
                lines.append(
                    f"    - Takes away: {md(', '.join(flow.channels[c].lower() for c in m.removes))}; never offered when a "
                    "reasonable adjustment relies on that channel."
                )
            if m.id not in office.measures:
                lines.append(f"    - Not among {md(office.short)}'s measures, so not offered in this copy. {cite(office.measures_cite)}")
            if m.letter:
                lines.append(f"    - The written notice says: “{md(m.letter)}”")
        lines.append("")
    return lines


def _reference_roles(state: _State) -> list[str]:
    office = state.office
    lines = [
        "## Who decides { #who-decides }",
        "",
        f"For **{md(office.name)}**. Other offices: [the five offices compared](compare.md).",
        "",
    ]
    for role, who in office.authorisers.items():
        lines.append(f"- **{md(cap(ROLE_WORDS.get(role, role)))}** (`{role}`): {md(who.text)} {cite(who.cite)}")
    lines += [
        f"- **Review of a restriction**: {md(office.review.text)} {cite(office.review.cite)}",
        f"- **How the person disputes it**: {md(office.dispute.text)} {cite(office.dispute.cite)}",
        "",
    ]
    return lines


def _reference_lists(state: _State) -> list[str]:
    flow, office = state.flow, state.office
    lines = [
        "## The authoriser's checklist { #checklist }",
        "",
        f"Before any restriction, the authoriser must be satisfied of each point that {md(office.short)}'s policy requires",
        f"{cite(office.checklist_cite)}. Points marked *(not required here)* come from another office's policy.",
        "",
    ]
    for iid, item in flow.checklist.items():
        extra = "" if iid in office.checklist else " *(not required here)*"
        lines.append(f"1. {md(item.text)}{extra} `{iid}` {cite(item.cite)}")
    from decision_aid.rules import ALWAYS_IN_NOTICE

    lines += [
        "",
        "## What the written notice must contain { #notice }",
        "",
        f"Every restriction is explained to the person in writing, or in a format they can use {cite(office.notice_cite)}.",
        "Points marked *(not required here)* are left out of this office's notice unless the person has a known need",
        "(then it goes in an accessible format).",
        "",
    ]
    for iid, item in flow.notice.items():
        required = iid in office.notice or iid in ALWAYS_IN_NOTICE
        extra = "" if required else " *(not required here)*"
        lines.append(f"1. {md(item.text)}{extra} `{iid}` {cite(item.cite)}")
    lines += ["", "## Safeguards with every restriction { #safeguards }", ""]
    lines += [f"1. {md(item.text)} `{iid}` {cite(item.cite)}" for iid, item in flow.safeguards.items()]
    lines += [
        "",
        "## Immediate actions { #actions }",
        "",
        "The recommendation starts with the actions that apply to the case, safety first.",
        "",
    ]
    lines += [f"- {md(item.text)} `{iid}` {cite(item.cite)}" for iid, item in flow.actions.items()]
    return lines + [""]


# --- the flow map -------------------------------------------------------------------------------------------

BOX_W = 400
LINE_H = 17
PAD_Y = 10
GAP_Y = 34
STAGE_H = 26
MARGIN = 16
LANE_GAP = 34
CHAR_W = 6.5  # average width of a 13px sans-serif character, for wrapping


def wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return lines + ([current] if current else [])


@dataclass
class _Box:
    nid: str
    x: float
    y: float
    h: float
    lines: list[str]
    stage: str
    href: str


def _layers(flow: Flow) -> dict[str, int]:
    """Longest-path layering from the start (the flow has no loops: the loader checks)."""
    layer = {flow.start: 0}
    for nid in flow.nodes:  # flow.toml lists nodes so that every route goes forward
        for target, _, _ in routes(flow.nodes[nid]):
            if nid in layer:
                layer[target] = max(layer.get(target, 0), layer[nid] + 1)
    return layer


def map_svg(flow: Flow, href_for) -> tuple[str, int, int]:
    """The flow as an SVG: (markup, width, height). `href_for(page)` gives a node's link."""
    layer = _layers(flow)
    order = [*flow.nodes, RESULT]
    by_layer: dict[int, list[str]] = {}
    for nid in order:
        by_layer.setdefault(layer[nid], []).append(nid)
    chars = int((BOX_W - 24) / CHAR_W)
    boxes: dict[str, _Box] = {}
    y = MARGIN
    stage_marks: list[tuple[str, float]] = []
    current_stage = None
    for depth in sorted(by_layer):
        row = by_layer[depth]
        stage = flow.nodes[row[0]].stage if row[0] != RESULT else "Result"
        if stage != current_stage:
            stage_marks.append((stage, y))
            y += STAGE_H
            current_stage = stage
        texts = {nid: wrap(node_title(flow, nid), chars) for nid in row}
        height = max(len(t) for t in texts.values()) * LINE_H + 2 * PAD_Y
        for i, nid in enumerate(row):
            page = flow.handbook[flow.nodes[nid].stage] if nid != RESULT else flow.handbook.get("Record", "")
            x = MARGIN + 8 + i * (BOX_W + 24)
            boxes[nid] = _Box(nid, x, y, height, texts[nid], stage, href_for(page))
        y += height + GAP_Y
    height_total = int(y - GAP_Y + MARGIN)
    right = max(b.x + BOX_W for b in boxes.values())

    # Edges: neighbours in the same column go straight down; longer ones run in lanes on the right.
    edges = []
    for nid in flow.nodes:
        node = flow.nodes[nid]
        ways = routes(node)
        for target, cond, kind in ways:
            if kind == "option":
                label = f"“{node.option(cond).label}”"
            elif kind == "when":
                label = CONDITION_SHORT.get(cond, cond)
            else:
                label = "otherwise" if len(ways) > 1 else ""
            edges.append((nid, target, label))
    long_edges = sorted(
        [e for e in edges if layer[e[1]] - layer[e[0]] > 1 or boxes[e[0]].x != boxes[e[1]].x],
        key=lambda e: layer[e[1]] - layer[e[0]],
    )
    lanes: list[list[tuple[int, int]]] = []
    lane_of = {}
    for e in long_edges:
        span = (layer[e[0]], layer[e[1]])
        for i, used in enumerate(lanes):
            if all(span[1] <= a or span[0] >= b for a, b in used):
                used.append(span)
                lane_of[e] = i
                break
        else:
            lanes.append([span])
            lane_of[e] = len(lanes) - 1
    label_w = max((len(e[2]) * 6.1 + 12 for e in long_edges), default=0)
    width = int(right + LANE_GAP * max(len(lanes), 1) + label_w + MARGIN + 8)

    out = []
    # Stage headings (on the left, above the first question of each stage).
    for stage, sy in stage_marks:
        out.append(f'<text class="fm-stage" x="{MARGIN}" y="{sy + 17:.0f}">{html.escape(stage)}</text>')
    # Edges first, so boxes sit on top.
    for e in edges:
        src, dst, label = e
        a, b = boxes[src], boxes[dst]
        if e in lane_of:
            lane_x = right + LANE_GAP * (lane_of[e] + 1)
            y1, y2 = a.y + a.h / 2, b.y + b.h / 2
            out.append(
                f'<path class="fm-edge" d="M{a.x + BOX_W:.0f},{y1:.0f} H{lane_x:.0f} V{y2:.0f} H{b.x + BOX_W + 2:.0f}" marker-end="url(#fm-arrow)"/>'
            )
            if label:
                lw = len(label) * 6.1 + 10
                ly = y1 + 22
                out.append(f'<rect class="fm-label-bg" x="{lane_x + 4:.0f}" y="{ly - 13:.0f}" width="{lw:.0f}" height="18" rx="3"/>')
                out.append(f'<text class="fm-label" x="{lane_x + 9:.0f}" y="{ly:.0f}">{html.escape(label)}</text>')
        else:
            cx = a.x + BOX_W / 2
            out.append(f'<path class="fm-edge" d="M{cx:.0f},{a.y + a.h:.0f} V{b.y - 2:.0f}" marker-end="url(#fm-arrow)"/>')
            if label:
                out.append(f'<text class="fm-label" x="{cx + 8:.0f}" y="{a.y + a.h + GAP_Y / 2 + 4:.0f}">{html.escape(label)}</text>')
    for box in boxes.values():
        kind = "fm-node fm-node--result" if box.nid == RESULT else "fm-node"
        text = "".join(
            f'<tspan x="{box.x + 12:.0f}" y="{box.y + PAD_Y + 13 + i * LINE_H:.0f}">{html.escape(line)}</tspan>'
            for i, line in enumerate(box.lines)
        )
        out.append(
            f'<a id="map-svg-{box.nid}" class="{kind}" href="{html.escape(box.href)}">'
            f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{BOX_W}" height="{box.h:.0f}" rx="6"/>'
            f'<text>{text}</text></a>'
        )
    svg = (
        f'<svg class="flow-map__svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height_total}" '
        f'width="{width}" height="{height_total}" aria-labelledby="flow-map-title flow-map-desc">'
        '<title id="flow-map-title">Map of the decision aid</title>'
        f'<desc id="flow-map-desc">Every question of the decision aid from top to bottom, in the order they are asked, grouped by stage. '
        'Arrows show where each answer leads; labelled arrows on the right skip questions when their condition holds. '
        'Each question links to the handbook page it rests on. The same map is written out as a list below.</desc>'
        '<defs><marker id="fm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path class="fm-arrowhead" d="M0,0 L10,5 L0,10 z"/></marker></defs>'
        + "".join(out)
        + "</svg>"
    )
    return svg, width, height_total


def map_markdown(state: _State, href_for) -> str:
    flow = state.flow
    svg, width, _ = map_svg(flow, href_for)
    n = numbered(flow)
    lines = [
        "---",
        "title: Flow map",
        "hide:",
        "  - toc",
        "search:",
        "  boost: 0.3",
        "---",
        "",
        "# Map of the decision aid",
        "",
        "The decision aid asks these questions from top to bottom. Most answers lead straight on; a few",
        "routes skip ahead (the arrows on the right). Select a question to open the handbook page behind it.",
        "The map is drawn from the same flow the aid runs on (version " + md(flow.version) + "); every question,",
        "option and clause is on [All questions](reference.md), and the [map in words](#in-words) below says the same",
        "as the picture. The order puts safety first and checks our own handling before any measure",
        "[[001 §4; 001 §6; 001 §7]].",
        "",
        f'<figure class="flow-map"><div class="flow-map__scroll" role="region" aria-label="Flow map (scrolls sideways on a small screen)" tabindex="0">{svg}</div></figure>',
        "",
        "## The map in words { #in-words }",
        "",
    ]
    for nid, node in flow.nodes.items():
        page = flow.handbook[node.stage]
        ways = []
        for target, cond, kind in routes(node):
            where = f"[{n[target]}](#map-node-{target})" if target != RESULT else "the recommendation"
            if kind == "option":
                alone = " on its own" if node.kind == "multi" else ""
                ways.append(f"if “{md(node.option(cond).label)}” is chosen{alone}, go to {where}")
            elif kind == "when":
                ways.append(f"if {md(CONDITION_WORDS.get(cond, cond))}, go to {where}")
            else:
                ways.append(("otherwise" if len(ways) else "next") + f", go to {where}")
        lines.append(
            f'{n[nid]}. <span id="map-node-{nid}"></span>**{md(node.question)}** ({md(node.stage)}; '
            f"[handbook]({page_md(page)}); [every option](reference.md#node-{nid})) {cite(node.cite)}  "
        )
        lines.append(f"    {cap('; '.join(ways))}.")
    lines += [
        f"{len(flow.nodes) + 1}. <span id=\"map-node-{RESULT}\"></span>**The recommendation, record note and letters** "
        f"([recording and review]({page_md(flow.handbook.get('Record', 'record-review/'))})) [[000 §9; 001 §7]]",
        "",
    ]
    return "\n".join(lines) + "\n"


# --- the induction path: practice scenarios ----------------------------------------------------------------


def practice_list(state: _State, page: str, href: str) -> str:
    chosen = [s for s in state.scenarios.values() if s.read_after == page]
    if not chosen:
        return ""
    items = [
        f'- <a class="practice-link" href="{html.escape(href)}?practice={html.escape(s.id)}">Practise: {html.escape(s.title)}</a>'
        for s in chosen
    ]
    return "\n".join(["", '<div class="practice-list" markdown>', "", *items, "", "</div>", ""])


def induction_markdown(markdown: str, page: Page, files: Files) -> str:
    state = _require()
    aid = files.get_file_from_path(AID_PAGE)
    href = get_relative_url(aid.url if aid else "aid/", page.url or ".")
    if href.endswith(".."):
        href += "/"
    marked = set(PRACTICE_MARK.findall(markdown))
    missing = [s.id for s in state.scenarios.values() if s.read_after not in marked]
    if missing:
        raise PluginError(
            f"induction: docs/{INDUCTION_PAGE} has no <!-- practice: PAGE --> marker for the scenarios {missing} "
            "(their read_after page); every practice scenario must be placed on the induction path"
        )
    unknown = sorted(marked - set(state.flow.handbook.values()))
    if unknown:
        raise PluginError(f"induction: docs/{INDUCTION_PAGE}: practice markers name pages the flow does not know: {unknown}")
    return PRACTICE_MARK.sub(lambda m: practice_list(state, m.group(1), href), markdown)


# --- MkDocs events ---------------------------------------------------------------------------------------


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _state
    office_id = os.environ.get("OFFICE", "").strip() or "generic"
    try:
        flow, profiles = load_all()
        scenarios = load_practice(flow, profiles)
    except ContentError as error:
        raise PluginError(f"induction: the content files do not load: {error}") from None
    if office_id not in profiles:  # hooks.py reports this first, with the list of offices
        raise PluginError(f"induction: unknown office {office_id!r}")
    _state = _State(flow, profiles, profiles[office_id], scenarios)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    state = _require()
    for src in GENERATED:
        if files.get_file_from_path(src) is not None:
            raise PluginError(f"induction: docs/{src} exists, but that page is generated; delete it")
    files.append(File.generated(config, REFERENCE_PAGE, content=reference_markdown(state)))
    map_file = File.generated(config, MAP_PAGE, content="")

    def href_for(path: str) -> str:
        target = files.get_file_from_path(page_md(path))
        if target is None:
            raise PluginError(f"induction: the flow names the handbook page {path!r}, which does not exist")
        url = get_relative_url(target.url, map_file.url)
        return url + "/" if url.endswith("..") else url

    map_file.content_string = map_markdown(state, href_for)
    files.append(map_file)
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri == INDUCTION_PAGE:
        return induction_markdown(markdown, page, files)
    return markdown
