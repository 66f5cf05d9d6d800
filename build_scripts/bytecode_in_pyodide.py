# Runs inside Pyodide, under Node, at build time (build_scripts/bytecode_in_pyodide.mjs starts it).
#
# It makes the browser's Python as bytecode for this very Python (3.14, as in the browser):
#
# 1. the standard library, only the parts Pyodide's start-up and the engine import. The driver
#    has done what the aid's worker does (unpacked the site's decision_aid.zip, imported the
#    engine, made a memory snapshot); this script then sends the bridge the requests the page
#    sends (every practice scenario of every office answered question by question to its
#    result, record note, letters and Word files, its case record opened again, and bad
#    requests), and keeps every module loaded by then. tests/test_pyodide_bytecode.py checks
#    that every distinct path of questions runs on it;
# 2. the engine: each .py of decision_aid.zip as a .pyc in its place (sourceless), the content
#    files as they are.
#
# Why bytecode: the browser's Python then compiles nothing at start (compiling the library was
# about three quarters of the bare boot; the engine's own modules, a quarter of a second more).
# How: no column tables (the interpreter runs with -X no_debug_ranges) and no module or function
# docstrings (as `python -OO` drops them; class docstrings and asserts are kept), so a traceback
# still names file and line;
# unchecked-hash .pyc files (PEP 552) in zips of stored entries with fixed times, so the same
# inputs give the same bytes and brotli compresses each zip as a whole (better than zip's own
# deflate of each entry), and an import reads without inflating.
#
# Inputs and outputs are files in Pyodide's memory, named by globals the driver sets: STOCK_ZIP
# (Pyodide's own library), ENGINE_ZIP (the site's decision_aid.zip), OUT_ZIP, OUT_ENGINE.
import sys

if sys._xoptions.get("no_debug_ranges") is not True:
    raise RuntimeError("bytecode_in_pyodide.py: run Pyodide with -X no_debug_ranges")

import json  # noqa: E402  (the engine imports json too; importing it here adds nothing)

from decision_aid import web  # noqa: E402  (imported already by the driver, as the worker does)
from decision_aid.content import load_content  # noqa: E402
from decision_aid.engine import outcome  # noqa: E402
from decision_aid.note import as_json  # noqa: E402
from decision_aid.practice import load_practice  # noqa: E402
from decision_aid.web.session import form_values  # noqa: E402

# Requests the bridge must answer with an error view (its traceback printed): not JSON, not an
# object, an unknown type, a record that is not one.
BAD_REQUESTS = ("not json", "[1, 2]", '{"type": "fly"}', '{"type": "start", "record": "{}"}')


def _ask(request) -> dict:
    return json.loads(web.handle_json(request if isinstance(request, str) else json.dumps(request)))


def _exercise() -> None:
    """The requests the page sends: each office's first step; every practice scenario answered
    question by question (an option that does not exist first, so the error is shown), to its
    result with note, letters and Word files, and its case record opened again; requests that
    fail."""
    made = 0
    loaded = load_content()
    for office in sorted(loaded.profiles):
        web.create(office, "../")
        _ask({"type": "start"})
    for scenario in load_practice(loaded.flow, loaded.profiles).values():
        web.create(scenario.office, "../")
        _ask({"type": "start", "practice": scenario.id})
        if _ask({"type": "submit", "node": scenario.path[0], "values": {"answer": ["no-such-option"]}})["view"] != "step":
            raise RuntimeError(f"practice scenario {scenario.id!r}: a wrong answer was not shown again with its error")
        for node in scenario.path:
            response = _ask({"type": "submit", "node": node, "values": form_values(scenario.answers[node])})
            if response["view"] == "interrupt":  # what to do now, after a safety tick
                response = _ask({"type": "carry_on"})
            if response["view"] == "error":
                raise RuntimeError(f"practice scenario {scenario.id!r}: the engine answered {node!r} with an error view")
        response = _ask({"type": "result"})
        if response["view"] != "result" or not response.get("documents"):
            raise RuntimeError(f"practice scenario {scenario.id!r}: no result page after its answers ({response['view']})")
        made += 1
        profile = loaded.profiles[scenario.office]
        record = as_json(outcome(loaded.flow, profile, scenario.answers), loaded.flow)
        web.create(scenario.office, "../")
        _ask({"type": "start", "record": record})  # an error view where nothing was put in place
    for request in BAD_REQUESTS:
        if _ask(request).get("view") != "error":
            raise RuntimeError(f"the request {request!r} was expected to fail")
    if not made:
        raise RuntimeError("no practice scenario reached its result: nothing exercised the engine")


_exercise()
USED = set(sys.modules)

# What follows is the packing itself; what it imports is not counted.
import ast  # noqa: E402
import importlib.util  # noqa: E402
import marshal  # noqa: E402
import zipfile  # noqa: E402

PREFIX = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip/"  # where Pyodide mounts it
HOME = "/home/pyodide/"  # where the worker unpacks the engine
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FLAGS_UNCHECKED_HASH = (0b01).to_bytes(4, "little")  # PEP 552: hash-based, not checked


def library_files(names) -> list[str]:
    files = set()
    for name in names:
        spec = getattr(sys.modules.get(name), "__spec__", None)
        origin = getattr(spec, "origin", None) or ""
        if origin.startswith(PREFIX) and origin.endswith(".py"):
            files.add(origin[len(PREFIX):])
    return sorted(files)


def without_docstrings(tree: ast.AST) -> ast.AST:
    """Module and function docstrings only: a dataclass without one has its signature worked out
    (inspect) as it is created, which would cost more at start than the bytes save."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
    return ast.fix_missing_locations(tree)


def bytecode(source: bytes, name: str) -> bytes:
    code = compile(without_docstrings(ast.parse(source, name)), name, "exec", dont_inherit=True)
    return importlib.util.MAGIC_NUMBER + FLAGS_UNCHECKED_HASH + importlib.util.source_hash(source) + marshal.dumps(code)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.external_attr = 0o644 << 16
    info.create_system = 3
    return info


def pack_library(files: list[str]) -> None:
    with zipfile.ZipFile(STOCK_ZIP) as stock, zipfile.ZipFile(OUT_ZIP, "w", zipfile.ZIP_STORED) as out:  # noqa: F821
        for name in files:
            out.writestr(_entry(name + "c"), bytecode(stock.read(name), PREFIX + name))


def pack_engine() -> None:
    with zipfile.ZipFile(ENGINE_ZIP) as engine, zipfile.ZipFile(OUT_ENGINE, "w", zipfile.ZIP_STORED) as out:  # noqa: F821
        for name in engine.namelist():
            data = engine.read(name)
            if name.endswith(".py"):
                out.writestr(_entry(name + "c"), bytecode(data, HOME + name))
            else:
                out.writestr(_entry(name), data)


FILES = library_files(USED)
if "encodings/__init__.py" not in FILES:  # a Pyodide that ships its library otherwise: stop here
    raise RuntimeError(f"bytecode_in_pyodide.py: no library module was found under {PREFIX} (found {len(FILES)}); "
                       "has the Pyodide upgrade changed how it ships the standard library?")
pack_library(FILES)
pack_engine()
