"""The staff handbook as built: strict build per office, navigation, citations, no outside
fetches, search terms, office values, print pack, colour contrast.

The site is built once per office profile for the whole session (in parallel), into temporary
directories, never into site/.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from html_support import Tags, parse_html

from decision_aid.content import clause_anchor, load_all, load_register
from decision_aid.rules import capitalise

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
_FLOW, PROFILES = load_all()
REGISTER = load_register()


def build(site_dir: Path, office: str | None, config: Path = ROOT / "mkdocs.yml") -> subprocess.Popen:
    env = dict(ENV)
    env.pop("OFFICE", None)
    if office is not None:
        env["OFFICE"] = office
    return subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config), "--site-dir", str(site_dir)],
        cwd=config.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    """office id -> (built site, finished build). The default build (no OFFICE) is "default"."""
    base = tmp_path_factory.mktemp("handbook")
    jobs = {name: (base / name, build(base / name, None if name == "default" else name)) for name in ["default", *PROFILES]}
    done = {}
    for name, (site, proc) in jobs.items():
        out, err = proc.communicate(timeout=300)
        done[name] = (site, subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return done


@pytest.fixture(scope="session")
def site(sites) -> Path:
    path, result = sites["default"]
    assert result.returncode == 0, result.stderr
    return path


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def parse(path: Path) -> Tags:
    return parse_html(read(path))


def page_url(site: Path, path: Path) -> str:
    """The URL path of a built page, as a server at the site root would serve it."""
    rel = path.relative_to(site).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


# --- the build ------------------------------------------------------------------------------


@pytest.mark.parametrize("office", ["default", *PROFILES])
def test_strict_build_succeeds_for_each_office_without_warnings(sites, office):
    site, result = sites[office]
    assert result.returncode == 0, f"build for {office} failed:\n{result.stderr}"
    assert "WARNING" not in result.stderr, result.stderr
    assert (site / "index.html").is_file()


def test_default_build_is_the_generic_office(sites, site):
    assert PROFILES["generic"].name in read(site / "index.html")


@pytest.mark.parametrize("office", list(PROFILES))
def test_contact_strategy_page_shows_the_offices_restriction_authoriser(sites, office):
    site, result = sites[office]
    assert result.returncode == 0, result.stderr
    page = read(site / "contact-strategy" / "index.html")
    authoriser = PROFILES[office].authorisers["restriction"].text
    assert html.escape(authoriser, quote=False) in page, f"{office}: {authoriser!r} not on the contact-strategy page"
    for other in PROFILES.values():
        text = other.authorisers["restriction"].text
        if text != authoriser and text not in authoriser:
            assert html.escape(text, quote=False) not in page.split('class="md-content"', 1)[-1].split("The measures in this office", 1)[0], (
                f"{office}'s page shows {other.id}'s authoriser where its own belongs"
            )


@pytest.mark.parametrize("office", list(PROFILES))
def test_every_page_says_which_office_it_was_built_for(sites, office):
    site, result = sites[office]
    assert result.returncode == 0, result.stderr
    name = html.escape(PROFILES[office].short, quote=False)
    for path in pages(site):
        banner = re.search(r'<p class="office-banner"[^>]*>(.*?)</p>', read(path), re.S)
        assert banner and name in banner.group(1), f"{path.relative_to(site)} does not name {office}"


def test_no_page_keeps_raw_placeholders_or_citation_markup(site):
    for path in pages(site):
        text = read(path)
        for raw in ("{{", "[[", "]]"):
            assert raw not in text, f"{path.relative_to(site)} still contains {raw!r}"


# --- navigation -----------------------------------------------------------------------------


def nav_targets(site: Path) -> set[str]:
    """URL paths the primary navigation of the start page links to."""
    start = site / "index.html"
    tags = parse(start).tags
    found = set()
    for tag, attrs in tags:
        if tag == "a" and "md-nav__link" in attrs.get("class", "") and attrs.get("href"):
            url = urljoin(page_url(site, start), attrs["href"])
            found.add(urlsplit(url).path)
    return found


def test_every_page_is_reachable_from_the_navigation(site):
    reachable = nav_targets(site)
    missing = [page_url(site, p) for p in pages(site) if page_url(site, p) not in reachable]
    assert not missing, f"pages not in the navigation: {missing}"


def test_navigation_links_all_lead_to_built_pages(site):
    for url in nav_targets(site):
        target = site / url.lstrip("/") / "index.html" if url.endswith("/") else site / url.lstrip("/")
        assert target.is_file(), f"the navigation links to {url}, which was not built"


def test_links_are_relative_so_the_site_works_under_any_path(site):
    # 404.html is left out: a server shows it at whatever URL was missing, so no relative link
    # could work there, and MkDocs writes it with root-absolute links when site_url is unset.
    for path in pages(site):
        for tag, attrs in parse(path).tags:
            for name in ("href", "src", "action"):
                value = attrs.get(name, "")
                assert not (value.startswith("/") and not value.startswith("//")), (
                    f"{path.relative_to(site)}: <{tag} {name}={value!r}> is root-absolute; it breaks under a sub-path"
                )


def test_every_markdown_page_in_docs_is_in_the_nav():
    nav = read(ROOT / "mkdocs.yml")
    for md in (ROOT / "docs").rglob("*.md"):
        rel = md.relative_to(ROOT / "docs").as_posix()
        if rel.startswith("aid/"):
            continue  # the decision aid's pages are added to the nav by their own work
        assert re.search(rf":\s*{re.escape(rel)}\s*$", nav, re.M), f"docs/{rel} is not in the nav of mkdocs.yml"


# --- citations ------------------------------------------------------------------------------


def citation_links(path: Path) -> list[tuple[str, str]]:
    """(visible reference, href) for every link inside a citation span."""
    text = read(path)
    links = []
    for span in re.findall(r'<span class="cite">(.*?)</span>', text, re.S):
        links += [(html.unescape(label), href) for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', span)]
    return links


def test_every_citation_in_the_pages_resolves_to_the_register(site):
    sources = read(site / "sources" / "index.html")
    anchors = set(re.findall(r'id="([^"]+)"', sources))
    total = 0
    for path in pages(site):
        for label, href in citation_links(path):
            total += 1
            where = path.relative_to(site)
            assert label in REGISTER.clauses, f"{where}: citation {label!r} is not in clauses.toml"
            url = urlsplit(urljoin(page_url(site, path), href))
            assert url.path == "/sources/" or path.parent.name == "print_page", f"{where}: {label} links to {href}"
            if url.path == "/sources/":
                assert url.fragment in anchors, f"{where}: {label} links to #{url.fragment}, which the Sources page lacks"
    assert total > 300, f"only {total} citations found: the handbook should cite its sources throughout"


def test_content_pages_cite_sources_throughout(site):
    exempt = {"/sources/", "/print_page/", "/accessibility/"}
    for path in pages(site):
        if page_url(site, path) in exempt or page_url(site, path).startswith("/aid/"):
            continue
        assert citation_links(path), f"{path.relative_to(site)} cites no clause"


def test_sources_page_lists_every_clause_with_an_anchor(site):
    sources = read(site / "sources" / "index.html")
    for ref in REGISTER.clauses:
        assert f'id="{clause_anchor(ref)}"' in sources, f"{ref} has no anchor on the Sources page"


def test_clause_anchors_are_distinct():
    anchors = [clause_anchor(ref) for ref in REGISTER.clauses]
    assert len(set(anchors)) == len(anchors)


# --- nothing from outside the site ----------------------------------------------------------

# Attributes through which HTML loads (or, for <a>, leads to) another address.
URL_ATTRS = {"src", "href", "srcset", "poster", "data", "action", "formaction", "background", "manifest", "content"}
EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)""")
JS_LITERAL_URL = re.compile(r"""(?<=["'`])(?:https?:)?//(?:(?:[\w-]+\.)+[A-Za-z]{2,}|\$\{[^}]*\})[^"'`\s]*""")


