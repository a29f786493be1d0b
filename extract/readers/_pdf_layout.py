"""Characters → words → segments → physical lines, and the two-column zones.

Pure functions over :class:`~extract.readers._pdf_chars.Char` lists, no PDF access. A
*segment* is a run of words on one line with no wide gap inside; a line whose segments sit
on both sides of the page middle is a *split line* (two header or signature cells printed
side by side). Split lines and their neighbours that sit wholly on one side form a *zone*
whose left column is read before its right column.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from extract.readers._pdf_chars import Char

WORD_GAP = 0.12  # × font size: a wider gap starts a new word
SEGMENT_GAP = 1.2  # × font size: a wider gap starts a new segment
SUPERSCRIPT_RATIO = 0.8  # a marker char is smaller than this × the line's size


@dataclass
class Segment:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    italic: bool


@dataclass
class Line:
    segments: list[Segment]
    top: float
    bottom: float
    baseline: float
    size: float
    word_gap: float = 0.0  # median gap between the words of the line
    markers: list[str] = field(default_factory=list)  # raised small digits removed from text
    marker_at_start: bool = False  # the first marker stood before any other character

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1


# ------------------------------------------------------------------------------- lines


def _rows(chars: list[Char]) -> list[list[Char]]:
    """Cluster characters into rows by the bottom of their loose boxes (the descent line:
    unlike the top, diacritics stacked on capitals do not move it)."""
    ordered = sorted(chars, key=lambda c: c.bottom)
    rows: list[list[Char]] = []
    last = None
    for c in ordered:
        if last is None or c.bottom - last > 0.5 * max(c.size, 4.0):
            rows.append([])
        rows[-1].append(c)
        last = c.bottom
    return rows


def _main_size(row: list[Char]) -> float:
    sizes = sorted(c.size for c in row)
    return round(sizes[len(sizes) // 2], 1)


def _is_marker(c: Char, size: float, baseline: float) -> bool:
    raised = c.bottom < baseline - 0.25 * size
    return c.size < SUPERSCRIPT_RATIO * size and raised and (c.text.isdigit() or c.text == "*")


def _segments(chars: list[Char], removed: list[Char]) -> tuple[list[Segment], float]:
    """Segments of a row and its median word gap; ``removed`` (markers) leave no gap."""
    segs: list[Segment] = []
    group: list[Char] = []
    parts: list[str] = []
    gaps: list[float] = []
    for c in chars:
        if group:
            gap = c.x0 - group[-1].x1 - _covered(removed, group[-1].x1, c.x0)
            if gap > SEGMENT_GAP * max(c.size, group[-1].size):
                segs.append(_segment(group, parts))
                group, parts = [], []
                gaps.append(gap)
            elif gap > WORD_GAP * min(c.size, group[-1].size):
                parts.append(" ")
                gaps.append(gap)
        group.append(c)
        parts.append(c.text)
    if group:
        segs.append(_segment(group, parts))
    # Too few gaps say nothing about justification: treat the spacing as unknown (0).
    return segs, statistics.median(gaps) if len(gaps) >= 3 else 0.0


def _covered(removed: list[Char], x0: float, x1: float) -> float:
    return sum(c.x1 - c.x0 for c in removed if x0 - 1 <= c.x0 and c.x1 <= x1 + 1)


def _segment(chars: list[Char], parts: list[str]) -> Segment:
    letters = [c for c in chars if c.text.isalnum()] or chars
    return Segment(
        text="".join(parts).strip(),
        x0=chars[0].x0,
        x1=max(c.x1 for c in chars),
        top=min(c.top for c in chars),
        bottom=max(c.bottom for c in chars),
        size=_main_size(chars),
        bold=sum(c.bold for c in letters) * 2 > len(letters),
        italic=sum(c.italic for c in letters) * 2 > len(letters),
    )


def build_lines(chars: list[Char]) -> list[Line]:
    """Physical lines in top-to-bottom order; raised small digits become ``markers``."""
    lines: list[Line] = []
    for row in _rows(chars):
        size = _main_size(row)
        body = [c for c in row if c.size >= SUPERSCRIPT_RATIO * size] or row
        baseline = statistics.median(c.bottom for c in body)
        row.sort(key=lambda c: c.x0)
        kept, markers, removed = [], [], []
        for c in row:
            if _is_marker(c, size, baseline):
                removed.append(c)
                if markers and markers[-1][1] == len(kept):
                    markers[-1] = (markers[-1][0] + c.text, len(kept))
                else:
                    markers.append((c.text, len(kept)))
            else:
                kept.append(c)
        if not kept:
            kept, markers, removed = row, [], []
        segs, word_gap = _segments(kept, removed)
        lines.append(
            Line(segs, min(s.top for s in segs), max(s.bottom for s in segs), baseline, size,
                 word_gap, [m for m, _ in markers], bool(markers) and markers[0][1] == 0)
        )
    return lines


# ------------------------------------------------------------------------------- zones


@dataclass
class Zone:
    first: int  # index of the first line in the zone
    last: int  # index of the last line (inclusive)
    left_max: float  # right edge of the left cells of its split lines
    right_min: float  # left edge of the right cells
    right_centres: list[float] = field(default_factory=list)

    def absorb(self, line: Line, width: float) -> bool:
        """Widen the column edges with a split line; False when ``line`` is not split."""
        cut = central_cut(line, width)
        if cut is None:
            return False
        self.left_max = max(self.left_max, line.segments[cut - 1].x1)
        self.right_min = min(self.right_min, line.segments[cut].x0)
        self.right_centres.append((line.segments[cut].x0 + line.x1) / 2)
        return True

    def one_sided(self, line: Line, width: float) -> bool:
        """``line`` keeps to the left cell, or sits under the right cell's centre."""
        if line.x1 < self.right_min - 3:
            return True
        if line.x0 <= self.left_max + 3:
            return False
        centre = statistics.median(self.right_centres)
        return abs((line.x0 + line.x1) / 2 - centre) < 0.1 * width

    def side(self, seg: Segment) -> str:
        if seg.x0 > self.left_max + 3 and seg.x1 > self.right_min - 3:
            return "right"
        if seg.x1 < self.right_min - 3:
            return "left"
        middle = (self.left_max + self.right_min) / 2
        return "left" if (seg.x0 + seg.x1) / 2 < middle else "right"


