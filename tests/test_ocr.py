"""OCR of scanned PDFs: image clean-up, words → lines, page routing, header fields and the
character error rate against hand transcriptions (tests/fixtures/ocr/*.transcript.txt)."""

import re
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFont
from rapidfuzz.distance import Levenshtein

from extract import extract_file
from extract.errors import ScannedDocumentError
from extract.normalize import fold
from extract.readers import _ocr_image, _ocr_lines, ocr
from extract.readers._pdf_layout import central_cut
from extract.readers.pdf import read_pdf

FIXTURES = Path(__file__).parent / "fixtures"
SCAN = FIXTURES / "ocr" / "10_bca-c04-cv3980-p1-scan.pdf"  # 200 dpi, red received-stamp
BADOCR = FIXTURES / "ocr" / "15_lamdong-cv4377-badocr.pdf"  # English OCR layer over a scan
DIGITAL = FIXTURES / "pdf" / "07_bnv-cv11902-bao-cao-quan-ly-hoi-2025.pdf"
CORPUS = Path("/work/shared/corpus")
# Measured 0.023 on 2026-12 (handwritten số and day are blanked on purpose: 6 characters).
CER_LIMIT = {BADOCR.name: 0.035}

needs_tesseract = pytest.mark.skipif(
    not ocr.ocr_available(), reason="Debian tesseract-ocr + tesseract-ocr-vie"
)


# ------------------------------------------------------------------------- images


def _text_image(angle: float = 0.0) -> Image.Image:
    image = Image.new("L", (1200, 900), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=28)
    for k in range(12):
        draw.text(
            (80, 80 + 60 * k),
            "Ủy ban nhân dân tỉnh giao Sở Nội vụ nghiên cứu " * 2,
            fill=0,
            font=font,
        )
    return image.rotate(angle, fillcolor=255) if angle else image


@pytest.mark.parametrize("angle", [0.0, 1.5, -3.0, 4.5])
def test_skew_angle_undoes_the_rotation(angle):
    assert _ocr_image.skew_angle(np.asarray(_text_image(angle))) == pytest.approx(-angle, abs=0.2)


def test_deskew_leaves_a_straight_page_alone():
    image, angle = _ocr_image.deskew(np.asarray(_text_image()))
    assert angle == 0.0 and image.size == (1200, 900)


def test_red_stamp_and_blue_pen_are_whitened_black_print_kept():
    rgb = np.full((4, 4, 3), 255, np.uint8)
    rgb[0, 0] = (200, 30, 40)  # stamp red
    rgb[3, 3] = (20, 40, 180)  # ballpoint blue
    rgb[2, 0] = (20, 20, 20)  # black print
    gray = _ocr_image.suppress_ink(Image.fromarray(rgb))
    assert gray[0, 0] == 255 and gray[3, 3] == 255 and gray[2, 0] < 50


# ------------------------------------------------------------------------- words → lines


def _tsv(rows):
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    body = [
        f"5\t1\t{b}\t1\t{ln}\t{i}\t{x}\t{y}\t{w}\t50\t{c}\t{t}"
        for i, (b, ln, x, y, w, c, t) in enumerate(rows)
    ]
    return "\n".join([head, *body])


HEADER_TSV = _tsv(
    [
        (1, 1, 600, 200, 70, 96, "BỘ"),
        (1, 1, 690, 200, 150, 93, "CÔNG"),
        (1, 1, 860, 210, 80, 91, "AN"),
        (2, 1, 1200, 205, 150, 95, "CỘNG"),
        (2, 1, 1380, 205, 120, 96, "HÒA"),
        (2, 1, 1520, 205, 80, 96, "XÃ"),
        (2, 1, 1620, 205, 100, 70, "HỘI"),
        (3, 1, 570, 470, 70, 96, "Số:"),
        (3, 1, 700, 470, 270, 0, "3Ø⁄C04-P6"),
        (3, 1, 1320, 480, 70, 96, "Hà"),
        (3, 1, 1400, 480, 90, 96, "Nội,"),
        (3, 1, 1510, 480, 110, 96, "ngày"),
        (3, 1, 1650, 465, 75, 0, "j$"),
        (3, 1, 1750, 480, 130, 0, "tháng"),
        (3, 1, 1920, 465, 25, 67, "Ÿ"),
        (3, 1, 1990, 480, 100, 96, "năm"),
        (3, 1, 2100, 480, 110, 96, "2025"),
        (4, 1, 1420, 560, 690, 22, "————————————"),
    ]
)


def test_header_cells_from_separate_blocks_share_one_line():
    lines, _ = _ocr_lines.build_lines(_ocr_lines.parse_tsv(HEADER_TSV, 72 / 300))
    texts = [[s.text for s in line.segments] for line in lines]
    assert texts[0] == ["BỘ CÔNG AN", "CỘNG HÒA XÃ HỘI"]
    assert central_cut(lines[0], 595) == 1


def test_illegible_words_are_dropped_or_cut_to_their_printed_ends():
    lines, _ = _ocr_lines.build_lines(_ocr_lines.parse_tsv(HEADER_TSV, 72 / 300))
    texts = [line.text for line in lines]
    assert texts[1] == "Số: /C04-P6 Hà Nội, ngày tháng năm 2025"
    assert len(lines) == 2  # the rule line under the motto is gone


def test_mean_confidence_is_weighted_by_length():
    words = _ocr_lines.parse_tsv(_tsv([(1, 1, 0, 0, 50, 90, "abcd"), (1, 1, 60, 0, 10, 50, "a")]))
    assert _ocr_lines.mean_confidence(words) == pytest.approx(0.82)


