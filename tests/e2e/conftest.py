"""End-to-end fixtures: the handbook built once, served on 127.0.0.1, driven in Debian's Chromium.

Session-wide: one build (OFFICE=generic) into a temporary directory, one server
(tools/serve.py on a free port), one browser. Per test: a fresh browser context whose every
request is routed; anything addressed outside 127.0.0.1 is aborted and recorded, and the test
fails at teardown naming it, as it does for any failed request, console error or page error.

If the site cannot be built or served, or the browser cannot start, every test here FAILS with a
message saying which; nothing is skipped.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOST = "127.0.0.1"
# Schemes that never touch the network (inline images, worker blobs, the about: page).
LOCAL_SCHEMES = {"data", "blob", "about"}


def _python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


# --------------------------------------------------------------------------- the built, served site


@pytest.fixture(scope="session")
def site_dir(built_site) -> Path:
    """The handbook built once for the session (generic office; tests/conftest.py), never into site/."""
    return built_site


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOCAL_HOST, 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> str:
    """http://127.0.0.1:PORT/ serving the built site with tools/serve.py."""
    port = _free_port()
    proc = subprocess.Popen(
        [_python(), str(ROOT / "tools" / "serve.py"), "--host", LOCAL_HOST, "--port", str(port), str(site_dir)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    url = f"http://{LOCAL_HOST}:{port}/"
    deadline = time.monotonic() + 20
    try:
        while True:
            if proc.poll() is not None:
                out, err = proc.communicate()
                pytest.fail(f"tools/serve.py exited with {proc.returncode} before serving:\n{out}\n{err}", pytrace=False)
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"tools/serve.py did not answer at {url} within 20 s", pytrace=False)
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --------------------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, launched once by Playwright (which never downloads a browser here)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install -y chromium)", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        pytest.fail(f"Playwright for Python is not installed ({exc}): run `make setup`", pytrace=False)
    manager = sync_playwright().start()
    try:
        chromium = manager.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as exc:  # noqa: BLE001 - any launch failure is reported, not skipped
        manager.stop()
        pytest.fail(f"Chromium ({CHROMIUM}) did not start under Playwright: {exc}", pytrace=False)
    try:
        yield chromium
    finally:
        chromium.close()
        manager.stop()


@dataclass
class NetworkLog:
    """What the pages of one context did that a test must answer for."""

    outside: list[str] = field(default_factory=list)  # requests addressed beyond 127.0.0.1 (aborted)
    failed: list[str] = field(default_factory=list)  # failed, or answered 4xx/5xx (not those aborted)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"request left 127.0.0.1 (blocked): {u}" for u in self.outside]
            + [f"request failed: {u}" for u in self.failed]
            + [f"console error: {m}" for m in self.console_errors]
            + [f"uncaught error in page: {m}" for m in self.page_errors]
        )


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname == LOCAL_HOST)


@pytest.fixture
def new_context(browser, base_url) -> Callable:
    """Factory: a fresh browser context (light or dark) whose every request is checked.

    Returns (context, log). At teardown the test fails if any page in any context it opened sent a
    request outside 127.0.0.1, had a failed request, logged a console error or threw.
    """
    opened: list[tuple[object, NetworkLog]] = []

    def make(color_scheme: str = "light", viewport: dict | None = None, **kwargs):
        context = browser.new_context(
            base_url=base_url,
            color_scheme=color_scheme,
            viewport=viewport or {"width": 1280, "height": 900},
            service_workers="allow",
            **kwargs,
        )
        context.set_default_timeout(15_000)
        log = NetworkLog()

        def route(route, request):
            if is_local(request.url):
                route.continue_()
            else:
                if request.url not in log.outside:
                    log.outside.append(request.url)
                route.abort("blockedbyclient")

        context.route("**/*", route)

        # Requests a service worker makes are not always routed: catch them as they are sent.
        def on_request(request):
            if not is_local(request.url) and request.url not in log.outside:
                log.outside.append(request.url)

        def on_failed(request):
            # net::ERR_ABORTED is the page itself cancelling a request (a navigation that starts
            # while the favicon loads, a worker stopped): not a request the site failed to serve.
            # Blocked (ERR_BLOCKED_BY_*), refused, missing and 4xx/5xx requests all still count.
            if is_local(request.url) and request.failure != "net::ERR_ABORTED":
                log.failed.append(f"{request.method} {request.url} ({request.failure})")

        def on_response(response):
            if response.status >= 400:
                log.failed.append(f"{response.request.method} {response.url} (HTTP {response.status})")

        def on_console(message):
            if message.type == "error":
                loc = message.location or {}
                log.console_errors.append(f"{message.text} [{loc.get('url', '')}:{loc.get('lineNumber', '')}]")

        def on_page(page):
            page.on("console", on_console)
            page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))

        context.on("request", on_request)
        context.on("requestfailed", on_failed)
        context.on("response", on_response)
        context.on("page", on_page)
        opened.append((context, log))
        return context, log

    yield make

    problems = []
    for context, log in opened:
        problems += log.problems()
        try:
            context.close()
        except Exception:  # noqa: BLE001 - the browser may already be gone; the report matters
            pass
    if problems:
        pytest.fail("the browser saw:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture
def context(new_context):
    return new_context()[0]


@pytest.fixture
def page(context):
    """A page in a fresh light-palette context (every request checked at teardown)."""
    return context.new_page()


# ------------------------------------------------------------------------------- the decision aid


@pytest.fixture
def aid(page):
    """The decision aid page in a fresh light-palette context, its engine ready."""
    from .aid_page import AidPage

    return AidPage(page).open().wait_until_ready()


@pytest.fixture(scope="session")
def served_package(site_dir: Path, tmp_path_factory) -> Path:
    """aid/decision_aid.zip, as the site serves it to the browser, made runnable by CPython: its
    content files as served, and for each module (served as bytecode for the browser's Python,
    which this CPython cannot load) the source it was compiled from. That the bytecode behaves as
    the source on every path is tests/test_pyodide_bytecode.py's job."""
    import shutil
    import zipfile

    archive = site_dir / "aid" / "decision_aid.zip"
    if not archive.is_file():
        pytest.fail(f"the built site has no {archive.relative_to(site_dir)}", pytrace=False)
    out = tmp_path_factory.mktemp("served-package")
    repo = Path(__file__).resolve().parents[2]
    with zipfile.ZipFile(archive) as z:
        for name in z.namelist():
            if name.endswith(".pyc"):
                target = out / name[:-1]
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(repo / name[:-1], target)
            else:
                z.extract(name, out)
    return out


@pytest.fixture
def engine_documents(served_package):
    """answers -> {document id: text} from CPython running the package the browser runs."""
    from .aid_page import engine_documents as run

    return lambda answers, office="generic": run(served_package, answers, office)
