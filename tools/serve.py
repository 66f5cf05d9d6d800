"""Serve the built site on the loopback interface, the way an intranet web server should.

- MIME types Pyodide needs: browsers refuse to compile WebAssembly unless .wasm is served as
  application/wasm, and module scripts (.mjs) must be JavaScript.
- Cache headers: every file is revalidated (`Cache-Control: no-cache` with an ETag and
  Last-Modified, so an unchanged file costs a 304 and a rebuilt site never mixes old and new
  files). Material's content-hashed bundles (name.<8 hex>.min.js/css) are immutable for a year.
  sw.js and the pages are always no-cache, so a new build is seen at the next visit.
- The Content-Security-Policy as a response header (from <site>/csp-header.txt, written by the
  build; the pages carry the same policy in a <meta> tag). Workers take their policy from their
  own response, so the header is what locks down the aid's worker.
- gzip for text and WebAssembly when the browser accepts it (compressed once, kept in memory).
- Quiet: only failed requests (4xx/5xx) are logged, unless --verbose.
"""

from __future__ import annotations

import argparse
import email.utils
import functools
import gzip
import http.server
import io
import os
import re
import sys
import threading
from http import HTTPStatus
from pathlib import Path

EXTRA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".wasm": "application/wasm",
    ".mjs": "text/javascript; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".gz": "application/gzip",
    ".zip": "application/zip",
    ".webmanifest": "application/manifest+json",
}
# Worth compressing; .zip and .gz already are.
COMPRESSIBLE = {".html", ".js", ".mjs", ".css", ".json", ".map", ".svg", ".txt", ".xml", ".wasm", ".webmanifest"}
# Material's bundles carry a content hash in their names: safe to keep for a year.
CONTENT_HASHED = re.compile(r"\.[0-9a-f]{8}\.min\.(?:js|css)$")
CSP_HEADER_FILE = "csp-header.txt"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}

_gzip_cache: dict[str, tuple[int, int, bytes]] = {}
_gzip_lock = threading.Lock()


def gzipped(path: str, mtime_ns: int, size: int, data: bytes) -> bytes:
    with _gzip_lock:
        hit = _gzip_cache.get(path)
    if hit and hit[0] == mtime_ns and hit[1] == size:
        return hit[2]
    packed = gzip.compress(data, compresslevel=6, mtime=0)
    with _gzip_lock:
        _gzip_cache[path] = (mtime_ns, size, packed)
    return packed


def cache_control(url_path: str) -> str:
    if CONTENT_HASHED.search(url_path):
        return "public, max-age=31536000, immutable"
    return "no-cache"


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **EXTRA_TYPES}
    verbose = False
    protocol_version = "HTTP/1.1"  # keep-alive: every response carries a Content-Length

    def csp(self) -> str | None:
        try:
            text = Path(self.directory, CSP_HEADER_FILE).read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return text or None

    def end_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        policy = self.csp()
        if policy:
            self.send_header("Content-Security-Policy", policy)
        super().end_headers()

    def send_head(self):  # noqa: C901 - one straight path through HTTP's rules
        path = self.translate_path(self.path)
        url_path = self.path.split("?", 1)[0].split("#", 1)[0]
        if os.path.isdir(path):
            if not url_path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", url_path + "/" + (self.path[len(url_path):] or ""))
                self.send_header("Content-Length", "0")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                return None
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path) or path.endswith(os.sep):
            return self.not_found()
        try:
            with open(path, "rb") as handle:
                stat = os.fstat(handle.fileno())
                data = handle.read()
        except OSError:
            return self.not_found()
        suffix = os.path.splitext(path)[1].lower()
        use_gzip = suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "") and len(data) > 1024
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}{"-gz" if use_gzip else ""}"'
        last_modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
        common = {
            "ETag": etag,
            "Last-Modified": last_modified,
            "Cache-Control": cache_control(url_path),
        }
        if suffix in COMPRESSIBLE:
            common["Vary"] = "Accept-Encoding"
        if self._not_modified(etag, stat.st_mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for name, value in common.items():
                self.send_header(name, value)
            self.end_headers()
            return None
        body = gzipped(path, stat.st_mtime_ns, stat.st_size, data) if use_gzip else data
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(len(body)))
        if use_gzip:
            self.send_header("Content-Encoding", "gzip")
        for name, value in common.items():
            self.send_header(name, value)
        self.end_headers()
        return io.BytesIO(body)

    def _not_modified(self, etag: str, mtime: float) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            return etag in [tag.strip() for tag in match.split(",")] or match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                when = email.utils.parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError, IndexError, OverflowError):
                return False
            return int(mtime) <= when
        return False

    def not_found(self):
        """The site's own 404 page (with the status 404), or a plain one."""
        page = Path(self.directory, "404.html")
        body = page.read_bytes() if page.is_file() else b"<!doctype html><title>Not found</title><h1>Not found</h1>"
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        return io.BytesIO(body)

    def log_request(self, code="-", size="-") -> None:
        status = code.value if isinstance(code, HTTPStatus) else code
        if self.verbose or (isinstance(status, int) and status >= 400):
            super().log_request(code, size)

    def log_message(self, format: str, *args) -> None:  # quieter than the default
        sys.stderr.write("%s\n" % (format % args))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="the built site, e.g. site/")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--verbose", action="store_true", help="log every request, not only failures")
    args = parser.parse_args(argv)
    if not (args.directory / "index.html").is_file():
        parser.error(f"{args.directory} has no index.html: run `make build` first")
    if not (args.directory / CSP_HEADER_FILE).is_file():
        print(f"warning: {args.directory} has no {CSP_HEADER_FILE}; serving without a Content-Security-Policy header", file=sys.stderr)
    SiteHandler.verbose = args.verbose
    handler = functools.partial(SiteHandler, directory=str(args.directory))
    with http.server.ThreadingHTTPServer((args.host, args.port), handler) as server:
        print(f"Serving {args.directory} at http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
