"""The materialized task list and its precomputed facet counts (schema/tasklist.py).

Every check recomputes the expected rows and counts here, in Python, from the base
tables (tasks, task_agencies, agencies, documents), and compares them with what the
database keeps — after ingest, after a document changes, after a withdrawal, on a later
day, and after migrating a database that predates the table.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from site_server import CONFIDENTIAL_DOC, SITE_FILES, build_site_db

from schema import tasklist
from schema.db import open_db, transaction
from schema.keys import doc_type_labels
from schema.load import mark_withdrawn, refresh_task_list
from vanban.plugins.facets import precomputed_filter

FILES = [f for f in SITE_FILES if f.suffix == ".txt"]  # seeds + letters (one confidential)
ROLE = {"lead": "chủ trì", "support": "phối hợp"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_site_db(tmp_path_factory.mktemp("tasklist") / "base.db", FILES)


@pytest.fixture()
def db_path(built, tmp_path) -> Path:
    path = tmp_path / "vanban.db"
    shutil.copy(built, path)
    return path


def expected_status(doc_status: str, deadline: str | None, today: date) -> str:
    if doc_status == "withdrawn":
        return "văn bản đã thu hồi"
    if deadline is None:
        return "không ghi hạn"
    if date.fromisoformat(deadline) < today:
        return "quá hạn"
    if date.fromisoformat(deadline) <= today + timedelta(days=30):
        return "đến hạn trong 30 ngày"
    return "còn hạn"


def expected_rows(conn: sqlite3.Connection, today: date) -> Counter:
    names = doc_type_labels()  # type code → name, from the data file
    docs = {r[0]: (r[1], r[2], r[3], names.get(r[4], r[5]), r[6], r[7]) for r in conn.execute(
        "SELECT id, status, number, symbol, doc_type, doc_type_label, issuer_name, issuer "
        "FROM documents")}
    agencies = {r[0]: r[1:] for r in conn.execute(
        "SELECT key, name, successor_key, successor_name FROM agencies")}
    assigned: dict[str, list[tuple[str, str]]] = {}
    for task_id, key, role in conn.execute(
            "SELECT task_id, agency_key, role FROM task_agencies"):
        assigned.setdefault(task_id, []).append((key, role))
    out: Counter = Counter()
    for tid, doc_id, deadline, month in conn.execute(
            "SELECT id, doc_id, first_deadline, deadline_month FROM tasks"):
        status, number, symbol, type_label, issuer_name, issuer = docs[doc_id]
        if status == "confidential":
            continue
        label = f"{number}/{symbol}" if number else doc_id
        common = (deadline or "không ghi hạn", label, type_label, issuer_name or issuer,
                  month, expected_status(status, deadline, today), tid, doc_id)
        for key, role in assigned.get(tid, [(None, None)]):
            if key is None:
                out[(None, None, None, *common)] += 1
                continue
            name, succ_key, succ_name = agencies[key]
            out[(succ_name or name, ROLE[role], succ_key or key, *common)] += 1
    return out


def stored_rows(conn: sqlite3.Connection) -> Counter:
    return Counter(conn.execute(
        "SELECT [cơ quan], [vai trò], [mã cơ quan], [hạn], [văn bản], [loại văn bản], "
        "[cơ quan ban hành], [tháng hạn], [tình trạng], [mã nhiệm vụ], [mã văn bản] "
        "FROM task_list"))


def expected_counts(conn: sqlite3.Connection) -> Counter:
    cols = tasklist.FACETS
    rows = conn.execute("SELECT " + ", ".join(f"[{c}]" for c in cols)
                        + " FROM task_rows").fetchall()
    out: Counter = Counter()
    for row in rows:
        values = dict(zip(cols, row, strict=True))
        for facet, value in values.items():
            if value is None:
                continue
            out[("", "", facet, value)] += 1
            for other, other_value in values.items():
                if other != facet and other_value is not None:
                    out[(other, other_value, facet, value)] += 1
    return out


def stored_counts(conn: sqlite3.Connection) -> Counter:
    return Counter({r[:4]: r[4] for r in conn.execute(
        "SELECT filter_column, filter_value, facet, value, n FROM task_list_counts "
        "WHERE n != 0")})


def check(path: Path, today: date) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    assert stored_rows(conn) == expected_rows(conn, today)
    assert stored_counts(conn) == expected_counts(conn)
    return conn


def test_task_list_after_ingest_equals_the_join_of_the_base_tables(built):
    conn = check(built, date.today())
    (n,) = conn.execute("SELECT count(*) FROM task_list").fetchone()
    (confidential,) = conn.execute(
        "SELECT count(*) FROM task_rows WHERE [mã văn bản] = ?", (CONFIDENTIAL_DOC,)
    ).fetchone()
    assert n > 50 and confidential == 0
    # one row per task and agency: a task with a lead and a partner appears twice
    (shared,) = conn.execute("SELECT count(*) FROM (SELECT [mã nhiệm vụ] FROM task_list "
                             "GROUP BY 1 HAVING count(*) > 1)").fetchone()
    assert shared > 0


def test_changed_document_replaces_its_rows_and_counts(db_path):
    from extract import extract_file
    from nlp.pipeline import analyze
    from schema.keys import doc_id_for
    from schema.load import store_document

    seed = next(f for f in FILES if f.parent.name == "corpus")
    doc = extract_file(seed)
    full = analyze(doc)
    fewer = type(full)(source=full.source, tasks=full.tasks[: len(full.tasks) // 2],
                       targets=(), citations=(), mentions=())
    db = open_db(db_path)
    doc_id = doc_id_for(seed)
    before = db.conn.execute("SELECT count(*) FROM task_rows WHERE [mã văn bản] = ?",
                             (doc_id,)).fetchone()[0]
    st = seed.stat()
    store_document(db, doc, fewer, doc_id=doc_id, path=str(seed), sha256="x",
                   size=st.st_size, mtime=st.st_mtime)
    after = db.conn.execute("SELECT count(*) FROM task_rows WHERE [mã văn bản] = ?",
                            (doc_id,)).fetchone()[0]
    db.conn.close()
    assert 0 < after < before
    check(db_path, date.today())


def test_withdrawn_document_rows_say_so(db_path):
    db = open_db(db_path)
    (doc_id,) = db.conn.execute("SELECT [mã văn bản] FROM task_rows LIMIT 1").fetchone()
    mark_withdrawn(db, doc_id)
    db.conn.close()
    conn = check(db_path, date.today())
    statuses = {r[0] for r in conn.execute(
        "SELECT [tình trạng] FROM task_list WHERE [mã văn bản] = ?", (doc_id,))}
    assert statuses == {"văn bản đã thu hồi"}


def _status_changes(conn: sqlite3.Connection, before: date, after: date) -> int:
    rows = conn.execute("SELECT d.status, t.first_deadline, count(ta.task_id) FROM tasks t "
                        "JOIN documents d ON d.id = t.doc_id LEFT JOIN task_agencies ta "
                        "ON ta.task_id = t.id WHERE d.status != 'confidential' "
                        "GROUP BY t.id").fetchall()
    return sum(max(n, 1) for status, deadline, n in rows
               if expected_status(status, deadline, before)
               != expected_status(status, deadline, after))


@pytest.mark.parametrize("days", [1, 45, 400, -500])
def test_status_follows_the_calendar(db_path, days):
    day = date.today() + timedelta(days=days)
    db = open_db(db_path)
    moved = _status_changes(db.conn, date.today(), day)
    with transaction(db) as conn:
        changed = tasklist.refresh_status(conn, day)
        again = tasklist.refresh_status(conn, day)
    db.conn.close()
    check(db_path, day)
    assert (changed, again) == (moved, 0)
    if days == -500:  # the seeds' 2025 deadlines were still ahead then
        assert changed > 0


def test_refresh_after_a_run_is_a_no_op_the_same_day(db_path):
    db = open_db(db_path)
    assert refresh_task_list(db) == 0
    db.conn.close()
    check(db_path, date.today())


def test_migration_builds_the_table_for_a_database_that_predates_it(db_path):
    conn = sqlite3.connect(db_path)
    conn.executescript("""
        DROP VIEW task_list; DROP TABLE task_rows; DROP TABLE task_list_counts;
        DROP TABLE task_list_state; DROP VIEW document_list;
        DELETE FROM _migrations WHERE version IN (3, 4, 5);
        CREATE VIEW document_list AS SELECT id FROM documents;""")
    conn.close()
    open_db(db_path).conn.close()
    conn = check(db_path, date.today())
    cols = [r[1] for r in conn.execute("PRAGMA table_info(document_list)")]
    assert "trích yếu" in cols  # the old, startup-made view was replaced


@pytest.mark.parametrize(("pairs", "expect"), [
    ([], ("", "")),
    ([("_sort", "hạn"), ("_facet_size", "max")], ("", "")),
    ([("cơ quan", "Sở Tư pháp")], ("cơ quan", "Sở Tư pháp")),
    ([("vai trò__exact", "chủ trì"), ("_next", "50")], ("vai trò", "chủ trì")),
    ([("cơ quan", "Sở Tư pháp"), ("vai trò", "chủ trì")], None),  # two filters: live
    ([("cơ quan__contains", "Sở")], None),
    ([("mục", "II.1")], None),  # not a facet column
    ([("_search", "so tu phap")], None),
    ([("_where", "1")], None),
])
def test_which_pages_read_precomputed_counts(pairs, expect):
    assert precomputed_filter("task_list", pairs) == expect
    assert precomputed_filter("document_list", pairs) is None


def test_planner_statistics_follow_the_size_of_the_list(db_path):
    """Without statistics SQLite may filter an agency's rows through the role index
    (half the table); they are taken when the list grew or shrank by a quarter."""
    db = open_db(db_path)
    conn = db.conn
    conn.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'task_rows'")
    assert tasklist.analyze_if_grown(conn) is True
    (n,) = conn.execute("SELECT count(*) FROM task_rows").fetchone()
    (stat,) = conn.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'task_rows' "
                           "AND idx = 'task_rows_due'").fetchone()
    assert int(stat.split()[0]) == n
    assert tasklist.analyze_if_grown(conn) is False  # same size: nothing to do
    conn.execute("DELETE FROM task_rows WHERE rowid % 2 = 0")
    assert tasklist.analyze_if_grown(conn) is True  # halved
    conn.close()


def _sql_counts(conn, filters, facet):
    where = " AND ".join(f"[{c}] = ?" for c, _ in filters) or "1"
    rows = conn.execute(f"SELECT [{facet}] FROM task_rows WHERE {where}",
                        [v for _, v in filters]).fetchall()
    counted = Counter(v for (v,) in rows if v is not None)
    return sorted(counted.items(), key=lambda vc: (-vc[1], vc[0]))


def test_facet_columns_in_memory_count_like_sql(built):
    cols = tasklist.FacetColumns.load(str(built))
    conn = sqlite3.connect(built)
    agency, role, status = conn.execute(
        "SELECT [cơ quan], [vai trò], [tình trạng] FROM task_rows WHERE [cơ quan] IS NOT NULL "
        "GROUP BY 1, 2, 3 ORDER BY count(*) DESC LIMIT 1").fetchone()
    for filters in ([], [("cơ quan", agency)], [("cơ quan", agency), ("vai trò", role)],
                    [("vai trò", role), ("tình trạng", status)],
                    [("cơ quan", agency), ("vai trò", "không có vai trò này")]):
        got = cols.counts(filters, list(tasklist.FACETS), 10_000)
        for facet in tasklist.FACETS:
            assert got[facet] == _sql_counts(conn, filters, facet), (filters, facet)
    assert cols.rows == conn.execute("SELECT count(*) FROM task_rows").fetchone()[0]


def test_every_change_of_the_list_moves_its_version(db_path):
    db = open_db(db_path)
    v0 = tasklist.version(db.conn)
    (doc_id,) = db.conn.execute("SELECT [mã văn bản] FROM task_rows LIMIT 1").fetchone()
    mark_withdrawn(db, doc_id)
    v1 = tasklist.version(db.conn)
    with transaction(db) as conn:
        tasklist.refresh_status(conn, date.today() - timedelta(days=500))
    v2 = tasklist.version(db.conn)
    with transaction(db) as conn:
        tasklist.refresh_status(conn, date.today() - timedelta(days=500))  # same day again
    v3 = tasklist.version(db.conn)
    db.conn.close()
    assert v0 < v1 < v2 == v3


def test_site_loads_columns_in_the_background_at_most_once_per_interval(built):
    import time

    from vanban.plugins import facets

    path = str(built)
    facets._started.pop(path, None)
    facets._columns.pop(path, None)
    facets.start_loading(path)
    first = facets._started[path]
    facets.start_loading(path)  # a second request meanwhile: no second load
    assert facets._started[path] == first
    for _ in range(100):
        if path in facets._columns:
            break
        time.sleep(0.05)
    conn = sqlite3.connect(built)
    assert facets._columns[path].version == tasklist.version(conn)
    conn.close()


def test_migration_4_brings_a_version_3_database_up_to_date(db_path):
    conn = sqlite3.connect(db_path)
    conn.executescript("""
        DROP INDEX task_rows_status_facets;
        ALTER TABLE task_list_state DROP COLUMN version;
        DELETE FROM _migrations WHERE version = 4;""")
    conn.close()
    db = open_db(db_path)
    assert tasklist.version(db.conn) == 0
    (doc_id,) = db.conn.execute("SELECT [mã văn bản] FROM task_rows LIMIT 1").fetchone()
    mark_withdrawn(db, doc_id)  # a write after the migration moves the version
    assert tasklist.version(db.conn) == 1
    indexes = {r[1] for r in db.conn.execute("PRAGMA index_list(task_rows)")}
    db.conn.close()
    assert "task_rows_status_facets" in indexes
    check(db_path, date.today())


def test_document_types_are_named_from_their_code(built):
    """A letter prints no type line and a plan prints "KẾ HOẠCH": both are named from
    their type code in the lists, so the "loại văn bản" facet has one value per type."""
    conn = sqlite3.connect(built)
    named = dict(conn.execute("SELECT DISTINCT [mã văn bản], [loại văn bản] FROM task_list"))
    types = dict(conn.execute("SELECT id, doc_type FROM documents"))
    conn.close()
    assert named and all(named[d] == doc_type_labels()[types[d]] for d in named)
    assert {"Kế hoạch", "Công văn"} <= set(named.values())


def test_migration_5_renames_the_types_of_a_version_4_database(db_path):
    conn = sqlite3.connect(db_path)
    conn.executescript("""
        UPDATE task_rows SET [loại văn bản] = NULL;
        DROP VIEW document_list;
        CREATE VIEW document_list AS SELECT doc_type_label AS [loại văn bản] FROM documents;
        DELETE FROM _migrations WHERE version = 5;""")
    conn.close()
    open_db(db_path).conn.close()
    conn = check(db_path, date.today())
    assert None not in {r[0] for r in conn.execute("SELECT [loại văn bản] FROM document_list")}
