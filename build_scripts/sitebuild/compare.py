"""compare.md: the five offices side by side, generated from the office profiles.

The page is written from the same profiles the decision aid uses, so it cannot drift from them;
every cell cites its clause.
"""

from __future__ import annotations

from typing import Callable

from decision_aid.contract import POLICE_KINDS, POLICE_RULES
from decision_aid.model import Profile

from .markup import cap, cite, cited, md
from .state import Build

PAGE = "compare.md"
POLICE_WORDS = {"violence": "violence used or threatened", "threats": "threats and harassment", "abuse": "verbal abuse"}


def comparison_markdown(build: Build) -> str:
    offices = build.offices
    rows: list[tuple[str, str, Callable[[Profile], str]]] = [
        ("terminology", "The word for the person", lambda p: cited(p.person)),
        ("end-call", "Who may end or hold a call", lambda p: cited(p.authorisers["staff"])),
        ("warning", "Who agrees a warning", lambda p: cited(p.authorisers["warning"])),
        ("restriction", "Who authorises a restriction", lambda p: cited(p.authorisers["restriction"])),
        ("escalation", "Who decides after a breach", lambda p: cited(p.authorisers["escalation"])),
        ("ending", "Ending a call or a visit", lambda p: cited(p.end_contact)),
        ("police", "Who reports to the police", lambda p: cited(p.authorisers["police"])),
        *[(f"police-{kind}", f"Police: {POLICE_WORDS[kind]}", lambda p, kind=kind: (
            f"**{POLICE_RULES[p.police[kind].rule]}**: {cited(p.police[kind].said)}"
            + (f"<br>Visits: {cited(p.police_visit)}" if kind == "threats" and p.police_visit else "")
        )) for kind in POLICE_KINDS],
        ("without-warning", "Restricting before a warning", lambda p: cited(p.without_warning.said)),
        ("review", "Review of a restriction", lambda p: cited(p.review)),
        ("dispute", "How the person disputes it", lambda p: cited(p.dispute)),
        ("read-and-file", "Read and file", lambda p: cited(p.read_and_file)),
        ("warnings", "Warning stages", lambda p: "<br>".join(f"{n}. {cited(w)}" for n, w in enumerate(p.warnings, 1)) or "None set out"),
    ]
    out = [
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
        f"This copy of the handbook is built for **{md(build.office.name)}**.",
        "",
        "| Short name | Office | Policy file |",
        "|---|---|---|",
        *[f"| {md(p.short)} | {md(p.name)} | {md(p.source if p.source != 'all' else 'all five')} |" for p in offices],
        "",
    ]
    for anchor, label, value in rows:
        out += [f"## {label} {{ #{anchor} }}", "", '<div class="compare" markdown>', "", "| Office | Rule |", "|---|---|"]
        out += [f"| {md(p.short)} | {cap(value(p))} |" for p in offices]
        out += ["", "</div>", ""]
    months = {p.id: (f"{p.review_months} months" if p.review_months else "no fixed interval") for p in offices}
    out += ["## Review interval in months { #review-months }", "", "| Office | At least every | Source |", "|---|---|---|"]
    out += [f"| {md(p.short)} | {months[p.id]} | {cite(p.review.cite)} |" for p in offices]
    out.append("")
    # Measures: one row per measure any office lists, one column per office.
    all_measures = [m for m in build.flow.measures.values() if any(m.id in p.measures for p in offices)]
    all_measures.sort(key=lambda m: (m.rank, m.label))
    # A two-column list rather than an office-by-measure grid: the labels are sentences, and a
    # grid of six narrow columns is unreadable on a phone.
    five = [p for p in offices if p.source != "all"]
    out += [
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
        who = "all five offices" if len(named) == len(five) else ", ".join(md(p.short) for p in named) or "none of the five"
        generic = " (and the generic profile)" if any(p.source == "all" and m.id in p.measures for p in offices) else ""
        # Where an office's policy words the measure its own way, the row gives those words too.
        worded = [(p, p.measure(m)) for p in named]
        own = "".join(f"<br>{md(p.short)}: “{md(o.label)}” {cite(o.cite)}" for p, o in worded if o is not m)
        out.append(f"| {md(cap(m.label))} {cite(m.cite)} | {cap(who)}{generic}{own} |")
    out += ["", "</div>"]
    out += ["", "Sources for each office's list of measures:", ""]
    out += [f"- {md(p.short)}: {cite(p.measures_cite)}" for p in offices]
    out.append("")
    return "\n".join(out)
