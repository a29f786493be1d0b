"""Deadline and recurrence grammar: one row per phrase, expected value beside it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.deadlines import find_deadlines, find_recurrence

DOC = "2025-03-10"

DEADLINES = [
    ("hoàn thành trước ngày 30/6/2025", ["2025-06-30"]),
    ("trước ngày 30-6-2025", ["2025-06-30"]),
    ("báo cáo trước ngày 20.7.2025", ["2025-07-20"]),
    ("hoàn thành trước ngày 31 tháng 3 năm 2025", ["2025-03-31"]),
    ("hoàn thành trước \n\nngày 31 tháng 3 năm 2025.", ["2025-03-31"]),
    ("gửi Sở Nội vụ (trước ngày 10/02/2025)", ["2025-02-10"]),
    ("Đến ngày 30 tháng 6 năm 2025, tất cả lãnh đạo", ["2025-06-30"]),
    ("Hết tháng 6 năm 2025, 100% hồ sơ", ["2025-06-30"]),
    ("Hết tháng 6/2025", ["2025-06-30"]),
    ("hết tháng 2 năm 2028", ["2028-02-29"]),
    ("Phấn đấu đến hết năm 2025, 100%", ["2025-12-31"]),
    ("đến năm 2030", ["2030-12-31"]),
    ("tổ chức thực hiện trong năm 2026", ["2026-12-31"]),
    ("hoàn thành trong Quý II/2025", ["2025-06-30"]),
    ("trong Quý I/2026", ["2026-03-31"]),
    ("trong quý 2 năm 2025", ["2025-06-30"]),
    ("báo cáo Ban Bí thư vào cuối quý III/2025", ["2025-09-30"]),
    ("trong quý IV năm 2025", ["2025-12-31"]),
    ("trình Thủ tướng Chính phủ trong tháng 11/2025", ["2025-11-30"]),
    ("hoàn thành trong tháng 12/2025", ["2025-12-31"]),
    ("trong tháng 11 năm 2025", ["2025-11-30"]),
    ("6 tháng đầu năm 2025", ["2025-06-30"]),
    ("9 tháng đầu năm 2025", ["2025-09-30"]),
    ("đưa tiếng Anh thành ngôn ngữ thứ hai trong trường học giai đoạn 2025-2035", ["2035-12-31"]),
    ("tổng kết giai đoạn 2021 - 2025", ["2025-12-31"]),
    ("tổng kết giai đoạn 2026–2030", ["2030-12-31"]),
    ("trước ngày 15/12", ["2025-12-15"]),
    ("chậm nhất ngày 05/4/2025", ["2025-04-05"]),
    ("chậm nhất là ngày 15 tháng 4 năm 2025", ["2025-04-15"]),
    ("khánh thành vào ngày 19 tháng 12 năm 2025", ["2025-12-19"]),
    ("khởi công dịp 19 tháng 12 năm 2025", ["2025-12-19"]),
    ("bảo đảm thông xe kỹ thuật năm 2025", ["2025-12-31"]),
    ("các dự án có kế hoạch hoàn thành năm 2025", ["2025-12-31"]),
    ("Báo cáo giữa kỳ (năm 2030)", ["2030-12-31"]),
    ("trước 7h00 sáng ngày 01/7/2025", ["2025-07-01"]),
    ("Thời gian hoàn thành: Quý II/2025", ["2025-06-30"]),
    ("trong thời hạn 15 ngày kể từ ngày ký", ["2025-03-25"]),
    ("trong thời hạn 05 ngày làm việc kể từ ngày ký", ["2025-03-17"]),
    ("trong thời hạn 6 tháng kể từ ngày ban hành", ["2025-09-10"]),
    ("trước ngày 31/6/2025", ["2025-06-30"]),  # clamped to the month's end
    ("báo cáo trước ngày 15/6/2025 và trước ngày 15/12/2025", ["2025-06-15", "2025-12-15"]),
    # Not deadlines.
    ("Ngày 07/9/2023, Ủy ban nhân dân tỉnh ban hành Kế hoạch", []),
    ("Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ", []),
    ("Công văn số 73/BCA-C06 ngày 08 tháng 01 năm 2025", []),
    ("đẩy mạnh thực hiện Đề án 06 trong năm 2025 và những năm tiếp theo", []),
    ("Chiến lược đến năm 2025, định hướng đến năm 2030", []),
    ("tầm nhìn đến năm 2045", []),
    ("Kế hoạch cải cách hành chính giai đoạn 2026-2030", []),
    ("vốn đầu tư công trung hạn giai đoạn 2026-2030", []),
    ("Ngày Chuyển đổi số năm 2023", []),
    ("tỷ lệ 35/63 tỉnh, hoạt động 24/7", []),
    ("trước ngày 31/13/2025", []),
    ("Thường xuyên", []),
]


@pytest.mark.parametrize(("phrase", "expected"), DEADLINES)
def test_deadline_phrase_resolves_to_iso_dates(phrase: str, expected: list[str]) -> None:
    found = find_deadlines(phrase, doc_date=DOC)
    assert [d.date for d in found] == expected
    for d in found:
        assert phrase[d.start:d.end] == d.raw


KINDS = [
    ("trước ngày 30/6/2025", "date"),
    ("hết tháng 6 năm 2025", "month"),
    ("trong Quý II/2025", "quarter"),
    ("trong năm 2024", "year"),
    ("giai đoạn 2025-2035", "period"),
    ("trước ngày 15 hằng tháng", "recurring"),
]


@pytest.mark.parametrize(("phrase", "kind"), KINDS)
def test_deadline_kind(phrase: str, kind: str) -> None:
    assert [d.kind for d in find_deadlines(phrase)] == [kind]


def test_relative_deadline_without_doc_date_has_no_date() -> None:
    (d,) = find_deadlines("trong thời hạn 15 ngày kể từ ngày ký")
    assert (d.kind, d.date) == ("relative", None)


def test_relative_to_event_other_than_signature_stays_relative() -> None:
    (d,) = find_deadlines("chậm nhất 10 ngày kể từ ngày nhận được văn bản", doc_date=DOC)
    assert (d.kind, d.date) == ("relative", None)


def test_day_without_year_takes_context_year_over_doc_date() -> None:
    (d,) = find_deadlines("trước ngày 15/12", doc_date=DOC, context_year=2026)
    assert d.date == "2026-12-15" and "inferred_year" in d.rule


def test_day_without_year_and_no_context_has_no_date() -> None:
    (d,) = find_deadlines("trước ngày 15/12")
    assert d.date is None


def test_past_year_is_not_a_deadline_of_a_later_document() -> None:
    assert find_deadlines("trong năm 2023 đã đạt nhiều kết quả", doc_date="2024-01-05") == []


def test_recurring_deadline_has_recurrence_and_no_date() -> None:
    (d,) = find_deadlines("báo cáo trước ngày 15 hằng tháng")
    assert (d.kind, d.date, d.recurrence) == ("recurring", None, "monthly")


def test_fixed_report_dates_are_deadlines_not_recurrence() -> None:
    text = ("báo cáo Quý I (trước ngày 15/3/2024), báo cáo 6 tháng (trước ngày 15/6/2024), "
            "báo cáo quý III (trước ngày 15/9/2024), báo cáo năm 2024 (trước ngày 10/12 /2024)")
    dates = [d.date for d in find_deadlines(text, doc_date="2024-01-10")]
    assert dates == ["2024-03-15", "2024-06-15", "2024-09-15", "2024-12-10"]
    assert find_recurrence(text) is None


RECURRENCE = [
    ("hằng tuần báo cáo", "weekly"),
    ("hàng tuần", "weekly"),
    ("hằng tháng báo cáo Ủy ban nhân dân tỉnh", "monthly"),
    ("hàng tháng báo cáo", "monthly"),
    ("định kỳ hằng tháng", "monthly"),
    ("trước ngày 15 hằng tháng", "monthly"),
    ("hằng quý", "quarterly"),
    ("hàng quý", "quarterly"),
    ("định kỳ hằng quý", "quarterly"),
    ("Vào ngày cuối cùng của tháng cuối Quý, báo cáo", "quarterly"),
    ("định kỳ 6 tháng", "semiannual"),
    ("6 tháng một lần", "semiannual"),
    ("báo cáo 6 tháng, hằng năm", "semiannual"),
    ("hằng năm", "yearly"),
    ("hàng năm", "yearly"),
    ("định kỳ hằng năm", "yearly"),
    ("6 tháng đầu năm 2025", None),
    ("cuối quý II/2025", None),
    ("Thường xuyên đôn đốc, kiểm tra", None),
    ("trong thời hạn 6 tháng, kể từ ngày ký", None),
]


@pytest.mark.parametrize(("phrase", "value"), RECURRENCE)
def test_recurrence_phrase(phrase: str, value: str | None) -> None:
    got = find_recurrence(phrase)
    assert (got[0] if got else None) == value
    if got:
        assert phrase[got[1]:got[2]] == got[3]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200)
       | st.from_regex(r"(trước|hết|trong|đến) (ngày|tháng|quý|năm) [0-9IV/ .-]{1,14}"))
def test_deadline_finders_never_crash_and_keep_spans(text: str) -> None:
    for d in find_deadlines(text, doc_date="2025-01-01"):
        assert 0 <= d.start <= d.end <= len(text)
        assert text[d.start:d.end] == d.raw
    got = find_recurrence(text)
    if got:
        assert 0 <= got[1] <= got[2] <= len(text) and text[got[1]:got[2]] == got[3]
