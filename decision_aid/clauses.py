"""The clause register (clauses.toml): every policy clause the content and the handbook may cite."""

from __future__ import annotations

import re
from pathlib import Path

from .model import Clause, Register
from .reading import ContentError, Reader, read_toml

CONTENT_DIR = Path(__file__).parent / "content"
CITATION = re.compile(r"^(\d{3}) (.+)$")


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


def load_register(content_dir: Path = CONTENT_DIR) -> Register:
    r = Reader("clauses.toml", read_toml(content_dir / "clauses.toml"))
    clauses: dict[str, Clause] = {}
    for policy, p in r.table("policies").items():
        if not re.fullmatch(r"\d{3}", policy):
            r.fail(f"policies.{policy}", "a policy id is three digits, as in the file name")
        file, office, short = p.text("file"), p.text("office"), p.text("short")
        for key, title in p.table("clauses").data.items():
            if not isinstance(title, str) or not title.strip():
                p.fail(f"clauses.{key}", "expected a short title")
            clauses[f"{policy} {key}"] = Clause(policy, key, title, office, file, short)
    return Register(clauses)
