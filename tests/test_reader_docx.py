"""DOCX reader: Word numbering, layout tables, merged cells, footnotes, real corpus files."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from extract.readers.docx import read_docx

CORPUS = Path("/work/shared/corpus")
CORPUS_DOCX = sorted(CORPUS.glob("*.docx"))

_W = nsdecls("w")

# One abstract list: level 0 "1.", level 1 "a)"; one bullet list "-" / Wingdings glyph.
_NUMBERING = f"""
<w:abstractNum {_W} w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%3."/></w:lvl>
</w:abstractNum>
<w:abstractNum {_W} w:abstractNumId="91">
  <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/></w:lvl>
  <w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0a7"/></w:lvl>
</w:abstractNum>
<w:num {_W} w:numId="90"><w:abstractNumId w:val="90"/></w:num>
<w:num {_W} w:numId="91"><w:abstractNumId w:val="91"/></w:num>
<w:num {_W} w:numId="92"><w:abstractNumId w:val="90"/>
  <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
"""


def _add_numbering(doc: Document) -> None:
    root = doc.part.numbering_part.element
    wrapper = parse_xml(f"<w:x {_W}>{_NUMBERING}</w:x>")
    abstracts = [e for e in wrapper if e.tag == qn("w:abstractNum")]
    nums = [e for e in wrapper if e.tag == qn("w:num")]
    first_num = root.find(qn("w:num"))
    for a in abstracts:  # abstractNum elements must come before num elements
        if first_num is not None:
            first_num.addprevious(a)
        else:
            root.append(a)
    for n in nums:
        root.append(n)


def _numbered(doc: Document, text: str, num_id: int, ilvl: int = 0) -> None:
    p = doc.add_paragraph(text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {_W}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
    ))


def _build(tmp_path: Path, fill) -> Path:
    doc = Document()
    fill(doc)
    path = tmp_path / "doc.docx"
    doc.save(str(path))
    return path


def _texts(raw, column: str | None = None) -> list[str]:
    return [b.text for b in raw.blocks if b.kind == "para" and column in (None, b.column)]


def test_numbering_renders_decimal_and_letter_levels_with_restart(tmp_path: Path) -> None:
    def fill(doc: Document) -> None:
        _add_numbering(doc)
        doc.add_paragraph("Mở đầu")
        _numbered(doc, "Sở Nội vụ:", 90, 0)
        _numbered(doc, "Chủ trì", 90, 1)
        _numbered(doc, "Phối hợp", 90, 1)
        _numbered(doc, "Sở Tài chính:", 90, 0)
        _numbered(doc, "Bố trí kinh phí", 90, 1)
        _numbered(doc, "Chi tiết", 90, 2)
        _numbered(doc, "Khởi đầu lại", 92, 0)

    raw = read_docx(_build(tmp_path, fill))
    assert _texts(raw) == [
        "Mở đầu", "1. Sở Nội vụ:", "a) Chủ trì", "b) Phối hợp", "2. Sở Tài chính:",
        "a) Bố trí kinh phí", "2.1. Chi tiết", "1. Khởi đầu lại",
    ]
    labels = [b.list_label for b in raw.blocks]
    assert labels == [None, "1.", "a)", "b)", "2.", "a)", "2.1.", "1."]


def test_bullets_render_as_dash_including_symbol_font_glyphs(tmp_path: Path) -> None:
    def fill(doc: Document) -> None:
        _add_numbering(doc)
        _numbered(doc, "Rà soát thủ tục", 91, 0)
        _numbered(doc, "Báo cáo kết quả", 91, 1)

    raw = read_docx(_build(tmp_path, fill))
    assert _texts(raw) == ["- Rà soát thủ tục", "- Báo cáo kết quả"]


def _header_table(doc: Document) -> None:
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "ỦY BAN NHÂN DÂN"
    table.cell(0, 0).add_paragraph("TỈNH LÂM ĐỒNG")
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    table.cell(0, 1).add_paragraph("Độc lập - Tự do - Hạnh phúc")
    table.cell(1, 0).text = "Số: /KH-UBND"
    table.cell(1, 1).text = "Lâm Đồng, ngày tháng 3 năm 2026"


def test_header_table_is_emitted_as_left_then_right_paragraphs(tmp_path: Path) -> None:
    def fill(doc: Document) -> None:
        _header_table(doc)
        heading = doc.add_paragraph()
        heading.add_run("KẾ HOẠCH").bold = True
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        doc.add_paragraph("Nội dung kế hoạch.")

    raw = read_docx(_build(tmp_path, fill))
    assert not [b for b in raw.blocks if b.kind == "table"]
    assert _texts(raw, "left") == ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "Số: /KH-UBND"]
    assert _texts(raw, "right") == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Lâm Đồng, ngày tháng 3 năm 2026",
    ]
    title = next(b for b in raw.blocks if b.text == "KẾ HOẠCH")
    assert title.bold and title.centered and title.column == "full"


def test_appendix_table_repeats_vertically_merged_cells_and_blanks_spanned_columns(
    tmp_path: Path,
) -> None:
    def fill(doc: Document) -> None:
        doc.add_paragraph("Phụ lục")
        table = doc.add_table(rows=3, cols=3)
        for c, text in enumerate(["STT", "Nhiệm vụ", "Chủ trì"]):
            table.cell(0, c).text = text
        table.cell(1, 0).text = "1"
        table.cell(1, 1).text = "Rà soát"
        table.cell(1, 2).merge(table.cell(2, 2)).text = "Sở Nội vụ"
        table.cell(2, 0).merge(table.cell(2, 1)).text = "Cải cách thể chế"
        doc.add_paragraph("Hết phụ lục.")

    raw = read_docx(_build(tmp_path, fill))
    tables = [b for b in raw.blocks if b.kind == "table"]
    assert len(tables) == 1
    assert tables[0].rows == (
        ("STT", "Nhiệm vụ", "Chủ trì"),
        ("1", "Rà soát", "Sở Nội vụ"),
        ("Cải cách thể chế", "", "Sở Nội vụ"),
    )


_FOOTNOTES = f"""<w:footnotes {_W}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Quyết định số 282/QĐ-TTg ngày 12/02/2026.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""


