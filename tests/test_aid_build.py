"""The decision aid's build step (build_scripts/sitebuild/aid_build.py, run from the MkDocs hook): the
vendored Pyodide runtime, the packaged engine, and the pre-rendered first question."""

from __future__ import annotations

import html
import importlib.util
import os
import re
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NODE_PYODIDE = ROOT / "node_modules" / "pyodide"


def aid_build():
    from sitebuild import aid_build  # build_scripts/ is on pytest's pythonpath (pyproject.toml)

    return aid_build


@pytest.fixture(scope="session")
def site(built_site) -> Path:
    return built_site


def test_the_pyodide_core_is_copied_into_the_site(site):
    target = site / "aid" / "pyodide"
    for name in aid_build().PYODIDE_FILES:
        assert (target / name).is_file(), f"{name} not vendored"
    assert (target / "pyodide.asm.wasm").read_bytes() == (NODE_PYODIDE / "pyodide.asm.wasm").read_bytes()
    assert not list(target.glob("*.map")), "source maps are not shipped"


def test_the_copied_runtime_names_no_outside_address(site):
    pattern = aid_build().JS_LITERAL_URL
    for name in ("pyodide.mjs", "pyodide.asm.mjs"):
        text = (site / "aid" / "pyodide" / name).read_text(encoding="utf-8")
        assert not pattern.findall(text), f"{name} still names an outside address"
        assert "cdn.jsdelivr.net" not in text
        assert "sourceMappingURL" not in text


def test_the_worker_passes_index_url_explicitly_and_relative_to_itself():
    worker = (ROOT / "docs" / "aid" / "worker.js").read_text(encoding="utf-8")
    assert 'new URL("./pyodide/", import.meta.url)' in worker
    assert "indexURL: INDEX_URL" in worker
    assert "micropip" not in worker and "loadPackage" not in worker


def test_the_package_zip_holds_the_engine_compiled_and_its_content(site):
    with zipfile.ZipFile(site / "aid" / "decision_aid.zip") as archive:
        names = archive.namelist()
        assert "decision_aid/content/flow.toml" in names
        assert "decision_aid/web/__init__.pyc" in names and "decision_aid/__init__.pyc" in names
        assert names == sorted(names)
        sources = sorted(p.relative_to(ROOT).as_posix() + "c" for p in (ROOT / "decision_aid").rglob("*.py") if "__pycache__" not in p.parts)
        command_line = {"decision_aid/cli.pyc", "decision_aid/__main__.pyc"}  # never run in the browser
        assert [n for n in names if n.endswith(".pyc")] == [n for n in sources if n not in command_line]
        assert not [n for n in names if "__pycache__" in n or n.endswith((".py", ".md"))]
        # Bytecode for the browser's Python (the library beside it was made by the same), not this one's.
        with zipfile.ZipFile(site / "aid" / "pyodide" / "python_stdlib.zip") as library:
            magic = library.read("json/__init__.pyc")[:4]
        assert archive.read("decision_aid/__init__.pyc")[:4] == magic != importlib.util.MAGIC_NUMBER
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.read("decision_aid/content/flow.toml") == (ROOT / "decision_aid" / "content" / "flow.toml").read_bytes()


def test_the_package_zip_is_deterministic(tmp_path):
    import shutil

    build = aid_build()
    package = tmp_path / "src" / "decision_aid"
    shutil.copytree(ROOT / "decision_aid", package, ignore=shutil.ignore_patterns("__pycache__"))
    first = build.package_decision_aid(tmp_path / "a", package).read_bytes()
    # New modification times and a bytecode cache must not change a byte of the archive.
    for path in package.rglob("*"):
        os.utime(path, (1_900_000_000, 1_900_000_000))
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "web.cpython-311.pyc").write_bytes(b"not shipped")
    second = build.package_decision_aid(tmp_path / "b", package).read_bytes()
    assert first == second


