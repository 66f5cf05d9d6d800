"""Load and validate the content files: the flow, its words, the office profiles.

Every problem is reported as one `ContentError` naming the file, the key and what is wrong, so
that a policy owner editing TOML gets a sentence, not a traceback. The contract with the code
(`contract.py`) is checked here, both ways, before the routes. Nothing here decides anything.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable

from . import contract, graph
from .clauses import CITATION, CONTENT_DIR, Register, check_cites, clause_anchor, load_register
from .model import (
    PLACEHOLDER,
    Advice,
    CeilingRule,
    Channel,
    Cited,
    Family,
    Flow,
    InputField,
    Item,
    Letter,
    Measure,
    Node,
    NoticeItem,
    Option,
    PoliceRule,
    Profile,
    ReviewFallback,
    Stage,
    Template,
    Tier,
    Transition,
    WithoutWarning,
)
from .reading import ID, ContentError, Reader, read_toml
from .rules import CONDITIONS

__all__ = [
    "CITATION", "CONTENT_DIR", "Content", "ContentError", "ID", "RESULT", "Reader", "Register",
    "check_cites", "clause_anchor", "content_hash", "load_all", "load_content", "load_flow",
    "load_profiles", "load_register", "read_toml",
]

RESULT = graph.RESULT
WORD_FILES = ("rules.toml", "documents.toml", "screens.toml")
JOURNEYS_FILE = "journeys.toml"
RULES_DATA = ("ceiling", "review_fallback")  # tables of rules.toml that are data, not words


@dataclass(frozen=True)
class Content:
    """Everything the aid and the handbook read, loaded and checked once."""

    flow: Flow
    profiles: dict[str, Profile]
    register: Register


def load_content(content_dir: Path = CONTENT_DIR) -> Content:
    register = load_register(content_dir)
    flow = load_flow(content_dir, register=register)
    return Content(flow, load_profiles(flow, content_dir, register=register), register)


def load_all(content_dir: Path = CONTENT_DIR) -> tuple[Flow, dict[str, Profile]]:
    content = load_content(content_dir)
    return content.flow, content.profiles


# --- the flow -------------------------------------------------------------------------------------


def load_flow(content_dir: Path = CONTENT_DIR, conditions: Iterable[str] | None = None,
              register: Register | None = None) -> Flow:
    """Read and validate the flow. `conditions` are the names transitions may use."""
    conditions = CONDITIONS if conditions is None else conditions
    register = register or load_register(content_dir)
    flow_r = Reader("flow.toml", read_toml(content_dir / "flow.toml"))
    measures_r = Reader("measures.toml", read_toml(content_dir / "measures.toml"))
    lists_r = Reader("lists.toml", read_toml(content_dir / "lists.toml"))
    words = {name: Reader(name, read_toml(content_dir / name)) for name in WORD_FILES}
    flow_r.unknown({"version", "start", "stages", "channels", "families", "nodes"})

    stages = {sid: Stage(sid, s.text("label"), s.text("page")) for sid, s in _entries(flow_r, "stages")}
    channels = {cid: Channel(cid, c.text("label"), c.text("phrase"), c.flag("live")) for cid, c in _entries(flow_r, "channels")}
    families = {}
    for fid, f in _entries(flow_r, "families"):
        f.unknown({"label", "summary", "cite", "letter", "ask"})
        families[fid] = Family(fid, f.text("label"), f.text("summary"), check_cites(f, "cite", register), f.text("letter"), f.text("ask"))
    tiers = _read_tiers(measures_r)
    measures = _read_measures(measures_r, register, tiers, channels)
    notice = _read_elements(lists_r, "notice", register)
    warning_letter = _read_elements(lists_r, "warning_letter", register)
    items = {name: _read_items(lists_r, name, register) for name in ("checklist", "safeguards", "actions")}
    nodes = _read_nodes(flow_r, register, families, stages)
    rules_r = words["rules.toml"]
    journeys_r = Reader(JOURNEYS_FILE, read_toml(content_dir / JOURNEYS_FILE))
    flow = Flow(
        version=flow_r.text("version"),
        content_hash=content_hash(content_dir),
        start=flow_r.text("start"),
        nodes=nodes,
        families=families,
        tiers=tiers,
        measures=measures,
        checklist=items["checklist"],
        notice=notice,
        warning_letter=warning_letter,
        safeguards=items["safeguards"],
        actions=items["actions"],
        channels=channels,
        stages=stages,
        ceiling=_read_ceiling(rules_r, register, tiers),
        review_fallback=_read_review_fallback(rules_r, register),
        texts=_read_texts(words),
        register=register,
        handling=_read_handling(journeys_r, register),
    )
    contract.check(flow)
    _check_graph(flow, set(conditions), flow_r)
    return flow


def _basis(r: Reader, register: Register) -> tuple[tuple[str, ...], str]:
    """A statement's basis: the clauses that say it, or why it is our practice (or both)."""
    practice = r.text("practice", "")
    cite = check_cites(r, "cite", register, required=False)
    if not cite and not practice.strip():
        r.fail("cite", "is missing: cite the clauses that say it, or mark it practice = \"why we advise it\"")
    return cite, practice


