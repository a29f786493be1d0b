import pytest

from extract.normalize import fold, normalize_text, normalize_tone_placement


@pytest.mark.parametrize(
    "old, new",
    [
        ("hoá", "hóa"), ("Uỷ ban", "Ủy ban"), ("thuỷ lợi", "thủy lợi"), ("khoẻ", "khỏe"),
        ("HOÁ", "HÓA"), ("Hoà Bình", "Hòa Bình"), ("tuỳ", "tùy"), ("loà", "lòa"),
        # with a final consonant the mark already sits on the second vowel
        ("hoàng", "hoàng"), ("toán", "toán"), ("thuyết", "thuyết"),
        # qu/gi are consonants: "quý", "giá" are untouched
        ("quý", "quý"), ("Quý II", "Quý II"), ("giá", "giá"),
    ],
)
def test_old_tone_placement_folds_to_new(old, new):
    assert normalize_tone_placement(old) == new


def test_normalize_composes_decomposed_text_and_plain_spaces():
    decomposed = "Ho\u0300a\u00a0Bi\u0300nh\u200b"
    assert normalize_text(decomposed) == "Hòa Bình"


@pytest.mark.parametrize(
    "text, folded",
    [("Sở Tư pháp", "so tu phap"), ("đồng", "dong"), ("Hoà", "hoa"), ("Hòa", "hoa"),
     ("  Ủy   ban ", "uy ban")],
)
def test_fold_strips_marks_and_d_stroke(text, folded):
    assert fold(text) == folded


def test_eth_lookalike_becomes_d_stroke():
    assert normalize_text("Ðộc lập") == "Độc lập"
