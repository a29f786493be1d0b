"""Word 97–2003 .doc files: LibreOffice converts, the DOCX reader reads, legacy fonts are
read per run (corpus 23: Unicode under a .VnTime style; 25: TCVN3; 26: VNI)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from extract.errors import CorruptFileError, UnsupportedFormatError
from extract.readers import read_raw
from extract.readers.doc import read_doc
from extract.structure import build_document

LEGACY = Path(__file__).parent / "fixtures" / "legacy"
BAD = Path(__file__).parent / "fixtures" / "bad"

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def tcvn3_doc():
    return read_raw(next(LEGACY.glob("25_*.doc")))


@pytest.fixture(scope="module")
def vni_doc():
    return read_raw(next(LEGACY.glob("26_*.doc")))


@needs_soffice
def test_tcvn3_doc_header_reads_in_unicode(tcvn3_doc) -> None:
    left = [b.text for b in tcvn3_doc.blocks if b.column == "left"]
    right = [b.text for b in tcvn3_doc.blocks if b.column == "right"]
    assert tcvn3_doc.format == "doc"
    assert left[:2] == ["ỦY BAN NHÂN DÂN", "TỈNH AN GIANG"]
    assert right[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert "Long Xuyên, ngày 07 tháng 3 năm 2002" in [" ".join(t.split()) for t in right]
    assert "legacy TCVN3 font encoding converted to Unicode" in tcvn3_doc.warnings


@needs_soffice
@pytest.mark.parametrize(
    "line",
    [
        "Chính sách khuyến khích và ưu đãi đầu tư đối với một số",  # ư from soft hyphens
        "Điều 2. Đối tượng áp dụng",
        "4. Doanh nghiệp tư nhân;",
        "5. Khu di chỉ Óc - Eo - Ba Thê, xã Vọng Thê, huyện Thoại Sơn;",  # VNI-Times runs
    ],
)
def test_tcvn3_doc_body_lines(tcvn3_doc, line: str) -> None:
    assert line in [b.text for b in tcvn3_doc.blocks]


@needs_soffice
def test_vni_doc_tabbed_header_becomes_two_columns(vni_doc) -> None:
    doc = build_document(vni_doc)
    assert doc.header.issuer == "ỦY BAN NHÂN DÂN TỈNH CÀ MAU"
    assert doc.header.motto_found
    assert doc.header.doc_type == "quy_dinh"
    assert "Quy chế này được áp dụng đối với:" in doc.text
    assert "legacy VNI font encoding converted to Unicode" in vni_doc.warnings


@needs_soffice
def test_unicode_doc_whose_style_names_vntime_is_not_converted() -> None:
    raw = read_raw(next(LEGACY.glob("23_*.doc")))
    texts = [b.text for b in raw.blocks]
    assert raw.warnings == ()
    assert "Tăng cường công tác đấu tranh phòng, chống ma túy" in texts
    assert build_document(raw).header.issuer == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"


@needs_soffice
def test_small_word_97_file_reads() -> None:
    raw = read_raw(BAD / "legacy-word.doc")
    assert raw.format == "doc" and raw.source == "legacy-word.doc"
    assert raw.blocks[0].text == "ỦY BAN NHÂN DÂN"


def test_without_libreoffice_doc_is_unsupported(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(UnsupportedFormatError) as info:
        read_raw(BAD / "legacy-word.doc")
    assert "legacy-word.doc" in str(info.value)
    assert "needs LibreOffice (Debian libreoffice-writer-nogui)" in str(info.value)


def _fake_soffice(tmp_path: Path, monkeypatch, body: str) -> None:
    script = tmp_path / "bin" / "soffice"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{script.parent}:{os.environ['PATH']}")


def test_conversion_that_hangs_is_stopped(tmp_path: Path, monkeypatch) -> None:
    _fake_soffice(tmp_path, monkeypatch, "sleep 30")
    with pytest.raises(CorruptFileError, match="did not finish"):
        read_doc(BAD / "legacy-word.doc", timeout=1)


def test_conversion_without_output_is_a_corrupt_file(tmp_path: Path, monkeypatch) -> None:
    _fake_soffice(tmp_path, monkeypatch, "echo 'Error: source file could not be loaded' >&2")
    with pytest.raises(CorruptFileError, match="could not be loaded"):
        read_doc(BAD / "legacy-word.doc")
