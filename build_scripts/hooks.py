"""MkDocs hooks for the staff handbook: thin event handlers over the build package `sitebuild`.

Each handler does MkDocs' plumbing (files, URLs, events) and calls one function of
build_scripts/sitebuild/, which does the work over content loaded once per build (see its
__init__.py for the modules). A `BuildError` from any of them becomes MkDocs' own error, naming
the page or file and what is wrong.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

# MkDocs loads hooks by path: the build package beside this file must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitebuild import BuildError, aid_build, aid_links, aid_page, compare, csp, flowmap, induction, markup, pages, search_terms  # noqa: E402
from sitebuild import bytecode, reference, service_worker, sources, state, theme  # noqa: E402

log = logging.getLogger("mkdocs.hooks.handbook")
GENERATED = (sources.PAGE, compare.PAGE, reference.PAGE, flowmap.PAGE)

_build: state.Build | None = None


def _require() -> state.Build:
    if _build is None:  # on_config always runs first; this guards against a broken config
        raise PluginError("handbook hooks: on_config did not run")
    return _build


def _relative(target_url: str, page: Page | File) -> str:
    url = get_relative_url(target_url, page.url or ".")
    return url + "/" if url.endswith("..") else url


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    try:
        _build = state.load(os.environ.get("OFFICE", ""))
    except BuildError as error:
        raise PluginError(str(error)) from None
    office = _build.office
    # The templates (overrides/main.html, the footer, the print cover) show the office.
    config.extra["office"] = {"id": office.id, "name": office.name, "short": office.short}
    log.info("handbook: building for office %r (%s)", office.id, office.name)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    build = _require()
    for src in GENERATED:
        if files.get_file_from_path(src) is not None:
            raise PluginError(f"handbook: docs/{src} exists, but that page is generated; delete it")
    for path in sorted(build.flow.pages | {build.flow.say("result.notice_page")}):
        if files.get_file_from_path(markup.page_md(path)) is None:
            raise PluginError(f"handbook: the content names the handbook page {path!r}, which does not exist in docs/")
    compare_md = compare.comparison_markdown(build)
    try:
        # Which pages cite which clause, read before any page is built, so the Sources page can
        # list its back-links whatever order MkDocs renders pages in.
        texts = [(compare.PAGE, compare_md)] + [
            (f.src_uri, f.content_string) for f in files.documentation_pages()
            # Pages that plugins add without a source file (the print page) cite nothing of their own.
            if f.generated_by is None and f.abs_src_path and os.path.isfile(f.abs_src_path)
        ]
        for src, text in texts:
            title = pages.page_title(text, src)
            for ref in pages.citations_in(build, text, src):
                build.cited_on.setdefault(ref, []).append((src, title))
        files.append(File.generated(config, compare.PAGE, content=compare_md))
        files.append(File.generated(config, sources.PAGE, content=sources.sources_markdown(build)))
        files.append(File.generated(config, reference.PAGE, content=reference.reference_markdown(build)))
        map_file = File.generated(config, flowmap.PAGE, content="")

        def href_for(path: str) -> str:
            return _relative(files.get_file_from_path(markup.page_md(path)).url, map_file)

        map_file.content_string = flowmap.map_markdown(build, href_for)
        files.append(map_file)
    except BuildError as error:
        raise PluginError(str(error)) from None
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = _require()
    src = page.file.src_uri
    try:
        markdown = pages.substitute_placeholders(build, markdown, src)
        markdown = pages.link_print_page(markdown, _relative("print_page/" if config.use_directory_urls else "print_page.html", page))
        if src == induction.PAGE:
            aid = files.get_file_from_path(aid_page.PAGE)
            markdown = induction.induction_markdown(build, markdown, _relative(aid.url if aid else "aid/", page))
        guidance = aid_links.pages_by_source(build.flow).get(src)
        if guidance:  # links between sources, so MkDocs checks them, anchors included
            here = os.path.dirname(src)
            note = aid_links.aid_note(build.flow, guidance, os.path.relpath(aid_page.PAGE, here or "."),
                                      os.path.relpath(reference.PAGE, here or "."))
            markdown = aid_links.with_aid_note(markdown, note)
        return pages.substitute_citations(build, markdown, src)
    except BuildError as error:
        raise PluginError(str(error)) from None


def on_page_content(page_html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # Here rather than after the template: the renderer's own <h1> is then in page.content, and
    # Material does not add a second one from the page title.
    if page.file.src_uri != aid_page.PAGE:
        return page_html
    ref = files.get_file_from_path(reference.PAGE)
    flow_map = files.get_file_from_path(flowmap.PAGE)
    base = get_relative_url(".", page.url or ".").rstrip("/") + "/"
    try:
        return aid_page.aid_page_html(_require(), page_html, base, _relative(ref.url if ref else ".", page), ref is not None,
                                      _relative(flow_map.url if flow_map else ".", page))
    except BuildError as error:
        raise PluginError(str(error)) from None


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if page.file.src_uri != aid_page.PAGE:
        return output
    base = get_relative_url(".", page.url or ".").rstrip("/") + "/"
    try:
        return aid_page.with_practice_starts(_require(), output, base)
    except BuildError as error:
        raise PluginError(str(error)) from None


@event_priority(-100)  # last: after print-site, so that every file is in place
def on_post_build(config: MkDocsConfig) -> None:
    site_dir = Path(config.site_dir)
    for item in theme.neutralise_theme_fetches(config.site_dir):
        log.info("handbook: made inert an outside fetch in Material's bundle (%s)", item)
    try:
        terms = search_terms.add_terms(site_dir)  # before the service worker lists the index
        aid_build.vendor_pyodide(site_dir)
        aid_build.inline_lock(site_dir)
        aid_build.package_decision_aid(site_dir)
        modules, library_bytes, library_id = bytecode.compile_for_browser(site_dir)  # after the engine
        aid_build.write_into_worker(site_dir, bytecode.LIBRARY_PLACEHOLDER, f'"{library_id}"', bytecode.LIBRARY_ID_WHAT)
        hashes = csp.apply_csp(site_dir)
        search = config.plugins.get("search")
        languages = tuple(search.config.lang or ["en"]) if search is not None else ("en",)
        version, count, size = service_worker.write_service_worker(site_dir, languages)
    except BuildError as error:
        raise PluginError(str(error)) from None
    log.info("search: staff words added to %d entries", terms)
    log.info("aid: engine and Python library (%d modules, %.1f MB) compiled by Pyodide", modules, library_bytes / 1e6)
    log.info("offline: CSP with %d inline-script hashes; sw.js version %s precaches %d files (%.1f MB)",
             len(hashes), version, count, size / 1e6)
