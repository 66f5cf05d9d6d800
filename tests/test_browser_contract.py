"""The contract between the Python views and the page's JavaScript (decision_aid/PROTOCOL.md),
read from the sources: every action a view offers has a handler, every message has a handler,
and the private Pyodide API the start-up snapshot uses is still in the pinned runtime.
"""

from __future__ import annotations

import re
from pathlib import Path

import decision_aid
from decision_aid.web.session import Session

ROOT = Path(decision_aid.__file__).resolve().parent.parent
AID = ROOT / "docs" / "aid"
VIEWS = sorted((ROOT / "decision_aid" / "web").glob("*.py"))
PROTOCOL = (ROOT / "decision_aid" / "PROTOCOL.md").read_text(encoding="utf-8")
PYODIDE = ROOT / "node_modules" / "pyodide"


def source(name: str) -> str:
    return (AID / name).read_text(encoding="utf-8")


def emitted_actions() -> set[str]:
    return {a for path in VIEWS for a in re.findall(r'data-action="([a-z_]+)"', path.read_text(encoding="utf-8"))}


def local_actions() -> set[str]:
    table = re.search(r"const LOCAL_ACTIONS = \{([^}]*)\}", source("aid.js"))
    assert table, "aid.js declares its local actions in LOCAL_ACTIONS"
    return {name.strip() for name in table.group(1).split(",") if name.strip()}


def session_requests() -> set[str]:
    return {name[3:] for name in dir(Session) if name.startswith("on_")}


def documented_requests() -> set[str]:
    table = PROTOCOL.split("### Requests", 1)[1].split("###", 1)[0]
    return {t for row in re.findall(r"^\| `([a-z_]+)`(?: / `([a-z_]+)`)?", table, re.M) for t in row if t}


def test_the_views_offer_actions():
    assert {"back", "change", "restart", "copy", "download", "print"} <= emitted_actions()


def test_every_action_a_view_offers_is_handled_by_the_page_or_the_session():
    unhandled = emitted_actions() - local_actions() - session_requests()
    assert unhandled == set(), f"data-action values with no handler in aid.js or web/session.py: {sorted(unhandled)}"


def test_the_page_handles_locally_only_what_the_views_offer():
    assert local_actions() <= emitted_actions(), "aid.js handles a local action no view offers"
    assert not local_actions() & session_requests(), "an action is both local and a request"


def test_every_request_the_session_answers_is_documented_and_nothing_else_is():
    assert documented_requests() == session_requests()


def test_every_message_the_worker_posts_has_a_handler_in_the_engine_client():
    posted = set(re.findall(r'post\([^,]+, "([a-z]+)"', source("worker.js")))
    assert {"progress", "ready", "failed", "response", "error"} <= posted
    handlers = re.search(r"const HANDLERS = \{(.*?)\n\};", source("engine-client.js"), re.S).group(1)
    handled = set(re.findall(r"^  ([a-z]+)\(client, message\)", handlers, re.M))
    assert posted == handled, f"posted {sorted(posted)}, handled {sorted(handled)}"


def test_every_message_the_page_sends_has_a_handler_in_the_worker():
    sent = set(re.findall(r'type: "([a-z]+)"', source("engine-client.js")))
    handled = set(re.findall(r'type === "([a-z]+)"', source("worker.js")))
    assert sent == {"init", "request"} and sent <= handled


def test_the_envelope_and_the_boot_hand_over_are_documented():
    for word in ("progress", "ready", "failed", "response", "error", "init", "request", "opccAidBoot"):
        assert f"`{word}`" in PROTOCOL, f"PROTOCOL.md does not document {word}"


def test_the_page_sets_one_global_for_the_hand_over():
    assigned = set(re.findall(r"window\.([A-Za-z_]\w*)\s*=(?!=)", source("aid-boot.js") + source("aid.js") + source("engine-client.js")))
    assert assigned == {"opccAidBoot"}


def test_one_table_of_failure_messages():
    reasons = set(re.findall(r'fail\("([a-z]+)"', source("aid.js") + source("aid-boot.js")))
    reasons |= set(re.findall(r"onSlow\(\"([a-z]+)\"\)", source("engine-client.js")))
    reasons |= set(re.findall(r'new EngineError\(payload.reason === "wasm" \? "wasm" : "([a-z]+)"', source("engine-client.js"))) | {"wasm"}
    table = re.search(r"var MESSAGES = \{(.*?)\n  \};", source("aid-boot.js"), re.S).group(1)
    messages = set(re.findall(r"^    ([a-z]+):", table, re.M))
    assert reasons <= messages, f"failure reasons without a message: {sorted(reasons - messages)}"
    assert "const FAILURES" not in source("aid.js")


def test_the_private_snapshot_api_the_worker_uses_is_in_the_pinned_pyodide():
    """worker.js passes `_loadSnapshot` / `_makeSnapshot` to loadPyodide and calls
    `makeMemorySnapshot`: private API that an upgrade may change (PROTOCOL.md says so). If this
    fails after an upgrade, the start-up snapshot no longer works; every failure falls back to the
    ordinary start, and tests/e2e/test_aid_snapshot.py shows whether the snapshot is used."""
    worker = source("worker.js")
    runtime = (PYODIDE / "pyodide.mjs").read_text(encoding="utf-8") + (PYODIDE / "pyodide.asm.mjs").read_text(encoding="utf-8")
    for name in ("_loadSnapshot", "_makeSnapshot", "makeMemorySnapshot"):
        assert name in worker and name in runtime, f"{name}: used by worker.js, present in the pinned Pyodide"
