"""induction.md: the practice scenarios placed along the induction path.

The hand-written page holds `<!-- practice: <handbook page> -->` markers; each becomes the list of
practice scenarios to try after that page. A scenario whose page has no marker fails the build,
so none can go missing from the path.
"""

from __future__ import annotations

import html
import re

from . import BuildError
from .state import Build

PAGE = "induction.md"
PRACTICE_MARK = re.compile(r"^<!--\s*practice:\s*(\S+)\s*-->[ \t]*$", re.M)


def practice_list(build: Build, page: str, href: str) -> str:
    chosen = [s for s in build.scenarios.values() if s.read_after == page]
    if not chosen:
        return ""
    items = [
        f'- <a class="practice-link" href="{html.escape(href)}?practice={html.escape(s.id)}">Practise: {html.escape(s.title)}</a>'
        for s in chosen
    ]
    return "\n".join(["", '<div class="practice-list" markdown>', "", *items, "", "</div>", ""])


def induction_markdown(build: Build, markdown: str, href: str) -> str:
    """The induction page with each `<!-- practice: PAGE -->` marker replaced by the scenarios to
    try after that page; `href` is the aid page relative to the induction page."""
    marked = set(PRACTICE_MARK.findall(markdown))
    missing = [s.id for s in build.scenarios.values() if s.read_after not in marked]
    if missing:
        raise BuildError(
            f"induction: docs/{PAGE} has no <!-- practice: PAGE --> marker for the scenarios {missing} "
            "(their read_after page); every practice scenario must be placed on the induction path"
        )
    unknown = sorted(marked - set(build.flow.pages))
    if unknown:
        raise BuildError(f"induction: docs/{PAGE}: practice markers name pages the flow does not know: {unknown}")
    return PRACTICE_MARK.sub(lambda m: practice_list(build, m.group(1), href), markdown)
