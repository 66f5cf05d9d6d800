"""The browser's compiled Python (build_scripts/sitebuild/bytecode.py) runs every path of
questions as CPython does.

The site ships only the standard-library modules that a build-time run in Pyodide imported, and
the engine as bytecode. A module imported on some other path would be missing in the browser,
and that path would fail there. So Pyodide is booted here with the very library and engine the
build makes and plays, through the bridge the page talks to, walks along every distinct path of
questions for every office (in each journey, channel and history) and every worked scenario in
tests/scenarios/, each answered question by question to its result with the record note, letters
and Word files. Each response must be the one CPython's bridge gives for the same requests, from
the sources.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from decision_aid.content import RESULT, load_content
from decision_aid.engine import route, validate

from test_paths import candidate_answers

REPO = Path(__file__).resolve().parents[1]
RUNNER = REPO / "tools" / "pyodide_run.mjs"
SCENARIOS = sorted((REPO / "tests" / "scenarios").glob("*.json"))
TIMEOUT_S = 900  # about a minute here; the margin is for slow, shared machines

# Run in both interpreters: each walk answered question by question to its result, every
# response reduced to one digest (the whole responses, HTML and documents with the Word files,
# sorted keys). The decision day is fixed so that a run across midnight compares like with like.
PLAY = """
import datetime as dt, hashlib, json
from decision_aid.engine import walk
from decision_aid.web import bridge
from decision_aid.web.session import form_values as form

def play(walks):
    out = []
    for office, answers in walks:
        bridge.create(office, "../")
        session = bridge._session
        session.today = dt.date(2026, 11, 27)
        digest = hashlib.sha256()
        # Question by question, as the page sends them (each step's view rendered), then the result.
        for node in walk(session.flow, session.profile, answers).path:
            request = {"type": "submit", "node": node, "values": form(answers[node])}
            response = json.loads(bridge.handle_json(json.dumps(request)))
            if response["view"] == "interrupt":
                response = json.loads(bridge.handle_json('{"type": "carry_on"}'))
            digest.update(json.dumps(response, sort_keys=True).encode())
        response = json.loads(bridge.handle_json('{"type": "result"}'))
        digest.update(json.dumps(response, sort_keys=True).encode())
        out.append([response["view"], len(response.get("documents") or []), digest.hexdigest()[:16]])
    return out
"""


# The answers that decide which later questions are asked; walks are kept one for each path of
# questions and KEPT_BY answers (about 75 an office: ample for imports, and quick in Pyodide).
CONTEXT = ("safety", "journey", "channel", "matter", "history", "new_information")
KEPT_BY = ("journey", "channel", "history")


def one_walk_per_path(flow, profile) -> list[dict]:
    """Depth first over the answers test_paths.py tries, but each step (path so far, question,
    next question, context answers so far) is taken once, so that every distinct sequence of
    questions is reached in about a second (test_paths.py's 71,000 walks take 45)."""
    walks: dict[tuple, dict] = {}
    taken: set[tuple] = set()

    def go(node_id: str, answers: dict, path: tuple[str, ...]) -> None:
        if node_id == RESULT:
            walks.setdefault((path, json.dumps([answers.get(k) for k in KEPT_BY])), answers)
            return
        for value in candidate_answers(flow, profile, answers, node_id):
            value = validate(flow, profile, answers, node_id, value)
            following = {**answers, node_id: value}
            after = route(flow, profile, following, node_id)
            step = (path, node_id, after, json.dumps({k: following.get(k) for k in CONTEXT}, sort_keys=True))
            if step not in taken:
                taken.add(step)
                go(after, following, path + (node_id,))

    go(flow.start, {}, ())
    return list(walks.values())


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> tuple[Path, Path]:
    """(the library zip, the engine's package directory), as the build makes them."""
    from sitebuild import aid_build, bytecode  # build_scripts/ is on pytest's pythonpath

    site = tmp_path_factory.mktemp("site")
    aid_build.package_decision_aid(site)
    (site / aid_build.AID_DIR / "pyodide").mkdir(parents=True)
    bytecode.compile_for_browser(site)
    unpacked = tmp_path_factory.mktemp("engine")
    with zipfile.ZipFile(site / aid_build.AID_DIR / aid_build.ZIP_NAME) as engine:
        engine.extractall(unpacked)
    return site / aid_build.AID_DIR / "pyodide" / bytecode.STDLIB, unpacked / "decision_aid"


@pytest.fixture(scope="module")
def library(compiled) -> Path:
    return compiled[0]


@pytest.fixture(scope="module")
def walks() -> list[tuple[str, dict]]:
    content = load_content()
    found = [(office, answers) for office, profile in sorted(content.profiles.items())
             for answers in one_walk_per_path(content.flow, profile)]
    for path in SCENARIOS:
        scenario = json.loads(path.read_text(encoding="utf-8"))
        found.append((scenario["office"], scenario["answers"]))
    return found


def test_the_library_is_bytecode_for_a_part_of_pyodides_own(library):
    with zipfile.ZipFile(library) as made, zipfile.ZipFile(REPO / "node_modules" / "pyodide" / "python_stdlib.zip") as stock:
        names, published = made.namelist(), {n for n in stock.namelist() if n.endswith(".py")}
    assert names and all(name.endswith(".pyc") for name in names)
    assert {name[:-1] for name in names} < published
    assert len(names) < len(published) / 2


def test_the_engine_is_shipped_as_bytecode_alone(compiled):
    package = compiled[1]
    assert (package / "engine.pyc").is_file() and not list(package.rglob("*.py"))
    assert (package / "content" / "flow.toml").is_file()


def test_every_path_runs_in_pyodide_on_the_compiled_library_and_engine_as_in_cpython(compiled, walks, tmp_path):
    library, package = compiled
    node = shutil.which("node")
    assert node, "node is not on PATH: this test needs Node 20 (make setup)"
    (tmp_path / "walks.json").write_text(json.dumps(walks), encoding="utf-8")
    code = PLAY + "print(json.dumps(play(json.load(open('walks.json')))))"
    run = subprocess.run([node, str(RUNNER), "--stdlib", str(library), "--package", str(package), "--file", f"{tmp_path / 'walks.json'}=walks.json",
                          "--eval", code], cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT_S)
    assert run.returncode == 0, run.stderr[-4000:]
    assert "ModuleNotFoundError" not in run.stderr and "Traceback" not in run.stderr, run.stderr[-4000:]
    in_pyodide = json.loads(run.stdout)

    namespace: dict = {}
    exec(PLAY, namespace)
    in_cpython = namespace["play"](json.loads(json.dumps(walks)))

    assert len(in_pyodide) == len(walks) > 100
    assert all(view == "result" and documents for view, documents, _ in in_cpython)
    different = [(walk, py, c) for walk, py, c in zip(walks, in_pyodide, in_cpython) if py != c]
    assert not different, f"{len(different)} walks differ, the first: {different[0]}"
