"""The local server (tools/serve.py: waitress and WhiteNoise) keeps the README's promises: the
MIME types Pyodide needs, revalidation with ETags, immutable hashed bundles, precompressed copies,
the CSP and security headers on every response, a quiet log with control characters escaped, no
file through a symlink out of the site, one line when the port is taken, and a silent client
costs a small buffer, not the server."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build_scripts"))
from compress import BEST_BELOW, best_quality, compress_site  # noqa: E402

CSP = "default-src 'self'; object-src 'none'"
BIG = 8 * 1024 * 1024


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("served") / "site"
    (root / "aid" / "pyodide").mkdir(parents=True)
    (root / "assets").mkdir()
    (root / "index.html").write_text("<!doctype html><title>Home</title>" + "<p>handbook</p>" * 200, encoding="utf-8")
    (root / "aid" / "index.html").write_text("<!doctype html><title>Aid</title>", encoding="utf-8")
    (root / "404.html").write_text("<!doctype html><title>Not found</title><h1>Page not found</h1>", encoding="utf-8")
    (root / "sw.js").write_text("self.addEventListener('install', () => {});" * 50, encoding="utf-8")
    (root / "aid" / "pyodide" / "pyodide.mjs").write_text("export const x = 1;" * 100, encoding="utf-8")
    (root / "aid" / "pyodide" / "pyodide.asm.wasm").write_bytes(b"\0asm" + os.urandom(256) * (BIG // 256))
    (root / "assets" / "bundle.0123abcd.min.js").write_text("var a=1;" * 300, encoding="utf-8")
    (root / "csp-header.txt").write_text(CSP + "\n", encoding="utf-8")
    with zipfile.ZipFile(root / "aid" / "decision_aid.zip", "w", zipfile.ZIP_STORED) as stored:
        stored.writestr("decision_aid/engine.py", "def decide(): pass\n" * 500)
    (root / "bench").mkdir()
    with zipfile.ZipFile(root / "bench" / "python_stdlib.zip", "w", zipfile.ZIP_STORED) as other:
        other.writestr("json/__init__.py", "import re\n" * 500)
    secret = root.parent / "secret.txt"
    secret.write_text("not for the web", encoding="utf-8")
    (root / "leak.txt").symlink_to(secret)
    compress_site(root)
    # A compressed copy that is a symlink out of the site (the file itself is genuine).
    (root / "notes.txt").write_text("genuine notes " * 100, encoding="utf-8")
    secret_gz = root.parent / "secret.txt.gz"
    secret_gz.write_bytes(__import__("gzip").compress(b"not for the web"))
    (root / "notes.txt.gz").symlink_to(secret_gz)
    return root


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(site: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, str(ROOT / "tools" / "serve.py"), "--port", str(port), str(site)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(200):  # wait for the state (accepting), not a fixed time
        if proc.poll() is not None:
            pytest.fail(f"serve.py exited: {proc.communicate()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail("serve.py never accepted a connection")


@pytest.fixture(scope="module")
def server(site):
    port = _free_port()
    proc = _start(site, port)
    yield port, proc
    proc.terminate()
    proc.wait(timeout=10)


def get(port: int, path: str, **headers: str) -> tuple[http.client.HTTPResponse, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


def test_pyodide_gets_the_mime_types_it_needs(server):
    port, _ = server
    assert get(port, "/aid/pyodide/pyodide.asm.wasm")[0].getheader("Content-Type") == "application/wasm"
    assert get(port, "/aid/pyodide/pyodide.mjs")[0].getheader("Content-Type").startswith("text/javascript")


def test_pages_and_the_service_worker_revalidate_and_hashed_bundles_are_immutable(server):
    port, _ = server
    for path in ("/", "/sw.js", "/aid/pyodide/pyodide.asm.wasm"):
        assert get(port, path)[0].getheader("Cache-Control") == "no-cache", path
    assert "immutable" in get(port, "/assets/bundle.0123abcd.min.js")[0].getheader("Cache-Control")


def test_an_unchanged_file_costs_a_304(server):
    port, _ = server
    first, _ = get(port, "/")
    again, body = get(port, "/", **{"If-None-Match": first.getheader("ETag")})
    assert again.status == 304 and body == b""


@pytest.mark.parametrize("path, status", [("/", 200), ("/no/such/page", 404), ("/aid", 302)])
def test_every_response_carries_the_csp_and_security_headers(server, path, status):
    port, _ = server
    response, _ = get(port, path)
    assert response.status == status
    assert response.getheader("Content-Security-Policy") == CSP
    assert response.getheader("X-Content-Type-Options") == "nosniff" and response.getheader("Referrer-Policy") == "no-referrer"


def test_a_missing_page_gets_the_sites_own_404_page(server):
    port, _ = server
    response, body = get(port, "/no/such/page")
    assert response.status == 404 and b"Page not found" in body


@pytest.mark.parametrize("accept, encoding", [("br, gzip", "br"), ("gzip", "gzip"), ("", None)])
def test_precompressed_copies_go_to_browsers_that_accept_them(server, site, accept, encoding):
    port, _ = server
    response, body = get(port, "/", **{"Accept-Encoding": accept})
    assert response.getheader("Content-Encoding") == encoding
    assert (site / "index.html.br").is_file() and (site / "index.html.gz").is_file()
    if encoding is None:
        assert body == (site / "index.html").read_bytes()


def test_the_aids_stored_zip_is_sent_compressed(server, site):
    port, _ = server
    response, body = get(port, "/aid/decision_aid.zip", **{"Accept-Encoding": "br, gzip"})
    assert response.getheader("Content-Encoding") == "br"
    assert len(body) < (site / "aid" / "decision_aid.zip").stat().st_size / 10


def test_a_zip_elsewhere_is_left_as_it_is(site):
    assert not (site / "bench" / "python_stdlib.zip.br").exists()


def test_a_symlink_out_of_the_site_is_not_served(server):
    port, _ = server
    response, body = get(port, "/leak.txt")
    assert response.status == 404 and b"not for the web" not in body


def test_a_compressed_copy_that_leads_out_of_the_site_is_not_served(server):
    port, _ = server
    response, body = get(port, "/notes.txt", **{"Accept-Encoding": "gzip"})
    assert response.status == 200 and response.getheader("Content-Encoding") is None
    assert body.startswith(b"genuine notes")


def test_control_characters_in_a_request_are_logged_escaped(site):
    port = _free_port()
    proc = _start(site, port)
    try:
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(b"GET /x%1b%5b2J%07 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            while s.recv(65536):
                pass
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "\x1b" not in err and "\x07" not in err
    assert "404 GET /x\\x1b[2J\\x07" in err


def test_a_malformed_request_gets_a_proper_error_reply(server):
    port, _ = server
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(b"GARBAGE\r\n\r\n")
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
    head = reply.split(b"\r\n\r\n", 1)[0]
    assert head.split(b" ")[1] == b"400" and b"Content-Length" in head and b"Content-Type" in head


def test_a_taken_port_gets_one_line_and_exit_2(site, server):
    port, _ = server
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "serve.py"), "--port", str(port), str(site)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and f"cannot serve on 127.0.0.1:{port}" in errors[0] and result.stderr.splitlines()[-1] == errors[0]


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_clients_that_never_read_cost_a_small_buffer_and_block_nobody(site):
    port = _free_port()
    proc = _start(site, port)
    silent = []
    try:
        before = _rss_kb(proc.pid)
        for _ in range(100):  # each asks for the 8 MB runtime, then never reads a byte
            s = socket.create_connection(("127.0.0.1", port))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.sendall(b"GET /aid/pyodide/pyodide.asm.wasm HTTP/1.1\r\nHost: x\r\n\r\n")
            silent.append(s)
        response, body = get(port, "/")  # still answered while 100 clients sit on 800 MB of replies
        assert response.status == 200 and body
        grown_mb = (_rss_kb(proc.pid) - before) / 1024
        assert grown_mb < 100, f"the server grew by {grown_mb:.0f} MB for 100 silent clients"
    finally:
        for s in silent:
            s.close()
        proc.terminate()
        proc.wait(timeout=10)


def test_brotli_runs_at_its_best_for_the_aids_zips_and_small_files_not_the_big_runtime(tmp_path):
    small, big = tmp_path / "small.js", tmp_path / "aid" / "pyodide" / "pyodide.asm.wasm"
    library = tmp_path / "aid" / "pyodide" / "python_stdlib.zip"
    big.parent.mkdir(parents=True)
    small.write_bytes(b"x" * 100)
    big.write_bytes(b"\0" * BEST_BELOW)
    library.write_bytes(b"\0" * BEST_BELOW)
    assert (best_quality(small), best_quality(big), best_quality(library)) == (True, False, True)
