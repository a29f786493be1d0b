"""Per-stage timings of one-process ingest, run in a fresh process so that its peak memory
is the peak of a worker.

Stages (wrapped at their module boundaries, not edited):

* read — the reader minus the two below (pdfium characters, DOCX XML, normalization)
* tables — ruled-table finding (``extract.readers._pdf_tables``)
* layout — lines and blocks (``_pdf_layout.build_lines``, ``page_blocks``) and the section
  tree (``extract.structure.build_document``)
* nlp — ``nlp.pipeline.analyze``
* load — ``schema.load.store_document``

With ``--trace`` each stage's peak Python allocation (tracemalloc) is recorded as well;
tracing slows everything down, so its timings are not reported.

Usage: python benchmarks/stages.py FILELIST DB OUT.json [--trace]
"""

from __future__ import annotations

import functools
import json
import resource
import sys
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

STAGES = ("read", "tables", "layout", "nlp", "load")


class Meter:
    def __init__(self, trace: bool):
        self.seconds: dict[str, float] = defaultdict(float)
        self.peak: dict[str, int] = defaultdict(int)
        self.trace = trace
        self.pages = self.words = 0

    def wrap(self, module, name: str, stage: str) -> None:
        fn = getattr(module, name)

        @functools.wraps(fn)
        def timed(*a, **kw):
            if self.trace:
                base = tracemalloc.get_traced_memory()[0]
                tracemalloc.reset_peak()
            t0 = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                self.seconds[stage] += time.perf_counter() - t0
                if self.trace:
                    used = tracemalloc.get_traced_memory()[1] - base
                    self.peak[stage] = max(self.peak[stage], used)

        setattr(module, name, timed)


def install(m: Meter) -> None:
    import extract.readers
    import extract.readers.pdf as pdf
    import extract.structure
    import nlp.pipeline
    import schema.load
    from extract.readers import _pdf_layout, _pdf_tables

    for name in ("rule_edges", "is_grid", "grid_tables", "has_ruled_grid", "page_tables"):
        m.wrap(_pdf_tables, name, "tables")
    m.wrap(_pdf_layout, "build_lines", "layout")
    m.wrap(pdf, "page_blocks", "layout")
    m.wrap(extract.structure, "build_document", "layout")
    m.wrap(nlp.pipeline, "analyze", "nlp")
    m.wrap(schema.load, "store_document", "load")

    read_raw = extract.readers.read_raw

    @functools.wraps(read_raw)
    def counted(path):
        t0 = time.perf_counter()
        before = {k: m.seconds[k] for k in ("tables", "layout")}
        if m.trace:
            base = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
        raw = read_raw(path)
        inner = sum(m.seconds[k] - before[k] for k in before)
        m.seconds["read"] += time.perf_counter() - t0 - inner
        if m.trace:
            m.peak["read"] = max(m.peak["read"], tracemalloc.get_traced_memory()[1] - base)
        m.pages += len(raw.pages)
        m.words += sum(len(b.text.split()) for b in raw.blocks)
        return raw

    extract.readers.read_raw = counted


def main(argv: list[str]) -> None:
    files = Path(argv[0]).read_text().split("\n")
    db, out, trace = argv[1], Path(argv[2]), "--trace" in argv
    from vanban.ingest import ingest

    m = Meter(trace)
    install(m)
    if trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    s = ingest([f for f in files if f], db, jobs=1)
    wall = time.perf_counter() - t0
    out.write_text(json.dumps({
        "seconds": dict(m.seconds), "peak_bytes": dict(m.peak), "pages": m.pages,
        "words": m.words, "wall": wall, "files": s.seen, "failed": s.failed,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
