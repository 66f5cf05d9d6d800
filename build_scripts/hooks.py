"""MkDocs hooks for the staff handbook: office values, citations and the generated pages.

The decision engine and the handbook read the same content files (decision_aid/content/), so a
value that differs between offices (who authorises, the review interval, the dispute route, the
word for the person) is written once, in an office profile, and never retyped into a page.

What the hooks do:
- pick the office profile named by the OFFICE environment variable (default "generic");
- replace `{{ office.<name> }}` placeholders in the Markdown with that profile's value, carrying
  the value's own citation;
- turn `[[001 §7; 002 §5.6]]` citations into links to the generated Sources page;
- generate two pages from the content files: `compare.md` (all offices side by side) and
  `sources.md` (the clause register, each clause with the pages that cite it);
- for the decision aid page (docs/aid/index.md): pre-render its first question with the engine's
  own renderer, and after the build vendor the pinned Pyodide runtime and package decision_aid
  into site/aid/ (see build_scripts/aid_build.py).

Any unknown office, placeholder or citation fails the build with a message naming the page and
the offending text: a wrong citation in a policy handbook is a defect, not a warning.
"""

from __future__ import annotations

import html
import importlib.util
import logging
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from decision_aid.content import ContentError, clause_anchor, load_all, load_register
from decision_aid.model import Cited, Flow, Profile
from decision_aid.rules import capitalise

log = logging.getLogger("mkdocs.hooks.handbook")


