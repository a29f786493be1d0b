"""Incremental ingest against a real SQLite file, with real worker processes."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from dbutil import rows as _rows

from vanban.ingest import ingest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
BAD = ROOT / "tests" / "fixtures" / "bad"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "corpus"
    d.mkdir()
    for f in SEEDS:
        shutil.copy(f, d / f.name)
    return d


def test_unchanged_rerun_changes_nothing(folder, tmp_path):
    db = tmp_path / "v.db"
    first = ingest([folder], db, jobs=1)
    assert first.ingested == 2 and first.failed == 0 and first.tasks > 100
    before = _rows(db, "SELECT id, fingerprint FROM documents ORDER BY id")
    tasks_before = _rows(db, "SELECT count(*) FROM tasks")
    second = ingest([folder], db, jobs=1)
    assert (second.ingested, second.skipped) == (0, 2)
    assert _rows(db, "SELECT id, fingerprint FROM documents ORDER BY id") == before
    assert _rows(db, "SELECT count(*) FROM tasks") == tasks_before


def test_edited_file_replaces_its_rows(folder, tmp_path):
    db = tmp_path / "v.db"
    ingest([folder], db, jobs=1)
    letter = folder / SEEDS[0].name
    text = letter.read_text(encoding="utf-8")
    letter.write_text(text.replace("ngày 31 tháng 3 năm 2025",
                                   "ngày 15 tháng 4 năm 2025"), encoding="utf-8")
    assert letter.read_text(encoding="utf-8") != text
    s = ingest([folder], db, jobs=1)
    assert s.ingested == 1
    dates = {r[0] for r in _rows(db, "SELECT date FROM deadlines")}
    assert "2025-04-15" in dates and "2025-03-31" not in dates


def test_deleted_file_is_withdrawn_not_deleted(folder, tmp_path):
    db = tmp_path / "v.db"
    ingest([folder], db, jobs=1)
    (folder / SEEDS[0].name).unlink()
    s = ingest([folder], db, jobs=1)
    assert s.withdrawn == 1
    status = dict(_rows(db, "SELECT source, status FROM documents"))
    assert status[SEEDS[0].name] == "withdrawn"
    assert _rows(db, "SELECT count(*) FROM tasks t JOIN documents d ON d.id = t.doc_id "
                     f"WHERE d.source = '{SEEDS[0].name}'")[0][0] > 0


def test_same_document_under_two_names_is_linked(folder, tmp_path):
    db = tmp_path / "v.db"
    shutil.copy(folder / SEEDS[0].name, folder / "copy-of-letter.txt")
    ingest([folder], db, jobs=1)
    dup = dict(_rows(db, "SELECT source, duplicate_of FROM documents"))
    assert dup["copy-of-letter.txt"] is not None or dup[SEEDS[0].name] is not None


def test_bad_files_are_recorded_and_good_ones_land(folder, tmp_path):
    db = tmp_path / "v.db"
    for f in BAD.iterdir():
        shutil.copy(f, folder / f.name)
    s = ingest([folder], db, jobs=2, timeout=120)
    assert s.ingested >= 2  # the seeds (and a DOCX named .pdf, read by its real format)
    reasons = {Path(p).name: r for p, r, _ in s.failures}
    assert reasons, "hostile files must be recorded"
    assert set(reasons.values()) <= {"empty", "corrupt", "encrypted", "unsupported",
                                     "legacy-encoding", "scanned", "no-content"}
    recorded = {Path(r[0]).name for r in _rows(db, "SELECT path FROM failures")}
    assert set(reasons) <= recorded
    run = _rows(db, "SELECT files_failed, status FROM runs ORDER BY id DESC LIMIT 1")[0]
    assert run == (len(reasons), "partial")


def test_killed_ingest_leaves_a_consistent_database(folder, tmp_path):
    # many copies so the run is still going when it is killed
    for i in range(12):
        shutil.copy(SEEDS[1], folder / f"plan-{i:02d}.txt")
    db = tmp_path / "v.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "vanban", "ingest", str(folder), "--db", str(db), "-j", "1",
         "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if db.exists():
            try:
                if _rows(db, "SELECT count(*) FROM files")[0][0] >= 2:
                    break
            except sqlite3.OperationalError:
                pass
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _rows(db, "PRAGMA integrity_check") == [("ok",)]
    # every stored document is whole: its sections and tasks are all there
    for doc_id, n_sections in _rows(db, "SELECT d.id, count(s.id) FROM documents d "
                                        "LEFT JOIN sections s ON s.doc_id = d.id GROUP BY d.id"):
        assert n_sections > 0, doc_id
    s = ingest([folder], db, jobs=1)
    assert s.failed == 0
    assert _rows(db, "SELECT count(*) FROM documents")[0][0] == 14


def test_same_number_symbol_and_year_under_two_formats_is_linked(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    fixtures = ROOT / "tests" / "fixtures" / "pdf"
    pdf = next(fixtures.glob("07_*.pdf"))
    shutil.copy(pdf, d / "bnv-11902.pdf")
    # the same letter as a plain-text export (different bytes, different text)
    from extract import extract_file

    doc = extract_file(pdf)
    header = ("BỘ NỘI VỤ\nSố: 11902/BNV-TCPCP\nHà Nội, ngày 11 tháng 12 năm 2025\n"
              "V/v báo cáo tình hình tổ chức hội\n\n")
    body = doc.text + "\nBản sao gửi kèm để tham khảo."  # a different canonical text
    (d / "bnv-11902.txt").write_text(header + body, encoding="utf-8")
    db = tmp_path / "v.db"
    ingest([d], db, jobs=1)
    rows = _rows(db, "SELECT source, duplicate_of FROM documents ORDER BY source")
    assert len(rows) == 2
    assert sum(1 for _, dup in rows if dup is not None) == 1


def test_kept_pool_reuses_its_warm_workers_across_runs(folder, tmp_path):
    """``vanban watch`` keeps its workers between batches: the second run is served by the
    same processes (no new start, models already loaded) and still stores every file."""
    from vanban.ingest import WorkerPool

    db = tmp_path / "v.db"
    pool = WorkerPool(2, timeout=120, memory_mb=2048, keep=True)
    pool.start()
    try:
        pids = {p.pid for p in pool._pool._processes.values()}
        first = ingest([folder], db, pool=pool)
        edited = folder / SEEDS[0].name
        edited.write_text(edited.read_text(encoding="utf-8") + "\n3. Sở Tư pháp báo cáo "
                          "trước ngày 15/12/2026.\n", encoding="utf-8")
        second = ingest([folder], db, pool=pool)
        assert {p.pid for p in pool._pool._processes.values()} == pids
    finally:
        pool.close()
    assert (first.ingested, second.ingested, second.unchanged + second.skipped) == (2, 1, 1)
    assert _rows(db, "SELECT count(*) FROM task_list WHERE [nhiệm vụ] LIKE "
                 "'%trước ngày 15/12/2026%'") == [(1,)]
