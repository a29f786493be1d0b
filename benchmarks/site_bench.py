"""How fast the vanban site answers on 1,000,000 synthetic tasks.

    .venv/bin/python benchmarks/site_bench.py [--tasks 1000000] [--db bench-data/site.db]
        [--requests 50] [--configs site,immutable]

Builds (once; reused when the file exists) a database with the real schema: 5,000
documents, ~300 agencies (some with successors), the tasks (~200 characters of
administrative Vietnamese each, with folded text), 1.5 agencies and 0.4 deadlines per
task, the FTS5 indexes, and the materialized task list with its facet counts (built at
the end with ``schema.tasklist.rebuild``; ingest keeps them document by document). Then
serves it with ``vanban.serve`` and times ``--requests`` requests per URL: searches, the
faceted task list without a filter, with one facet filter (read from precomputed counts)
and with two filters or a non-facet filter (counted live), a stored query and a task
page. Prints median and p95 in ms. Not part of the tests.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from site_server import free_port  # noqa: E402

from extract.normalize import fold  # noqa: E402
from schema import tasklist  # noqa: E402
from schema.db import open_db  # noqa: E402

DOCS = 5_000
SECTIONS_PER_DOC = 20
AGENCY_NAMES = [
    "Sở Tư pháp", "Sở Nội vụ", "Sở Tài chính", "Sở Xây dựng", "Sở Y tế", "Sở Công Thương",
    "Sở Giáo dục và Đào tạo", "Sở Khoa học và Công nghệ", "Sở Nông nghiệp và Môi trường",
    "Sở Văn hóa, Thể thao và Du lịch", "Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh",
    "Văn phòng Ủy ban nhân dân tỉnh", "Ban Quản lý các khu công nghiệp", "Thanh tra tỉnh",
    "Sở Dân tộc và Tôn giáo", "Báo và Phát thanh, Truyền hình tỉnh", "Kho bạc Nhà nước",
]
PREDECESSORS = {"Sở Thông tin và Truyền thông": "Sở Khoa học và Công nghệ",
                "Sở Kế hoạch và Đầu tư": "Sở Tài chính",
                "Sở Tài nguyên và Môi trường": "Sở Nông nghiệp và Môi trường"}
PLACES = ["Tuyên Quang", "Lâm Đồng", "Đồng Nai", "Đồng Tháp", "Lai Châu", "Đắk Lắk",
          "Hòa Bình", "Khánh Hòa", "Thanh Hóa", "Quảng Ngãi"]
VERBS = ["Chủ trì, phối hợp", "Tham mưu", "Rà soát", "Hướng dẫn", "Tổng hợp, báo cáo",
         "Triển khai", "Kiểm tra, đôn đốc", "Xây dựng kế hoạch"]
OBJECTS = ["chuyển đổi số", "cải cách hành chính", "dịch vụ công trực tuyến toàn trình",
           "đồng bộ hóa dữ liệu dân cư", "phòng, chống ma túy", "xúc tiến đầu tư",
           "an toàn giao thông", "quy hoạch mạng lưới cơ sở", "hồ sơ thủ tục hành chính",
           "Đề án 06", "chỉ số PAR Index", "thu ngân sách nhà nước"]
TYPES = [("ke_hoach", "KH-UBND", "Kế hoạch"), ("cong_van", "UBND-VP", "Công văn"),
         ("quyet_dinh", "QĐ-UBND", "Quyết định"), ("thong_bao", "TB-UBND", "Thông báo")]
URLS = {
    "search 'so tu phap'": "/-/search?q=so+tu+phap",
    "search 'chuyen doi so'": "/-/search?q=chuyen+doi+so",
    "search '56/TB-VPCP'": "/-/search?q=56%2FTB-VPCP",
    "task_list, 7 facets": "/{db}/task_list",
    "task_list, agency filter": "/{db}/task_list?" + urlencode({"cơ quan": "Sở Tư pháp"}),
    "task_list, status filter": "/{db}/task_list?" + urlencode({"tình trạng": "quá hạn"}),
    "task_list, month filter": "/{db}/task_list?" + urlencode({"tháng hạn": "{month}"}),
    "task_list, agency + role": "/{db}/task_list?" + urlencode(
        {"cơ quan": "Sở Tư pháp", "vai trò": "phối hợp"}),
    "task_list, status + month": "/{db}/task_list?" + urlencode(
        {"tình trạng": "đến hạn trong 30 ngày", "tháng hạn": "{month}"}),
    "task_list, one document": "/{db}/task_list?" + urlencode(
        {"mã văn bản": "doc00001.pdf"}),
    "task_list JSON, agency filter": "/{db}/task_list.json?" + urlencode(
        {"cơ quan": "Sở Tư pháp"}),
    "canned: tasks of agency": "/{db}/nhiem_vu_cua_co_quan?co_quan=so+tu+phap",
    "task page": "/-/task/{task}",
}


def _task_text(rnd: random.Random, agency: str, when: str | None) -> str:
    parts = [f"{rnd.choice(VERBS)} {agency} thực hiện {rnd.choice(OBJECTS)}",
             f"gắn với {rnd.choice(OBJECTS)} trên địa bàn tỉnh {rnd.choice(PLACES)}",
             f"bảo đảm {rnd.choice(OBJECTS)} đúng quy định"]
    if when:
        parts.append(f"hoàn thành trước ngày {when}")
    text = "; ".join(parts) + "."
    while len(text) < 190:
        text += f" Báo cáo kết quả về {rnd.choice(OBJECTS)}."
    return text[:230]


def _fts_off(conn, table: str) -> list[str]:
    """Drop the insert trigger of ``table``'s FTS index; returns the SQL to restore it."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                        "AND name = ?", (f"{table}_ai",)).fetchall()
    for name, _ in rows:
        conn.execute(f"DROP TRIGGER [{name}]")
    return [sql for _, sql in rows]


