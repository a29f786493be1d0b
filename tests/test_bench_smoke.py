"""The benchmark script runs end to end on a tiny corpus (its numbers are not checked)."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (make sysdeps)")
def test_benchmark_small_run_reports_every_measure(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks/run.py"), "--small", "--data", str(tmp_path),
         "--json", str(out)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "ratio vanban/pdfplumber" in proc.stdout
    r = json.loads(out.read_text())
    assert r["ingest_pdf"]["failed"] == 0 and r["ingest_pdf"]["ingested"] == r["corpus"]["pdfs"]
    assert r["stages"]["pages"] > 0 and set(r["stages"]["seconds"]) >= {"read", "nlp", "load"}
    assert r["reingest"]["noop_skipped"] == r["reingest"]["files"]
    assert r["reingest"]["change_ingested"] == 1
    assert r["reingest"]["change_watch_ingested"] == 1
    site = r["site"]["site"]
    assert {"task_list, 7 facets", "task_list, agency + role"} <= set(site)
    pages = [v for v in site.values() if isinstance(v, dict)]
    assert all(v["status"] == [200] for v in pages), site
