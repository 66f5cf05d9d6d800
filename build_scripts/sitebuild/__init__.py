"""Building the handbook: one module per generated page or build step, over content loaded once.

`build_scripts/hooks.py` holds the MkDocs event handlers and nothing else; each handler calls
one function here. The modules:

- `state.py`: the content (flow, profiles, register, practice scenarios) loaded once per build,
  and the office the site is built for;
- `markup.py`: the one Markdown escaper and the one citation formatter every page uses;
- `pages.py`: office placeholders and citations in the hand-written pages;
- `compare.py`, `sources.py`, `reference.py`, `flowmap.py`: the generated pages;
- `induction.py`: practice scenarios placed on the induction path;
- `aid_page.py`: the aid page's attributes and its pre-rendered first question;
- `aid_build.py`: the vendored Pyodide runtime and the packaged engine;
- `bytecode.py`: the browser's Python (the library it needs, and the engine) compiled by Pyodide;
- `theme.py`: Material's dormant outside fetches made inert;
- `csp.py`, `service_worker.py`: each page's Content-Security-Policy, and offline use.

Every failure is a `BuildError` naming the page or file and what to do; the hooks turn it into
MkDocs' own error.
"""


class BuildError(Exception):
    """A build step cannot go on; the message names the page or file and what is wrong."""
