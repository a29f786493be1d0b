"""Plain records of the export contract, built from a Document and its Analysis."""

from __future__ import annotations

from extract.model import Document
from nlp.model import Analysis, Task


def numbered_section(section_id: str) -> str:
    """The section path of numbered headings only ("II.III.1.-3" → "II.III.1")."""
    parts = [p for p in section_id.split(".") if p and p[0] not in "-+*¶"]
    return ".".join(parts)


def task_record(doc: Document, t: Task) -> dict:
    return {
        "source": doc.source,
        "section": numbered_section(t.section_id),
        "section_id": t.section_id,
        "text": t.text,
        "lead": list(t.lead),
        "support": list(t.support),
        "deadlines": sorted({d.date for d in t.deadlines if d.date}),
        "recurrence": t.recurrence,
        "task_id": t.id,
        "start": t.start,
        "end": t.end,
        "rule": t.rule,
    }


def target_records(doc: Document, a: Analysis) -> list[dict]:
    return [
        {
            "source": doc.source, "text": g.raw, "value": g.value, "unit": g.unit,
            "comparator": g.comparator, "by": g.by, "metric": g.metric,
            "section": g.section_id, "start": g.start, "end": g.end, "rule": g.rule,
        }
        for g in a.targets
    ]


def document_record(doc: Document, a: Analysis) -> dict:
    h = doc.header
    cites: list[str] = []
    for c in a.citations:
        if c.key not in cites:
            cites.append(c.key)
    return {
        "source": doc.source,
        "doc_type": h.doc_type,
        "number": h.number,
        "symbol": h.symbol,
        "issuer": h.issuer_name or h.issuer,
        "place": h.place,
        "date": h.date,
        "subject": h.subject,
        "recipients": list(h.recipients),
        "signer": doc.signature.signer if doc.signature else None,
        "signer_title": doc.signature.title if doc.signature else None,
        "citations": cites,
    }


def records(doc: Document, a: Analysis) -> dict:
    return {
        "document": document_record(doc, a),
        "tasks": [task_record(doc, t) for t in a.tasks],
        "targets": target_records(doc, a),
    }
