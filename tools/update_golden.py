"""Rewrite the golden record notes in tests/golden/ from the scenarios in tests/scenarios/.

    .venv/bin/python tools/update_golden.py            rewrite every golden file
    .venv/bin/python tools/update_golden.py --check    exit 1 if any golden file is stale

Each scenario NAME.json gives NAME.txt (text) and NAME.md (Markdown), produced by the same code
path as `python -m decision_aid replay tests/scenarios/NAME.json --format text|markdown`
(decision_aid.cli.main with a captured stdout), so a golden file is byte for byte what a member
of staff would get from the command line, except that the content hash is written as
`<content hash>`: it changes with every content edit, and a golden diff should show only what a
reader of the note would see change. Run it only when a change to the notes is intended, then
read the diff as a reviewer would before committing it.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from decision_aid.cli import main as cli_main  # noqa: E402

SCENARIOS = ROOT / "tests" / "scenarios"
GOLDEN = ROOT / "tests" / "golden"
FORMATS = {"text": ".txt", "markdown": ".md"}
CONTENT_HASH = re.compile(r"content hash [0-9a-f]{16}\b")  # tests/test_golden_notes.py uses the same


def replay(scenario: Path, fmt: str) -> str:
    """What `python -m decision_aid replay SCENARIO --format FMT` prints, hash left out."""
    out = io.StringIO()
    code = cli_main(["replay", str(scenario), "--format", fmt], stdout=out)
    if code != 0:
        raise SystemExit(f"{scenario.name}: replay --format {fmt} exited {code} (see the error above)")
    return CONTENT_HASH.sub("content hash <content hash>", out.getvalue())


def golden_path(scenario: Path, fmt: str) -> Path:
    return GOLDEN / (scenario.stem + FORMATS[fmt])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale golden files; write nothing")
    args = parser.parse_args(argv)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    scenarios = sorted(SCENARIOS.glob("*.json"))
    expected = {golden_path(s, f) for s in scenarios for f in FORMATS}
    stale = []
    for scenario in scenarios:
        for fmt in FORMATS:
            path, text = golden_path(scenario, fmt), replay(scenario, fmt)
            current = path.read_bytes().decode("utf-8") if path.exists() else None
            if current == text:
                continue
            stale.append(path)
            if not args.check:
                path.write_bytes(text.encode("utf-8"))  # bytes: no newline translation on any OS
    orphans = sorted(p for p in GOLDEN.iterdir() if p.suffix in FORMATS.values() and p not in expected)
    for path in stale:
        print(f"{'stale' if args.check else 'wrote'}: {path.relative_to(ROOT)}")
    for path in orphans:
        print(f"no scenario for {path.relative_to(ROOT)} (delete it if the scenario was removed)")
    print(f"{len(scenarios)} scenarios, {len(stale)} golden files {'stale' if args.check else 'rewritten'}.")
    return 1 if args.check and (stale or orphans) else 0


if __name__ == "__main__":
    raise SystemExit(main())
