"""The README's intranet instructions on a real server: Debian's nginx with the shipped
configuration (tools/nginx_conf.py from deploy/nginx-handbook.conf.in) serves the site built for
http://127.0.0.1:PORT/handbook/, and in Chromium the handbook, its search, the decision aid, the
offline copy and the 404 page all work under that sub-path, with the right types and headers."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .aid_page import AidPage

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PREFIX = "/handbook/"
SETTLED = "() => ['ready', 'failed', 'stale', 'unsupported'].includes(document.documentElement.dataset.offline)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: `make test` installs it (apt-get install -y nginx-light)", pytrace=False)
    port = _free_port()
    work = tmp_path_factory.mktemp("nginx")
    site = work / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{port}{PREFIX}"}
    env.pop("OFFICE", None)
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
                   cwd=ROOT, env=env, check=True, timeout=900)
    subprocess.run([sys.executable, str(ROOT / "build_scripts" / "compress.py"), str(site)], cwd=ROOT, check=True, timeout=600)
    (work / "secret.txt").write_text("not for the web", encoding="utf-8")
    (site / "leak.txt").symlink_to(work / "secret.txt")  # a symlink that leads out of the site
    sys.path.insert(0, str(ROOT / "tools"))
    from nginx_conf import standalone

    try:
        command = standalone(site, PREFIX, port, work, NGINX)
    except ValueError as error:
        pytest.fail(f"the shipped nginx configuration does not load: {error}", pytrace=False)
    proc = subprocess.Popen(command)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert proc.poll() is None, (work / "error.log").read_text()
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}{PREFIX}"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def site_page(browser, nginx):
    context = browser.new_context(base_url=nginx, service_workers="allow")
    context.set_default_timeout(15_000)
    failed: list[str] = []
    context.on("requestfinished", lambda request: (r := request.response()) and r.status >= 400 and failed.append(f"{r.status} {request.url}"))
    # net::ERR_ABORTED is the page cancelling its own request (a navigation that starts while the
    # favicon loads, say), as in conftest.py's network log; any other failure counts.
    context.on("requestfailed", lambda request: request.failure != "net::ERR_ABORTED"
               and failed.append(f"failed {request.url} ({request.failure})"))
    page = context.new_page()
    yield page, failed
    context.close()


def test_the_handbook_search_and_aid_work_under_the_sub_path(site_page):
    page, failed = site_page
    response = page.goto("", wait_until="load")
    assert response.ok and "Start here" in page.title()
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert response.headers["cache-control"] == "no-cache" and response.headers["x-content-type-options"] == "nosniff"

    page.goto("police/", wait_until="load")
    page.click("input[data-md-component=search-query]")
    page.locator("input[data-md-component=search-query]").press_sequentially("end the call", delay=10)
    page.locator(".md-search-result__item").first.wait_for(state="visible")

    aid = AidPage(page).open().wait_until_ready()
    aid.answer("safety", ["none"])
    assert aid.node == "journey"
    assert failed == [], failed


def test_the_runtime_is_webassembly_compressed_and_revalidated_and_bundles_immutable(site_page, nginx):
    page, _ = site_page
    response = page.request.get(nginx + "aid/pyodide/pyodide.asm.wasm", headers={"Accept-Encoding": "gzip"})
    assert response.ok and response.headers["content-type"] == "application/wasm"
    assert response.headers.get("content-encoding") == "gzip" and response.headers.get("etag")
    page.goto("", wait_until="load")
    bundles = page.evaluate("() => [...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href).filter(h => /\\.[0-9a-f]{8}\\.min\\.css$/.test(h))")
    assert bundles, "no content-hashed stylesheet on the start page"
    bundle = page.request.get(bundles[0])
    assert bundle.ok and "immutable" in bundle.headers["cache-control"]
    assert bundle.headers["content-security-policy"].startswith("default-src 'self'"), "the nested location lost the headers"


def test_the_offline_copy_works_under_the_sub_path(site_page):
    page, failed = site_page
    page.goto("", wait_until="load")
    page.wait_for_function(SETTLED, timeout=120_000)
    assert page.evaluate("() => document.documentElement.dataset.offline") == "ready"
    page.context.set_offline(True)
    response = page.goto("police/", wait_until="load")
    assert response is not None and response.ok
    AidPage(page).open().wait_until_ready()


def test_a_missing_page_gets_the_404_page_with_its_styles_under_the_sub_path(site_page):
    page, failed = site_page
    response = page.goto("no/such/page/", wait_until="load")
    assert response.status == 404
    assert "Page not found" in page.inner_text("body") or "404" in page.inner_text("body")
    styled = page.evaluate("() => [...document.querySelectorAll('link[rel=stylesheet]')].every(l => l.sheet && l.sheet.cssRules.length > 0)")
    assert styled, "the 404 page's stylesheets did not load under the sub-path"
    assert [f for f in failed if "no/such/page" not in f] == []


def test_a_symlink_out_of_the_site_is_not_served(site_page, nginx):
    page, _ = site_page
    response = page.request.get(nginx + "leak.txt")
    assert response.status in (403, 404) and "not for the web" not in response.text()
