"""Format sniffing and dispatch: content decides the format, bad files raise typed errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    ExtractError,
    LegacyEncodingError,
    UnsupportedFormatError,
)
from extract.readers import read_raw, sniff
from extract.readers.sniff import detect_legacy_encoding, extension_warning

CORPUS = Path("/work/shared/corpus")
BAD = Path(__file__).parent / "fixtures" / "bad"


@pytest.mark.parametrize(
    ("pattern", "fmt"),
    [("01_*.pdf", "pdf"), ("16_*.docx", "docx"), ("23_*.doc", "doc"), ("25_*.doc", "doc"),
     ("27_*.md", "md")],
)
def test_corpus_files_sniff_to_their_format(pattern: str, fmt: str) -> None:
    assert sniff(next(CORPUS.glob(pattern))) == fmt


@pytest.mark.parametrize(
    ("name", "error", "reason"),
    [
        ("zero-bytes.docx", EmptyFileError, "empty"),
        ("truncated.docx", CorruptFileError, "zip container is truncated or corrupt"),
        ("truncated.doc", CorruptFileError, "truncated"),
        ("truncated.pdf", CorruptFileError, "no %%EOF"),
        ("random-bytes.pdf", UnsupportedFormatError, "binary data"),
    ],
)
def test_bad_inputs_raise_typed_errors_naming_file_and_reason(
    name: str, error: type[ExtractError], reason: str
) -> None:
    with pytest.raises(error) as info:
        read_raw(BAD / name)
    assert name in str(info.value) and reason in str(info.value)


def test_docx_with_pdf_extension_is_read_as_docx_with_a_warning() -> None:
    raw = read_raw(BAD / "docx-named.pdf")
    assert raw.format == "docx"
    assert raw.warnings[0] == "extension .pdf but content is docx"
    assert raw.blocks[0].text == "ỦY BAN NHÂN DÂN"


def test_xlsx_and_images_are_unsupported(tmp_path: Path) -> None:
    import openpyxl

    book = tmp_path / "a.xlsx"
    openpyxl.Workbook().save(book)
    png = tmp_path / "scan.pdf"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    with pytest.raises(UnsupportedFormatError, match="Excel workbook"):
        sniff(book)
    with pytest.raises(UnsupportedFormatError, match="PNG image"):
        sniff(png)


def test_password_protected_office_file_is_encrypted(tmp_path: Path) -> None:
    # An encrypted OOXML file is an OLE2 container holding an "EncryptedPackage" stream.
    data = bytearray((BAD / "legacy-word.doc").read_bytes())
    name = "WordDocument".encode("utf-16-le")
    at = data.find(name)
    data[at:at + len(name)] = "EncryptedPac".encode("utf-16-le")
    data += "EncryptedPackage".encode("utf-16-le")
    path = tmp_path / "secret.docx"
    path.write_bytes(bytes(data))
    with pytest.raises(EncryptedFileError):
        sniff(path)


def test_html_and_markdown_cues(tmp_path: Path) -> None:
    html = tmp_path / "a.txt"
    html.write_text("<!DOCTYPE html><html><body>x</body></html>", encoding="utf-8")
    md = tmp_path / "b"
    md.write_text("# KẾ HOẠCH\n\nNội dung", encoding="utf-8")
    txt = tmp_path / "c.txt"
    txt.write_text("KẾ HOẠCH\nNội dung 5 * 3", encoding="utf-8")
    assert (sniff(html), sniff(md), sniff(txt)) == ("html", "md", "txt")


def test_whitespace_only_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"  \n\n ")
    with pytest.raises(EmptyFileError):
        read_raw(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("B¸o c¸o vÒ t×nh h×nh s¶n xuÊt c«ng nghiÖp th¸ng 2 n¨m 2007", "TCVN3"),
        ("Céng hßa x· héi chñ nghÜa viÖt nam", "TCVN3"),
        ("COÄNG HOAØ XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "VNI"),
        ("UYÛ BAN NHAÂN DAÂN TÆNH CAØ MAU", "VNI"),
        ("Cộng hòa xã hội chủ nghĩa Việt Nam, nhiệt độ 30°C, diện tích 5 m²", None),
        ("Bản quyền © 2025 Thư viện pháp luật, trích dẫn «Luật Đất đai»", None),
    ],
)
def test_detect_legacy_encoding(text: str, expected: str | None) -> None:
    assert detect_legacy_encoding(text) == expected


def test_legacy_encoded_text_file_raises(tmp_path: Path) -> None:
    path = tmp_path / "vni.txt"
    path.write_bytes("COÄNG HOAØ XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM".encode("cp1252"))
    with pytest.raises(LegacyEncodingError, match="VNI"):
        read_raw(path)


@pytest.mark.parametrize(
    ("name", "fmt", "expected"),
    [("a.pdf", "docx", "extension .pdf but content is docx"), ("a.docx", "docx", None),
     ("a.txt", "md", None), ("a", "txt", None), ("A.PDF", "txt", "extension .pdf but content is txt")],
)
def test_extension_warning(name: str, fmt: str, expected: str | None) -> None:
    assert extension_warning(Path(name), fmt) == expected