def test_ocr_jobs_follow_the_environment(monkeypatch):
    monkeypatch.setenv("VANBAN_OCR_JOBS", "3")
    assert ocr.ocr_jobs() == 3
    monkeypatch.setenv("VANBAN_OCR_JOBS", "zero")
    assert ocr.ocr_jobs() >= 1


# ------------------------------------------------------------------------- routing


def test_missing_tesseract_keeps_the_scanned_error(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    ocr.ocr_available.cache_clear()
    try:
        with pytest.raises(ScannedDocumentError, match="OCR needs Debian's tesseract-ocr"):
            read_pdf(SCAN)
    finally:
        ocr.ocr_available.cache_clear()


@needs_tesseract
def test_scanned_page_is_read_by_ocr_with_its_confidence():
    raw = read_pdf(SCAN)
    (page,) = raw.pages
    assert page.method == "ocr" and page.confidence > 0.85 and page.chars > 1000
    assert any("read by OCR" in w for w in raw.warnings)


@needs_tesseract
def test_non_vietnamese_ocr_layer_is_replaced(tmp_path):
    raw = read_pdf(BADOCR)
    assert raw.pages[0].method == "ocr" and raw.pages[0].confidence > 0.85
    assert any("not Vietnamese" in w for w in raw.warnings)
    assert not any("CØNG" in b.text or "cgxc" in b.text for b in raw.blocks)


@needs_tesseract
def test_mixed_document_is_routed_page_by_page(tmp_path):
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(DIGITAL), [0])
    mixed.import_pages(pdfium.PdfDocument(SCAN), [0])
    path = tmp_path / "mixed.pdf"
    mixed.save(path)
    raw = read_pdf(path)
    assert [p.method for p in raw.pages] == ["text-layer", "ocr"]
    assert {b.page for b in raw.blocks if b.text} == {1, 2}


@needs_tesseract
@pytest.mark.parametrize(
    "fixture", sorted((FIXTURES / "ocr").glob("*.transcript.txt")), ids=lambda p: p.name
)
def test_character_error_rate_stays_low(fixture):
    pdf = fixture.with_name(fixture.name.replace(".transcript.txt", ".pdf"))
    raw = read_pdf(pdf)
    ours = _flat(" ".join(b.text for b in raw.blocks if b.kind == "line"))
    ref = _flat(fixture.read_text(encoding="utf-8"))
    cer = Levenshtein.distance(ours, ref) / len(ref)
    assert cer <= CER_LIMIT[pdf.name], f"CER {cer:.3f}"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# ------------------------------------------------------------------------- header fields

# (file, page-1 only?, issuer words, symbol, place, date prefix, type, subject words)
HEADERS = [
    (
        "10_bca-c04-cv3980-ctmtqg-ma-tuy-lamdong-2025-scan.pdf",
        "cuc canh sat dieu tra",
        "C04-P6",
        "ha noi",
        "2025",
        "cong_van",
        "chuan bi to chuc trien khai chuong trinh mtqg phong, chong ma tuy den nam 2030",
    ),
    (
        "11_bca-c04-cv2388-tham-muu-hdnd-phan-bo-von-ctmtqg-2026-scan.pdf",
        "bo cong an",
        "C04-P6",
        "ha noi",
        "2026-04",
        "cong_van",
        "tham muu hdnd cap tinh ban hanh nghi quyet ve nguyen tac, tieu chi, dinh muc phan bo",
    ),
    (
        "12_quangngai-ct16-don-tet-nham-dan-2022-scan.pdf",
        "uy ban nhan dan tinh quang ngai",
        "CT-UBND",
        "quang ngai",
        "2021-12",
        "chi_thi",
        "tang cuong cac bien phap bao dam don tet nguyen dan nham dan-nam 2022",
    ),
    (
        "13_quangngai-ct05-nop-thue-dien-tu-2020-scan.pdf",
        "uy ban nhan dan tinh quang ngai",
        "CT-UBND",
        "quang ngai",
        "2020-04",
        "chi_thi",
        "trien khai thuc hien mo rong nop thue dien tu doi voi ca nhan kinh doanh",
    ),
    (
        "14_quangngai-ct11-an-toan-cau-mua-mua-bao-2024-scan.pdf",
        "uy ban nhan dan tinh quang ngai",
        "CT-UBND",
        "quang ngai",
        "2024-09",
        "chi_thi",
        "tang cuong cac bien phap dam bao an toan cong trinh cau giao thong",
    ),
    (
        "15_lamdong-cv4377-ubnd-nc-chuc-danh-hoi-2025-badocr.pdf",
        "uy ban nhan dan tinh lam",
        "UBND-NC",
        "lam dong",
        "2025-09",
        "cong_van",
        "xem xet de nghi cua uy ban mttq viet nam tinh lam dong",
    ),
]


@needs_tesseract
@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not on this machine")
@pytest.mark.parametrize(
    "name,issuer,symbol,place,date,doc_type,subject", HEADERS, ids=[h[0][:2] for h in HEADERS]
)
def test_scanned_header_fields(tmp_path, name, issuer, symbol, place, date, doc_type, subject):
    """Page 1 of each scanned corpus document (the header is all on it). Hand-written
    số and day are not read (blank, never a wrong number): see the OCR notes."""
    first = pdfium.PdfDocument.new()
    first.import_pages(pdfium.PdfDocument(CORPUS / name), [0])
    path = tmp_path / name
    first.save(path)
    h = extract_file(path).header
    assert issuer in fold(h.issuer or "")
    assert h.symbol == symbol
    assert fold(h.place or "") == place
    assert (h.date or "").startswith(date)
    assert h.doc_type == doc_type
    assert subject in fold(h.subject or "")
