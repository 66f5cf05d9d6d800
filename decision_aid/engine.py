"""Walking the flow: which question comes next, whether an answer is valid, what a change discards.

State is nothing but the answers dict; every function here is pure, so the browser, the terminal
and the tests all drive the same walk.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from .graph import RESULT
from .contract import BEHAVIOUR_JOURNEYS, JOURNEY
from .journeys import decide_case
from .model import CaseOutcome, Flow, Node, Outcome, Profile
from .rules import CONDITIONS, Answers, decide, options_for, read_date


class AnswerError(ValueError):
    """An answer that the question cannot take; the message is fit to show the user."""

    def __init__(self, node: str, message: str, field: str | None = None):
        self.node, self.field, self.message = node, field, message
        super().__init__(f"{node}{'.' + field if field else ''}: {message}")


@dataclass(frozen=True)
class Walk:
    path: tuple[str, ...]  # the questions answered, in order
    current: str | None  # the next question to answer; None when the walk is complete
    answers: Answers  # only the answers on the path, validated
    dropped: tuple[str, ...]  # answers given that are off the path or no longer valid

    @property
    def complete(self) -> bool:
        return self.current is None


def validate(flow: Flow, profile: Profile, answers: Answers, node_id: str, value: Any) -> Any:
    """Return the answer in canonical form, or raise AnswerError saying what is wrong."""
    node = flow.nodes.get(node_id)
    if node is None:
        raise AnswerError(node_id, "there is no such question")
    if node.kind == "details":
        return _validate_details(node, value)
    options = options_for(flow, profile, answers, node_id)
    ids = [o.id for o in options]
    if node.options_from == "checklist":
        # The ticks are facts about the case, not about the office: an item another office's
        # policy asks for is accepted and simply not required here (so answers replay anywhere).
        ids += [i for i in flow.checklist if i not in ids]
    if node.kind == "single":
        if not isinstance(value, str) or not value:
            raise AnswerError(node_id, f"Select one answer to “{node.question}”")
        if value not in ids:
            raise AnswerError(node_id, f"{_show(value)} is not one of the options here ({', '.join(ids)})")
        return value
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AnswerError(node_id, "give a list of option ids")
    if not value:
        raise AnswerError(node_id, f"Select at least one answer to “{node.question}”")
    for v in value:
        if v not in ids:
            raise AnswerError(node_id, f"{_show(v)} is not one of the options here ({', '.join(ids)})")
    exclusive = [o.id for o in options if o.exclusive and o.id in value]
    if exclusive and len(set(value)) > 1:
        label = next(o.label for o in options if o.id == exclusive[0])
        raise AnswerError(node_id, f"{label!r} cannot be combined with other options")
    return [i for i in ids if i in value]  # canonical: option order, no repeats


def _validate_details(node: Node, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise AnswerError(node.id, "give the details as a set of named fields")
    known = {f.id for f in node.fields}
    for key in value:
        if key not in known:
            raise AnswerError(node.id, f"{_show(str(key))} is not a field here ({', '.join(sorted(known))})")
    clean: dict[str, str] = {}
    for field in node.fields:
        raw = value.get(field.id, "")
        if raw is None:
            raw = ""
        if not isinstance(raw, str):
            raise AnswerError(node.id, f"{field.label} must be text", field.id)
        text = raw.replace("\r\n", "\n").strip()
        bad = next((c for c in text if unicodedata.category(c) == "Cc" and c not in "\n\t"), None)
        if bad is not None:
            raise AnswerError(node.id, f"{field.label} contains a control character (U+{ord(bad):04X}); remove it", field.id)
        if field.required and not text:
            raise AnswerError(node.id, f"Enter {field.label.lower()}", field.id)
        if len(text) > field.max_length:
            raise AnswerError(node.id, f"{field.label} must be {field.max_length} characters or fewer (it has {len(text)})", field.id)
        if field.kind == "date" and text:
            try:
                text = read_date(text).isoformat()  # kept as YYYY-MM-DD, whatever form was typed
            except ValueError as error:
                raise AnswerError(node.id, f"{field.label}: {error}", field.id) from None
        clean[field.id] = text
    return clean


def _show(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "…")


def route(flow: Flow, profile: Profile, answers: Answers, node_id: str) -> str:
    """Where the walk goes after `node_id`, given the answers so far (which include it)."""
    node = flow.nodes[node_id]
    picked = answers[node_id]
    if node.kind in ("single", "multi"):
        for option in node.options:
            if option.next and (picked == option.id or (isinstance(picked, list) and picked == [option.id])):
                return option.next
    for transition in node.next:
        if transition.when is None or CONDITIONS[transition.when](flow, profile, answers):
            return transition.to
    raise AssertionError(f"{node_id}: no route (the loader guarantees a default)")


def walk(flow: Flow, profile: Profile, answers: Answers, strict: bool = False) -> Walk:
    """Follow the declared routes through the given answers.

    With `strict`, an invalid answer raises AnswerError (scripts, replay files); otherwise it is
    dropped and the walk stops at that question so the user can answer it again (the browser,
    where a Change upstream can make a later answer invalid).
    """
    kept: Answers = {}
    path: list[str] = []
    node_id: str | None = flow.start
    while node_id != RESULT:
        if node_id not in answers:
            break
        try:
            kept[node_id] = validate(flow, profile, kept, node_id, answers[node_id])
        except AnswerError:
            if strict:
                raise
            break
        path.append(node_id)
        node_id = route(flow, profile, kept, node_id)
    current = None if node_id == RESULT else node_id
    dropped = tuple(n for n in answers if n not in kept)
    if strict and current is None and dropped:
        raise AnswerError(dropped[0], "this answer is not on the path the other answers take; remove it")
    return Walk(tuple(path), current, kept, dropped)


def answer(flow: Flow, profile: Profile, answers: Answers, node_id: str, value: Any) -> tuple[Walk, tuple[str, ...]]:
    """Record one answer; return the new walk and the later answers the change discarded."""
    before = walk(flow, profile, answers)
    if node_id not in before.path and node_id != before.current:
        raise AnswerError(node_id, "this question is not on the current path")
    prefix = {n: before.answers[n] for n in before.path[: before.path.index(node_id)]} if node_id in before.path else dict(before.answers)
    value = validate(flow, profile, prefix, node_id, value)
    updated = {**before.answers, node_id: value}
    after = walk(flow, profile, updated)
    discarded = tuple(n for n in before.answers if n not in after.answers)
    return Walk(after.path, after.current, after.answers, discarded), discarded


def would_discard(flow: Flow, profile: Profile, answers: Answers, node_id: str, value: Any) -> tuple[str, ...]:
    """Which later answers a change would throw away, so the user can be warned first."""
    _, discarded = answer(flow, profile, answers, node_id, value)
    return discarded


def outcome(flow: Flow, profile: Profile, answers: Answers, today: dt.date | None = None) -> Outcome | CaseOutcome:
    """Decide a complete walk; raises AnswerError naming the first unanswered question. A
    behaviour (an incident or a breach) gets an Outcome; every other journey a CaseOutcome."""
    w = walk(flow, profile, answers, strict=True)
    if not w.complete:
        raise AnswerError(w.current, "this question has no answer yet")
    if w.answers[JOURNEY] in BEHAVIOUR_JOURNEYS:
        return decide(flow, profile, w.answers, today)
    return decide_case(flow, profile, w.answers, today)
