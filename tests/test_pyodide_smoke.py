"""Smoke run of the package inside the real, pinned Pyodide runtime under Node.

The browser aid runs decision_aid in Pyodide, so CPython passing the other tests is not enough:
this boots node_modules/pyodide through tools/pyodide_run.mjs and checks that the package
behaves there exactly as it does here. A missing Node or Pyodide is a failure, not a skip, because
a skipped smoke test looks green in CI while the browser build goes unchecked.
"""

from __future__ import annotations

import ast
import difflib
import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RUNNER = REPO / "tools" / "pyodide_run.mjs"
PYODIDE_MJS = REPO / "node_modules" / "pyodide" / "pyodide.mjs"
ANSWERS = "examples/answers.json"
REPLAY_ARGS = ("replay", ANSWERS, "--office", "generic", "--format", "text")
# A boot takes a few seconds; the margin is for slow, shared CI machines.
TIMEOUT_S = 180


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH: the Pyodide smoke test needs Node 20", pytrace=False)
    if not PYODIDE_MJS.is_file():
        pytest.fail(
            f"{PYODIDE_MJS.relative_to(REPO)} is missing: run `npm ci` in {REPO} (or `make setup`)",
            pytrace=False,
        )
    return node


def _env() -> dict[str, str]:
    # Pyodide's stdio is always UTF-8; make CPython's match whatever the host locale is.
    return {**os.environ, "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8"}


# Cached per distinct command line, so each Pyodide boot happens once per session however many
# tests look at its result: three commands in this file, three boots. A pytest.fail raised before
# the run is not cached, so every dependent test reports the missing prerequisite itself.
@functools.cache
def _in_pyodide(*runner_args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [_node(), str(RUNNER), *runner_args],
        cwd=REPO,
        env=_env(),
        capture_output=True,
        timeout=TIMEOUT_S,
    )


@functools.cache
def _in_cpython(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "decision_aid", *args],
        cwd=REPO,
        env=_env(),
        capture_output=True,
        timeout=TIMEOUT_S,
    )


def _run_package_in_pyodide(
    *args: str, files: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[bytes]:
    # Relative on both sides: the runner starts in REPO, Pyodide in its own working directory.
    file_args = [arg for path in files for arg in ("--file", f"{path}={path}")]
    return _in_pyodide(*file_args, "--", *args)


def _describe(result: subprocess.CompletedProcess[bytes]) -> str:
    stderr = result.stderr.decode("utf-8", "replace")
    return f"exit code {result.returncode}; stderr:\n{stderr[-4000:]}"


def _assert_same_stdout(
    pyodide: subprocess.CompletedProcess[bytes], cpython: subprocess.CompletedProcess[bytes]
) -> None:
    assert cpython.returncode == 0, (
        f"CPython reference run failed, nothing to compare: {_describe(cpython)}"
    )
    assert pyodide.returncode == 0, f"Pyodide run failed: {_describe(pyodide)}"
    if pyodide.stdout != cpython.stdout:
        diff = difflib.unified_diff(
            cpython.stdout.decode("utf-8", "replace").splitlines(keepends=True),
            pyodide.stdout.decode("utf-8", "replace").splitlines(keepends=True),
            "CPython",
            "Pyodide",
        )
        pytest.fail("stdout differs between CPython and Pyodide:\n" + "".join(diff), pytrace=False)


def test_interpreter_inside_the_runner_is_pyodide_python_3_14() -> None:
    result = _in_pyodide("--eval", "import sys; (tuple(sys.version_info[:2]), sys.platform)")
    assert result.returncode == 0, _describe(result)
    version, platform = ast.literal_eval(result.stdout.decode())
    assert version == (3, 14)
    # Proves the code really ran in WebAssembly, not in some CPython the runner found.
    assert platform == "emscripten"


def test_check_exits_zero_in_pyodide() -> None:
    result = _run_package_in_pyodide("check")
    assert result.returncode == 0, _describe(result)


def test_check_prints_the_same_in_pyodide_as_in_cpython() -> None:
    _assert_same_stdout(_run_package_in_pyodide("check"), _in_cpython("check"))


def test_replay_of_the_example_answers_is_byte_identical_in_pyodide_and_cpython() -> None:
    assert (REPO / ANSWERS).is_file(), f"{ANSWERS} is missing"
    pyodide = _run_package_in_pyodide(*REPLAY_ARGS, files=(ANSWERS,))
    cpython = _in_cpython(*REPLAY_ARGS)
    assert cpython.stdout, "CPython's replay printed nothing, so the comparison would prove nothing"
    _assert_same_stdout(pyodide, cpython)


def test_a_review_carried_forward_from_a_record_is_byte_identical_in_pyodide_and_cpython(tmp_path) -> None:
    """A case record written by CPython is read back by the package in Pyodide, as in the browser."""
    made = _in_cpython("replay", ANSWERS, "--format", "json")
    assert made.returncode == 0, _describe(made)
    record = tmp_path / "record.json"
    record.write_bytes(made.stdout)
    args = ("replay", "examples/review.json", "--from", "record.json")
    pyodide = _in_pyodide("--file", f"{record}=record.json", "--file", "examples/review.json", "--", *args)
    cpython = subprocess.run([sys.executable, "-m", "decision_aid", "replay", "examples/review.json", "--from", str(record)],
                             cwd=REPO, env=_env(), capture_output=True, timeout=TIMEOUT_S)
    assert b"Decided on 2026-11-27" in cpython.stdout, _describe(cpython)
    _assert_same_stdout(pyodide, cpython)


DOCX_IN_PYODIDE = """
import base64, datetime as dt, json
from decision_aid.content import load_content
from decision_aid.engine import outcome
from decision_aid.note import documents
from decision_aid.office_files import docx_bytes
from decision_aid.web import views
c = load_content()
answers = json.load(open("examples/answers.json", encoding="utf-8"))["answers"]
o = outcome(c.flow, c.profiles["generic"], answers, dt.date(2026, 11, 27))
(base64.b64encode(docx_bytes(documents(o, c.flow)[0])).decode(), views.review_reminder(c.flow, o)[1])
"""


def test_the_word_file_and_the_reminder_made_in_pyodide_open_and_match_cpython() -> None:
    import base64
    import datetime as dt
    import io
    import json

    import docx
    import icalendar

    from decision_aid.content import load_content
    from decision_aid.engine import outcome
    from decision_aid.note import documents
    from decision_aid.office_files import docx_bytes
    from decision_aid.web import views

    result = _in_pyodide("--file", ANSWERS, "--eval", DOCX_IN_PYODIDE)
    assert result.returncode == 0, _describe(result)
    made, ics = ast.literal_eval(result.stdout.decode("utf-8"))
    data = base64.b64decode(made)
    assert docx.Document(io.BytesIO(data)).paragraphs[0].text == "Record note: managing contact"
    assert icalendar.Calendar.from_ical(ics).walk("VEVENT")[0].decoded("DTSTART") == dt.date(2027, 2, 27)
    c = load_content()
    answers = json.loads((REPO / ANSWERS).read_text(encoding="utf-8"))["answers"]
    here = outcome(c.flow, c.profiles["generic"], answers, dt.date(2026, 11, 27))
    assert data == docx_bytes(documents(here, c.flow)[0]) and ics == views.review_reminder(c.flow, here)[1]
