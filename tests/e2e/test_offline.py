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
                   "aid/pyodide/pyodide.asm.mjs", "assets/offline.js"]:
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


# --- an offline copy that cannot be saved says so (issue 13, item 4) -----------------------------

import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
MISSING = "aid/decision_aid.zip"  # precached, and not needed by the start page
SETTLED = "() => ['ready', 'failed', 'stale', 'unsupported'].includes(document.documentElement.dataset.offline)"
OUR_CACHES = "async () => (await caches.keys()).filter((k) => k.startsWith('opcc-handbook-'))"


class Server:
    """tools/serve.py on one port for a copy of the site; stopped and started again on the same
    port, so the browser sees the same origin (the same offline copy) with new files."""

    def __init__(self, site: Path):
        self.site = site
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> "Server":
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "tools" / "serve.py"), "--port", str(self.port), str(self.site)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                assert self.proc.poll() is None, "serve.py exited"
                time.sleep(0.1)
        raise AssertionError("serve.py never accepted a connection")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def _copy(site_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(site_dir, copy)
    return copy


def _first_visit(browser, server: Server):
    """A new browser context on the server; its start page opened and the offline copy settled."""
    context = browser.new_context(base_url=server.url, service_workers="allow")
    page = context.new_page()
    page.goto("", wait_until="load")
    page.wait_for_function(SETTLED, timeout=PRECACHE_TIMEOUT_MS)
    return context, page


def test_a_first_visit_whose_offline_copy_fails_says_so_and_keeps_no_partial_copy(browser, site_dir, tmp_path):
    site = _copy(site_dir, tmp_path)
    (site / MISSING).unlink()
    server = Server(site).start()
    context, page = _first_visit(browser, server)
    try:
        assert page.evaluate("() => document.documentElement.dataset.offline") == "failed"
        note = page.locator("#offline-failed")
        note.wait_for(state="visible")
        page.wait_for_function("() => /HTTP 404/.test(document.getElementById('offline-failed').textContent)")
        assert f"{MISSING} answered HTTP 404" in note.inner_text()
        assert page.evaluate(OUR_CACHES) == [], "a failed install left part of a copy behind"

        # The next page in this tab says so again, and waits before fetching the copy again.
        page.goto("police/", wait_until="load")
        page.wait_for_function("() => document.documentElement.dataset.offline === 'failed'")
        page.wait_for_function("() => /HTTP 404/.test(document.getElementById('offline-failed').textContent)")
        retry = page.evaluate("() => JSON.parse(sessionStorage.getItem('opcc-offline-retry'))")
        assert retry["at"] > page.evaluate("() => Date.now()") and "HTTP 404" in retry["reason"]
    finally:
        context.close()
        server.stop()


def test_a_new_version_that_cannot_be_saved_keeps_the_old_copy_and_says_so(browser, site_dir, tmp_path):
    site = _copy(site_dir, tmp_path)
    server = Server(site).start()
    context, page = _first_visit(browser, server)
    try:
        assert page.evaluate("() => document.documentElement.dataset.offline") == "ready"
        before = page.evaluate(OUR_CACHES)
        assert len(before) == 1

        # A new build whose one file the network will not deliver.
        server.stop()
        sw = (site / "sw.js").read_text(encoding="utf-8")
        version = re.search(r'const VERSION = "([0-9a-f]{16})";', sw).group(1)
        (site / "sw.js").write_text(sw.replace(version, "f" * 16), encoding="utf-8")
        (site / MISSING).unlink()
        server.start()

        page.goto("police/", wait_until="load")
        page.wait_for_function("() => document.documentElement.dataset.offline === 'stale'", timeout=PRECACHE_TIMEOUT_MS)
        note = page.locator("#offline-stale")
        note.wait_for(state="visible")
        page.wait_for_function("() => /HTTP 404/.test(document.getElementById('offline-stale').textContent)")
        assert page.evaluate(OUR_CACHES) == before, "the old copy was not kept, or half a new one was left"

        context.set_offline(True)  # the copy saved earlier still serves the handbook
        response = page.goto("police/", wait_until="load")
        assert response is not None and response.ok
    finally:
        context.close()
        server.stop()
