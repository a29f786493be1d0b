"""Exports: every format opens and holds the contract fields; filters select the right rows."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import sqlite_utils
from schema_factories import (
    TASK_1,
    TASK_2,
    cited_document,
    make_analysis,
    make_document,
    make_tasks,
)

from schema.db import open_db
from schema.load import store_document
from vanban.export import (
    DOCUMENT_FIELDS,
    TARGET_FIELDS,
    TASK_FIELDS,
    export_documents,
    export_targets,
    export_tasks,
    task_records,
)

TASK_CONTRACT = {"source", "section", "text", "lead", "support", "deadlines", "recurrence"}
TARGET_CONTRACT = {"source", "text", "value", "unit", "comparator", "by"}
DOCUMENT_CONTRACT = {"source", "doc_type", "number", "symbol", "issuer", "place", "date",
                     "subject", "recipients", "signer", "signer_title", "citations"}


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    db = open_db(tmp_path / "vanban.db")
    store_document(db, make_document(), make_analysis(), doc_id="kh_12_tq.txt",
                   path="corpus/kh_12_tq.txt", sha256="a" * 64, size=1, mtime=1.0,
                   jurisdiction="Tuyên Quang")
    secret = make_document(confidentiality="MẬT", number="13")
    store_document(db, secret, make_analysis(), doc_id="mat_13.txt", path="corpus/mat_13.txt",
                   sha256="b" * 64, size=1, mtime=1.0, jurisdiction="Tuyên Quang")
    return db


def test_contract_fields_come_first_in_every_field_list() -> None:
    assert TASK_CONTRACT <= set(TASK_FIELDS)
    assert TARGET_CONTRACT <= set(TARGET_FIELDS)
    assert DOCUMENT_CONTRACT <= set(DOCUMENT_FIELDS)


def test_tasks_jsonl_has_one_object_per_line_with_unescaped_vietnamese(
        db: sqlite_utils.Database, tmp_path: Path) -> None:
    out = tmp_path / "tasks.jsonl"
    assert export_tasks(db, fmt="jsonl", out=out) == 2
    raw = out.read_text(encoding="utf-8")
    assert "Sở Tư pháp" in raw
    first, second = [json.loads(line) for line in raw.splitlines()]
    assert TASK_CONTRACT <= set(first)
    assert (first["source"], first["section"], first["text"]) == (
        "kh_12_tq.txt", "II.1", TASK_1)
    assert (first["lead"], first["support"]) == (["Sở Tư pháp"], ["Công an tỉnh"])
    assert (first["deadlines"], first["recurrence"]) == (["2025-06-30"], None)
    assert (second["lead"], second["lead_successor"]) == (
        ["Sở Thông tin và Truyền thông"], ["Sở Khoa học và Công nghệ"])
    assert second["recurrence"] == "quarterly"


def test_tasks_json_is_an_array(db: sqlite_utils.Database) -> None:
    out = io.StringIO()
    export_tasks(db, fmt="json", out=out)
    data = json.loads(out.getvalue())
    assert [t["text"] for t in data] == [TASK_1, TASK_2]


def test_tasks_csv_starts_with_bom_and_joins_lists(db: sqlite_utils.Database) -> None:
    out = io.BytesIO()
    export_tasks(db, fmt="csv", out=out)
    raw = out.getvalue()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0])[:7] == list(TASK_FIELDS[:7])
    assert (rows[0]["lead"], rows[0]["support"], rows[0]["deadlines"]) == (
        "Sở Tư pháp", "Công an tỉnh", "2025-06-30")
    assert rows[1]["text"] == TASK_2


def test_tasks_xlsx_has_bold_frozen_header_and_real_dates(
        db: sqlite_utils.Database, tmp_path: Path) -> None:
    out = tmp_path / "tasks.xlsx"
    export_tasks(db, fmt="xlsx", out=out)
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header == list(TASK_FIELDS)
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    row = {h: c.value for h, c in zip(header, ws[2], strict=True)}
    assert row["first_deadline"] == datetime(2025, 6, 30)
    assert row["deadlines"] == datetime(2025, 6, 30)
    assert ws.cell(2, header.index("first_deadline") + 1).number_format == "DD/MM/YYYY"
    assert (row["lead"], row["text"]) == ("Sở Tư pháp", TASK_1)
    assert ws.column_dimensions["C"].width == 60  # text column capped


def test_tasks_xlsx_one_sheet_per_agency(db: sqlite_utils.Database) -> None:
    out = io.BytesIO()
    export_tasks(db, fmt="xlsx", out=out, sheet_per_agency=True)
    wb = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    assert wb.sheetnames == ["Sở Tư pháp", "Công an tỉnh", "Sở Thông tin và Truyền thông"]
    support = wb["Công an tỉnh"]
    assert [c.value for c in support[2]][:2] == ["support", "kh_12_tq.txt"]


def test_agency_filter_follows_successor_and_predecessor(db: sqlite_utils.Database) -> None:
    by_successor = task_records(db, agency="Sở Khoa học và Công nghệ")
    assert [t["task_id"] for t in by_successor] == ["II.2#1"]
    by_old_name = task_records(db, agency="so thong tin va truyen thong")
    assert [t["task_id"] for t in by_old_name] == ["II.2#1"]
    assert task_records(db, agency="Sở Nội vụ") == []


def test_role_filter_applies_to_the_named_agency(db: sqlite_utils.Database) -> None:
    assert task_records(db, agency="Công an tỉnh", role="lead") == []
    assert [t["task_id"] for t in task_records(db, agency="Công an tỉnh", role="support")
            ] == ["II.1#1"]


def test_deadline_range_and_overdue_filters(db: sqlite_utils.Database) -> None:
    assert [t["task_id"] for t in task_records(db, date_from="2025-04-01", date_to="2025-06")
            ] == ["II.1#1"]
    overdue = task_records(db, overdue=True, today=date(2025, 5, 1))
    assert [t["task_id"] for t in overdue] == ["II.2#1"]  # first deadline 2025-03-31


def test_confidential_documents_are_excluded_unless_asked(db: sqlite_utils.Database) -> None:
    assert {t["doc_id"] for t in task_records(db)} == {"kh_12_tq.txt"}
    assert {t["doc_id"] for t in task_records(db, include_confidential=True)} == {
        "kh_12_tq.txt", "mat_13.txt"}


def test_document_filter_accepts_number_and_symbol(db: sqlite_utils.Database) -> None:
    assert len(task_records(db, document="12/KH-UBND")) == 2
    assert task_records(db, document="99/KH-UBND") == []


def test_targets_export_holds_value_unit_comparator_by(db: sqlite_utils.Database) -> None:
    out = io.StringIO()
    assert export_targets(db, "jsonl", out) == 1
    target = json.loads(out.getvalue())
    assert TARGET_CONTRACT <= set(target)
    assert (target["text"], target["value"], target["unit"], target["comparator"],
            target["by"], target["section"]) == ("80% hồ sơ", 80.0, "%", ">=", "2025-12-31", "I")


def test_documents_export_uses_readable_issuer_and_lists(db: sqlite_utils.Database,
                                                         tmp_path: Path) -> None:
    store_document(db, cited_document(), make_analysis(()), doc_id="qd_749.txt",
                   path="qd_749.txt", sha256="c" * 64, size=1, mtime=1.0)
    out = io.StringIO()
    assert export_documents(db, "json", out) == 2
    plan = json.loads(out.getvalue())[0]
    assert DOCUMENT_CONTRACT <= set(plan)
    assert plan["issuer"] == "Ủy ban nhân dân tỉnh Tuyên Quang"
    assert plan["recipients"] == ["Sở Tư pháp", "Công an tỉnh"]
    assert plan["citations"] == ["749/QĐ-TTg"]
    assert (plan["number"], plan["symbol"], plan["date"]) == ("12", "KH-UBND", "2025-03-12")


def test_documents_xlsx_writes_the_date_as_a_date(db: sqlite_utils.Database,
                                                  tmp_path: Path) -> None:
    out = tmp_path / "docs.xlsx"
    export_documents(db, "xlsx", out)
    ws = openpyxl.load_workbook(out)["documents"]
    header = [c.value for c in ws[1]]
    assert ws.cell(2, header.index("date") + 1).value == datetime(2025, 3, 12)
    assert ws.cell(2, header.index("recipients") + 1).value == "Sở Tư pháp; Công an tỉnh"


def test_xlsx_to_a_text_stream_and_unknown_format_are_refused(
        db: sqlite_utils.Database) -> None:
    with pytest.raises(ValueError, match="binary"):
        export_tasks(db, "xlsx", io.StringIO())
    with pytest.raises(ValueError, match="unknown export format"):
        export_tasks(db, "pdf", io.StringIO())


def test_section_field_keeps_numbered_headings_only(tmp_path: Path) -> None:
    db = open_db(tmp_path / "v.db")
    task1, _ = make_tasks()
    bullet = replace(task1, id="II.1.-2#1", section_id="II.1.-2")
    store_document(db, make_document(), make_analysis((bullet,)), doc_id="kh.txt",
                   path="kh.txt", sha256="a" * 64, size=1, mtime=1.0)
    (record,) = task_records(db)
    assert (record["section"], record["section_id"]) == ("II.1", "II.1.-2")
