"""SQL views the site browses: one row per thing a reader looks for, in Vietnamese
column names, confidential documents left out. Created by the site at startup when the
database lacks them (``CREATE VIEW IF NOT EXISTS``); they belong in a schema migration
eventually.
"""

from __future__ import annotations

import sqlite3

DOC_LABEL = ("CASE WHEN coalesce(d.number, '') != '' THEN d.number || '/' || d.symbol "
             "ELSE d.id END")
NO_DEADLINE = "không ghi hạn"  # sorts after every ISO date, so "nearest first" works

VIEWS: dict[str, str] = {
    # one row per task and assigned agency (tasks without an agency appear once)
    "task_list": f"""
SELECT coalesce(t.first_deadline, '{NO_DEADLINE}') AS [hạn], t.text AS [nhiệm vụ],
  coalesce(a.successor_name, a.name) AS [cơ quan],
  CASE ta.role WHEN 'lead' THEN 'chủ trì' WHEN 'support' THEN 'phối hợp' END AS [vai trò],
  a.name AS [tên khi giao],
  {DOC_LABEL} AS [văn bản], d.doc_type_label AS [loại văn bản],
  coalesce(d.issuer_name, d.issuer) AS [cơ quan ban hành], t.deadline_month AS [tháng hạn],
  CASE WHEN d.status = 'withdrawn' THEN 'văn bản đã thu hồi'
       WHEN t.first_deadline IS NULL THEN '{NO_DEADLINE}'
       WHEN t.first_deadline < date('now') THEN 'quá hạn'
       WHEN t.first_deadline <= date('now', '+30 days') THEN 'đến hạn trong 30 ngày'
       ELSE 'còn hạn' END AS [tình trạng],
  t.section_id AS [mục], t.recurrence AS [định kỳ], t.id AS [mã nhiệm vụ],
  t.doc_id AS [mã văn bản], coalesce(a.successor_key, ta.agency_key) AS [mã cơ quan]
FROM tasks t JOIN documents d ON d.id = t.doc_id
LEFT JOIN task_agencies ta ON ta.task_id = t.id
LEFT JOIN agencies a ON a.key = ta.agency_key
WHERE d.status != 'confidential'""",
    "document_list": f"""
SELECT {DOC_LABEL} AS [văn bản], d.doc_type_label AS [loại văn bản],
  coalesce(d.issuer_name, d.issuer) AS [cơ quan ban hành], d.date AS [ngày],
  d.subject AS [trích yếu], d.status AS [hiệu lực],
  (SELECT count(*) FROM tasks t WHERE t.doc_id = d.id) AS [số nhiệm vụ],
  (SELECT count(*) FROM citations c WHERE c.doc_id = d.id) AS [số lần trích dẫn],
  d.source AS [tệp], d.pages AS [số trang], d.id AS [mã văn bản],
  d.duplicate_of AS [bản trùng của]
FROM documents d WHERE d.status != 'confidential'""",
    "target_list": f"""
SELECT g.metric AS [chỉ tiêu], g.value AS [giá trị], g.unit AS [đơn vị],
  g.comparator AS [so sánh], g."by" AS [thời hạn], substr(g."by", 1, 4) AS [năm],
  g.text AS [câu chữ], {DOC_LABEL} AS [văn bản], g.task_id AS [mã nhiệm vụ],
  g.doc_id AS [mã văn bản]
FROM targets g JOIN documents d ON d.id = g.doc_id WHERE d.status != 'confidential'""",
    "citation_list": f"""
SELECT {DOC_LABEL} AS [văn bản trích dẫn], c.key AS [số hiệu được dẫn],
  coalesce(cd.label, c.raw) AS [văn bản được dẫn],
  CASE WHEN cdoc.id IS NULL THEN 'ngoài kho' ELSE 'có trong kho' END AS [trong kho],
  c.section_id AS [mục], c.raw AS [nguyên văn], c.doc_id AS [mã văn bản],
  c.cited_doc_id AS [mã văn bản được dẫn]
FROM citations c JOIN documents d ON d.id = c.doc_id
LEFT JOIN cited_documents cd ON cd.key = c.key
LEFT JOIN documents cdoc ON cdoc.id = c.cited_doc_id AND cdoc.status != 'confidential'
WHERE d.status != 'confidential'""",
}


def create_views(conn: sqlite3.Connection) -> list[str]:
    """Create the views this database lacks; returns their names."""
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
    made = []
    for name, sql in VIEWS.items():
        if name not in have:
            conn.execute(f"CREATE VIEW IF NOT EXISTS [{name}] AS {sql}")
            made.append(name)
    return made
