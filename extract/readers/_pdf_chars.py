"""The character layer of a PDF page, read with pypdfium2.

Coordinates are turned top-down (``top`` grows down the page) so that sorting by ``top``
gives reading order. Stamped values of signed e-office PDFs (the số and the day, written
into signature-widget appearance streams that the page text does not hold) are read with
pdfminer and returned as extra characters at their place on the page.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

_SKIP = {"\r", "\n", "\x02", "\x00", "\ufffe", "\uffff"}
_ITALIC_FLAG = 1 << 6
_FORCE_BOLD_FLAG = 1 << 18


class Char(NamedTuple):
    text: str
    x0: float
    x1: float
    top: float  # loose box, top-down
    bottom: float
    baseline: float  # top-down y of the origin
    size: float
    bold: bool
    italic: bool
    font: str = ""


@dataclass(frozen=True)
class _Font:
    name: str
    bold: bool
    italic: bool


def _font_of(textpage: pdfium_c.FPDF_TEXTPAGE, index: int) -> _Font:
    buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int(0)
    pdfium_c.FPDFText_GetFontInfo(textpage, index, buf, 128, ctypes.byref(flags))
    name = buf.value.decode("latin-1", "replace")
    weight = pdfium_c.FPDFText_GetFontWeight(textpage, index)
    low = name.lower()
    bold = "bold" in low or "black" in low or weight >= 600 or bool(flags.value & _FORCE_BOLD_FLAG)
    italic = "italic" in low or "oblique" in low or bool(flags.value & _ITALIC_FLAG)
    return _Font(name.split("+", 1)[-1], bold, italic)


def _c_function(func: object, restype: object, *argtypes: object) -> object:
    """The same pdfium entry point returning a plain int pointer (much cheaper than casts)."""
    address = ctypes.cast(func, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_get_text_object = _c_function(
    pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int
)
_get_matrix = _c_function(
    pdfium_c.FPDFPageObj_GetMatrix, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p
)
_get_font = _c_function(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p, ctypes.c_void_p)


def _scale(obj: int | None) -> float:
    """Vertical scale of a text object's matrix (font size 1 scaled by ``Tm`` is common)."""
    matrix = pdfium_c.FS_MATRIX()
    if not obj or not _get_matrix(obj, ctypes.byref(matrix)):
        return 1.0
    return math.hypot(matrix.c, matrix.d) or 1.0


def page_chars(page: pdfium.PdfPage) -> list[Char]:
    """Every visible character of ``page`` with its box and font (spaces dropped: words are
    rebuilt from the gaps)."""
    height = page.get_height()
    textpage = page.get_textpage()
    tp = textpage.raw
    tp_int = ctypes.cast(tp, ctypes.c_void_p).value
    count = pdfium_c.FPDFText_CountChars(tp)
    text = textpage.get_text_range(0, count) if count else ""
    if len(text) != count:
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(tp, i)) for i in range(count))
    out: list[Char] = []
    rect = pdfium_c.FS_RECTF()
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    sizes: dict[int | None, tuple[_Font, float]] = {}
    fonts: dict[int | None, _Font] = {}
    for i, ch in enumerate(text):
        if ch.isspace() or ch in _SKIP:
            continue
        obj = _get_text_object(tp_int, i)
        info = sizes.get(obj)
        if info is None:
            handle = _get_font(obj)
            font = fonts.get(handle) or fonts.setdefault(handle, _font_of(tp, i))
            info = sizes[obj] = (font, pdfium_c.FPDFText_GetFontSize(tp, i) * _scale(obj))
        font, size = info
        get_box(tp, i, rect)
        top, bottom = height - rect.top, height - rect.bottom
        out.append(Char(ch, rect.left, rect.right, top, bottom, bottom - 0.22 * (bottom - top),
                        size, font.bold, font.italic, font.name))
    textpage.close()
    return out


def page_has_image(page: pdfium.PdfPage, min_share: float = 0.3) -> bool:
    """True when an image covers at least ``min_share`` of the page."""
    area = page.get_width() * page.get_height()
    for obj in page.get_objects(max_depth=2):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            left, bottom, right, top = obj.get_bounds()
            if (right - left) * (top - bottom) >= min_share * area:
                return True
    return False


def widget_count(page: pdfium.PdfPage) -> int:
    n = 0
    for i in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, i)
        if pdfium_c.FPDFAnnot_GetSubtype(annot) == pdfium_c.FPDF_ANNOT_WIDGET:
            n += 1
        pdfium_c.FPDFPage_CloseAnnot(annot)
    return n


def stamped_chars(path: Path, page_index: int, page_height: float) -> list[Char]:
    """Characters drawn by the widget annotations of one page (signed-PDF stamps)."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    out: list[Char] = []
    with path.open("rb") as fh:
        doc = PDFDocument(PDFParser(fh))
        for i, page in enumerate(PDFPage.create_pages(doc)):
            if i != page_index:
                continue
            manager = PDFResourceManager()
            device = PDFPageAggregator(manager)
            interp = PDFPageInterpreter(manager, device)
            for stream, ctm in _widget_streams(page):
                device.begin_page(page, ctm)
                interp.init_resources(stream.attrs.get("Resources") or {})
                interp.render_contents(stream.attrs.get("Resources") or {}, [stream], ctm=ctm)
                device.end_page(page)
                out.extend(_to_chars(device.get_result(), page_height))
            break
    return out


def _widget_streams(page: object) -> list[tuple[object, tuple[float, ...]]]:
    from pdfminer.pdftypes import resolve1

    found = []
    for ref in resolve1(getattr(page, "annots", None)) or []:
        annot = resolve1(ref)
        if not isinstance(annot, dict) or getattr(annot.get("Subtype"), "name", "") != "Widget":
            continue
        ap = resolve1(annot.get("AP"))
        normal = resolve1(ap.get("N")) if isinstance(ap, dict) else None
        if normal is None or not hasattr(normal, "get_data"):
            continue
        rect = [float(resolve1(v)) for v in resolve1(annot.get("Rect"))]
        bbox = [float(resolve1(v)) for v in resolve1(normal.attrs.get("BBox", [0, 0, 0, 0]))]
        ctm = (1.0, 0.0, 0.0, 1.0, min(rect[0], rect[2]) - bbox[0], min(rect[1], rect[3]) - bbox[1])
        found.append((normal, ctm))
    return found


def _to_chars(layout: object, page_height: float) -> list[Char]:
    from pdfminer.layout import LTChar

    out: list[Char] = []
    stack = [layout]
    while stack:
        item = stack.pop()
        if isinstance(item, LTChar):
            text = item.get_text()
            if text.strip():
                low = item.fontname.lower()
                out.append(
                    Char(text, item.x0, item.x1, page_height - item.y1, page_height - item.y0,
                         page_height - item.y0 - item.size * 0.2, item.size,
                         "bold" in low, "italic" in low, item.fontname.split("+", 1)[-1])
                )
        elif hasattr(item, "__iter__"):
            stack.extend(item)
    return out
