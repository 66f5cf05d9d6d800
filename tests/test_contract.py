"""The contract between code and content (decision_aid/contract.py), checked both ways on load.

Each declared entry gets a broken copy of the content that breaks just that entry, and the
check must refuse it with one ContentError naming the file, the key and what the code expects.
The three experiments that once passed `check` and broke the aid silently come first.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from decision_aid import contract, web
from decision_aid.cli import main
from decision_aid.content import CONTENT_DIR, ContentError, load_content

from conftest import TODAY, case

CONTENT = load_content()
FLOW = CONTENT.flow


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def read(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def replace(folder: Path, name: str, old: str, new: str) -> None:
    text = read(folder, name)
    assert old in text, f"test fixture out of date: {old!r} not in {name}"
    write(folder, name, text.replace(old, new, 1))


def refused(folder: Path) -> ContentError:
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    return caught.value


def rename_node(folder: Path, old: str, new: str) -> None:
    """Rename a question everywhere flow.toml names it: its tables and every route to it."""
    text = read(folder, "flow.toml")
    text = re.sub(rf"^\[(\[?)nodes\.{old}([\].])", rf"[\g<1>nodes.{new}\g<2>", text, flags=re.M)
    text = re.sub(rf'\b(to|next) = "{old}"', rf'\1 = "{new}"', text)
    write(folder, "flow.toml", text)


def option_blocks(text: str, node: str) -> list[re.Match]:
    return list(re.finditer(rf"^\[\[nodes\.{node}\.options\]\]\n(?:(?!^\[).*\n?)*", text, flags=re.M))


def drop_option(folder: Path, node: str, option: str) -> None:
    text = read(folder, "flow.toml")
    block = next(b for b in option_blocks(text, node) if f'id = "{option}"\n' in b.group(0))
    write(folder, "flow.toml", text[: block.start()] + text[block.end():])


def add_option(folder: Path, node: str, body: str) -> None:
    text = read(folder, "flow.toml")
    last = option_blocks(text, node)[-1]
    block = f"[[nodes.{node}.options]]\n{body.strip()}\n\n"
    write(folder, "flow.toml", text[: last.end()] + ("\n" if not last.group(0).endswith("\n\n") else "") + block + text[last.end():])


def drop_entry(folder: Path, name: str, table: str, entry_id: str) -> None:
    """Remove the [[table]] entry with this id from a list of tables (measures, actions, ...)."""
    text = read(folder, name)
    pattern = rf'^\[\[{table}\]\]\nid = "{entry_id}"\n(?:(?!^\[).*\n?)*'
    text, count = re.subn(pattern, "", text, count=1, flags=re.M)
    assert count == 1, f"no [[{table}]] {entry_id!r} in {name}"
    write(folder, name, text)


def drop_table(folder: Path, name: str, header: str) -> None:
    """Remove the table `[header]`, its keys, and any sub-table of it (`[header.advice]`)."""
    text, count = re.subn(rf"^\[{re.escape(header)}(\.[a-z_]+)*\]\n(?:(?!^\[).*\n)*", "", read(folder, name), flags=re.M)
    assert count >= 1, f"no [{header}] in {name}"
    write(folder, name, text)


def drop_key(folder: Path, name: str, dotted: str) -> None:
    """Remove `leaf = ...` (one line, or a list over several lines) from the table `[head]`."""
    head, _, leaf = dotted.rpartition(".")
    text = read(folder, name)
    section = re.search(rf"^\[{re.escape(head)}\]\n(?:(?!^\[).*\n?)*", text, flags=re.M)
    assert section, f"no [{head}] in {name}"
    body = section.group(0)
    line = re.search(rf"^{re.escape(leaf)} = (\[\n(?:.*\n)*?\]\n|.*\n)", body, flags=re.M)
    assert line, f"no {leaf} in [{head}] of {name}"
    body = body[: line.start()] + body[line.end():]
    write(folder, name, text[: section.start()] + body + text[section.end():])


def text_value(dotted: str):
    return FLOW.texts[dotted]


# --- the three experiments ----------------------------------------------------------------------


def test_renaming_the_needs_question_is_refused_naming_what_the_code_reads_from_it(copy):
    rename_node(copy, "needs", "person_needs")
    error = refused(copy)
    assert (error.file, error.key) == ("flow.toml", "nodes.needs")
    assert "is missing: the code reads this question" in error.problem and "needs" in error.problem


def test_a_history_option_the_ceiling_rules_do_not_cover_is_refused(copy):
    add_option(copy, "history", 'id = "in_between"\nlabel = "Somewhere in between"\ncite = ["001 §3.1"]')
    error = refused(copy)
    assert (error.file, error.key) == ("flow.toml", "nodes.history.options[3].id")
    assert "'in_between' is not an option the code handles" in error.problem
    assert "first, repeated, not_known" in error.problem


def test_check_exits_non_zero_on_the_history_experiment(copy, capsys):
    add_option(copy, "history", 'id = "in_between"\nlabel = "Somewhere in between"\ncite = ["001 §3.1"]')
    assert main(["check", "--content", str(copy)]) == 1
    assert "flow.toml: nodes.history.options[3].id" in capsys.readouterr().err


def test_renaming_a_stage_label_only_changes_what_is_displayed(copy, monkeypatch):
    replace(copy, "flow.toml", 'label = "The behaviour"', 'label = "What the person did"')
    content = load_content(copy)
    monkeypatch.setattr("decision_aid.web.session.load_content", lambda: content)
    session = web.new_session("generic", "../", today=TODAY)
    answers = case(history="repeated")
    session.handle({"type": "start", "answers": {k: answers[k] for k in ("safety", "journey", "channel", "matter", "history", "new_information")}})
    view = session.handle({"type": "back"})
    view = session.handle({"type": "submit", "node": "new_information", "values": {"answer": ["no"]}})
    assert view["node"] == "behaviour" and "Step 7: What the person did" in view["html"]
    session.handle({"type": "start", "answers": case()})
    result = session.handle({"type": "result"})
    assert result["view"] == "result"


# --- one broken copy per declared entry -------------------------------------------------------------


@pytest.mark.parametrize("need", contract.NODES, ids=lambda n: n.id)
def test_a_question_the_code_reads_cannot_be_missing(copy, need):
    rename_node(copy, need.id, f"{need.id}_renamed")
    error = refused(copy)
    assert (error.file, error.key) == ("flow.toml", f"nodes.{need.id}")
    assert error.problem.startswith("is missing: the code reads this question") and need.means in error.problem


@pytest.mark.parametrize("need", contract.NODES, ids=lambda n: n.id)
def test_a_question_the_code_reads_keeps_its_kind(copy, need):
    kind = {"single": "multi", "multi": "single", "details": "single"}[need.kind]
    text = read(copy, "flow.toml")
    text = re.sub(rf'(^\[nodes\.{need.id}\]\n(?:(?!^\[).*\n)*?)kind = "{need.kind}"', rf'\1kind = "{kind}"', text, count=1, flags=re.M)
    if kind == "single":  # a single-choice question cannot have exclusive options
        text = re.sub(rf'(^\[\[nodes\.{need.id}\.options\]\]\n(?:(?!^\[).*\n)*?)exclusive = true\n', r"\1", text, flags=re.M)
    write(copy, "flow.toml", text)
    error = refused(copy)
    assert error.file == "flow.toml" and error.key.startswith(f"nodes.{need.id}")


OPTION_NEEDS = [(need.id, option) for need in contract.NODES for option in need.options]


@pytest.mark.parametrize("node, option", OPTION_NEEDS, ids=[f"{n}.{o}" for n, o in OPTION_NEEDS])
def test_an_option_the_code_reads_cannot_be_missing(copy, node, option):
    drop_option(copy, node, option)
    error = refused(copy)
    assert (error.file, error.key) == ("flow.toml", f"nodes.{node}.options")
    assert f"has no option {option!r}: the code relies on it" in error.problem


EXHAUSTIVE = [need for need in contract.NODES if need.exhaustive]


@pytest.mark.parametrize("need", EXHAUSTIVE, ids=lambda n: n.id)
def test_an_option_the_code_has_no_rule_for_is_refused(copy, need):
    add_option(copy, need.id, 'id = "something_else"\nlabel = "Something else"\ncite = ["001 §3.1"]')
    error = refused(copy)
    assert error.file == "flow.toml" and error.key == f"nodes.{need.id}.options[{len(FLOW.nodes[need.id].options)}].id"
    assert "is not an option the code handles" in error.problem


CHANNEL_NODES = [need for need in contract.NODES if need.channels]


@pytest.mark.parametrize("need", CHANNEL_NODES, ids=lambda n: n.id)
def test_an_option_that_is_not_a_channel_is_refused_where_the_code_reads_a_channel(copy, need):
    add_option(copy, need.id, 'id = "carrier_pigeon"\nlabel = "Carrier pigeon"\ncite = ["001 §6"]')
    error = refused(copy)
    assert error.key.startswith(f"nodes.{need.id}.options[") and "is not a channel in [channels]" in error.problem


EXCLUSIVE = [need for need in contract.NODES if need.exclusive]


@pytest.mark.parametrize("need", EXCLUSIVE, ids=lambda n: n.id)
def test_the_exclusive_option_is_found_by_its_flag_and_must_exist(copy, need):
    text = read(copy, "flow.toml")
    text, count = re.subn(rf'(^\[\[nodes\.{need.id}\.options\]\]\n(?:(?!^\[).*\n)*?)exclusive = true\n', r"\1", text, flags=re.M)
    assert count == 1
    # An option that routed on its own must lose its route with its flag (only exclusive ones may).
    text = re.sub(rf'(^\[\[nodes\.{need.id}\.options\]\]\n(?:(?!^\[).*\n)*?)next = "\w+"\n', r"\1", text, flags=re.M)
    write(copy, "flow.toml", text)
    error = refused(copy)
    assert (error.file, error.key) == ("flow.toml", f"nodes.{need.id}.options")
    assert f"exactly one option with exclusive = true, meaning {need.exclusive}" in error.problem


def test_renaming_an_exclusive_option_changes_nothing_the_code_does(copy):
    replace(copy, "flow.toml", 'id = "none_known"', 'id = "no_needs_known"')
    flow = load_content(copy).flow
    assert [o.id for o in flow.nodes["needs"].options if o.exclusive] == ["no_needs_known"]


FIELDS = [(need.id, field, kind) for need in contract.NODES for field, kind in need.fields]


@pytest.mark.parametrize("node, field, kind", FIELDS, ids=[f"{n}.{f}" for n, f, _ in FIELDS])
def test_a_field_the_code_reads_cannot_be_missing(copy, node, field, kind):
    replace(copy, "flow.toml", f'id = "{field}"\nlabel', f'id = "{field}_renamed"\nlabel')
    error = refused(copy)
    assert (error.file, error.key) == ("flow.toml", f"nodes.{node}.fields")
    assert f"needs a field {field!r} of kind {kind!r}" in error.problem


def test_a_question_every_walk_needs_cannot_be_skipped(copy):
    replace(copy, "flow.toml", 'label = "A new complaint"\n', 'label = "A new complaint"\nnext = "result"\n')
    error = refused(copy)
    assert (error.file, error.key) == ("flow.toml", "nodes.details")
    assert "can be skipped on the way to the result" in error.problem


def test_cause_questions_are_found_by_their_flag_not_their_id(copy):
    rename_node(copy, "cause_support", "ask_about_support")
    flow = load_content(copy).flow
    assert flow.nodes["ask_about_support"].cause


def test_every_answer_to_a_cause_question_says_whether_the_duty_is_met(copy):
    replace(copy, "flow.toml", 'id = "yes"\nlabel = "Yes"\nmet = true\ncite = ["001 §4"]', 'id = "yes"\nlabel = "Yes"\ncite = ["001 §4"]')
    error = refused(copy)
    assert error.key == "nodes.cause_process.options[0].met" and "says whether the duty is met" in error.problem


def test_only_cause_questions_have_options_that_say_met(copy):
    replace(copy, "flow.toml", 'id = "yes"\nlabel = "Yes"\ncite = ["000 §7", "001 §7.2", "004 §1.5"]',
            'id = "yes"\nlabel = "Yes"\nmet = true\ncite = ["000 §7", "001 §7.2", "004 §1.5"]')
    error = refused(copy)
    assert error.key == "nodes.new_information.options[0].met"


def test_every_behaviour_counts_in_a_family(copy):
    replace(copy, "flow.toml", 'id = "volume"\nfamily = "demands"\n', 'id = "volume"\n')
    error = refused(copy)
    assert error.key.startswith("nodes.behaviour.options[") and error.key.endswith("].family")


@pytest.mark.parametrize("family", contract.FAMILIES)
def test_a_family_the_code_reads_cannot_be_missing(copy, family):
    drop_table(copy, "flow.toml", f"families.{family}")
    write(copy, "flow.toml", read(copy, "flow.toml").replace(f'family = "{family}"', 'family = "demands"'))
    error = refused(copy)
    assert (error.file, error.key) == ("flow.toml", f"families.{family}")


@pytest.mark.parametrize("measure", contract.MEASURE_IDS)
def test_a_measure_the_code_reads_cannot_be_missing(copy, measure):
    drop_entry(copy, "measures.toml", "measures", measure)
    for office in (copy / "offices").glob("*.toml"):
        office.write_text(office.read_text(encoding="utf-8").replace(f'"{measure}", ', "").replace(f', "{measure}"', ""), encoding="utf-8")
    error = refused(copy)
    assert (error.file, error.key) == ("measures.toml", "measures") and repr(measure) in error.problem


@pytest.mark.parametrize("action", contract.ACTIONS)
def test_an_action_the_code_gives_cannot_be_missing(copy, action):
    drop_entry(copy, "lists.toml", "actions", action)
    error = refused(copy)
    assert (error.file, error.key) == ("lists.toml", "actions") and f"has no immediate action {action!r}" in error.problem


def test_an_action_the_code_never_gives_is_refused(copy):
    text = read(copy, "lists.toml") + '\n[[actions]]\nid = "call_a_friend"\ntext = "Call a friend."\ncite = ["001 App A"]\n'
    write(copy, "lists.toml", text)
    error = refused(copy)
    assert (error.file, error.key) == ("lists.toml", "actions.call_a_friend")
    assert "is not a immediate action the code can give" in error.problem or "is not an immediate action" in error.problem


@pytest.mark.parametrize("table, item", [("notice", contract.ACCESSIBLE_FORMAT), ("warning_letter", contract.WARNING_CHANGE)])
def test_a_letter_element_the_code_relies_on_cannot_be_missing(copy, table, item):
    drop_entry(copy, "lists.toml", table, item)
    for office in (copy / "offices").glob("*.toml"):
        office.write_text(office.read_text(encoding="utf-8").replace(f'"{item}", ', "").replace(f', "{item}"', ""), encoding="utf-8")
    error = refused(copy)
    assert (error.file, error.key) == ("lists.toml", table) and repr(item) in error.problem


def test_a_notice_element_says_how_the_letter_carries_it(copy):
    replace(copy, "lists.toml", 'staff = "[Staff: send this by post and by e-mail.]"\n', "")
    error = refused(copy)
    assert error.file == "lists.toml" and error.key.startswith("notice[") and "exactly one way" in error.problem


def test_a_notice_paragraph_may_only_use_the_placeholders_the_code_fills(copy):
    replace(copy, "lists.toml", "on or before {review_date}.", "on or before {review_day}.")
    error = refused(copy)
    assert error.key.endswith(".letter") and "{review_day}" in error.problem and "{review_date}" in error.problem


@pytest.mark.parametrize("rule", contract.CEILING)
def test_a_ceiling_rule_the_code_applies_cannot_be_missing(copy, rule):
    drop_table(copy, "rules.toml", f"ceiling.{rule}")
    error = refused(copy)
    assert (error.file, error.key) == ("rules.toml", "ceiling") and f"has no ceiling rule {rule!r}" in error.problem


def test_a_ceiling_rule_the_code_never_applies_is_refused(copy):
    write(copy, "rules.toml", read(copy, "rules.toml").replace(
        "[withheld]", '[ceiling.third_time_lucky]\ntier = "warning"\ntext = "Three strikes."\ncite = ["001 §4"]\n\n[withheld]'))
    error = refused(copy)
    assert (error.file, error.key) == ("rules.toml", "ceiling.third_time_lucky")


def test_a_ceiling_rule_must_say_how_far_it_reaches(copy):
    replace(copy, "rules.toml", '[ceiling.breach]\ntier = "escalation"\n', "[ceiling.breach]\n")
    error = refused(copy)
    assert (error.file, error.key) == ("rules.toml", "ceiling.breach.tier") and "is missing" in error.problem


@pytest.mark.parametrize("key", contract.TEXTS)
def test_a_text_the_aid_shows_cannot_be_missing(copy, key):
    home = contract.TEXT_HOMES[key.split(".", 1)[0]]
    drop_key(copy, home, key)
    error = refused(copy)
    assert (error.file, error.key) == (home, key) and error.problem.startswith("is missing: the aid shows these words")


FILLED = [key for key, text in contract.TEXTS.items() if text.fields and not text.many]


@pytest.mark.parametrize("key", FILLED)
def test_a_text_must_keep_every_placeholder_the_code_fills(copy, key):
    home = contract.TEXT_HOMES[key.split(".", 1)[0]]
    field = contract.TEXTS[key].fields[0]
    template = text_value(key).text
    replace(copy, home, _toml_string(template), _toml_string(template.replace(f"{{{field}}}", "[something]")))
    error = refused(copy)
    assert (error.file, error.key) == (home, key) and f"must include the placeholder {{{field}}}" in error.problem


def test_a_text_may_not_use_a_placeholder_the_code_does_not_fill(copy):
    replace(copy, "documents.toml", 'date = "Date of decision: {date}"', 'date = "Date of decision: {date} by {author}"')
    error = refused(copy)
    assert (error.file, error.key) == ("documents.toml", "note.case.date") and "{author}" in error.problem


def test_a_stray_brace_in_a_text_is_refused(copy):
    replace(copy, "documents.toml", 'no_reference = "[none given]"', 'no_reference = "{none given}"')
    error = refused(copy)
    assert error.key == "note.case.no_reference" and "brace that is not a placeholder" in error.problem


def test_a_text_the_aid_never_shows_is_refused_as_a_likely_typo(copy):
    replace(copy, "documents.toml", '[note.case]\ntitle = "Case"\n', '[note.case]\ntitle = "Case"\ndat = "Date: {date}"\n')
    error = refused(copy)
    assert (error.file, error.key) == ("documents.toml", "note.case.dat") and "not a text the aid shows" in error.problem


def test_words_in_the_wrong_file_are_refused(copy):
    write(copy, "screens.toml", read(copy, "screens.toml") + '\n[wait]\ncauses = "Wait."\n')
    error = refused(copy)
    assert (error.file, error.key) == ("screens.toml", "wait")


@pytest.mark.parametrize("role", contract.ROLES)
def test_every_office_names_who_acts_for_each_role(copy, role):
    drop_table(copy, "offices/cumbria.toml", f"authorisers.{role}")
    error = refused(copy)
    assert (error.file, error.key) == ("offices/cumbria.toml", f"authorisers.{role}") and "is missing" in error.problem


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- the code reads content through the contract only ---------------------------------------------------


# The loader's modules name TOML keys (its schema), not content ids; the contract declares them.
RUNTIME = sorted(p for p in Path(contract.__file__).parent.rglob("*.py")
                 if p.name not in ("contract.py", "content.py", "reading.py", "clauses.py"))
CONTENT_IDS = (
    {nid for nid in FLOW.nodes} | {o.id for n in FLOW.nodes.values() for o in n.options}
    | set(FLOW.measures) | set(FLOW.actions) | set(FLOW.notice) | set(FLOW.families) | set(FLOW.stages)
)
# Content ids that are also other things' names in the code: roles (`staff`, `warning`, ...), a
# note format (`text`), view names (`result`, `summary`), a kind of question (`details`), keys of
# practice.toml (`causes`, `measures`), the name of an office's value shown to staff (`review`), a
# case record file (`record`: the `start` request's key and the CLI's --from), XML's standalone="yes"
# in a Word file's parts (`yes`).
SHARED_WORDS = {"warning", "restriction", "escalation", "police", "staff", "text", "result", "summary", "details",
                "causes", "measures", "review", "record", "yes"}


@pytest.mark.parametrize("path", RUNTIME, ids=lambda p: p.name)
def test_no_module_but_the_contract_spells_a_content_id(path):
    source = re.sub(r'"""(?:.|\n)*?"""', "", path.read_text(encoding="utf-8"))  # docstrings and
    source = re.sub(r"#.*", "", source)  # comments may name ids
    source = re.sub(r'"[a-z_]+":', "", source)  # keys of the JSON the note writes are not content ids
    literals = set(re.findall(r'"([a-z][a-z0-9_]*)"', source))
    spelled = sorted((literals & CONTENT_IDS) - SHARED_WORDS)
    assert spelled == [], f"{path.name} spells content ids {spelled}: declare them in contract.py and use the names there"
