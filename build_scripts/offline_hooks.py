"""MkDocs hook, run after every other post-build step: lock the pages down and make the site
work offline.

1. Content-Security-Policy. overrides/main.html puts
   `<meta http-equiv="Content-Security-Policy" content="opcc:csp">` first in every page's head.
   Here each built page gets its policy: only the site itself, plus a 'sha256-…' for each inline
   script that page really holds (Material emits a few small ones; their text depends on the
   page's depth, so the hashes are computed from the built HTML, never typed in). No
   'unsafe-inline' and no 'unsafe-eval' for scripts. The union of all pages' hashes goes into
   <site>/csp-header.txt: the value tools/serve.py (and an intranet web server) sends as
   the Content-Security-Policy header, which also covers the workers (a worker takes its policy
   from its own response, not from the page's meta).
2. Service worker. <site>/sw.js is written from build_scripts/sw.js with the precache list (every
   file of the built site, Pyodide runtime and decision_aid.zip included) and a version: a hash
   of every precached file's path and bytes. A rebuild that changes anything gives a new sw.js,
   hence a new, complete cache; the old one is deleted when the new worker takes over.

Any page without the CSP placeholder fails the build: a page that escaped the lock-down is a
defect.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.offline")

HERE = Path(__file__).resolve().parent
SW_TEMPLATE = HERE / "sw.js"
SW_NAME = "sw.js"
CSP_HEADER_FILE = "csp-header.txt"
CSP_PLACEHOLDER = 'content="opcc:csp"'

# The policy every page and every response carries. Pyodide compiles WebAssembly in the worker,
# which needs 'wasm-unsafe-eval' (it allows WebAssembly compilation only, not JavaScript eval).
# style-src allows 'unsafe-inline' for styles ONLY: Material and the print page set style
# attributes and small <style> blocks; styles cannot run code. Scripts get no such allowance.
BASE_POLICY = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("worker-src", "'self'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("manifest-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)
# Only in the header: a <meta> policy cannot carry these.
HEADER_ONLY = (("frame-ancestors", "'self'"),)

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
SRC_ATTR = re.compile(r"\ssrc\s*=", re.I)
TYPE_ATTR = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.I)
# Script types a browser executes (anything else, e.g. application/json, is data).
JS_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript", "application/ecmascript"}

# Never precached: the worker itself, source maps (only developer tools read them), the gzipped
# sitemap copy and the header file (for servers, not pages).
NOT_PRECACHED = re.compile(r"(^|/)(sw\.js|csp-header\.txt|sitemap\.xml\.gz)$|\.map$")


def inline_scripts(page_html: str) -> list[str]:
    """The text of every inline script the browser would execute, as the browser hashes it."""
    found = []
    for match in SCRIPT.finditer(page_html):
        attrs, body = match.group(1), match.group(2)
        if SRC_ATTR.search(attrs):
            continue
        kind = TYPE_ATTR.search(attrs)
        if (kind.group(1).lower() if kind else "") not in JS_TYPES:
            continue
        found.append(body)
    return found


def script_hash(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def policy(hashes: list[str] | set[str], header: bool = False) -> str:
    directives = []
    for name, value in BASE_POLICY + (HEADER_ONLY if header else ()):
        if name == "script-src" and hashes:
            value = value + " " + " ".join(sorted(hashes))
        directives.append(f"{name} {value}")
    return "; ".join(directives)


def html_files(site_dir: Path) -> list[Path]:
    return sorted(p for p in site_dir.rglob("*.html") if p.is_file())


def apply_csp(site_dir: Path) -> set[str]:
    """Write each page's policy into its meta tag; returns the union of the script hashes."""
    union: set[str] = set()
    for path in html_files(site_dir):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(site_dir).as_posix()
        count = text.count(CSP_PLACEHOLDER)
        if count != 1:
            raise PluginError(
                f"offline: {rel} has {count} Content-Security-Policy placeholders ({CSP_PLACEHOLDER}), "
                "expected 1: every page must extend overrides/main.html"
            )
        if text.find(CSP_PLACEHOLDER) > text.lower().find("<script"):
            raise PluginError(f"offline: in {rel} a script comes before the Content-Security-Policy meta tag")
        hashes = {script_hash(body) for body in inline_scripts(text)}
        union |= hashes
        text = text.replace(CSP_PLACEHOLDER, f'content="{policy(hashes)}"')
        path.write_text(text, encoding="utf-8")
    (site_dir / CSP_HEADER_FILE).write_text(policy(union, header=True) + "\n", encoding="utf-8")
    return union


def precache_list(site_dir: Path) -> list[str]:
    """Every file the site serves, as URLs relative to sw.js (x/index.html -> x/)."""
    urls = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(site_dir).as_posix()
        if NOT_PRECACHED.search(rel):
            continue
        if rel == "index.html":
            rel = "./"
        elif rel.endswith("/index.html"):
            rel = rel[: -len("index.html")]
        urls.append(rel)
    return urls


def file_for(site_dir: Path, url: str) -> Path:
    rel = "index.html" if url == "./" else (url + "index.html" if url.endswith("/") else url)
    return site_dir / rel


def build_version(site_dir: Path, urls: list[str]) -> str:
    digest = hashlib.sha256(SW_TEMPLATE.read_bytes())  # a change to the worker's logic is a new version too
    for url in urls:
        digest.update(url.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(file_for(site_dir, url).read_bytes()).digest())
    return digest.hexdigest()[:16]


def write_service_worker(site_dir: Path) -> tuple[str, int, int]:
    """Write <site>/sw.js; returns (version, number of files, total bytes)."""
    urls = precache_list(site_dir)
    version = build_version(site_dir, urls)
    template = SW_TEMPLATE.read_text(encoding="utf-8")
    for token in ('"opcc:version"', '["opcc:precache"]'):
        if template.count(token) != 1:
            raise PluginError(f"offline: {SW_TEMPLATE.name} must hold {token} exactly once")
    text = template.replace('"opcc:version"', json.dumps(version)).replace(
        '["opcc:precache"]', json.dumps(urls, indent=0).replace("\n", "")
    )
    (site_dir / SW_NAME).write_text(text, encoding="utf-8")
    size = sum(file_for(site_dir, url).stat().st_size for url in urls)
    return version, len(urls), size


@event_priority(-100)  # after print-site and the aid's vendoring: every file is in place
def on_post_build(config: MkDocsConfig) -> None:
    site_dir = Path(config.site_dir)
    hashes = apply_csp(site_dir)
    version, count, size = write_service_worker(site_dir)
    log.info(
        "offline: CSP with %d inline-script hashes; sw.js version %s precaches %d files (%.1f MB)",
        len(hashes), version, count, size / 1e6,
    )
    if not os.path.isfile(site_dir / "aid" / "pyodide" / "pyodide.asm.wasm"):
        raise PluginError("offline: the Pyodide runtime is not in the site, so the aid cannot work offline")
