"""map.md ("Flow map"): the flow drawn as an SVG (a top-to-bottom layered layout, no outside
tools), each question a link to its handbook page, with the same graph written out in words.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from decision_aid import graph
from decision_aid.contract import DETAILS
from decision_aid.graph import RESULT
from decision_aid.model import Flow

from .markup import cap, cite, md, page_md
from .routes import label as route_label, node_title, numbered, phrases
from .state import Build

PAGE = "map.md"

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


def map_svg(flow: Flow, href_for) -> tuple[str, int, int]:
    """The flow as an SVG: (markup, width, height). `href_for(page)` gives a node's link."""
    layer = graph.layers(flow)
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
        stage = flow.stages[flow.nodes[row[0]].stage].label if row[0] != RESULT else "Result"
        if stage != current_stage:
            stage_marks.append((stage, y))
            y += STAGE_H
            current_stage = stage
        texts = {nid: wrap(node_title(flow, nid), chars) for nid in row}
        height = max(len(t) for t in texts.values()) * LINE_H + 2 * PAD_Y
        for i, nid in enumerate(row):
            page = flow.page_of(nid if nid != RESULT else DETAILS)
            x = MARGIN + 8 + i * (BOX_W + 24)
            boxes[nid] = _Box(nid, x, y, height, texts[nid], stage, href_for(page))
        y += height + GAP_Y
    height_total = int(y - GAP_Y + MARGIN)
    right = max(b.x + BOX_W for b in boxes.values())

    # Edges: neighbours in the same column go straight down; longer ones run in lanes on the right.
    edges = []
    for nid, node in flow.nodes.items():
        ways = graph.routes(node)
        edges += [(nid, r.target, route_label(node, r, len(ways))) for r in ways]
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


def map_markdown(build: Build, href_for) -> str:
    flow = build.flow
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
        stage = flow.stages[node.stage]
        ways = phrases(node, lambda t: f"[{n[t]}](#map-node-{t})" if t != RESULT else "the recommendation")
        lines.append(
            f'{n[nid]}. <span id="map-node-{nid}"></span>**{md(node.question)}** ({md(stage.label)}; '
            f"[handbook]({page_md(stage.page)}); [every option](reference.md#node-{nid})) {cite(node.cite)}  "
        )
        lines.append(f"    {cap('; '.join(ways))}.")
    lines += [
        f"{len(flow.nodes) + 1}. <span id=\"map-node-{RESULT}\"></span>**The recommendation, record note and letters** "
        f"([recording and review]({page_md(flow.page_of(DETAILS))})) [[000 §9; 001 §7]]",
        "",
    ]
    return "\n".join(lines) + "\n"
