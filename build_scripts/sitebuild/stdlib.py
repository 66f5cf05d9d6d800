"""The browser's Python standard library: what Pyodide's start-up and the engine import, compiled.

`trim_stdlib(site_dir)` replaces the python_stdlib.zip that `aid_build.vendor_pyodide` copied
(Pyodide's whole library, 614 source files, 2.5 MB) with the one
build_scripts/stdlib_in_pyodide.mjs makes: Pyodide itself, under Node, boots as the aid's worker
does, runs the engine through the bridge, and writes the modules that were imported as bytecode
for its own Python (stdlib_in_pyodide.py says what is kept and how it is compiled). Making it
takes a few seconds, so the result is kept in build/stdlib/, named by a hash of all it depends
on: Pyodide's library, the site's decision_aid.zip and the two scripts.
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

SCRIPT = ROOT / "build_scripts" / "stdlib_in_pyodide.mjs"
INSIDE = ROOT / "build_scripts" / "stdlib_in_pyodide.py"
CACHE = ROOT / "build" / "stdlib"
STDLIB = "python_stdlib.zip"
TIMEOUT_S = 600  # several times what a slow machine needs; a hang must not hang the build


class StdlibBuildError(BuildError):
    """The trimmed library could not be made; the message says why and what to do."""


def cache_key(package_zip: Path, source: Path = NODE_PYODIDE) -> str:
    digest = hashlib.sha256()
    for path in (source / STDLIB, source / "package.json", package_zip, SCRIPT, INSIDE):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def make(package_zip: Path, out_zip: Path, out_list: Path) -> None:
    node = shutil.which("node")
    if node is None:
        raise StdlibBuildError("decision aid: Node.js is needed to build the aid (Pyodide compiles its Python library "
                               "at build time) and was not found. Install Node 18 or later and run `make setup`.")
    try:
        run = subprocess.run([node, str(SCRIPT), str(package_zip), str(out_zip), str(out_list)],
                             capture_output=True, text=True, timeout=TIMEOUT_S, cwd=ROOT)
    except subprocess.TimeoutExpired:
        raise StdlibBuildError(f"decision aid: making the Python library took over {TIMEOUT_S} s and was stopped "
                               f"({SCRIPT.relative_to(ROOT)}).") from None
    if run.returncode != 0 or not out_zip.is_file():
        raise StdlibBuildError(f"decision aid: {SCRIPT.relative_to(ROOT)} could not make the Python library "
                               f"(exit {run.returncode}):\n{run.stderr.strip()[-3000:]}")


def trim_stdlib(site_dir: str | Path, source: Path = NODE_PYODIDE, cache: Path = CACHE) -> tuple[int, int]:
    """Put the trimmed library in <site>/aid/pyodide/; returns (modules, bytes)."""
    aid = Path(site_dir) / AID_DIR
    package_zip = aid / ZIP_NAME
    key = cache_key(package_zip, source)
    kept = cache / f"{key}.zip"
    if not kept.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        fresh, listing = cache / f"{key}.zip.part", cache / f"{key}.txt"
        make(package_zip, fresh, listing)
        os.replace(fresh, kept)  # whole or not at all, if two builds race
        for old in cache.iterdir():  # one library is kept: the one this tree builds
            if old.stem != key:
                old.unlink(missing_ok=True)
    target = aid / "pyodide" / STDLIB
    shutil.copyfile(kept, target)
    with zipfile.ZipFile(target) as made:
        return len(made.namelist()), target.stat().st_size