def build(path: Path, n_tasks: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    db = open_db(path)
    conn = db.conn
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    restore = [s for t in ("documents", "sections", "tasks") for s in _fts_off(conn, t)]
    today = date.today()
    conn.execute("BEGIN")
    agencies = []
    for name in AGENCY_NAMES + list(PREDECESSORS):
        key = fold(name).replace(",", "").replace(" ", "-")
        agencies.append((key, name))
    succ = {fold(p).replace(" ", "-"): fold(s).replace(",", "").replace(" ", "-")
            for p, s in PREDECESSORS.items()}
    for place in PLACES:  # district bodies make the list realistic (~300)
        for i in range(28):
            name = f"Ủy ban nhân dân xã {place} {i + 1}"
            agencies.append((fold(name).replace(" ", "-"), name))
    names = dict(agencies)
    conn.executemany(
        "INSERT INTO agencies (key, name, name_folded, successor_key, successor_name, level) "
        "VALUES (?, ?, ?, ?, ?, 'province')",
        [(k, n, fold(n), succ.get(k), names.get(succ.get(k, ""), None)) for k, n in agencies])
    docs = []
    for i in range(DOCS):
        kind, sym, label = TYPES[i % len(TYPES)]
        d = today - timedelta(days=rnd.randint(0, 900))
        subject = f"Về việc {rnd.choice(OBJECTS)} năm {d.year}"
        text = f"{label} số {i + 1}/{sym} về {subject}. Thực hiện Thông báo số 56/TB-VPCP."
        docs.append((f"doc{i:05d}.pdf", f"doc{i:05d}.pdf", kind, label, str(i + 1), sym,
                     fold(sym), d.year, "ỦY BAN NHÂN DÂN TỈNH", f"Ủy ban nhân dân tỉnh "
                     f"{PLACES[i % len(PLACES)]}", d.isoformat(), subject, fold(subject),
                     text, fold(text), "confidential" if i % 500 == 0 else "active"))
    conn.executemany(
        "INSERT INTO documents (id, source, doc_type, doc_type_label, number, symbol, "
        "symbol_key, year, issuer, issuer_name, date, subject, subject_folded, text, "
        "text_folded, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", docs)
    conn.executemany(
        "INSERT INTO sections (id, doc_id, section_id, ordinal, heading, heading_folded, "
        "text, text_folded) VALUES (?,?,?,?,?,?,?,?)",
        ((f"{d[0]}:{j}", d[0], str(j), j, h, fold(h), h, fold(h))
         for d in docs for j in range(SECTIONS_PER_DOC)
         for h in [f"Mục {j}: {rnd.choice(OBJECTS)}"]))
    conn.executemany(
        "INSERT INTO citations (id, doc_id, ordinal, key, number, symbol_key, year, "
        "doc_type) VALUES (?, ?, 0, '56/TB-VPCP', '56', 'tb-vpcp', 2025, 'thong_bao')",
        [(f"{d[0]}:c0", d[0]) for d in docs[::10]])
    conn.execute("INSERT INTO cited_documents (key, label, number, year, citing_documents) "
                 "VALUES ('56/TB-VPCP', 'Thông báo 56/TB-VPCP ngày 23/2/2025 của Văn phòng "
                 "Chính phủ', '56', 2025, 500)")
    batch_t, batch_a, batch_d = [], [], []
    per_doc = n_tasks // DOCS
    for i in range(n_tasks):
        doc = docs[min(i // per_doc, DOCS - 1)][0]
        lead = rnd.choice(agencies[:21] if rnd.random() < 0.8 else agencies)
        support = rnd.choice(agencies[:21]) if rnd.random() < 0.5 else None
        when = None
        if rnd.random() < 0.4:
            when = (today + timedelta(days=rnd.randint(-400, 500))).isoformat()
        text = _task_text(rnd, lead[1], when)
        tid = f"{doc}:{i}#1"
        batch_t.append((tid, doc, str(i), i, str(i % SECTIONS_PER_DOC), text, fold(text), 0,
                        len(text), when, when[:7] if when else None, lead[1],
                        support[1] if support else None, fold(lead[1])))
        batch_a.append((tid, lead[0], "lead", 0))
        if support and support != lead:
            batch_a.append((tid, support[0], "support", 1))
        if when:
            batch_d.append((tid, 0, when, when, "date"))
        if len(batch_t) >= 50_000:
            _flush(conn, batch_t, batch_a, batch_d)
            print(f"  {i + 1:,} tasks", file=sys.stderr)
    _flush(conn, batch_t, batch_a, batch_d)
    for t in ("documents", "sections", "tasks"):
        conn.execute(f"INSERT INTO [{t}_fts]([{t}_fts]) VALUES ('rebuild')")
    for sql in restore:
        conn.execute(sql)
    tasklist.rebuild(conn)  # what ingest keeps up to date document by document
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def _flush(conn, tasks, task_agencies, deadlines) -> None:
    conn.executemany(
        "INSERT INTO tasks (id, doc_id, task_id, ordinal, section_id, text, text_folded, "
        "start, [end], first_deadline, deadline_month, lead, support, agencies_folded) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", tasks)
    conn.executemany("INSERT OR IGNORE INTO task_agencies (task_id, agency_key, role, ordinal)"
                     " VALUES (?,?,?,?)", task_agencies)
    conn.executemany("INSERT INTO deadlines (task_id, ordinal, date, raw, kind) "
                     "VALUES (?,?,?,?,?)", deadlines)
    tasks.clear()
    task_agencies.clear()
    deadlines.clear()


def _fetch(url: str) -> int:
    """GET ``url`` and read the body; returns the status (an interrupted query is 400)."""
    try:
        with urllib.request.urlopen(url, timeout=300) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        e.read()
        return e.code


def time_urls(base: str, db: str, task: str, n: int, urls: dict[str, str]
              ) -> dict[str, dict[str, float]]:
    out = {}
    for label, path in urls.items():
        url = base + path.replace("%7Bmonth%7D", "{month}").format(
            db=quote(db), task=quote(task, safe=""), month=date.today().isoformat()[:7])
        _fetch(url)  # warm the page cache
        times, statuses = [], set()
        for _ in range(n):
            t0 = time.perf_counter()
            statuses.add(_fetch(url))
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        out[label] = {"p50": round(statistics.median(times), 1),
                      "p95": round(times[int(0.95 * (len(times) - 1))], 1),
                      "status": sorted(statuses)}
        print(f"  {label:36} p50 {out[label]['p50']:8.1f} ms   p95 {out[label]['p95']:8.1f} ms"
              f"   HTTP {out[label]['status']}", file=sys.stderr)
    return out


def _wait_for_columns(base: str, db: str, limit_s: float = 300) -> float:
    """Seconds until the site counts several-filter pages from its in-memory columns
    (loaded in the background at start-up); the timings are of the steady state."""
    url = f"{base}/{quote(db)}/task_list.json?" + urlencode(
        {"cơ quan": "Sở Tư pháp", "vai trò": "phối hợp", "_size": "1"})
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit_s:
        with urllib.request.urlopen(url, timeout=60) as r:
            facets = json.loads(r.read())["facet_results"].values()
        if any(f.get("counted_by") == "columns" for f in facets):
            break
        time.sleep(0.5)
    return time.perf_counter() - t0


def serve_and_time(db_path: Path, n: int, *, immutable: bool = False,
                   inspect_file: Path | None = None, urls: dict[str, str] = URLS
                   ) -> dict[str, dict[str, float]]:
    port = free_port()
    code = (f"from vanban.serve import serve; serve({str(db_path)!r}, port={port}, "
            f"immutable={immutable}, inspect_file={str(inspect_file) if inspect_file else None!r})")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        import sqlite3
        conn = sqlite3.connect(db_path)
        (task,) = conn.execute("SELECT id FROM tasks WHERE doc_id = 'doc00001.pdf' "
                               "LIMIT 1").fetchone()
        conn.close()
        ready = _wait_for_columns(base, db_path.stem)
        print(f"  facet columns in memory after {ready:.1f} s", file=sys.stderr)
        out = time_urls(base, db_path.stem, task, n, urls)
        out["_columns_loaded_s"] = round(ready, 1)
        return out
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tasks", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=ROOT / "bench-data" / "site.db")
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--configs", default="site",
                    help="comma-separated: site, immutable")
    args = ap.parse_args()
    if not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        build(args.db, args.tasks)
        print(f"built {args.db} in {time.perf_counter() - t0:.0f} s "
              f"({args.db.stat().st_size / 1e6:.0f} MB)", file=sys.stderr)
    import sqlite3

    conn = sqlite3.connect(args.db)
    (n_tasks,) = conn.execute("SELECT count(*) FROM tasks").fetchone()
    conn.close()
    results: dict = {"tasks": f"{n_tasks:,}"}
    if "site" in args.configs:
        print("site settings, mutable (WAL, readable during ingest):", file=sys.stderr)
        results["site"] = serve_and_time(args.db, args.requests)
    if "immutable" in args.configs:
        inspect = args.db.with_suffix(".inspect.json")
        subprocess.run([sys.executable, "-m", "datasette", "inspect", str(args.db),
                        "--inspect-file", str(inspect)], check=True, cwd=ROOT)
        print("immutable + inspect counts:", file=sys.stderr)
        results["immutable"] = serve_and_time(args.db, args.requests, immutable=True,
                                              inspect_file=inspect)
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
