"""Legacy TCVN3 / VNI font encodings read as Unicode (extract.legacy).

The sample lines are transcribed from the real files (corpus 09: TCVN3 text layer of a
PDF; 25: TCVN3 .doc; 26: VNI .doc) and their Unicode readings were checked by hand.
"""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from extract.legacy import (
    LegacyDecoder,
    convert_runs,
    convert_text,
    font_encoding,
    tables,
    to_unicode,
)
from extract.normalize import normalize_text


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("extract.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


# ----------------------------------------------------------------------------- tables


_TCVN3_TABLE = [r for r in _rows("tcvn3.csv") if r["kind"] == "table"]
# Every lower-case letter of Vietnamese that is not plain ASCII (67 of them).
_LETTERS = (
    "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵ"
)


@pytest.mark.parametrize("row", _rows("tcvn3.csv"), ids=lambda r: f"{r['byte']}-{r['kind']}")
def test_tcvn3_table_entry_reads_as_its_letter(row: dict[str, str]) -> None:
    assert to_unicode(row["legacy"], "TCVN3") == row["unicode"]


@pytest.mark.parametrize("row", _TCVN3_TABLE, ids=lambda r: r["byte"])
def test_tcvn3_table_entry_round_trips_through_its_byte(row: dict[str, str]) -> None:
    reverse = {r["unicode"]: r["byte"] for r in _TCVN3_TABLE}
    assert bytes.fromhex(row["byte"]).decode("cp1252") == row["legacy"]
    assert reverse[row["unicode"]] == row["byte"]


@pytest.mark.parametrize("row", _rows("vni.csv"), ids=lambda r: r["unicode"])
def test_vni_table_entry_round_trips(row: dict[str, str]) -> None:
    assert bytes.fromhex(row["bytes"].replace(" ", "")).decode("cp1252") == row["legacy"]
    assert to_unicode(row["legacy"], "VNI") == row["unicode"]
    reverse = {v: k for k, v in tables().vni.items()}
    assert reverse[row["unicode"]] == row["legacy"]


def test_tables_cover_every_vietnamese_letter() -> None:
    assert len(_LETTERS) == 67
    assert set(_LETTERS) <= {r["unicode"] for r in _TCVN3_TABLE}
    assert set(_LETTERS) | set(_LETTERS.upper()) == {r["unicode"] for r in _rows("vni.csv")}


# ----------------------------------------------------------------------------- fonts


@pytest.mark.parametrize(
    ("font", "expected"),
    [
        (".VnTime", ("TCVN3", False)),
        (".VnTimeH", ("TCVN3", True)),
        ("CCBOCO+.VnTimeH", ("TCVN3", True)),  # PDF subset name (corpus 09)
        ("CCBOFB+.VnTime,Bold", ("TCVN3", False)),
        (".VnArialH", ("TCVN3", True)),
        (".VnTime;Times New Roman", ("TCVN3", False)),  # LibreOffice alternatives (23)
        ("VNI-Times", ("VNI", False)),
        ("VNI-Helve-Condense", ("VNI", False)),
        ("Times New Roman", None),
        ("VNtimes New Roman;Courier New", None),
        ("TimesNewRomanPSMT", None),
        (None, None),
    ],
)
def test_font_names_imply_an_encoding(font: str | None, expected: tuple | None) -> None:
    assert font_encoding(font) == expected


# ----------------------------------------------------------------------------- samples


@pytest.mark.parametrize(
    ("legacy", "font", "expected"),
    [
        # corpus 09, PDF text layer: U+2212 stands for "ư" there
        ("B¸o c¸o vÒ t×nh h×nh s¶n xuÊt kinh doanh ngµnh c«ng", "CCBOCO+.VnTimeH",
         "BÁO CÁO VỀ TÌNH HÌNH SẢN XUẤT KINH DOANH NGÀNH CÔNG"),
        ("Th¸ng 02 n¨m 2007 gi¸ trÞ s¶n xuÊt c«ng nghiÖp (GTSXCN) −íc ®¹t", "CCBODP+.VnTime",
         "Tháng 02 năm 2007 giá trị sản xuất công nghiệp (GTSXCN) ước đạt"),
        ("t¨ng 15%, khu vùc cã vèn ®Çu t− n−íc ngoµi t¨ng 11,7% so víi cïng kú (trong",
         "CCBODP+.VnTime",
         "tăng 15%, khu vực có vốn đầu tư nước ngoài tăng 11,7% so với cùng kỳ (trong"),
        ("chuyÓn ®æi sang m« h×nh cæ phÇn vµ t− nh©n ho¸.", "CCBODP+.VnTime",
         "chuyển đổi sang mô hình cổ phần và tư nhân hóa."),
        ("mËt t¨ng 17,5%, quÇn ¸o may s½n t¨ng 53,2%, giÊy b×a c¸c lo¹i t¨ng 26,3%,",
         "CCBODP+.VnTime",
         "mật tăng 17,5%, quần áo may sẵn tăng 53,2%, giấy bìa các loại tăng 26,3%,"),
        # corpus 25, .doc in .VnTime / .VnTimeH (U+00AD, the soft hyphen, is "ư")
        ("ñy ban nh©n d©n", ".VnTimeH", "ỦY BAN NHÂN DÂN"),
        ("Céng hßa x· héi chñ nghÜa viÖt nam", ".VnTimeH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("TØnh an giang", ".VnTimeH", "TỈNH AN GIANG"),
        ("§éc lËp - Tù do - H¹nh phóc", ".VnTime", "Độc lập - Tự do - Hạnh phúc"),
        ("Long Xuyªn, ngµy  07 th¸ng 3 n¨m  2002", ".VnTime",
         "Long Xuyên, ngày  07 tháng 3 năm  2002"),
        ("ChÝnh s¸ch khuyÕn khÝch vµ \xadu ®·i ®Çu t\xad ®èi víi mét sè", ".VnTime",
         "Chính sách khuyến khích và ưu đãi đầu tư đối với một số"),
        ("(Ban hµnh kÌm theo QuyÕt ®Þnh sè: 522/2002/Q§.UB", ".VnTime",
         "(Ban hành kèm theo Quyết định số: 522/2002/QĐ.UB"),
        # corpus 26, .doc in VNI-Times
        ("UYÛ BAN NHAÂN DAÂN", "VNI-Times", "ỦY BAN NHÂN DÂN"),
        ("COÄNG HOAØ XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "VNI-Times",
         "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("TÆNH CAØ MAU", "VNI-Times", "TỈNH CÀ MAU"),
        ("Ñoäc laäp – Töï do – Haïnh phuùc", "VNI-Times", "Độc lập – Tự do – Hạnh phúc"),
        ("( Ban haønh keøm theo Quyeát ñònh soá …05…./2006/ QÑ-UBND,", "VNI-Times",
         "( Ban hành kèm theo Quyết định số …05…./2006/ QĐ-UBND,"),
        ("Quy cheá naøy ñöôïc aùp duïng ñoái vôùi:", "VNI-Times",
         "Quy chế này được áp dụng đối với:"),
        ("Ñieàu 2. Ñoái töôïng aùp duïng.", "VNI-Times", "Điều 2. Đối tượng áp dụng."),
        # same lines without a font name: character statistics decide (lower case)
        ("Céng hßa x· héi chñ nghÜa viÖt nam", None, "Cộng hòa xã hội chủ nghĩa việt nam"),
        ("Quy cheá naøy ñöôïc aùp duïng ñoái vôùi:", None, "Quy chế này được áp dụng đối với:"),
    ],
)
def test_legacy_line_reads_as_vietnamese(legacy: str, font: str | None, expected: str) -> None:
    assert convert_text(legacy, font) == expected


@pytest.mark.parametrize(
    ("text", "font"),
    [
        ("Kế hoạch các xã, phường", ".VnTime;Times New Roman"),  # corpus 23: Unicode text
        ("Tăng cường công tác đấu tranh phòng, chống ma túy", ".VnTime"),
        ("Bản quyền © 2025, trích dẫn «Luật Đất đai»", None),
        ("Hà Nội, ngày 20 tháng 11 năm 2025", "Times New Roman"),
    ],
)
def test_unicode_text_is_left_alone(text: str, font: str | None) -> None:
    assert convert_text(text, font) == normalize_text(text)


def test_style_naming_vntime_over_unicode_text_is_not_converted() -> None:
    # corpus 23: the Normal style names .VnTime, the text is Unicode. Runs without any
    # Unicode-only letter ("các", "2026") follow the font's verdict for the document.
    runs = [("Tăng cường công tác đấu tranh phòng, chống ma túy", ".VnTime"),
            ("các", ".VnTime"), ("năm 2026", ".VnTime")]
    assert convert_runs(runs) == ["Tăng cường công tác đấu tranh phòng, chống ma túy",
                                  "các", "năm 2026"]


def test_one_document_mixes_fonts_per_run() -> None:
    # corpus 25: TCVN3 text with a few VNI-Times runs ("Óc Eo") and a Unicode run
    runs = [("5. Khu di chØ ", ".VnTime"), ("OÙc", "VNI-Times"), (" - Eo", ".VnTime"),
            (" Văn bản", "Times New Roman")]
    assert "".join(convert_runs(runs)) == "5. Khu di chỉ Óc - Eo Văn bản"


def test_vni_mark_in_the_next_run_joins_its_letter() -> None:
    out = convert_runs([("Co", "VNI-Times"), ("Äng", "VNI-Times")])
    assert out == ["Cộ", "ng"]


def test_decoder_reports_encodings_only_with_evidence() -> None:
    decoder = LegacyDecoder([("2002", "VNI-Times"), ("B¸o c¸o", ".VnTime")])
    assert decoder.encodings == {"TCVN3"}
