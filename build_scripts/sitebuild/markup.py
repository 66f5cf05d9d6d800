"""The one escaper and the one citation formatter for the Markdown the build writes.

Content text (labels, profile values, sentences) is data, not Markdown: `md` keeps it literal.
Citations are written `[[001 §7; 002 §5.6]]` (`cite`), and `pages.substitute_citations` turns
them into links to the Sources page, checked against the clause register.
"""

from __future__ import annotations

import html

from decision_aid.basis import Basis
from decision_aid.model import Cited
from decision_aid.rules import capitalise as cap

__all__ = ["cap", "cite", "cited", "basis_md", "md", "page_md"]

MD_SPECIAL = str.maketrans({c: "\\" + c for c in "*_[]`"})


def md(text: str) -> str:
    """Content text made literal in Markdown: no emphasis, link, code or HTML can start in it."""
    return html.escape(text, quote=False).translate(MD_SPECIAL)


def cite(refs) -> str:
    """The `[[...]]` form of a list of citations (empty when there are none)."""
    return f"[[{'; '.join(refs)}]]" if refs else ""


def cited(value: Cited) -> str:
    """A profile value with its citations, and any advice of ours after it, marked as practice."""
    out = f"{md(value.text)} {cite(value.cite)}"
    if value.advice:
        out += f". {md(cap(value.advice.text))} {practice_md(value.advice.why)}"
    return out


def practice_md(reason: str, refs=()) -> str:
    """The visible mark of our own practice: the reason, and the clauses it draws on."""
    see = f"; see {cite(refs)}" if refs and not all(r in reason for r in refs) else ""
    return f'<span class="practice">(Our practice: {md(reason)}{see})</span>'


def basis_md(b: Basis) -> str:
    """A statement's basis on a page built for one office: its clauses, or our practice and why."""
    return practice_md(b.reason, b.cite) if b.practice else cite(b.cite)


def page_md(path: str) -> str:
    """A handbook path from the content ("causes/") as the Markdown file it is built from."""
    return (path.rstrip("/") or "index") + ".md"
