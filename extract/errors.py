"""Typed errors raised by readers. Each names the file and the reason in plain words."""

from __future__ import annotations

from pathlib import Path


class ExtractError(Exception):
    """Base class: a file that could not be turned into a Document."""

    reason = "extract-error"

    def __init__(self, path: str | Path, detail: str):
        self.path = str(path)
        self.detail = detail
        super().__init__(f"{Path(self.path).name}: {detail}")


class EmptyFileError(ExtractError):
    reason = "empty"


class CorruptFileError(ExtractError):
    reason = "corrupt"


class EncryptedFileError(ExtractError):
    reason = "encrypted"


class UnsupportedFormatError(ExtractError):
    reason = "unsupported"


class ScannedDocumentError(ExtractError):
    """The PDF has no usable text layer and OCR is not available/enabled."""

    reason = "scanned"


class LegacyEncodingError(ExtractError):
    """Text in a legacy Vietnamese font encoding (TCVN3/VNI) that is not converted."""

    reason = "legacy-encoding"


class NoContentError(ExtractError):
    """The file opened but held no text at all."""

    reason = "no-content"
