"""Shared fixtures: the real content, loaded once, and a builder for complete answer sets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from decision_aid.content import load_all, load_register

TODAY = dt.date(2026, 11, 27)

ALL_MET = {
    "cause_process": "yes",
    "cause_handling": "yes",
    "cause_communication": "yes",
    "cause_support": "yes",
    "cause_rationale": "yes",
    "cause_signposting": "yes",
    "cause_misunderstandings": "yes",
}


@pytest.fixture(scope="session")
def content():
    return load_all()


@pytest.fixture(scope="session")
def flow(content):
    return content[0]


@pytest.fixture(scope="session")
def profiles(content):
    return content[1]


@pytest.fixture(scope="session")
def generic(profiles):
    return profiles["generic"]


@pytest.fixture(scope="session")
def register():
    return load_register()


def case(**overrides: Any) -> dict[str, Any]:
    """A complete, valid answer set for a persistent caller after a warning; override any part."""
    answers: dict[str, Any] = {
        "safety": ["none"],
        "channel": "telephone",
        "matter": "concluded",
        "history": "after_warning",
        "new_information": "no",
        "behaviour": ["demanding_updates"],
        **ALL_MET,
        "needs": ["none_known"],
        "measures": ["limit_call_duration"],
        "checklist": ["none_yet"],
        "details": {"reference": "REF-1", "account": "Calls every day.", "date": "2026-11-27"},
    }
    answers.update(overrides)
    return {k: v for k, v in answers.items() if v is not None}
