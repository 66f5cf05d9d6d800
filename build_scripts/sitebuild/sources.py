"""sources.md: the clause register, each clause with an anchor and the pages that cite it."""

from __future__ import annotations

from decision_aid.clauses import clause_anchor

from .markup import md
from .state import Build

PAGE = "sources.md"


def sources_markdown(build: Build) -> str:
    out = [
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
    for ref, clause in build.register.clauses.items():
        by_policy.setdefault(clause.policy, []).append(clause)
    for policy, clauses in sorted(by_policy.items()):
        first = clauses[0]
        out += [f"## {policy}: {md(first.office)} {{ #policy-{policy} }}", "", f"Source file: `{first.file}`", ""]
        for clause in clauses:
            used = sorted(set(build.cited_on.get(clause.ref, [])), key=lambda t: t[1])
            where = ", ".join(f"[{md(title)}]({src})" for src, title in used) or "not cited in the handbook pages"
            out += [f"**{clause.ref}**: {md(clause.title)}.  ", f"Cited on: {where}", f"{{: #{clause_anchor(clause.ref)} .clause }}", ""]
    return "\n".join(out)
