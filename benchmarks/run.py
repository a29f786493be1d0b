"""The ingest benchmark: throughput per stage, against pdfplumber, re-ingest and memory.

Builds (or reuses, under ``bench-data/``) a synthetic corpus in the official layout — born-
digital PDFs made with LibreOffice, DOCX, a few 300-page plans and a few scans — then:

1. pdfplumber ``extract_text()`` on one core over the born-digital PDFs (the baseline);
2. ``vanban.ingest.ingest(..., jobs=2)`` over the same PDFs (extract + NLP + load), then the
   DOCX and the scans: end-to-end pages/s and the ratio to the baseline;
3. a one-process run over the PDFs and DOCX in a fresh process, timing each stage (read,
   tables, layout, NLP, load) and a worker's peak RSS, plus a traced run on a sample for
   each stage's peak Python allocation;
4. a no-op re-ingest of 1,000 unchanged files, and one changed file among them;
5. peak RSS of ``extract_file`` + ``analyze`` on a 300-page plan in a fresh process;
6. the Datasette timings of ``benchmarks/site_bench.py`` (search and faceted task-list
   pages on 1,000,000 tasks; 20,000 with ``--small``; ``--no-site`` skips them).

Usage:
    python benchmarks/run.py               # the full run (several minutes)
    python benchmarks/run.py --small       # a tiny corpus: proves the script runs
    python benchmarks/run.py --docs 400 --json bench.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus as corpus_mod  # noqa: E402

TARGETS = {"ratio": 3.0, "pages_s": 20.0, "noop_s": 1.0, "change_overhead_s": 1.0,
           "plan_rss_mb": 1024.0}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


# ----------------------------------------------------------------------------- measures


def bench_pdfplumber(paths: list[Path]) -> dict:
    import pdfplumber

    pages = words = 0
    t0 = time.perf_counter()
    for p in paths:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                words += len((page.extract_text() or "").split())
                pages += 1
                page.flush_cache()
    secs = time.perf_counter() - t0
    return {"pages": pages, "words": words, "seconds": secs, "pages_s": pages / secs}


def bench_ingest(paths: list[Path], db: Path, jobs: int, pages: int) -> dict:
    from vanban.ingest import ingest

    t0 = time.perf_counter()
    s = ingest(paths, db, jobs=jobs)
    secs = time.perf_counter() - t0
    return {"files": s.seen, "ingested": s.ingested, "failed": s.failed, "tasks": s.tasks,
            "pages": pages, "seconds": secs, "pages_s": pages / secs if pages else None,
            "failures": s.failures[:5]}


def bench_stages(paths: list[Path], work: Path, trace: bool = False) -> dict:
    lst = work / ("trace.lst" if trace else "stages.lst")
    lst.write_text("\n".join(map(str, paths)))
    out = work / ("trace.json" if trace else "stages.json")
    db = work / ("trace.db" if trace else "stages.db")
    cmd = [sys.executable, str(HERE / "stages.py"), str(lst), str(db), str(out)]
    subprocess.run(cmd + (["--trace"] if trace else []), check=True)
    return json.loads(out.read_text())


_PLAN = """
import resource, sys, time
from extract import extract_file
from nlp.pipeline import analyze
t0 = time.perf_counter()
doc = extract_file(sys.argv[1])
t1 = time.perf_counter()
a = analyze(doc)
t2 = time.perf_counter()
print(len(doc.text.split()), len(a.tasks), t1 - t0, t2 - t1,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def bench_plan(path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", _PLAN, str(path)], check=True,
                         capture_output=True, text=True, cwd=ROOT).stdout.split()
    words, tasks, ext, nlp, rss = int(out[0]), int(out[1]), *map(float, out[2:])
    return {"file": path.name, "pages": page_count(path), "words": words, "tasks": tasks,
            "extract_s": ext, "nlp_s": nlp, "maxrss_mb": rss}


def bench_reingest(base: Path, n: int) -> dict:
    """No-op re-ingest of ``n`` unchanged files, then one changed file among them."""
    from vanban.ingest import ingest

    folder = corpus_mod.build_small_files(base, n)
    db = base / f"noop-{n}.db"
    if not (folder / "ingested").exists() or not db.exists():
        db.unlink(missing_ok=True)
        log(f"first ingest of {n} small files (cached for later runs)")
        ingest([folder], db, jobs=2)
        (folder / "ingested").write_text("")
    t0 = time.perf_counter()
    s = ingest([folder], db, jobs=2)
    noop = time.perf_counter() - t0
    cli = _cli_seconds(folder, db)
    # one changed file: ingest starts a worker for it, so its processing is a cold start
    # (imports + first NLP call) plus the file; both are measured in a fresh process
    target = sorted(folder.glob("*.txt"))[n // 2]
    with target.open("a", encoding="utf-8") as f:
        f.write(f"3. Sở Tư pháp báo cáo trước ngày {1 + int(time.time()) % 28}/12/2026.\n")
    t0 = time.perf_counter()
    s2 = ingest([folder], db, jobs=2)
    change = time.perf_counter() - t0
    cold, warm = _cold_processing(target)
    # the same change seen by `vanban watch`, whose workers are kept warm between batches
    from vanban.ingest import WorkerPool

    pool = WorkerPool(2, timeout=300, memory_mb=2048, keep=True)
    pool.start()
    try:
        with target.open("a", encoding="utf-8") as f:
            f.write("4. Công an tỉnh phối hợp thực hiện.\n")
        t0 = time.perf_counter()
        s3 = ingest([folder], db, pool=pool)
        change_warm = time.perf_counter() - t0
    finally:
        pool.close()
    return {"files": n, "noop_s": noop, "noop_skipped": s.skipped, "noop_cli_s": cli,
            "change_s": change, "change_ingested": s2.ingested,
            "change_processing_s": cold, "change_warm_processing_s": warm,
            "change_overhead_s": change - cold,
            "change_watch_s": change_warm, "change_watch_ingested": s3.ingested,
            "change_watch_overhead_s": change_warm - warm}


_COLD = """
import sys, time
t0 = time.perf_counter()
from vanban.ingest import process_file
process_file(sys.argv[1])
t1 = time.perf_counter()
process_file(sys.argv[1])
print(t1 - t0, time.perf_counter() - t1)
"""


def _cold_processing(path: Path) -> tuple[float, float]:
    """Seconds to import and process ``path`` in a fresh process, and to process it again."""
    out = subprocess.run([sys.executable, "-c", _COLD, str(path)], check=True,
                         capture_output=True, text=True, cwd=ROOT).stdout.split()
    return float(out[0]), float(out[1])


def _cli_seconds(folder: Path, db: Path) -> float:
    exe = Path(sys.executable).with_name("vanban")
    if not exe.exists():
        return float("nan")
    t0 = time.perf_counter()
    subprocess.run([str(exe), "ingest", str(folder), "--db", str(db), "--jobs", "2"],
                   check=True, capture_output=True)
    return time.perf_counter() - t0


def bench_site(out: dict, small: bool, data: Path) -> None:
    """The Datasette timings of ``benchmarks/site_bench.py`` (built separately), which prints
    its results as JSON; ``--small`` runs it on 20,000 tasks."""
    script = HERE / "site_bench.py"
    if not script.exists():
        out["site"] = {"skipped": "benchmarks/site_bench.py does not exist yet"}
        return
    cmd = [sys.executable, str(script)]
    if small:
        cmd += ["--tasks", "20000", "--requests", "5", "--db", str(data / "site-small.db")]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    text = proc.stdout
    try:
        out["site"] = json.loads(text[text.index("{"):]) if proc.returncode == 0 else {
            "failed": f"site_bench.py exited {proc.returncode}: {proc.stderr[-300:]}"}
    except ValueError:
        out["site"] = {"failed": "site_bench.py printed no JSON"}


# ----------------------------------------------------------------------------- report


def _mb(b: float) -> str:
    return f"{b / 2**20:,.0f} MB"


def report(r: dict) -> str:
    lines = [f"corpus: {r['corpus']['pdfs']} born-digital PDFs ({r['corpus']['pdf_pages']} pages, "
             f"{r['corpus']['big']} plans of ~300 pages), {r['corpus']['docx']} DOCX, "
             f"{r['corpus']['scans']} scans; {os.cpu_count()} cores", ""]
    st = r["stages"]
    tr = r.get("trace", {}).get("peak_bytes", {})
    lines.append(f"{'stage (1 process)':<18}{'seconds':>9}{'pages/s':>10}{'words/s':>12}"
                 f"{'peak py alloc':>15}")
    total = 0.0
    for k in ("read", "tables", "layout", "nlp", "load"):
        secs = st["seconds"].get(k, 0.0)
        total += secs
        lines.append(f"{k:<18}{secs:>9.2f}{_rate(st['pages'], secs):>10}"
                     f"{_rate(st['words'], secs):>12}{_mb(tr[k]) if k in tr else '-':>15}")
    lines.append(f"{'sum of stages':<18}{total:>9.2f}{_rate(st['pages'], total):>10}"
                 f"{_rate(st['words'], total):>12}")
    lines.append(f"{'wall (1 process)':<18}{st['wall']:>9.2f}{_rate(st['pages'], st['wall']):>10}"
                 f"{_rate(st['words'], st['wall']):>12}   worker peak RSS "
                 f"{st['maxrss_mb']:,.0f} MB")
    pl, e2e = r["pdfplumber"], r["ingest_pdf"]
    lines += ["", f"{'end to end, born-digital PDF':<36}{'seconds':>9}{'pages/s':>10}",
              f"{'pdfplumber extract_text, 1 core':<36}{pl['seconds']:>9.2f}{pl['pages_s']:>10.1f}",
              f"{'vanban ingest, jobs=2':<36}{e2e['seconds']:>9.2f}{e2e['pages_s']:>10.1f}",
              f"ratio vanban/pdfplumber: {r['ratio']:.2f}x (target >= {TARGETS['ratio']:.0f}x); "
              f"{e2e['pages_s']:.1f} pages/s (target >= {TARGETS['pages_s']:.0f})"]
    for key, label in (("ingest_docx", "DOCX"), ("ingest_scan", "scans (OCR)")):
        x = r.get(key)
        if x and x["files"]:
            rate = f"{x['pages_s']:.2f} pages/s" if x.get("pages_s") else \
                f"{x['files'] / x['seconds']:.1f} files/s"
            lines.append(f"  {label}: {x['files']} files in {x['seconds']:.1f} s ({rate}), "
                         f"{x['failed']} failed")
    ri = r["reingest"]
    lines += ["", f"no-op re-ingest of {ri['files']} files: {ri['noop_s']:.3f} s "
              f"(CLI with start-up {ri['noop_cli_s']:.2f} s; target < {TARGETS['noop_s']:.0f} s)",
              f"one changed file: {ri['change_s']:.3f} s = processing in a fresh worker "
              f"{ri['change_processing_s']:.3f} s (of which the file itself "
              f"{ri['change_warm_processing_s']:.3f} s) + overhead {ri['change_overhead_s']:.3f} s"
              f" (target overhead < 1 s)",
              f"one changed file, warm workers (vanban watch): {ri['change_watch_s']:.3f} s = "
              f"the file {ri['change_warm_processing_s']:.3f} s + overhead "
              f"{ri['change_watch_overhead_s']:.3f} s"]
    p = r.get("plan")
    if p:
        lines.append(f"300-page plan {p['file']} ({p['pages']} pages, {p['words']:,} words, "
                     f"{p['tasks']} tasks): extract {p['extract_s']:.1f} s, NLP {p['nlp_s']:.1f} s, "
                     f"peak RSS {p['maxrss_mb']:,.0f} MB (target < 1 GB)")
    lines.append(f"benchmark process peak RSS: {r['main_maxrss_mb']:,.0f} MB")
    site = (r.get("site") or {}).get("site")
    if site:
        lines += ["", f"{'Datasette, ' + str(r['site'].get('tasks', '')) + ' tasks':<40}"
                  f"{'p50 ms':>9}{'p95 ms':>9}"]
        lines += [f"  {label:<38}{t['p50']:>9.1f}{t['p95']:>9.1f}" for label, t in site.items()
                  if isinstance(t, dict)]
        if "_columns_loaded_s" in site:
            lines.append(f"  (facet columns loaded in the background in "
                         f"{site['_columns_loaded_s']:.1f} s after start)")
    elif "site" in r:
        lines.append(f"site: {json.dumps(r['site'])[:400]}")
    return "\n".join(lines)


def _rate(n: float, secs: float) -> str:
    return f"{n / secs:,.0f}" if secs > 0 else "-"


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", action="store_true", help="tiny corpus (< 60 s): a smoke run")
    ap.add_argument("--docs", type=int, default=240, help="documents besides the big plans")
    ap.add_argument("--big", type=int, default=3, help="300-page plans")
    ap.add_argument("--scans", type=int, default=3, help="image-only PDFs")
    ap.add_argument("--noop", type=int, default=1000, help="files in the re-ingest corpus")
    ap.add_argument("--data", type=Path, default=ROOT / "bench-data")
    ap.add_argument("--json", type=Path, help="write the results to this file")
    ap.add_argument("--no-site", dest="site", action="store_false",
                    help="skip the Datasette timings (benchmarks/site_bench.py)")
    a = ap.parse_args(argv)
    if a.small:
        a.docs, a.big, a.scans, a.noop = 4, 0, 1, 20
    a.data.mkdir(parents=True, exist_ok=True)
    c = corpus_mod.build(a.data, a.docs, a.big, a.scans, log=log)
    r: dict = {"corpus": {"pdfs": len(c.pdfs), "pdf_pages": sum(map(page_count, c.pdfs)),
                          "big": len(c.big), "docx": len(c.docxs), "scans": len(c.scans)}}
    with tempfile.TemporaryDirectory(dir=a.data) as tmp:
        work = Path(tmp)
        log("pdfplumber extract_text, one core")
        r["pdfplumber"] = bench_pdfplumber(list(c.pdfs))
        log("vanban ingest, jobs=2")
        db = work / "e2e.db"
        r["ingest_pdf"] = bench_ingest(list(c.pdfs), db, 2, r["corpus"]["pdf_pages"])
        r["ratio"] = r["ingest_pdf"]["pages_s"] / r["pdfplumber"]["pages_s"]
        r["ingest_docx"] = bench_ingest(list(c.docxs), db, 2, 0)
        r["ingest_scan"] = bench_ingest(list(c.scans), db, 2, sum(map(page_count, c.scans)))
        log("stages, one process")
        r["stages"] = bench_stages(list(c.pdfs + c.docxs), work)
        small = [p for p in c.pdfs if p not in c.big][:12] + list(c.docxs[:3])
        r["trace"] = bench_stages(small, work, trace=True)
        if c.big:
            log("300-page plan, fresh process")
            r["plan"] = bench_plan(c.big[0])
    log("re-ingest")
    r["reingest"] = bench_reingest(a.data, a.noop)
    if a.site:
        log("site (Datasette)")
        bench_site(r, a.small, a.data)
    r["main_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(report(r))
    if a.json:
        a.json.write_text(json.dumps(r, indent=2, default=str))
    return r


if __name__ == "__main__":
    main()
