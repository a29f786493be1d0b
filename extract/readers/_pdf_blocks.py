"""Lines, zones and tables of one page → :class:`~extract.model.Block` in reading order."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from extract.model import Block
from extract.normalize import normalize_text
from extract.readers._pdf_layout import Line, Segment, Zone, find_zones
from extract.readers._pdf_tables import PageTable

BLANK_PITCH = 1.2  # a baseline step wider than this × the usual one emits a blank block


@dataclass
class _Item:
    top: float
    bottom: float
    blocks: list[Block]


def page_blocks(
    lines: list[Line], tables: list[PageTable], page: int, width: float, first_page: bool
) -> list[Block]:
    """Blocks of one page: body lines, zones (left column, then right), tables."""
    items = _line_items(lines, page, width, first_page)
    items += [
        _Item(t.top, t.bottom, [Block("", kind="table", page=page, rows=tuple(t.rows))])
        for t in tables
    ]
    items.sort(key=lambda it: it.top)
    return _with_blanks(items, _usual_gap(lines), page)


def _line_items(lines: list[Line], page: int, width: float, first_page: bool) -> list[_Item]:
    zones = find_zones(lines, width, first_page)
    left, right = _margins(lines)
    items: list[_Item] = []
    i = 0
    for zone in zones + [None]:
        stop = zone.first if zone else len(lines)
        for line in lines[i:stop]:
            block = _block(line.text, line.segments[0], line.size, page, "full",
                           _centered(line.x0, line.x1, left, right))
            items.append(_Item(line.top, line.bottom, [block]))
        if zone:
            zl = lines[zone.first: zone.last + 1]
            items.append(_Item(zl[0].top, max(x.bottom for x in zl), _zone_blocks(zl, zone, page)))
            i = zone.last + 1
    return items


def _zone_blocks(lines: list[Line], zone: Zone, page: int) -> list[Block]:
    sides: dict[str, list[list[Segment]]] = {"left": [], "right": []}
    for line in lines:
        parts: dict[str, list[Segment]] = {"left": [], "right": []}
        for seg in line.segments:
            parts[zone.side(seg)].append(seg)
        for side, segs in parts.items():
            if segs:
                sides[side].append(segs)
    out: list[Block] = []
    for side, rows in sides.items():
        centres = [(r[0].x0 + r[-1].x1) / 2 for r in rows]
        middle = statistics.median(centres) if centres else 0.0
        edge = min((r[0].x0 for r in rows), default=0.0)
        for row, centre in zip(rows, centres, strict=True):
            text = " ".join(s.text for s in row)
            centered = abs(centre - middle) < 12 and row[0].x0 > edge + 8
            out.append(_block(text, row[0], row[0].size, page, side, centered))
    return out


def _block(text: str, seg: Segment, size: float, page: int, column: str, centered: bool) -> Block:
    return Block(
        normalize_text(text), kind="line", page=page, column=column, bold=seg.bold,
        italic=seg.italic, centered=centered, font_size=round(size, 1), x0=round(seg.x0, 1),
    )


def _margins(lines: list[Line]) -> tuple[float, float]:
    if not lines:
        return 0.0, 0.0
    xs0 = sorted(line.x0 for line in lines)
    xs1 = sorted(line.x1 for line in lines)
    return xs0[len(xs0) // 10], xs1[(len(xs1) * 9) // 10]


def _centered(x0: float, x1: float, left: float, right: float) -> bool:
    span = right - left
    if span <= 0 or x0 - left < 15:
        return False
    return abs((x0 - left) - (right - x1)) < 0.06 * span


def _usual_gap(lines: list[Line]) -> float:
    steps = [b.baseline - a.baseline for a, b in zip(lines, lines[1:], strict=False)]
    steps = [s for s in steps if s > 0]
    heights = [line.bottom - line.top for line in lines]
    if not steps:
        return 10.0
    return statistics.median(steps) - statistics.median(heights)


def _with_blanks(items: list[_Item], usual: float, page: int) -> list[Block]:
    out: list[Block] = []
    prev = None
    slack = (BLANK_PITCH - 1) * 16.0
    for item in items:
        if prev is not None and item.top - prev.bottom > usual + slack:
            out.append(Block("", kind="blank", page=page))
        out.extend(item.blocks)
        prev = item
    return out
