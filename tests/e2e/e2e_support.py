"""Helpers the browser tests (and make bench) share: axe-core checks, palette checks, and waiting
for the start-up snapshot (the aid's page object is in aid_page.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


# ------------------------------------------------------------------------------------------ axe-core


def axe_violations(page) -> list[dict]:
    """Run the pinned axe-core (injected from node_modules, no request) for WCAG 2.2 A/AA rules."""
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: `make setup` installs the pinned axe-core", pytrace=False)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol rather than added as an inline <script>: the
        # site's Content-Security-Policy (rightly) refuses inline scripts, and must stay on here.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    # Let transitions settle first (Material fades its "Back to top" button in and out as the
    # page scrolls): axe must judge the colours a reader sees, not a frame mid-fade.
    page.evaluate(
        """() => Promise.race([
            Promise.all(document.getAnimations()
                .filter(a => a.effect && a.effect.getComputedTiming().iterations !== Infinity)
                .map(a => a.finished.catch(() => null))),
            new Promise(resolve => setTimeout(resolve, 2000)),
        ])"""
    )
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(' ')),
                summary: v.nodes.length ? v.nodes[0].failureSummary : '',
            }));
        }""",
        AXE_TAGS,
    )


def format_violations(violations: list[dict], where: str) -> str:
    lines = [f"axe-core found {len(violations)} WCAG 2.2 A/AA violation(s) on {where}:"]
    for v in violations:
        shown = ", ".join(v["targets"][:4]) + (f" (+{len(v['targets']) - 4} more)" if len(v["targets"]) > 4 else "")
        lines.append(f"  - {v['id']} [{v['impact']}] {v['help']}: {shown}")
        if v.get("summary"):
            lines.append("      " + v["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


def assert_accessible(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, format_violations(violations, where)


def assert_palette(page, scheme: str) -> None:
    """Material picks its palette from prefers-color-scheme; check the page really switched."""
    expected = {"light": "default", "dark": "slate"}[scheme]
    page.wait_for_function(
        "(s) => document.body.getAttribute('data-md-color-scheme') === s", arg=expected, timeout=5_000
    )


# ------------------------------------------------------------------------- holding the runtime back


def hold_runtime(context) -> list:
    """Hold every request for the Python runtime (pyodide.asm.wasm) until `release`: "before the
    engine is ready" is then certain, not a race the test usually wins."""
    held: list = []
    context.route("**/pyodide.asm.wasm", lambda route, request: held.append(route))
    return held


def release(page, held: list) -> None:
    """Let the held runtime requests go, once the worker has asked for it."""
    for _ in range(300):  # the worker asks for the runtime a moment after the page loads
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the worker never asked for pyodide.asm.wasm"
    for route in held:
        route.continue_()


# ------------------------------------------------------------------------------ start-up snapshot

SNAPSHOT_CACHE = "opcc-aid-snapshot"  # worker.js
# [[key, bytes as stored (gzipped)]] for each snapshot kept.
SNAPSHOT_ENTRIES = f"""async () => {{
  const cache = await caches.open('{SNAPSHOT_CACHE}');
  const out = [];
  for (const request of await cache.keys()) {{
    const response = await cache.match(request);
    out.push([request.url, (await response.arrayBuffer()).byteLength]);  // as stored (gzipped)
  }}
  return out;
}}"""


def wait_for_one_snapshot(page, timeout_s: float = 30) -> list:
    """The kept snapshot, once the worker has stored it (after a 3 s pause): [[key, bytes]]."""
    deadline = time.monotonic() + timeout_s
    while True:
        entries = page.evaluate(SNAPSHOT_ENTRIES)  # evaluate awaits the promise (wait_for_function would not)
        if len(entries) == 1 and entries[0][1] > 1e6:
            return entries
        assert time.monotonic() < deadline, f"no snapshot stored within {timeout_s} s: {entries}"
        page.wait_for_timeout(250)
