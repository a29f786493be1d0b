"""Ruled tables: a cheap pdfium test for grid lines, then pdfplumber on those pages only."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extract.normalize import normalize_text
from extract.readers._pdf_chars import Char
from extract.readers._pdf_layout import build_lines

_THIN = 2.0  # points: a path thinner than this is a rule


@dataclass
class PageTable:
    top: float
    bottom: float
    rows: list[tuple[str, ...]]

    @property
    def columns(self) -> int:
        return max((len(r) for r in self.rows), default=0)


def has_ruled_grid(page: pdfium.PdfPage) -> bool:
    """True when the page draws at least 3 horizontal and 2 vertical rules."""
    horizontal = vertical = 0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        width, height = right - left, top - bottom
        if height <= _THIN and width > 20:
            horizontal += 1
        elif width <= _THIN and height > 8:
            vertical += 1
        elif width > 20 and height > 8 and _is_stroked_box(obj):
            horizontal += 2
            vertical += 2
        if horizontal >= 3 and vertical >= 2:
            return True
    return False


def _is_stroked_box(obj: Any) -> bool:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj.raw, fill, stroke)
    return bool(stroke.value) and not fill.value


def page_tables(plumber_page: Any) -> list[PageTable]:
    """Tables with at least two rows and two columns, cells normalized (None → "")."""
    out: list[PageTable] = []
    for table in plumber_page.find_tables():
        rows = [_row(r) for r in table.extract()]
        rows = [r for r in rows if any(r)]
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
            out.append(PageTable(table.bbox[1], table.bbox[3], rows))
    return out


def _row(cells: list[str | None]) -> tuple[str, ...]:
    return tuple(" ".join(normalize_text(c or "").split()) for c in cells)


def continues(previous: PageTable, following: PageTable) -> bool:
    """A table that opens a page continues the previous page's closing table when it has
    the same number of columns."""
    return previous.columns == following.columns


def merge(previous: PageTable, following: PageTable) -> None:
    """Append ``following``'s rows to ``previous``, dropping a repeated header row."""
    rows = following.rows
    if rows and previous.rows and rows[0] == previous.rows[0]:
        rows = rows[1:]
    previous.rows.extend(rows)


# ------------------------------------------------------------------ fast path (no pdfminer)

_LINETO, _MOVETO = pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_MOVETO


def rule_edges(page: pdfium.PdfPage) -> list[dict[str, Any]] | None:
    """Horizontal and vertical rules of the page as pdfplumber edge dicts (top-down), or
    None when some paths sit inside form XObjects (left to pdfplumber)."""
    height = page.get_height()
    edges: list[dict[str, Any]] = []
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM),
                                max_depth=1):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            if pdfium_c.FPDFFormObj_CountObjects(obj.raw) > 0:
                return None
            continue
        edges.extend(_path_edges(obj, height))
    return edges


def _path_edges(obj: Any, height: float) -> list[dict[str, Any]]:
    m = obj.get_matrix()
    out: list[dict[str, Any]] = []
    x = ctypes.c_float()
    y = ctypes.c_float()
    prev = start = None
    for k in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj.raw, k)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        point = (m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == _LINETO and prev is not None:
            out.extend(_edge(prev, point, height))
        if kind == _MOVETO:
            start = point
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
            out.extend(_edge(point, start, height))
        prev = point
    return _thin_boxes(obj, height) if not out else out


def _thin_boxes(obj: Any, height: float) -> list[dict[str, Any]]:
    """A filled rectangle drawn with ``re`` has no line segments: a thin one is a rule."""
    left, bottom, right, top = obj.get_bounds()
    if top - bottom <= _THIN and right - left > 3:
        mid = (top + bottom) / 2
        return _edge((left, mid), (right, mid), height)
    if right - left <= _THIN and top - bottom > 3:
        mid = (left + right) / 2
        return _edge((mid, bottom), (mid, top), height)
    return []


def _edge(a: tuple[float, float], b: tuple[float, float], height: float) -> list[dict[str, Any]]:
    (x0, y0), (x1, y1) = a, b
    if abs(y0 - y1) < 1 and abs(x1 - x0) > 3:
        lo, hi = sorted((x0, x1))
        top = height - y0
        return [{"x0": lo, "x1": hi, "top": top, "bottom": top, "width": hi - lo, "height": 0.0,
                 "orientation": "h", "object_type": "line", "doctop": top}]
    if abs(x0 - x1) < 1 and abs(y1 - y0) > 3:
        lo, hi = sorted((height - y0, height - y1))
        return [{"x0": x0, "x1": x0, "top": lo, "bottom": hi, "width": 0.0, "height": hi - lo,
                 "orientation": "v", "object_type": "line", "doctop": lo}]
    return []


def is_grid(edges: list[dict[str, Any]]) -> bool:
    horizontal = sum(e["orientation"] == "h" and e["width"] > 20 for e in edges)
    vertical = sum(e["orientation"] == "v" and e["height"] > 8 for e in edges)
    return horizontal >= 3 and vertical >= 2


class _Shim:
    """The little of a pdfplumber Page that its table finder reads."""

    def __init__(self, edges: list[dict[str, Any]], chars: list[dict[str, Any]],
                 width: float, height: float) -> None:
        self.edges, self.chars, self.bbox = edges, chars, (0.0, 0.0, width, height)


def grid_tables(edges: list[dict[str, Any]], chars: list[Char], width: float,
                height: float) -> list[PageTable]:
    """pdfplumber's table finder run on pdfium rules and characters."""
    from pdfplumber.table import TableFinder, TableSettings

    finder = TableFinder(_Shim(edges, [], width, height), TableSettings.resolve({}))
    out: list[PageTable] = []
    for table in finder.tables:
        x0, top, x1, bottom = table.bbox
        own = [c for c in chars if top <= (c.top + c.bottom) / 2 < bottom
               and x0 <= (c.x0 + c.x1) / 2 < x1]
        rows = []
        for row in table.rows:
            _, r_top, _, r_bottom = row.bbox
            in_row = [c for c in own if r_top <= (c.top + c.bottom) / 2 < r_bottom]
            rows.append(tuple(_cell_text(cell, in_row) for cell in row.cells))
        rows = [r for r in rows if any(r)]
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
            out.append(PageTable(top, bottom, rows))
    return out


def _cell_text(cell: tuple[float, float, float, float] | None, chars: list[Char]) -> str:
    if cell is None:
        return ""
    x0, top, x1, bottom = cell
    inside = [c for c in chars
              if x0 <= (c.x0 + c.x1) / 2 < x1 and top <= (c.top + c.bottom) / 2 < bottom]
    text = " ".join(line.text for line in build_lines(inside))
    return " ".join(normalize_text(text).split())
