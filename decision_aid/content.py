"""Load and validate the content files: the clause register, the flow, the office profiles.

Every problem is reported as one `ContentError` naming the file, the key and what is wrong, so
that a policy owner editing TOML gets a sentence, not a traceback. Nothing here decides anything.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from .model import (
    Cited,
    Clause,
    Family,
    Flow,
    InputField,
    Item,
    Measure,
    Node,
    Option,
    Profile,
    Tier,
    Transition,
    WarningStage,
)

CONTENT_DIR = Path(__file__).parent / "content"
FLOW_FILES = ("clauses.toml", "flow.toml", "measures.toml", "lists.toml")
RESULT = "result"  # the reserved transition target: the walk is complete
ROLES = ("staff", "warning", "restriction", "escalation", "police")
MATTER_STATES = ("ongoing", "concluded", "outside_remit")
OPTION_SOURCES = ("measures", "checklist")  # questions whose options depend on earlier answers
ID = re.compile(r"^[a-z][a-z0-9_]*$")
CITATION = re.compile(r"^(\d{3}) (.+)$")


class ContentError(Exception):
    """A content file is malformed or inconsistent."""

    def __init__(self, file: str, key: str, problem: str):
        self.file, self.key, self.problem = file, key, problem
        super().__init__(f"{file}: {key}: {problem}" if key else f"{file}: {problem}")


@dataclass(frozen=True)
class Register:
    clauses: dict[str, Clause]  # "001 §7.2" -> Clause

    def resolve(self, ref: str) -> Clause | None:
        return self.clauses.get(ref)


# --- typed reading with key paths -------------------------------------------------------------


class Reader:
    """A view of one TOML table that knows its file and key path, for error messages."""

    def __init__(self, file: str, data: Any, path: str = ""):
        self.file, self.data, self.path = file, data, path
        if not isinstance(data, dict):
            self.fail("", f"expected a table, found {_kind(data)}")

    def key(self, name: str | int) -> str:
        part = f"[{name}]" if isinstance(name, int) else str(name)
        if not self.path:
            return part
        return f"{self.path}{part}" if isinstance(name, int) else f"{self.path}.{part}"

    def fail(self, name: str | int, problem: str):
        raise ContentError(self.file, self.key(name) if name != "" else self.path, problem)

    def has(self, name: str) -> bool:
        return name in self.data

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if name not in self.data:
            if default is ...:
                self.fail(name, "is missing")
            return default
        value = self.data[name]
        # bool is an int in Python; a rank of `true` is still a mistake worth naming.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(name, f"expected {_kind_name(kind)}, found {_kind(value)}")
        return value

    def text(self, name: str, default: Any = ...) -> str:
        value = self.get(name, str, default)
        if isinstance(value, str) and default is ... and not value.strip():
            self.fail(name, "is empty")
        return value

    def ident(self, name: str) -> str:
        value = self.text(name)
        if not ID.match(value):
            self.fail(name, f"{value!r} is not a valid id (lower-case letters, digits, _)")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        return self.get(name, bool, default)

    def strings(self, name: str, default: Any = ...) -> tuple[str, ...]:
        values = self.get(name, list, default)
        for i, value in enumerate(values):
            if not isinstance(value, str):
                raise ContentError(self.file, f"{self.key(name)}[{i}]", f"expected text, found {_kind(value)}")
        return tuple(values)

    def table(self, name: str) -> "Reader":
        return Reader(self.file, self.get(name, dict), self.key(name))

    def tables(self, name: str, default: Any = ...) -> list["Reader"]:
        values = self.get(name, list, default)
        return [Reader(self.file, v, f"{self.key(name)}[{i}]") for i, v in enumerate(values)]

    def items(self) -> Iterable[tuple[str, "Reader"]]:
        for name in self.data:
            yield name, Reader(self.file, self.data[name], self.key(name))

    def unknown(self, allowed: Iterable[str]) -> None:
        extra = sorted(set(self.data) - set(allowed))
        if extra:
            self.fail(extra[0], "is not a known key here (a typo?)")


def _kind(value: Any) -> str:
    return {
        str: "text", int: "a number", float: "a number", bool: "true/false",
        list: "a list", dict: "a table",
    }.get(type(value), type(value).__name__)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "text", int: "a whole number", bool: "true or false", list: "a list", dict: "a table"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ContentError(path.name, "", "file not found") from None
    except tomllib.TOMLDecodeError as error:
        raise ContentError(path.name, "", f"not valid TOML ({error})") from None
    except UnicodeDecodeError as error:
        raise ContentError(path.name, "", f"not valid UTF-8 ({error.reason})") from None


def clause_anchor(ref: str) -> str:
    """'001 §7.2' -> 'c-001-s7-2'; '003 ¶4.2' -> 'c-003-p4-2'; '001 App A' -> 'c-001-app-a'.

    The id of a clause on the handbook's Sources page, shared by the hook and the aid's links.
    § and ¶ map to different letters so that a policy with both '§4' and '¶4' keeps two anchors.
    """
    policy, _, key = ref.partition(" ")
    key = key.replace("§", "s").replace("¶", "p").lower()
    key = re.sub(r"[^a-z0-9]+", "-", key).strip("-")
    return f"c-{policy}-{key}"


def check_cites(r: Reader, name: str, register: Register, required: bool = True) -> tuple[str, ...]:
    cites = r.strings(name, () if not required else ...)
    if required and not cites:
        r.fail(name, "must cite at least one source clause")
    for i, ref in enumerate(cites):
        if register.resolve(ref) is None:
            policy = CITATION.match(ref)
            why = "is not written '<policy> <clause>'" if not policy else "names no clause in clauses.toml"
            raise ContentError(r.file, f"{r.key(name)}[{i}]", f"citation {ref!r} {why}")
    return cites


# --- the clause register ------------------------------------------------------------------------


def load_register(content_dir: Path = CONTENT_DIR) -> Register:
    r = Reader("clauses.toml", read_toml(content_dir / "clauses.toml"))
    clauses: dict[str, Clause] = {}
    for policy, p in r.table("policies").items():
        if not re.fullmatch(r"\d{3}", policy):
            r.fail(f"policies.{policy}", "a policy id is three digits, as in the file name")
        file, office = p.text("file"), p.text("office")
        for key, title in p.table("clauses").data.items():
            if not isinstance(title, str) or not title.strip():
                p.fail(f"clauses.{key}", "expected a short title")
            clauses[f"{policy} {key}"] = Clause(policy, key, title, office, file)
    return Register(clauses)


# --- the flow -------------------------------------------------------------------------------------


def load_flow(content_dir: Path = CONTENT_DIR, conditions: Iterable[str] | None = None) -> Flow:
    """Read and validate the flow. `conditions` are the names transitions may use."""
    if conditions is None:
        from .rules import CONDITIONS

        conditions = CONDITIONS
    register = load_register(content_dir)
    flow_r = Reader("flow.toml", read_toml(content_dir / "flow.toml"))
    measures_r = Reader("measures.toml", read_toml(content_dir / "measures.toml"))
    lists_r = Reader("lists.toml", read_toml(content_dir / "lists.toml"))

    channels = {k: _label(flow_r, f"channels", k, v) for k, v in flow_r.table("channels").data.items()}
    handbook = {k: _label(flow_r, "handbook", k, v) for k, v in flow_r.table("handbook").data.items()}
    families = {
        fid: Family(fid, f.text("label"), f.text("summary"), check_cites(f, "cite", register), f.text("letter"), f.text("ask"))
        for fid, f in flow_r.table("families").items()
    }
    tiers = _read_tiers(measures_r)
    measures = _read_measures(measures_r, register, tiers, channels)
    lists = {
        name: _read_items(lists_r, name, register)
        for name in ("checklist", "notice", "safeguards", "actions")
    }
    nodes = _read_nodes(flow_r, register, families)
    start = flow_r.text("start")
    version = flow_r.text("version")
    flow = Flow(
        version=version,
        content_hash=content_hash(content_dir),
        start=start,
        nodes=nodes,
        families=families,
        tiers=tiers,
        measures=measures,
        checklist=lists["checklist"],
        notice=lists["notice"],
        safeguards=lists["safeguards"],
        actions=lists["actions"],
        channels=channels,
        handbook=handbook,
    )
    for nid, node in nodes.items():
        if node.stage not in handbook:
            flow_r.fail(f"nodes.{nid}.stage", f"stage {node.stage!r} has no handbook page in [handbook]")
    for tid in tiers:
        if tid not in handbook:
            flow_r.fail("handbook", f"tier {tid!r} has no handbook page")
    _check_graph(flow, set(conditions), flow_r)
    return flow


def _label(r: Reader, table: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        r.fail(f"{table}.{key}", "expected a label")
    return value


def _read_tiers(r: Reader) -> dict[str, Tier]:
    tiers: dict[str, Tier] = {}
    for i, t in enumerate(r.tables("tiers")):
        tier = Tier(t.ident("id"), t.text("label"), t.get("rank", int), t.flag("restricts"))
        if tier.id in tiers:
            t.fail("id", f"tier {tier.id!r} is declared twice")
        tiers[tier.id] = tier
    return tiers


def _read_measures(r: Reader, register: Register, tiers: dict[str, Tier], channels: dict[str, str]) -> dict[str, Measure]:
    measures: dict[str, Measure] = {}
    for m in r.tables("measures"):
        m.unknown({"id", "label", "rank", "tier", "authoriser", "reason", "cite", "channels", "removes", "matter", "letter"})
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
            channels=m.strings("channels", ()),
            removes=m.strings("removes", ()),
            matter=m.strings("matter", ()),
            letter=m.text("letter", ""),
        )
        if measure.tier not in tiers:
            m.fail("tier", f"no tier named {measure.tier!r}")
        if measure.authoriser not in ROLES:
            m.fail("authoriser", f"{measure.authoriser!r} is not one of {', '.join(ROLES)}")
        if tiers[measure.tier].restricts and not measure.letter.strip():
            m.fail("letter", "is missing: a restriction needs the sentence that tells the person about it")
        if measure.rank < 1:
            m.fail("rank", "must be 1 or more")
        for key in ("channels", "removes"):
            for value in getattr(measure, key):
                if value not in channels:
                    m.fail(key, f"{value!r} is not a channel in flow.toml")
        for value in measure.matter:
            if value not in MATTER_STATES:
                m.fail("matter", f"{value!r} is not one of {', '.join(MATTER_STATES)}")
        measures[mid] = measure
    return measures


def _read_items(r: Reader, name: str, register: Register) -> dict[str, Item]:
    items: dict[str, Item] = {}
    for t in r.tables(name):
        t.unknown({"id", "text", "cite"})
        item = Item(t.ident("id"), t.text("text"), check_cites(t, "cite", register))
        if item.id in items:
            t.fail("id", f"{item.id!r} is declared twice")
        items[item.id] = item
    return items


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


def _read_nodes(r: Reader, register: Register, families: dict[str, Family]) -> dict[str, Node]:
    nodes: dict[str, Node] = {}
    for nid, n in r.table("nodes").items():
        n.unknown({"stage", "kind", "question", "hint", "cite", "options", "fields", "options_from", "next"})
        if not ID.match(nid):
            n.fail("", f"{nid!r} is not a valid node id")
        kind = n.text("kind")
        if kind not in ("single", "multi", "details"):
            n.fail("kind", f"{kind!r} is not one of single, multi, details")
        options = tuple(_read_option(o, register, families, kind) for o in n.tables("options", []))
        fields = tuple(_read_field(f) for f in n.tables("fields", []))
        options_from = n.text("options_from", None)
        if options_from not in (None, *OPTION_SOURCES):
            n.fail("options_from", f"{options_from!r} is not one of {', '.join(OPTION_SOURCES)}")
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
            stage=n.text("stage"),
            kind=kind,
            question=n.text("question"),
            hint=n.text("hint", ""),
            cite=check_cites(n, "cite", register),
            options=options,
            fields=fields,
            options_from=options_from,
            next=_read_transitions(n),
        )
    return nodes


def _read_option(o: Reader, register: Register, families: dict[str, Family], kind: str) -> Option:
    o.unknown({"id", "label", "hint", "cite", "family", "exclusive", "next", "met", "remedy"})
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
    return Option(
        id=o.ident("id"),
        label=o.text("label"),
        hint=o.text("hint", ""),
        cite=check_cites(o, "cite", register),
        family=family,
        exclusive=exclusive,
        next=o.text("next", None),
        met=met,
        remedy=remedy,
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
    edges: dict[str, list[str]] = {}
    for nid, node in flow.nodes.items():
        targets = []
        for i, route in enumerate(node.next):
            key = f"nodes.{nid}.next" + (f"[{i}]" if len(node.next) > 1 else "")
            if route.to != RESULT and route.to not in flow.nodes:
                raise ContentError(r.file, key, f"goes to {route.to!r}, which is not a node")
            if route.when is not None and route.when not in conditions:
                raise ContentError(r.file, key, f"condition {route.when!r} is not one the engine knows ({', '.join(sorted(conditions))})")
            targets.append(route.to)
        for i, option in enumerate(node.options):
            if option.next is None:
                continue
            if node.kind == "multi" and not option.exclusive:
                raise ContentError(r.file, f"nodes.{nid}.options[{i}].next", "only a single-choice or an exclusive option may route on its own")
            if option.next != RESULT and option.next not in flow.nodes:
                raise ContentError(r.file, f"nodes.{nid}.options[{i}].next", f"goes to {option.next!r}, which is not a node")
            targets.append(option.next)
        edges[nid] = targets
    # Reachability from the start.
    seen, stack = {flow.start}, [flow.start]
    while stack:
        for target in edges.get(stack.pop(), []):
            if target != RESULT and target not in seen:
                seen.add(target)
                stack.append(target)
    for nid in flow.nodes:
        if nid not in seen:
            raise ContentError(r.file, f"nodes.{nid}", "cannot be reached from the start")
    # No cycles: depth-first search with colours.
    state: dict[str, int] = {}

    def visit(nid: str, trail: list[str]) -> None:
        state[nid] = 1
        for target in edges[nid]:
            if target == RESULT:
                continue
            if state.get(target) == 1:
                loop = " -> ".join(trail[trail.index(target):] + [nid, target]) if target in trail else f"{nid} -> {target}"
                raise ContentError(r.file, f"nodes.{nid}.next", f"makes a loop ({loop})")
            if target not in state:
                visit(target, trail + [nid])
        state[nid] = 2

    visit(flow.start, [])


def content_hash(content_dir: Path = CONTENT_DIR) -> str:
    """A short fingerprint of every content file, so a note can say exactly what produced it."""
    digest = hashlib.sha256()
    for path in sorted(content_dir.rglob("*.toml")):
        digest.update(path.relative_to(content_dir).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# --- office profiles ----------------------------------------------------------------------------


def load_profiles(flow: Flow | None = None, content_dir: Path = CONTENT_DIR) -> dict[str, Profile]:
    """Every office profile, generic first, validated against the flow and the register."""
    flow = flow or load_flow(content_dir)
    register = load_register(content_dir)
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


def _cited(r: Reader, name: str, register: Register) -> Cited:
    t = r.table(name)
    t.unknown({"text", "cite"})
    return Cited(t.text("text"), check_cites(t, "cite", register))


def _read_profile(path: Path, register: Register, flow: Flow, policies: set[str]) -> Profile:
    file = f"offices/{path.name}"
    r = Reader(file, read_toml(path))
    r.unknown({"id", "name", "short", "source", "person", "authorisers", "threats", "review", "dispute", "measures", "warnings", "contacts", "checklist", "notice"})
    pid = r.ident("id")
    if pid != path.stem:
        r.fail("id", f"{pid!r} does not match the file name {path.stem!r}")
    source = r.text("source")
    if source != "all" and source not in policies:
        r.fail("source", f"{source!r} is neither 'all' nor a policy in clauses.toml")
    auth_r = r.table("authorisers")
    auth_r.unknown(ROLES)
    authorisers = {}
    for role in ROLES:
        if not auth_r.has(role):
            auth_r.fail(role, "is missing: every profile names who acts for each kind of action")
        authorisers[role] = _cited(auth_r, role, register)
    threats_r = r.table("threats")
    threats_r.unknown({"always_reported", "cite"})
    review_r = r.table("review")
    review_r.unknown({"months", "text", "cite"})
    months = review_r.get("months", int)
    if months < 0 or months > 36:
        review_r.fail("months", "must be between 0 (no fixed interval) and 36")
    measures_r = r.table("measures")
    available = measures_r.strings("available")
    for i, mid in enumerate(available):
        if mid not in flow.measures:
            raise ContentError(file, f"measures.available[{i}]", f"no measure named {mid!r} in measures.toml")
    lists = {}
    for name, known in (("checklist", flow.checklist), ("notice", flow.notice)):
        t = r.table(name)
        ids = t.strings("items")
        for i, item in enumerate(ids):
            if item not in known:
                raise ContentError(file, f"{name}.items[{i}]", f"no {name} item named {item!r} in lists.toml")
        lists[name] = (ids, check_cites(t, "cite", register))
    warnings = tuple(WarningStage(w.text("text"), check_cites(w, "cite", register)) for w in r.table("warnings").tables("stages"))
    return Profile(
        id=pid,
        name=r.text("name"),
        short=r.text("short"),
        source=source,
        person=_cited(r, "person", register),
        authorisers=authorisers,
        threats_always_reported=threats_r.get("always_reported", bool),
        threats_cite=check_cites(threats_r, "cite", register),
        review_months=months,
        review=Cited(review_r.text("text"), check_cites(review_r, "cite", register)),
        dispute=_cited(r, "dispute", register),
        measures=available,
        measures_cite=check_cites(measures_r, "cite", register),
        warnings=warnings,
        contacts=tuple(Cited(c.text("text"), check_cites(c, "cite", register)) for c in r.tables("contacts")),
        checklist=lists["checklist"][0],
        checklist_cite=lists["checklist"][1],
        notice=lists["notice"][0],
        notice_cite=lists["notice"][1],
        file=file,
    )


def load_all(content_dir: Path = CONTENT_DIR) -> tuple[Flow, dict[str, Profile]]:
    flow = load_flow(content_dir)
    return flow, load_profiles(flow, content_dir)
