"""Who leads and who supports: one row per phrasing, expected roles written by hand."""

from __future__ import annotations

import pytest

from extract.normalize import fold
from nlp.agencies import find_agencies
from nlp.roles import assign_roles, heading_agencies


def _roles(text: str, heading: str | None = None) -> set[tuple[str, str]]:
    inherited = heading_agencies(heading, None) if heading else []
    roles = assign_roles(text, find_agencies(text), inherited)
    return {(fold(r.agency.canonical or r.agency.text), r.role) for r in roles}


@pytest.mark.parametrize(
    "text, heading, expected",
    [
        # the item's own subject
        ("4. Sở Tư pháp chủ trì, phối hợp với Công an tỉnh số hóa dữ liệu hộ tịch", None,
         {("so tu phap", "lead"), ("cong an tinh", "support")}),
        ("8. Sở Y Tế phối hợp với các cấp, các ngành triển khai bệnh án điện tử", None,
         {("so y te", "lead")}),
        # assignment verbs: who assigns is not who does
        ("Chủ tịch Ủy ban nhân dân tỉnh giao Sở Khoa học và Công nghệ chủ trì triển khai",
         None, {("so khoa hoc va cong nghe", "lead")}),
        ("Bộ Nội vụ đề nghị Ủy ban nhân dân tỉnh, thành phố khẩn trương báo cáo", None,
         {("uy ban nhan dan tinh, thanh pho", "lead")}),
        # inherited from an agency heading
        ("- Tham mưu bố trí bảo đảm kinh phí để triển khai", "5. Sở Tài chính:",
         {("so tai chinh", "lead")}),
        # the item's agency only cooperates with one named body: that body leads
        ("- Phối hợp với Sở Nội vụ tổ chức phát động phong trào thi đua",
         "2. Sở Khoa học và Công nghệ:",
         {("so noi vu", "lead"), ("so khoa hoc va cong nghe", "support")}),
        # … but not with a collective, which stays a partner
        ("- Phối hợp với các sở, ngành, địa phương xây dựng cơ chế chính sách",
         "1. Sở Khoa học và Công nghệ:",
         {("so khoa hoc va cong nghe", "lead"), ("cac so, nganh, dia phuong", "support")}),
        # a vague partner is not scored and the heading's agency leads
        ("- Phối hợp với các cấp, các ngành trong việc ứng dụng IoT",
         "3. Sở Nông nghiệp và Môi trường:", {("so nong nghiep va moi truong", "lead")}),
        # a body after a verb is its object, not its subject
        ("- Tham mưu Ủy ban nhân dân tỉnh xây dựng các chương trình chuyển đổi số",
         "3. Sở Thông tin và Truyền thông:", {("so thong tin va truyen thong", "lead")}),
        # a subject after an adverbial clause
        ("2. Căn cứ nội dung Kế hoạch và tình hình thực tiễn, các sở, ngành và Ủy ban nhân "
         "dân các xã, phường xây dựng kế hoạch chi tiết", None,
         {("cac so, nganh", "lead"), ("uy ban nhan dan cac xa, phuong", "lead")}),
    ],
)
def test_roles(text, heading, expected):
    assert _roles(text, heading) == expected


@pytest.mark.parametrize(
    "heading, expected",
    [
        ("3. Sở Nông nghiệp và Môi trường:", ["Sở Nông nghiệp và Môi trường"]),
        ("Công an tỉnh", ["Công an tỉnh"]),
        ("14. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
         ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"]),
        ("Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban Quản lý các Khu công nghiệp tỉnh):",
         ["Sở Tài chính", "Ban Quản lý các Khu công nghiệp tỉnh"]),
        ("1. Chính quyền số", []),
        ("II. NHIỆM VỤ", []),
    ],
)
def test_heading_agencies(heading, expected):
    got = [m.text for m in heading_agencies(heading, None)]
    assert [fold(g) for g in got] == [fold(e) for e in expected]


@pytest.mark.parametrize(
    "text, name, generic",
    [
        ("phối hợp với các doanh nghiệp viễn thông", "các doanh nghiệp", True),
        ("các hội, đoàn thể tỉnh tuyên truyền", "các hội, đoàn thể tỉnh", False),
    ],
)
def test_collectives_of_businesses_are_not_state_bodies(text, name, generic):
    ms = find_agencies(text)
    assert [(m.text, m.generic) for m in ms] == [(name, generic)]


def test_a_compound_word_is_not_a_collective():
    assert find_agencies("Tổ chức các Hội nghị bồi dưỡng kỹ năng số") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a) Các tỉnh Nghệ An, Quảng Ngãi, Cao Bằng khẩn trương hoàn thiện",
         ["Tỉnh Nghệ An", "Tỉnh Quảng Ngãi", "Tỉnh Cao Bằng"]),
        ("b) Thành phố Hà Nội và các tỉnh Bắc Ninh, Gia Lai đẩy nhanh tiến độ",
         ["Thành phố Hà Nội", "Tỉnh Bắc Ninh", "Tỉnh Gia Lai"]),
        ("d) Thành phố Hồ Chí Minh, tỉnh Lâm Đồng đẩy nhanh việc lựa chọn",
         ["Thành phố Hồ Chí Minh", "Tỉnh Lâm Đồng"]),
        ("- Tỉnh ủy chỉ đạo các cấp ủy", []),  # the Party committee, not a province
        ("- Triển khai trên địa bàn tỉnh Lâm Đồng", []),  # a place, not the subject
    ],
)
def test_provinces_opening_an_item_are_its_subjects(text, expected):
    from nlp.roles import place_subjects

    found = place_subjects(text)
    assert [m.canonical for m in found] == expected
    assert all(text[m.start:m.end] == m.text for m in found)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("7. Thống đốc Ngân hàng Nhà nước Việt Nam chỉ đạo các ngân hàng thương mại",
         {("ngan hang nha nuoc viet nam", "lead")}),
        ("10. Phân công các đồng chí Phó Thủ tướng Chính phủ tiếp tục theo dõi",
         {("pho thu tuong chinh phu", "lead")}),
    ],
)
def test_officials_name_their_bodies_as_subjects(text, expected):
    got = _roles(text)
    assert {(n, r) for n, r in got if "ngan hang nha nuoc" in n or "thu tuong" in n} == expected


