"""JSON views of the stage records (for `vanban extract` and golden files)."""

from __future__ import annotations

from dataclasses import asdict

from extract.model import Document


def document_json(doc: Document) -> dict:
    """The Document as plain data: header, signature, section tree, tables, footnotes."""
    d = asdict(doc)
    d["signature"] = (
        {"authority": list(doc.signature.authority), "signer": doc.signature.signer,
         "title": doc.signature.title} if doc.signature else None
    )
    d["sections"] = [
        {**asdict(s), "text": doc.text[s.text_start:s.text_end]} for s in doc.sections
    ]
    return d
