"""Decide a file's real format from its content, and decode plain text.

The extension is only a hint: a ``.pdf`` that holds a DOCX is read as DOCX (with a warning,
see :func:`extension_warning`). Files that cannot be read raise a typed error from
:mod:`extract.errors` naming the file and the reason.
"""

from __future__ import annotations

import codecs
import re
import struct
import zipfile
import zlib
from pathlib import Path

from extract.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    LegacyEncodingError,
    UnsupportedFormatError,
)

_EXTENSIONS = {
    ".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".htm": "html", ".html": "html",
    ".md": "md", ".markdown": "md", ".txt": "txt",
}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OTHER_MAGIC = (
    (b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF8", "GIF image"),
    (b"II*\x00", "TIFF image"), (b"MM\x00*", "TIFF image"), (b"{\\rtf", "RTF document"),
    (b"Rar!", "RAR archive"), (b"7z\xbc\xaf", "7-Zip archive"), (b"\x1f\x8b", "gzip archive"),
)
_ZIP_KINDS = (
    ("xl/workbook.xml", "Excel workbook (xlsx)"),
    ("ppt/presentation.xml", "PowerPoint presentation (pptx)"),
    ("content.xml", "OpenDocument file"),
)
_OLE_KINDS = (
    ("EncryptedPackage", None),  # a password-protected Office Open XML file
    ("WordDocument", "doc"),
    ("Workbook", "Excel 97-2003 workbook (xls)"),
    ("PowerPoint Document", "PowerPoint 97-2003 presentation (ppt)"),
)
LEGACY_DOC_REASON = "legacy Word .doc: needs LibreOffice (Debian libreoffice-writer-nogui)"


def sniff(path: Path) -> str:
    """The real format of ``path``: "pdf", "docx", "doc", "html", "md" or "txt"."""
    path = Path(path)
    data = path.read_bytes()
    if not data.strip():
        raise EmptyFileError(path, "the file is empty (zero bytes)" if not data else
                             "the file holds only whitespace")
    if b"%PDF-" in data[:1024]:
        return _check_pdf(path, data)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _check_zip(path)
    if data.startswith(_OLE_MAGIC):
        return _check_ole(path, data)
    for magic, kind in _OTHER_MAGIC:
        if data.startswith(magic):
            raise UnsupportedFormatError(path, f"{kind}: not a document format vanban reads")
    head = data[:2048].lstrip(codecs.BOM_UTF8).lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:1024]:
        return "html"
    text, _ = decode_text(data, path)
    return text_kind(path, text)


def extension_warning(path: Path, fmt: str) -> str | None:
    """A warning when the extension names a different format than the content."""
    claimed = _EXTENSIONS.get(Path(path).suffix.lower())
    if claimed is None or claimed == fmt or {claimed, fmt} <= {"md", "txt"}:
        return None
    return f"extension {Path(path).suffix.lower()} but content is {fmt}"


def _check_pdf(path: Path, data: bytes) -> str:
    if b"%%EOF" not in data[-4096:]:
        raise CorruptFileError(path, "PDF is truncated or corrupt (no %%EOF end marker)")
    return "pdf"


def _check_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "word/document.xml" in names:
                zf.read("word/document.xml")
                return "docx"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
            zlib.error, NotImplementedError) as exc:
        raise CorruptFileError(path, f"zip container is truncated or corrupt ({exc})") from exc
    for marker, kind in _ZIP_KINDS:
        if marker in names:
            raise UnsupportedFormatError(path, f"{kind}: not a document format vanban reads")
    raise UnsupportedFormatError(path, "zip archive without a Word document inside")


def _check_ole(path: Path, data: bytes) -> str:
    if len(data) < 1536:
        raise CorruptFileError(path, "OLE2 (Word 97-2003) file is truncated: header only")
    sector = 1 << struct.unpack_from("<H", data, 30)[0]
    n_fat, dir_start = struct.unpack_from("<iI", data, 44)
    difat = struct.unpack_from("<109i", data, 76)
    needed = [dir_start] + [s for s in difat[: max(0, min(n_fat, 109))] if s >= 0]
    if sector not in (512, 4096) or any((s + 2) * sector > len(data) for s in needed):
        raise CorruptFileError(path, "OLE2 (Word 97-2003) file is truncated or corrupt")
    for stream, kind in _OLE_KINDS:
        if stream.encode("utf-16-le") in data:
            if kind is None:
                raise EncryptedFileError(path, "password-protected Office document")
            return kind
    raise UnsupportedFormatError(path, "OLE2 compound file that is not a Word document")


# --------------------------------------------------------------------------- text


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """Decode a text file: BOMs, UTF-8, UTF-16, else cp1258. Returns (text, encoding)."""
    encoding = _bom_encoding(data) or _utf16_without_bom(data)
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise UnsupportedFormatError(path, f"not decodable as {encoding}") from exc
    else:
        if _looks_binary(data):
            raise UnsupportedFormatError(path, "binary data, not a document format vanban reads")
        text, encoding = _decode_8bit(data)
    legacy = detect_legacy_encoding(text)
    if legacy:
        raise LegacyEncodingError(
            path, f"text is in the legacy {legacy} font encoding; convert it to Unicode first"
        )
    return text, encoding


def _bom_encoding(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


_CONTROL = set(range(0, 9)) | set(range(14, 27)) | set(range(28, 32))


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    controls = sum(1 for b in sample if b in _CONTROL)
    return b"\x00" in sample or controls > len(sample) * 0.01


def _decode_8bit(data: bytes) -> tuple[str, str]:
    for encoding in ("utf-8", "cp1258"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


# Latin-1 characters that Unicode Vietnamese never uses but TCVN3 / VNI bytes turn into.
# Counted only right after a letter: legacy bytes sit inside words ("B¸o", "HOAØ"), while
# real symbols such as ©, « stand apart.
_FOREIGN = re.compile(r"(?<=[^\W\d_])[¡¢£¤¥¦¨©ª«¬®¯´µ¶·¸¹º»¼¾¿ÄÅÆÇËÎÏÑÖ×ØÛÜÞßäåæçëîïñö÷øûüþÿ]")
_TCVN3_MARKS = set("¸µ¶·¹¨©ª«¬®")
_VNI_PAIR = re.compile(r"[A-Za-z][øùûõïäåëüØÙÛÕÏÄÅËÜ]")


def detect_legacy_encoding(text: str) -> str | None:
    """"TCVN3" or "VNI" when ``text`` reads like a legacy font encoding, else None."""
    letters = sum(1 for ch in text if ch.isalpha())
    foreign = len(_FOREIGN.findall(text))
    if foreign < 3 or foreign < 0.02 * max(letters, 1):
        return None
    tcvn3 = sum(1 for ch in text if ch in _TCVN3_MARKS)
    return "TCVN3" if tcvn3 >= len(_VNI_PAIR.findall(text)) else "VNI"


_MD_CUES = (
    re.compile(r"^#{1,6}\s+\S", re.M),  # heading
    re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$", re.M),  # table rule
)
_MD_BOLD = re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__")
_MD_LONE_PIPE = re.compile(r"^\|\s*$", re.M)


def text_kind(path: Path, text: str) -> str:
    """"md" for a .md file or text with markdown cues, else "txt"."""
    if _EXTENSIONS.get(Path(path).suffix.lower()) == "md":
        return "md"
    if any(cue.search(text) for cue in _MD_CUES):
        return "md"
    if len(_MD_BOLD.findall(text)) >= 3 or len(_MD_LONE_PIPE.findall(text)) >= 4:
        return "md"
    return "txt"
