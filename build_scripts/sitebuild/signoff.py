"""The part of the sign-off page (reference.md) that shows what people receive: the letters in
full for the built office, and every fixed sentence of the record note, the rules and the result
page, each under its key. Words in square brackets are for staff to fill in; placeholders the
aid fills in are shown in italics as *[name]*.
"""

from __future__ import annotations

from decision_aid import basis
from decision_aid import contract as c
from decision_aid.model import PLACEHOLDER, Template

from .markup import basis_md, cite, md
from .state import Build


def _shown(template: Template) -> str:
    """Content words for the page: literal, with the aid's placeholders in italics."""
    parts = PLACEHOLDER.split(template.text)  # text, name, text, name, ..., text
    return "".join(md(part) if i % 2 == 0 else f"*\\[{part.replace('_', ' ')}\\]*" for i, part in enumerate(parts))


def _quote(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        out += [f"> {line}" if line else ">"]
    return out


def letters_in_full(build: Build) -> list[str]:
    flow, office = build.flow, build.office
    texts = flow.texts
    heading = [line for t in texts["letters.heading"] for line in (_shown(t), "")]
    heading += ["*\\[date of the decision\\]*", "", _shown(texts["letters.reference"])]
    families = "; ".join(f"“{md(f.letter)}”" for f in flow.families.values())
    asks = " ".join(f"“{md(f.ask)}”" for f in flow.families.values())
    warned = [n for n in flow.warning_letter.values() if n.part == c.NOTICE_LETTER and n.id in office.warning_letter.all]
    said_w = lambda n: basis_md(basis.of_element(office, n, office.warning_letter.items))
    warning = [
        *heading, "",
        *(p for t in texts["letters.warning.opening"] for p in (_shown(t), "")),
        f"- *one line for each kind of behaviour found:* {families}", "",
        f"*For each kind of behaviour found, what the letter asks:* {asks}", "",
        *(p for t in texts["letters.warning.closing"] for p in (_shown(t), "")),
        *(p for n in warned for p in (f"{_shown(n.wording)} {said_w(n)}", "")),
        *(_shown(t) for t in texts["letters.sign_off"]),
    ]
    carried = set(office.notice.all)
    rights = [n for n in flow.notice.values() if n.part == c.NOTICE_LETTER and n.id in carried]
    checks = [n for n in flow.notice.values() if n.part == c.NOTICE_STAFF and (n.id in carried or n.id == c.ACCESSIBLE_FORMAT)]
    said = lambda n: basis_md(basis.of_element(office, n, office.notice.items))
    notice = [
        *heading, "",
        *(p for t in texts["letters.strategy.opening"] for p in (_shown(t), "")),
        _shown(texts["letters.strategy.why"]), "",
        _shown(texts["letters.strategy.from_now"]), "",
        "- *one line for each restriction proposed: the sentence “The written notice says” under each measure above*", "",
        *(p for n in rights for p in (f"{_shown(n.wording)} {said(n)}", "")),
        *(_shown(t) for t in texts["letters.sign_off"]),
    ]
    staff = [f"- {_shown(texts['letters.strategy.check'])}"]
    for n in checks:
        when = " *(when the person has a known need)*" if n.id == c.ACCESSIBLE_FORMAT and n.id not in carried else ""
        staff.append(f"- {_shown(n.wording)}{when} {said(n)}")
    return [
        "## The letters in full { #letters }",
        "",
        f"The drafts the aid writes for **{md(office.name)}**. Words in square brackets are for staff to",
        "complete; the aid fills in what is shown in italics. Each paragraph that carries an element the",
        "policy requires cites it; a paragraph we add as our practice says so, and why. Where the policy",
        "states no dispute route, the notice carries a bracketed placeholder that staff must replace.",
        "",
        f"### {md(flow.say('letters.warning.title'))} {{ #letter-warning }}",
        "",
        *_quote(warning),
        "",
        f"### {md(flow.say('letters.strategy.title'))} {{ #letter-strategy }}",
        "",
        *_quote(notice),
        "",
        f"**{md(flow.say('letters.strategy.before_sending'))}** (for staff, not sent):",
        "",
        *staff,
        "",
        *_journey_letters(build, heading),
    ]


def _journey_letters(build: Build, heading: list[str]) -> list[str]:
    """The letters of the journeys: a dispute's acknowledgement, a review's outcome (one of its
    four decisions), a reminder after a breach of a strategy."""
    flow, office, texts = build.flow, build.office, build.flow.texts
    route = office.dispute_letter or flow.say("letters.dispute_placeholder")
    paragraphs = lambda key: [p for t in texts[key] for p in (_shown(t), "")]
    sign_off = [_shown(t) for t in texts["letters.sign_off"]]
    dispute = [*heading, "", *paragraphs("letters.dispute.opening"),
               md(flow.say("letters.dispute.route", route=route)), "", *paragraphs("letters.dispute.closing"), *sign_off]
    decisions = [f"*One of:* {_shown(texts[f'letters.review.{d}'])}" for d in (c.LIFT, c.KEEP, c.RELAX, c.TIGHTEN)]
    review = [*heading, "", *paragraphs("letters.review.opening"), *(x for d in decisions for x in (d, "")),
              "*Unless lifted:* " + _shown(texts["letters.review.next"]), "",
              "*Unless lifted:* " + md(flow.say("letters.review.dispute", route=route)), "", *sign_off]
    reminder = [*heading, "", *paragraphs("letters.breach_reminder.opening"), *paragraphs("letters.breach_reminder.body"), *sign_off]
    out = []
    for key, anchor, body in (("letters.dispute", "letter-dispute", dispute), ("letters.review", "letter-review", review),
                              ("letters.breach_reminder", "letter-breach-reminder", reminder)):
        out += [f"### {md(flow.say(key + '.title'))} {{ #{anchor} }}", "", *_quote(body), ""]
    return out


GROUPS = {
    "note": "The record note",
    "letters": "The letters' fixed parts",
    "withheld": "Why a measure is not offered",
    "wait": "Why a restriction must wait",
    "review": "The review date",
    "keep_channel": "A channel an adjustment relies on",
    "result": "The result page",
}


def fixed_words(build: Build) -> list[str]:
    lines = [
        "## Every fixed sentence { #words }",
        "",
        "Each sentence the aid uses in the record note, the letters and the result page, with its key in",
        "the content files (`rules.toml`, `documents.toml`, `screens.toml`). Changing a sentence there",
        "changes it everywhere it appears; the aid's code holds none of them.",
        "",
    ]
    for group, title in GROUPS.items():
        lines += [f"### {title} {{ #words-{group.replace('_', '-')} }}", "", f"In `{c.TEXT_HOMES[group]}`.", ""]
        for key, text in build.flow.texts.items():
            if key.split(".", 1)[0] != group:
                continue
            if isinstance(text, Template):
                lines.append(f"- `{key}`: “{_shown(text)}”")
            else:
                lines.append(f"- `{key}`: " + " / ".join(f"“{_shown(t)}”" for t in text))
        lines.append("")
    return lines


def practice_apart(build: Build) -> list[str]:
    """Every statement shown to this office's staff that is our practice, not its policy, with
    the reason: for the policy owner to approve or strike, one by one."""
    practice = [s for s in basis.inventory(build.flow, build.office) if s.basis.practice]
    lines = [
        "## Our practice, for approval { #practice }",
        "",
        f"Everything else on this page is **{md(build.office.short)}** policy, with the clauses that say it.",
        f"These {len(practice)} statements are not: each is advice of ours, or comes from another office's policy, and",
        "the aid marks it “our practice” wherever it shows it. Approve or strike each one.",
        "",
        "| Where it appears | What it says | Why we advise it |",
        "|---|---|---|",
    ]
    for s in practice:
        see = f" {cite(s.basis.cite)}" if s.basis.cite and not all(r in s.basis.reason for r in s.basis.cite) else ""
        lines.append(f"| {md(s.where)} | {md(s.text)} | {md(s.basis.reason)}{see} |")
    return lines + [""]
