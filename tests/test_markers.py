import pytest

from extract.markers import match_marker


@pytest.mark.parametrize(
    "text, kind, key",
    [
        ("Phần I", "phan", "I"),
        ("Phần thứ hai: NHIỆM VỤ", "phan", "THỨ HAI"),
        ("Chương II QUY ĐỊNH CHUNG", "chuong", "II"),
        ("Mục 1. QUẢN LÝ VĂN BẢN", "muc", "1"),
        ("Điều 3. Chánh Văn phòng UBND tỉnh", "dieu", "3"),
        ("II. MỤC TIÊU", "roman", "II"),
        ("IV.  GIẢI PHÁP", "roman", "IV"),
        ("1. Sở Nội vụ:", "arabic", "1"),
        ("10. Công an tỉnh:", "arabic", "10"),
        ("1.1. Ngày Chuyển đổi số", "decimal", "1.1"),
        ("2.3.1 Hạ tầng số", "decimal", "2.3.1"),
        ("a) Kết quả đạt được:", "letter", "a"),
        ("đ) Bộ Xây dựng tiếp tục chủ trì", "letter", "đ"),
        ("(3) Bộ Công an", "paren", "3"),
        ("- Chủ trì, phối hợp", "dash", "-"),
        ("+ Tổ chức tập huấn", "plus", "+"),
        ("PHỤ LỤC 02", "appendix", "02"),
        ("Phụ lục I: DANH MỤC NHIỆM VỤ", "appendix", "I"),
    ],
)
def test_marker_kinds(text, kind, key):
    m = match_marker(text)
    assert m is not None and (m.kind, m.key) == (kind, key)


@pytest.mark.parametrize(
    "text",
    [
        "Sở Tư pháp chủ trì",
        "2025 là năm tăng tốc",
        "Phụ lục này quy định chi tiết",  # a sentence, not an appendix heading
        "I tiếp tục",  # a Roman numeral needs its dot
        "Chương trình hành động thực hiện Nghị quyết số 52-NQ/TW;",
        "Phần mềm quản lý văn bản",
    ],
)
def test_sentences_are_not_markers(text):
    assert match_marker(text) is None
