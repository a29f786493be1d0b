"""Numeric targets: value, unit, comparator and deadline scope, one row per phrase."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.targets import find_targets

# (text, in_objectives, default_by, [(value, unit, comparator, by)])
TARGETS = [
    ("tối thiểu 50% hồ sơ giải quyết thủ tục hành chính được tái sử dụng", False, None,
     [(50, "%", ">=", None)]),
    ("Phấn đấu đến hết năm 2025, 100% thủ tục hành chính đủ điều kiện, 80% hồ sơ được xử lý "
     "trực tuyến, 40% dân số trưởng thành sử dụng dịch vụ công trực tuyến.", False, None,
     [(100, "%", ">=", "2025-12-31"), (80, "%", ">=", "2025-12-31"),
      (40, "%", ">=", "2025-12-31")]),
    ("Hết tháng 6 năm 2025, 100% hồ sơ được gắn định danh cá nhân;", False, None,
     [(100, "%", ">=", "2025-06-30")]),
    ("tỷ lệ giao dịch thanh toán trực tuyến đạt từ 35% trở lên", False, "2024-12-31",
     [(35, "%", ">=", "2024-12-31")]),
    ("Tỷ lệ thất nghiệp ở khu vực thành thị dưới 4%", False, None, [(4, "%", "<=", None)]),
    ("chi phí không quá 2,5%", False, None, [(2.5, "%", "<=", None)]),
    ("tối đa 10 ngày", False, None, [(10, "day", "<=", None)]),
    ("Năng suất lao động tăng bình quân từ 6%/năm", False, None, [(6, "%/year", ">=", None)]),
    ("GRDP tăng trưởng tối thiểu ở mức 8 - 10%", False, None, [(8, "%", ">=", None)]),
    ("phấn đấu xếp hạng Chuyển đổi số cấp tỉnh năm 2024 đạt 35/63 tỉnh, thành", False, None,
     [(35, "rank", "<=", "2024-12-31")]),
    ("phấn đấu đứng trong top 03 vùng Đồng bằng sông Cửu Long", False, None,
     [(3, "rank", "<=", None)]),
    ("ít nhất 20 mô hình sản xuất nông nghiệp tuần hoàn", False, "2030-12-31",
     [(20, "count", ">=", "2030-12-31")]),
    ("ít nhất 01 sáng kiến/mô hình/giải pháp về cải cách hành chính", False, None,
     [(1, "count", ">=", None)]),
    ("bồi dưỡng 3.000 lượt nhân lực về ứng dụng công nghệ", True, None,
     [(3000, "count", ">=", None)]),
    ("đưa vào khai thác trên 3.000 km đường bộ cao tốc trong năm 2025", False, None,
     [(3000, "km", ">=", "2025-12-31")]),
    ("hoàn thành 5.000 km vào năm 2030", False, None, [(5000, "km", ">=", "2030-12-31")]),
    ("GDP bình quân đầu người đạt khoảng 4.900 USD", False, None, [(4900, "USD", ">=", None)]),
    ("phấn đấu thu ngân sách đạt 1,5 tỷ đồng", False, None, [(1.5e9, "VND", ">=", None)]),
    ("tối thiểu 96.624,538 triệu đồng", False, None, [(96624538000, "VND", ">=", None)]),
    ("phấn đấu đạt 40,62 điểm", False, None, [(40.62, "score", ">=", None)]),
    ("Phấn đấu trên 50% diện tích sản xuất nông nghiệp chủ lực", False, None,
     [(50, "%", ">=", None)]),
    ("Tỷ trọng kinh tế số chiếm 18% GRDP của tỉnh", True, "2024-12-31",
     [(18, "%", ">=", "2024-12-31")]),
    ("phấn đấu giảm tỷ lệ hộ nghèo xuống còn 2%", False, None, [(2, "%", "<=", None)]),
    ("Tối thiểu 90% hồ sơ công việc tại cấp tỉnh, 70% hồ sơ tại cấp huyện và 50% hồ sơ tại "
     "cấp xã được xử lý trên môi trường mạng", False, None,
     [(90, "%", ">=", None), (70, "%", ">=", None), (50, "%", ">=", None)]),
    ("đạt 88,52 % kế hoạch", False, None, [(88.52, "%", ">=", None)]),
    # Not targets.
    ("tỷ lệ hồ sơ đúng hạn đã đạt 85%", False, None, []),
    ("doanh thu tăng 12% so với cùng kỳ", False, None, []),
    ("năm 2023 đạt 85% kế hoạch", False, None, []),
    ("triển khai 39 nhiệm vụ chậm tiến độ của Đề án 06", False, None, []),
    ("Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ", True, None, []),
    ("trước ngày 30/6/2025", True, None, []),
    ("Tỷ lệ dân số từ 15 tuổi trở lên", True, None, []),
    ("2. Sở Khoa học và Công nghệ", True, None, []),
    ("Kết quả: 100% hồ sơ được xử lý đúng hạn", False, None, []),
]


@pytest.mark.parametrize(("text", "objectives", "default_by", "expected"), TARGETS)
def test_target_value_unit_comparator_by(text: str, objectives: bool, default_by: str | None,
                                         expected: list[tuple[float, str, str, str | None]]) -> None:
    found = find_targets(text, in_objectives=objectives, default_by=default_by,
                         doc_date="2024-01-10")
    got = [(t.value, t.unit, t.comparator, t.by) for t in found]
    assert got == [(pytest.approx(v), u, c, b) for v, u, c, b in expected]
    for t in found:
        assert text[t.start:t.end] == t.raw


def test_target_raw_contains_number_and_following_words() -> None:
    (t,) = find_targets("- Tăng cường số hóa; tối thiểu 50% hồ sơ giải quyết thủ tục hành chính.")
    assert "50% hồ sơ giải quyết thủ tục hành chính" in t.raw
    assert t.metric.startswith("hồ sơ giải quyết")


def test_each_number_of_a_list_gets_its_own_quote() -> None:
    text = "ít nhất 100 doanh nghiệp khởi nghiệp sáng tạo, 50 doanh nghiệp khoa học công nghệ"
    a, b = find_targets(text)
    assert "ít nhất 100 doanh nghiệp khởi nghiệp sáng tạo" in a.raw
    assert "sáng tạo, 50 doanh nghiệp khoa học công nghệ" in b.raw


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200)
       | st.from_regex(r"(phấn đấu|tối thiểu|đạt) [0-9.,]{1,8} ?(%|km|tỷ đồng|doanh nghiệp)"))
def test_find_targets_never_crashes_and_keeps_spans(text: str) -> None:
    for t in find_targets(text, in_objectives=True, doc_date="2025-01-01"):
        assert 0 <= t.start <= t.end <= len(text)
        assert text[t.start:t.end] == t.raw
