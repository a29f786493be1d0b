"""Tesseract TSV → words → the physical :class:`~extract.readers._pdf_layout.Line` objects
the text-layer path builds, so OCR'd pages go through the same zone and block code (the
two-column header and signature are found from the words' x positions).

Tesseract's own lines are kept as the unit of text, but tesseract cuts a page into blocks
(the header's left and right cells come out as separate blocks), so lines that share a row
of the page are put back together; a wide gap inside a row starts a new segment.
Words read with very low confidence (stamps, seals, signatures, hand-writing) and lines
that are mostly noise are dropped.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, replace

from extract.readers._pdf_layout import SEGMENT_GAP, Line, Segment
from extract.textquality import has_odd_chars, is_syllable

DROP_CONF = 5.0  # tesseract's 0–100 word confidence: below this only long syllables stay
MIN_WORD_CONF = 20.0  # below this a word is kept only when it is a Vietnamese syllable
UNSURE_CONF = 50.0  # below this a syllable loses the stray marks around it ("ngày)")
SURE_CONF = 90.0  # below this a word with letters foreign to Vietnamese ("Ÿ") is dropped
NOISE_CONF = 45.0  # a line whose words average below this …
NOISE_ALNUM = 0.6  # … or whose characters are less than this share letters/digits is noise
_LABEL = re.compile(r"^S[ốỐóÓôÔoO]\s*:")
_PUNCT = ".,;:!?()[]{}\"'`|"
_MARKS = set("-–—.,;:/()…\"'“”*+%!?")  # punctuation that stands alone in print
_CODE_TAIL = re.compile(r"[/⁄][A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)*$")  # "/C04-P6"; ⁄ read for /
SIZE_PER_HEIGHT = 1.05  # font size (pt) ≈ this × the 3rd-quartile height of a line's words


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float
    line: tuple[int, int, int]  # tesseract's (block, paragraph, line)


def parse_tsv(tsv: str, scale: float = 1.0) -> list[Word]:
    """Words of tesseract's ``tsv`` output; boxes multiplied by ``scale`` (px → pt)."""
    words: list[Word] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        left, top, width, height = (float(c) * scale for c in cols[6:10])
        key = (int(cols[2]), int(cols[3]), int(cols[4]))
        words.append(
            Word(cols[11].strip(), left, top, left + width, top + height, float(cols[10]), key)
        )
    return words


def mean_confidence(words: list[Word]) -> float | None:
    """Mean word confidence in 0–1, weighted by word length."""
    total = sum(len(w.text) for w in words)
    return round(sum(w.conf * len(w.text) for w in words) / total / 100, 3) if total else None


def build_lines(words: list[Word]) -> tuple[list[Line], list[Word]]:
    """Physical lines top to bottom, and the words kept in them."""
    groups: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        kept = _readable(w)
        if kept is not None:
            groups.setdefault(w.line, []).append(kept)
    tess_lines = [sorted(g, key=lambda w: w.x0) for g in groups.values() if not _noise(g)]
    lines: list[Line] = []
    kept: list[Word] = []
    for row in _rows(tess_lines):
        row_words = sorted((w for line in row for w in line), key=lambda w: w.x0)
        lines.append(_line(row_words))
        kept.extend(row_words)
    return lines, kept


def _readable(word: Word) -> Word | None:
    """``word`` as kept: dropped (None) when it reads as noise, or cut down to its legible
    parts — the "Số:" before a hand-written number, the printed "/C04-P6" after it."""
    text = word.text
    if not any(ch.isalnum() for ch in text):
        keep = len(text) <= 3 and word.conf >= DROP_CONF and all(ch in _MARKS for ch in text)
        return word if keep else None  # not a rule line, a smudge or a "#"
    if word.conf < SURE_CONF and _scrawl(text):
        return None  # "Ó", "A0": a hand-written digit read as a letter
    bare = text.strip(_PUNCT)
    if _LABEL.match(text) and len(bare) <= 3:
        return replace(word, text="Số:")  # tesseract mixes the case and marks of "Số"
    if is_syllable(bare) and (word.conf >= DROP_CONF or len(bare) >= 4):
        # a long well-formed syllable is no accident, whatever the confidence
        return word if word.conf >= UNSURE_CONF else replace(word, text=bare)
    if word.conf >= MIN_WORD_CONF and not (has_odd_chars(text) and word.conf < SURE_CONF):
        return word
    ends = [m.group(0) for m in (_LABEL.match(text), _CODE_TAIL.search(text)) if m]
    ends = ["Số:" if _LABEL.match(e) else e.replace("⁄", "/") for e in ends]
    return replace(word, text=" ".join(ends)) if ends else None


def _scrawl(text: str) -> bool:
    """A lone capital letter, or two or three characters mixing letters and digits."""
    if len(text) == 1:
        return text.isupper()
    mixed = any(ch.isdigit() for ch in text) and any(ch.isalpha() for ch in text)
    return len(text) <= 3 and text.isalnum() and mixed


def _noise(words: list[Word]) -> bool:
    text = "".join(w.text for w in words)
    alnum = sum(ch.isalnum() for ch in text)
    if alnum < NOISE_ALNUM * len(text):
        return True
    return statistics.fmean(w.conf for w in words) < NOISE_CONF


def _span(line: list[Word]) -> tuple[float, float]:
    return statistics.median(w.top for w in line), statistics.median(w.bottom for w in line)


def _rows(tess_lines: list[list[Word]]) -> list[list[list[Word]]]:
    """Tesseract lines grouped by the page row they sit on (vertical overlap, no
    horizontal overlap)."""
    rows: list[list[list[Word]]] = []
    for line in sorted(tess_lines, key=lambda ln: sum(_span(ln)) / 2):
        top, bottom = _span(line)
        for row in rows[-3:]:
            r_top = statistics.median(_span(x)[0] for x in row)
            r_bottom = statistics.median(_span(x)[1] for x in row)
            overlap = min(bottom, r_bottom) - max(top, r_top)
            clear = all(line[-1].x1 < x[0].x0 or line[0].x0 > x[-1].x1 for x in row)
            if clear and overlap > 0.5 * min(bottom - top, r_bottom - r_top):
                row.append(line)
                break
        else:
            rows.append([line])
    return rows


def _line(words: list[Word]) -> Line:
    heights = sorted(w.bottom - w.top for w in words)
    size = round(SIZE_PER_HEIGHT * heights[(3 * len(heights)) // 4], 1)
    segments: list[Segment] = []
    group: list[Word] = [words[0]]
    gaps: list[float] = []
    for w in words[1:]:
        gap = w.x0 - group[-1].x1
        if gap > SEGMENT_GAP * size:
            segments.append(_segment(group, size))
            group = []
        gaps.append(gap)
        group.append(w)
    segments.append(_segment(group, size))
    top = min(s.top for s in segments)
    bottom = max(s.bottom for s in segments)
    word_gap = statistics.median(gaps) if len(gaps) >= 3 else 0.0
    return Line(segments, top, bottom, bottom - 0.2 * size, size, word_gap)


def _segment(words: list[Word], size: float) -> Segment:
    return Segment(
        " ".join(w.text for w in words),
        words[0].x0,
        max(w.x1 for w in words),
        min(w.top for w in words),
        max(w.bottom for w in words),
        size,
        False,
        False,
    )
