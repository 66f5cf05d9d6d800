"""Offline use: <site>/sw.js, written from sitebuild/sw.js with the precache list (every file of
the built site, the Pyodide runtime and decision_aid.zip included) and a version, a hash of every
precached file's path and bytes. A rebuild that changes anything gives a new sw.js, hence a new,
complete cache; the old one is deleted when the new worker takes over.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from . import BuildError

SW_TEMPLATE = Path(__file__).resolve().parent / "sw.js"
SW_NAME = "sw.js"

# Never precached: the worker itself, source maps (only developer tools read them), the gzipped
# sitemap copy and the header file (for servers, not pages).
NOT_PRECACHED = re.compile(r"(^|/)(sw\.js|csp-header\.txt|sitemap\.xml\.gz)$|\.map$")
# Material's search loads lunr's language support (0.9 MB, three quarters of it Thai word-cutting)
# only for a search language other than English.
LUNR_LANGUAGES = "assets/javascripts/lunr/"


def precache_list(site_dir: Path, search_languages: tuple[str, ...] = ("en",)) -> list[str]:
    """Every file the site serves offline, as URLs relative to sw.js (x/index.html -> x/)."""
    english_only = set(search_languages) <= {"en"}
    urls = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(site_dir).as_posix()
        if NOT_PRECACHED.search(rel) or (english_only and rel.startswith(LUNR_LANGUAGES)):
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


def write_service_worker(site_dir: Path, search_languages: tuple[str, ...] = ("en",)) -> tuple[str, int, int]:
    """Write <site>/sw.js; returns (version, number of files, total bytes)."""
    urls = precache_list(site_dir, search_languages)
    version = build_version(site_dir, urls)
    template = SW_TEMPLATE.read_text(encoding="utf-8")
    for token in ('"opcc:version"', '["opcc:precache"]'):
        if template.count(token) != 1:
            raise BuildError(f"offline: {SW_TEMPLATE.name} must hold {token} exactly once")
    text = template.replace('"opcc:version"', json.dumps(version)).replace(
        '["opcc:precache"]', json.dumps(urls, indent=0).replace("\n", "")
    )
    (site_dir / SW_NAME).write_text(text, encoding="utf-8")
    size = sum(file_for(site_dir, url).stat().st_size for url in urls)
    return version, len(urls), size