def outside_references(site: Path):
    """Yields (file, url) for each reference to an address outside the site."""
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            text = read(path)
            for tag, attrs in parse(path).tags:
                for name, value in attrs.items():
                    if name == "content" and tag != "meta":
                        continue
                    if name in URL_ATTRS or name.startswith("xlink:"):
                        if name == "content" and not EXTERNAL.match(value):
                            continue
                        for candidate in value.split(",") if name == "srcset" else [value]:
                            if EXTERNAL.match(candidate):
                                yield rel, f"<{tag} {name}={candidate.strip()!r}>"
            for style in re.findall(r"<style[^>]*>(.*?)</style>|style=\"([^\"]*)\"", text, re.S):
                for match in CSS_URL.finditer("".join(style)):
                    url = match.group(1) or match.group(2)
                    if EXTERNAL.match(url):
                        yield rel, url
        elif path.suffix == ".css":
            for match in CSS_URL.finditer(read(path)):
                url = match.group(1) or match.group(2)
                if EXTERNAL.match(url):
                    yield rel, url
        elif path.suffix in (".js", ".mjs"):
            for match in JS_LITERAL_URL.finditer(path.read_text(encoding="utf-8", errors="replace")):
                yield rel, match.group(0)


def test_no_built_file_references_a_url_outside_the_site(site):
    first = next(outside_references(site), None)
    assert first is None, f"{first[0]} references {first[1]}, which is outside the site"


