"""Readers turn a file into a :class:`~extract.model.RawDocument`.

:func:`read_raw` decides the real format from the content (:func:`sniff`), not the
extension, and dispatches to the reader for that format.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from extract.errors import NoContentError, UnsupportedFormatError
from extract.model import RawDocument
from extract.readers.sniff import extension_warning, sniff

__all__ = ["read_raw", "sniff"]


def read_raw(path: str | Path) -> RawDocument:
    """Read any supported file (PDF, DOCX, DOC, TXT, MD, HTML) into a RawDocument."""
    path = Path(path)
    fmt = sniff(path)
    if fmt == "pdf":
        from extract.readers.pdf import read_pdf

        raw = read_pdf(path)
    elif fmt == "docx":
        from extract.readers.docx import read_docx

        raw = read_docx(path)
    elif fmt in ("txt", "md"):
        from extract.readers.text import read_text

        raw = read_text(path)
    elif fmt == "html":
        from extract.readers.html import read_html

        raw = read_html(path)
    elif fmt == "doc":
        from extract.readers.doc import read_doc

        raw = read_doc(path)
    else:
        raise UnsupportedFormatError(path, f"{fmt}: no reader for this format yet")
    if not any(b.text.strip() or b.rows for b in raw.blocks):
        raise NoContentError(path, f"the {fmt.upper()} file holds no text")
    warning = extension_warning(path, fmt)
    return replace(raw, warnings=(warning, *raw.warnings)) if warning else raw
