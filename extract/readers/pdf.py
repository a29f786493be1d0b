"""PDF → :class:`~extract.model.RawDocument`.

pypdfium2 reads the character layer (fast); pdfplumber is opened only for pages that draw
a ruled grid, to read table cells. Pages that are scanned images — with no text layer, or
with an OCR layer that is not Vietnamese (:mod:`extract.textquality`) — are read by OCR
(:mod:`extract.readers.ocr`) page by page, so a scan with a born-digital appendix mixes
both; ``PageInfo.method`` says which path each page took. Lines come out in reading order with the two-column
header and signature zones of the official layout (NĐ 30/2020) read left column first.
Page numbers, running headers/footers and footnotes are taken out of the body; footnote
reference markers (small raised digits) are dropped from the line text and the notes go to
``RawDocument.footnotes`` with ``offset=None``.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium

from extract.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    LegacyEncodingError,
    ScannedDocumentError,
    UnsupportedFormatError,
)
from extract.model import Block, Footnote, PageInfo, RawDocument
from extract.normalize import normalize_text
from extract.readers import _ocr_image, _pdf_chars, _pdf_layout, _pdf_tables, ocr
from extract.readers._pdf_blocks import page_blocks
from extract.readers._pdf_chars import Char
from extract.readers._pdf_layout import Line
from extract.readers._pdf_tables import PageTable
from extract.textquality import text_score

log = logging.getLogger(__name__)

MARGIN_SHARE = 0.12  # top/bottom share of the page where page numbers and running heads sit
_PAGE_NO = re.compile(r"^\s*(?:[-–—]\s*\d{1,4}\s*[-–—]|(?:trang|page)\s*\d{1,4}(?:\s*/\s*\d{1,4})?|\d{1,4})\s*$", re.I)
# Latin-1 symbols that never occur in Unicode Vietnamese but fill TCVN3/VNI text layers.
_VIET_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_LEGACY_CHARS = {chr(c) for c in range(0xA1, 0x100)} - _VIET_LATIN1 | {"\u2212", "\u2219"}
_LEGACY_FONT = re.compile(r"^\.?vn|^vni[-_ ]", re.I)


TEXT_LAYER_MIN = 0.6  # an OCR layer over a scan scoring below this is read again by OCR


@dataclass
class _Page:
    number: int
    width: float
    height: float
    chars: int
    lines: list[Line] = field(default_factory=list)
    tables: list[PageTable] = field(default_factory=list)
    method: str = "text-layer"  # "text-layer", "ocr" or "needs-ocr" (a scan left unread)
    legacy_words: int = 0
    words: int = 0
    confidence: float | None = None
    note: str | None = None  # a warning about how the page was read


def read_pdf(path: Path) -> RawDocument:
    """Read a PDF, scanned pages by OCR when tesseract is installed; raise an
    :class:`~extract.errors.ExtractError` subclass naming the file and the reason when it
    cannot be read."""
    path = Path(path)
    pdf = _open(path)
    try:
        pages, stamped_page = _read_pages(path, pdf)
    finally:
        pdf.close()
    _check_usable(path, pages)
    warnings = [f"page {p.number}: {p.note}" for p in pages if p.note]
    _drop_margins(pages)
    body_size = _body_size(pages)  # once: per page it made long documents quadratic
    footnotes = [fn for p in pages for fn in _take_footnotes(p, body_size)]
    _merge_continued_tables(pages)
    blocks = [b for p in pages for b in page_blocks(p.lines, p.tables, p.number, p.width, p.number == 1)]
    return RawDocument(
        source=path.name,
        format="pdf",
        blocks=tuple(blocks),
        footnotes=tuple(footnotes),
        pages=tuple(PageInfo(p.number, p.method, p.confidence, p.chars) for p in pages),
        warnings=tuple(warnings),
        stamped=_stamped_values(blocks) if stamped_page else (),
    )


# --------------------------------------------------------------------------- opening


def _open(path: Path) -> pdfium.PdfDocument:
    if not path.exists():
        raise CorruptFileError(path, "file not found")
    size = path.stat().st_size
    if size == 0:
        raise EmptyFileError(path, "the file is empty (0 bytes)")
    with path.open("rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, size - 2048))
        tail = fh.read()
    if b"%PDF-" not in head:
        kind = "a ZIP/Office file" if head.startswith(b"PK") else "not a PDF"
        raise UnsupportedFormatError(path, f"no PDF signature: content is {kind}")
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedFileError(path, "the PDF is password-protected") from exc
        raise CorruptFileError(path, f"pdfium cannot open it ({exc})") from exc
    if b"%%EOF" not in tail:
        pdf.close()
        raise CorruptFileError(path, "truncated: no %%EOF end marker")
    return pdf


# --------------------------------------------------------------------------- pages


def _read_pages(path: Path, pdf: pdfium.PdfDocument) -> tuple[list[_Page], bool]:
    pages: list[_Page] = []
    plumber = None
    stamped = False
    scans: _Scans | None = None
    try:
        for index in range(len(pdf)):
            try:
                page = pdf[index]
            except pdfium.PdfiumError as exc:
                raise CorruptFileError(path, f"page {index + 1} cannot be loaded ({exc})") from exc
            chars, converted = _convert_legacy(_pdf_chars.page_chars(page))
            if index == 0 and _pdf_chars.widget_count(page):
                extra = _new_chars(chars, _pdf_chars.stamped_chars(path, 0, page.get_height()))
                stamped = bool(extra)
                chars += extra
            record = _Page(index + 1, page.get_width(), page.get_height(), len(chars))
            if converted:
                record.note = "text layer in a legacy font encoding (TCVN3/VNI), converted"
            over_scan = not pages or pages[0].method != "text-layer"
            record.method = _method(page, len(chars), over_scan)
            if record.method != "text-layer" and _wants_ocr(record, chars):
                scans = scans or _Scans()
                if scans.submit(record, page):
                    pages.append(record)
                    page.close()
                    continue
            plumber = _find_tables(path, page, index, record, chars, plumber)
            chars = _outside(chars, record.tables)
            record.legacy_words, record.words = _legacy_counts(chars)
            if converted:
                record.legacy_words = 0  # the fonts still say .VnTime; the text is Unicode now
            record.lines = _pdf_layout.build_lines(chars)
            pages.append(record)
            page.close()
        if scans:
            scans.collect()
    finally:
        if plumber is not None:
            plumber.close()
        if scans:
            scans.close()
    return pages, stamped


def _find_tables(path: Path, page, index: int, record: _Page, chars: list[Char], plumber):
    """Ruled tables of the page (pdfplumber opened only for rules in form XObjects);
    returns the pdfplumber document, opened once and reused."""
    edges = _pdf_tables.rule_edges(page) if chars else []
    if edges and _pdf_tables.is_grid(edges):
        record.tables = _pdf_tables.grid_tables(edges, chars, record.width, record.height)
    elif edges is None and _pdf_tables.has_ruled_grid(page):
        plumber = plumber or _plumber(path)  # rules inside form XObjects
        record.tables = _pdf_tables.page_tables(plumber.pages[index])
    return plumber


def _convert_legacy(chars: list[Char]) -> tuple[list[Char], bool]:
    """Characters of a legacy-encoded text layer (TCVN3/VNI fonts) in Unicode, decided per
    font run by :mod:`extract.legacy`."""
    legacy, words = _legacy_counts(chars)
    if not words or legacy / words <= 0.1:
        return chars, False
    from extract.legacy import convert_runs

    texts = convert_runs([(c.text, c.font or None) for c in chars])
    out = [c._replace(text=t) for c, t in zip(chars, texts, strict=True) if t]
    return out, True


def _method(page: pdfium.PdfPage, chars: int, scans: bool) -> str:
    """needs-ocr (an image, no text), ocr (text over a full-page scan) or text-layer. The
    OCR-layer test runs on page 1 and, when page 1 was a scan, on every page."""
    if chars < 200 and _pdf_chars.page_has_image(page):
        return "needs-ocr"
    if scans and _pdf_chars.page_has_image(page, 0.8):
        return "ocr"
    return "text-layer"


def _wants_ocr(record: _Page, chars: list[Char]) -> bool:
    """A scan without text, or a scan whose OCR layer is not Vietnamese (a layer in a
    legacy font encoding is left to the legacy converter). Sets the page's note and, for
    a kept OCR layer, its confidence."""
    if record.method == "needs-ocr":
        record.note = "scanned image without text, needs OCR"
        return True
    legacy, words = _legacy_counts(chars)
    score = text_score(" ".join(line.text for line in _pdf_layout.build_lines(chars)))
    record.confidence = score
    if words and legacy / words > 0.1:
        return False
    if score >= TEXT_LAYER_MIN:
        record.note = f"text layer lies over a full-page scan (an OCR layer, score {score:.2f})"
        return False
    record.note = f"the OCR layer over the scan is not Vietnamese text (score {score:.2f})"
    return True


class _Scans:
    """Pages sent to OCR: rendered here (pdfium is not thread-safe), read in parallel."""

    def __init__(self) -> None:
        self.pool = ocr.OcrPool() if ocr.ocr_available() else None
        if self.pool:
            self.pool.__enter__()
        self.waiting: list[tuple[_Page, Future[ocr.OcrPage]]] = []

    def submit(self, record: _Page, page: pdfium.PdfPage) -> bool:
        """Queue ``page`` for OCR; False when OCR is not installed."""
        if self.pool is None:
            record.note = f"{record.note}; {ocr.MISSING_REASON}"
            return False
        self.waiting.append((record, self.pool.submit(_ocr_image.render(page))))
        return True

    def collect(self) -> None:
        for record, future in self.waiting:
            try:
                result = future.result()
            except ocr.OcrError as exc:
                record.method, record.lines, record.chars = "needs-ocr", [], 0
                record.note = f"OCR failed: {exc}"
                continue
            layer = f"{record.note}; " if record.method == "ocr" else ""  # the bad layer
            record.method, record.lines, record.chars = "ocr", result.lines, result.chars
            record.confidence = result.confidence
            conf = f"{result.confidence:.2f}" if result.confidence is not None else "none"
            record.note = f"{layer}read by OCR (mean word confidence {conf})"

    def close(self) -> None:
        if self.pool:
            self.pool.__exit__(None, None, None)


def _plumber(path: Path):  # noqa: ANN202 - pdfplumber.PDF, imported lazily
    import pdfplumber

    return pdfplumber.open(path)


def _new_chars(chars: list[Char], extra: list[Char]) -> list[Char]:
    """Stamp characters that the page text layer does not already hold."""
    seen = {(c.text, round((c.x0 + c.x1) / 2), round(c.baseline)) for c in chars}
    return [
        c for c in extra
        if not any((c.text, round((c.x0 + c.x1) / 2) + dx, round(c.baseline) + dy) in seen
                   for dx in (-1, 0, 1) for dy in (-2, -1, 0, 1, 2))
    ]


def _outside(chars: list[Char], tables: list[PageTable]) -> list[Char]:
    def inside(c: Char) -> bool:
        mid = (c.top + c.bottom) / 2
        return any(t.top - 1 <= mid <= t.bottom + 1 for t in tables)

    return [c for c in chars if not inside(c)] if tables else chars


def _legacy_counts(chars: list[Char]) -> tuple[int, int]:
    words = legacy = 0
    in_word = bad = False
    for c in chars:
        if c.text.isalpha() or c.text in _LEGACY_CHARS:
            in_word = True
            bad = bad or c.text in _LEGACY_CHARS or bool(_LEGACY_FONT.match(c.font))
        elif in_word:
            words, legacy, in_word, bad = words + 1, legacy + bad, False, False
    return legacy + (in_word and bad), words + in_word


def _check_usable(path: Path, pages: list[_Page]) -> None:
    if pages and all(p.method == "needs-ocr" for p in pages):
        failed = next((p.note for p in pages if p.note and p.note.startswith("OCR failed")), None)
        raise ScannedDocumentError(path, f"scanned PDF: {failed}" if failed else ocr.MISSING_REASON)
    words = sum(p.words for p in pages)
    legacy = sum(p.legacy_words for p in pages)
    if words and legacy / words > 0.1:
        raise LegacyEncodingError(
            path, f"text layer uses a legacy Vietnamese font encoding (TCVN3/VNI): "
                  f"{legacy} of {words} words"
        )


# --------------------------------------------------------------------------- margins


def _drop_margins(pages: list[_Page]) -> None:
    """Remove page numbers and running headers/footers from the top and bottom margins."""
    tops = Counter(_margin_key(p, 0) for p in pages)
    bottoms = Counter(_margin_key(p, -1) for p in pages)
    repeated = max(3, int(0.6 * len(pages) + 0.5))
    for p in pages:
        for end, counts in ((0, tops), (-1, bottoms)):
            while p.lines:
                key = _margin_key(p, end)
                if key is None:
                    break
                if not (_PAGE_NO.match(p.lines[end].text) or counts[key] >= repeated):
                    break
                p.lines.pop(end)


def _margin_key(page: _Page, end: int) -> str | None:
    if not page.lines:
        return None
    line = page.lines[end]
    in_margin = (line.bottom < MARGIN_SHARE * page.height if end == 0
                 else line.top > (1 - MARGIN_SHARE) * page.height)
    if not in_margin or _pdf_layout.central_cut(line, page.width) is not None:
        return None
    return re.sub(r"\d+", "#", line.text.lower())


# --------------------------------------------------------------------------- footnotes


def _body_size(pages: list[_Page]) -> float:
    sizes = Counter()
    for p in pages:
        for line in p.lines:
            sizes[round(line.size)] += len(line.text)
    return float(sizes.most_common(1)[0][0]) if sizes else 12.0


def _take_footnotes(page: _Page, body_size: float) -> list[Footnote]:
    """Split the small-font notes off the bottom of ``page``."""
    k = len(page.lines)
    start = None
    while k > 0:
        line = page.lines[k - 1]
        if line.size > 0.87 * body_size or line.top < 0.5 * page.height:
            break
        if _pdf_layout.central_cut(line, page.width) is not None:
            break
        k -= 1
        if _note_marker(line):
            start = k
    if start is None:
        return []
    notes: list[list[str]] = []
    for line in page.lines[start:]:
        marker = _note_marker(line)
        if marker:
            notes.append([marker, _strip_marker(line, marker)])
        else:
            notes[-1].append(line.text)
    del page.lines[start:]
    return [Footnote(normalize_text(n[0]), normalize_text(" ".join(n[1:]).strip())) for n in notes]


def _note_marker(line: Line) -> str | None:
    if line.markers and line.marker_at_start:
        return line.markers[0]
    m = re.match(r"^(\d{1,2})\s", line.text)
    return m.group(1) if m else None


def _strip_marker(line: Line, marker: str) -> str:
    text = line.text
    if not (line.markers and line.marker_at_start):
        text = text[len(marker):]
    return text.strip()


# --------------------------------------------------------------------------- tables


def _merge_continued_tables(pages: list[_Page]) -> None:
    """Join a table that opens a page to the table that closed the previous page (which
    may itself have started pages earlier)."""
    carry: PageTable | None = None
    for page in pages:
        last_here: PageTable | None = None
        if carry and page.tables and _opens(page, page.tables[0]):
            if _pdf_tables.continues(carry, page.tables[0]):
                last_here = page.tables.pop(0)
                _pdf_tables.merge(carry, last_here)
        if page.tables:
            carry, last_here = page.tables[-1], page.tables[-1]
        elif last_here is None:
            carry = None
        if carry is not None and last_here is not None and not _closes(page, last_here):
            carry = None


def _opens(page: _Page, table: PageTable) -> bool:
    return not any(line.bottom < table.top for line in page.lines)


def _closes(page: _Page, table: PageTable) -> bool:
    return not any(line.top > table.bottom for line in page.lines)


# --------------------------------------------------------------------------- stamps


_NUMBER = re.compile(r"\bSố\s*:?\s*(\S.*?)\s*$")
_DATE = re.compile(r"\bngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}")


def _stamped_values(blocks: list[Block]) -> tuple[tuple[str, str], ...]:
    """The số and date of page 1 once the stamped digits are back in place."""
    found: dict[str, str] = {}
    for b in blocks:
        if b.page != 1 or b.column == "full" and found:
            continue
        if "number_raw" not in found and (m := _NUMBER.search(b.text)):
            value = re.sub(r"\s*/\s*", "/", m.group(1))
            if value[:1].isdigit():
                found["number_raw"] = value
        if "date_raw" not in found and (m := _DATE.search(b.text)):
            found["date_raw"] = m.group(0)
    return tuple(found.items())