def test_a_missing_runtime_fails_the_build_with_what_to_do(tmp_path):
    build = aid_build()
    with pytest.raises(build.AidBuildError, match=r"make setup.*npm ci"):
        build.vendor_pyodide(tmp_path / "site", source=tmp_path / "no-node-modules")


def test_the_first_question_is_prerendered_into_the_page(site):
    from decision_aid import web

    page = (site / "aid" / "index.html").read_text(encoding="utf-8")
    step = re.search(r'<div id="aid-step" class="aid-step">(.*?)</form>', page, re.S)
    assert step, "no pre-rendered step in #aid-step"
    assert step.group(1) + "</form>" == web.prerender("generic", "../")
    live = re.sub(r"<template\b.*?</template>", "", page, flags=re.S)  # inert until shown
    assert live.count('id="aid-heading"') == 1
    assert len(re.findall(r"<h1\b", live)) == 1, "Material added a second <h1>"
    root = re.search(r'<div id="aid-root"[^>]*>', page).group(0)
    assert 'data-office="generic"' in root and 'data-base="../"' in root


def test_each_practice_scenario_starts_pre_rendered_with_its_story(site):
    from decision_aid import web
    from decision_aid.practice import load_practice

    page = (site / "aid" / "index.html").read_text(encoding="utf-8")
    starts = dict(re.findall(r'<template data-practice="([^"]+)">(.*?)</template>', page, re.S))
    scenarios = load_practice()
    assert list(starts) == list(scenarios)
    for sid, scenario in scenarios.items():
        assert starts[sid] == web.prerender("generic", "../", practice=sid)
        assert "aid-practice-brief" in starts[sid] and scenario.paragraphs[0][:40] in starts[sid].replace("&#x27;", "'")


def test_the_practice_stories_are_not_in_the_search_index(site):
    import json

    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    aid = [d for d in index["docs"] if d["location"].startswith("aid/")]
    assert [d["location"] for d in aid if "practice" in d["location"] or "Practice scenario" in d["title"]] == []
    assert not any("Practice scenario" in d["text"] for d in aid)


def test_the_page_has_no_inline_script_and_loads_its_own_files_relatively(site):
    page = (site / "aid" / "index.html").read_text(encoding="utf-8")
    for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S):
        src = re.search(r'src="([^"]+)"', attrs)
        if src and src.group(1) in ("aid-boot.js", "aid.js"):
            assert not body.strip()
    assert '<script src="aid-boot.js"></script>' in page
    assert '<script type="module" src="aid.js"></script>' in page
    assert 'href="aid.css"' in page
    # Only the aid page loads the aid's files.
    assert "aid.js" not in (site / "index.html").read_text(encoding="utf-8")