def _entries(r: Reader, name: str) -> list[tuple[str, Reader]]:
    """The sub-tables of a table whose keys are ids (`[stages.safety]`, `[channels.email]`)."""
    entries = list(r.table(name).items())
    for key, _ in entries:
        if not ID.match(key):
            r.fail(f"{name}.{key}", f"{key!r} is not a valid id (lower-case letters, digits, _)")
    return entries


def _read_tiers(r: Reader) -> dict[str, Tier]:
    tiers: dict[str, Tier] = {}
    for t in r.tables("tiers"):
        t.unknown({"id", "label", "rank", "restricts", "page"})
        tier = Tier(t.ident("id"), t.text("label"), t.get("rank", int), t.flag("restricts"), t.text("page"))
        if tier.id in tiers:
            t.fail("id", f"tier {tier.id!r} is declared twice")
        tiers[tier.id] = tier
    return tiers


def _read_measures(r: Reader, register: Register, tiers: dict[str, Tier], channels: dict[str, Channel]) -> dict[str, Measure]:
    measures: dict[str, Measure] = {}
    for m in r.tables("measures"):
        m.unknown({"id", "label", "rank", "tier", "authoriser", "reason", "cite", "channels", "removes", "matter", "letter", "practice"})
        mid = m.ident("id")
        if mid in measures:
            m.fail("id", f"measure {mid!r} is declared twice")
        if not m.has("rank"):
            m.fail("rank", "is missing: every measure needs a severity rank")
        if not m.has("authoriser"):
            m.fail("authoriser", "is missing: every measure needs an authoriser role")
        measure = Measure(
            id=mid,
            label=m.text("label"),
            rank=m.get("rank", int),
            tier=m.text("tier"),
            authoriser=m.text("authoriser"),
            reason=m.text("reason"),
            cite=check_cites(m, "cite", register),
            practice=m.text("practice", ""),
            channels=m.strings("channels", ()),
            removes=m.strings("removes", ()),
            matter=m.strings("matter", ()),
            letter=m.text("letter", ""),
        )
        if measure.tier not in tiers:
            m.fail("tier", f"no tier named {measure.tier!r}")
        if measure.authoriser not in contract.ROLES:
            m.fail("authoriser", f"{measure.authoriser!r} is not one of {', '.join(contract.ROLES)}")
        if tiers[measure.tier].restricts and not measure.letter.strip():
            m.fail("letter", "is missing: a restriction needs the sentence that tells the person about it")
        if measure.rank < 1:
            m.fail("rank", "must be 1 or more")
        for key in ("channels", "removes"):
            for value in getattr(measure, key):
                if value not in channels:
                    m.fail(key, f"{value!r} is not a channel in flow.toml")
        for value in measure.matter:
            if value not in contract.MATTER_STATES:
                m.fail("matter", f"{value!r} is not one of {', '.join(contract.MATTER_STATES)}")
        measures[mid] = measure
    return measures


def _read_items(r: Reader, name: str, register: Register) -> dict[str, Item]:
    items: dict[str, Item] = {}
    for t in r.tables(name):
        t.unknown({"id", "text", "cite", "practice"})
        cite, practice = _basis(t, register)
        item = Item(t.ident("id"), t.text("text"), cite, practice)
        if item.id in items:
            t.fail("id", f"{item.id!r} is declared twice")
        items[item.id] = item
    return items


