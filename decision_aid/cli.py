"""The terminal front end: an interactive walkthrough, replay of answer files, and content checks.

    python -m decision_aid [--office NAME]           walk through a decision interactively
    python -m decision_aid --from RECORD.json        ... carrying forward what a previous record put in place
    python -m decision_aid replay ANSWERS.json       print the outcome and record note
                           [--from RECORD.json]      ... answering what is in place from a previous record
    python -m decision_aid check                     validate the flow and the office profiles
    python -m decision_aid flow --json               the whole flow as JSON
    python -m decision_aid offices                   the office profiles, one a line

Exit codes: 0 done, 1 content files invalid or walk abandoned, 2 bad arguments or answer file.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable, TextIO

from .content import CONTENT_DIR, ContentError, load_content
from .engine import AnswerError, validate, walk, outcome
from .model import Flow, Profile, Template
from .note import FORMATS, render
from .practice import load_practice
from .record import Carried, RecordError, read_record
from .rules import options_for


class UsageError(Exception):
    """Bad arguments or a bad answer file: one line, exit 2."""


class OneLineParser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse prints usage too; a one-line error reads better
        raise UsageError(f"{self.prog}: {message} (see --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="python -m decision_aid",
        description="OPCC contact-management decision aid: walk through a decision, or check the content.",
        epilog="Run a command with --help for its options.",
    )
    parser.add_argument("--office", default="generic", help="office profile to use (default: generic; see `offices`)")
    parser.add_argument("--from", dest="record", type=Path, default=None, metavar="RECORD.json",
                        help="carry a case forward: a record (the JSON of a record note) answers what is in place")
    parser.add_argument("--content", type=Path, default=CONTENT_DIR, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", parser_class=OneLineParser)

    replay = sub.add_parser("replay", help="print the outcome and record note for a file of answers",
                            description="Replay a JSON file of answers (format in README.md) and print the outcome.")
    replay.add_argument("answers", type=Path, help="JSON file: {\"office\": ..., \"answers\": {node: answer}}")
    replay.add_argument("--office", dest="replay_office", default=None, help="override the file's office")
    replay.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    replay.add_argument("--from", dest="replay_record", type=Path, default=None, metavar="RECORD.json",
                        help="a previous record answers what is in place, where the answers do not")

    check = sub.add_parser("check", help="validate the flow and the office profiles",
                           description="Validate every content file; exit 0, or 1 naming the file, key and problem.")
    check.add_argument("--content", dest="check_content", type=Path, default=None,
                       help="content folder to check (default: the package's own)")

    flow = sub.add_parser("flow", help="print the whole flow", description="Print every question, option, route, measure and citation.")
    flow.add_argument("--json", action="store_true", required=True, help="print as JSON (the only format)")

    sub.add_parser("offices", help="list the office profiles", description="List the office profiles, one a line.")
    return parser


def main(argv: list[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    if stdout is None:
        _tolerant_terminal()
    stdout = stdout or sys.stdout
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return _dispatch(args, stdin or sys.stdin, stdout)
    except KeyboardInterrupt:  # Ctrl-C: the walk stops, as with "q"
        print("\nStopped: nothing was recorded.", file=sys.stderr)
        return 130
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except ContentError as error:
        print(f"error: content invalid: {error}", file=sys.stderr)
        return 1
    except SystemExit as exit_:  # --help
        return int(exit_.code or 0)


def _tolerant_terminal() -> None:
    """A terminal that cannot show a character (a Latin-1 console and "§", or a lone surrogate
    typed into an answer) gets a replacement mark, not a traceback; undecodable input likewise."""
    for stream in (sys.stdout, sys.stderr, sys.stdin):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # detached or closed: nothing to do
                pass


def _dispatch(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    content = args.check_content if getattr(args, "check_content", None) else args.content
    if args.command == "check":
        return _check(content, stdout)
    loaded = load_content(content)
    flow, profiles = loaded.flow, loaded.profiles
    if args.command == "offices":
        for p in profiles.values():
            print(f"{p.id}\t{p.name}", file=stdout)
        return 0
    if args.command == "flow":
        print(json.dumps(flow_as_data(flow), indent=2, ensure_ascii=False), file=stdout)
        return 0
    if args.command == "replay":
        return _replay(args, flow, profiles, stdout)
    profile = _profile(profiles, args.office)
    carried = _carried(args.record, flow, profile, profiles) if args.record else None
    return _interactive(flow, profile, stdin, stdout, carried)


def _profile(profiles: dict[str, Profile], name: str) -> Profile:
    if name not in profiles:
        raise UsageError(f"no office called {name!r}; choose one of: {', '.join(profiles)}")
    return profiles[name]


def _carried(path: Path, flow: Flow, profile: Profile, profiles: dict[str, Profile]) -> Carried:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read it ({error})") from None
    try:
        return read_record(text, flow, profile, profiles)
    except RecordError as error:
        raise UsageError(f"{path}: {error}") from None


def _check(content: Path, stdout: TextIO) -> int:
    loaded = load_content(content)
    flow, profiles = loaded.flow, loaded.profiles
    scenarios = load_practice(flow, profiles, content)
    print(
        f"OK: flow {flow.version} (content hash {flow.content_hash}): {len(flow.nodes)} questions, "
        f"{len(flow.measures)} measures, {len(flow.texts)} texts, {len(profiles)} office profiles, "
        f"{len(scenarios)} practice scenarios; the code's contract holds; every citation resolves to "
        f"one of {len(loaded.register.clauses)} clauses.",
        file=stdout,
    )
    return 0


def _replay(args, flow: Flow, profiles: dict[str, Profile], stdout: TextIO) -> int:
    try:
        data = json.loads(args.answers.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{args.answers}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{args.answers}: cannot read it ({error})") from None
    except json.JSONDecodeError as error:
        raise UsageError(f"{args.answers}: not valid JSON ({error.msg} at line {error.lineno})") from None
    except (ValueError, RecursionError):  # a number too long to read, nesting too deep
        raise UsageError(f"{args.answers}: not an answers file (it nests too deeply or holds a number too long to read)") from None
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise UsageError(f"{args.answers}: expected an object with an 'answers' object inside")
    office = args.replay_office or data.get("office") or "generic"
    if not isinstance(office, str):
        raise UsageError(f"{args.answers}: 'office' must be a profile name")
    profile = _profile(profiles, office)
    answers = data["answers"]
    if args.replay_record:
        carried = _carried(args.replay_record, flow, profile, profiles).answers()
        on_path = walk(flow, profile, {**carried, **answers}).answers
        answers = {**answers, **{k: v for k, v in carried.items() if k in on_path and k not in answers}}
    try:
        result = outcome(flow, profile, answers)
    except AnswerError as error:
        raise UsageError(f"{args.answers}: answers.{error}") from None
    stdout.write(render(result, flow, args.format))
    return 0


def flow_as_data(flow: Flow) -> dict[str, Any]:
    """The flow as plain data: nodes, options, transitions, measures, lists, citations."""
    return {
        "version": flow.version,
        "content_hash": flow.content_hash,
        "start": flow.start,
        "stages": {k: asdict(v) for k, v in flow.stages.items()},
        "channels": {k: asdict(v) for k, v in flow.channels.items()},
        "families": {k: asdict(v) for k, v in flow.families.items()},
        "nodes": {k: asdict(v) for k, v in flow.nodes.items()},
        "tiers": {k: asdict(v) for k, v in flow.tiers.items()},
        "measures": {k: asdict(v) for k, v in flow.measures.items()},
        "checklist": {k: asdict(v) for k, v in flow.checklist.items()},
        "notice": {k: asdict(v) for k, v in flow.notice.items()},
        "safeguards": {k: asdict(v) for k, v in flow.safeguards.items()},
        "actions": {k: asdict(v) for k, v in flow.actions.items()},
        "ceiling": {k: asdict(v) for k, v in flow.ceiling.items()},
        "handling": {k: [asdict(i) for i in items] for k, items in flow.handling.items()},
        "texts": {k: (t.text if isinstance(t, Template) else [p.text for p in t]) for k, t in flow.texts.items()},
    }


# --- the interactive walkthrough ---------------------------------------------------------------------


def _interactive(flow: Flow, profile: Profile, stdin: TextIO, stdout: TextIO, carried: Carried | None = None) -> int:
    say: Callable[[str], None] = lambda text="": print(text, file=stdout)
    say(f"Decision aid for {profile.name}.")
    say("Answer each question by number. Type 'b' to go back, 'q' to quit. Nothing you type leaves this computer.")
    if carried:
        say(f"Carrying forward the record of {carried.made} ({carried.reference or 'no reference'}): "
            f"what it put in place is offered below; press Enter to keep it.")
    defaults = carried.answers() if carried else {}
    answers: dict[str, Any] = {}
    while True:
        state = walk(flow, profile, answers)
        if state.complete:
            break
        node = flow.nodes[state.current]
        say()
        say(f"[{flow.stages[node.stage].label}] {node.question}")
        if node.hint:
            say(f"  {node.hint}")
        say(f"  Source: {'; '.join(node.cite)}" if node.cite else f"  Our practice: {node.practice}")
        try:
            value = _ask(flow, profile, state.answers, node.id, stdin, say, defaults.get(node.id))
        except EOFError:
            say()
            say("Stopped before the end: nothing was recorded.")
            return 1
        if value == "back":
            if state.path:
                answers = {k: v for k, v in state.answers.items() if k != state.path[-1]}
            continue
        if value == "quit":
            say("Stopped: nothing was recorded.")
            return 1
        answers = {**state.answers, node.id: value}
    say()
    stdout.write(render(outcome(flow, profile, answers), flow, "text"))
    return 0


def _ask(flow: Flow, profile: Profile, answers: dict, node_id: str, stdin: TextIO, say, default: Any = None) -> Any:
    """One question's answer; `default` (carried from a record) is kept when Enter is pressed."""
    node = flow.nodes[node_id]
    while node.kind == "details":  # asked again until valid: a loop, so no number of tries can overflow
        values = {}
        for field in node.fields:
            hint = f" ({field.hint})" if field.hint else ""
            optional = "" if field.required else " [optional]"
            kept = (default or {}).get(field.id, "")
            offer = f" [from the record: {kept}; Enter keeps it]" if kept else ""
            raw = _read(stdin, say, f"{field.label}{optional}{hint}{offer}: ")
            if raw.lower() in ("b", "q"):
                return {"b": "back", "q": "quit"}[raw.lower()]
            values[field.id] = raw or kept
        try:
            return validate(flow, profile, answers, node_id, values)
        except AnswerError as error:
            say(f"  ! {error.message}")
    options = options_for(flow, profile, answers, node_id)
    group = None
    for i, option in enumerate(options, 1):
        heading = flow.families[option.family].label if option.family else option.hint if node.options_from else None
        if heading and heading != group:
            say(f"  {heading}:")
        group = heading
        say(f"  {i:>2}. {option.label}")
    many = node.kind == "multi"
    kept = next((i for i, o in enumerate(options, 1) if o.id == default), None) if isinstance(default, str) else None
    offer = f" [from the record: {kept}; Enter keeps it]" if kept else ""
    while True:
        raw = _read(stdin, say, ("Your answers (e.g. 1,3)" if many else "Your answer") + offer + ": ")
        if raw.lower() in ("b", "q"):
            return {"b": "back", "q": "quit"}[raw.lower()]
        raw = raw or (str(kept) if kept else "")
        picks = [p.strip() for p in raw.split(",") if p.strip()]
        # ASCII digits, few of them: "²" is a digit to str.isdigit, and 5000 nines are too long for int().
        if not picks or not all(p.isascii() and p.isdigit() and len(p) <= 4 and 1 <= int(p) <= len(options) for p in picks):
            say(f"  ! Type {'one or more numbers' if many else 'a number'} from 1 to {len(options)}.")
            continue
        value: Any = [options[int(p) - 1].id for p in picks] if many else options[int(picks[0]) - 1].id
        if not many and len(picks) > 1:
            say("  ! Choose one option only.")
            continue
        try:
            return validate(flow, profile, answers, node_id, value)
        except AnswerError as error:
            say(f"  ! {error.message}")


def _read(stdin: TextIO, say, prompt: str) -> str:
    say(prompt.rstrip())
    line = stdin.readline()
    if not line:
        raise EOFError
    return line.strip()
