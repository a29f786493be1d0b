"""Citation grammar (domain §5): keys, types, issuers, dates; header number parsing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.citations import (
    doc_type_from_symbol,
    doc_type_from_word,
    find_citations,
    parse_doc_number,
)

# (text, key, doc_type, issuer_code, year, date)
CITATIONS = [
    ("Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ",
     "749/QĐ-TTg", "quyet_dinh", "TTg", 2020, "2020-06-03"),
    ("Nghị quyết số 48-NQ/TU ngày 15/11/2021", "48-NQ/TU", "nghi_quyet", "TU", 2021, "2021-11-15"),
    ("Nghị định số 42/2022/NĐ-CP", "42/2022/NĐ-CP", "nghi_dinh", "CP", 2022, None),
    ("Công văn số 73/BCA-C06 ngày 08 tháng 01 năm 2025", "73/BCA-C06", "cong_van", "BCA", 2025,
     "2025-01-08"),
    # "Văn bản" is any document; the symbol's TB says it is a Thông báo
    ("Văn bản số 56/TB-VPCP ngày 23 tháng 02 năm 2025 của Văn phòng Chính phủ", "56/TB-VPCP",
     "thong_bao", "VPCP", 2025, "2025-02-23"),
    ("Thông tư số 01/2023/TT-VPCP", "01/2023/TT-VPCP", "thong_tu", "VPCP", 2023, None),
    ("Công văn số 6721/VPCP-V.I ngày 18/7/2025", "6721/VPCP-V.I", "cong_van", "VPCP", 2025,
     "2025-07-18"),
    ("Thông tư số 01/2023/TT- VPCP ngày 05/4/2023", "01/2023/TT-VPCP", "thong_tu", "VPCP", 2023,
     "2023-04-05"),
    ("Nghị quyết số 57- NQ/TW", "57-NQ/TW", "nghi_quyet", "TW", None, None),
    ("Nghị quyết số 57-NQ/TW, ngày 22 tháng 12 năm 2024 của Bộ Chính trị", "57-NQ/TW",
     "nghi_quyet", "TW", 2024, "2024-12-22"),
    ("Nghị quyết số 21/2023/NQ-HĐND ngày 07 tháng 12 năm 2023", "21/2023/NQ-HĐND",
     "nghi_quyet", "HĐND", 2023, "2023-12-07"),
    ("Nghị quyết số 25/NQ-HĐND ngày 17 tháng 9 năm 2021", "25/NQ-HĐND", "nghi_quyet", "HĐND",
     2021, "2021-09-17"),
    ("Quyết định số 01/QĐ-BCĐ", "01/QĐ-BCĐ", "quyet_dinh", "BCĐ", None, None),
    ("126/QĐ-BCĐCP", "126/QĐ-BCĐCP", "quyet_dinh", "BCĐCP", None, None),
    ("Kế hoạch số 484/KH-UBND", "484/KH-UBND", "ke_hoach", "UBND", None, None),
    ("Công văn số 336/BNV-CCHC", "336/BNV-CCHC", "cong_van", "BNV", None, None),
    ("văn bản số 3653/VPCP-CĐS", "3653/VPCP-CĐS", "cong_van", "VPCP", None, None),
    ("Thông báo số 2056-TB/TU", "2056-TB/TU", "thong_bao", "TU", None, None),
    ("Kết luận số 121-KL/TW", "121-KL/TW", "ket_luan", "TW", None, None),
    ("Chỉ thị số 45-CT/TU", "45-CT/TU", "chi_thi", "TU", None, None),
    ("Chỉ thị số 09/CT-TTg", "09/CT-TTg", "chi_thi", "TTg", None, None),
    ("Công điện số 112/CĐ-TTg ngày 19/7/2025", "112/CĐ-TTg", "cong_dien", "TTg", 2025,
     "2025-07-19"),
    ("Luật Tổ chức chính quyền địa phương số 72/2025/QH15", "72/2025/QH15", "luat", "QH", 2025,
     None),
    ("Nghị quyết số 76/2025/UBTVQH15 ngày 14/4/2025", "76/2025/UBTVQH15", "nghi_quyet",
     "UBTVQH", 2025, "2025-04-14"),
    ("Thông tư liên tịch số 11/2004/TTLT-BNN-BNV", "11/2004/TTLT-BNN-BNV", "thong_tu_lien_tich",
     "BNN", 2004, None),
    ("Công văn số 5104/BTTTT-PTTH&TTĐT", "5104/BTTTT-PTTH&TTĐT", "cong_van", "BTTTT", None, None),
    ("Công văn số 474/UBND-VP7 ngày 18/6/2025", "474/UBND-VP7", "cong_van", "UBND", 2025,
     "2025-06-18"),
    ("Nghị quyết số 30c/NQ-CP ngày 08 tháng 11 năm 2011", "30c/NQ-CP", "nghi_quyet", "CP", 2011,
     "2011-11-08"),
    ("Thông báo Kết luận số 2074 - TB/TU ngày 24 tháng 02 năm 2025", "2074-TB/TU", "thong_bao",
     "TU", 2025, "2025-02-24"),
    ("Tờ trình số 164/TTr- SKHCN", "164/TTr-SKHCN", "to_trinh", "SKHCN", None, None),
    ("Quy định số 08-QĐi/TW", "08-QĐi/TW", "quy_dinh", "TW", None, None),
    ("Kế hoạch 133-KH/TĐTN-BCNLĐ", "133-KH/TĐTN-BCNLĐ", "ke_hoach", "TĐTN", None, None),
    ("Văn bản hợp nhất 03/VBHN-VPQH", "03/VBHN-VPQH", "van_ban_hop_nhat", "VPQH", None, None),
    ("Nghị định số 101/CP ngày 23 tháng 9 năm 1997", "101/CP", "nghi_dinh", "CP", 1997,
     "1997-09-23"),
    ("Quyết định số 101/QĐ-TTG", "101/QĐ-TTG", "quyet_dinh", "TTG", None, None),
]


@pytest.mark.parametrize(("text", "key", "doc_type", "issuer", "year", "date"), CITATIONS)
def test_citation_fields(text: str, key: str, doc_type: str, issuer: str, year: int | None,
                         date: str | None) -> None:
    (c,) = find_citations(text)
    assert (c.key, c.doc_type, c.issuer_code, c.year, c.date) == (key, doc_type, issuer, year,
                                                                   date)
    assert text[c.start:c.end] == c.raw


ISSUER_NAMES = [
    ("Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ về việc phê duyệt",
     "Thủ tướng Chính phủ"),
    ("Công văn số 555/LĐTBXH-BTXH ngày 03/3/2021 của Bộ Lao động - Thương binh và Xã hội về",
     "Bộ Lao động - Thương binh và Xã hội"),
    ("Văn bản số 56/TB-VPCP ngày 23 tháng 02 năm 2025 của Văn phòng \n\nChính phủ về Thông báo",
     "Văn phòng Chính phủ"),
    ("Nghị định số 42/2022/NĐ-CP ngày 24/6/2022 của Chính phủ và Thông tư số 01/2023/TT-VPCP",
     "Chính phủ"),
    ("Kế hoạch số 55/KH-UBND ngày 12/4/2022 thực hiện Nghị quyết", None),
]


@pytest.mark.parametrize(("text", "name"), ISSUER_NAMES)
def test_citation_issuer_name(text: str, name: str | None) -> None:
    assert find_citations(text)[0].issuer_name == name


NOT_CITATIONS = [
    "trước ngày 30/6/2025",
    "đạt 35/63 tỉnh, thành",
    "phục vụ 24/7",
    "Tổ 3/Khu phố 2",
    "Điện thoại: 0207.3822.456",
    "http://tuyenquang.gov.vn/12/AB",
    "Luật Đất đai năm 2024",
    "Bộ luật Dân sự",
    "tỷ lệ 10 - 13%",
    "giai đoạn 2021 - 2025",
]


@pytest.mark.parametrize("text", NOT_CITATIONS)
def test_not_a_citation(text: str) -> None:
    assert find_citations(text) == []


DOC_NUMBERS = [
    ("56/TB-VPCP", ("56", None, "TB-VPCP")),
    ("   /UBND-THCBKS", (None, None, "UBND-THCBKS")),
    ("24 /2025/QĐ-UBND", ("24", 2025, "QĐ-UBND")),
    ("Số: 11902/BNV-TCPCP", ("11902", None, "BNV-TCPCP")),
    ("48-NQ/TU", ("48", None, "NQ/TU")),
    ("        /KH-UBND", (None, None, "KH-UBND")),
    ("227/CĐ-TTg", ("227", None, "CĐ-TTg")),
]


@pytest.mark.parametrize(("value", "expected"), DOC_NUMBERS)
def test_parse_doc_number(value: str, expected: tuple[str | None, int | None, str | None]) -> None:
    assert parse_doc_number(value) == expected


SYMBOL_TYPES = [
    ("QĐ-TTg", "quyet_dinh"), ("KH-UBND", "ke_hoach"), ("TB-VPCP", "thong_bao"),
    ("CĐ-TTg", "cong_dien"), ("TTr-BXD", "to_trinh"), ("CTr-UBND", "chuong_trinh"),
    ("ĐA-UBND", "de_an"), ("HD-BNV", "huong_dan"), ("NQ/TU", "nghi_quyet"),
    ("UBND-THCBKS", "cong_van"), ("BNV-TCPCP", "cong_van"), ("VPCP-CĐS", "cong_van"),
    ("2025/QĐ-UBND", "quyet_dinh"), ("QH15", None),
]


@pytest.mark.parametrize(("symbol", "doc_type"), SYMBOL_TYPES)
def test_doc_type_from_symbol(symbol: str, doc_type: str | None) -> None:
    assert doc_type_from_symbol(symbol) == doc_type


WORD_TYPES = [
    ("KẾ HOẠCH", "ke_hoach"), ("CÔNG ĐIỆN", "cong_dien"), ("QUYẾT ĐỊNH", "quyet_dinh"),
    ("THÔNG BÁO", "thong_bao"), ("CHỈ THỊ", "chi_thi"), ("BÁO CÁO", "bao_cao"),
    ("NGHỊ QUYẾT", "nghi_quyet"), ("TỜ TRÌNH", "to_trinh"), ("KẾT LUẬN", "ket_luan"),
    ("HƯỚNG DẪN", "huong_dan"), ("CHƯƠNG TRÌNH", "chuong_trinh"), ("ĐỀ ÁN", "de_an"),
    ("QUY ĐỊNH", "quy_dinh"), ("QUY CHẾ", "quy_che"), ("THÔNG TƯ", "thong_tu"),
    ("NGHỊ ĐỊNH", "nghi_dinh"), ("LUẬT", "luat"), ("CÔNG VĂN", "cong_van"), ("XYZ", None),
]


@pytest.mark.parametrize(("word", "doc_type"), WORD_TYPES)
def test_doc_type_from_word(word: str, doc_type: str | None) -> None:
    assert doc_type_from_word(word) == doc_type


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200)
       | st.from_regex(r"(Quyết định|Nghị quyết) số [0-9]{1,4}[ /-]{1,3}[A-ZĐa-z& -]{1,12}"))
def test_find_citations_never_crashes_and_keeps_spans(text: str) -> None:
    for c in find_citations(text):
        assert 0 <= c.start <= c.end <= len(text)
        assert text[c.start:c.end] == c.raw