def _read_elements(r: Reader, name: str, register: Register) -> dict[str, NoticeItem]:
    """The elements of a letter (lists.toml [[notice]], [[warning_letter]])."""
    items: dict[str, NoticeItem] = {}
    for t in r.tables(name):
        t.unknown({"id", "text", "cite", "practice", *contract.NOTICE_PARTS})
        iid = t.ident("id")
        parts = [p for p in contract.NOTICE_PARTS if t.has(p)]
        if len(parts) != 1:
            t.fail("", "says how the draft letter carries it in exactly one way: "
                       "letter = \"a paragraph to the person\", staff = \"a reminder to staff\" or in_body = true")
        part = parts[0]
        if part == contract.NOTICE_IN_BODY:
            if not t.flag(part):
                t.fail(part, "write in_body = true, or use letter or staff instead")
            wording = None
        else:
            wording = _template(t, part, allowed=contract.NOTICE_FIELDS if part == contract.NOTICE_LETTER else ())
        if iid in items:
            t.fail("id", f"{iid!r} is declared twice")
        practice = t.text("practice")  # any office may add it as practice, so every element says why
        items[iid] = NoticeItem(iid, t.text("text"), check_cites(t, "cite", register, required=False), part, wording, practice)
    return items


def _read_handling(r: Reader, register: Register) -> dict[str, tuple[Item, ...]]:
    """journeys.toml: how each journey other than an incident is handled."""
    handling = {}
    for journey in r.data:
        items = []
        for t in r.tables(journey):
            t.unknown({"id", "text", "cite", "practice", "only"})
            cite, practice = _basis(t, register)
            items.append(Item(t.ident("id"), t.text("text"), cite, practice, only=t.strings("only", ())))
        handling[journey] = tuple(items)
    return handling


def _read_ceiling(r: Reader, register: Register, tiers: dict[str, Tier]) -> dict[str, CeilingRule]:
    rules = {}
    for rid, c in r.table("ceiling").items():
        c.unknown({"tier", "text", "cite", "practice"})
        tier = c.text("tier", None)
        if tier is not None and tier not in tiers:
            c.fail("tier", f"no tier named {tier!r} in measures.toml ({', '.join(tiers)})")
        cite, practice = _basis(c, register)
        rules[rid] = CeilingRule(rid, tier, c.text("text"), cite, practice)
    return rules


def _read_review_fallback(r: Reader, register: Register) -> ReviewFallback:
    t = r.table("review_fallback")
    t.unknown({"months", "cite", "practice"})
    months = t.get("months", int)
    if not 1 <= months <= 36:
        t.fail("months", "must be between 1 and 36")
    return ReviewFallback(months, check_cites(t, "cite", register, required=False), t.text("practice"))