def _load_sibling(name: str):
    """A module beside this file (MkDocs loads hooks by path, so they are not a package)."""
    spec = importlib.util.spec_from_file_location(f"handbook_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


aid_build = _load_sibling("aid_build")

OFFICE_ENV = "OFFICE"
DEFAULT_OFFICE = "generic"
SOURCES_PAGE = "sources.md"
COMPARE_PAGE = "compare.md"
# Pages whose Markdown the hook writes; they are not in docs/ so that nobody edits them by hand.
GENERATED = (SOURCES_PAGE, COMPARE_PAGE)
# Reserved for the decision aid (another part of the project); the hook leaves it alone apart
# from the same citation and placeholder syntax.
CITATION = re.compile(r"\[\[([^\[\]\n]+)\]\]")
PLACEHOLDER = re.compile(r"\{\{\s*office\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
# Anything that looks like a placeholder but is malformed should fail too, not leak into a page.
LOOSE_PLACEHOLDER = re.compile(r"\{\{[^{}\n]*\boffice\b[^{}\n]*\}\}")


@dataclass
class _State:
    flow: Flow
    profiles: dict[str, Profile]
    office: Profile
    clauses: dict  # "001 §7" -> Clause
    cited_on: dict[str, list[tuple[str, str]]]  # clause ref -> [(page src, page title)]


_state: _State | None = None


def _require_state() -> _State:
    if _state is None:  # on_config always runs first; this guards against a broken config
        raise PluginError("handbook hooks: on_config did not run")
    return _state


# --- citations ------------------------------------------------------------------------------


def split_citation(body: str) -> list[str]:
    return [part.strip() for part in body.split(";") if part.strip()]


def check_refs(refs: list[str], where: str, raw: str) -> None:
    clauses = _require_state().clauses
    if not refs:
        raise PluginError(f"{where}: empty citation {raw!r}")
    for ref in refs:
        if ref not in clauses:
            raise PluginError(
                f"{where}: citation {raw!r} names {ref!r}, which is not in the clause register "
                f"(decision_aid/content/clauses.toml). Write '<policy> <clause>' exactly as the "
                f"register spells it, e.g. '001 §7' or '003 ¶4.2'."
            )


def render_citation(refs: list[str], page_src: str) -> str:
    """A small visible citation: [001 §7; 002 §5.6], each part a link into the Sources page.

    The links are written as Markdown links to sources.md relative to the page's source file, so
    MkDocs itself checks them and turns them into relative URLs (the site works under any path).
    The brackets are entities so that Markdown never reads them as link syntax.
    """
    state = _require_state()
    target = posixpath.relpath(SOURCES_PAGE, posixpath.dirname(page_src) or ".")
    links = []
    for ref in refs:
        clause = state.clauses[ref]
        title = f"{clause.office}: {clause.title}".replace('"', "&quot;")
        links.append(f'[{ref}]({target}#{clause_anchor(ref)} "{title}")')
    return f'<span class="cite">&#91;{"; ".join(links)}&#93;</span>'


def cite_markup(cites: tuple[str, ...] | list[str]) -> str:
    """The `[[...]]` form of a tuple of citations, for Markdown the hook writes itself."""
    return f"[[{'; '.join(cites)}]]" if cites else ""


# --- office placeholders ----------------------------------------------------------------------


def _cited(value: Cited) -> str:
    return f"{_escape(value.text)} {cite_markup(value.cite)}"


def _escape(text: str) -> str:
    # Profile text is data, not Markdown: keep it literal in the page.
    return html.escape(text, quote=False).replace("*", r"\*").replace("_", r"\_")


def _block_measures(state: _State, profile: Profile) -> str:
    """The office's measures grouped by who decides them, least restrictive group first.

    Grouped, not tabled: most measures share an authoriser, and a table repeated the same long
    phrase (with its citations) on every row.
    """
    groups: dict[str, list[str]] = {}
    for mid in sorted(profile.measures, key=lambda m: state.flow.measures[m].rank):
        measure = state.flow.measures[mid]
        # A single office's page cites that office's clauses where the measure has any.
        own = [c for c in measure.cite if profile.source == "all" or c.startswith(profile.source + " ")]
        groups.setdefault(measure.authoriser, []).append(f"{_escape(capitalise(measure.label))} {cite_markup(own or list(measure.cite))}")
    lines = []
    for role, labels in groups.items():
        who = profile.authorisers.get(role)
        lines.append(f"- **Who decides:** {_escape(who.text)} {cite_markup(who.cite)}" if who else f"- **Who decides:** {_escape(role)}")
        lines += [f"    - {label}" for label in labels]
    return "\n".join(lines)


def _block_list(items) -> str:
    return "\n".join(f"{n}. {capitalise(_cited(item))}" for n, item in enumerate(items, 1))


# Inline placeholders: replaced inside a sentence or a table cell.
INLINE: dict[str, Callable[[Profile], str]] = {
    "name": lambda p: _escape(p.name),
    "short": lambda p: _escape(p.short),
    "person": lambda p: _cited(p.person),
    "review": lambda p: _cited(p.review),
    "dispute": lambda p: _cited(p.dispute),
    **{role: (lambda p, role=role: _cited(p.authorisers[role]))
       for role in ("staff", "warning", "restriction", "escalation", "police")},
}
# Block placeholders: a list or a table, so they must stand on a line of their own.
BLOCK: dict[str, Callable[[_State, Profile], str]] = {
    "warnings": lambda s, p: _block_list(p.warnings),
    "contacts": lambda s, p: _block_list(p.contacts),
    "measures": _block_measures,
}


def substitute_placeholders(markdown: str, page_src: str, profile: Profile) -> str:
    state = _require_state()
    out = []
    for number, line in enumerate(markdown.split("\n"), 1):
        where = f"{page_src}:{number}"

        def replace(match: re.Match) -> str:
            name = match.group(1)
            if name in INLINE:
                return INLINE[name](profile)
            if name in BLOCK:
                if line.strip() != match.group(0):
                    raise PluginError(f"{where}: placeholder {match.group(0)!r} is a list or table and must stand on a line of its own")
                return BLOCK[name](state, profile)
            known = ", ".join(sorted([*INLINE, *BLOCK]))
            raise PluginError(f"{where}: unknown placeholder {match.group(0)!r}; known: office.{{{known}}}")

        line = PLACEHOLDER.sub(replace, line)
        stray = LOOSE_PLACEHOLDER.search(line)
        if stray:
            raise PluginError(f"{where}: malformed placeholder {stray.group(0)!r}; write {{{{ office.<name> }}}}")
        out.append(line)
    return "\n".join(out)


def substitute_citations(markdown: str, page_src: str) -> str:
    out = []
    for number, line in enumerate(markdown.split("\n"), 1):
        def replace(match: re.Match) -> str:
            refs = split_citation(match.group(1))
            check_refs(refs, f"{page_src}:{number}", match.group(0))
            return render_citation(refs, page_src)

        out.append(CITATION.sub(replace, line))
    return "\n".join(out)


# --- generated pages --------------------------------------------------------------------------


def _ordered_profiles(profiles: dict[str, Profile]) -> list[Profile]:
    """The five offices in policy order, then the generic profile, which sums them up."""
    return sorted(profiles.values(), key=lambda p: (p.source == "all", p.source, p.id))


def comparison_markdown(state: _State) -> str:
    offices = _ordered_profiles(state.profiles)
    rows: list[tuple[str, str, Callable[[Profile], str]]] = [
        ("terminology", "The word for the person", lambda p: _cited(p.person)),
        ("end-call", "Who may end or hold a call", lambda p: _cited(p.authorisers["staff"])),
        ("warning", "Who agrees a warning", lambda p: _cited(p.authorisers["warning"])),
        ("restriction", "Who authorises a restriction", lambda p: _cited(p.authorisers["restriction"])),
        ("escalation", "Who decides after a breach", lambda p: _cited(p.authorisers["escalation"])),
        ("police", "Who reports to the police", lambda p: _cited(p.authorisers["police"])),
        ("threats", "Are threats and abuse always reported?", lambda p: (
            "yes, as a rule" if p.threats_always_reported else "violence used or threatened always; other threats and abuse by judgement"
        ) + f" {cite_markup(p.threats_cite)}"),
        ("review", "Review of a restriction", lambda p: _cited(p.review)),
        ("dispute", "How the person disputes it", lambda p: _cited(p.dispute)),
        ("warnings", "Warning stages", lambda p: "<br>".join(f"{n}. {_cited(w)}" for n, w in enumerate(p.warnings, 1)) or "None set out"),
    ]
    md = [
        "---",
        "title: The five offices compared",
        "search:",
        "  boost: 0.5  # it mentions every topic once per office; the topic pages should rank first",
        "---",
        "",
        "# The five offices compared",
        "",
        "The five source policies agree on most things and differ on a few: who decides, how often a",
        "restriction is reviewed, how the person can dispute it, the word they use for the person, and",
        "which measures they list. This page is generated from the office profiles that the handbook",
        "and the decision aid both use, so it cannot drift from them. Every cell cites its clause.",
        "",
        "The **generic** profile, the default, takes the most protective reading of the five.",
        f"This copy of the handbook is built for **{_escape(state.office.name)}**.",
        "",
        "| Short name | Office | Policy file |",
        "|---|---|---|",
        *[f"| {_escape(p.short)} | {_escape(p.name)} | {_escape(p.source if p.source != 'all' else 'all five')} |" for p in offices],
        "",
    ]
    for anchor, label, value in rows:
        md += [f"## {label} {{ #{anchor} }}", "", '<div class="compare" markdown>', "", "| Office | Rule |", "|---|---|"]
        md += [f"| {_escape(p.short)} | {capitalise(value(p))} |" for p in offices]
        md += ["", "</div>", ""]
    months = {p.id: (f"{p.review_months} months" if p.review_months else "no fixed interval") for p in offices}
    md += ["## Review interval in months { #review-months }", "", "| Office | At least every | Source |", "|---|---|---|"]
    md += [f"| {_escape(p.short)} | {months[p.id]} | {cite_markup(p.review.cite)} |" for p in offices]
    md.append("")
    # Measures: one row per measure any office lists, one column per office.
    all_measures = [m for m in state.flow.measures.values() if any(m.id in p.measures for p in offices)]
    all_measures.sort(key=lambda m: (m.rank, m.label))
    # A two-column list rather than an office-by-measure grid: the labels are sentences, and a
    # grid of six narrow columns is unreadable on a phone.
    five = [p for p in offices if p.source != "all"]
    md += [
        "## Measures each office lists { #measures }",
        "",
        "An office missing from a row has not named that measure in its policy. That is not the",
        "same as forbidding it: most of the lists end with “any other action that is appropriate”.",
        "",
        '<div class="compare" markdown>',
        "",
        "| Measure | Named by |",
        "|---|---|",
    ]
    for m in all_measures:
        named = [p for p in five if m.id in p.measures]
        who = "all five offices" if len(named) == len(five) else ", ".join(_escape(p.short) for p in named) or "none of the five"
        generic = " (and the generic profile)" if any(p.source == "all" and m.id in p.measures for p in offices) else ""
        md.append(f"| {_escape(capitalise(m.label))} {cite_markup(m.cite)} | {capitalise(who)}{generic} |")
    md += ["", "</div>"]
    md += ["", "Sources for each office's list of measures:", ""]
    md += [f"- {_escape(p.short)}: {cite_markup(p.measures_cite)}" for p in offices]
    md.append("")
    return "\n".join(md)


def _page_title(markdown: str, src: str) -> str:
    front = re.match(r"^---\n(.*?)\n---\n", markdown, re.S)
    if front:
        title = re.search(r"^title:\s*(.+)$", front.group(1), re.M)
        if title:
            return title.group(1).strip().strip("'\"")
    heading = re.search(r"^# (.+)$", markdown, re.M)
    return heading.group(1).strip() if heading else src


def _citations_in(markdown: str, src: str, profile: Profile) -> set[str]:
    """Every clause a page will cite: its own [[...]] and those its placeholders carry."""
    expanded = substitute_placeholders(markdown, src, profile)
    return {ref for body in CITATION.findall(expanded) for ref in split_citation(body)}


def sources_markdown(state: _State) -> str:
    md = [
        "---",
        "title: Sources",
        "search:",
        "  exclude: true  # its back-links name every page, which would crowd every search",
        "---",
        "",
        "# Sources",
        "",
        "Every citation in this handbook points here. A citation such as **001 §7** means policy file",
        "001, section 7, as numbered in the published text; **¶** marks a numbered paragraph,",
        "**App A** an appendix. The short titles are ours. Under each clause are the pages that",
        "cite it, so a policy owner can see where each rule is used.",
        "",
    ]
    by_policy: dict[str, list] = {}
    for ref, clause in state.clauses.items():
        by_policy.setdefault(clause.policy, []).append(clause)
    for policy, clauses in sorted(by_policy.items()):
        first = clauses[0]
        md += [f"## {policy}: {_escape(first.office)} {{ #policy-{policy} }}", "", f"Source file: `{first.file}`", ""]
        for clause in clauses:
            used = sorted(set(state.cited_on.get(clause.ref, [])), key=lambda t: t[1])
            where = ", ".join(f"[{_escape(title)}]({src})" for src, title in used) or "not cited in the handbook pages"
            md += [f"**{clause.ref}**: {_escape(clause.title)}.  ", f"Cited on: {where}", f"{{: #{clause_anchor(clause.ref)} .clause }}", ""]
    return "\n".join(md)


# --- MkDocs events ----------------------------------------------------------------------------


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _state
    office_id = os.environ.get(OFFICE_ENV, "").strip() or DEFAULT_OFFICE
    try:
        register = load_register()
        flow, profiles = load_all()
    except ContentError as error:
        raise PluginError(f"handbook: the content files do not load: {error}") from None
    if office_id not in profiles:
        known = ", ".join(sorted(profiles))
        raise PluginError(f"handbook: {OFFICE_ENV}={office_id!r} is not a known office profile. Known offices: {known}.")
    office = profiles[office_id]
    _state = _State(flow=flow, profiles=profiles, office=office, clauses=dict(register.clauses), cited_on={})
    # The templates (overrides/main.html, the footer, the print cover) show the office.
    config.extra["office"] = {"id": office.id, "name": office.name, "short": office.short}
    log.info("handbook: building for office %r (%s)", office.id, office.name)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    state = _require_state()
    for src in GENERATED:
        if files.get_file_from_path(src) is not None:
            raise PluginError(f"handbook: docs/{src} exists, but that page is generated; delete it")
    # Which pages cite which clause, read from the sources before any page is built, so the
    # Sources page can list its back-links whatever order MkDocs renders pages in.
    compare_md = comparison_markdown(state)
    sources = [(COMPARE_PAGE, compare_md)]
    for file in files.documentation_pages():
        # Pages that plugins add without a source file (the print page) cite nothing of their own.
        if file.generated_by is None and file.abs_src_path and os.path.isfile(file.abs_src_path):
            sources.append((file.src_uri, file.content_string))
    for src, text in sources:
        title = _page_title(text, src)
        for ref in _citations_in(text, src, state.office):
            state.cited_on.setdefault(ref, []).append((src, title))
    files.append(File.generated(config, COMPARE_PAGE, content=compare_md))
    files.append(File.generated(config, SOURCES_PAGE, content=sources_markdown(state)))
    return files


# An absolute URL that starts a JavaScript string literal: the shape of every address a script
# could request (tests/test_handbook_build.py looks for the same shape in the built site).
JS_EXTERNAL_URL = re.compile(r"""(?<=["'`])(?:https?:)?//(?:(?:[\w-]+\.)+[A-Za-z]{2,}|\$\{[^}]*\})""")


def neutralise_theme_fetches(site_dir: str) -> list[str]:
    """Point Material's dormant outside fetches at inert data: URLs.

    Material 9.8.1's bundle can load a ResizeObserver polyfill and Mermaid from unpkg.com, and
    repository facts from the GitHub/GitLab APIs. None of them runs for this site (modern
    browsers, no diagrams, no repo_url), but "nothing is fetched from outside the site" must
    hold by construction, not by luck: an intranet proxy log should never show such a request.
    A `data:,` URL cannot reach the network, so the worst case is a feature that quietly stays
    off. Only Material's own bundle is touched; anything else is left for the test to report.
    """
    changed = []
    scripts = os.path.join(site_dir, "assets", "javascripts")
    for name in sorted(os.listdir(scripts)) if os.path.isdir(scripts) else []:
        if not (name.startswith("bundle.") and name.endswith(".js")):
            continue
        path = os.path.join(scripts, name)
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        found = JS_EXTERNAL_URL.findall(text)
        if found:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(JS_EXTERNAL_URL.sub("data:,", text))
            changed += [f"{name}: {url}" for url in found]
    return changed


def on_post_build(config: MkDocsConfig) -> None:
    for item in neutralise_theme_fetches(config.site_dir):
        log.info("handbook: made inert an outside fetch in Material's bundle (%s)", item)
    try:
        aid_build.vendor_pyodide(config.site_dir)
        aid_build.package_decision_aid(config.site_dir)
    except aid_build.AidBuildError as error:
        raise PluginError(str(error)) from None


# --- the decision aid page --------------------------------------------------------------------

AID_PAGE = "aid/index.md"
AID_ROOT = re.compile(r'<div id="aid-root"([^>]*)>')
AID_FIRST_STEP = "<!-- aid:first-step -->"
# The static page with every question, for when the aid cannot run; if it is not built, the
# failure message points to the handbook's start page instead.
REFERENCE_PAGES = ("reference.md", "reference/index.md")


def aid_page_content(page_html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Give #aid-root the office, the site root and the reference page, and pre-render step one.

    The first question is rendered by the same Python renderer the browser uses, so a member of
    staff can read and answer it before Pyodide has loaded.
    """
    state = _require_state()
    base = get_relative_url(".", page.url or ".").rstrip("/") + "/"
    reference = next((f for f in map(files.get_file_from_path, REFERENCE_PAGES) if f is not None), None)
    reference_url = get_relative_url(reference.url if reference else ".", page.url or ".")
    if reference_url.endswith(".."):
        reference_url += "/"
    if not AID_ROOT.search(page_html) or AID_FIRST_STEP not in page_html:
        raise PluginError(f'handbook: docs/{AID_PAGE} must hold <div id="aid-root"> and {AID_FIRST_STEP}')
    try:
        from decision_aid import web
    except ImportError as error:
        raise PluginError(f"handbook: the decision aid's renderer (decision_aid/web.py) does not import: {error}") from None
    first = web.prerender(state.office.id, base)
    reference_text = "every question of the aid on one page" if reference else "the handbook's start page"
    attrs = (
        f' data-office="{html.escape(state.office.id)}" data-base="{html.escape(base)}"'
        f' data-reference="{html.escape(reference_url)}" data-reference-text="{html.escape(reference_text)}"'
    )
    page_html = AID_ROOT.sub(lambda m: f'<div id="aid-root"{m.group(1)}{attrs}>', page_html, count=1)
    page_html = page_html.replace("aid:reference-link", html.escape(reference_url))
    page_html = page_html.replace("aid:reference-text", html.escape(reference_text))
    return page_html.replace(AID_FIRST_STEP, first, 1)


def on_page_content(page_html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # Here rather than after the template: the renderer's own <h1> is then in page.content, and
    # Material does not add a second one from the page title.
    if page.file.src_uri == AID_PAGE:
        return aid_page_content(page_html, page, config, files)
    return page_html


PRINT_LINK = re.compile(r"\[([^\]\n]+)\]\(print_page\.md\)")


def link_print_page(markdown: str, page: Page, config: MkDocsConfig) -> str:
    """Links to the induction pack, which print-site adds after MkDocs has checked links.

    MkDocs cannot see that page among the documentation files, so `[text](print_page.md)` is
    written out as a plain relative link here (relative, so the site still works under any path).
    """
    target = "print_page/" if config.use_directory_urls else "print_page.html"
    href = get_relative_url(target, page.url or ".")
    return PRINT_LINK.sub(lambda m: f'<a href="{href}">{m.group(1)}</a>', markdown)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    state = _require_state()
    src = page.file.src_uri
    markdown = substitute_placeholders(markdown, src, state.office)
    markdown = link_print_page(markdown, page, config)
    return substitute_citations(markdown, src)
