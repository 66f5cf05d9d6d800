"""Robustness: random and hostile input never crashes the engine, the browser session or the loader.

Invalid input must be refused with a clear message (AnswerError, ContentError, an error view);
anything else escaping is a bug.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st

from decision_aid import web
from decision_aid.content import CONTENT_DIR, ContentError, load_all
from decision_aid.engine import AnswerError, answer, outcome, walk
from decision_aid.note import render

from conftest import TODAY

TEXT = st.text(max_size=300) | st.text(st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=20) | st.just("x" * 5000)
JUNK: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=8,
)


def plausible_value(flow, node_id: str) -> st.SearchStrategy[Any]:
    """Valid-looking answers (real ids, in any combination) mixed with junk."""
    node = flow.nodes.get(node_id)
    ids = [o.id for o in node.options] + list(flow.measures) + list(flow.checklist) if node else ["x"]
    details = st.fixed_dictionaries({"reference": TEXT, "account": TEXT, "date": st.sampled_from(["", "2026-11-27", "2026-02-30", "27/11/2026", "９９９９-01-01"]) | TEXT})
    return st.one_of(st.sampled_from(ids), st.lists(st.sampled_from(ids), max_size=5), details, JUNK)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_answer_sequences_never_crash_and_complete_walks_give_a_valid_note(flow, profiles, register, data):
    profile = data.draw(st.sampled_from(sorted(profiles.values(), key=lambda p: p.id)))
    answers: dict[str, Any] = {}
    for _ in range(data.draw(st.integers(1, 40))):
        state = walk(flow, profile, answers)
        # Mostly the current question, sometimes one answered before, sometimes nonsense.
        choices = [state.current] if state.current else []
        choices += list(state.path) + ["nowhere", "details", "measures"]
        node_id = data.draw(st.sampled_from(choices))
        value = data.draw(plausible_value(flow, node_id))
        try:
            state, _ = answer(flow, profile, answers, node_id, value)
            answers = state.answers
        except AnswerError as error:
            assert error.message and isinstance(error.message, str)
        if walk(flow, profile, answers).complete:
            result = outcome(flow, profile, answers, today=TODAY)
            for fmt in ("text", "markdown", "json"):
                assert render(result, flow, fmt).strip()
            break


REQUEST_TYPES = ["start", "submit", "back", "change", "confirm", "cancel", "summary", "result", "restart", "fly", None, 3]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_requests_to_the_browser_session_always_answer_with_a_view(flow, data):
    session = web.new_session("generic", "../", today=TODAY)
    for _ in range(data.draw(st.integers(1, 30))):
        node = data.draw(st.sampled_from(list(flow.nodes) + ["nowhere"]))
        request = {
            "type": data.draw(st.sampled_from(REQUEST_TYPES)),
            "node": node,
            "mode": data.draw(st.sampled_from(["normal", "change", "x"])),
            "values": data.draw(st.dictionaries(st.sampled_from(["answer", "reference", "account", "date", "zz"]), st.lists(TEXT | st.sampled_from([o.id for o in flow.nodes.get(node, flow.nodes["safety"]).options] or ["x"]), max_size=3), max_size=3) | JUNK),
        }
        response = session.handle(request)
        assert response["view"] in ("step", "interrupt", "summary", "confirm", "result", "error")
        assert response["html"] and response["focus"]


# --- the content validator under mutation -------------------------------------------------------

TOKENS = ['"x"', "1", "-5", "true", "[]", "{}", '["001 §99"]', '"result"', '"safety"', "[[", "=", '"""', "#"]


@st.composite
def mutations(draw):
    files = sorted(p.relative_to(CONTENT_DIR).as_posix() for p in CONTENT_DIR.rglob("*.toml"))
    name = draw(st.sampled_from(files))
    lines = (CONTENT_DIR / name).read_text(encoding="utf-8").split("\n")
    i = draw(st.integers(0, len(lines) - 1))
    kind = draw(st.sampled_from(["delete", "duplicate", "replace_value", "insert_token", "truncate", "swap"]))
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "replace_value" and "=" in lines[i]:
        key = lines[i].split("=", 1)[0]
        lines[i] = f"{key}= {draw(st.sampled_from(TOKENS))}"
    elif kind == "insert_token":
        lines.insert(i, draw(st.sampled_from(TOKENS)))
    elif kind == "truncate":
        lines = lines[:i]
    else:
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    return name, "\n".join(lines)


def test_mutated_content_files_fail_with_a_named_error_never_a_traceback():
    work = Path(tempfile.mkdtemp()) / "content"
    shutil.copytree(CONTENT_DIR, work)
    failures: list[str] = []

    @settings(max_examples=250, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
    @given(mutations())
    def check(mutation):
        name, text = mutation
        original = (work / name).read_text(encoding="utf-8")
        (work / name).write_text(text, encoding="utf-8")
        try:
            load_all(work)
        except ContentError as error:
            assert error.file and error.problem, error
        finally:
            (work / name).write_text(original, encoding="utf-8")

    try:
        check()
    finally:
        shutil.rmtree(work.parent, ignore_errors=True)
