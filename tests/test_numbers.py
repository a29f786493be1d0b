"""Vietnamese number formats, words and scales."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlp.numbers import parse_vn_number

NUMBERS = [
    ("93,44", 93.44),
    ("1.357.063.500", 1357063500),
    ("1.000", 1000),
    ("2,5", 2.5),
    ("01", 1),
    ("100", 100),
    ("1.5", 1.5),
    ("86.45", 86.45),
    ("478.600", 478600),
    ("1.573,1", 1573.1),
    ("96.624,538", 96624.538),
    ("1 000", 1000),
    ("1,500,050.30", 1500050.3),
    ("1,5 tỷ", 1.5e9),
    ("1,5 tỷ đồng".removesuffix(" đồng"), 1.5e9),
    ("96.624,538 triệu", 96624538000),
    ("3 nghìn", 3000),
    ("20 ngàn", 20000),
    ("2 nghìn tỷ", 2e12),
    ("một", 1),
    ("hai", 2),
    ("mười", 10),
    ("mười lăm", 15),
    ("hai mươi mốt", 21),
    ("ba mươi tư", 34),
    ("ba trăm linh năm", 305),
    ("Sáu", 6),
    ("", None),
    ("abc", None),
    ("12a", None),
]


@pytest.mark.parametrize(("text", "value"), NUMBERS)
def test_parse_vn_number(text: str, value: float | None) -> None:
    got = parse_vn_number(text)
    assert got == (None if value is None else pytest.approx(value))


@given(st.text(max_size=40))
def test_parse_vn_number_never_crashes(text: str) -> None:
    got = parse_vn_number(text)
    assert got is None or isinstance(got, float)
