"""The spaCy Language on underthesea: exact round-trip of text and offsets, rule components."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.lang import align, analyze_text, get_nlp

SENTENCE = "Sở Tư pháp chủ trì, hoàn thành trước ngày 30/6/2025 theo Quyết định số 749/QĐ-TTg."

TRICKY = [
    "",
    " ",
    "   \n\t  ",
    "\n",
    "Sở Tư pháp chủ trì",
    "  Sở   Tư pháp  ",
    "Tư   pháp",
    "Tư\npháp",
    "Tư\tpháp",
    "Tư\u00a0pháp",
    "Dòng một\n\nDòng hai\r\nDòng ba",
    "Nơi nhận:\n- Như trên;\n- Lưu: VT./.",
    "./.",
    "...!!!???",
    "1.357.063,5 tỷ đồng",
    "Quyết định số 749/QĐ-TTg ngày 03/6/2020",
    "Xem https://chinhphu.vn/van-ban?id=1&x=2 và email vp@hanoi.gov.vn",
    "Hoàn thành 😀👍🏽 trong Quý II/2025",
    "hoà bình  Hòa Bình",  # underthesea moves the tone mark (hoà → hòa)
    "qui định nghành",  # underthesea respells (qui → quy, nghành → ngành)
    "Ðà Nẵng",  # eth: underthesea maps Ð → Đ
    unicodedata.normalize("NFD", "Sở Tư pháp Hà Nội"),  # decomposed accents
    "\u0301 leading combining mark",
    "a\u200bb zero width",
    "İstanbul ß ﬁ Ａ全角",
    "(i) ĐIỀU 1. – “trích dẫn” … — v.v.",
]


def _check_doc(text, doc):
    assert doc.text == text
    for tok in doc:
        assert tok.text, "no empty tokens"
        assert tok.is_space or tok.text == tok.text.strip()
        assert doc.text[tok.idx : tok.idx + len(tok.text)] == tok.text


@pytest.mark.parametrize("text", TRICKY)
def test_tokenizer_round_trips_text_exactly(text):
    _check_doc(text, get_nlp().make_doc(text))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_tokenizer_round_trips_any_text(text):
    _check_doc(text, get_nlp().make_doc(text))


VIET = st.text(
    alphabet=st.sampled_from(
        list("aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợ")
        + list("ùúủũụừứửữựỳýỷỹỵĐSTHQ0123456789./,-:;()%")
        + [" ", " ", " ", "\n", "\t"]
    ),
    max_size=120,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VIET)
def test_tokenizer_round_trips_vietnamese_like_text(text):
    _check_doc(text, get_nlp().make_doc(text))


def test_multi_syllable_word_is_one_token_with_its_space():
    doc = get_nlp().make_doc("Sở Tư pháp chủ trì")
    assert [t.text for t in doc] == ["Sở", "Tư pháp", "chủ trì"]


def test_word_split_by_newline_or_double_space_becomes_syllable_tokens():
    assert [t.text for t in get_nlp().make_doc("Tư\npháp")] == ["Tư", "\n", "pháp"]
    assert [t.text for t in get_nlp().make_doc("Tư  pháp")] == ["Tư", " ", "pháp"]


def test_extra_whitespace_becomes_whitespace_tokens():
    doc = get_nlp().make_doc("a  b\n\nc")
    assert [(t.text, t.whitespace_) for t in doc] == [
        ("a", " "),
        (" ", ""),
        ("b", ""),
        ("\n\n", ""),
        ("c", ""),
    ]


def test_respelled_word_falls_back_to_the_text_as_written():
    doc = get_nlp().make_doc("qui định")
    assert doc.text == "qui định"
    assert [t.text for t in doc] == ["qui", "định"]


def test_align_moves_tone_marks_back_onto_the_text():
    assert align("hoà bình", ["hòa bình"]) == [(0, 8)]


def test_pipeline_has_the_rule_components():
    assert get_nlp().pipe_names == [
        "vanban_agencies",
        "vanban_deadlines",
        "vanban_targets",
        "vanban_citations",
    ]


def test_components_fill_spans_and_typed_findings():
    doc = analyze_text(SENTENCE, {})
    assert "Sở Tư pháp" in [s.text for s in doc.spans["agencies"]]
    assert any("30/6/2025" in s.text for s in doc.spans["deadlines"])
    assert [d.date for d in doc._.vanban_deadlines] == ["2025-06-30"]
    assert [c.key for c in doc._.vanban_citations] == ["749/QĐ-TTg"]
    assert [s.kb_id_ for s in doc.spans["citations"]] == ["749/QĐ-TTg"]
    mention = next(m for m in doc._.vanban_agencies if m.text == "Sở Tư pháp")
    assert SENTENCE[mention.start : mention.end] == "Sở Tư pháp"


def test_context_reaches_the_finders():
    text = "Hoàn thành trong tháng 6. Tỷ lệ hồ sơ trực tuyến đạt 80%."
    bare = analyze_text(text, {})
    assert [d.date for d in bare._.vanban_deadlines] == [None]
    assert [t.by for t in bare._.vanban_targets] == [None]
    doc = analyze_text(text, {"context_year": 2025, "default_by": "2025-12-31"})
    assert [d.date for d in doc._.vanban_deadlines] == ["2025-06-30"]
    assert [(t.value, t.by) for t in doc._.vanban_targets] == [(80.0, "2025-12-31")]
    assert [s.text for s in doc.spans["targets"]] == ["Tỷ lệ hồ sơ trực tuyến đạt 80%"]


def test_unknown_context_key_is_an_error():
    with pytest.raises(ValueError, match="unknown context keys"):
        analyze_text(SENTENCE, {"year": 2025})


def test_components_on_empty_text():
    doc = analyze_text("", {})
    assert doc.text == ""
    assert list(doc.spans["agencies"]) == []
    assert doc._.vanban_citations == ()
