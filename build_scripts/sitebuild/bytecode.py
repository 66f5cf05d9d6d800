"""The browser's Python, compiled by Pyodide at build time: the library it needs, and the engine.

`compile_for_browser(site_dir)` runs build_scripts/bytecode_in_pyodide.mjs over the site's
decision_aid.zip (written by `aid_build.package_decision_aid`, sources and content). Pyodide itself,
under Node, boots as the aid's worker does, runs the engine through the bridge, and writes:

- python_stdlib.zip: the standard-library modules that were imported (163 of Pyodide's 559), as
  bytecode; it replaces the whole library `aid_build.vendor_pyodide` copied (2.5 MB of source);
- decision_aid.zip again, each module as bytecode in place of its source.

bytecode_in_pyodide.py says what is kept and how it is compiled. It takes a few seconds, so the
results are kept in build/bytecode/, named by a hash of all they depend on: Pyodide's library,
the engine package and the two scripts.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

from . import BuildError
from .aid_build import AID_DIR, NODE_PYODIDE, ROOT, ZIP_NAME

SCRIPT = ROOT / "build_scripts" / "bytecode_in_pyodide.mjs"
INSIDE = ROOT / "build_scripts" / "bytecode_in_pyodide.py"
CACHE = ROOT / "build" / "bytecode"
STDLIB = "python_stdlib.zip"
TIMEOUT_S = 600  # several times what a slow machine needs; a hang must not hang the build


class BytecodeBuildError(BuildError):
    """The browser's Python could not be compiled; the message says why and what to do."""


def cache_key(package_zip: Path, source: Path = NODE_PYODIDE) -> str:
    digest = hashlib.sha256()
    for path in (source / STDLIB, source / "package.json", package_zip, SCRIPT, INSIDE):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def make(package_zip: Path, out_library: Path, out_engine: Path, out_list: Path) -> None:
    node = shutil.which("node")
    if node is None:
        raise BytecodeBuildError("decision aid: Node.js is needed to build the aid (Pyodide compiles its Python "
                                 "at build time) and was not found. Install Node 18 or later and run `make setup`.")
    try:
        run = subprocess.run([node, str(SCRIPT), str(package_zip), str(out_library), str(out_engine), str(out_list)],
                             capture_output=True, text=True, timeout=TIMEOUT_S, cwd=ROOT)
    except subprocess.TimeoutExpired:
        raise BytecodeBuildError(f"decision aid: compiling the browser's Python took over {TIMEOUT_S} s and was "
                                 f"stopped ({SCRIPT.relative_to(ROOT)}).") from None
    if run.returncode != 0 or not out_library.is_file() or not out_engine.is_file():
        raise BytecodeBuildError(f"decision aid: {SCRIPT.relative_to(ROOT)} could not compile the browser's Python "
                                 f"(exit {run.returncode}):\n{run.stderr.strip()[-3000:]}")


def compile_for_browser(site_dir: str | Path, source: Path = NODE_PYODIDE, cache: Path = CACHE) -> tuple[int, int]:
    """Put the compiled library and engine in <site>/aid/; returns (library modules, library bytes)."""
    aid = Path(site_dir) / AID_DIR
    package_zip = aid / ZIP_NAME
    key = cache_key(package_zip, source)
    library, engine = cache / f"{key}.zip", cache / f"{key}.engine.zip"
    if not (library.is_file() and engine.is_file()):
        cache.mkdir(parents=True, exist_ok=True)
        parts = cache / f"{key}.zip.part", cache / f"{key}.engine.zip.part"
        make(package_zip, *parts, cache / f"{key}.txt")
        os.replace(parts[1], engine)  # each whole or not at all, if two builds race
        os.replace(parts[0], library)
        for old in cache.iterdir():  # one result is kept: the one this tree builds
            if not old.name.startswith(key):
                old.unlink(missing_ok=True)
    target = aid / "pyodide" / STDLIB
    shutil.copyfile(library, target)
    shutil.copyfile(engine, package_zip)
    with zipfile.ZipFile(target) as made:
        return len(made.namelist()), target.stat().st_size
