"""Agency mentions: gazetteer names and aliases, structural names, enumerations, titles,
collectives, vague references, successors and jurisdiction keys."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.agencies import agency_key, canonicalize, find_agencies, is_generic, split_agency_list
from nlp.gazetteer import entries, patterns

# ------------------------------------------------------------------ one phrase, one body
# phrase → (canonical, rule); the phrase alone must come back as one mention covering it.

SINGLE = [
    ("Sở Tư pháp", "Sở Tư pháp", "gazetteer"),
    ("Sở Y Tế", "Sở Y tế", "gazetteer"),
    ("SỞ Y TẾ", "Sở Y tế", "gazetteer"),
    ("sở y tế", "Sở Y tế", "gazetteer"),
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh", "alias"),
    ("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh", "gazetteer"),
    ("Ủy ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh", "gazetteer"),
    ("HĐND tỉnh", "Hội đồng nhân dân tỉnh", "alias"),
    ("Sở TT&TT", "Sở Thông tin và Truyền thông", "alias"),
    ("Sở TT & TT", "Sở Thông tin và Truyền thông", "alias"),
    ("Sở TT-TT", "Sở Thông tin và Truyền thông", "alias"),
    ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư", "alias"),
    ("Sở KH&CN", "Sở Khoa học và Công nghệ", "alias"),
    ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo", "alias"),
    ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội", "alias"),
    ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn", "alias"),
    ("Sở TN&MT", "Sở Tài nguyên và Môi trường", "alias"),
    ("Bộ TT&TT", "Bộ Thông tin và Truyền thông", "alias"),
    ("Bộ KH&ĐT", "Bộ Kế hoạch và Đầu tư", "alias"),
    ("Sở Khoa học và Công nghệ", "Sở Khoa học và Công nghệ", "gazetteer"),
    ("Sở Văn hoá Thể thao du lịch", "Sở Văn hóa, Thể thao và Du lịch", "gazetteer"),
    ("Sở Văn hóa - Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch", "gazetteer"),
    ("Sở Tư pháp tỉnh Lâm Đồng", "Sở Tư pháp", "gazetteer"),
    ("Sở Nội vụ tỉnh", "Sở Nội vụ", "gazetteer"),
    ("Công an tỉnh", "Công an tỉnh", "gazetteer"),
    ("Công an tỉnh Tuyên Quang", "Công an tỉnh", "gazetteer"),
    ("Thanh tra tỉnh", "Thanh tra tỉnh", "gazetteer"),
    ("Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh", "alias"),
    ("Kho bạc Nhà nước", "Kho bạc Nhà nước", "gazetteer"),
    ("Cục Thuế", "Cục Thuế", "gazetteer"),
    ("Ngân hàng Nhà nước chi nhánh tỉnh", "Ngân hàng Nhà nước chi nhánh tỉnh", "gazetteer"),
    ("Liên đoàn Lao động tỉnh", "Liên đoàn Lao động tỉnh", "gazetteer"),
    ("Tỉnh đoàn", "Tỉnh đoàn", "gazetteer"),
    ("Ủy ban MTTQ Việt Nam tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "alias"),
    ("Đài Phát thanh và Truyền hình tỉnh", "Đài Phát thanh và Truyền hình tỉnh", "gazetteer"),
    ("Bộ Chỉ huy Quân sự tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "gazetteer"),
    (
        "Trung tâm Phục vụ hành chính công tỉnh",
        "Trung tâm Phục vụ hành chính công tỉnh",
        "gazetteer",
    ),
    ("Ban Dân tộc tỉnh", "Ban Dân tộc tỉnh", "gazetteer"),
    ("UBND tỉnh Lâm Đồng", "Ủy ban nhân dân tỉnh Lâm Đồng", "alias"),
    ("Bộ Công an", "Bộ Công an", "gazetteer"),
    ("Cục Hải quan", "Cục Hải quan", "gazetteer"),
    # structural names, not in the gazetteer
    ("Sở Giao thông - Xây dựng", "Sở Giao thông - Xây dựng", "structural"),
    ("Ban Chỉ đạo chuyển đổi số tỉnh", "Ban Chỉ đạo chuyển đổi số tỉnh", "structural"),
    ("Ủy ban nhân dân xã Tân An", "Ủy ban nhân dân xã Tân An", "structural"),
    ("UBND huyện Bảo Lâm", "Ủy ban nhân dân huyện Bảo Lâm", "structural"),
    ("Trung tâm Y tế huyện Đức Trọng", "Trung tâm Y tế huyện Đức Trọng", "structural"),
    ("Cục Quản lý đấu thầu", "Cục Quản lý đấu thầu", "structural"),
    ("Hội Doanh nhân trẻ tỉnh", "Hội Doanh nhân trẻ tỉnh", "structural"),
    ("Tổng công ty Điện lực miền Nam", "Tổng công ty Điện lực miền Nam", "structural"),
    ("Trường Đại học Đà Lạt", "Trường Đại học Đà Lạt", "structural"),
    # titles reduce officials to their bodies
    ("Giám đốc Công an tỉnh", "Công an tỉnh", "title"),
    ("Chánh Thanh tra tỉnh", "Thanh tra tỉnh", "title"),
    ("Chủ tịch UBND các huyện", "Ủy ban nhân dân các huyện", "title"),
    ("Bộ trưởng Bộ Công an", "Bộ Công an", "title"),
    ("Thủ trưởng các sở, ban, ngành", "Các sở, ban, ngành", "title"),
    ("Chủ tịch Ủy ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh", "title"),
    ("Chánh Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh", "title"),
    ("Giám đốc Sở Tài chính", "Sở Tài chính", "title"),
    # definite collectives
    ("Ủy ban nhân dân huyện, thành phố", "Ủy ban nhân dân huyện, thành phố", "collective"),
    ("UBND các huyện, thành phố", "Ủy ban nhân dân các huyện, thành phố", "collective"),
    (
        "Ủy ban nhân dân các xã, phường, thị trấn",
        "Ủy ban nhân dân các xã, phường, thị trấn",
        "collective",
    ),
    ("UBND các xã, phường, đặc khu", "Ủy ban nhân dân các xã, phường, đặc khu", "collective"),
    (
        "UBND các tỉnh, thành phố trực thuộc Trung ương",
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
        "collective",
    ),
    ("Các sở, ban, ngành thuộc tỉnh", "Các sở, ban, ngành thuộc tỉnh", "collective"),
    ("Các sở, ban, ngành, đoàn thể tỉnh", "Các sở, ban, ngành, đoàn thể tỉnh", "collective"),
    (
        "các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ",
        "Các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ",
        "collective",
    ),
    ("các bộ, ngành, địa phương", "Các bộ, ngành, địa phương", "collective"),
    # vague references
    ("các cơ quan, đơn vị liên quan", "Các cơ quan, đơn vị liên quan", "generic"),
    ("các cấp, các ngành", "Các cấp, các ngành", "generic"),
    ("các cơ quan, đơn vị, địa phương", "Các cơ quan, đơn vị, địa phương", "generic"),
    ("cơ quan liên quan", "Cơ quan liên quan", "generic"),
    ("cơ quan, tổ chức, cá nhân có liên quan", "Cơ quan, tổ chức, cá nhân có liên quan", "generic"),
]


@pytest.mark.parametrize(("phrase", "canonical", "rule"), SINGLE)
def test_phrase_resolves_to_one_body(phrase: str, canonical: str, rule: str) -> None:
    mentions = find_agencies(phrase)
    assert [(m.text, m.canonical, m.rule) for m in mentions] == [(phrase, canonical, rule)]
    assert mentions[0].generic == (rule == "generic")


# ----------------------------------------------------------------- enumerations and lists

LISTS = [
    ("các Sở: Tài chính, Tư pháp, Nội vụ", ["Sở Tài chính", "Sở Tư pháp", "Sở Nội vụ"]),
    (
        "Giám đốc các Sở: Công Thương, Kế hoạch và Đầu tư, Tài chính",
        ["Sở Công Thương", "Sở Kế hoạch và Đầu tư", "Sở Tài chính"],
    ),
    ("Bộ trưởng các Bộ: Quốc phòng, Công an", ["Bộ Quốc phòng", "Bộ Công an"]),
    ("các Bộ: Tài chính, Xây dựng", ["Bộ Tài chính", "Bộ Xây dựng"]),
    ("các Sở Tài chính, Xây dựng và Y tế", ["Sở Tài chính", "Sở Xây dựng", "Sở Y tế"]),
    (
        "các Sở: Văn hóa, Thể thao và Du lịch, Du lịch",
        ["Sở Văn hóa, Thể thao và Du lịch", "Sở Du lịch"],
    ),
    ("các Sở: Tài chính, An ninh mạng", ["Sở Tài chính", "Sở An ninh mạng"]),
    (
        "Chủ tịch Ủy ban nhân dân các tỉnh: Gia Lai, Đắk Lắk",
        ["Ủy ban nhân dân tỉnh Gia Lai", "Ủy ban nhân dân tỉnh Đắk Lắk"],
    ),
    ("các tỉnh Bắc Ninh, Gia Lai", ["Tỉnh Bắc Ninh", "Tỉnh Gia Lai"]),
    (
        "Giao Sở Tư pháp chủ trì, phối hợp với Công an tỉnh và các cơ quan, đơn vị liên quan",
        ["Sở Tư pháp", "Công an tỉnh", "Các cơ quan, đơn vị liên quan"],
    ),
    (
        "Công an tỉnh các cơ quan, đơn vị liên quan",
        ["Công an tỉnh", "Các cơ quan, đơn vị liên quan"],
    ),
    ("Sở Tài chính lập dự toán kinh phí", ["Sở Tài chính"]),
    ("Sở Du lịch chủ trì, hướng dẫn", ["Sở Du lịch"]),
    (
        "Văn phòng UBND tỉnh; Sở Nội vụ; Tỉnh đoàn.",
        ["Văn phòng Ủy ban nhân dân tỉnh", "Sở Nội vụ", "Tỉnh đoàn"],
    ),
    ("Bộ Nội \n\nvụ", ["Bộ Nội vụ"]),
    ("Hội nghị tổng kết; Báo cáo kết quả; Trường hợp cần thiết; cán bộ, công chức", []),
    ("từ ngày 01/7/2025, TỪ NĂM 2025", []),
]


@pytest.mark.parametrize(("text", "canonicals"), LISTS)
def test_text_yields_bodies_in_order(text: str, canonicals: list[str]) -> None:
    assert [m.canonical for m in find_agencies(text)] == canonicals


def test_enumeration_spans_are_the_items() -> None:
    text = "các Sở: Tài chính, Tư pháp"
    mentions = find_agencies(text)
    assert [m.text for m in mentions] == ["Tài chính", "Tư pháp"]
    assert {m.rule for m in mentions} == {"enumeration"}


def test_issuer_speaking_is_still_a_mention() -> None:
    (m,) = find_agencies("Chủ tịch Ủy ban nhân dân tỉnh chỉ đạo:")
    assert m.canonical == "Ủy ban nhân dân tỉnh" and m.text == "Chủ tịch Ủy ban nhân dân tỉnh"


# ------------------------------------------------------------------------- successors

SUCCESSORS = [
    ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"),
    ("Sở Kế hoạch và Đầu tư", "Sở Tài chính"),
    ("Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Môi trường"),
    ("Sở NN&PTNT", "Sở Nông nghiệp và Môi trường"),
    ("Bộ TT&TT", "Bộ Khoa học và Công nghệ"),
    ("Bộ KH&ĐT", "Bộ Tài chính"),
    ("Sở LĐ-TB&XH", "Sở Nội vụ"),
    ("Sở Giao thông vận tải", "Sở Xây dựng"),
    ("Sở Tư pháp", None),
    ("Ủy ban nhân dân tỉnh Hà Giang", "Ủy ban nhân dân tỉnh Tuyên Quang"),
    ("Phòng Tư pháp", None),  # abolished: no single successor
]


@pytest.mark.parametrize(("name", "successor"), SUCCESSORS)
def test_successor_after_2025_restructuring(name: str, successor: str | None) -> None:
    (m,) = find_agencies(name)
    assert m.successor == successor
    assert canonicalize(name)[1] == successor


# ---------------------------------------------------------------------- keys, helpers

KEYS = [
    ("Sở Tư pháp", "Tuyên Quang", "so-tu-phap@tuyen-quang"),
    ("Sở Tư pháp tỉnh Lâm Đồng", "Tuyên Quang", "so-tu-phap@lam-dong"),
    ("Công an tỉnh", "Lâm Đồng", "cong-an-tinh@lam-dong"),
    ("Bộ Công an", "Tuyên Quang", "bo-cong-an"),
    ("Sở Tư pháp", None, "so-tu-phap"),
    ("UBND tỉnh Lâm Đồng", "Tuyên Quang", "uy-ban-nhan-dan-tinh-lam-dong"),
    ("Sở Giao thông - Xây dựng", "Lào Cai", "so-giao-thong-xay-dung@lao-cai"),
    ("Cục Quản lý đấu thầu", "Lào Cai", "cuc-quan-ly-dau-thau"),
]


@pytest.mark.parametrize(("name", "jurisdiction", "key"), KEYS)
def test_agency_key_scopes_provincial_bodies(name: str, jurisdiction: str | None, key: str) -> None:
    (m,) = find_agencies(name)
    assert agency_key(m, jurisdiction) == key


GENERIC = [
    ("các cơ quan, đơn vị liên quan", True),
    ("các cấp, các ngành", True),
    ("các cơ quan, đơn vị, địa phương", True),
    ("cơ quan liên quan", True),
    ("Thủ trưởng các cơ quan, đơn vị", True),
    ("Các sở, ban, ngành", False),
    ("các Bộ, ngành", False),
    ("Sở Tư pháp", False),
    ("Ủy ban nhân dân huyện, thành phố", False),
    ("", False),
]


@pytest.mark.parametrize(("name", "expected"), GENERIC)
def test_is_generic(name: str, expected: bool) -> None:
    assert is_generic(name) is expected


def test_canonicalize_table_cell_name() -> None:
    assert canonicalize("Sở KH&ĐT") == (
        "Sở Kế hoạch và Đầu tư",
        "Sở Tài chính",
        "so-ke-hoach-va-dau-tu",
    )
    assert canonicalize("Sở Du lịch tỉnh") == ("Sở Du lịch", None, "so-du-lich")
    assert canonicalize("Lâm Đồng")[2] == "uy-ban-nhan-dan-tinh-lam-dong"
    assert canonicalize("không phải cơ quan") == (None, None, None)


def test_split_agency_list_keeps_comma_names_whole() -> None:
    cell = "Sở Nội vụ; Sở Văn hóa, Thể thao và Du lịch, UBND các huyện, thành phố"
    assert split_agency_list(cell) == [
        "Sở Nội vụ",
        "Sở Văn hóa, Thể thao và Du lịch",
        "UBND các huyện, thành phố",
    ]


# ------------------------------------------------------- every gazetteer entry is exercised


def _surfaces() -> list[tuple[str, str]]:
    return [(e.id, name) for e in entries() for name in (e.name, *e.aliases)]


@pytest.mark.parametrize(("agency_id", "name"), _surfaces())
def test_every_gazetteer_name_and_alias_resolves_to_its_entry(agency_id: str, name: str) -> None:
    shared = {e.id for e in entries() if name in (e.name, *e.aliases)}
    canonical, _, found = canonicalize(name)
    assert found in shared, (name, canonical, found)


@pytest.mark.parametrize("agency_id", [e.id for e in entries()])
def test_every_canonical_name_is_found_in_running_text(agency_id: str) -> None:
    entry = next(e for e in entries() if e.id == agency_id)
    text = f"Giao {entry.name} chủ trì."
    mentions = find_agencies(text)
    assert any(m.agency_id == agency_id or m.canonical == entry.name for m in mentions), mentions


def test_pattern_file_has_every_section() -> None:
    for key in ("heads", "titles", "unit_types", "collective_words", "stop_words", "abbreviations"):
        assert patterns()[key]


# --------------------------------------------------------------------------- robustness

_ALPHABET = st.sampled_from(
    list("SởBộUBNDỦyantỉhcáTưpjáfợ,;:.- \n&") + ["Sở ", "các ", "UBND ", "Giám đốc ", "và "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join) | st.text(max_size=200))
def test_never_crashes_and_spans_are_valid(text: str) -> None:
    mentions = find_agencies(text, jurisdiction="Tuyên Quang")
    last = 0
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.start >= last and m.end > m.start
        last = m.end
        agency_key(m, "Tuyên Quang")
