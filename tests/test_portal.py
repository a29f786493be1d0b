"""Pages saved from legal portals: the website around the document is dropped, the header
is read from the document itself (corpus 29, 34, 35 and an HTML page built like them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.readers import read_raw
from extract.structure import build_document

PORTAL = Path(__file__).parent / "fixtures" / "portal"
CHROME = [
    "THƯ VIỆN PHÁP LUẬT", "Đang tải văn bản", "Số hiệu:", "Loại văn bản:", "Nơi ban hành:",
    "Ngày ban hành:", "Văn bản liên quan", "Mã số thuế", "0315459414", "0906.229966",
    "Văn bản này chưa cập nhật nội dung Tiếng Anh", "Click vào phần bôi vàng",
]


def _doc(pattern: str):
    raw = read_raw(next(PORTAL.glob(pattern)))
    return raw, build_document(raw)


def _all_text(raw) -> str:
    return "\n".join([b.text for b in raw.blocks]
                     + [c for b in raw.blocks for r in b.rows for c in r])


@pytest.mark.parametrize("pattern", ["34_*.md", "35_*.md", "*.html"])
def test_portal_chrome_is_gone(pattern: str) -> None:
    raw, _ = _doc(pattern)
    text = _all_text(raw)
    assert [c for c in CHROME if c in text] == []
    assert raw.warnings[0].startswith("portal page:")


def test_cong_dien_header_and_site_summary_dropped() -> None:
    raw, doc = _doc("34_*.md")
    h = doc.header
    assert (h.issuer, h.number_raw, h.date, h.doc_type, h.place) == (
        "THỦ TƯỚNG CHÍNH PHỦ", "227/CĐ-TTg", "2025-11-23", "cong_dien", "Hà Nội")
    assert doc.signature is not None and doc.signature.signer == "Phạm Minh Chính"
    # the site's summary ("Hỗ trợ Nhân dân sửa nhà …") came before the document
    assert "Xem chi tiết nội dung tại Công điện" not in _all_text(raw)
    # the document's footnotes at its end are kept
    assert "Ước tính thiệt hại 9.035 tỷ đồng." in _all_text(raw)
    assert ("number_raw", "227/CĐ-TTg") in raw.stamped


def test_cong_van_header_with_kinh_gui_row() -> None:
    _, doc = _doc("35_*.md")
    h = doc.header
    assert (h.issuer, h.number, h.symbol, h.date, h.doc_type) == (
        "VĂN PHÒNG CHÍNH PHỦ", "11554", "VPCP-V.I", "2025-11-25", "cong_van")
    assert h.subject == "nâng cao hiệu quả công tác chống buôn lậu, gian lận thương mại và hàng giả"
    assert h.recipients[0] == "Bộ trưởng Bộ Tài chính - Phó Trưởng ban Thường trực Ban Chỉ đạo 389 quốc gia"
    assert len(h.recipients) == 4
    assert doc.signature is not None and doc.signature.signer == "Trịnh Mạnh Linh"


def test_page_without_chrome_is_unchanged() -> None:
    raw, doc = _doc("29_*.md")
    assert raw.warnings == () and raw.stamped == ()
    h = doc.header
    assert (h.issuer, h.number_raw, h.date, h.doc_type) == (
        "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU", "7360/KH-UBND", "2025-11-19", "ke_hoach")


def test_html_portal_page_reads_like_the_markdown_one() -> None:
    raw, doc = _doc("*.html")
    h = doc.header
    assert raw.format == "html"
    assert (h.issuer, h.number_raw, h.date, h.subject) == (
        "VĂN PHÒNG CHÍNH PHỦ", "11554/VPCP-V.I", "2025-11-25",
        "nâng cao hiệu quả công tác chống buôn lậu")
    assert h.recipients == ("Bộ trưởng Bộ Tài chính", "Chủ tịch Ủy ban nhân dân các tỉnh")
    assert doc.cc == ("Như trên", "Lưu: VT")
    assert doc.text.endswith("trước ngày 30/11/2025.")  # no page title after the document
    assert "var x" not in _all_text(raw)  # scripts are not read


def test_metadata_box_fills_a_blank_header_number(tmp_path: Path) -> None:
    html = (PORTAL / "vpcp-cv11554-portal.html").read_text(encoding="utf-8")
    path = tmp_path / "blank-number.html"
    path.write_text(html.replace("Số: 11554/VPCP-V.I", "Số: /VPCP-V.I"), encoding="utf-8")
    assert build_document(read_raw(path)).header.number == "11554"
