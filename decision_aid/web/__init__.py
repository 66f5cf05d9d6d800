"""The browser front end's Python half: a session, its HTML views, and the bridge to JavaScript.

- `bridge.py`: what the worker calls (`create`, `handle_json`, `prepare`) and the build's `prerender`;
- `session.py`: the answers in memory and which view answers each request;
- `views.py`, `practice_views.py`: the HTML, every user-typed or content string escaped.

`from decision_aid import web` then `web.create(...)`, `web.handle_json(...)` is the contract
with docs/aid/worker.js (PROTOCOL.md).
"""

from .bridge import create, handle_json, prepare, prerender
from .session import Session, form_value, form_values, new_session
from .views import Links, esc

__all__ = ["Links", "Session", "create", "esc", "form_value", "form_values", "handle_json", "new_session", "prepare", "prerender"]
