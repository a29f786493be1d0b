"""Incremental ingest: files → extract + NLP (worker processes) → SQLite (one writer).

* A file whose size and mtime match the last run is skipped without reading it; one whose
  bytes hash the same is skipped after hashing (its mtime is refreshed).
* Each file is processed in a worker process with a time and memory limit, so a PDF bomb
  or a hung parser costs that file only; the failure is recorded with its reason.
* Each document is written in one transaction (``schema.load.store_document``): a crash
  mid-run leaves the database as it was before the file being written.
* Files that disappeared from an ingested folder are marked withdrawn, not deleted.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from extract import file_sha256

log = logging.getLogger(__name__)

SUPPORTED = {".pdf", ".docx", ".doc", ".txt", ".md", ".markdown", ".html", ".htm"}
_PARTIAL = (".part", ".crdownload", ".tmp", ".download")


@dataclass
class RunSummary:
    run_id: int = 0
    seen: int = 0
    ingested: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    withdrawn: int = 0
    tasks: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    confidential: list[tuple[str, str]] = field(default_factory=list)  # (path, MẬT…)
    seconds: float = 0.0


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Document files under the given files/folders (hidden, temporary and Office lock
    files are left out)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            candidates = sorted(x for x in p.rglob("*") if x.is_file())
        else:
            candidates = [p]
        for f in candidates:
            name = f.name
            if name.startswith((".", "~$")) or name.endswith(_PARTIAL):
                continue
            if p.is_dir() and f.suffix.lower() not in SUPPORTED:
                continue
            out.append(f.resolve())
    return out


# ------------------------------------------------------------------------ worker


def _init_worker(limit_mb: int, warm: bool = False) -> None:
    """Worker start: Ctrl-C is for the parent, which stops or kills the workers itself (a
    worker interrupted half-way would record a good file as failed). A ``warm`` worker
    loads the language models now, so its first file costs only its own processing."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_memory(limit_mb)
    if warm:
        warm_up()


def warm_up() -> None:
    """Load what the first document would: spaCy, underthesea's model, the gazetteer."""
    from nlp.lang import analyze_text

    analyze_text("1. Sở Tư pháp chủ trì, phối hợp với Công an tỉnh rà soát, hoàn thành "
                 "trước ngày 30/6/2025; phấn đấu 80% hồ sơ xử lý trực tuyến.")


def _limit_memory(limit_mb: int) -> None:
    if limit_mb <= 0:
        return
    try:
        import resource

        limit = limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # pragma: no cover - platform without rlimit
        log.warning("could not set a memory limit for workers")


def process_file(path: str):
    """Worker: extract + analyze one file. Returns ("ok", doc, analysis) or
    ("error", reason, detail); never raises."""
    from extract import extract_file
    from extract.errors import ExtractError
    from nlp.pipeline import analyze

    try:
        doc = extract_file(path)
        return ("ok", doc, analyze(doc))
    except ExtractError as e:
        return ("error", e.reason, e.detail)
    except MemoryError:
        return ("error", "memory", "the file needed more memory than a worker may use")
    except RecursionError:
        return ("error", "crash", "structure nested too deeply")
    except Exception as e:  # noqa: BLE001 - a bug on one file must not stop the batch
        log.exception("unexpected error on %s", path)
        return ("error", "crash", f"{type(e).__name__}: {e}")


def _ready() -> bool:
    return True


_DIED = "the worker process died (out of memory or a crash)"