def _template(r: Reader, name: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> Template:
    return _parse_template(r.file, r.key(name), r.text(name), allowed, required)


def _parse_template(file: str, key: str, text: Any, allowed: tuple[str, ...], required: tuple[str, ...]) -> Template:
    if not isinstance(text, str) or not text.strip():
        raise ContentError(file, key, "expected text")
    names = PLACEHOLDER.findall(text)
    stray = PLACEHOLDER.sub("", text)
    if "{" in stray or "}" in stray:
        raise ContentError(file, key, "has a brace that is not a placeholder: write {name} with lower-case letters and _, "
                                      "or [like this] for words staff fill in")
    unknown = [n for n in names if n not in allowed]
    if unknown:
        offered = ", ".join(f"{{{a}}}" for a in allowed) or "none"
        raise ContentError(file, key, f"uses the placeholder {{{unknown[0]}}}, which the code does not fill here (it fills: {offered})")
    missing = [n for n in required if n not in names]
    if missing:
        raise ContentError(file, key, f"must include the placeholder {{{missing[0]}}}: the code fills it with what the reader needs")
    return Template(text, tuple(dict.fromkeys(names)))


def _read_texts(files: dict[str, Reader]) -> dict[str, Template | tuple[Template, ...]]:
    """Every declared text, from the file `contract.TEXT_HOMES` names for it."""
    found: dict[str, tuple[str, Any]] = {}

    def flatten(file: str, data: dict, prefix: str) -> None:
        for name, value in data.items():
            key = f"{prefix}.{name}" if prefix else name
            if isinstance(value, dict):
                flatten(file, value, key)
            else:
                found[key] = (file, value)

    for file, r in files.items():
        data = {k: v for k, v in r.data.items() if not (file == "rules.toml" and k in RULES_DATA)}
        for top in data:
            if contract.TEXT_HOMES.get(top) != file:
                raise ContentError(file, top, "is not a group of words the aid uses here (a typo, or the wrong file?)")
        flatten(file, data, "")
    texts: dict[str, Template | tuple[Template, ...]] = {}
    for key, need in contract.TEXTS.items():
        home = contract.TEXT_HOMES[key.split(".", 1)[0]]
        if key not in found:
            fields = f" with {', '.join('{' + f + '}' for f in need.fields)}" if need.fields else ""
            raise ContentError(home, key, f"is missing: the aid shows these words{fields}")
        file, value = found.pop(key)
        if need.many:
            if not isinstance(value, list) or not value:
                raise ContentError(file, key, "expected a list of paragraphs")
            texts[key] = tuple(_parse_template(file, f"{key}[{i}]", v, need.fields, ()) for i, v in enumerate(value))
        else:
            texts[key] = _parse_template(file, key, value, need.fields, need.fields)
    if found:
        key, (file, _) = sorted(found.items())[0]
        raise ContentError(file, key, "is not a text the aid shows (a typo?); the keys it knows are in decision_aid/contract.py")
    return texts


def _read_transitions(n: Reader) -> tuple[Transition, ...]:
    raw = n.get("next", (str, list))
    if isinstance(raw, str):
        return (Transition(raw),)
    routes = []
    for t in n.tables("next"):
        t.unknown({"to", "when"})
        routes.append(Transition(t.text("to"), t.text("when", None)))
    if not routes:
        n.fail("next", "lists no route")
    if routes[-1].when is not None:
        n.fail("next", "the last route must have no 'when' so that the walk can always go on")
    return tuple(routes)


def _read_nodes(r: Reader, register: Register, families: dict[str, Family], stages: dict[str, Stage]) -> dict[str, Node]:
    nodes: dict[str, Node] = {}
    for nid, n in r.table("nodes").items():
        n.unknown({"stage", "kind", "question", "hint", "hint_practice", "cite", "practice", "options", "fields", "options_from", "next",
                   "page", "page_label", contract.CAUSE_FLAG})
        if not ID.match(nid):
            n.fail("", f"{nid!r} is not a valid node id")
        kind = n.text("kind")
        if kind not in ("single", "multi", "details"):
            n.fail("kind", f"{kind!r} is not one of single, multi, details")
        stage = n.text("stage")
        if stage not in stages:
            n.fail("stage", f"{stage!r} is not a stage in [stages] ({', '.join(stages)})")
        options = tuple(_read_option(o, register, families, kind) for o in n.tables("options", []))
        fields = tuple(_read_field(f) for f in n.tables("fields", []))
        options_from = n.text("options_from", None)
        if options_from not in (None, *contract.OPTION_SOURCES):
            n.fail("options_from", f"{options_from!r} is not one of {', '.join(contract.OPTION_SOURCES)}")
        page, page_label = n.text("page", ""), n.text("page_label", "")
        if bool(page) != bool(page_label):
            n.fail("page_label" if page else "page", "give a question's own handbook page and its name together")
        if kind == "details" and not fields:
            n.fail("fields", "a details step needs at least one field")
        if kind != "details" and not options and not options_from:
            n.fail("options", "a question needs at least one option")
        seen: set[str] = set()
        for i, option in enumerate(options):
            if option.id in seen:
                raise ContentError(r.file, f"nodes.{nid}.options[{i}].id", f"option {option.id!r} is declared twice")
            seen.add(option.id)
        nodes[nid] = Node(
            id=nid,
            stage=stage,
            kind=kind,
            question=n.text("question"),
            hint=n.text("hint", ""),
            cite=_basis(n, register)[0],
            practice=n.text("practice", ""),
            options=options,
            fields=fields,
            options_from=options_from,
            next=_read_transitions(n),
            cause=n.flag(contract.CAUSE_FLAG),
            hint_practice=n.text("hint_practice", ""),
            page=page,
            page_label=page_label,
        )
    return nodes


def _read_option(o: Reader, register: Register, families: dict[str, Family], kind: str) -> Option:
    o.unknown({"id", "label", "hint", "cite", "family", "exclusive", "next", "met", "remedy", "police", "practice"})
    family = o.text("family", None)
    if family is not None and family not in families:
        o.fail("family", f"no behaviour family named {family!r}")
    exclusive = o.flag("exclusive")
    if exclusive and kind != "multi":
        o.fail("exclusive", "only options of a multi-select question can be exclusive")
    met = o.get("met", bool, None)
    remedy = o.text("remedy", "")
    if met is False and not remedy.strip():
        o.fail("remedy", "an answer that means a duty is unmet must say what to put right")
    cite, practice = _basis(o, register)
    return Option(
        id=o.ident("id"),
        label=o.text("label"),
        hint=o.text("hint", ""),
        cite=cite,
        family=family,
        exclusive=exclusive,
        next=o.text("next", None),
        met=met,
        remedy=remedy,
        police=o.text("police", None),
        practice=practice,
    )


def _read_field(f: Reader) -> InputField:
    f.unknown({"id", "label", "kind", "required", "hint", "max_length"})
    kind = f.text("kind")
    if kind not in ("text", "textarea", "date"):
        f.fail("kind", f"{kind!r} is not one of text, textarea, date")
    return InputField(f.ident("id"), f.text("label"), kind, f.flag("required"), f.text("hint", ""), f.get("max_length", int, 4000))


def _check_graph(flow: Flow, conditions: set[str], r: Reader) -> None:
    if flow.start not in flow.nodes:
        r.fail("start", f"no node named {flow.start!r}")
    for nid, node in flow.nodes.items():
        for i, route in enumerate(node.next):
            key = f"nodes.{nid}.next" + (f"[{i}]" if len(node.next) > 1 else "")
            if route.to != RESULT and route.to not in flow.nodes:
                raise ContentError(r.file, key, f"goes to {route.to!r}, which is not a node")
            if route.when is not None and route.when not in conditions:
                raise ContentError(r.file, key, f"condition {route.when!r} is not one the engine knows ({', '.join(sorted(conditions))})")
        for i, option in enumerate(node.options):
            if option.next is None:
                continue
            if node.kind == "multi" and not option.exclusive:
                raise ContentError(r.file, f"nodes.{nid}.options[{i}].next", "only a single-choice or an exclusive option may route on its own")
            if option.next != RESULT and option.next not in flow.nodes:
                raise ContentError(r.file, f"nodes.{nid}.options[{i}].next", f"goes to {option.next!r}, which is not a node")
    seen = graph.reachable(flow)
    for nid in flow.nodes:
        if nid not in seen:
            raise ContentError(r.file, f"nodes.{nid}", "cannot be reached from the start")
    loop = graph.find_loop(flow)
    if loop:
        raise ContentError(r.file, f"nodes.{loop[-2]}.next", f"makes a loop ({' -> '.join(loop)})")
    for need in contract.NODES:
        if need.always and RESULT in graph.reachable(flow, avoid=need.id):
            raise ContentError(r.file, f"nodes.{need.id}", "can be skipped on the way to the result, but the code needs "
                               f"its answer on every walk ({need.means})")


def content_hash(content_dir: Path = CONTENT_DIR) -> str:
    """A short fingerprint of every content file, so a note can say exactly what produced it."""
    digest = hashlib.sha256()
    for path in sorted(content_dir.rglob("*.toml")):
        digest.update(path.relative_to(content_dir).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# --- office profiles ----------------------------------------------------------------------------


def load_profiles(flow: Flow | None = None, content_dir: Path = CONTENT_DIR,
                  register: Register | None = None) -> dict[str, Profile]:
    """Every office profile, generic first, validated against the flow and the register."""
    register = register or load_register(content_dir)
    flow = flow or load_flow(content_dir, register=register)
    policies = {c.policy for c in register.clauses.values()}
    profiles: dict[str, Profile] = {}
    paths = sorted((content_dir / "offices").glob("*.toml"), key=lambda p: (p.stem != "generic", p.stem))
    if not paths:
        raise ContentError("offices/", "", "no office profiles found")
    for path in paths:
        profile = _read_profile(path, register, flow, policies)
        profiles[profile.id] = profile
    if "generic" not in profiles:
        raise ContentError("offices/generic.toml", "", "the generic profile is missing; it is the default")
    return profiles


class _Office:
    """Reads one office profile; every value it states must cite that office's own policy."""

    def __init__(self, file: str, source: str, register: Register):
        self.file, self.source, self.register = file, source, register

    def cites(self, t: Reader, name: str = "cite", required: bool = True) -> tuple[str, ...]:
        refs = check_cites(t, name, self.register, required=required)
        if self.source != "all":
            for i, ref in enumerate(refs):
                if ref.split(" ", 1)[0] != self.source:
                    raise ContentError(self.file, f"{t.key(name)}[{i}]",
                                       f"cites {ref!r}, another office's policy: an office's values cite its own policy "
                                       f"({self.source}) only; where it is silent, say so and put our advice in an advice table")
        return refs

    def cited(self, r: Reader, name: str, extra: Iterable[str] = ()) -> Cited:
        t = r.table(name)
        t.unknown({"text", "cite", "advice", *extra})
        advice = None
        if t.has("advice"):
            a = t.table("advice")
            a.unknown({"text", "why"})
            advice = Advice(a.text("text"), a.text("why"))
        return Cited(t.text("text"), self.cites(t), advice)

    def letter(self, r: Reader, name: str, known: dict[str, NoticeItem]) -> Letter:
        t = r.table(name)
        t.unknown({"items", "cite", "practice"})
        lists = {}
        for key in ("items", "practice"):
            ids = t.strings(key, () if key == "practice" else ...)
            for i, item in enumerate(ids):
                if item not in known:
                    raise ContentError(self.file, f"{name}.{key}[{i}]", f"no {name} element named {item!r} in lists.toml")
                if key == "items" and not self.own_cite(known[item].cite):
                    raise ContentError(self.file, f"{name}.{key}[{i}]",
                                       f"{item!r} is listed as required by this office's policy, but lists.toml cites no clause of "
                                       f"policy {self.source} for it: cite the clause there, or list it under practice")
            lists[key] = ids
        return Letter(lists["items"], self.cites(t), lists["practice"])

    def own_cite(self, refs: tuple[str, ...]) -> bool:
        return self.source == "all" or any(r.split(" ", 1)[0] == self.source for r in refs)


PROFILE_KEYS = {"id", "name", "short", "source", "person", "authorisers", "end_contact", "end_visit", "police", "without_warning",
                "review", "dispute", "read_and_file", "measures", "measure_words", "warnings", "contacts", "checklist", "notice",
                "warning_letter"}


def _measure_words(r: Reader, office: _Office, flow: Flow, available: tuple[str, ...]) -> dict[str, Measure]:
    """[measure_words.<id>]: a measure in this office's own terms, where its policy words it
    differently from measures.toml (whose label, letter and reason then stay for the others)."""
    words_r = r.table("measure_words")
    out = {}
    for mid, t in words_r.items():
        if mid not in available:
            words_r.fail(mid, f"{mid!r} is not one of this office's measures (measures.available)")
        t.unknown({"label", "letter", "reason", "cite"})
        measure = flow.measures[mid]
        out[mid] = replace(measure, label=t.text("label"), letter=t.text("letter", measure.letter),
                           reason=t.text("reason", measure.reason), cite=office.cites(t))
    return out


def _read_profile(path: Path, register: Register, flow: Flow, policies: set[str]) -> Profile:
    file = f"offices/{path.name}"
    r = Reader(file, read_toml(path))
    r.unknown(PROFILE_KEYS)
    pid = r.ident("id")
    if pid != path.stem:
        r.fail("id", f"{pid!r} does not match the file name {path.stem!r}")
    source = r.text("source")
    if source != "all" and source not in policies:
        r.fail("source", f"{source!r} is neither 'all' nor a policy in clauses.toml")
    office = _Office(file, source, register)
    auth_r = r.table("authorisers")
    auth_r.unknown(contract.ROLES)
    authorisers = {}
    for role in contract.ROLES:
        if not auth_r.has(role):
            auth_r.fail(role, "is missing: every profile names who acts for each kind of action")
        authorisers[role] = office.cited(auth_r, role)
    police_r = r.table("police")
    police_r.unknown({*contract.POLICE_KINDS, "visit"})
    police = {}
    for kind in contract.POLICE_KINDS:
        if not police_r.has(kind):
            police_r.fail(kind, f"is missing: say what this office's policy does about {kind} and the police (or that it is silent)")
        rule = police_r.table(kind).text("rule")
        if rule not in contract.POLICE_RULES:
            police_r.table(kind).fail("rule", f"{rule!r} is not one of {', '.join(contract.POLICE_RULES)}")
        police[kind] = PoliceRule(kind, rule, office.cited(police_r, kind, extra={"rule"}))
    visit = office.cited(police_r, "visit") if police_r.has("visit") else None
    ww_r = r.table("without_warning")
    ww_r.unknown({"measures", "channels", "text", "cite"})
    review_r = r.table("review")
    review_r.unknown({"months", "text", "cite"})
    months = review_r.get("months", int)
    if months < 0 or months > 36:
        review_r.fail("months", "must be between 0 (no fixed interval) and 36")
    measures_r = r.table("measures")
    measures_r.unknown({"available", "cite", "not_while_ongoing", "not_while_ongoing_cite"})
    available = measures_r.strings("available")
    for i, mid in enumerate(available):
        if mid not in flow.measures:
            raise ContentError(file, f"measures.available[{i}]", f"no measure named {mid!r} in measures.toml")
        if not office.own_cite(flow.measures[mid].cite):
            raise ContentError(file, f"measures.available[{i}]",
                               f"{mid!r}: measures.toml cites no clause of policy {source} for it, so this office's policy does not name it")
    for key, table in (("not_while_ongoing", measures_r), ("measures", ww_r)):
        for i, mid in enumerate(table.strings(key, ())):
            if mid not in available:
                raise ContentError(file, f"{table.key(key)}[{i}]", f"{mid!r} is not one of this office's measures")
    for i, channel in enumerate(ww_r.strings("channels", ())):
        if channel not in flow.channels:
            raise ContentError(file, f"without_warning.channels[{i}]", f"{channel!r} is not a channel in flow.toml")
    measure_words = _measure_words(r, office, flow, available) if r.has("measure_words") else {}
    checklist_r = r.table("checklist")
    checklist = checklist_r.strings("items")
    for i, item in enumerate(checklist):
        if item not in flow.checklist:
            raise ContentError(file, f"checklist.items[{i}]", f"no checklist item named {item!r} in lists.toml")
        if not office.own_cite(flow.checklist[item].cite):
            raise ContentError(file, f"checklist.items[{i}]", f"{item!r}: lists.toml cites no clause of policy {source} for it")
    dispute_r = r.table("dispute")
    warnings = tuple(Cited(w.text("text"), office.cites(w)) for w in r.table("warnings").tables("stages"))
    return Profile(
        id=pid,
        name=r.text("name"),
        short=r.text("short"),
        source=source,
        person=office.cited(r, "person"),
        authorisers=authorisers,
        end_contact=office.cited(r, "end_contact"),
        end_visit=office.cited(r, "end_visit") if r.has("end_visit") else None,
        police=police,
        police_visit=visit,
        without_warning=WithoutWarning(
            Cited(ww_r.text("text"), office.cites(ww_r)), ww_r.strings("measures", ()), ww_r.strings("channels", ())),
        review_months=months,
        review=Cited(review_r.text("text"), office.cites(review_r)),
        dispute=office.cited(r, "dispute", extra={"letter"}),
        dispute_letter=dispute_r.text("letter", ""),
        read_and_file=office.cited(r, "read_and_file"),
        measures=available,
        measures_cite=office.cites(measures_r),
        measure_words=measure_words,
        not_while_ongoing=measures_r.strings("not_while_ongoing", ()),
        not_while_ongoing_cite=office.cites(measures_r, "not_while_ongoing_cite", required=measures_r.has("not_while_ongoing")),
        warnings=warnings,
        contacts=tuple(Cited(c.text("text"), office.cites(c)) for c in r.tables("contacts")),
        checklist=checklist,
        checklist_cite=office.cites(checklist_r),
        notice=office.letter(r, "notice", flow.notice),
        warning_letter=office.letter(r, "warning_letter", flow.warning_letter),
        file=file,
    )
