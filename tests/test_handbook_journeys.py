"""The handbook's journey pages as built: one page per journey of the decision aid (a breach, a
review, a dispute, an information request, someone acting for the person, something new, a
person at risk), each built for every office and stating that office's own rule in its profile's
words, with every statement cited or marked as our practice.

The site is built once per office for this module (in parallel), into temporary directories,
never into site/; the default (generic) build is the session's `built_site`.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from html_support import parse_html

from decision_aid.clauses import clause_anchor
from decision_aid.content import load_all

pytestmark = pytest.mark.build

ROOT = Path(__file__).resolve().parent.parent
_FLOW, PROFILES = load_all()
OFFICES = [o for o in PROFILES if o != "generic"]

# The address other code links to (e.g. "review/") -> the Markdown file it is built from.
JOURNEY_PAGES = {
    "breach/": "breach.md",
    "review/": "review.md",
    "disputes/": "disputes.md",
    "information-rights/": "information-rights.md",
    "representatives/": "representatives.md",
    "new-information/": "new-information.md",
    "person-at-risk/": "person-at-risk.md",
}
NO_DISPUTE_ROUTE = ["office_000", "west_midlands", "humberside"]


@pytest.fixture(scope="module")
def sites(tmp_path_factory, built_site) -> dict[str, Path]:
    """office id -> its built site; "generic" is the default build."""
    base = tmp_path_factory.mktemp("journeys")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    jobs = {}
    for office in OFFICES:
        out = base / office
        jobs[office] = (out, subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
            cwd=ROOT, env={**env, "OFFICE": office}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        ))
    built = {"generic": built_site}
    for office, (out, proc) in jobs.items():
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0 and "WARNING" not in err, f"the handbook for {office} did not build cleanly:\n{err[-4000:]}"
        built[office] = out
    return built


def main(site: Path, page: str) -> str:
    """The article of a built page: its own content, without navigation or footer."""
    text = (site / page / "index.html").read_text(encoding="utf-8")
    return text.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0]


def plain(fragment: str) -> str:
    return re.sub(r"\s+", " ", "".join(parse_html(fragment).text)).strip()


def office_line(article: str, label: str) -> str:
    """The paragraph that opens with a bold "<label>:" (the office's own rule on the page)."""
    found = re.search(rf"<p>\s*<strong>{re.escape(label)}:?</strong>:?(.*?)</p>", article, re.S)
    assert found, f"no paragraph opening with {label!r}"
    return found.group(1)


def cites(fragment: str) -> set[str]:
    """The clause anchors a fragment's citations link to."""
    return set(re.findall(r'href="[^"]*sources/#([^"]+)"', fragment))


def list_items(article: str) -> list[str]:
    """Each innermost list item of an article, as HTML."""
    items = re.findall(r"<li>(.*?)</li>", article, re.S)
    return [i for i in items if "<li>" not in i and "<ul>" not in i and "<ol>" not in i]


def blocks(article: str) -> list[str]:
    """Each paragraph and each innermost list item of an article, as HTML."""
    paragraphs = re.findall(r"<p>(.*?)</p>", re.sub(r"<li>.*?</li>", "", article, flags=re.S), re.S)
    return list_items(article) + paragraphs


# --- every journey has its page, for every office ----------------------------------------------


@pytest.mark.parametrize("office", ["generic", *OFFICES])
@pytest.mark.parametrize("page", list(JOURNEY_PAGES))
def test_each_journey_page_is_built_for_each_office(sites, office, page):
    article = main(sites[office], page)
    assert re.search(r"<h1[^>]*>", article), f"{office}: {page} has no heading"


@pytest.mark.parametrize("page", list(JOURNEY_PAGES.values()))
def test_each_journey_page_is_in_the_navigation(page):
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:", 1)[1]
    assert re.search(rf":\s*{re.escape(page)}\s*$", nav, re.M), f"{page} is not in the nav of mkdocs.yml"


@pytest.mark.parametrize("page", list(JOURNEY_PAGES))
def test_each_journey_page_is_linked_from_the_start_pages_navigation(sites, page):
    start = (sites["generic"] / "index.html").read_text(encoding="utf-8")
    assert f'href="{page}"' in start, f"the start page's navigation does not link to {page}"


# --- disputes: each office's own route -------------------------------------------------------


@pytest.mark.parametrize("office", ["generic", *OFFICES])
def test_disputes_page_states_the_offices_route_in_its_profiles_words(sites, office):
    line = office_line(main(sites[office], "disputes/"), "How the person can dispute a restriction in this office")
    assert html.escape(PROFILES[office].dispute.text, quote=False) in line
    for ref in PROFILES[office].dispute.cite:
        assert clause_anchor(ref) in cites(line), f"{office}: the route does not cite {ref}"


def test_warwickshires_dispute_route_names_the_chief_executive_and_cites_001_7_3(sites):
    line = office_line(main(sites["warwickshire"], "disputes/"), "How the person can dispute a restriction in this office")
    assert "Chief Executive" in plain(line)
    assert clause_anchor("001 §7.3") in cites(line)


def test_cumbrias_dispute_route_is_its_internal_complaints_procedure_citing_002_6_1(sites):
    line = office_line(main(sites["cumbria"], "disputes/"), "How the person can dispute a restriction in this office")
    assert "internal complaints procedure" in plain(line)
    assert clause_anchor("002 §6.1") in cites(line)


@pytest.mark.parametrize("office", NO_DISPUTE_ROUTE)
def test_disputes_page_says_the_offices_policy_states_no_route_and_marks_the_advice_as_practice(sites, office):
    line = office_line(main(sites[office], "disputes/"), "How the person can dispute a restriction in this office")
    assert f"not set out in policy {PROFILES[office].source}" in plain(line)
    assert 'class="practice"' in line, f"{office}: the advice where the policy is silent is not marked as our practice"


@pytest.mark.parametrize("office", NO_DISPUTE_ROUTE)
def test_an_office_without_a_route_is_not_given_another_offices_route(sites, office):
    line = plain(office_line(main(sites[office], "disputes/"), "How the person can dispute a restriction in this office"))
    assert "internal complaints procedure" not in line
    assert "write to the Chief Executive" not in line and "writing to the Chief Executive" not in line


def test_disputes_page_says_a_dispute_is_not_further_unreasonable_contact(sites):
    article = main(sites["generic"], "disputes/")
    section = article.split('id="not-unreasonable"', 1)[1]
    assert "not as a breach or as further unreasonable contact" in plain(section)


# --- reviews: the office's interval and who decides ------------------------------------------


@pytest.mark.parametrize("office", ["generic", *OFFICES])
def test_review_page_states_the_offices_review_interval_in_its_profiles_words(sites, office):
    line = office_line(main(sites[office], "review/"), "Review in this office")
    assert html.escape(PROFILES[office].review.text, quote=False) in line
    assert cites(line) >= {clause_anchor(ref) for ref in PROFILES[office].review.cite}


@pytest.mark.parametrize("office, wanted, ref", [
    ("cumbria", "at least once a year", "002 §7.1"),
    ("west_midlands", "three months", "003 ¶4.4"),
])
def test_review_page_gives_the_interval_each_policy_fixes(sites, office, wanted, ref):
    line = office_line(main(sites[office], "review/"), "Review in this office")
    assert wanted in plain(line) and clause_anchor(ref) in cites(line)


@pytest.mark.parametrize("office", ["generic", *OFFICES])
def test_review_page_names_the_offices_authoriser_as_who_decides(sites, office):
    line = office_line(main(sites[office], "review/"), "Who decides on restrictions in this office")
    assert html.escape(PROFILES[office].authorisers["restriction"].text, quote=False) in line


def test_review_page_marks_the_proposed_three_month_interval_as_practice(sites):
    article = main(sites["generic"], "review/")
    proposal = next(b for b in blocks(article) if "proposes three months" in b)
    assert 'class="practice"' in proposal


def test_review_page_covers_overdue_and_early_reviews(sites):
    article = main(sites["generic"], "review/")
    for anchor in ("when-due", "overdue", "early", "weighs", "outcomes", "who-decides", "telling", "recording"):
        assert f'id="{anchor}"' in article, f"the review page has no #{anchor} section"


# --- a person at risk ---------------------------------------------------------------------------

ENDING = re.compile(r"\bend(?:ing)? (?:the|a|their) (?:contact|call)\b", re.I)


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s]


