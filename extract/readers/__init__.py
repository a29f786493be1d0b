"""Readers turn a file into a :class:`~extract.model.RawDocument`.

:func:`read_raw` decides the real format from the content (:func:`sniff`), not the
extension, and dispatches to the reader for that format.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from extract.errors import UnsupportedFormatError
from extract.model import RawDocument
from extract.readers.sniff import LEGACY_DOC_REASON, extension_warning, sniff

__all__ = ["read_raw", "sniff"]


def read_raw(path: str | Path) -> RawDocument:
    """Read any supported file (PDF, DOCX, TXT, MD) into a RawDocument."""
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
    elif fmt == "doc":
        raise UnsupportedFormatError(path, LEGACY_DOC_REASON)
    else:
        raise UnsupportedFormatError(path, f"{fmt}: no reader for this format yet")
    warning = extension_warning(path, fmt)
    return replace(raw, warnings=(warning, *raw.warnings)) if warning else raw
