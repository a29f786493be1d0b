"""Plain-text and markdown reader: one block per line, tables as table blocks.

Markdown here means what legal portals save (thuvienphapluat.vn): emphasis markers around
words and across line ends, and tables flattened to one ``|`` per line (a lone ``|`` line
separates cells, two in a row separate rows). GitHub pipe tables (``| a | b |`` with a
``|---|`` rule) are read too. The two-column layout tables of the official format (issuer |
motto, Nơi nhận | signer) become left/right lines, like the DOCX reader emits them. A page
saved from a legal portal loses the website around the document (``_portal``).
"""

from __future__ import annotations

import re
from pathlib import Path

from extract.model import Block, RawDocument
from extract.normalize import fold, normalize_text
from extract.readers._portal import strip_portal_chrome
from extract.readers.sniff import decode_text, text_kind

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)\s]*\)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s+|$)")
_RULE = re.compile(r"^\s*([-_=*])(\s*\1){2,}\s*$")
_ESCAPE = re.compile(r"\\([\\*_#|\-.()\[\]!`])")
_STAR = re.compile(r"(?<!\\)(?<!^)\*|^\*(?!\s)")
_GFM_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_LAYOUT_CUES = ("cong hoa xa hoi", "doc lap", "noi nhan")
_MAX_COLS = 12
_MAX_ROW_LINES = 60
_AUTHORITY = re.compile(r"^(tm|kt|tl|tuq|q)\.\s", re.M)
_ADDRESSEE = re.compile(r"^(dong )?kinh gui\s*:")


def read_text(path: Path) -> RawDocument:
    """Read a .txt or .md file into line, blank and table blocks (column "full")."""
    path = Path(path)
    raw, encoding = decode_text(path.read_bytes(), path)
    text = normalize_text(raw)
    fmt = text_kind(path, text)
    page = strip_portal_chrome(text.split("\n"))
    lines = page.lines
    blocks = _markdown_blocks(lines) if fmt == "md" else _plain_blocks(lines)
    warnings = page.warnings + (() if encoding.startswith(("utf-8", "utf-16")) else (
        f"decoded as {encoding}: not UTF-8",
    ))
    return RawDocument(source=path.name, format=fmt, blocks=tuple(blocks), warnings=warnings,
                       stamped=page.stamped)


def _plain_blocks(lines: list[str]) -> list[Block]:
    return [Block(text=ln.strip(), kind="line") if ln.strip() else Block(text="", kind="blank")
            for ln in lines]


def strip_markdown(line: str) -> str:
    """A markdown line as a reader sees it: no emphasis, heading or escape markers."""
    line = _IMAGE.sub("", line)
    line = _LINK.sub(r"\1", line)
    line = _HEADING.sub("", line)
    line = line.replace("**", "").replace("__", "")
    line = _STAR.sub("", line)
    line = _ESCAPE.sub(r"\1", line)
    return " ".join(line.split())


def _markdown_blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == "|":
            rows, i = _lone_pipe_table(lines, i)
            blocks.extend(_table_blocks(rows, at_start=not _has_text(blocks)))
            continue
        elif _is_gfm_row(line) and i + 1 < len(lines) and _GFM_RULE.match(lines[i + 1]):
            rows, i = _gfm_table(lines, i)
            blocks.extend(_table_blocks(rows, at_start=not _has_text(blocks)))
        else:
            blocks.extend(_markdown_line(line))
            i += 1
    return blocks


def _markdown_line(line: str) -> list[Block]:
    if not line.strip():
        return [Block(text="", kind="blank")]
    if _RULE.match(line):
        return []
    text = strip_markdown(line)
    return [Block(text=text, kind="line")] if text else []


def _has_text(blocks: list[Block]) -> bool:
    return any(b.text or b.rows for b in blocks)


def _lone_pipe_table(lines: list[str], i: int) -> tuple[list[list[str]], int]:
    """Rows of a table flattened as ``|`` lines; returns (rows, index after the table).

    A row that runs over too many cells or lines is not a table row (portal chrome uses
    lone ``|`` lines too): the table ends before it and its ``|`` is skipped as stray.
    """
    rows: list[list[str]] = []
    ncols: int | None = None
    while i < len(lines) and lines[i].strip() == "|":
        start = i
        row, i = _lone_pipe_row(lines, i + 1, ncols)
        if len(row) > _MAX_COLS or i - start > _MAX_ROW_LINES:
            return rows, start + 1
        rows.append(row)
        ncols = ncols or len(row)
    return rows, i


def _lone_pipe_row(lines: list[str], i: int, ncols: int | None) -> tuple[list[str], int]:
    """One row: ``|`` ``|`` ends it, so does a blank line, or ``ncols`` cells once known."""
    cells: list[str] = []
    cur: list[str] = []
    while i < len(lines) and lines[i].strip():
        if lines[i].strip() != "|":
            cur.append(lines[i])
            i += 1
            continue
        cells.append(_cell_text(cur))
        cur = []
        i += 1
        if i < len(lines) and lines[i].strip() == "|":
            return cells, i
        if ncols is not None and len(cells) >= ncols:
            return cells, i
    if cur:
        cells.append(_cell_text(cur))
    return cells, i


def _cell_text(lines: list[str]) -> str:
    parts = [strip_markdown(ln) for ln in lines if not _RULE.match(ln)]
    return "\n".join(p for p in parts if p)


def _is_gfm_row(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") and s.endswith("|") and s.count("|") >= 3


def _gfm_table(lines: list[str], i: int) -> tuple[list[list[str]], int]:
    rows = [_gfm_cells(lines[i])]
    i += 2
    while i < len(lines) and _is_gfm_row(lines[i]):
        rows.append(_gfm_cells(lines[i]))
        i += 1
    return rows, i


def _gfm_cells(line: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", line.strip()[1:-1])
    return [strip_markdown(c) for c in cells]


def _table_blocks(rows: list[list[str]], at_start: bool) -> list[Block]:
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return []
    width = max(len(r) for r in rows)
    if width < 2:  # a one-column "table" is layout noise: keep its text as lines
        return [Block(text=ln, kind="line") for r in rows for c in r for ln in c.split("\n") if ln]
    k = next((i for i, r in enumerate(rows) if _ADDRESSEE.match(fold(r[0]))), None)
    if k is not None:  # "Kính gửi: | recipients" rows: full-width lines, after the layout
        head = _table_blocks(rows[:k], at_start) if k else []
        return head + [Block(text=ln, kind="line") for r in rows[k:] for c in r
                       for ln in c.split("\n") if ln]
    if _is_layout(rows, width, at_start):
        return _layout_lines(rows)
    padded = tuple(tuple(r) + ("",) * (width - len(r)) for r in rows)
    return [Block(text="", kind="table", rows=padded)]


def _is_layout(rows: list[list[str]], width: int, at_start: bool) -> bool:
    if not 2 <= width <= 3:
        return False
    folded = fold("\n".join(c for r in rows for c in r))
    cue = any(c in folded for c in _LAYOUT_CUES) or bool(_AUTHORITY.search(folded))
    return cue or (at_start and len(rows) <= 4)


def _layout_lines(rows: list[list[str]]) -> list[Block]:
    left = [ln for r in rows for ln in r[0].split("\n") if ln]
    right = [ln for r in rows if len(r) > 1 for c in r[1:] for ln in c.split("\n") if ln]
    return [Block(text=t, kind="line", column="left") for t in left] + [
        Block(text=t, kind="line", column="right") for t in right
    ]