@pytest.mark.parametrize("office", ["generic", *OFFICES])
def test_person_at_risk_page_never_tells_staff_to_end_the_contact(sites, office):
    text = plain(main(sites[office], "person-at-risk/"))
    for sentence in sentences(text):
        if ENDING.search(sentence):
            assert re.search(r"\b(never|not)\b", sentence), f"{office}: {sentence!r} reads as ending the contact"
    assert html.escape(PROFILES[office].end_contact.text, quote=False) not in main(sites[office], "person-at-risk/"), (
        f"{office}: the page shows the office's rule for ending a contact"
    )


@pytest.mark.parametrize("office", ["generic", *OFFICES])
def test_person_at_risk_page_offers_no_crime_report_or_restriction_as_the_answer(sites, office):
    article = main(sites[office], "person-at-risk/")
    for kind, rule in PROFILES[office].police.items():
        assert html.escape(rule.said.text, quote=False) not in article, f"{office}: the police rule for {kind} is on the page"
    text = plain(article)
    for sentence in sentences(text):
        if re.search(r"\breport", sentence, re.I) and "police" in sentence.lower():
            assert re.search(r"\b(never|not)\b", sentence), f"{office}: {sentence!r} reads as reporting the person to the police"
    assert "Who decides on restrictions" not in text and "Who decides:" not in text, f"{office}: the page offers restrictions"


