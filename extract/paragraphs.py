"""Join lines wrapped by a PDF or a text export back into paragraphs.

A reader gives physical lines (``Block(kind="line")``), complete paragraphs
(``kind="para"``), tables and blank-line hints. A line continues the previous one unless
the previous one ended a sentence or a heading, or the line opens with a section marker.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from extract.markers import match_marker
from extract.model import Block

_TERMINAL = re.compile(r"[.:;!?…]\s*[\"”)»]*$|\./\.$")
_MARKER_ONLY = re.compile(r"^(\d{1,2}(\.\d{1,2})*\.?|[a-zđ]\)|[IVX]+\.|[-+•])$")


_TITLED = {"phan", "chuong", "muc", "appendix", "dieu"}


@dataclass
class Para:
    """A paragraph being assembled (mutable while joining; frozen into sections later)."""

    text: str
    page: int | None
    bold: bool = False
    centered: bool = False
    table: tuple[tuple[str, ...], ...] | None = None
    last_len: int = 0  # length of the last physical line joined in


def blanks_are_breaks(blocks: list[Block]) -> bool:
    """Plain-text exports sometimes put a blank line after every line: then a blank
    line says nothing about paragraphs."""
    lines = [b for b in blocks if b.kind in ("line", "blank")]
    if not lines:
        return True
    blank = sum(1 for b in lines if b.kind == "blank" or not b.text.strip())
    return blank / len(lines) < 0.35


def typical_line_length(blocks: list[Block]) -> float:
    lengths = [len(b.text.strip()) for b in blocks if b.kind == "line" and b.text.strip()]
    if len(lengths) < 5:
        return 80.0
    lengths.sort()
    # the upper half of lines are full lines; their median is the column width
    return float(statistics.median(lengths[len(lengths) // 2:]))


def join_lines(blocks: list[Block]) -> list[Para]:
    """Paragraphs from blocks in reading order."""
    breaks = blanks_are_breaks(blocks)
    width = typical_line_length(blocks)
    paras: list[Para] = []
    open_line = False  # is the last paragraph still open to a continuation line?
    for b in blocks:
        if b.kind == "table":
            paras.append(Para("", b.page, table=b.rows))
            open_line = False
            continue
        text = b.text.strip()
        if b.kind == "blank" or not text or text == "|":
            if breaks or text == "|":
                open_line = False
            continue
        if b.kind == "para":
            paras.append(Para(text, b.page, b.bold, b.centered))
            open_line = False
            continue
        if open_line and paras and _continues(paras[-1], text, width, breaks):
            paras[-1].text = _glue(paras[-1].text, text)
            paras[-1].last_len = len(text)
        else:
            paras.append(Para(text, b.page, b.bold, b.centered, last_len=len(text)))
        open_line = True
    return [p for p in paras if p.text or p.table]


def _continues(prev: Para, line: str, width: float, breaks: bool) -> bool:
    if _MARKER_ONLY.match(prev.text):
        return True
    pm = match_marker(prev.text)
    if pm is not None and pm.kind in _TITLED and not prev.text[pm.length:].strip():
        return True  # "Phần I" / "Chương II" on its own line: the title follows
    if match_marker(line) is not None:
        return False
    if line[:1].islower() or line[:1] in "(,;":
        return True  # only a continuation starts in lower case
    if _TERMINAL.search(prev.text):
        return False
    if _is_upper(prev.text) and not _is_upper(line) and line[:1].isupper():
        return False  # an all-caps heading, then the body in ordinary case
    if breaks:  # blank lines delimit paragraphs: inside one, every line continues
        return True
    # a short previous line ended its paragraph (a heading, or a paragraph's last line)
    # unless the new line starts in lower case, which only a continuation does; wrapped
    # all-caps headings continue
    if prev.last_len < 0.75 * width and line[:1].isupper():
        return _is_upper(prev.text) and _is_upper(line)
    return True


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _glue(a: str, b: str) -> str:
    # words broken across lines with a hyphen at the end stay joined by the hyphen
    if a.endswith("-") and not a.endswith(" -"):
        return a + b
    return a + " " + b
