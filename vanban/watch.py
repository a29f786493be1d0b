"""Watched folder: ingest files as they appear or change, until stopped.

Polling with ``stat`` (portable, no inotify): every ``interval`` seconds the folders are
listed with :func:`vanban.ingest.discover` (temporary and lock files left out). A file is
*settled* once its size and mtime have stayed the same for ``settle`` seconds, so a file
still being copied is never read half-written. When settled files are new or changed, or
ingested files vanished, one batch runs: :func:`vanban.ingest.ingest` over the watched
folders with only the settled files read (worker time and memory limits, failures recorded,
vanished files withdrawn).

Stopping (``stop`` set, e.g. by Ctrl-C or SIGTERM in the CLI) takes effect between batches;
the worker processes ignore Ctrl-C, so the batch under way finishes whole.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from vanban.ingest import RunSummary, WorkerPool, discover, ingest

log = logging.getLogger(__name__)

Signature = tuple[int, int]  # (size, mtime in ns)


@dataclass
class WatchSummary:
    """Totals over the batches of one watch session."""

    batches: int = 0
    ingested: int = 0
    failed: int = 0
    withdrawn: int = 0
    tasks: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    confidential: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, s: RunSummary) -> None:
        self.batches += 1
        self.ingested += s.ingested
        self.failed += s.failed
        self.withdrawn += s.withdrawn
        self.tasks += s.tasks
        self.failures += s.failures
        self.confidential += [c for c in s.confidential if c not in self.confidential]


def scan(roots: Iterable[Path]) -> dict[Path, Signature]:
    """(size, mtime) of every document file under ``roots`` now."""
    out: dict[Path, Signature] = {}
    for f in discover(roots):
        try:
            st = f.stat()
        except OSError:  # vanished between listing and stat
            continue
        out[f] = (st.st_size, st.st_mtime_ns)
    return out


class Settler:
    """Tracks when each file last changed; says which files are settled and not yet done."""

    def __init__(self, settle: float):
        self.settle = settle
        self.since: dict[Path, tuple[Signature, float]] = {}  # signature, first seen at
        self.done: dict[Path, Signature] = {}  # signature handed to a batch

    def observe(self, snapshot: dict[Path, Signature], now: float) -> None:
        for path, sig in snapshot.items():
            if path not in self.since or self.since[path][0] != sig:
                self.since[path] = (sig, now)
        for path in set(self.since) - set(snapshot):
            del self.since[path]

    def ready(self, now: float) -> set[Path]:
        """Settled files whose current signature has not been ingested yet."""
        return {p for p, (sig, t0) in self.since.items()
                if now - t0 >= self.settle and self.done.get(p) != sig}

    def unsettled(self, now: float) -> bool:
        return any(now - t0 < self.settle for _, t0 in self.since.values())

    def gone(self) -> set[Path]:
        """Files handed to a batch before that are no longer there."""
        return set(self.done) - set(self.since)

    def batch_done(self, ready: set[Path], gone: set[Path]) -> None:
        for p in ready:
            self.done[p] = self.since[p][0]
        for p in gone:
            del self.done[p]


def watch(paths: Iterable[str | Path], db_path: str | Path, *, interval: float = 2.0,
          settle: float = 3.0, jobs: int | None = None, timeout: float = 300.0,
          memory_mb: int = 2048, stop: threading.Event | None = None,
          on_batch: Callable[[RunSummary], None] | None = None) -> WatchSummary:
    """Ingest files under ``paths`` as they settle, until ``stop`` is set.

    The first batch also catches up with what changed while nobody watched (files
    deleted meanwhile are withdrawn). ``on_batch`` is called with each batch's summary.
    """
    roots = [Path(p).resolve() for p in paths]
    stop = stop or threading.Event()
    settler = Settler(settle)
    total = WatchSummary()
    t_start = time.monotonic()
    first = True
    pool = _warm_pool(jobs, timeout, memory_mb)
    try:
        while not stop.is_set():
            now = time.monotonic()
            settler.observe(scan(roots), now)
            ready, gone = settler.ready(now), settler.gone()
            if ready or gone or (first and not settler.unsettled(now)):
                first = False
                s = ingest(roots, db_path, jobs=jobs, timeout=timeout, memory_mb=memory_mb,
                           ready=ready.__contains__, pool=pool)
                settler.batch_done(ready, gone)
                total.add(s)
                log.info("batch %d: %d ingested, %d failed, %d withdrawn", total.batches,
                         s.ingested, s.failed, s.withdrawn)
                if on_batch:
                    on_batch(s)
            stop.wait(interval)
    finally:
        if pool is not None:
            pool.close()
    total.seconds = time.monotonic() - t_start
    return total


def _warm_pool(jobs: int | None, timeout: float, memory_mb: int) -> WorkerPool | None:
    """Worker processes kept for the whole watch, models loaded: a file dropped in later
    is processed at once instead of after a process start (~2 s). None for ``jobs=1``."""
    workers = jobs or os.cpu_count() or 1
    if workers == 1:
        return None
    pool = WorkerPool(workers, timeout, memory_mb, keep=True)
    pool.start()
    return pool

