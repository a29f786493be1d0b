"""The text-layer quality scorer that decides when a PDF's OCR layer is read again."""

import pytest

from extract.textquality import assess, has_odd_chars, is_syllable, text_score


@pytest.mark.parametrize(
    "word",
    [
        "Cộng",
        "HÒA",
        "xã",
        "nghĩa",
        "Việt",
        "khuyến",
        "nghiêng",
        "quốc",
        "giữa",
        "trường",
        "uỷ",
        "ủy",
        "hoạch",
        "tuyến",
        "thuở",
        "gì",
        "oai",
        "ương",
    ],
)
def test_vietnamese_syllables_are_well_formed(word):
    assert is_syllable(word)


@pytest.mark.parametrize(
    "word",
    [
        "CØNG",
        "HOÀXÃ",
        "Hqnh",
        "phfc",
        "quick",
        "brown",
        "strength",
        "cgxc",
        "nghìà",
        "xyz",
    ],
)
def test_non_syllables_are_rejected(word):
    assert not is_syllable(word)


def test_clean_vietnamese_line_scores_high():
    line = (
        "Ủy ban nhân dân tỉnh giao Sở Nội vụ nghiên cứu thực hiện đề nghị trên theo "
        "thẩm quyền, báo cáo UBND tỉnh trước ngày 30/9/2025."
    )
    assert text_score(line) > 0.9


def test_motto_in_capitals_scores_high():
    assert text_score("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc") > 0.9


def test_mojibake_ocr_layer_scores_low():
    assert text_score("CØNG HOÀXÃ HØI CHÑ NGHÌA VIÆT NAM") < 0.2


def test_english_model_ocr_of_vietnamese_scores_low():
    # the text layer of corpus document 15 (an English OCR of a Vietnamese scan)
    layer = (
        "cgxc uolxAnorcHO Ncnia vrpr Nalr DQc llp - Trg do - Hqnh phfc "
        "Uy ban nh6n ddn tinh nh4n duoc C6ng vin s6 }27IMTTQ-BTT ngdy"
    )
    assert text_score(layer) < 0.2


def test_english_scores_low():
    assert text_score("The committee will review the annual budget before the deadline.") < 0.1


def test_numbers_codes_and_acronyms_are_not_counted():
    q = assess("Số: 3980/C04-P6 UBND HĐND MTQG ngày 27/11/2024")
    assert q.words == 2 and q.syllables == 1.0


def test_empty_text_scores_zero():
    assert text_score("") == 0.0 and text_score("12/2025 - 3.4") == 0.0


def test_odd_characters_are_found():
    assert has_odd_chars("tháng Ÿ năm") and has_odd_chars("3Ø⁄C04")
    assert not has_odd_chars("Số: 227/MTTQ-BTT (đính kèm).")
