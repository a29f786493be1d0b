"""Header, footer and section tree of whole documents (values checked against the
documents by hand, and against shared/eval/gold where a gold file exists)."""

from __future__ import annotations

import pytest

from extract.header import split_number
from extract.model import Block, RawDocument
from extract.structure import build_document


def test_seed_letter_header_comes_out_like_gold(seed_letter):
    h = seed_letter.header
    assert h.doc_type == "cong_van"
    assert h.number is None and h.symbol == "UBND-THCBKS"
    assert h.issuer_name == "Ủy ban nhân dân tỉnh Tuyên Quang"
    assert h.place == "Tuyên Quang" and h.date == "2025-03"
    assert h.subject == ("tổ chức thực hiện Thông báo kết luận Phiên họp tổng kết hoạt động "
                         "Ủy ban Quốc gia về chuyển đổi số và Đề án 06 năm 2024")
    assert h.recipients == ("Các sở, ban, ngành thuộc tỉnh", "Công an tỉnh",
                            "Ủy ban nhân dân huyện, thành phố")
    assert h.motto_found


def test_seed_letter_signature_and_cc_are_separated(seed_letter):
    sig = seed_letter.signature
    assert sig.title == "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    assert sig.signer == "Hoàng Việt Phương"
    assert seed_letter.cc[0] == "Thường trực Tỉnh ủy"
    assert "Nơi nhận" not in seed_letter.text and "Hoàng Việt Phương" not in seed_letter.text


def test_seed_letter_section_tree(seed_letter):
    numbered = [s.id for s in seed_letter.sections if s.kind == "arabic"]
    assert numbered == [str(i) for i in range(1, 11)]
    dashes_under_1 = [s for s in seed_letter.sections if s.parent == "1" and s.kind == "dash"]
    assert len(dashes_under_1) == 6
    s3 = seed_letter.section("3")
    assert s3.heading == "Sở Nông nghiệp và Môi trường:"


def test_wrapped_lines_join_into_one_paragraph(seed_letter):
    s4 = seed_letter.section("4")
    own = seed_letter.text[s4.text_start:s4.text_end]
    assert own.startswith("4. Sở Tư pháp chủ trì")
    assert own.endswith("hoàn thành trước ngày 31 tháng 3 năm 2025.")
    assert "\n" not in own


def test_section_offsets_point_into_the_text(seed_plan):
    for s in seed_plan.sections:
        assert 0 <= s.text_start <= s.text_end <= len(seed_plan.text)
        assert s.start <= s.end <= len(seed_plan.text)
        assert seed_plan.text[s.text_start:s.text_end].strip().endswith(s.heading.strip()[-10:])


def test_plan_without_printed_header_takes_issuer_from_signature(seed_plan):
    assert seed_plan.header.issuer_name == "Ủy ban nhân dân tỉnh Tuyên Quang"
    assert seed_plan.signature.title == "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    tops = [s.heading for s in seed_plan.sections if s.kind == "phan"]
    assert tops[0].startswith("ĐÁNH GIÁ KẾT QUẢ")
    assert [s.key if hasattr(s, "key") else s.id for s in seed_plan.sections
            if s.parent == "II" and s.kind == "roman"][:3] == ["II.I", "II.II", "II.III"]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("56/TB-VPCP", ("56", "TB-VPCP")),
        ("   /UBND-THCBKS", (None, "UBND-THCBKS")),
        ("24 /2025/QĐ-UBND", ("24", "2025/QĐ-UBND")),
        ("11902/BNV- TCPCP", ("11902", "BNV-TCPCP")),
        ("48-NQ/TU", ("48", "NQ/TU")),
    ],
)
def test_split_number(raw, expected):
    assert split_number(raw) == expected


def _doc(lines: list[str]):
    blocks = tuple(Block(t, kind="line") if t else Block("", kind="blank") for t in lines)
    return build_document(RawDocument("x.txt", "txt", blocks))


def test_decision_header_with_type_line_and_subject():
    d = _doc([
        "ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Số: 05/2025/QĐ-UBND", "Lâm Đồng, ngày 08 tháng 01 năm 2025",
        "QUYẾT ĐỊNH", "Về việc ban hành Quy chế làm việc", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "QUYẾT ĐỊNH:", "Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc.",
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.",
    ])
    h = d.header
    assert (h.doc_type, h.number, h.symbol) == ("quyet_dinh", "05", "2025/QĐ-UBND")
    assert h.date == "2025-01-08" and h.place == "Lâm Đồng"
    assert h.subject == "ban hành Quy chế làm việc"  # the trích yếu without "Về việc"
    assert [s.id for s in d.sections if s.kind == "dieu"] == ["Điều 1", "Điều 2"]


def test_urgency_mark_is_recognized_and_kept_out_of_the_issuer():
    d = _doc(["BỘ NỘI VỤ", "HỎA TỐC", "Số: 12/BNV-VP", "Hà Nội, ngày 02 tháng 3 năm 2025",
              "V/v báo cáo số liệu", "Kính gửi: Ủy ban nhân dân các tỉnh.", "",
              "Bộ Nội vụ đề nghị Ủy ban nhân dân các tỉnh báo cáo trước ngày 10/3/2025./."])
    assert d.header.urgency == "HỎA TỐC"
    assert d.header.issuer_name == "Bộ nội vụ"
    assert d.header.recipients == ("Ủy ban nhân dân các tỉnh",)
