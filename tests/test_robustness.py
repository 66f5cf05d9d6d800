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


# --- hostile input, surface by surface (issue 13): a clear message, never a traceback -------------

import io
import json
import os
import signal
import subprocess
import sys

import pytest

from decision_aid import cli
from decision_aid.rules import read_date

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = json.loads((ROOT / "examples" / "answers.json").read_text(encoding="utf-8"))


def example_with(**details: str) -> str:
    data = json.loads(json.dumps(EXAMPLE))
    data["answers"]["details"].update(details)
    return json.dumps(data)


HOSTILE_ANSWER_FILES = {
    "nested 200,000 deep": '{"answers": ' + "[" * 200_000 + "]" * 200_000 + "}",
    "a 5000-digit number": '{"answers": {"safety": ' + "9" * 5000 + "}}",
    "a lone surrogate as an answer": '{"answers": {"safety": ["\\ud800"]}}',
    "not an object": "[1, 2, 3]",
    "NaN": '{"answers": NaN}',
    "empty": "",
    "a review date in year 9999": example_with(date="9999-01-01"),
    "a date in year 0001": example_with(date="0001-01-01"),
    "a date in 1999": example_with(date="31/12/1999"),
}


@pytest.mark.parametrize("text", HOSTILE_ANSWER_FILES.values(), ids=HOSTILE_ANSWER_FILES.keys())
def test_a_hostile_answers_file_gets_one_line_and_exit_2(tmp_path, capsys, text):
    path = tmp_path / "answers.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    assert cli.main(["replay", str(path)], stdout=io.StringIO()) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1, err[:500]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_as_an_answers_file_give_a_result_or_one_line(tmp_path, capsys, raw):
    path = tmp_path / "answers.json"
    path.write_bytes(raw)
    code = cli.main(["replay", str(path)], stdout=io.StringIO())
    err = capsys.readouterr().err
    assert code in (0, 2) and (code == 0 or (err.startswith("error: ") and err.count("\n") == 1)), err[:300]


@pytest.mark.parametrize("text, year", [("9999-01-01", 9999), ("01/01/0001", 1), ("31 December 1999", 1999), ("1/1/2101", 2101)])
def test_a_date_outside_2000_to_2100_is_refused_saying_so(text, year):
    with pytest.raises(ValueError, match=f"between 2000 and 2100 \\(this one is in {year}\\)"):
        read_date(text)


def test_the_dates_at_the_edges_of_the_window_are_accepted():
    assert str(read_date("1 January 2000")) == "2000-01-01" and str(read_date("31/12/2100")) == "2100-12-31"


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(st.sampled_from(["1", "2", "1,2", "b", "", "9" * 5000, "²", "\ud800", "\x00\x1b[2J", "0", "-1", "1,,3", "x" * 3000,
                                       "27/11/2026", "9999-01-01"]) | st.text(max_size=40), max_size=60))
def test_any_typed_lines_in_the_interactive_walk_end_cleanly(lines):
    out = io.StringIO()
    code = cli.main([], stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out)
    assert code in (0, 1)


def _interactive(env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "decision_aid"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, **(env or {})})


def test_ctrl_c_in_the_interactive_walk_stops_with_one_line():
    proc = _interactive()
    first = proc.stdout.readline()  # the walk has started and waits for an answer
    while b"Your answer" not in first:
        first = proc.stdout.readline()
        assert first, "the walk ended before asking anything"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.decode().strip() == "Stopped: nothing was recorded.", err.decode()[-500:]


def test_a_terminal_that_is_not_utf8_gets_the_note_without_a_traceback():
    result = subprocess.run([sys.executable, "-m", "decision_aid", "replay", "examples/answers.json"], cwd=ROOT,
                            capture_output=True, env={**os.environ, "PYTHONIOENCODING": "latin-1"}, timeout=120)
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    assert b"RECORD NOTE" in result.stdout


def test_a_lone_surrogate_in_the_account_is_printed_without_a_traceback(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text(example_with(account="before \ud800 after"), encoding="utf-8", errors="surrogatepass")
    result = subprocess.run([sys.executable, "-m", "decision_aid", "replay", str(path)], cwd=ROOT, capture_output=True, timeout=120)
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    assert b"before ? after" in result.stdout


@settings(max_examples=200, deadline=None)
@given(raw=st.text(max_size=300) | st.sampled_from(["[" * 50_000 + "]" * 50_000, '{"type": "submit", "values": ' + "9" * 5000 + "}",
                                                     '{"type": "start", "answers": {"safety": ["\\ud800"]}}', "null", "{}"]))
def test_any_message_to_the_worker_gets_a_view_back(raw):
    response = json.loads(web.handle_json(raw))
    assert isinstance(response, dict) and response.get("view") and isinstance(response.get("html"), str)


def _content_copy(tmp_path: Path) -> Path:
    work = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, work)
    return work


def test_a_content_file_nested_too_deeply_is_named(tmp_path):
    work = _content_copy(tmp_path)
    (work / "lists.toml").write_text("deep = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_all(work)
    assert caught.value.file == "lists.toml" and "too deeply" in caught.value.problem


def test_a_folder_where_a_content_file_should_be_is_named(tmp_path):
    work = _content_copy(tmp_path)
    (work / "rules.toml").unlink()
    (work / "rules.toml").mkdir()
    with pytest.raises(ContentError) as caught:
        load_all(work)
    assert caught.value.file == "rules.toml" and "cannot be read" in caught.value.problem


def test_a_chain_of_1500_questions_loads_without_exhausting_the_stack(tmp_path):
    work = _content_copy(tmp_path)
    flow = (work / "flow.toml").read_text(encoding="utf-8")
    assert 'next = "behaviour"' in flow.split("[nodes.new_information]")[1].split("[[nodes.new_information.options]]")[0]
    chain = "".join(
        f'\n[nodes.filler_{i}]\nstage = "context"\nkind = "single"\nquestion = "Filler {i}?"\npractice = "a test"\n'
        f'next = "{f"filler_{i + 1}" if i < 1499 else "behaviour"}"\n\n[[nodes.filler_{i}.options]]\nid = "ok"\nlabel = "OK"\npractice = "a test"\n'
        for i in range(1500))
    head, tail = flow.split("[nodes.new_information]", 1)
    tail = tail.replace('next = "behaviour"', 'next = "filler_0"', 1)
    (work / "flow.toml").write_text(head + "[nodes.new_information]" + tail + chain, encoding="utf-8")
    flow_, _ = load_all(work)
    assert len(flow_.nodes) > 1500
