"""Watched folder (vanban watch) and confidential documents, against a real SQLite file."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from dbutil import rows as _rows

from vanban.export import export_documents
from vanban.watch import Settler, watch

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
LETTER = SEEDS[0]
SECRET = ROOT / "tests" / "fixtures" / "site" / "901_cv-mat.txt"


class Watcher:
    """``watch`` running in a thread; ``until`` waits for a condition on the batches."""

    def __init__(self, folder: Path, db: Path, **kw):
        self.stop = threading.Event()
        self.batches: list = []
        kw = {"interval": 0.1, "settle": 0.5, "jobs": 1} | kw
        self.thread = threading.Thread(target=self._run, args=(folder, db), kwargs=kw)
        self.error: BaseException | None = None
        self.total = None

    def _run(self, folder, db, **kw):
        try:
            self.total = watch([folder], db, stop=self.stop, on_batch=self.batches.append, **kw)
        except BaseException as e:  # noqa: BLE001 - reported by the test
            self.error = e

    def __enter__(self) -> Watcher:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(60)
        assert not self.thread.is_alive()
        assert self.error is None, self.error

    def until(self, cond: Callable[[], bool], timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.error is None, self.error
            if cond():
                return
            time.sleep(0.05)
        raise AssertionError(f"not reached in {timeout} s; batches: {self.batches}")

    def ingested(self) -> int:
        return sum(s.ingested for s in self.batches)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "inbox"
    d.mkdir()
    return d


# --------------------------------------------------------------------------- settling


def test_settler_waits_until_size_and_mtime_hold_still():
    s = Settler(settle=3)
    f = Path("/x/a.txt")
    s.observe({f: (10, 1)}, now=0)
    assert s.ready(2.9) == set()
    s.observe({f: (20, 2)}, now=2.9)  # still growing: the clock starts again
    assert s.ready(5) == set() and s.unsettled(5)
    assert s.ready(5.9) == {f}
    s.batch_done({f}, set())
    assert s.ready(100) == set()  # done until it changes again
    s.observe({f: (20, 3)}, now=100)  # touched
    assert s.ready(103) == {f}
    s.observe({}, now=104)
    assert s.gone() == {f}


def test_new_file_is_ingested_and_temporary_names_are_ignored(folder, tmp_path):
    db = tmp_path / "v.db"
    with Watcher(folder, db) as w:
        w.until(lambda: w.batches)  # the catch-up batch of an empty folder
        shutil.copy(LETTER, folder / LETTER.name)
        for name in ("plan.txt.part", "~$plan.docx", "plan.pdf.crdownload", ".hidden.txt"):
            shutil.copy(LETTER, folder / name)
        w.until(lambda: w.ingested() == 1)
    assert [r[0] for r in _rows(db, "SELECT source FROM documents")] == [LETTER.name]
    assert _rows(db, "SELECT count(*) FROM files") == [(1,)]


def test_file_still_being_written_is_read_once_complete(folder, tmp_path):
    db = tmp_path / "v.db"
    data = LETTER.read_bytes()
    target = folder / "letter.txt"
    with Watcher(folder, db, settle=1.5) as w:
        with target.open("wb") as fh:  # a slow copy: a chunk every 0.1 s for ~2 s
            for i in range(0, len(data), len(data) // 20 + 1):
                fh.write(data[i:i + len(data) // 20 + 1])
                fh.flush()
                time.sleep(0.1)
        w.until(lambda: w.ingested() == 1)
        time.sleep(0.5)
    assert sum(len(s.failures) for s in w.batches) == 0
    assert w.total.ingested == 1  # read once, whole
    stored = _rows(db, "SELECT sha256 FROM files")[0][0]
    import hashlib

    assert stored == hashlib.sha256(data).hexdigest()


def test_deleted_file_is_withdrawn_on_the_next_batch(folder, tmp_path):
    db = tmp_path / "v.db"
    shutil.copy(LETTER, folder / LETTER.name)
    with Watcher(folder, db) as w:
        w.until(lambda: w.ingested() == 1)
        (folder / LETTER.name).unlink()
        w.until(lambda: any(s.withdrawn for s in w.batches))
    assert _rows(db, "SELECT status FROM documents") == [("withdrawn",)]


# --------------------------------------------------------------------------- confidential


def test_confidential_document_is_stored_hidden_and_reported_by_watch(folder, tmp_path):
    db = tmp_path / "v.db"
    shutil.copy(SECRET, folder / SECRET.name)
    shutil.copy(LETTER, folder / LETTER.name)
    with Watcher(folder, db) as w:
        w.until(lambda: w.ingested() == 2)
    assert w.total.confidential == [(str((folder / SECRET.name).resolve()), "MẬT")]
    status = dict(_rows(db, "SELECT source, status FROM documents"))
    assert status == {SECRET.name: "confidential", LETTER.name: "active"}
    from schema.db import open_db

    out = tmp_path / "docs.jsonl"
    assert export_documents(open_db(db), "jsonl", out) == 1
    assert SECRET.name not in out.read_text(encoding="utf-8")
    assert export_documents(open_db(db), "jsonl", out, include_confidential=True) == 2


def test_deleting_a_confidential_file_does_not_publish_it(folder, tmp_path):
    # regression: the vanished file was marked 'withdrawn', which replaced 'confidential'
    # and put the document back into the site and the exports
    db = tmp_path / "v.db"
    shutil.copy(SECRET, folder / SECRET.name)
    shutil.copy(LETTER, folder / LETTER.name)
    with Watcher(folder, db) as w:
        w.until(lambda: w.ingested() == 2)
        (folder / SECRET.name).unlink()
        w.until(lambda: any(s.withdrawn for s in w.batches))
    assert dict(_rows(db, "SELECT source, status FROM documents"))[SECRET.name] == \
        "confidential"


def _vanban(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vanban", *args], capture_output=True,
                          text=True, timeout=300, cwd=ROOT)


def test_ingest_summary_names_confidential_documents_and_export_leaves_them_out(
        folder, tmp_path):
    db = tmp_path / "v.db"
    shutil.copy(SECRET, folder / SECRET.name)
    shutil.copy(LETTER, folder / LETTER.name)
    out = _vanban("ingest", str(folder), "--db", str(db), "-j", "1", "--quiet")
    assert out.returncode == 0, out.stderr
    assert ("1 confidential document kept out of the site and exports: "
            "901_cv-mat.txt (MẬT)") in out.stdout
    default = _vanban("export", "documents", "--db", str(db))
    assert [json.loads(ln)["source"] for ln in default.stdout.splitlines()] == [LETTER.name]
    everything = _vanban("export", "documents", "--db", str(db), "--include-confidential")
    assert sorted(json.loads(ln)["source"] for ln in everything.stdout.splitlines()) == \
        sorted([LETTER.name, SECRET.name])


# --------------------------------------------------------------------------- CLI


def _start_watch(folder: Path, db: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "vanban", "watch", str(folder), "--db", str(db),
         "--interval", "0.2", "--settle", "0.5", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        start_new_session=True)


def _wait_for(cond: Callable[[], bool], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if cond():
                return
        except sqlite3.OperationalError:
            pass
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_watch_command_stops_cleanly_on_sigterm_with_a_summary(folder, tmp_path):
    db = tmp_path / "v.db"
    shutil.copy(SECRET, folder / SECRET.name)
    proc = _start_watch(folder, db, "-j", "1")
    _wait_for(lambda: db.exists() and _rows(db, "SELECT count(*) FROM documents")[0][0] == 1)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert "stopped after" in stdout and "1 ingested" in stdout
    assert "1 confidential document kept out of the site and exports: " \
           "901_cv-mat.txt (MẬT)" in stdout


@pytest.mark.slow
def test_ctrl_c_during_a_batch_lets_the_workers_finish(folder, tmp_path):
    """Ctrl-C reaches the whole process group; the workers ignore it, the batch ends and
    the file is stored, not recorded as failed."""
    db = tmp_path / "v.db"
    proc = _start_watch(folder, db, "-j", "2")
    _wait_for(lambda: db.exists() and _rows(db, "SELECT count(*) FROM runs")[0][0] >= 1)
    for seed in SEEDS:
        shutil.copy(seed, folder / seed.name)
    _wait_for(lambda: _rows(db, "SELECT count(*) FROM runs")[0][0] >= 2, timeout=30)
    time.sleep(1.0)  # workers busy with the seeds
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert _rows(db, "SELECT count(*) FROM failures") == [(0,)], stderr
    assert _rows(db, "SELECT count(*) FROM documents") == [(len(SEEDS),)]
    assert "stopped after" in stdout