def test_footnote_is_read_and_its_reference_is_not_in_the_text(tmp_path: Path) -> None:
    def fill(doc: Document) -> None:
        part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES,
                    _FOOTNOTES.encode("utf-8"), doc.part.package)
        doc.part.relate_to(part, RT.FOOTNOTES)
        p = doc.add_paragraph("Thực hiện Quyết định số 282/QĐ-TTg")
        p._p.append(parse_xml(f'<w:r {_W}><w:footnoteReference w:id="1"/></w:r>'))
        p.add_run(" của Thủ tướng.")

    raw = read_docx(_build(tmp_path, fill))
    assert _texts(raw) == ["Thực hiện Quyết định số 282/QĐ-TTg của Thủ tướng."]
    assert [(f.marker, f.text) for f in raw.footnotes] == [
        ("1", "Quyết định số 282/QĐ-TTg ngày 12/02/2026.")
    ]


def test_line_break_splits_a_paragraph_and_deleted_text_is_dropped(tmp_path: Path) -> None:
    def fill(doc: Document) -> None:
        p = doc.add_paragraph("Nơi nhận:")
        p.add_run().add_break()
        p.add_run("- Như trên;")
        p._p.append(parse_xml(
            f'<w:del {_W} w:id="1" w:author="a"><w:r><w:delText>- Bỏ;</w:delText></w:r></w:del>'
        ))
        p._p.append(parse_xml(
            f'<w:ins {_W} w:id="2" w:author="a"><w:r><w:t xml:space="preserve"> thêm</w:t></w:r></w:ins>'
        ))

    raw = read_docx(_build(tmp_path, fill))
    assert _texts(raw) == ["Nơi nhận:", "- Như trên; thêm"]


def test_text_box_paragraphs_are_read_once(tmp_path: Path) -> None:
    box = (
        f'<w:r {_W} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent>"
        "<w:p><w:r><w:t>BỘ NỘI VỤ</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>BỘ NỘI VỤ</w:t></w:r></w:p>"
        "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )

    def fill(doc: Document) -> None:
        p = doc.add_paragraph()
        p._p.append(parse_xml(box))
        doc.add_paragraph("Nội dung.")

    raw = read_docx(_build(tmp_path, fill))
    assert _texts(raw) == ["BỘ NỘI VỤ", "Nội dung."]


@pytest.mark.parametrize("path", CORPUS_DOCX, ids=lambda p: p.name[:2])
def test_every_corpus_docx_reads_with_header_columns(path: Path) -> None:
    raw = read_docx(path)
    assert raw.format == "docx" and raw.pages[0].method == "docx"
    left, right = _texts(raw, "left"), _texts(raw, "right")
    assert left[0].strip().startswith("ỦY BAN NHÂN DÂN")
    assert right[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert any(t.startswith("Nơi nhận") for t in left)


def test_corpus_20_word_numbered_paragraph_gets_its_label() -> None:
    # document.xml: the only w:numPr paragraph (numId 7 → abstractNum 5, "%1." decimal)
    # is the first conclusion item; the next item is typed by hand as "2. Đối với …".
    raw = read_docx(next(CORPUS.glob("20_*.docx")))
    texts = _texts(raw, "full")
    i = next(k for k, t in enumerate(texts) if t.startswith("1. Thống nhất tổ chức Hội nghị"))
    assert raw.blocks[[b.text for b in raw.blocks].index(texts[i])].list_label == "1."
    assert any(t.startswith("2. Đối với tiến độ thu hút") for t in texts[i + 1:])


def test_corpus_16_appendix_task_table_keeps_seven_columns() -> None:
    raw = read_docx(next(CORPUS.glob("16_*.docx")))
    (table,) = [b for b in raw.blocks if b.kind == "table"]
    assert len(table.rows) == 67 and {len(r) for r in table.rows} == {7}
    assert table.rows[0][:4] == ("STT", "Nhiệm vụ", "Sản phẩm", "Thời gian hoàn thành")


def test_corpus_22_signature_cell_lines_are_split_at_breaks() -> None:
    raw = read_docx(next(CORPUS.glob("22_*.docx")))
    left = _texts(raw, "left")
    assert left[left.index("Nơi nhận:") + 1] == "- Như trên;"
    assert "V/v triển khai thực hiện Công văn" in left
