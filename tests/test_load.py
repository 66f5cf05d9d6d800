"""The load script (`make load`) works: a short run against the local server and nginx on a
built site reports every figure, with no error at low load. The figures themselves (and their
goals) are for `make load` to print, not for a timed test."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_quick_load_run_reports_every_figure_for_both_servers(built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    subprocess.run([sys.executable, str(ROOT / "build_scripts" / "compress.py"), str(site)], check=True, timeout=600)
    out = tmp_path / "load.json"
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "load.py"), str(site), "--quick", "--out", str(out)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    servers = [r["server"] for r in report["results"]]
    assert len(servers) == 2 and servers[0].startswith("tools/serve.py") and servers[1].startswith("nginx")
    for r in report["results"]:
        for level in map(str, report["levels"]):
            figures = r[level]
            assert figures["errors"] == 0, (r["server"], level, figures["problems"])
            assert figures["requests"] > 0 and figures["page_ms"]["p99"] is not None and figures["peak_rss_mb"] > 0
        assert r["silent"]["other_client_served"]
    assert all(report["goals"].values()), report["goals"]  # the script exits 1 on any missed goal
    assert "FAIL" not in result.stdout and "page p50/p95/p99 ms" in result.stdout
