"""Each built page's Content-Security-Policy, and the header value for servers.

overrides/main.html puts `<meta http-equiv="Content-Security-Policy" content="opcc:csp">` first in
every page's head. Here each built page gets its policy: only the site itself, plus a
'sha256-…' for each inline script that page really holds (Material emits a few small ones; their
text depends on the page's depth, so the hashes are computed from the built HTML, never typed
in). No 'unsafe-inline' and no 'unsafe-eval' for scripts. The union of all pages' hashes goes
into <site>/csp-header.txt: the value tools/serve.py (and an intranet web server) sends as the
Content-Security-Policy header, which also covers the workers (a worker takes its policy from
its own response, not from the page's meta). A page without the placeholder fails the build: a
page that escaped the lock-down is a defect.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from . import BuildError

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
            raise BuildError(
                f"offline: {rel} has {count} Content-Security-Policy placeholders ({CSP_PLACEHOLDER}), "
                "expected 1: every page must extend overrides/main.html"
            )
        if text.find(CSP_PLACEHOLDER) > text.lower().find("<script"):
            raise BuildError(f"offline: in {rel} a script comes before the Content-Security-Policy meta tag")
        hashes = {script_hash(body) for body in inline_scripts(text)}
        union |= hashes
        text = text.replace(CSP_PLACEHOLDER, f'content="{policy(hashes)}"')
        path.write_text(text, encoding="utf-8")
    (site_dir / CSP_HEADER_FILE).write_text(policy(union, header=True) + "\n", encoding="utf-8")
    return union
