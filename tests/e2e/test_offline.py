"""Offline after one visit (issue 6, point 1): the service worker (sw.js, written by
build_scripts/sitebuild/service_worker.py) precaches the whole site; with the network cut, the start page,
the search and the decision aid (Pyodide included) all still work."""

from __future__ import annotations

import json
import re

from .aid_page import AidPage, scenario

PRECACHE_TIMEOUT_MS = 90_000


def test_sw_precaches_every_file_under_a_build_version(site_dir):
    text = (site_dir / "sw.js").read_text(encoding="utf-8")
    version = re.search(r'const VERSION = "([0-9a-f]{16})";', text)
    assert version, "sw.js carries no build version"
    listed = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", text, re.S).group(1))
    for needed in ["./", "aid/", "search/search_index.json", "aid/decision_aid.zip", "aid/worker.js",
                   "aid/pyodide/pyodide.asm.wasm", "aid/pyodide/python_stdlib.zip", "aid/pyodide/pyodide.mjs",
                   "aid/pyodide/pyodide.asm.mjs", "aid/pyodide/pyodide-lock.json", "assets/offline.js"]:
        assert needed in listed, f"sw.js does not precache {needed}"
    assert not [u for u in listed if u.startswith("/") or "//" in u], "precache URLs must be relative"


def test_site_works_offline_after_one_visit(new_context):
    context, log = new_context()
    page = context.new_page()
    page.goto("", wait_until="load")
    page.wait_for_function(
        "() => ['ready', 'failed', 'unsupported'].includes(document.documentElement.dataset.offline)",
        timeout=PRECACHE_TIMEOUT_MS,
    )
    assert page.evaluate("() => document.documentElement.dataset.offline") == "ready"
    assert page.locator("#offline-note").is_hidden(), "the 'cannot work offline' note shows on localhost"

    context.set_offline(True)

    # The start page.
    response = page.goto("", wait_until="load")
    assert response is not None and response.ok
    assert page.evaluate("() => navigator.onLine") is False
    assert "Start here" in page.title()

    # The search (its worker and index come from the cache).
    page.click("input[data-md-component=search-query]")
    page.locator("input[data-md-component=search-query]").press_sequentially("end the call", delay=10)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=15_000)
    assert results.count() > 0

    # Another handbook page.
    response = page.goto("police/", wait_until="load")
    assert response is not None and response.ok

    # The decision aid, walked to its record note.
    aid = AidPage(page).open().wait_until_ready()
    answers = scenario("angry_but_reasonable_generic")
    aid.walk(answers)
    aid.see_result()
    assert answers["details"]["reference"] in aid.note()
