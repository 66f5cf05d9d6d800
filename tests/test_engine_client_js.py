"""The aid's start watchdog (docs/aid/engine-client.js) in Node: a start that keeps making
progress (more bytes at each heartbeat) is never reported as failed, however long it takes; a
download that stops, or a worker with no word at all, is reported as stalled, once; a late ready
still counts."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run() -> dict:
    node = shutil.which("node")
    assert node, "node is missing: `make setup` needs Node 20"
    result = subprocess.run([node, str(ROOT / "tests" / "js" / "engine_client_stall.mjs")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_start_that_keeps_downloading_is_never_reported_and_a_stuck_or_silent_one_is_once():
    results = run()
    assert results["downloading_start_reported"] == []
    assert results["stuck_download_reported"] == ["stalled"]
    assert results["silent_start_reported"] == ["stalled"]
    assert results["late_ready_resolves"] is True
