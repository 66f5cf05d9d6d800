"""The browser's Python, compiled by Pyodide at build time: the library it needs, and the engine.

`compile_for_browser(site_dir)` runs build_scripts/bytecode_in_pyodide.mjs over the site's
decision_aid.zip (written by `aid_build.package_decision_aid`, sources and content). Pyodide itself,
under Node, boots as the aid's worker does, runs the engine through the bridge, and writes:

- python_stdlib.zip: the standard-library modules that were imported (163 of Pyodide's 559), as
  bytecode, in place of Pyodide's whole library (2.5 MB of source);
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
import tempfile
import time
import zipfile
from pathlib import Path

from . import BuildError
from .aid_build import AID_DIR, NODE_PYODIDE, ROOT, ZIP_NAME

SCRIPT = ROOT / "build_scripts" / "bytecode_in_pyodide.mjs"
INSIDE = ROOT / "build_scripts" / "bytecode_in_pyodide.py"
CACHE = ROOT / "build" / "bytecode"
STDLIB = "python_stdlib.zip"
TIMEOUT_S = 600  # several times what a slow machine needs; a hang must not hang the build
# In docs/aid/worker.js: the start-up snapshot is keyed by the library it was made with.
LIBRARY_PLACEHOLDER = "const LIBRARY_ID = null;"
LIBRARY_ID_WHAT = "a hash of the Python library"


class BytecodeBuildError(BuildError):
    """The browser's Python could not be compiled; the message says why and what to do."""


def cache_key(package_zip: Path) -> str:
    digest = hashlib.sha256()
    for path in (NODE_PYODIDE / STDLIB, NODE_PYODIDE / "package.json", package_zip, SCRIPT, INSIDE):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def make(package_zip: Path, out_library: Path, out_engine: Path) -> None:
    node = shutil.which("node")
    if node is None:
        raise BytecodeBuildError("decision aid: Node.js is needed to build the aid (Pyodide compiles its Python "
                                 "at build time) and was not found. Install Node 20 and run `make setup`.")
    try:
        run = subprocess.run([node, str(SCRIPT), str(package_zip), str(out_library), str(out_engine)],
                             capture_output=True, text=True, errors="replace", timeout=TIMEOUT_S, cwd=ROOT)
    except subprocess.TimeoutExpired:
        raise BytecodeBuildError(f"decision aid: compiling the browser's Python took over {TIMEOUT_S} s and was "
                                 f"stopped ({SCRIPT.relative_to(ROOT)}).") from None
    except OSError as error:
        raise BytecodeBuildError(f"decision aid: could not run {node} ({error}); check the Node.js install.") from None
    if run.returncode != 0 or not _whole(out_library) or not _whole(out_engine):
        raise BytecodeBuildError(f"decision aid: {SCRIPT.relative_to(ROOT)} could not compile the browser's Python "
                                 f"(exit {run.returncode}):\n{run.stderr.strip()[-3000:]}")


def _whole(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as made:
            return bool(made.namelist()) and made.testzip() is None
    except (OSError, zipfile.BadZipFile):
        return False


def compile_for_browser(site_dir: str | Path, cache: Path = CACHE) -> tuple[int, int, str]:
    """Put the compiled library and engine in <site>/aid/; returns the library's module count,
    its size and its id (a hash of it: the worker keys its start-up snapshot by it)."""
    aid = Path(site_dir) / AID_DIR
    package_zip = aid / ZIP_NAME
    if not package_zip.is_file():
        raise BytecodeBuildError(f"decision aid: {package_zip} is missing; the engine is packaged before it is compiled.")
    key = cache_key(package_zip)
    library, engine = cache / f"{key}.zip", cache / f"{key}.engine.zip"
    target = aid / "pyodide" / STDLIB
    try:
        shutil.copyfile(library, target)
        shutil.copyfile(engine, package_zip)
    except FileNotFoundError:  # not made yet (or removed meanwhile by a build of another tree)
        cache.mkdir(parents=True, exist_ok=True)
        # Each build makes its own files and moves them into place whole, so builds that run at
        # once (a test run beside `make serve`) never read each other's half-written zips.
        work = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=cache))
        try:
            make(package_zip, work / "library.zip", work / "engine.zip")
            shutil.copyfile(work / "library.zip", target)
            shutil.copyfile(work / "engine.zip", package_zip)
            os.replace(work / "library.zip", library)
            os.replace(work / "engine.zip", engine)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        _forget_others(cache, key)
    data = target.read_bytes()
    with zipfile.ZipFile(target) as made:
        return len(made.namelist()), len(data), hashlib.sha256(data).hexdigest()[:16]


def _forget_others(cache: Path, key: str, older_than_s: float = 3600) -> None:
    """Results for other inputs (an older tree) are removed once an hour old, so that a build of
    another tree running now keeps its own."""
    now = time.time()
    for old in cache.glob("*.zip"):
        try:
            if not old.name.startswith(key) and now - old.stat().st_mtime > older_than_s:
                old.unlink()
        except OSError:
            pass