def test_known_names_go_on_through_following_capitalised_words():
    from nlp.names import extend_names as _extend_names

    text = "Ban quản lý Khu Kinh tế Phú Yên, Sở Tài chính và Báo Lai Châu thực hiện"
    ms = _extend_names(text, find_agencies(text))
    assert [m.text for m in ms][:2] == ["Ban quản lý Khu Kinh tế Phú Yên", "Sở Tài chính"]
    assert all(text[m.start:m.end] == m.text for m in ms)


def test_items_under_a_lead_in_sentence_take_its_subject(tmp_path):
    from extract import extract_file
    from nlp.pipeline import analyze

    f = tmp_path / "cv.txt"
    f.write_text(
        "VĂN PHÒNG CHÍNH PHỦ\nSố: 12/VPCP-V.I\nHà Nội, ngày 02 tháng 3 năm 2025\n"
        "V/v chống buôn lậu\n\nKính gửi: Các bộ, cơ quan ngang bộ.\n\n"
        "1. Bộ trưởng Bộ Tài chính chỉ đạo các đơn vị thực hiện một số nhiệm vụ sau:\n"
        "1.1. Hoàn thiện Kế hoạch cao điểm chống buôn lậu trước ngày 30/11/2025.\n"
        "1.2. Khẩn trương sơ kết việc thực hiện Chỉ thị số 13/CT-TTg.\n",
        encoding="utf-8")
    doc = extract_file(f)
    tasks = analyze(doc).tasks
    assert [t.lead for t in tasks] == [("Bộ Tài chính",), ("Bộ Tài chính",)]


def test_an_office_named_after_its_committee_is_one_body():
    from nlp.names import join_sub_units as _join_sub_units

    text = "Văn phòng Thường trực Ban Chỉ đạo 389 quốc gia tăng cường kiểm tra"
    ms = _join_sub_units(text, find_agencies(text))
    assert [m.text for m in ms] == ["Văn phòng Thường trực Ban Chỉ đạo 389 quốc gia"]


def test_numbered_items_after_a_request_paragraph_are_done_by_whom_it_asks(tmp_path):
    from extract import extract_file
    from nlp.pipeline import analyze

    f = tmp_path / "tb.txt"
    f.write_text(
        "VĂN PHÒNG CHÍNH PHỦ\nSố: 480/TB-VPCP\nHà Nội, ngày 13 tháng 9 năm 2025\n\n"
        "THÔNG BÁO\nKết luận của Phó Thủ tướng về dự thảo Luật Xây dựng\n\n"
        "Để hoàn thiện dự thảo Luật, Phó Thủ tướng yêu cầu Bộ Xây dựng tập trung "
        "các nội dung sau:\n"
        "1. Rà soát, thể chế hóa đầy đủ các chủ trương của Đảng.\n"
        "2. Rà soát kỹ dự thảo Luật bảo đảm đồng bộ, thống nhất.\n\n"
        "Phó Thủ tướng có ý kiến như sau:\n"
        "3. Nghiên cứu bổ sung cơ chế khuyến khích sáng tạo.\n",
        encoding="utf-8")
    tasks = analyze(extract_file(f)).tasks
    leads = {t.text[:2]: t.lead for t in tasks}
    assert leads["1."] == ("Bộ Xây dựng",) and leads["2."] == ("Bộ Xây dựng",)
    assert leads["3."] == ()  # "có ý kiến" asks no one
