"""The built handbook in headless Chromium: every page loads from 127.0.0.1 alone with no failed
request (issue 3, "Done when"), and axe-core finds no WCAG 2.2 A/AA violation on the start page, a
content page and the comparison page, in the light and the dark palette."""

from __future__ import annotations

from pathlib import Path

import pytest

from .e2e_support import assert_accessible, assert_palette


def built_pages(site_dir: Path) -> list[str]:
    """Every page of the built site, as a path relative to the site root ('' for the start page)."""
    pages = []
    for index in sorted(site_dir.rglob("index.html")):
        rel = index.parent.relative_to(site_dir).as_posix()
        pages.append("" if rel == "." else rel + "/")
    return pages


def test_every_built_page_loads_from_127_0_0_1_alone_with_no_failed_request(new_context, site_dir):
    context, log = new_context()
    page = context.new_page()
    pages = built_pages(site_dir)
    assert len(pages) >= 15, f"only {len(pages)} pages built: {pages}"
    problems: dict[str, list[str]] = {}
    for path in pages:
        response = page.goto(path, wait_until="networkidle", timeout=30_000)
        found = log.problems()
        if response is None or response.status != 200:
            found.insert(0, f"status {response.status if response else 'none'}")
        if found:
            problems[path or "(start page)"] = found
        # Reported here, per page; cleared so that teardown does not report them twice.
        log.outside.clear(), log.failed.clear(), log.console_errors.clear(), log.page_errors.clear()
    assert not problems, "pages that reached outside 127.0.0.1 or had a failed request:\n" + "\n".join(
        f"  {path}:\n    " + "\n    ".join(found) for path, found in problems.items()
    )


KEY_PAGES = {"start page": "", "content page": "behaviour/", "comparison page": "compare/"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(KEY_PAGES))
def test_key_pages_have_no_wcag_22_aa_violation_in_either_palette(new_context, name, scheme):
    context, _log = new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(KEY_PAGES[name], wait_until="networkidle")
    assert_palette(page, scheme)
    assert_accessible(page, f"the {name} ({KEY_PAGES[name] or '/'}) in the {scheme} palette")
