"""extract.readers.pdf on LibreOffice renderings of the seeds, real signed PDFs and bad input.

Renderings are rebuilt with ``tools/make_renderings.py``; the real PDFs are copies of
corpus files 03, 07 and 08 (public documents).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extract.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    UnsupportedFormatError,
)
from extract.model import Block, RawDocument
from extract.readers._pdf_chars import Char
from extract.readers._pdf_layout import build_lines
from extract.readers.pdf import read_pdf

FIXTURES = Path(__file__).parent / "fixtures"
RENDER = FIXTURES / "renderings"
PDF = FIXTURES / "pdf"
CV = RENDER / "cv_tuyenquang_2025.pdf"
KH = RENDER / "kh_tuyenquang_cds_2024.pdf"
BNV_11902 = PDF / "07_bnv-cv11902-bao-cao-quan-ly-hoi-2025.pdf"
BNV_5816 = PDF / "08_bnv-cv5816-bo-sung-so-lieu-so-ket-nq76-2025.pdf"
VPCP_480 = PDF / "03_vpcp-tb480-ket-luan-pttg-du-thao-luat-xay-dung-2025.pdf"


@pytest.fixture(scope="module")
def cv() -> RawDocument:
    return read_pdf(CV)


@pytest.fixture(scope="module")
def kh() -> RawDocument:
    return read_pdf(KH)


def _texts(blocks: tuple[Block, ...] | list[Block]) -> list[str]:
    return [b.text for b in blocks if b.kind == "line"]


def _first_zone(doc: RawDocument, side: str) -> list[str]:
    """Line texts of one column of the first two-column zone of page 1."""
    out: list[str] = []
    for b in doc.blocks:
        if b.column == "full" and out:
            break
        if b.page == 1 and b.column == side:
            out.append(b.text)
    return out


# ------------------------------------------------------------------ header columns


def test_header_left_column_holds_issuer_number_and_subject(cv: RawDocument) -> None:
    left = _first_zone(cv, "left")
    assert left[:2] == ["ỦY BAN NHÂN DÂN", "TỈNH TUYÊN QUANG"]
    assert any(t.startswith("Số:") and t.endswith("/UBND-THCBKS") for t in left)
    assert any(t.startswith("V/v tổ chức thực hiện") for t in left)
    assert not any("Tuyên Quang, ngày" in t for t in left)


def test_header_right_column_holds_motto_and_place_date(cv: RawDocument) -> None:
    right = _first_zone(cv, "right")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    assert "Độc lập - Tự do - Hạnh phúc" in right
    assert "Tuyên Quang, ngày tháng 3 năm 2025" in right
    assert not any("Số:" in t for t in right)


def test_header_left_blocks_all_come_before_right_blocks(cv: RawDocument) -> None:
    sides = [b.column for b in cv.blocks[:20] if b.column != "full"]
    first_right = sides.index("right")
    assert "left" not in sides[first_right:]


def test_signature_zone_separates_cc_list_from_signer(cv: RawDocument) -> None:
    last_page = [b for b in cv.blocks if b.page == 3 and b.kind == "line"]
    left = [b.text for b in last_page if b.column == "left"]
    right = [b.text for b in last_page if b.column == "right"]
    assert left[0] == "Nơi nhận:"
    assert left[-1] == "- Lưu VT, TG CNTT 02."
    assert right == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Hoàng Việt Phương"]


def test_plan_signature_has_three_authority_lines_and_signer(kh: RawDocument) -> None:
    right = [b.text for b in kh.blocks if b.column == "right" and b.page and b.page > 1]
    assert right == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Hoàng Việt Phương"]


def test_typography_bold_italic_and_centering(cv: RawDocument) -> None:
    by_text = {b.text: b for b in cv.blocks if b.kind == "line"}
    assert by_text["TỈNH TUYÊN QUANG"].bold
    assert by_text["Tuyên Quang, ngày tháng 3 năm 2025"].italic
    assert by_text["Nơi nhận:"].bold and by_text["Nơi nhận:"].italic
    assert by_text["Độc lập - Tự do - Hạnh phúc"].centered
    body = next(b for b in cv.blocks if b.text.startswith("Thực hiện Văn bản số 56"))
    assert body.column == "full" and not body.centered and body.font_size == 14.0


# ------------------------------------------------------------------ body hygiene


def test_page_numbers_are_removed(kh: RawDocument) -> None:
    assert len(kh.pages) > 30
    assert not [t for t in _texts(kh.blocks) if t.strip().isdigit()]


def test_blank_blocks_mark_paragraph_gaps(cv: RawDocument) -> None:
    kinds = [b.kind for b in cv.blocks]
    i = next(k for k, b in enumerate(cv.blocks) if b.text == "Chủ tịch Ủy ban nhân dân tỉnh chỉ đạo:")
    assert kinds[i - 1] == "blank" and kinds[i + 1] == "blank"
    assert "blank" not in kinds[i + 2 : i + 4]  # a wrapped paragraph has no gap inside


def test_footnote_is_separated_and_its_marker_dropped(cv: RawDocument) -> None:
    assert [(f.marker, f.text) for f in cv.footnotes] == [
        ("1", "Thông báo số 56/TB-VPCP ngày 23/02/2025 của Văn phòng Chính phủ.")
    ]
    texts = _texts(cv.blocks)
    assert not any("Thông báo số 56/TB-VPCP ngày 23/02/2025" in t for t in texts)
    line = next(t for t in texts if "năm 2024, phương hướng," in t)
    assert "phương hướng,1" not in line and line.endswith("phương hướng,")


def test_every_text_is_normalized(kh: RawDocument) -> None:
    from extract.normalize import normalize_text

    assert all(b.text == normalize_text(b.text) for b in kh.blocks)


# ------------------------------------------------------------------ tables


def test_task_table_rows_and_header_recovered(cv: RawDocument) -> None:
    tables = [b for b in cv.blocks if b.kind == "table"]
    assert len(tables) == 1  # the appendix table runs over several pages
    rows = tables[0].rows
    assert rows[0] == ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
                       "Thời gian hoàn thành")
    numbers = [r[0] for r in rows[1:] if r[0]]
    assert numbers == [str(n) for n in range(1, 25)]


def test_merged_cell_reads_as_empty_string(cv: RawDocument) -> None:
    rows = next(b for b in cv.blocks if b.kind == "table").rows
    row2 = next(r for r in rows if r[0] == "2")
    row3 = next(r for r in rows if r[0] == "3")
    assert row2[2] == "Sở Nội vụ" and row3[2] == ""


def test_table_text_does_not_also_appear_as_lines(cv: RawDocument) -> None:
    texts = _texts(cv.blocks)
    assert "Cơ quan chủ trì" not in " ".join(texts)
    assert texts[-1] == "DANH MỤC NHIỆM VỤ TRIỂN KHAI"


# ------------------------------------------------------------------ real signed PDFs


@pytest.mark.parametrize(
    ("path", "number", "date"),
    [
        (BNV_11902, "11902/BNV-TCPCP", "ngày 11 tháng 12 năm 2025"),
        (BNV_5816, "5816/BNV-CCHC", "ngày 31 tháng 7 năm 2025"),
    ],
)
def test_stamped_number_and_date_of_signed_pdf(path: Path, number: str, date: str) -> None:
    doc = read_pdf(path)
    assert dict(doc.stamped) == {"number_raw": number, "date_raw": date}
    left, right = _first_zone(doc, "left"), _first_zone(doc, "right")
    assert any(t.replace(" ", "") == f"Số:{number}" for t in left)
    assert any(t.endswith(date) for t in right)


def test_signed_letter_reads_body_and_signature(tmp_path: Path) -> None:
    doc = read_pdf(BNV_11902)
    texts = _texts(doc.blocks)
    assert "trước ngày 31/12/2025." in texts
    right = [b.text for b in doc.blocks if b.column == "right"]
    assert right[-3:] == ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Vũ Chiến Thắng"]
    assert doc.pages[0].method == "text-layer" and doc.format == "pdf"


def test_font_size_from_text_matrix_and_page_number_at_top_removed() -> None:
    doc = read_pdf(VPCP_480)  # fonts set at size 1 and scaled by the text matrix
    body = next(b for b in doc.blocks if b.text.startswith("Ngày 12 tháng 9 năm 2025"))
    assert body.font_size and 12 < body.font_size < 15
    page2 = _texts([b for b in doc.blocks if b.page == 2])
    assert page2[0] != "2"
    assert dict(doc.stamped) == {}  # the number is printed, nothing was stamped


# ------------------------------------------------------------------ lines from chars


def _char(text: str, x0: float, bottom: float, size: float = 14.0) -> Char:
    return Char(text, x0, x0 + 0.5 * size, bottom - size, bottom, bottom, size, False, False)


def test_raised_small_digit_becomes_marker_not_text() -> None:
    chars = [_char(c, 100 + 7 * k, 200) for k, c in enumerate("năm)")]
    chars.append(_char("1", 128.5, 195, 9.0))
    chars.append(_char(".", 133, 200))
    [line] = build_lines(chars)
    assert line.text == "năm)." and line.markers == ["1"]


def test_two_cells_on_one_row_become_two_segments() -> None:
    chars = [_char(c, 100 + 7 * k, 200) for k, c in enumerate("Số:")]
    chars += [_char(c, 350 + 7 * k, 201) for k, c in enumerate("Hà")]
    [line] = build_lines(chars)
    assert [s.text for s in line.segments] == ["Số:", "Hà"]


# ------------------------------------------------------------------ bad input


def test_zero_byte_file_raises_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(EmptyFileError, match="empty.pdf"):
        read_pdf(path)


def test_truncated_file_raises_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(BNV_11902.read_bytes()[:60_000])
    with pytest.raises(CorruptFileError, match="cut.pdf"):
        read_pdf(path)


def test_password_protected_file_raises_encrypted() -> None:
    with pytest.raises(EncryptedFileError, match="password"):
        read_pdf(PDF / "encrypted_user_password.pdf")


def test_docx_renamed_to_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    shutil.copy(RENDER / "cv_tuyenquang_2025.docx", path)
    with pytest.raises(UnsupportedFormatError, match="ZIP"):
        read_pdf(path)


def test_pdf_with_another_extension_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    shutil.copy(BNV_11902, path)
    assert read_pdf(path).source == "letter.txt"
