"""The terminal front end: every command, its help, and one-line errors with exit code 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from decision_aid.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "answers.json"


def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
    done = subprocess.run([sys.executable, "-m", "decision_aid", *args], input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=60)
    return done.returncode, done.stdout, done.stderr


def test_check_exits_zero_and_summarises_what_it_checked():
    code, out, err = run("check")
    assert code == 0 and out.startswith("OK: flow ") and "6 office profiles" in out and not err


@pytest.mark.parametrize("office", ["generic", "office_000", "warwickshire", "cumbria", "west_midlands", "humberside"])
def test_replay_of_the_example_prints_a_complete_note_for_every_office(office, capsys):
    assert main(["replay", str(EXAMPLE), "--office", office]) == 0
    out = capsys.readouterr().out
    for heading in ("Case", "Recommended measures", "Authorisation", "Review", "Policy references", "Produced by"):
        assert f"\n{heading}\n" in out
    assert "DRAFT CONTACT STRATEGY NOTICE" in out


def test_replay_formats_markdown_and_json(capsys):
    assert main(["replay", str(EXAMPLE), "--format", "markdown"]) == 0
    assert capsys.readouterr().out.startswith("# Record note: managing contact\n")
    assert main(["replay", str(EXAMPLE), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["office"] == "generic"


def test_flow_json_lists_every_node_with_options_routes_and_citations():
    code, out, _ = run("flow", "--json")
    data = json.loads(out)
    assert code == 0 and data["start"] == "safety"
    assert data["nodes"]["cause_misunderstandings"]["next"][0] == {"to": "details", "when": "nothing_unacceptable"}
    assert all(node["cite"] or node["practice"] for node in data["nodes"].values())
    assert [i["id"] for i in data["handling"]["information_request"]][:2] == ["own_law", "pass_on"]
    assert data["measures"]["bar_premises"]["removes"] == ["in_person"]


def test_offices_lists_one_profile_a_line(capsys):
    assert main(["offices"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["generic", "cumbria", "humberside", "office_000", "warwickshire", "west_midlands"]


@pytest.mark.parametrize("args", [[], ["replay"], ["check"], ["flow"], ["offices"]])
def test_every_command_has_help(args, capsys):
    assert main([*args, "--help"]) == 0
    assert "usage:" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    (["replay"], "the following arguments are required: answers"),
    (["replay", "missing.json"], "missing.json: no such file"),
    (["--office", "atlantis", "replay", str(EXAMPLE)], None),
    (["replay", str(EXAMPLE), "--office", "atlantis"], "no office called 'atlantis'"),
    (["replay", str(EXAMPLE), "--format", "pdf"], "invalid choice: 'pdf'"),
    (["flow"], "the following arguments are required: --json"),
])
def test_bad_arguments_give_one_line_and_exit_2(args, message, capsys):
    code = main(args)
    err = capsys.readouterr().err
    if message is None:  # a global --office is only used by the interactive walk; replay uses the file's
        assert code == 0
        return
    assert code == 2 and err.count("\n") == 1 and message in err


@pytest.mark.parametrize("content, message", [
    ("{not json", "not valid JSON"),
    ('{"answers": []}', "expected an object with an 'answers' object inside"),
    ('{"answers": {"safety": ["none"]}}', "answers.journey: this question has no answer yet"),
    ('{"answers": {"safety": ["lion"]}}', "answers.safety: 'lion' is not one of the options here"),
    ('{"office": 3, "answers": {}}', "'office' must be a profile name"),
])
def test_bad_answer_files_give_one_line_and_exit_2(tmp_path, capsys, content, message):
    path = tmp_path / "answers.json"
    path.write_text(content, encoding="utf-8")
    assert main(["replay", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_the_interactive_walk_reaches_a_note_from_typed_answers():
    typed = "\n".join([
        "6",  # safety: none of these
        "2",  # it breaks a warning or strategy already in place
        "1",  # a warning
        "2026-10-01", "", "", "",  # decided on; by, review due and terms left empty
        "1",  # telephone
        "2",  # concluded
        "2",  # no new information
        "17",  # chasing for updates
        *["1"] * 7,  # every underlying cause met
        "5",  # needs: none known
        "b",  # back to needs, then answer it again
        "5",
        "1",  # the first offered measure
        "REF-9", "Rang six times today.", "2026-11-27",
    ]) + "\n"
    code, out, err = run(stdin=typed)
    assert code == 0, err
    assert "[Safety first] Has anyone been hurt or put at risk?" in out
    assert "Rang six times today." in out and "Reference: REF-9" in out


def test_the_interactive_walk_explains_a_bad_entry_and_asks_again():
    code, out, _ = run(stdin="9\nq\n")
    assert code == 1 and "Type one or more numbers from 1 to 6." in out and "Stopped: nothing was recorded." in out


def test_the_interactive_walk_stops_cleanly_at_end_of_input():
    code, out, _ = run("--office", "cumbria", stdin="")
    assert code == 1 and "Cumbria" in out and "nothing was recorded" in out
