"""The JavaScript bridge: the one session the aid page's worker talks to, JSON in and out.

The worker (docs/aid/worker.js) calls `create(office, base)` once, then `handle_json` for
every request (PROTOCOL.md) and `prepare` in the pauses between them. `prerender` gives the
build the first step exactly as a fresh session's `start` returns it, for the aid or for one
practice scenario.
"""

from __future__ import annotations

import json
import sys
import traceback

from ..content import Content
from .session import Session, new_session
from .views import render_error

_session: Session | None = None


def create(office: str = "generic", base: str = "../") -> None:
    global _session
    _session = new_session(office, base)


def handle_json(request: str) -> str:
    """One JSON request in, one JSON response out; never raises."""
    try:
        if _session is None:
            create()
        data = json.loads(request)
        if not isinstance(data, dict):
            raise ValueError("a request must be a JSON object")
        response = _session.handle(data)
    except Exception as error:  # the page must explain, never go blank
        traceback.print_exc(file=sys.stderr)
        response = _session._error_view(f"An internal error occurred ({type(error).__name__}).") if _session else {
            "view": "error", "node": None, "html": render_error(f"The decision aid failed to start ({type(error).__name__}: {error})."),
            "title": "Error", "focus": "aid-heading", "announce": "The decision aid failed to start.", "answers": {}, "complete": False,
        }
    return json.dumps(response, ensure_ascii=False)


def prepare() -> None:
    """Work done ahead while the page waits for the user; the worker calls it 300 ms after a
    response unless another request comes first. Never raises: it only ever saves time."""
    try:
        if _session is not None:
            _session.prepare()
    except Exception:
        traceback.print_exc(file=sys.stderr)


def prerender(office: str = "generic", base: str = "../", content: Content | None = None, practice: str | None = None) -> str:
    """The first step's HTML, exactly as a fresh session's `start` returns it (for the build,
    which passes the content it has already loaded); with `practice`, the first step of that
    practice scenario, its story above it."""
    request = {"type": "start", "practice": practice} if practice else {"type": "start"}
    return new_session(office, base, content=content).handle(request)["html"]
