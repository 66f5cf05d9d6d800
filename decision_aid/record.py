"""A case record: the JSON form of a record note, read back to carry a case forward.

Deciding puts something in place (a warning, a contact strategy) or leaves what was there. The
record says what, decided when and by whom, and when its review is due (`in_place`). Read back,
it answers the questions about what is in place on the next walk (a review, a breach, a dispute),
which staff still see and may correct. A record is read only by the aid that could have made it:
the same office and the same flow version. Anything else is refused with what to do instead,
never reinterpreted. Pure functions; the CLI and the browser session do the reading of files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from . import contract as c
from .model import CaseOutcome, Flow, Outcome, Profile
from .rules import parse_date

FORMAT = "opcc-case-record"  # the JSON's "format": what tells a record from any other JSON file
FORMAT_VERSION = 1
KINDS = (c.WARNING_IN_PLACE, c.STRATEGY_IN_PLACE)
MAX_CHARS = 2_000_000  # a record is a few kilobytes; anything this size is something else
START_AFRESH = "Start a new walk and type the dates from the record note instead."


class RecordError(ValueError):
    """A file that cannot carry a case forward; the message says why and what to do instead."""


@dataclass(frozen=True)
class Carried:
    """What a previous record put in place, ready to answer the next walk's questions about it."""

    made: str  # the record's decision date (ISO)
    reference: str
    kind: str  # warning or strategy
    decided: str  # ISO date
    decided_by: str
    review_due: str  # ISO date, or "" when none was set
    terms: str

    def answers(self) -> dict[str, Any]:
        """Answers for every question about what is in place; the walk uses those on its path."""
        details = {c.DECIDED: self.decided, c.DECIDED_BY: self.decided_by, c.REVIEW_DUE: self.review_due, c.TERMS: self.terms}
        return {c.BREACHED: self.kind, c.REVIEWED: self.kind, c.DISPUTED: self.kind, c.ARRANGEMENT: self.kind,
                c.ARRANGEMENT_DETAILS: details}


def in_place(outcome: Outcome | CaseOutcome) -> dict[str, str] | None:
    """What is in place once this decision is taken, for the record; None when nothing is."""
    o = outcome
    if isinstance(o, CaseOutcome):
        if o.in_place is None or o.in_place.id not in KINDS:
            return None
        if o.review_outcome is not None:  # a review decides afresh: lifted, or kept until the next review
            if o.review_outcome.id == c.LIFT:
                return None
            return _entry(o.in_place.id, o.decision_date, o.decider.text if o.decider else "", o.next_review, o.terms)
        return _entry(o.in_place.id, o.decided or "", o.decided_by, o.review_due, o.terms)
    if o.restricts:
        restricting = [m for m in o.measures if m.tier.restricts]
        return _entry(c.STRATEGY_IN_PLACE, o.decision_date, restricting[0].decided_by.text, o.review_date,
                      "; ".join(m.measure.label for m in restricting))
    if o.warning_letter:
        warning = next(m for m in o.measures if m.measure.id == c.WRITTEN_WARNING)
        return _entry(c.WARNING_IN_PLACE, o.decision_date, warning.decided_by.text, None, warning.measure.label)
    if o.arrangement and o.history.id in KINDS:  # a breach dealt with in contact: what was there stays
        a = o.arrangement
        return _entry(o.history.id, a.get(c.DECIDED, ""), a.get(c.DECIDED_BY, ""), a.get(c.REVIEW_DUE), a.get(c.TERMS, ""))
    return None


def _entry(kind: str, decided: str, decided_by: str, review_due: str | None, terms: str) -> dict[str, str]:
    return {"kind": kind, "decided": decided, "decided_by": decided_by, "review_due": review_due or "", "terms": terms}


def header(outcome: Outcome | CaseOutcome) -> dict[str, Any]:
    """The keys that make the note's JSON a case record (note.as_json puts them first)."""
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "in_place": in_place(outcome)}


def read_record(text: str, flow: Flow, profile: Profile, offices: dict[str, Profile] | None = None) -> Carried:
    """The record in `text`, checked against this aid and office; RecordError says what is wrong."""
    if len(text) > MAX_CHARS:
        raise RecordError(f"This file is too large to be a case record. Choose the .json file the aid saved with a "
                          f"record note. {START_AFRESH}")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        where = f" (line {error.lineno})" if isinstance(error, json.JSONDecodeError) else ""
        raise RecordError(f"This file is not a case record: it could not be read as JSON{where}. Choose the .json "
                          f"file the aid saved with a record note. {START_AFRESH}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RecordError("This file is not a case record made by this aid. Choose the .json file the aid saved with "
                          f"a record note. {START_AFRESH}")
    if data.get("format_version") != FORMAT_VERSION:
        raise RecordError(f"This record is in a form this aid does not read (version {_show(data.get('format_version'))}). "
                          f"{START_AFRESH}")
    office = data.get("office")
    if office != profile.id:
        name = offices[office].name if offices and isinstance(office, str) and office in offices else f"profile {_show(office)}"
        raise RecordError(f"This record was made for {name}, not for {profile.name}. Open the aid for that office to "
                          "carry it forward, or start a new walk here.")
    if data.get("flow_version") != flow.version:
        raise RecordError(f"This record was made with version {_show(data.get('flow_version'))} of the aid's questions; "
                          f"this is version {flow.version}, and its answers may not mean the same now. {START_AFRESH}")
    entry = data.get("in_place")
    if entry is None:
        raise RecordError("This record puts no warning or contact strategy in place, so there is nothing to carry "
                          "forward. Start a new walk.")
    if not isinstance(entry, dict):
        raise _damaged("in_place")
    kind = entry.get("kind")
    if kind not in KINDS:
        raise _damaged("in_place.kind")
    fields = {f.id: f for f in flow.nodes[c.ARRANGEMENT_DETAILS].fields}
    values: dict[str, str] = {}
    for key in (c.DECIDED, c.DECIDED_BY, c.REVIEW_DUE, c.TERMS):
        value = entry.get(key, "")
        if not isinstance(value, str) or len(value) > fields[key].max_length:
            raise _damaged(f"in_place.{key}")
        if fields[key].kind == "date" and (value or fields[key].required):
            try:
                parse_date(value)
            except ValueError:
                raise _damaged(f"in_place.{key}") from None
        values[key] = value
    made, reference = data.get("decision_date"), data.get("reference", "")
    if not isinstance(made, str) or not isinstance(reference, str):
        raise _damaged("decision_date" if not isinstance(made, str) else "reference")
    return Carried(made=made, reference=reference, kind=kind, **values)


def _damaged(key: str) -> RecordError:
    return RecordError(f"This record is damaged: its {key!r} is missing or not what the aid wrote. {START_AFRESH}")


def _show(value: object) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:40] + "…")