def test_outside_reference_check_catches_each_kind_of_fetch(tmp_path):
    """The check above must be able to fail: plant one reference of each kind and see it found."""
    planted = {
        "a.html": '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">',
        "b.html": '<script src="//cdn.jsdelivr.net/npm/x.js"></script>',
        "c.css": "@font-face{src:url(https://fonts.gstatic.com/x.woff2)}",
        "d.js": 'import("https://unpkg.com/mermaid@11/dist/mermaid.min.js")',
        "e.html": '<svg xmlns="http://www.w3.org/2000/svg"><image xlink:href="http://example.org/x.png"/></svg>',
        "f.html": '<p style="background:url(\'https://example.org/bg.png\')">x</p>',
    }
    for name, text in planted.items():
        (tmp_path / name).write_text(text)
    found = {file for file, _ in outside_references(tmp_path)}
    assert found == set(planted)


def test_outside_reference_check_ignores_namespaces_and_plain_text(tmp_path):
    (tmp_path / "ok.html").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>'
        "<p>See https://example.org in text.</p><a href=\"../sources/#c-001-s7\">001 §7</a>"
    )
    (tmp_path / "ok.js").write_text("/*! licence: http://www.mozilla.org/MPL/ */ var a = 1; // https://example.org")
    assert list(outside_references(tmp_path)) == []


def test_material_defaults_that_fetch_from_outside_are_off():
    config = read(ROOT / "mkdocs.yml")
    assert re.search(r"^\s+font: false\s*$", config, re.M), "theme.font must be false (no Google Fonts)"
    assert "generator: false" in config
    assert not re.search(r"^\s*-\s*offline\b", config, re.M), "the offline plugin adds a CDN polyfill shim"
    assert "mermaid" not in config.lower()
    assert not re.search(r"^repo_url:", config, re.M), "repo_url makes Material call a public API"


# --- search ---------------------------------------------------------------------------------


@pytest.mark.parametrize("term", ["single point of contact", "reasonable adjustments", "contact strategy", "end the call"])
def test_search_index_contains_the_key_terms(site, term):
    index = json.loads(read(site / "search" / "search_index.json"))
    text = " ".join(f"{d.get('title', '')} {d.get('text', '')}" for d in index["docs"])
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.unescape(text))).lower()
    assert term in text


# --- generated pages ------------------------------------------------------------------------


def test_comparison_page_shows_every_office_and_cites_every_rule(site):
    page = read(site / "compare" / "index.html")
    for profile in PROFILES.values():
        assert html.escape(profile.short, quote=False) in page
        for role in ("restriction", "staff", "police"):
            assert html.escape(profile.authorisers[role].text[1:], quote=False) in page
        assert html.escape(profile.dispute.text[1:], quote=False) in page
        assert html.escape(profile.review.text[1:], quote=False) in page
    # Every row of a "Rule" table carries at least one citation.
    for table in re.findall(r'<div class="compare">(.*?)</div>', page, re.S):
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
            assert 'class="cite"' in row, f"uncited comparison cell: {re.sub('<[^>]+>', '', row)[:120]}"


def test_print_pack_holds_every_page_with_headings_and_citations(site):
    pack = read(site / "print_page" / "index.html")
    for path in pages(site):
        # The decision aid is interactive and is left out of the pack (print-site `exclude`).
        if page_url(site, path) in ("/print_page/", "/search/") or page_url(site, path).startswith("/aid/"):
            continue
        title = re.search(r"<h1[^>]*>(.*?)<", read(path), re.S)
        assert title and html.unescape(title.group(1)).strip() in html.unescape(pack), f"{path.relative_to(site)} missing from the print pack"
    assert pack.count('class="cite"') > 300
    css = read(site / "assets" / "print.css")
    assert "@media print" in css and ".cite" in css


