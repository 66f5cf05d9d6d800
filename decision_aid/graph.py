"""The flow as a graph: every way out of each question, in the order the engine tries them.

One model for everyone who reads the routes: the loader's checks (reachability, loops, questions
every walk must answer), the all-questions reference, the flow map and its words.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Flow, Node

RESULT = "result"  # the reserved target: the walk is complete


@dataclass(frozen=True)
class Route:
    """One way out of a question.

    `kind` is "option" (an option that routes on its own: `option` is its id), "when" (a named
    condition holds: `condition`), or "default" (the last route, taken otherwise).
    """

    source: str
    target: str
    kind: str
    option: str | None = None
    condition: str | None = None


def routes(node: Node) -> list[Route]:
    out = [Route(node.id, o.next, "option", option=o.id) for o in node.options if o.next]
    out += [Route(node.id, t.to, "when" if t.when else "default", condition=t.when) for t in node.next]
    return out


def edges(flow: Flow) -> dict[str, list[str]]:
    return {nid: [r.target for r in routes(node)] for nid, node in flow.nodes.items()}


def reachable(flow: Flow, avoid: str | None = None) -> set[str]:
    """Questions (and RESULT) reachable from the start without passing through `avoid`."""
    if avoid == flow.start:
        return set()
    out = edges(flow)
    seen, stack = {flow.start}, [flow.start]
    while stack:
        for target in out.get(stack.pop(), []):
            if target != avoid and target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def find_loop(flow: Flow) -> list[str] | None:
    """A cycle among the routes, as the list of questions on it, or None. Iterative, so a long
    chain of questions cannot exhaust the interpreter's stack."""
    out = edges(flow)
    colour: dict[str, int] = {}
    for root in flow.nodes:
        if root in colour:
            continue
        trail = [root]
        pending = [iter(out[root])]
        colour[root] = 1
        while pending:
            target = next(pending[-1], None)
            if target is None:
                colour[trail.pop()] = 2
                pending.pop()
                continue
            if target == RESULT or colour.get(target) == 2:
                continue
            if colour.get(target) == 1:
                return trail[trail.index(target):] + [target]
            colour[target] = 1
            trail.append(target)
            pending.append(iter(out[target]))
    return None


def layers(flow: Flow) -> dict[str, int]:
    """Longest-path depth of every question (and RESULT) from the start; the flow has no loops."""
    out = edges(flow)
    depth = {flow.start: 0}
    for nid in flow.nodes:  # flow.toml lists questions so that every route goes forward
        for target in out[nid]:
            if nid in depth:
                depth[target] = max(depth.get(target, 0), depth[nid] + 1)
    return depth
