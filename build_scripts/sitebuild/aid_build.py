"""Build steps for the decision aid page (called from build_scripts/hooks.py after the build).

- `vendor_pyodide(site_dir)`: copy the pinned Pyodide core from node_modules/pyodide into
  site/aid/pyodide/, so the browser loads Python from the site itself and never from a CDN.
- `package_decision_aid(site_dir)`: zip the decision_aid package (its .py files and its TOML
  content) into site/aid/decision_aid.zip, which the worker unpacks with pyodide.unpackArchive
  (no micropip, no wheel, no request beyond the site). The zip is deterministic: sorted entries,
  fixed timestamps and permissions, so the same sources always give the same bytes.

This zip's sources are then replaced by bytecode, and python_stdlib.zip is written (`bytecode.py`).

What loadPyodide() fetches when it loads no packages (pyodide 314.0.7, read from pyodide.mjs):
indexURL + pyodide-lock.json, pyodide.asm.mjs, pyodide.asm.wasm and python_stdlib.zip. The worker
imports pyodide.mjs itself. The lock file lists the packages Pyodide could load, and the engine
loads none: its `info` (the runtime's own) is written into the site's worker.js instead
(`inline_lock`), passed as `lockFileContents`, so it is never fetched. Three files are copied;
python_stdlib.zip is made for the browser (`bytecode.py`).
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

from . import BuildError

ROOT = Path(__file__).resolve().parents[2]
NODE_PYODIDE = ROOT / "node_modules" / "pyodide"
AID_DIR = "aid"
# The standard library is not copied: sitebuild/bytecode.py writes the browser's own.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
ZIP_NAME = "decision_aid.zip"
# 1980-01-01 00:00:00, the earliest time a zip entry can carry.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# The same shape tests/test_handbook_build.py looks for: an absolute URL opening a JS string.
JS_LITERAL_URL = re.compile(r"""(?<=["'`])(?:https?:)?//(?:(?:[\w-]+\.)+[A-Za-z]{2,}|\$\{[^}]*\})[^"'`\s]*""")

# Edits to the copied runtime, each (file, pattern, replacement, why). Each pattern must match
# exactly once: if a Pyodide upgrade changes the text, the build fails here rather than shipping an
# outside address (and the check after the patches catches any address no pattern covers).
PATCHES = (
    (
        "pyodide.mjs",
        # The default package base (cdnUrl): a template literal holding an absolute URL of a
        # release's "full" distribution, whichever host a release names. The worker always passes
        # indexURL and packageBaseUrl, so the default is never used; it is made inert so that no
        # copy of the site names an outside host.
        re.compile(r"`https://[^`\s]+/v\$\{\w+\}/full/`"),
        '"./"',
        "default package URL",
    ),
    (
        "pyodide.asm.mjs",
        re.compile(re.escape("new URL(`https://${t}`)")),
        'new URL("https:"+"//"+t)',
        # Pyodide's TCP socket shim (wintercg sockets, for Node and Workers) parses a host:port
        # given by Python code. No fixed address; the aid opens no sockets. Same behaviour, written
        # so that the outside-URL check does not mistake it for a hard-coded address.
        "socket shim host parsing",
    ),
)
SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S+\s*$")


class AidBuildError(BuildError):
    """A build step for the aid failed; the message says what to do."""


def pinned_pyodide_version() -> str:
    pins = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    return pins["dependencies"]["pyodide"]


def vendor_pyodide(site_dir: str | Path, source: Path = NODE_PYODIDE) -> Path:
    """Copy (and patch) the Pyodide core into <site>/aid/pyodide/; returns that directory."""
    missing = [name for name in (*PYODIDE_FILES, LOCK_FILE, "python_stdlib.zip") if not (source / name).is_file()]
    if missing:
        raise AidBuildError(
            f"decision aid: the pinned Pyodide runtime is not installed ({source} lacks "
            f"{', '.join(missing)}). Run `make setup` (or `npm ci`) and build again."
        )
    wanted = pinned_pyodide_version()
    installed = json.loads((source / "package.json").read_text(encoding="utf-8")).get("version")
    if installed != wanted:
        raise AidBuildError(
            f"decision aid: node_modules holds pyodide {installed}, but package.json pins {wanted}. "
            "Run `make setup` (or `npm ci`) and build again."
        )
    target = Path(site_dir) / AID_DIR / "pyodide"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in PYODIDE_FILES:
        if name.endswith(".mjs"):
            text = (source / name).read_text(encoding="utf-8")
            for file, pattern, new, why in PATCHES:
                if file != name:
                    continue
                text, count = pattern.subn(lambda _: new, text)
                if count != 1:
                    raise AidBuildError(
                        f"decision aid: expected the {why} ({pattern.pattern!r}) once in {name}, found it {count} times; "
                        "the Pyodide version changed: review PATCHES in build_scripts/sitebuild/aid_build.py."
                    )
            text = SOURCE_MAP.sub("\n", text)  # the .map files are not shipped
            left = [m.group(0) for m in JS_LITERAL_URL.finditer(text)]
            if left:
                raise AidBuildError(
                    f"decision aid: {name} still names an outside address {left}; "
                    "add a patch in build_scripts/sitebuild/aid_build.py (nothing may be fetched from outside the site)."
                )
            (target / name).write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(source / name, target / name)
    return target


LOCK_FILE = "pyodide-lock.json"
# In docs/aid/worker.js, exactly once; the build writes the lock's info in place of null.
LOCK_PLACEHOLDER = "const LOCK_FILE_CONTENTS = null;"


def trimmed_lock(path: Path) -> str:
    """Pyodide reads its lock file at every start, but the engine loads no package: the 357
    package entries (119 KB) are left out, the runtime's own `info` is kept as it is."""
    lock = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(lock.get("info"), dict) or "packages" not in lock:
        raise AidBuildError(f"decision aid: {path} is not the lock file this build expects (no info or packages); "
                            "the Pyodide version changed: review trimmed_lock in build_scripts/sitebuild/aid_build.py.")
    return json.dumps({"info": lock["info"], "packages": {}}, separators=(",", ":"))


def write_into_worker(site_dir: str | Path, placeholder: str, literal: str, what: str) -> None:
    """Replace the `null` of `placeholder` (a `const NAME = null;` line, exactly once in the site's
    worker.js) with a JavaScript literal."""
    worker = Path(site_dir) / AID_DIR / "worker.js"
    text = worker.read_text(encoding="utf-8")
    if text.count(placeholder) != 1:
        raise AidBuildError(f"decision aid: {worker} must hold `{placeholder}` exactly once "
                            f"(found {text.count(placeholder)}); the build writes {what} there.")
    worker.write_text(text.replace(placeholder, placeholder.replace("null", literal)), encoding="utf-8")


def inline_lock(site_dir: str | Path, source: Path = NODE_PYODIDE) -> None:
    """Write the trimmed lock into <site>/aid/worker.js, so that loadPyodide fetches none."""
    write_into_worker(site_dir, LOCK_PLACEHOLDER, trimmed_lock(source / LOCK_FILE), "Pyodide's lock-file info")


# The command line (`python -m decision_aid`) never runs in the browser.
COMMAND_LINE = {"cli.py", "__main__.py"}


def package_files(package_dir: Path) -> list[tuple[str, Path]]:
    """(archive name, file) for every .py file the browser imports and every content TOML,
    sorted by archive name."""
    found = []
    for path in package_dir.rglob("*"):
        rel = path.relative_to(package_dir)
        if not path.is_file() or "__pycache__" in rel.parts or rel.as_posix() in COMMAND_LINE:
            continue
        if path.suffix == ".py" or (rel.parts[0] == "content" and path.suffix == ".toml"):
            found.append((f"{package_dir.name}/{rel.as_posix()}", path))
    return sorted(found)


def package_decision_aid(site_dir: str | Path, package_dir: Path | None = None) -> Path:
    """Write <site>/aid/decision_aid.zip deterministically; returns its path."""
    if package_dir is None:
        import decision_aid  # the package this build imports is the one the browser gets

        package_dir = Path(decision_aid.__file__).resolve().parent
    files = package_files(package_dir)
    if not any(name.endswith("/content/flow.toml") for name, _ in files):
        raise AidBuildError(f"decision aid: {package_dir} has no content/flow.toml; nothing to package")
    target = Path(site_dir) / AID_DIR / ZIP_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as archive:
        for name, path in files:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            # Stored: the server's brotli copy of the whole zip is a quarter smaller than a zip of
            # deflated entries (it compresses across files), and nothing is inflated in Python.
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever machine builds it
            archive.writestr(info, path.read_bytes())
    return target