# --- failures name the page and the fault ---------------------------------------------------


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory) -> Path:
    """A copy of the handbook sources, to break on purpose without touching the real ones."""
    base = tmp_path_factory.mktemp("project")
    for name in ("docs", "overrides", "build_scripts"):
        shutil.copytree(ROOT / name, base / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", base / "mkdocs.yml")
    return base


def broken_build(project: Path, tmp_path: Path, page: str, text: str, office: str | None = None) -> subprocess.CompletedProcess:
    target = project / "docs" / page
    original = read(target)
    try:
        target.write_text(original + "\n" + text + "\n", encoding="utf-8")
        proc = build(tmp_path / "out", office, project / "mkdocs.yml")
        out, err = proc.communicate(timeout=300)
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    finally:
        target.write_text(original, encoding="utf-8")


def test_a_citation_not_in_the_register_fails_the_build_naming_page_and_citation(project_copy, tmp_path):
    result = broken_build(project_copy, tmp_path, "behaviour.md", "A made-up rule [[001 §99]].")
    assert result.returncode != 0
    assert "behaviour.md" in result.stderr and "001 §99" in result.stderr


def test_an_unknown_placeholder_fails_the_build_naming_page_and_placeholder(project_copy, tmp_path):
    result = broken_build(project_copy, tmp_path, "warnings.md", "Ask {{ office.mayor }}.")
    assert result.returncode != 0
    assert "warnings.md" in result.stderr and "office.mayor" in result.stderr


def test_an_unknown_office_fails_the_build_listing_the_known_ones(project_copy, tmp_path):
    proc = build(tmp_path / "out", "atlantis", project_copy / "mkdocs.yml")
    _, err = proc.communicate(timeout=300)
    assert proc.returncode != 0
    assert "atlantis" in err
    for office in PROFILES:
        assert office in err


# --- colour contrast ------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def scheme_colours(scheme: str) -> dict[str, str]:
    css = read(ROOT / "docs" / "assets" / "handbook.css")
    block = re.search(rf'\[data-md-color-scheme="{scheme}"\]\s*\{{(.*?)\}}', css, re.S)
    assert block, f"no {scheme} block in handbook.css"
    return dict(re.findall(r"(--md-[\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", block.group(1)))


# (foreground, background) pairs that carry text in Material's layout.
TEXT_PAIRS = [
    ("--md-default-fg-color", "--md-default-bg-color"),
    ("--md-typeset-color", "--md-default-bg-color"),
    ("--md-default-fg-color--light", "--md-default-bg-color"),
    ("--md-typeset-a-color", "--md-default-bg-color"),
    ("--md-accent-fg-color", "--md-default-bg-color"),
    ("--md-primary-bg-color", "--md-primary-fg-color"),
    ("--md-primary-bg-color--light", "--md-primary-fg-color"),
    ("--md-footer-fg-color", "--md-footer-bg-color"),
    ("--md-footer-fg-color--light", "--md-footer-bg-color"),
    ("--md-footer-fg-color--lighter", "--md-footer-bg-color"),
    ("--md-footer-fg-color--light", "--md-footer-bg-color--dark"),
]


def test_contrast_ratio_helper_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("fg,bg", TEXT_PAIRS)
def test_theme_text_colours_meet_wcag_aa_contrast(scheme, fg, bg):
    colours = scheme_colours(scheme)
    assert fg in colours and bg in colours, f"{scheme}: {fg} or {bg} is not set as a solid colour"
    ratio = contrast(colours[fg], colours[bg])
    assert ratio >= 4.5, f"{scheme}: {fg} {colours[fg]} on {bg} {colours[bg]} is {ratio:.2f}:1, below 4.5:1"


# --- one source of truth: each office rule on the handbook page comes from the profile ------------------

OFFICE_RULES = {
    "ending a call": lambda p: p.end_contact,
    "police: violence": lambda p: p.police["violence"].said,
    "police: threats": lambda p: p.police["threats"].said,
    "police: abuse": lambda p: p.police["abuse"].said,
    "restricting before a warning": lambda p: p.without_warning.said,
    "dispute route": lambda p: p.dispute,
    "read and file": lambda p: p.read_and_file,
}


@pytest.mark.parametrize("rule", list(OFFICE_RULES))
@pytest.mark.parametrize("office", list(PROFILES))
def test_each_offices_rule_is_on_its_handbook_pages_in_the_profiles_words(sites, office, rule):
    """The aid states the same values (tests/test_audit_regressions.py); neither is typed twice."""
    site, result = sites[office]
    assert result.returncode == 0, result.stderr
    value = OFFICE_RULES[rule](PROFILES[office])
    wanted = html.escape(value.text, quote=False)
    pages_with = [p for p in pages(site) if p.parent.name not in ("reference", "compare", "print_page") and wanted in read(p)]
    assert pages_with, f"{office}: no handbook page states the {rule} rule ({value.text!r})"


@pytest.mark.parametrize("office", [o for o in PROFILES if o != "generic"])
def test_an_offices_pages_name_other_offices_clauses_as_theirs(sites, office):
    site, _ = sites[office]
    own = PROFILES[office].source
    for path in pages(site):
        for text in re.findall(r'<span class="cite">(.*?)</span>', read(path), re.S):
            for label in re.findall(r">([^<>]+)</a>", text):
                assert label.startswith(own + " ") or not re.match(r"\d{3} ", label), f"{path}: {label!r} is another office's clause, unnamed"


def test_the_home_page_opens_with_the_way_into_the_decision_aid(site):
    article = read(site / "index.html").split('class="md-content"', 1)[1]
    first_link = re.search(r'<a (?![^>]*headerlink)[^>]*href="([^"]+)"[^>]*>(.*?)</a>', article, re.S)
    assert first_link and first_link.group(1) in ("aid/", "./aid/") and "Start the decision aid" in first_link.group(2)
    assert article.index("Start the decision aid") < article.index("In a hurry?")
    assert "record note for the case file" in article


@pytest.mark.parametrize("office", list(PROFILES))
def test_the_banner_tells_staff_whose_policy_the_handbook_follows(sites, office):
    site, _ = sites[office]
    banner = re.search(r'<p class="office-banner"[^>]*>(.*?)</p>', read(site / "index.html"), re.S).group(1)
    assert banner.startswith("This handbook follows the") and "Built for" not in banner


def test_each_guidance_page_links_the_aid_questions_it_is_behind(site):
    from decision_aid.content import load_all

    sys.path.insert(0, str(ROOT / "build_scripts"))
    from sitebuild.aid_links import questions_using

    flow, _ = load_all()
    reference = (site / "reference" / "index.html").read_text(encoding="utf-8")
    for page in sorted(flow.pages):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        note = re.search(r'<h2 id="in-the-decision-aid">(.*?)(?=<h2|</article>)', html, re.S)
        assert note, f"{page} does not say where the decision aid uses it"
        assert 'href="../aid/"' in note.group(1)
        linked = re.findall(r'href="\.\./reference/#node-([a-z_]+)"', note.group(1))
        assert linked == questions_using(flow, page) and linked, page
        for nid in linked:
            assert f'id="node-{nid}"' in reference
        assert html.count("<h2") == html[: note.start()].count("<h2") + 1, f"{page}: the aid section is not last"


def test_the_accessibility_statement_leaves_the_reply_time_to_the_office(site):
    # No policy or service standard behind the handbook sets one: a promised time would be invented.
    page = html.unescape(re.sub(r"<[^>]+>", "", (site / "accessibility" / "index.html").read_text(encoding="utf-8")))
    assert "[Office to confirm: how soon that team replies.]" in page
    assert not re.search(r"\d+\s+working days", page)


@pytest.mark.parametrize("office", list(PROFILES))
def test_an_offices_pages_give_its_measures_in_its_own_words(sites, office):
    """[measure_words] in the profile: the aid uses the same words (tests/test_audit_regressions.py)."""
    site, result = sites[office]
    assert result.returncode == 0, result.stderr
    page = html.unescape(read(site / "contact-strategy" / "index.html"))
    flow = _FLOW
    for mid in PROFILES[office].measures:
        shared, own = flow.measures[mid], PROFILES[office].measure(flow.measures[mid])
        assert capitalise(own.label) in page, f"{office}: {own.label!r} not on the contact-strategy page"
        if own is not shared:
            assert capitalise(shared.label) not in page


def test_the_comparison_page_gives_each_offices_own_words_for_a_measure(site):
    page = html.unescape(read(site / "compare" / "index.html"))
    for profile in PROFILES.values():
        for own in profile.measure_words.values():
            assert f"{profile.short}: “{own.label}”" in page

