"""make bench's JSON writer (tools/bench.py): the keys and the targets, from a dry run
(no browser, no timing: the figures themselves are not tested)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "tools" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dry_run_writes_every_key_and_each_target_with_pass_or_fail(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "bench.py"), "--dry-run", "--out", str(out)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text())
    for key in ["bare_pyodide_ms", "first_question_ms", "engine_ready_ms", "warm_engine_ready_ms", "step_median_ms",
                "step_p95_ms", "pyodide_bytes", "own_bytes", "build_s"]:
        assert isinstance(data[key], (int, float)), key
    for key in ["fresh_first_question_ms", "slow_fresh_first_question_ms", "wait_after_first_answer_ms",
                "slow_wait_after_first_answer_ms", "slow_bare_pyodide_ms", "slow_engine_ready_ms", "slow_failure_panels",
                "slow_step_p95_ms", "first_visit_aid_bytes_compressed", "offline_stored_bytes", "slow_factor_measured",
                "slow_step_median_ms", "slow_result_step_ms", "slow_step_engine_p95_ms", "slow_step_browser_p95_ms"]:
        assert isinstance(data[key], (int, float)), key
    assert set(data["targets"]) == {"first_question", "engine_vs_bare", "warm_vs_cold", "step_p95", "own_bytes",
                                    "fresh_first_question", "slow_first_question", "wait_after_first_answer",
                                    "first_visit_bytes", "offline_stored", "slow_failure_panels", "slow_step_p95"}
    for target in data["targets"].values():
        assert isinstance(target["pass"], bool) and target["limit"] >= 0
    assert "targets (median of" in proc.stdout


def test_summary_computes_ratios_and_percentiles():
    bench = load_bench()
    raw = dict(bench.SAMPLE, steps_ms=[float(i) for i in range(1, 101)], engine_ready_ms=[3300.0, 3500.0, 3400.0],
               bare_cold_ms=[4000.0], warm_engine_ready_ms=[1700.0, 1750.0, 1650.0])
    summary = bench.summarise(raw)
    assert summary["step_median_ms"] == 50.5 and summary["step_p95_ms"] == 95.0
    assert summary["engine_ready_ms"] == 3400.0
    assert summary["targets"]["engine_vs_bare"]["measured"] == 0.85 and summary["targets"]["engine_vs_bare"]["pass"]
    assert summary["targets"]["warm_vs_cold"]["measured"] == 0.5 and summary["targets"]["warm_vs_cold"]["pass"]
    assert summary["targets"]["step_p95"]["pass"] is False
