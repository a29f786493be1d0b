"""SQL views the site browses besides the task list: one row per thing a reader looks
for, in Vietnamese column names, confidential documents left out. Created by a schema
migration; the task list itself is a materialized table (:mod:`schema.tasklist`)."""

from __future__ import annotations

from schema.keys import doc_type_name_sql
from schema.tasklist import DOC_LABEL

TYPE_NAME = doc_type_name_sql("d.doc_type", "d.doc_type_label")

VIEWS: dict[str, str] = {
    "document_list": f"""
SELECT {DOC_LABEL} AS [văn bản], {TYPE_NAME} AS [loại văn bản],
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
SITE_VIEWS = ("task_list", *VIEWS)
