"""Search finds staff words (issue 12): everyday queries, typed as staff type them, must find the
right page (or section) first. The staff words are data (build_scripts/search_terms.toml),
built into the search index; this runs the site's own search in the browser and prints the score."""

from __future__ import annotations

import math
from urllib.parse import urlsplit

# (what staff type, the page or "page/#section" that must come first)
QUERIES = [
    ('email', 'channels/#letters-and-email'),
    ('e-mail', 'channels/#letters-and-email'),
    ('hang up', 'channels/#telephone'),
    ('end the call', 'channels/#telephone'),
    ('abusive phone call', 'channels/#telephone'),
    ('autism', 'adjustments/'),
    ('reasonable adjustment', 'adjustments/'),
    ('appeal restriction', 'disputes/'),
    ('dispute', 'disputes/'),
    ('FOI', 'information-rights/#foi'),
    ('freedom of information', 'information-rights/#foi'),
    ('SAR', 'information-rights/#subject-access'),
    ('subject access request', 'information-rights/#subject-access'),
    ('block email', 'contact-strategy/#the-measures'),
    ('ban from office', 'channels/#visits'),
    ('barred', 'channels/#visits'),
    ('threat to kill', 'police/'),
    ('violence', 'police/'),
    ('suicide', 'person-at-risk/'),
    ('self harm', 'person-at-risk/'),
    ('MP letter', 'representatives/'),
    ('solicitor', 'representatives/#a-solicitor-or-other-legal-adviser'),
    ('warning letter', 'warnings/#written-warning'),
    ('overdue review', 'review/#overdue'),
    ('breach', 'breach/'),
    ('new evidence', 'new-information/'),
    ('swearing', 'behaviour/#aggressive-or-abusive'),
    ('racist', 'behaviour/#aggressive-or-abusive'),
    ('keeps calling', 'behaviour/#unreasonably-persistent'),
    ('single point of contact', 'contact-strategy/#the-measures'),
    ('record note', 'record-review/'),
    ('who decides', 'contact-strategy/#who-authorises-it'),
    ('stalking', 'police/'),
    ('social media abuse', 'channels/#social-media'),
    ('facebook', 'channels/#social-media'),
    ('read and file', 'glossary/#read-and-file'),
]
REQUIRED = math.ceil(len(QUERIES) * 28 / 30)  # the bar: 28 of 30 right first


def first_result(page, query: str) -> list[str]:
    """The top result group: its page, then its best section, as site-relative locations."""
    meta = "document.querySelector('.md-search-result__meta').textContent"
    page.fill("input.md-search__input", "")
    page.press("input.md-search__input", "End")
    page.wait_for_function(f"() => /type to start/i.test({meta})")
    # The whole query at once, then a key for the search to hear: no result for a part of the
    # query ever shows, so the first results shown are the query's own (a state, not a clock).
    page.fill("input.md-search__input", query)
    page.press("input.md-search__input", "End")
    page.wait_for_function(
        f"(q) => document.querySelector('.md-search__input').value === q && !/type to start/i.test({meta})",
        arg=query,
    )
    links = page.eval_on_selector_all(
        ".md-search-result__item:first-child a.md-search-result__link", "els => els.map(a => a.getAttribute('href'))"
    )
    return [urlsplit(h).path.lstrip("/") + (f"#{urlsplit(h).fragment}" if urlsplit(h).fragment else "") for h in links]


def test_everyday_queries_find_the_right_page_first(page, capsys):
    page.goto("./")
    page.keyboard.press("/")
    misses = []
    for query, want in QUERIES:
        top = first_result(page, query)
        found = (len(top) > 1 and top[1] == want) if "#" in want else (bool(top) and top[0] == want)
        if not found:
            misses.append(f"{query!r}: first {top[:2]}, wanted {want}")
    score = len(QUERIES) - len(misses)
    with capsys.disabled():
        print(f"\n[search] {score} of {len(QUERIES)} everyday queries find the right page first")
    assert score >= REQUIRED, "\n".join(misses)
