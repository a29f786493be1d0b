"""Pure functions: one ``Document`` + its ``Analysis`` → the rows of every table.

No I/O here; :mod:`schema.load` writes what these return. Column order of each dict is
the column order of the INSERT.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from extract.model import Document
from extract.normalize import fold
from nlp.model import AgencyMention, Analysis, Target, Task
from schema.keys import (
    agency_key,
    agency_level,
    fold_name,
    split_citation_key,
    successor_mention,
    symbol_key,
)

Row = dict[str, Any]
LIST_SEP = "; "  # agency names contain commas ("Ủy ban nhân dân huyện, thành phố")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


@dataclass
class DocumentRows:
    document: Row
    agencies: list[Row] = field(default_factory=list)
    children: dict[str, list[Row]] = field(default_factory=dict)  # table → rows, insert order

    def fingerprint(self) -> str:
        """Hash of every row this document writes (timestamps and links to others excluded)."""
        volatile = {"ingested_at", "fingerprint", "duplicate_of", "status"}
        doc = {k: v for k, v in self.document.items() if k not in volatile}
        payload = json.dumps([doc, self.agencies, self.children], ensure_ascii=False,
                             sort_keys=True, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def counts(self) -> dict[str, int]:
        return {"agencies": len(self.agencies)} | {t: len(r) for t, r in self.children.items()}


def _dumps(value: Iterable[str]) -> str:
    return json.dumps(list(value), ensure_ascii=False)


def _year(doc: Document) -> int | None:
    h = doc.header
    for text in (h.number_raw, h.date):
        m = _YEAR.search(text or "")
        if m:
            return int(m.group(1))
    return None


def document_row(doc: Document, *, doc_id: str, path: str, sha256: str, size: int,
                 mtime: float) -> Row:
    h, sig = doc.header, doc.signature
    return {
        "id": doc_id, "source": doc.source, "path": path, "format": doc.format,
        "sha256": sha256, "size": size, "mtime": mtime,
        "doc_type": h.doc_type, "doc_type_label": h.doc_type_label,
        "number": h.number, "symbol": h.symbol, "symbol_key": symbol_key(h.symbol),
        "number_raw": h.number_raw, "year": _year(doc),
        "issuer": h.issuer, "issuer_name": h.issuer_name, "place": h.place, "date": h.date,
        "subject": h.subject, "subject_folded": fold(h.subject or ""),
        "recipients": _dumps(h.recipients),
        "signer": sig.signer if sig else None, "signer_title": sig.title if sig else None,
        "cc": _dumps(doc.cc), "urgency": h.urgency, "confidentiality": h.confidentiality,
        "text": doc.text, "text_folded": fold(doc.text),
        "text_sha256": hashlib.sha256(doc.text.encode("utf-8")).hexdigest(),
        "pages": len(doc.pages) or None,
        "ocr": int(any(p.method == "ocr" for p in doc.pages)),
        "status": "confidential" if h.confidentiality else "active",
        "warnings": _dumps(doc.warnings),
    }


def section_rows(doc: Document, doc_id: str) -> list[Row]:
    rows = []
    for i, s in enumerate(doc.sections):
        own = doc.text[s.text_start:s.text_end]
        rows.append({
            "id": f"{doc_id}:{s.id}", "doc_id": doc_id, "section_id": s.id, "ordinal": i,
            "parent": s.parent, "label": s.label, "kind": s.kind, "level": s.level,
            "heading": s.heading, "heading_folded": fold_name(s.heading),
            "text": own, "text_folded": fold(own), "start": s.start, "end": s.end,
            "page": s.page,
        })
    return rows


def table_rows(doc: Document, doc_id: str) -> list[Row]:
    return [{
        "id": f"{doc_id}:{t.id}", "doc_id": doc_id, "table_id": t.id,
        "section_id": t.section_id, "title": t.title, "header": _dumps(t.header),
        "rows": json.dumps([[c.text for c in r] for r in t.rows], ensure_ascii=False),
        "n_rows": len(t.rows), "start": t.start, "end": t.end,
    } for t in doc.tables]


def footnote_rows(doc: Document, doc_id: str) -> list[Row]:
    return [{
        "doc_id": doc_id, "ordinal": i, "marker": f.marker, "text": f.text,
        "section_id": f.section_id, "offset": f.offset,
    } for i, f in enumerate(doc.footnotes)]


def _agency_row(m: AgencyMention, jurisdiction: str | None) -> Row:
    return dict(_cached_agency_row(replace(m, start=0, end=0, rule="", section_id=None),
                                   jurisdiction))


@functools.lru_cache(maxsize=4096)
def _cached_agency_row(m: AgencyMention, jurisdiction: str | None) -> Row:
    name = m.canonical or m.text
    key = agency_key(m, jurisdiction)
    successor_key = None
    if m.successor:
        successor_key = agency_key(successor_mention(m), jurisdiction)
    return {
        "key": key, "name": name, "name_folded": fold_name(name), "agency_id": m.agency_id,
        "successor_key": successor_key, "successor_name": m.successor,
        "level": agency_level(name, jurisdiction, m.agency_id),
        "jurisdiction": jurisdiction if "@" in key else None, "generic": int(m.generic),
    }


def agency_rows(analysis: Analysis, jurisdiction: str | None) -> list[Row]:
    """Every agency named (in roles or elsewhere) and the successors they point to;
    successors first so foreign keys hold in insert order."""
    mentions = [r.agency for t in analysis.tasks for r in t.roles] + list(analysis.mentions)
    rows: dict[str, Row] = {}
    for m in mentions:
        if m.successor:
            succ = _agency_row(successor_mention(m), jurisdiction)
            rows.setdefault(succ["key"], succ)
    for m in mentions:
        row = _agency_row(m, jurisdiction)
        if row["key"] not in rows or rows[row["key"]]["agency_id"] is None:
            rows[row["key"]] = row
    return list(rows.values())


def _task_row(doc_id: str, i: int, t: Task, jurisdiction: str | None) -> Row:
    dates = sorted(d.date for d in t.deadlines if d.date)
    first = dates[0] if dates else None
    names = list(t.lead) + list(t.support)
    names += [r.agency.successor for r in t.roles if r.agency.successor]
    return {
        "id": f"{doc_id}:{t.id}", "doc_id": doc_id, "task_id": t.id, "ordinal": i,
        "section_id": t.section_id, "text": t.text, "text_folded": fold(t.text),
        "start": t.start, "end": t.end, "rule": t.rule, "table_id": t.table_id,
        "recurrence": t.recurrence, "first_deadline": first,
        "deadline_month": first[:7] if first else None,
        "lead": LIST_SEP.join(t.lead) or None, "support": LIST_SEP.join(t.support) or None,
        "agencies_folded": " | ".join(fold_name(n) for n in names),
    }


def _role_rows(task_key: str, t: Task, jurisdiction: str | None) -> list[Row]:
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()
    for r in t.roles:
        key = agency_key(r.agency, jurisdiction)
        if (key, r.role) in seen:
            continue  # the same body named twice in one role: the first mention is the evidence
        seen.add((key, r.role))
        rows.append({
            "task_id": task_key, "agency_key": key, "role": r.role, "ordinal": len(rows),
            "mention_text": r.agency.text, "start": r.agency.start, "end": r.agency.end,
            "rule": r.rule,
        })
    return rows


def _deadline_rows(task_key: str, t: Task) -> list[Row]:
    return [{
        "task_id": task_key, "ordinal": i, "date": d.date, "raw": d.raw, "kind": d.kind,
        "recurrence": d.recurrence, "start": d.start, "end": d.end, "rule": d.rule,
    } for i, d in enumerate(t.deadlines)]


def task_rows(doc_id: str, analysis: Analysis, jurisdiction: str | None
              ) -> tuple[list[Row], list[Row], list[Row]]:
    """(tasks, task_agencies, deadlines) rows."""
    tasks, roles, deadlines = [], [], []
    for i, t in enumerate(analysis.tasks):
        row = _task_row(doc_id, i, t, jurisdiction)
        tasks.append(row)
        roles += _role_rows(row["id"], t, jurisdiction)
        deadlines += _deadline_rows(row["id"], t)
    return tasks, roles, deadlines


def _target_owner(tg: Target, analysis: Analysis, doc_id: str) -> str | None:
    for t in analysis.tasks:
        if tg in t.targets:
            return f"{doc_id}:{t.id}"
    for t in analysis.tasks:  # not listed by any task: the task whose span holds it
        if t.start <= tg.start and tg.end <= t.end:
            return f"{doc_id}:{t.id}"
    return None


def target_rows(doc_id: str, analysis: Analysis) -> list[Row]:
    found: list[Target] = list(analysis.targets)
    for t in analysis.tasks:
        found += [tg for tg in t.targets if tg not in found]
    found.sort(key=lambda tg: (tg.start, tg.end))
    return [{
        "id": f"{doc_id}:{i}", "doc_id": doc_id, "ordinal": i,
        "task_id": _target_owner(tg, analysis, doc_id), "section_id": tg.section_id,
        "text": tg.raw, "value": tg.value, "unit": tg.unit, "comparator": tg.comparator,
        "metric": tg.metric, "by": tg.by, "start": tg.start, "end": tg.end, "rule": tg.rule,
    } for i, tg in enumerate(found)]


def citation_rows(doc_id: str, analysis: Analysis) -> list[Row]:
    rows = []
    for i, c in enumerate(analysis.citations):
        number, year, sym = split_citation_key(c.key)
        rows.append({
            "id": f"{doc_id}:{i}", "doc_id": doc_id, "ordinal": i, "section_id": c.section_id,
            "key": c.key, "number": c.number or number, "symbol_key": sym,
            "year": c.year if c.year is not None else year, "doc_type": c.doc_type,
            "issuer_code": c.issuer_code, "date": c.date, "issuer_name": c.issuer_name,
            "raw": c.raw, "start": c.start, "end": c.end, "rule": c.rule,
        })
    return rows


def build_rows(doc: Document, analysis: Analysis, *, doc_id: str, path: str, sha256: str,
               size: int, mtime: float, jurisdiction: str | None) -> DocumentRows:
    tasks, roles, deadlines = task_rows(doc_id, analysis, jurisdiction)
    children = {
        "sections": section_rows(doc, doc_id),
        "doc_tables": table_rows(doc, doc_id),
        "footnotes": footnote_rows(doc, doc_id),
        "tasks": tasks,
        "task_agencies": roles,
        "deadlines": deadlines,
        "targets": target_rows(doc_id, analysis),
        "citations": citation_rows(doc_id, analysis),
    }
    row = document_row(doc, doc_id=doc_id, path=path, sha256=sha256, size=size, mtime=mtime)
    return DocumentRows(document=row, agencies=agency_rows(analysis, jurisdiction),
                        children=children)
