"""Extract stage: a file in ``corpus/`` → a structured :class:`~extract.model.Document`."""

from __future__ import annotations

import hashlib
from pathlib import Path

from extract.model import Document


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def extract_file(path: str | Path) -> Document:
    """Read, normalize and structure one file. Raises an ``ExtractError`` subclass that
    names the file and the reason when the file cannot be read."""
    from extract.readers import read_raw
    from extract.structure import build_document

    raw = read_raw(Path(path))
    return build_document(raw, sha256=file_sha256(path))


__all__ = ["Document", "extract_file", "file_sha256"]
