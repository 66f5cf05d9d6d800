"""Serve the built site the way an intranet web server should, on well-kept parts: waitress (a
production WSGI server: asynchronous I/O, so a slow or silent client costs a small buffer, not a
thread; timeouts; a connection limit) and WhiteNoise (static files: precompressed variants, ETags,
304s, files streamed from disk, never held whole in memory).

What this module adds on top, and why:
- MIME types Pyodide needs: browsers refuse to compile WebAssembly unless .wasm is served as
  application/wasm, and module scripts (.mjs) must be JavaScript.
- Cache headers: every file is revalidated (`no-cache`, with an ETag), so a rebuilt site never
  mixes old and new files; Material's content-hashed bundles (name.<8 hex>.min.js/css) are
  immutable for a year. sw.js and the pages are always no-cache.
- The Content-Security-Policy (from <site>/csp-header.txt, written by the build) and the security
  headers on every response, the 404 page and redirects included: workers take their policy from
  their own response, so the header is what locks down the aid's worker.
- The site's own 404 page; files reached through a symlink that leads out of the site are not
  served.
- A quiet log: failed requests only (unless --verbose), control characters escaped.

Compressed variants (.gz, .br) are made once by `build_scripts/compress.py` at `make build`;
WhiteNoise serves them to browsers that accept them.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from pathlib import Path
from typing import Callable, Iterable

EXTRA_TYPES = {
    ".html": "text/html",
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".txt": "text/plain",
    ".xml": "application/xml",
    ".gz": "application/gzip",
    ".zip": "application/zip",
    ".webmanifest": "application/manifest+json",
}
# Material's bundles carry a content hash in their names: safe to keep for a year.
CONTENT_HASHED = re.compile(r"\.[0-9a-f]{8}\.min\.(?:js|css)$")
CSP_HEADER_FILE = "csp-header.txt"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# waitress: enough connections for a busy office and its load test; idle ones are closed.
SERVER_SETTINGS = {
    "threads": 8,
    "connection_limit": 1000,
    "backlog": 2048,
    "channel_timeout": 30,  # seconds a connection may sit idle (or a client not read) before it is closed
    "cleanup_interval": 10,
    "max_request_header_size": 65536,
    "max_request_body_size": 65536,  # a static site takes no uploads
    "outbuf_overflow": 262144,  # a response beyond this waits in a temporary file, not in memory
    "asyncore_use_poll": True,  # no 1024-descriptor limit of select()
    "expose_tracebacks": False,
    "ident": "",
}

log = logging.getLogger("handbook.serve")

StartResponse = Callable[..., object]


def printable(text: str) -> str:
    """Text for the terminal: control characters from a request line shown escaped, never sent raw."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}" for ch in text)


def is_immutable(path: str, url: str) -> bool:
    return bool(CONTENT_HASHED.search(url))


def _cache_headers(headers, path: str, url: str) -> None:
    if not is_immutable(path, url):
        headers["Cache-Control"] = "no-cache"


def site_app(root: Path):
    """The WSGI application: WhiteNoise over the site, the 404 page behind it, headers around it."""
    from whitenoise import WhiteNoise

    real_root = os.path.realpath(root) + os.sep

    def inside(path: str) -> bool:
        return os.path.realpath(path).startswith(real_root)

    class Site(WhiteNoise):
        # A symlink in the site that leads elsewhere on the disk is not part of the site: not as a
        # file, and not as a compressed copy of one (file.gz, file.br).
        def add_file_to_dictionary(self, url, path, stat_cache=None):
            if not inside(path):
                log.warning("not served: %s leads out of the site", printable(url))
                return
            super().add_file_to_dictionary(url, path, stat_cache=stat_cache)

        def get_static_file(self, path, url, stat_cache=None):
            static = super().get_static_file(path, url, stat_cache=stat_cache)
            static.alternatives = [(accepts, alt, headers) for accepts, alt, headers in static.alternatives if inside(alt)]
            return static

    not_found_page = root / "404.html"

    def not_found(environ, start_response: StartResponse) -> Iterable[bytes]:
        body = not_found_page.read_bytes() if not_found_page.is_file() else b"<!doctype html><title>Not found</title><h1>Not found</h1>"
        start_response("404 Not Found", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))),
                                         ("Cache-Control", "no-cache")])
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    files = Site(not_found, root=str(root), index_file=True, mimetypes=EXTRA_TYPES, max_age=None, allow_all_origins=False,
                 immutable_file_test=is_immutable, add_headers_function=_cache_headers)
    return with_headers(files, root)


def with_headers(app, root: Path, verbose: bool = False):
    """Every response gets the security headers and the CSP; failures (or all, verbose) are logged."""
    def policy() -> str | None:
        try:
            return (root / CSP_HEADER_FILE).read_text(encoding="utf-8").strip() or None
        except OSError:
            return None

    csp = policy()

    def wrapped(environ, start_response: StartResponse):
        def start(status: str, headers: list[tuple[str, str]], exc_info=None):
            headers = [*headers, *SECURITY_HEADERS.items()]
            if csp:
                headers.append(("Content-Security-Policy", csp))
            code = int(status.split(" ", 1)[0])
            if wrapped.verbose or code >= 400:
                line = f'{environ.get("REQUEST_METHOD", "-")} {environ.get("PATH_INFO", "")}{"?" if environ.get("QUERY_STRING") else ""}{environ.get("QUERY_STRING", "")}'
                log.info("%s %s", code, printable(line))
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return app(environ, start)

    wrapped.verbose = verbose
    return wrapped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="the built site, e.g. site/")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--verbose", action="store_true", help="log every request, not only failures")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "task queue depth" under load is not news
    if not (args.directory / "index.html").is_file():
        print(f"error: {args.directory} has no index.html: run `make build` first", file=sys.stderr)
        return 2
    if not (args.directory / CSP_HEADER_FILE).is_file():
        print(f"warning: {args.directory} has no {CSP_HEADER_FILE}; serving without a Content-Security-Policy header", file=sys.stderr)
    try:
        import waitress
    except ImportError:
        print("error: waitress and whitenoise are not installed: run `make setup`", file=sys.stderr)
        return 2
    app = site_app(args.directory)
    app.verbose = args.verbose
    try:
        server = waitress.create_server(app, host=args.host, port=args.port, **SERVER_SETTINGS)
    except OSError as error:
        print(f"error: cannot serve on {args.host}:{args.port}: {error.strerror or error}"
              f"{' (another server is using it: stop it, or choose --port)' if error.errno == 98 else ''}", file=sys.stderr)
        return 2
    # The file list, sizes and the CSP are read once, here: a rebuilt site needs a restart.
    print(f"Serving {args.directory} at http://{args.host}:{server.effective_port}/ "
          "(Ctrl+C to stop; restart after each build)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
