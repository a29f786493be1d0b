"""Plain-text / markdown reader: lines, blanks, emphasis stripping, tables, portal files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.errors import LegacyEncodingError
from extract.readers.text import read_text, strip_markdown

CORPUS = Path("/work/shared/corpus")


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_plain_text_gives_one_line_block_per_line_and_blank_blocks(tmp_path: Path) -> None:
    raw = read_text(_write(tmp_path, "a.txt", "Kính gửi: Sở Nội vụ\r\n\r\n1. Báo cáo\r\n"))
    assert raw.format == "txt"
    assert [(b.kind, b.text) for b in raw.blocks] == [
        ("line", "Kính gửi: Sở Nội vụ"), ("blank", ""), ("line", "1. Báo cáo"), ("blank", ""),
    ]
    assert {b.column for b in raw.blocks} == {"full"}


def test_text_is_normalized_to_nfc_and_new_tone_placement(tmp_path: Path) -> None:
    decomposed = "Ho\u0300a Bi\u0300nh, thuê\u0301 khoá"
    raw = read_text(_write(tmp_path, "a.txt", decomposed))
    assert raw.blocks[0].text == "Hòa Bình, thuế khóa"


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    raw = read_text(_write(tmp_path, "a.txt", "Độc lập - Tự do - Hạnh phúc", "utf-16"))
    assert raw.blocks[0].text == "Độc lập - Tự do - Hạnh phúc"
    assert raw.warnings == ()


def test_cp1258_text_is_decoded_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("S\u01a1\u0309 N\u00f4\u0323i vu\u0323".encode("cp1258"))
    raw = read_text(path)
    assert raw.blocks[0].text == "Sở Nội vụ"
    assert raw.warnings == ("decoded as cp1258: not UTF-8",)


def test_tcvn3_text_raises_legacy_encoding_error(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("B¸o c¸o vÒ t×nh h×nh s¶n xuÊt c«ng nghiÖp".encode("cp1252"))
    with pytest.raises(LegacyEncodingError, match="TCVN3"):
        read_text(path)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("**I. MỤC ĐÍCH, YÊU CẦU**", "I. MỤC ĐÍCH, YÊU CẦU"),
        ("*1.1. *Quán triệt và triển khai", "1.1. Quán triệt và triển khai"),
        ("## Hỗ trợ Nhân dân", "Hỗ trợ Nhân dân"),
        ("__Nơi nhận:__", "Nơi nhận:"),
        ("- Như trên;", "- Như trên;"),
        ("* Bullet giữ nguyên", "* Bullet giữ nguyên"),
        ("Xem [Nghị định 30/2020/NĐ-CP](https://x.vn/a) nhé", "Xem Nghị định 30/2020/NĐ-CP nhé"),
        ("![logo](logo.png)", ""),
        (r"Số 10\*", "Số 10*"),
    ],
)
def test_strip_markdown(line: str, expected: str) -> None:
    assert strip_markdown(line) == expected


def test_markdown_line_of_only_markers_is_dropped_not_blank(tmp_path: Path) -> None:
    raw = read_text(_write(tmp_path, "a.md", "**ỦY BAN NHÂN DÂN\n**\nTỈNH A\n"))
    assert [b.text for b in raw.blocks if b.kind == "line"] == ["ỦY BAN NHÂN DÂN", "TỈNH A"]


def test_gfm_pipe_table_becomes_a_table_block(tmp_path: Path) -> None:
    text = "Phụ lục\n\n| STT | Nhiệm vụ | Chủ trì |\n|---|---|---|\n| 1 | **Rà soát** | Sở Tư pháp |\n"
    raw = read_text(_write(tmp_path, "a.md", text))
    (table,) = [b for b in raw.blocks if b.kind == "table"]
    assert table.rows == (("STT", "Nhiệm vụ", "Chủ trì"), ("1", "Rà soát", "Sở Tư pháp"))


def test_lone_pipe_table_rows_and_cells(tmp_path: Path) -> None:
    text = "Phụ lục\n\n|\nSTT\n|\nNhiệm vụ\n|\nChủ trì\n|\n|\n1\n|\nRà soát\nvăn bản\n|\nSở Tư pháp\n|\n\nHết."
    raw = read_text(_write(tmp_path, "a.md", text))
    (table,) = [b for b in raw.blocks if b.kind == "table"]
    assert table.rows == (("STT", "Nhiệm vụ", "Chủ trì"), ("1", "Rà soát\nvăn bản", "Sở Tư pháp"))
    assert raw.blocks[-1].text == "Hết."


def test_portal_header_table_becomes_left_and_right_lines() -> None:
    raw = read_text(next(CORPUS.glob("27_*.md")))
    left = [b.text for b in raw.blocks if b.column == "left"]
    right = [b.text for b in raw.blocks if b.column == "right"]
    assert left[:3] == ["ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG NAI", "Số: 182/KH-UBND"]
    assert right[:3] == ["CỘNG HÒA XÃ HỘI", "CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert "1.1. Quán triệt" in [b.text for b in raw.blocks]


def test_portal_appendix_table_has_five_columns() -> None:
    raw = read_text(next(CORPUS.glob("28_*.md")))
    (table,) = [b for b in raw.blocks if b.kind == "table"]
    assert table.rows[0] == ("STT", "NHIỆM VỤ VÀ GIẢI PHÁP", "CHỦ TRÌ", "PHỐI HỢP", "THỜI GIAN")
    assert table.rows[2][0] == "1" and table.rows[2][2] == "Sở Tài chính"


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.md")), ids=lambda p: p.name[:2])
def test_every_corpus_markdown_keeps_its_body_text(path: Path) -> None:
    raw = read_text(path)
    text = "\n".join(b.text for b in raw.blocks) + "\n".join(
        c for b in raw.blocks for r in b.rows for c in r
    )
    assert raw.format == "md"
    assert "Nơi nhận" in text and "**" not in text


@given(st.text(alphabet=st.sampled_from("|*_#-\n ab1.Đệ\\[]()!"), max_size=200))
@settings(max_examples=200, deadline=None)
def test_markdown_reader_never_crashes_and_keeps_columns_valid(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.md"
        path.write_text("x\n" + text, encoding="utf-8")
        raw = read_text(path)
    assert {b.column for b in raw.blocks} <= {"full", "left", "right"}
    assert all(len({len(r) for r in b.rows}) <= 1 for b in raw.blocks if b.kind == "table")
