"""The SQLite schema: migrations, atomic idempotent loads, folded full-text search."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
import sqlite_utils
from schema_factories import (
    TASK_1,
    cited_document,
    empty_analysis,
    make_analysis,
    make_document,
    make_tasks,
    mention,
)

from schema.db import open_db
from schema.keys import doc_id_for, local_agency_key, split_citation_key, symbol_key
from schema.load import (
    finish_run,
    mark_withdrawn,
    record_failure,
    resolve_citations,
    start_run,
    store_document,
)
from schema.migrations import MIGRATIONS, migrate, schema_version
from schema.queries import agency_keys_matching, search

DOC_ID = "kh_12_tq.txt"
FILE = {"path": "corpus/kh_12_tq.txt", "sha256": "a" * 64, "size": 1234, "mtime": 1.5}


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    return open_db(tmp_path / "vanban.db")


def store(db: sqlite_utils.Database, doc=None, analysis=None, **changes) -> dict:
    args = FILE | {"doc_id": DOC_ID, "jurisdiction": "Tuyên Quang"} | changes
    return store_document(db, doc or make_document(), analysis or make_analysis(), **args)


def dump(db: sqlite_utils.Database) -> dict[str, list[tuple]]:
    """Every row of every table (FTS shadow tables included), sorted."""
    names = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL%'")]
    return {n: sorted(db.execute(f"SELECT * FROM [{n}]").fetchall(), key=repr) for n in names}


def test_migrate_twice_applies_nothing_the_second_time(tmp_path: Path) -> None:
    db = sqlite_utils.Database(tmp_path / "m.db")
    assert migrate(db) == [m.version for m in MIGRATIONS]
    assert migrate(db) == []
    assert schema_version(db) == MIGRATIONS[-1].version
    assert {"documents", "tasks", "task_agencies", "deadlines", "targets", "citations",
            "cited_documents", "footnotes", "sections", "doc_tables", "agencies", "runs",
            "failures", "files", "tasks_fts"} <= set(db.table_names())


def test_open_db_sets_wal_foreign_keys_and_busy_timeout(db: sqlite_utils.Database) -> None:
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 30000


def test_schema_declares_foreign_keys_and_facet_indexes(db: sqlite_utils.Database) -> None:
    fks = {(fk.column, fk.other_table) for fk in db["task_agencies"].foreign_keys}
    assert fks == {("task_id", "tasks"), ("agency_key", "agencies")}
    indexed = {tuple(i.columns) for i in db["tasks"].indexes}
    assert {("first_deadline",), ("deadline_month",), ("doc_id", "ordinal")} <= indexed
    assert ("agency_key", "role") in {tuple(i.columns) for i in db["task_agencies"].indexes}
    assert db["tasks"].detect_fts() == "tasks_fts"


def test_store_document_writes_every_table(db: sqlite_utils.Database) -> None:
    counts = store(db)
    assert counts == {"agencies": 4, "sections": 4, "doc_tables": 1, "footnotes": 1,
                      "tasks": 2, "task_agencies": 3, "deadlines": 2, "targets": 1,
                      "citations": 1, "unchanged": False}
    doc = db["documents"].get(DOC_ID)
    assert (doc["number"], doc["symbol"], doc["year"], doc["status"]) == (
        "12", "KH-UBND", 2025, "active")
    assert json.loads(doc["recipients"]) == ["Sở Tư pháp", "Công an tỉnh"]
    assert doc["signer_title"] == "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    task = db["tasks"].get(f"{DOC_ID}:II.1#1")
    assert task["text"] == TASK_1
    assert (task["lead"], task["support"]) == ("Sở Tư pháp", "Công an tỉnh")
    assert (task["first_deadline"], task["deadline_month"]) == ("2025-06-30", "2025-06")
    assert db.execute("SELECT agency_key, role FROM task_agencies ORDER BY task_id, role"
                      ).fetchall() == [("so-tu-phap@tuyen-quang", "lead"),
                                       ("cong-an-tinh@tuyen-quang", "support"),
                                       ("so-thong-tin-va-truyen-thong@tuyen-quang", "lead")]
    section = db["sections"].get(f"{DOC_ID}:II")
    assert section["text"] == "II. NHIỆM VỤ"
    assert json.loads(db["doc_tables"].get(f"{DOC_ID}:T1")["rows"]) == [["1", "Rà soát"]]


def test_successor_is_an_agency_row_that_the_old_body_points_to(
        db: sqlite_utils.Database) -> None:
    store(db)
    old = db["agencies"].get("so-thong-tin-va-truyen-thong@tuyen-quang")
    assert old["successor_key"] == "so-khoa-hoc-va-cong-nghe@tuyen-quang"
    new = db["agencies"].get("so-khoa-hoc-va-cong-nghe@tuyen-quang")
    assert (new["name"], new["level"]) == ("Sở Khoa học và Công nghệ", "province")


def test_store_same_document_twice_changes_nothing(db: sqlite_utils.Database) -> None:
    store(db)
    before = dump(db)
    assert store(db)["unchanged"] is True
    assert dump(db) == before


def test_store_changed_document_replaces_its_rows(db: sqlite_utils.Database) -> None:
    store(db)
    task1, _ = make_tasks()
    counts = store(db, analysis=make_analysis((task1,)), sha256="b" * 64)
    assert counts["unchanged"] is False
    assert [r["id"] for r in db["tasks"].rows] == [f"{DOC_ID}:II.1#1"]
    assert db["deadlines"].count == 1
    assert db["task_agencies"].count == 2
    assert db["documents"].get(DOC_ID)["sha256"] == "b" * 64
    assert search(db, "tasks", "truyen thong") == []  # no stale FTS entry


def test_failed_store_leaves_database_as_before(db: sqlite_utils.Database) -> None:
    store(db)
    before = dump(db)
    task1, _ = make_tasks()
    duplicate_ids = make_analysis((task1, replace(task1, text="Một nhiệm vụ khác")))
    with pytest.raises(sqlite3.IntegrityError):
        store(db, analysis=duplicate_ids, sha256="c" * 64)
    assert dump(db) == before


def test_failed_store_of_a_new_document_writes_nothing(db: sqlite_utils.Database) -> None:
    task1, _ = make_tasks()
    bad_role = replace(task1, roles=(replace(task1.roles[0], role="owner"),))
    with pytest.raises(sqlite3.IntegrityError):
        store(db, analysis=make_analysis((bad_role,)))
    assert db["documents"].count == 0
    assert db["agencies"].count == 0
    assert db["files"].count == 0


@pytest.mark.parametrize(("table", "query", "expected"), [
    ("tasks", "so tu phap", [f"{DOC_ID}:II.1#1"]),
    ("tasks", "Sở Tư pháp", [f"{DOC_ID}:II.1#1"]),
    ("tasks", "dong bo", [f"{DOC_ID}:II.1#1"]),
    ("tasks", "đồng bộ", [f"{DOC_ID}:II.1#1"]),
    ("tasks", "truc tuyen", []),
    ("tasks", "khoa hoc cong nghe", [f"{DOC_ID}:II.2#1"]),  # through the successor
    ("sections", "nhiem vu", [f"{DOC_ID}:II"]),
    ("sections", "truc tuyen", [f"{DOC_ID}:I"]),
    ("documents", "chuyen doi so", [DOC_ID]),
])
def test_fts_finds_folded_queries(db: sqlite_utils.Database, table: str, query: str,
                                  expected: list[str]) -> None:
    store(db)
    assert [r["id"] for r in search(db, table, query)] == expected


def test_local_agency_key_adds_jurisdiction_below_the_centre() -> None:
    assert local_agency_key(mention("Sở Tư pháp"), "Tuyên Quang") == "so-tu-phap@tuyen-quang"
    assert local_agency_key(mention("Sở Tư pháp"), None) == "so-tu-phap"
    bo = replace(mention("Sở Tư pháp"), canonical="Bộ Công an")
    assert local_agency_key(bo, "Tuyên Quang") == "bo-cong-an"


@pytest.mark.parametrize(("key", "parts"), [
    ("749/QĐ-TTg", ("749", None, "qd-ttg")),
    ("42/2022/NĐ-CP", ("42", 2022, "nd-cp")),
    ("48-NQ/TU", ("48", None, "nq/tu")),
])
def test_split_citation_key(key: str, parts: tuple) -> None:
    assert split_citation_key(key) == parts


def test_symbol_key_drops_year_and_folds() -> None:
    assert symbol_key("2022/NĐ-CP") == "nd-cp"
    assert symbol_key("QĐ-TTg") == "qd-ttg"


def test_doc_id_is_the_slugged_file_name() -> None:
    assert doc_id_for("corpus/000_84caea610c60ea8e.txt") == "000_84caea610c60ea8e.txt"
    assert doc_id_for("/x/Kế hoạch 12.PDF") == "ke-hoach-12.pdf"


def test_resolve_citations_links_a_corpus_document(db: sqlite_utils.Database) -> None:
    store(db)
    assert resolve_citations(db) == 0
    placeholder = db["cited_documents"].get("749/QĐ-TTg")
    assert placeholder["label"] == (
        "Quyết định 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ")
    assert placeholder["cited_doc_id"] is None
    store_document(db, cited_document(), empty_analysis("qd_749.txt"), doc_id="qd_749.txt",
                   path="corpus/qd_749.txt", sha256="d" * 64, size=10, mtime=2.0)
    assert resolve_citations(db) == 1
    assert db["citations"].get(f"{DOC_ID}:0")["cited_doc_id"] == "qd_749.txt"
    assert db["cited_documents"].get("749/QĐ-TTg")["cited_doc_id"] == "qd_749.txt"


def test_resolve_citations_skips_a_document_with_another_number(
        db: sqlite_utils.Database) -> None:
    store(db)
    store_document(db, cited_document(number="750"), empty_analysis("qd_750.txt"),
                   doc_id="qd_750.txt", path="qd_750.txt", sha256="e" * 64, size=1, mtime=1)
    assert resolve_citations(db) == 0


def test_withdrawn_status_survives_a_changed_reingest(db: sqlite_utils.Database) -> None:
    store(db)
    mark_withdrawn(db, DOC_ID)
    store(db, doc=make_document(subject="Chuyển đổi số năm 2026"), sha256="f" * 64)
    assert db["documents"].get(DOC_ID)["status"] == "withdrawn"
    with pytest.raises(KeyError):
        mark_withdrawn(db, "missing")


def test_secret_document_is_stored_as_confidential(db: sqlite_utils.Database) -> None:
    store(db, doc=make_document(confidentiality="MẬT"))
    assert db["documents"].get(DOC_ID)["status"] == "confidential"


def test_same_bytes_under_another_name_is_marked_duplicate(db: sqlite_utils.Database) -> None:
    store(db)
    store(db, doc_id="copy.txt", path="corpus/copy.txt")
    assert db["documents"].get("copy.txt")["duplicate_of"] == DOC_ID
    assert db["documents"].get(DOC_ID)["duplicate_of"] is None


def test_runs_failures_and_files_are_recorded(db: sqlite_utils.Database) -> None:
    run = start_run(db)
    store(db, run_id=run)
    record_failure(db, run, "corpus/bad.pdf", "encrypted", "password required")
    finish_run(db, run, {"files_seen": 2, "files_ingested": 1, "files_failed": 1, "tasks": 2})
    row = db["runs"].get(run)
    assert (row["files_seen"], row["files_failed"], row["tasks"], row["status"]) == (
        2, 1, 2, "ok")
    assert row["finished_at"] is not None
    failure = next(db["failures"].rows)
    assert (failure["reason"], failure["path"]) == ("encrypted", "corpus/bad.pdf")
    files = {r["path"]: r for r in db["files"].rows}
    assert files["corpus/bad.pdf"]["status"] == "failed"
    assert files["corpus/kh_12_tq.txt"]["doc_id"] == DOC_ID
    assert files["corpus/kh_12_tq.txt"]["last_run_id"] == run


def test_agency_filter_keys_include_successor_and_predecessor(
        db: sqlite_utils.Database) -> None:
    store(db)
    old, new = ("so-thong-tin-va-truyen-thong@tuyen-quang",
                "so-khoa-hoc-va-cong-nghe@tuyen-quang")
    assert set(agency_keys_matching(db, "Sở Khoa học và Công nghệ")) == {old, new}
    assert set(agency_keys_matching(db, "so thong tin va truyen thong")) == {old, new}
    assert agency_keys_matching(db, "Sở Tư pháp") == ["so-tu-phap@tuyen-quang"]
