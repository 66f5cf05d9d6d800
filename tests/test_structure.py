"""The shape of the code: one job per module, and no import cycle among the runtime modules."""

from __future__ import annotations

import ast
from pathlib import Path

import decision_aid

PACKAGE = Path(decision_aid.__file__).resolve().parent
BUILD = PACKAGE.parent / "build_scripts" / "sitebuild"


def module_name(path: Path, root: Path, package: str) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([package, *parts])


def imports(root: Path, package: str) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports at its top level (not in functions,
    not under TYPE_CHECKING), which is what can make a cycle at import time."""
    graph: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        name = module_name(path, root, package)
        is_package = path.name == "__init__.py"
        here = name if is_package else name.rpartition(".")[0]
        found = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.split(".")
                    base = base[: len(base) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if not target.startswith(package):
                    continue
                found.add(target)
                found.update(f"{target}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith(package))
        graph[name] = found
    return {k: {v for v in vs if v in graph and v != k} for k, vs in graph.items()}


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    colour: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        colour[node] = 1
        for target in sorted(graph[node]):
            if colour.get(target) == 1:
                return trail[trail.index(target):] + [target] if target in trail else [node, target]
            if target not in colour:
                found = visit(target, trail + [target])
                if found:
                    return found
        colour[node] = 2
        return None

    for start in graph:
        if start not in colour:
            found = visit(start, [start])
            if found:
                return found
    return None


def test_the_runtime_package_has_no_import_cycle():
    graph = imports(PACKAGE, "decision_aid")
    # A package's __init__ importing its own modules is how packages work, not a cycle.
    graph = {k: {v for v in vs if not k.startswith(v + ".")} for k, vs in graph.items()}
    assert cycle(graph) is None, f"import cycle: {' -> '.join(cycle(graph))}"


def test_the_build_package_has_no_import_cycle():
    graph = imports(BUILD, "sitebuild")
    graph = {k: {v for v in vs if not k.startswith(v + ".")} for k, vs in graph.items()}
    assert cycle(graph) is None, f"import cycle: {' -> '.join(cycle(graph))}"


def test_only_the_views_write_html():
    """Markup lives in decision_aid/web/views.py and practice_views.py; nothing else renders it."""
    allowed = {"views.py", "practice_views.py"}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in allowed:
            continue
        source = path.read_text(encoding="utf-8")
        assert "<div" not in source and "<p>" not in source and "<h1" not in source, f"{path.name} writes HTML"


def test_only_the_loader_reads_content_files():
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in ("reading.py",):
            continue
        assert "tomllib" not in path.read_text(encoding="utf-8"), f"{path.name} parses TOML itself"