class WorkerPool:
    """Process pool that survives a worker being killed or timing out. When a worker dies
    (memory limit, a crash in native code), the files that were running are retried one at
    a time, so the file that kills its worker is the one recorded."""

    def __init__(self, jobs: int, timeout: float, memory_mb: int, *, keep: bool = False):
        """``keep``: the workers outlive :meth:`run` (warm, with their models loaded) until
        :meth:`close` — for ``vanban watch``, where the next file should not pay a start."""
        self.jobs, self.timeout, self.memory_mb, self.keep = jobs, timeout, memory_mb, keep
        self._pool: ProcessPoolExecutor | None = None
        self._suspects: set[str] = set()  # running when a worker died: retried alone

    def _new(self) -> ProcessPoolExecutor:
        # OCR runs tesseract per page in its own processes: share the cores out so
        # workers × OCR jobs does not oversubscribe them (spawned workers inherit it)
        os.environ.setdefault("VANBAN_OCR_JOBS",
                              str(max(1, (os.cpu_count() or 1) // self.jobs)))
        return ProcessPoolExecutor(self.jobs, mp_context=get_context("spawn"),
                                   initializer=_init_worker,
                                   initargs=(self.memory_mb, self.keep))

    def start(self) -> None:
        """Start the workers now and wait until they are warm (for a kept pool)."""
        if self._pool is None:
            self._pool = self._new()
        for fut in [self._pool.submit(_ready) for _ in range(self.jobs)]:
            fut.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def run(self, paths: list[str], on_result: Callable[[str, tuple], None]) -> None:
        pending = list(reversed(paths))
        running: dict[Future, tuple[str, float]] = {}
        if self._pool is None:
            self._pool = self._new()
        try:
            while pending or running:
                broken = not self._fill(pending, running)
                done, _ = wait(running, timeout=1.0, return_when=FIRST_COMPLETED)
                alone = len(running) == 1
                for fut in done:
                    path, _ = running.pop(fut)
                    result = self._result(fut)
                    died = result[0] == "error" and result[2] == _DIED
                    if not died or alone or path in self._suspects:
                        on_result(path, result)
                    else:  # one of the files running when the worker died: retry it alone
                        self._suspects.add(path)
                        pending.append(path)
                    broken = broken or died
                if broken or self._expired(running):
                    self._restart(running, pending, on_result)
        except BaseException:  # Ctrl-C in the parent: do not wait for the running files
            self._kill()
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
            raise
        if not self.keep:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _kill(self) -> None:
        assert self._pool is not None
        for proc in list(getattr(self._pool, "_processes", {}).values()):
            proc.kill()

    def _fill(self, pending: list[str], running: dict[Future, tuple[str, float]]) -> bool:
        """Submit pending files; a suspect runs alone. False when the pool is broken."""
        assert self._pool is not None
        while pending and len(running) < self.jobs:
            if running and (pending[-1] in self._suspects or
                            any(p in self._suspects for p, _ in running.values())):
                break
            p = pending.pop()
            try:
                running[self._pool.submit(process_file, p)] = (p, time.monotonic())
            except BrokenProcessPool:
                pending.append(p)
                return False
        return True

    def _result(self, fut: Future) -> tuple:
        try:
            return fut.result()
        except BrokenProcessPool:
            return ("error", "crash", _DIED)
        except Exception as e:  # noqa: BLE001
            return ("error", "crash", f"{type(e).__name__}: {e}")

    def _expired(self, running: dict[Future, tuple[str, float]]) -> bool:
        now = time.monotonic()
        return any(now - t0 > self.timeout for _, t0 in running.values())

    def _restart(self, running, pending, on_result) -> None:
        """Kill the pool; time out the expired files, retry the others."""
        now = time.monotonic()
        assert self._pool is not None
        self._kill()
        self._pool.shutdown(wait=False, cancel_futures=True)
        for path, t0 in list(running.values()):
            if now - t0 > self.timeout:
                on_result(path, ("error", "timeout",
                                 f"no result after {self.timeout:.0f} s; the file can be retried"))
            else:
                pending.append(path)
        running.clear()
        self._pool = self._new()


# ------------------------------------------------------------------------ ingest


def ingest(paths: Iterable[str | Path], db_path: str | Path, *, jobs: int | None = None,
           timeout: float = 300.0, memory_mb: int = 2048, force: bool = False,
           progress: Callable[[str], None] | None = None,
           ready: Callable[[Path], bool] | None = None,
           pool: WorkerPool | None = None) -> RunSummary:
    """Ingest every new or changed file under ``paths`` into ``db_path``.

    Files for which ``ready`` returns False (a watched file still being copied) are left
    for a later run; they count as present, so they are not withdrawn. ``pool``: worker
    processes to use (and keep) instead of new ones, as ``vanban watch`` does."""
    from schema.db import open_db
    from schema.load import finish_run, refresh_task_list, resolve_citations, start_run

    t0 = time.monotonic()
    roots = [Path(p).resolve() for p in paths]
    files = discover(roots)
    db = open_db(db_path)
    s = RunSummary(run_id=start_run(db), seen=len(files))
    known = {} if force else _known_files(db)
    todo = [f for f in files if (ready is None or ready(f))
            and (force or _changed(db, f, s, known.get(str(f))))]
    if todo:
        writer = _Writer(db, s, progress)
        jobs = jobs or os.cpu_count() or 1
        # largest first: a long plan started last would leave the other workers idle
        largest_first = [str(f) for f in sorted(todo, key=_size, reverse=True)]
        if pool is not None:
            pool.run(largest_first, writer)
        elif jobs == 1:  # in this process: no time or memory limit
            for f in todo:
                writer(str(f), process_file(str(f)))
        else:
            WorkerPool(min(jobs, len(todo)), timeout, memory_mb).run(largest_first, writer)
    s.withdrawn = _withdraw_missing(db, roots, files)
    if s.ingested:
        resolve_citations(db)
    refresh_task_list(db, changed=bool(s.ingested or s.withdrawn))
    s.seconds = time.monotonic() - t0
    finish_run(db, s.run_id, {
        "files_seen": s.seen, "files_ingested": s.ingested, "files_skipped": s.skipped +
        s.unchanged, "files_failed": s.failed, "tasks": s.tasks,
        "status": "ok" if not s.failed else "partial"})
    return s


def _size(f: Path) -> int:
    try:
        return f.stat().st_size
    except OSError:
        return 0


def _known_files(db) -> dict[str, tuple]:
    """path → (status, size, mtime, sha256) of every file seen before: one query for the
    whole run instead of one per file."""
    return {row[0]: row[1:] for row in db.conn.execute(
        "SELECT path, status, size, mtime, sha256 FROM files")}


def _changed(db, f: Path, s: RunSummary, row: tuple | None) -> bool:
    st = f.stat()
    known = dict(zip(("status", "size", "mtime", "sha256"), row, strict=True)) if row else None
    if known and known["status"] in ("ingested", "failed") and \
            known["size"] == st.st_size and known["mtime"] == st.st_mtime:
        s.skipped += 1  # a failed file is retried when it changes, or with --force
        return False
    if known and known["status"] == "ingested" and known["sha256"] == file_sha256(f):
        with db.conn:
            db.conn.execute("UPDATE files SET mtime = ?, size = ? WHERE path = ?",
                            (st.st_mtime, st.st_size, str(f)))
        s.skipped += 1
        return False
    return True


class _Writer:
    """Single writer: stores each worker result in its own transaction."""

    def __init__(self, db, summary: RunSummary, progress: Callable[[str], None] | None):
        self.db, self.s, self.progress = db, summary, progress

    def __call__(self, path: str, result: tuple) -> None:
        from nlp.pipeline import jurisdiction_of
        from schema.keys import doc_id_for
        from schema.load import record_failure, store_document

        f = Path(path)
        try:
            st = f.stat()
            sha = file_sha256(f)
        except OSError as e:
            result, st, sha = ("error", "unreadable", str(e)), None, None
        counts = None
        if result[0] == "ok":
            _, doc, analysis = result
            try:
                counts = store_document(
                    self.db, doc, analysis, doc_id=doc_id_for(path), path=path, sha256=sha,
                    size=st.st_size, mtime=st.st_mtime, jurisdiction=jurisdiction_of(doc),
                    run_id=self.s.run_id)
            except Exception as e:  # noqa: BLE001 - the transaction rolled back
                log.exception("storing %s failed", path)
                result = ("error", "crash", f"storing failed: {type(e).__name__}: {e}")
        if counts is not None:
            if doc.header.confidentiality:  # stored with status 'confidential'
                self.s.confidential.append((path, doc.header.confidentiality))
            if counts.get("unchanged"):
                self.s.unchanged += 1
            else:
                self.s.ingested += 1
                self.s.tasks += len(analysis.tasks)
        if result[0] == "error":
            _, reason, detail = result
            record_failure(self.db, self.s.run_id, path, reason, detail, sha256=sha,
                           size=st.st_size if st else None, mtime=st.st_mtime if st else None)
            self.s.failed += 1
            self.s.failures.append((path, reason, detail))
        if self.progress:
            self.progress(f.name)


def _withdraw_missing(db, roots: list[Path], files: list[Path]) -> int:
    """Documents whose file vanished from an ingested folder are flagged, not deleted.
    A confidential document keeps its status: 'withdrawn' would publish it."""
    from schema.load import mark_withdrawn

    present = {str(f) for f in files}
    n = 0
    for row in db.query("SELECT f.path, f.doc_id, d.status FROM files f LEFT JOIN documents d "
                        "ON d.id = f.doc_id WHERE f.status = 'ingested'"):
        p = Path(row["path"])
        if str(p) in present or not any(_under(p, r) for r in roots if r.is_dir()):
            continue
        if row["doc_id"] and row["status"] != "confidential":
            mark_withdrawn(db, row["doc_id"])
        with db.conn:
            db.conn.execute("UPDATE files SET status = 'missing' WHERE path = ?", (str(p),))
        n += 1
    return n


def _under(p: Path, root: Path) -> bool:
    try:
        p.relative_to(root)
        return True
    except ValueError:
        return False
