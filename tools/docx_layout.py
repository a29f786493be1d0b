"""python-docx helpers for documents in the official layout (Times New Roman, centred
header cells, justified body with a first-line indent). Shared by the test renderings
(tools/make_renderings.py) and the benchmark corpus (benchmarks/corpus.py)."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "Times New Roman"


def a4_document():
    """A new python-docx Document with the official page (A4, margins 2/2/3/2 cm) and
    Times New Roman 14 as the body font (Nghị định 30/2020/NĐ-CP, Phụ lục I)."""
    from docx import Document

    doc = Document()
    sec = doc.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
    sec.top_margin = sec.bottom_margin = Cm(2.0)
    sec.left_margin, sec.right_margin = Cm(3.0), Cm(2.0)
    doc.styles["Normal"].font.name, doc.styles["Normal"].font.size = FONT, Pt(14)
    return doc


def run(par, text: str, size: float = 14, bold: bool = False, italic: bool = False):
    r = par.add_run(text)
    r.font.name, r.font.size, r.bold, r.italic = FONT, Pt(size), bold, italic
    r._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return r


def para(where, text: str = "", size: float = 14, bold: bool = False, italic: bool = False,
         center: bool = False, indent: bool = False, after: float = 0):
    par = where.add_paragraph()
    par.paragraph_format.space_after = Pt(after)
    par.paragraph_format.space_before = Pt(0)
    if center:
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        par.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        par.paragraph_format.first_line_indent = Cm(1.27)
    if text:
        run(par, text, size, bold, italic)
    return par


def widths(table, values, *, columns: bool = True) -> None:
    """Fix the column widths (Word reads the cells' widths, LibreOffice the columns')."""
    table.autofit = False
    for column, width in zip(table.columns, values, strict=True):
        if columns:
            column.width = width
        for cell in column.cells:
            cell.width = width


def cell(table, row: int, col: int):
    """The cell, emptied of the paragraph python-docx puts in every new cell."""
    c = table.cell(row, col)
    c.paragraphs[0]._element.getparent().remove(c.paragraphs[0]._element)
    return c
