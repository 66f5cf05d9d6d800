"""The induction pages as built: the flow map and the All questions reference list every node of
`python -m decision_aid flow --json`; the reference shows the flow version and content hash; the
map's SVG has a title, a description, a link per question and a text alternative; the induction
path links to every practice scenario. The site is built once, into a temporary directory.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from html_support import Tags, parse_html

from decision_aid.content import load_all
from decision_aid.practice import load_practice

ROOT = Path(__file__).resolve().parent.parent
FLOW, PROFILES = load_all()
SCENARIOS = load_practice(FLOW, PROFILES)


@pytest.fixture(scope="session")
def flow_json() -> dict:
    out = subprocess.run([sys.executable, "-m", "decision_aid", "flow", "--json"], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.fixture(scope="session")
def site(built_site) -> Path:
    return built_site


def read(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def main_content(text: str) -> str:
    return text.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0]


def parse(text: str) -> Tags:
    return parse_html(text)


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", "".join(parse(text).text))


# --- the All questions reference -----------------------------------------------------------------------


def test_the_reference_lists_every_node_in_flow_order_with_an_anchor(site, flow_json):
    page = main_content(read(site, "reference"))
    positions = []
    for nid, node in flow_json["nodes"].items():
        anchor = f'id="node-{nid}"'
        assert anchor in page, f"no element with {anchor}"
        assert html.escape(node["question"], quote=False) in page, f"{nid}: question text missing"
        positions.append(page.index(anchor))
    assert positions == sorted(positions), "the questions are not in flow order"


def test_the_reference_shows_every_option_field_and_measure(site, flow_json):
    text = plain(main_content(read(site, "reference")))
    for nid, node in flow_json["nodes"].items():
        for option in node["options"]:
            assert option["label"] in text, f"{nid}.{option['id']}: label missing"
            if option.get("hint"):
                assert option["hint"] in text, f"{nid}.{option['id']}: hint missing"
        for field in node.get("fields", []):
            assert field["label"] in text
        if node.get("hint"):
            assert node["hint"] in text
    measures = flow_json["measures"]
    for measure in (measures.values() if isinstance(measures, dict) else measures):
        assert measure["id"] in text and measure["reason"] in text
    for name in ("checklist", "notice", "safeguards", "actions"):
        items = flow_json[name]
        for item in (items.values() if isinstance(items, dict) else items):
            assert item["text"] in text, f"{name}: {item['id']} missing"


def test_the_reference_shows_the_flow_version_and_content_hash(site, flow_json):
    text = plain(main_content(read(site, "reference")))
    assert flow_json["version"] in text
    assert flow_json["content_hash"] in text
    assert f"Flow version {flow_json['version']}, content hash {flow_json['content_hash']}" in text


def test_the_reference_states_routes_conditions_and_the_offices_authorisers(site):
    text = plain(main_content(read(site, "reference")))
    assert "If nothing the person did is unacceptable" in text  # behaviour -> details
    assert "If a proposed measure restricts contact" in text  # measures -> checklist
    assert "If “None that we know of” is chosen on its own" in text  # needs -> measures
    generic = PROFILES["generic"]
    for role in ("staff", "warning", "restriction", "escalation", "police"):
        assert generic.authorisers[role].text in text


def test_the_reference_states_every_proportionality_rule_in_the_notes_words(site):
    text = plain(main_content(read(site, "reference")))
    for rule in FLOW.ceiling.values():
        assert rule.text in text, f"ceiling rule {rule.id!r} missing from the reference"


def test_the_reference_cites_through_the_sources_page(site):
    page = main_content(read(site, "reference"))
    cites = re.findall(r'<span class="cite">(.*?)</span>', page, re.S)
    assert len(cites) > 150
    assert all('href="../sources/#c-' in c for c in cites)


# --- the flow map ----------------------------------------------------------------------------------------


def svg_of(site: Path) -> str:
    page = read(site, "map")
    found = re.search(r'<svg class="flow-map__svg".*?</svg>', page, re.S)
    assert found, "no SVG on the map page"
    return found.group(0)


def test_the_map_svg_has_a_title_and_description_that_label_it(site):
    svg = svg_of(site)
    assert re.search(r'<title id="flow-map-title">[^<]+</title>', svg)
    assert re.search(r'<desc id="flow-map-desc">[^<]{40,}</desc>', svg)
    assert 'aria-labelledby="flow-map-title flow-map-desc"' in svg


def test_the_map_draws_every_node_as_a_link_to_its_handbook_page(site, flow_json):
    svg = svg_of(site)
    links = {attrs["id"]: attrs["href"] for tag, attrs in parse(svg).tags if tag == "a" and attrs.get("id", "").startswith("map-svg-")}
    for nid, node in flow_json["nodes"].items():
        assert f"map-svg-{nid}" in links, f"{nid} is not drawn"
        target = urlsplit(urljoin("/map/", links[f"map-svg-{nid}"])).path
        assert target == "/" + FLOW.page_of(nid), f"{nid} links to {target}"  # its own page, or its stage's
        assert (site / target.strip("/") / "index.html").is_file()
    assert "map-svg-result" in links


def test_the_map_text_alternative_lists_every_node_and_route(site, flow_json):
    page = main_content(read(site, "map"))
    alternative = page.split('id="in-words"', 1)[1]
    for nid, node in flow_json["nodes"].items():
        assert f'id="map-node-{nid}"' in alternative
        assert html.escape(node["question"], quote=False) in alternative
    text = plain(alternative)
    numbers = {nid: n for n, nid in enumerate(flow_json["nodes"], 1)}
    branching = [(nid, node) for nid, node in flow_json["nodes"].items() if len(node["next"]) > 1]
    assert branching
    for nid, node in branching:  # a question with a condition: both ways are said in words
        default = node["next"][-1]["to"]
        assert f"otherwise, go to {numbers[default]}" in text, nid
        for route in node["next"][:-1]:
            target = route["to"]
            assert (f"go to {numbers[target]}" if target != "result" else "go to the recommendation") in text, (nid, target)


def test_the_map_question_text_in_the_svg_matches_the_flow(site, flow_json):
    # Wrapped lines are separate <tspan>s, so compare without whitespace.
    words = lambda s: re.sub(r"\s+", "", s)
    text = words(plain(svg_of(site)))
    for n, (nid, node) in enumerate(flow_json["nodes"].items(), 1):
        assert words(f"{n}. {node['question']}") in text, f"{nid}: the SVG does not show its question"


def test_the_map_scrolls_on_a_narrow_screen_and_is_focusable(site):
    page = read(site, "map")
    assert re.search(r'<div class="flow-map__scroll" role="region" aria-label="[^"]+" tabindex="0">', page)
    css = (site / "assets" / "induction.css").read_text(encoding="utf-8")
    assert "overflow-x: auto" in css


# --- the induction path ------------------------------------------------------------------------------------


def test_the_induction_page_links_to_every_scenario_in_practice_mode(site):
    page = main_content(read(site, "induction"))
    hrefs = [attrs.get("href", "") for tag, attrs in parse(page).tags if tag == "a"]
    for sid, scenario in SCENARIOS.items():
        assert f"../aid/?practice={sid}" in hrefs, f"no practice link for {sid}"
        assert scenario.title in plain(page)


def test_each_scenario_follows_the_page_it_needs(site):
    page = main_content(read(site, "induction"))
    for scenario in SCENARIOS.values():
        read_link = page.index(f'href="../{scenario.read_after}"')
        practice_link = page.index(f"?practice={scenario.id}")
        assert read_link < practice_link, f"{scenario.id} comes before its reading ({scenario.read_after})"


def test_the_induction_page_has_a_printable_sign_off_checklist(site):
    page = read(site, "induction")
    assert 'id="checklist"' in page and 'class="induction-checklist"' in page and 'class="induction-signoff"' in page
    assert page.count("☐") >= 10
    css = (site / "assets" / "induction.css").read_text(encoding="utf-8")
    assert "@media print" in css and ".induction-checklist" in css.split("@media print", 1)[1]


def test_the_new_pages_are_in_the_navigation(site):
    start = parse(read(site, ".")).tags
    nav = {attrs.get("href") for tag, attrs in start if tag == "a" and "md-nav__link" in attrs.get("class", "")}
    for url in ("induction/", "reference/", "map/"):
        assert url in nav, f"{url} is not in the navigation"


def test_a_scenario_missing_from_the_induction_path_fails_the_build(tmp_path):
    import shutil

    for name in ("docs", "overrides", "build_scripts"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    induction = tmp_path / "docs" / "induction.md"
    induction.write_text(induction.read_text(encoding="utf-8").replace("<!-- practice: breach/ -->", ""), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("OFFICE", None)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "out")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode != 0
    assert "induction.md" in result.stderr and "strategy_breach" in result.stderr
