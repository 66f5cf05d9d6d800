"""The hand-written pages: office values in `{{ office.<name> }}` placeholders, and `[[...]]`
citations turned into links to the Sources page.

Any unknown placeholder or citation fails the build naming the page, the line and the text: a
wrong citation in a policy handbook is a defect, not a warning.
"""

from __future__ import annotations

import posixpath
import re
from typing import Callable

from decision_aid import basis
from decision_aid.clauses import clause_anchor
from decision_aid.contract import POLICE_KINDS, POLICE_RULES, ROLES
from decision_aid.model import Letter, NoticeItem, Profile

from . import BuildError
from .markup import basis_md, cap, cite, cited, md, practice_md
from .state import Build

SOURCES_PAGE = "sources.md"
CITATION = re.compile(r"\[\[([^\[\]\n]+)\]\]")
PLACEHOLDER = re.compile(r"\{\{\s*office\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
# Anything that looks like a placeholder but is malformed should fail too, not leak into a page.
LOOSE_PLACEHOLDER = re.compile(r"\{\{[^{}\n]*\boffice\b[^{}\n]*\}\}")


def split_citation(body: str) -> list[str]:
    return [part.strip() for part in body.split(";") if part.strip()]


def check_refs(build: Build, refs: list[str], where: str, raw: str) -> None:
    if not refs:
        raise BuildError(f"{where}: empty citation {raw!r}")
    for ref in refs:
        if build.register.resolve(ref) is None:
            raise BuildError(
                f"{where}: citation {raw!r} names {ref!r}, which is not in the clause register "
                f"(decision_aid/content/clauses.toml). Write '<policy> <clause>' exactly as the "
                f"register spells it, e.g. '001 §7' or '003 ¶4.2'."
            )


def render_citation(build: Build, refs: list[str], page_src: str) -> str:
    """A small visible citation: [001 §7; 002 §5.6], each part a link into the Sources page.

    The links are Markdown links to sources.md relative to the page's source file, so MkDocs
    itself checks them and turns them into relative URLs (the site works under any path). The
    brackets are entities so that Markdown never reads them as link syntax.
    """
    target = posixpath.relpath(SOURCES_PAGE, posixpath.dirname(page_src) or ".")
    links = []
    own = set(build.office.own(refs))
    for ref in refs:
        clause = build.register.resolve(ref)
        title = f"{clause.office}: {clause.title}".replace('"', "&quot;")
        # On a page built for one office, another office's clause says whose it is.
        shown = ref if ref in own else f"{clause.short} {ref}"
        links.append(f'[{shown}]({target}#{clause_anchor(ref)} "{title}")')
    return f'<span class="cite">&#91;{"; ".join(links)}&#93;</span>'


PRACTICE_MARK = re.compile(r"^practice:\s*(.+)$", re.S)


def substitute_citations(build: Build, markdown: str, page_src: str) -> str:
    """`[[001 §7; 002 §5.6]]` becomes links to the Sources page; `[[practice: why]]` marks the
    statement before it as our own practice, with the reason."""
    out = []
    for number, line in enumerate(markdown.split("\n"), 1):
        def replace(match: re.Match) -> str:
            practice = PRACTICE_MARK.match(match.group(1).strip())
            if practice:
                return practice_md(practice.group(1).strip())
            refs = split_citation(match.group(1))
            check_refs(build, refs, f"{page_src}:{number}", match.group(0))
            return render_citation(build, refs, page_src)

        out.append(CITATION.sub(replace, line))
    return "\n".join(out)


def citations_in(build: Build, markdown: str, src: str) -> set[str]:
    """Every clause a page will cite: its own [[...]] and those its placeholders carry."""
    expanded = substitute_placeholders(build, markdown, src)
    return {ref for body in CITATION.findall(expanded) if not PRACTICE_MARK.match(body.strip()) for ref in split_citation(body)}


# --- office placeholders ----------------------------------------------------------------------


def _block_measures(build: Build, profile: Profile) -> str:
    """The office's measures grouped by who decides them, least restrictive group first.

    Grouped, not tabled: most measures share an authoriser, and a table repeated the same long
    phrase (with its citations) on every row.
    """
    groups: dict[str, list[str]] = {}
    for mid in sorted(profile.measures, key=lambda m: build.flow.measures[m].rank):
        measure = profile.measure(build.flow.measures[mid])
        # A single office's page cites that office's clauses where the measure has any.
        own = [c for c in measure.cite if profile.source == "all" or c.startswith(profile.source + " ")]
        groups.setdefault(measure.authoriser, []).append(f"{md(cap(measure.label))} {cite(own or list(measure.cite))}")
    lines = []
    for role, labels in groups.items():
        who = profile.authorisers[role]
        lines.append(f"- **Who decides:** {md(who.text)} {cite(who.cite)}")
        lines += [f"    - {label}" for label in labels]
    return "\n".join(lines)


def _block_list(items) -> str:
    return "\n".join(f"{n}. {cap(cited(item))}" for n, item in enumerate(items, 1))


POLICE_WORDS = {"violence": "Violence used or threatened", "threats": "Threats, harassment and stalking", "abuse": "Verbal abuse"}


def _block_police(build: Build, profile: Profile) -> str:
    """What this office's policy does about each kind of behaviour and the police."""
    lines = [f"- **{POLICE_WORDS[kind]}** ({POLICE_RULES[profile.police[kind].rule]}): {cited(profile.police[kind].said)}"
             for kind in POLICE_KINDS]
    if profile.police_visit:
        lines.append(f"- **Threatening or abusive visits:** {cited(profile.police_visit)}")
    exception = " (threatening or abusive visits: as above)" if profile.police_visit else ""
    lines.append(f"- **Who makes the report{exception}:** {cited(profile.authorisers['police'])}")
    return "\n".join(lines)


def _block_letter(elements: dict[str, NoticeItem], letter: Letter, profile: Profile) -> str:
    """The elements this office's letter carries: its policy's first, then our practice."""
    return "\n".join(f"- {md(elements[eid].text)} {basis_md(basis.of_element(profile, elements[eid], letter.items))}"
                     for eid in letter.all)


# Inline placeholders: replaced inside a sentence or a table cell.
INLINE: dict[str, Callable[[Profile], str]] = {
    "name": lambda p: md(p.name),
    "short": lambda p: md(p.short),
    "person": lambda p: cited(p.person),
    "review": lambda p: cited(p.review),
    "dispute": lambda p: cited(p.dispute),
    "end_contact": lambda p: cited(p.end_contact),
    "without_warning": lambda p: cited(p.without_warning.said),
    "read_and_file": lambda p: cited(p.read_and_file),
    **{f"police_{kind}": (lambda p, kind=kind: cited(p.police[kind].said)) for kind in POLICE_KINDS},
    **{role: (lambda p, role=role: cited(p.authorisers[role])) for role in ROLES},
}
# Block placeholders: a list or a table, so they must stand on a line of their own.
BLOCK: dict[str, Callable[[Build, Profile], str]] = {
    "warnings": lambda b, p: _block_list(p.warnings),
    "contacts": lambda b, p: _block_list(p.contacts),
    "measures": _block_measures,
    "police_rules": _block_police,
    "notice": lambda b, p: _block_letter(b.flow.notice, p.notice, p),
    "warning_letter": lambda b, p: _block_letter(b.flow.warning_letter, p.warning_letter, p),
}


def substitute_placeholders(build: Build, markdown: str, page_src: str) -> str:
    profile = build.office
    out = []
    for number, line in enumerate(markdown.split("\n"), 1):
        where = f"{page_src}:{number}"

        def replace(match: re.Match) -> str:
            name = match.group(1)
            if name in INLINE:
                return INLINE[name](profile)
            if name in BLOCK:
                if line.strip() != match.group(0):
                    raise BuildError(f"{where}: placeholder {match.group(0)!r} is a list or table and must stand on a line of its own")
                return BLOCK[name](build, profile)
            known = ", ".join(sorted([*INLINE, *BLOCK]))
            raise BuildError(f"{where}: unknown placeholder {match.group(0)!r}; known: office.{{{known}}}")

        line = PLACEHOLDER.sub(replace, line)
        stray = LOOSE_PLACEHOLDER.search(line)
        if stray:
            raise BuildError(f"{where}: malformed placeholder {stray.group(0)!r}; write {{{{ office.<name> }}}}")
        out.append(line)
    return "\n".join(out)


def page_title(markdown: str, src: str) -> str:
    front = re.match(r"^---\n(.*?)\n---\n", markdown, re.S)
    if front:
        title = re.search(r"^title:\s*(.+)$", front.group(1), re.M)
        if title:
            return title.group(1).strip().strip("'\"")
    heading = re.search(r"^# (.+)$", markdown, re.M)
    return heading.group(1).strip() if heading else src


PRINT_LINK = re.compile(r"\[([^\]\n]+)\]\(print_page\.md\)")


def link_print_page(markdown: str, href: str) -> str:
    """Links to the induction pack, which print-site adds after MkDocs has checked links.

    MkDocs cannot see that page among the documentation files, so `[text](print_page.md)` is
    written out as a plain relative link (`href`, relative so the site works under any path).
    """
    return PRINT_LINK.sub(lambda m: f'<a href="{href}">{m.group(1)}</a>', markdown)