def test_the_page_has_a_live_region_an_opt_in_and_a_noscript_way_out(site):
    page = (site / "aid" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<div id="aid-status"[^>]*role="status"[^>]*aria-live="polite"', page)
    assert "Loading the decision aid… you can answer the first question now" in page
    keep = re.search(r'<input type="checkbox" id="aid-keep"[^>]*>', page).group(0)
    assert "checked" not in keep
    noscript = re.search(r"<noscript>(.*?)</noscript>", page, re.S).group(1)
    assert "python -m decision_aid" not in noscript and 'href="../map/"' in noscript
    reference = re.search(r'data-reference="([^"]+)"', page).group(1)
    assert not reference.startswith("/") and html.unescape(reference) in noscript


def test_the_failure_panel_speaks_to_staff_with_the_technical_detail_folded(site):
    page = (site / "aid" / "index.html").read_text(encoding="utf-8")
    panel = re.search(r'<div id="aid-failure".*?</div>', page, re.S).group(0)
    shown = re.sub(r"<details\b.*?</details>", "", panel, flags=re.S)
    assert "make serve" not in shown and "python -m" not in shown and "<code>" not in shown
    assert 'href="./"' in shown and 'href="../reference/"' in shown and 'href="../map/"' in shown
    assert 'id="aid-failure-reason"' in re.search(r"<details\b.*?</details>", panel, re.S).group(0)


def test_the_worker_carries_the_runtimes_lock_info_and_no_packages_so_none_is_fetched(site):
    import json

    worker = (site / "aid" / "worker.js").read_text(encoding="utf-8")
    inline = json.loads(re.search(r"^const LOCK_FILE_CONTENTS = (\{.*\});$", worker, re.M).group(1))
    original = json.loads((ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert inline == {"info": original["info"], "packages": {}}
    assert not (site / "aid" / "pyodide" / "pyodide-lock.json").exists()


def test_the_workers_snapshot_key_names_the_library_the_site_ships(site):
    import hashlib

    worker = (site / "aid" / "worker.js").read_text(encoding="utf-8")
    library = hashlib.sha256((site / "aid" / "pyodide" / "python_stdlib.zip").read_bytes()).hexdigest()[:16]
    assert f'const LIBRARY_ID = "{library}";' in worker
    assert "${LIBRARY_ID}" in worker[worker.index("async function snapshotKey"):]


def test_the_compiled_python_is_reused_from_the_cache_without_running_node(tmp_path, monkeypatch):
    from sitebuild import bytecode

    build = aid_build()
    site = tmp_path / "site"
    build.package_decision_aid(site)
    (site / "aid" / "pyodide").mkdir()
    cache = tmp_path / "cache"
    cache.mkdir()
    key = bytecode.cache_key(site / "aid" / build.ZIP_NAME)
    with zipfile.ZipFile(cache / f"{key}.zip", "w") as made:
        made.writestr("json/__init__.pyc", b"kept")
    with zipfile.ZipFile(cache / f"{key}.engine.zip", "w") as made:
        made.writestr("decision_aid/__init__.pyc", b"kept")
    monkeypatch.setattr(bytecode, "make", lambda *_: pytest.fail("Node was run although the result was cached"))
    modules, _, library_id = bytecode.compile_for_browser(site, cache=cache)
    assert modules == 1 and len(library_id) == 16
    assert zipfile.ZipFile(site / "aid" / "pyodide" / "python_stdlib.zip").namelist() == ["json/__init__.pyc"]
    assert zipfile.ZipFile(site / "aid" / build.ZIP_NAME).namelist() == ["decision_aid/__init__.pyc"]


def test_a_build_without_node_says_to_install_it(tmp_path, monkeypatch):
    from sitebuild import bytecode

    monkeypatch.setattr(bytecode.shutil, "which", lambda name: None)
    with pytest.raises(bytecode.BytecodeBuildError, match=r"Node\.js is needed .* Install Node 20 and run `make setup`"):
        bytecode.make(tmp_path / "decision_aid.zip", tmp_path / "a.zip", tmp_path / "b.zip")


def test_an_engine_that_fails_in_pyodide_fails_the_build_with_pythons_reason(tmp_path):
    from sitebuild import bytecode

    broken = tmp_path / "decision_aid.zip"
    with zipfile.ZipFile(broken, "w") as made:
        made.writestr("decision_aid/__init__.py", "raise RuntimeError('the engine is broken')\n")
    with pytest.raises(bytecode.BytecodeBuildError, match=r"(?s)could not compile the browser's Python.*the engine is broken"):
        bytecode.make(broken, tmp_path / "a.zip", tmp_path / "b.zip")


def test_lunrs_language_files_are_precached_only_for_a_search_language_other_than_english(tmp_path):
    from sitebuild import service_worker

    for name in ("index.html", "assets/javascripts/lunr/wordcut.js", "assets/javascripts/lunr/min/lunr.fr.min.js"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert service_worker.precache_list(tmp_path, ("en",)) == ["./"]
    assert len(service_worker.precache_list(tmp_path, ("en", "fr"))) == 3


def test_the_sites_search_is_english_so_lunrs_language_files_stay_out_of_the_offline_copy(site):
    text = (site / "sw.js").read_text(encoding="utf-8")
    assert "assets/javascripts/lunr/" not in text and "search/search_index.json" in text