def central_cut(line: Line, width: float) -> int | None:
    """Index of the first right-hand segment when a wide gap crosses the page middle."""
    lo, hi = 0.3 * width, 0.7 * width
    best: tuple[float, int] | None = None
    for k in range(1, len(line.segments)):
        a, b = line.segments[k - 1], line.segments[k]
        overlap = min(b.x0, hi) - max(a.x1, lo)
        wide = b.x0 - a.x1 >= 3 * line.word_gap  # not a justified line's even spacing
        if overlap > 0 and wide and (best is None or overlap > best[0]):
            best = (overlap, k)
    return best[1] if best else None


def find_zones(lines: list[Line], width: float, page_top: bool) -> list[Zone]:
    """Two-column zones: split lines grown over the neighbours that keep to one side."""
    zones: list[Zone] = []
    for i, line in enumerate(lines):
        if zones and i <= zones[-1].last:
            continue
        zone = Zone(i, i, 0.0, width)
        if not zone.absorb(line, width):
            continue
        _grow_down(lines, zone, width)
        _grow_up(lines, zone, width, page_top and not zones)
        zones.append(zone)
    return zones


def _grow_down(lines: list[Line], zone: Zone, width: float) -> None:
    k = zone.last
    while k + 1 < len(lines):
        below = lines[k + 1]
        if not zone.absorb(below, width):
            if not zone.one_sided(below, width):
                break
            far = below.top - lines[k].bottom > max(8.0, 0.8 * below.size)
            if far and below.x0 <= zone.left_max + 3:
                break
        k += 1
    zone.last = k


def _grow_up(lines: list[Line], zone: Zone, width: float, at_page_top: bool) -> None:
    k = zone.first
    while k > 0 and zone.one_sided(lines[k - 1], width):
        if not at_page_top and lines[k - 1].x0 <= zone.left_max + 3:
            break
        k -= 1
    zone.first = k