def test_person_at_risk_page_puts_999_first_and_says_the_risk_is_never_a_reason_for_a_sanction(sites):
    article = main(sites["generic"], "person-at-risk/")
    first = article.split("<h2", 1)[0]
    assert 'class="admonition danger"' in first and "call 999" in plain(first)
    assert "never a reason to end the contact" in plain(first)


def test_person_at_risk_page_cites_what_the_policies_say_about_safeguarding(sites):
    article = main(sites["generic"], "person-at-risk/")
    assert {clause_anchor("001 §7.1"), clause_anchor("001 §7.2"), clause_anchor("003 ¶7")} <= cites(article)


def test_person_at_risk_page_says_which_policies_are_silent(sites):
    text = plain(main(sites["generic"], "person-at-risk/"))
    assert "The unnamed office's, Cumbria's and Humberside's say nothing about safeguarding" in text


# --- information requests --------------------------------------------------------------------


def test_information_requests_page_says_a_request_is_not_a_breach_citing_001_9(sites):
    article = main(sites["generic"], "information-rights/")
    step = next(b for b in blocks(article) if "It is not a breach" in b)
    assert clause_anchor("001 §9") in cites(step)


@pytest.mark.parametrize("words", ["manifestly unfounded or excessive", "20 working days"])
def test_information_requests_page_marks_law_the_policies_do_not_state_as_practice(sites, words):
    article = main(sites["generic"], "information-rights/")
    block = next(b for b in blocks(article) if words in plain(b))
    assert 'class="practice"' in block, f"{words!r} is stated without the practice mark"


def test_information_requests_page_cites_section_14_to_the_policies_that_name_it(sites):
    article = main(sites["generic"], "information-rights/")
    block = next(b for b in blocks(article) if "Section 14 lets" in b)
    assert {clause_anchor("001 §9"), clause_anchor("002 §8.2")} <= cites(block)


# --- someone acting for the person -----------------------------------------------------------


def test_representatives_page_says_the_policies_are_silent_but_for_warwickshires_advocate(sites):
    article = main(sites["generic"], "representatives/")
    note = re.search(r'<div class="admonition note">(.*?)</div>', article, re.S).group(1)
    assert "None of the five policies deals with people acting for the person" in plain(note)
    assert cites(note) == {clause_anchor("001 §7")}


def test_representatives_page_marks_a_representative_not_being_restricted_as_practice(sites):
    article = main(sites["generic"], "representatives/")
    block = next(b for b in blocks(article) if "answer a representative on the merits" in b)
    assert 'class="practice"' in block and not cites(block)


# --- new information, matters and complaints -------------------------------------------------


