"""Shared fixtures: the real content, loaded once, and a builder for complete answer sets."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
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


BUILD_TESTS = {"test_handbook_build.py", "test_induction_build.py", "test_aid_build.py", "test_load.py"}


def pytest_collection_modifyitems(items):
    """Mark each test by what it needs, so that `make test-fast` can leave out the slow kinds."""
    for item in items:
        path = Path(str(item.fspath))
        if "e2e" in path.parts:
            item.add_marker(pytest.mark.browser)
        elif path.name in BUILD_TESTS:
            item.add_marker(pytest.mark.build)
        elif path.name in ("test_pyodide_smoke.py", "test_pyodide_bytecode.py"):
            item.add_marker(pytest.mark.pyodide)


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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The handbook built once per test session for the default (generic) office, never into
    site/; shared by the aid-build, induction and browser tests. A warning fails the build."""
    out = tmp_path_factory.mktemp("built") / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("OFFICE", None)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=Path(__file__).resolve().parent.parent, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0 and (out / "index.html").is_file(), (
        f"the handbook did not build (exit {result.returncode}):\n{result.stderr[-4000:]}"
    )
    assert "WARNING" not in result.stderr, result.stderr
    return out


def case(**overrides: Any) -> dict[str, Any]:
    """A complete, valid answer set for a persistent caller who breaks a warning; override any
    part. Giving `history` makes it an incident instead (nothing in place to break)."""
    answers: dict[str, Any] = {
        "safety": ["none"],
        "journey": "breach",
        "breached": "warning",
        "arrangement_details": {"decided": "2026-09-01"},
        "channel": "telephone",
        "matter": "concluded",
        "history": None,  # in walk order, for an incident
        "new_information": "no",
        "behaviour": ["demanding_updates"],
        **ALL_MET,
        "needs": ["none_known"],
        "measures": ["limit_call_duration"],
        "checklist": ["none_yet"],
        "details": {"reference": "REF-1", "account": "Calls every day.", "date": "2026-11-27"},
    }
    if "history" in overrides:
        answers.update(journey="incident", breached=None, arrangement_details=None)
    answers.update(overrides)
    return {k: v for k, v in answers.items() if v is not None}
