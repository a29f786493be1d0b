"""Build test renderings: DOCX in the official layout (NĐ 30/2020) → PDF via LibreOffice.

From each seed text in /work/shared/seeds/ this writes ``<name>.docx`` and ``<name>.pdf``
into tests/fixtures/renderings/: a borderless two-column header table, body paragraphs with
the seed's wrapped lines joined back, page numbers in the header (not on page 1), one real
Word footnote, a signature table (Nơi nhận left, authority and signer right) and an
appendix task table with a merged cell that runs over a page break.

Usage: .venv/bin/python tools/make_renderings.py [--seeds DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm
from docx_layout import FONT, a4_document
from docx_layout import cell as _cell
from docx_layout import para as _para
from docx_layout import run as _run
from docx_layout import widths as _widths

ROOT = Path(__file__).resolve().parents[1]
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass
class Spec:
    name: str
    seed: str
    parent: str
    issuer: str
    number: str
    place_date: str
    title: tuple[str, ...]  # type name + subject (plan) or () for a công văn
    vv: tuple[str, ...]  # V/v lines (công văn)
    recipients: tuple[str, ...]
    body_start: str
    body_end: str
    cc_start: str
    authority: tuple[str, ...]
    signer: str
    footnote_after: str
    footnote: str


SPECS = (
    Spec(
        "cv_tuyenquang_2025", "000_84caea610c60ea8e.txt", "ỦY BAN NHÂN DÂN", "TỈNH TUYÊN QUANG",
        "Số:          /UBND-THCBKS", "Tuyên Quang, ngày      tháng 3 năm 2025", (),
        ("V/v tổ chức thực hiện Thông báo kết luận", "Phiên họp tổng kết hoạt động Ủy ban",
         "Quốc gia về chuyển đổi số và Đề án 06", "năm 2024"),
        ("Kính gửi:", "- Các sở, ban, ngành thuộc tỉnh;", "- Công an tỉnh;",
         "- Ủy ban nhân dân huyện, thành phố."),
        "Thực hiện Văn bản số 56/TB-VPCP", "nghiêm túc thực hiện./.", "- Thường trực Tỉnh ủy;",
        ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), "Hoàng Việt Phương",
        "năm 2024, phương hướng, nhiệm vụ trọng tâm",
        "Thông báo số 56/TB-VPCP ngày 23/02/2025 của Văn phòng Chính phủ.",
    ),
    Spec(
        "kh_tuyenquang_cds_2024", "004_c3f27cbd2c96d7bd.txt", "", "ỦY BAN NHÂN DÂN\nTỈNH TUYÊN QUANG",
        "Số:       /KH-UBND", "Tuyên Quang, ngày      tháng 02 năm 2024",
        ("KẾ HOẠCH", "Chuyển đổi số tỉnh Tuyên Quang năm 2024"), (), (),
        "Phần I", "để xem xét, chỉ đạo./.", "- Bộ Thông tin và Truyền thông (báo cáo);",
        ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), "Hoàng Việt Phương",
        "xã hội số.", "Theo Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ.",
    ),
)

AGENCIES = ("Sở Thông tin và Truyền thông", "Công an tỉnh", "Sở Nội vụ", "Sở Tài chính",
            "Văn phòng UBND tỉnh", "Sở Kế hoạch và Đầu tư")
WHEN = ("Thường xuyên", "Quý II/2025", "Trước ngày 30/6/2025", "Năm 2025", "Quý IV/2025")


# ----------------------------------------------------------------------------- seed text


def seed_lines(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def _between(lines: list[str], start: str, end: str) -> list[str]:
    i = next(k for k, ln in enumerate(lines) if ln.startswith(start))
    j = next(k for k, ln in enumerate(lines) if k >= i and ln.endswith(end))
    return lines[i : j + 1]


_ITEM = re.compile(r"^(?:[-+•]|\d+(?:\.\d+)*\.|[IVX]+\.|[a-zđ]\)|Phần [IVX]+)\s*")


def paragraphs(lines: list[str]) -> list[str]:
    """Join wrapped lines: a new paragraph after . ; : or at a list/heading marker."""
    out: list[str] = []
    for ln in lines:
        if not out or _ITEM.match(ln) or out[-1].endswith((".", ";", ":", "./.")) or ln.isupper():
            out.append(ln)
        elif out[-1].isupper() and not ln.isupper():
            out.append(ln)
        else:
            out[-1] += " " + ln
    return out


def _cc(lines: list[str], start: str) -> list[str]:
    i = next(k for k, ln in enumerate(lines) if ln.startswith(start))
    items = []
    for ln in lines[i:]:
        if ln.startswith("- "):
            items.append(ln)
        elif items and not items[-1].endswith((";", ".")) and not ln.isupper():
            items[-1] += " " + ln
        if ln.startswith("- Lưu"):
            break
    return items


# ----------------------------------------------------------------------------- docx


def header_table(doc, spec: Spec) -> None:
    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, (Cm(6.8), Cm(10.2)))
    left = _cell(table, 0, 0)
    issuer_lines = spec.issuer.split("\n")
    if spec.parent:
        _para(left, spec.parent, 13, center=True)
        issuer_lines = [spec.issuer]
    for k, line in enumerate(issuer_lines):
        _para(left, line, 13, bold=bool(spec.parent) or k > 0 or len(issuer_lines) == 1,
              center=True)
    _para(left, "_______", 13, center=True)
    right = _cell(table, 0, 1)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True, center=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", 14, bold=True, center=True)
    _para(right, "_______________________", 13, center=True)
    left2 = _cell(table, 1, 0)
    _para(left2, spec.number, 13, center=True, after=3)
    for line in textwrap.wrap(" ".join(spec.vv), 30):
        _para(left2, line, 12, center=True)
    right2 = _cell(table, 1, 1)
    _para(right2, spec.place_date, 14, italic=True, center=True)


def signature_table(doc, spec: Spec, cc: list[str]) -> None:
    table = doc.add_table(rows=1, cols=2)
    _widths(table, (Cm(8.0), Cm(8.0)))
    left = _cell(table, 0, 0)
    _para(left, "Nơi nhận:", 12, bold=True, italic=True)
    for item in cc:
        _para(left, item, 11)
    right = _cell(table, 0, 1)
    for line in spec.authority:
        _para(right, line, 14, bold=True, center=True)
    for _ in range(4):
        _para(right, "", 14)
    _para(right, spec.signer, 14, bold=True, center=True)


def task_table(doc, items: list[str]) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _para(doc, "PHỤ LỤC", 14, bold=True, center=True)
    _para(doc, "DANH MỤC NHIỆM VỤ TRIỂN KHAI", 14, bold=True, center=True, after=6)
    head = ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành")
    table = doc.add_table(rows=1 + len(items), cols=5)
    table.style = "Table Grid"
    widths = (Cm(1.2), Cm(6.5), Cm(3.2), Cm(3.2), Cm(2.6))
    _widths(table, widths)
    for r, row in enumerate(table.rows):
        values = head if r == 0 else (
            str(r), items[r - 1], AGENCIES[r % len(AGENCIES)],
            "Các sở, ban, ngành; UBND huyện, thành phố", WHEN[r % len(WHEN)],
        )
        for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            par = cell.paragraphs[0]
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER if c != 1 else WD_ALIGN_PARAGRAPH.LEFT
            _run(par, value, 12, bold=r == 0)
    merged = table.cell(2, 2).merge(table.cell(3, 2))
    for par in merged.paragraphs[1:]:
        par._element.getparent().remove(par._element)


def page_number_header(doc) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    par = section.header.paragraphs[0]
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = _run(par, "", 13)
    run._element.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'))
    instr = parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> PAGE </w:instrText>')
    run2 = _run(par, "", 13)
    run2._element.append(instr)
    run3 = _run(par, "", 13)
    run3._element.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))


# ----------------------------------------------------------------------------- footnote

_FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{W_NS}">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:pPr><w:jc w:val="both"/></w:pPr>
<w:r><w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}"/><w:vertAlign w:val="superscript"/><w:sz w:val="20"/></w:rPr><w:footnoteRef/></w:r>
<w:r><w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}"/><w:sz w:val="20"/></w:rPr><w:t xml:space="preserve"> TEXT</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""


def add_footnote(doc, par, text: str) -> None:
    """Attach footnote 1 at the end of ``par`` (python-docx has no footnote API)."""
    blob = _FOOTNOTES.replace("TEXT", text).encode("utf-8")
    ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    part = Part(PackURI("/word/footnotes.xml"), ctype, blob, doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)
    run = _run(par, "", 14)
    rpr = run._element.get_or_add_rPr()
    rpr.append(parse_xml(f'<w:vertAlign {nsdecls("w")} w:val="superscript"/>'))
    run._element.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="1"/>'))


# ----------------------------------------------------------------------------- build


def build_docx(spec: Spec, seeds: Path, out: Path) -> Path:
    lines = seed_lines(seeds / spec.seed)
    doc = a4_document()
    page_number_header(doc)
    header_table(doc, spec)
    for k, line in enumerate(spec.title):
        _para(doc, line, 14, bold=True, center=True, after=0 if k else 0)
    if spec.recipients:
        _para(doc, "")
    for k, line in enumerate(spec.recipients):
        _para(doc, ("\t" if k else "\t\t") + line, 14, after=0)
    _para(doc, "")
    body = paragraphs(_between(lines, spec.body_start, spec.body_end))
    noted = False
    for text in body:
        heading = text.isupper() or text.startswith("Phần ")
        par = _para(doc, text, 14, bold=heading, center=heading and not _ITEM.match(text),
                    indent=not heading, after=6)
        if not noted and spec.footnote_after in text:
            add_footnote(doc, par, spec.footnote)
            noted = True
    _para(doc, "")
    signature_table(doc, spec, _cc(lines, spec.cc_start))
    tasks = [t.lstrip("- ").rstrip(";.") for t in body if t.startswith("- ") and len(t) > 40]
    task_table(doc, (tasks * 3)[:24])
    path = out / f"{spec.name}.docx"
    doc.save(path)
    return path


def to_pdf(docx: Path, out: Path) -> Path:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("soffice not found: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "pdf", "--outdir", str(out), str(docx)],
            check=True, capture_output=True, timeout=180,
        )
    return out / (docx.stem + ".pdf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=Path("/work/shared/seeds"))
    parser.add_argument("--out", type=Path, default=ROOT / "tests/fixtures/renderings")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for spec in SPECS:
        pdf = to_pdf(build_docx(spec, args.seeds, args.out), args.out)
        print(f"{pdf} {pdf.stat().st_size // 1024} KB")  # noqa: T201 - CLI output


if __name__ == "__main__":
    main()