@pytest.mark.parametrize("office", ["generic", *OFFICES])
def test_new_information_page_states_the_offices_read_and_file_rule(sites, office):
    line = office_line(main(sites[office], "new-information/"), "Read and file in this office")
    assert html.escape(PROFILES[office].read_and_file.text, quote=False) in line


def test_new_information_page_says_west_midlands_policy_is_silent(sites):
    text = plain(main(sites["west_midlands"], "new-information/"))
    assert "West Midlands': says nothing about new information or new matters" in text


def test_new_information_page_says_something_new_is_not_a_breach(sites):
    article = main(sites["generic"], "new-information/")
    assert 'id="not-a-breach"' in article
    assert "is not a breach of a warning or strategy" in plain(article.split('id="not-a-breach"', 1)[1])


# --- breaches ------------------------------------------------------------------------------------


@pytest.mark.parametrize("office", ["generic", *OFFICES])
def test_breach_page_names_the_offices_own_escalation(sites, office):
    line = office_line(main(sites[office], "breach/"), "Who deals with a breach of a strategy in this office")
    assert html.escape(PROFILES[office].authorisers["escalation"].text, quote=False) in line


def test_breach_page_treats_a_warning_and_a_strategy_separately(sites):
    article = main(sites["generic"], "breach/")
    assert 'id="warning"' in article and 'id="strategy"' in article
    assert article.index('id="warning"') < article.index('id="strategy"')


def test_breach_page_sends_what_is_not_a_breach_to_its_own_journey(sites):
    section = main(sites["generic"], "breach/").split('id="is-it-a-breach"', 1)[1].split("<h2", 1)[0]
    for page in ("disputes/", "information-rights/", "new-information/", "representatives/", "person-at-risk/"):
        assert f'href="../{page}"' in section, f"the breach page does not send {page} elsewhere"


# --- recording: points to reviews and disputes, without repeating them ----------------------------


def test_recording_page_points_to_reviews_and_disputes_without_repeating_the_dispute_route(sites):
    for office in ("warwickshire", "cumbria"):
        article = main(sites[office], "record-review/")
        assert 'href="../review/"' in article and 'href="../disputes/"' in article
        assert html.escape(PROFILES[office].dispute.text, quote=False) not in article


# --- policy or practice, and accessible structure ----------------------------------------------

SILENCE = re.compile(r"\b(states? no|says? nothing|sets? none|no policy|none of the five|not set out)\b", re.I)


def based(fragment: str) -> bool:
    return bool(cites(fragment)) or 'class="practice"' in fragment


def introduced(article: str) -> set[str]:
    """List items whose list is introduced by a paragraph that gives their basis (e.g. "In any
    office (Our practice: ...):" followed by the steps)."""
    covered = set()
    for match in re.finditer(r"<p>((?:(?!</p>).)*)</p>\s*<(ol|ul)>(.*?)</\2>", article, re.S):
        if based(match.group(1)):
            covered.update(list_items(match.group(3)))
    return covered


@pytest.mark.parametrize("page", list(JOURNEY_PAGES))
def test_every_list_item_on_a_journey_page_is_cited_marked_practice_or_points_elsewhere(sites, page):
    """A rule without its basis is a defect: each item cites, is our practice, says a policy is
    silent, or only points to the handbook page that holds the rule."""
    article = main(sites["warwickshire"], page)
    lead = introduced(article)
    for item in list_items(article):
        ok = based(item) or item in lead or SILENCE.search(plain(item)) or re.search(r'href="\.\./[^"]+/', item)
        assert ok, f"{page}: {plain(item)!r} has no basis"


@pytest.mark.parametrize("page", list(JOURNEY_PAGES))
def test_journey_page_headings_do_not_skip_a_level(sites, page):
    levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", main(sites["generic"], page))]
    assert levels and levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, f"{page}: heading h{before} is followed by h{after}"


@pytest.mark.parametrize("page", list(JOURNEY_PAGES))
def test_journey_page_links_say_where_they_lead(sites, page):
    article = main(sites["generic"], page)
    for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', article, re.S):
        words = plain(text).lower()
        assert words not in {"here", "click here", "this page", "more", "read more", "link", "see"}, f"{page}: link {href} says {words!r}"
