"""Build the section tree and the canonical text from paragraphs.

Each paragraph becomes one line of ``Document.text``; each table row one more line
("cell | cell | …"). A paragraph that opens with a marker starts a section; the tree is
built with a stack: a marker of a kind already open closes that one and becomes its
sibling, a heading kind closes everything of equal or deeper rank, any other kind nests.
A paragraph without a marker belongs to the innermost open section that is a heading
(its text does not end a sentence), else it closes the open list items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.markers import HEADING_KINDS, KIND_RANK, Marker, match_marker
from extract.model import Cell, Section, Table
from extract.paragraphs import Para

_CLOSING = re.compile(r"\./\.\s*$|^Trân trọng")
_SENTENCE_END = re.compile(r"[.;!?…]\s*[\"”)»]*$")


@dataclass
class _Node:
    id: str
    label: str
    kind: str
    key: str
    depth: int
    level: int
    heading: str
    start: int
    text_end: int
    parent: str | None
    page: int | None
    end: int = 0
    children: int = 0
    child_keys: set[str] = field(default_factory=set)
    kind_counts: dict[str, int] = field(default_factory=dict)

    def is_container(self) -> bool:
        """Can a plain paragraph nest under this node?"""
        if self.kind in HEADING_KINDS or self.kind == "root":
            return True
        return not _SENTENCE_END.search(self.heading)


@dataclass
class Built:
    text: str
    sections: list[Section]
    tables: list[Table]


def build_sections(paras: list[Para]) -> Built:
    out = _Builder()
    for p in paras:
        if p.table is not None:
            out.add_table(p)
        else:
            out.add_paragraph(p)
    return out.finish()


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.root = _Node("", "", "root", "", 0, -1, "", 0, 0, None, None)
        self.stack: list[_Node] = [self.root]
        self.done: list[_Node] = []
        self.tables: list[Table] = []
        self.ids: set[str] = set()  # section ids are unique in the document

    # ---------------------------------------------------------------- text
    def _append_line(self, line: str) -> tuple[int, int]:
        start = self.pos
        self.parts.append(line)
        self.pos += len(line) + 1  # the "\n" joining lines
        return start, start + len(line)

    # ---------------------------------------------------------------- paragraphs
    def add_paragraph(self, p: Para) -> None:
        m = match_marker(p.text)
        if m is None and _CLOSING.search(p.text):
            self._close_to(1)  # the closing paragraph "…/." belongs to the document
            kind, key, label, heading = "para", "", "", p.text
        elif m is None:
            self._pop_for_para()
            kind, key, label, heading = "para", "", "", p.text
        else:
            self._pop_for_marker(m)
            kind, key, label, heading = m.kind, m.key, m.label, p.text[m.length:].strip()
        parent = self.stack[-1]
        start, end = self._append_line(p.text)
        node = _Node(
            id=self._child_id(parent, kind, key),
            label=label, kind=kind, key=key, depth=m.depth if m else 1,
            level=parent.level + 1, heading=heading, start=start, text_end=end,
            parent=parent.id or None, page=p.page,
        )
        parent.children += 1
        self.stack.append(node)

    def _pop_for_marker(self, m: Marker) -> None:
        for idx in range(len(self.stack) - 1, 0, -1):
            n = self.stack[idx]
            if n.kind == m.kind and n.depth == m.depth:
                self._close_to(idx)
                return
        if m.kind in HEADING_KINDS:
            rank = KIND_RANK[m.kind]
            while len(self.stack) > 1 and KIND_RANK.get(self.stack[-1].kind, 99) >= rank:
                self._close_top()
            return
        # a list kind nests under the innermost node that can hold it
        while len(self.stack) > 1 and self.stack[-1].kind == "para":
            self._close_top()

    def _pop_for_para(self) -> None:
        # a paragraph never nests under another paragraph
        while len(self.stack) > 1 and (self.stack[-1].kind == "para"
                                       or not self.stack[-1].is_container()):
            self._close_top()

    def _close_to(self, idx: int) -> None:
        while len(self.stack) > idx:
            self._close_top()

    def _close_top(self) -> None:
        node = self.stack.pop()
        node.end = self.pos - 1 if self.pos else 0
        self.done.append(node)

    def _child_id(self, parent: _Node, kind: str, key: str) -> str:
        if kind in ("para", "dash", "plus", "star"):
            # numbered among siblings of the same kind, so ids do not depend on how
            # many paragraphs a format split the text into
            sym = {"para": "¶", "dash": "-", "plus": "+", "star": "*"}[kind]
            parent.kind_counts[kind] = parent.kind_counts.get(kind, 0) + 1
            key = f"{sym}{parent.kind_counts[kind]}"
        elif kind == "dieu":
            key = f"Điều {key}"
        elif kind == "appendix":
            key = f"PL{key}" if key != "PL" else "PL"
        elif kind == "decimal" and parent.kind in ("arabic", "decimal"):
            # "1.2" under "1": the id repeats the parent's number; keep the full label
            pass
        base = key
        n = 2
        full = f"{parent.id}.{key}" if parent.id else key
        while key in parent.child_keys or full in self.ids:
            key = f"{base}~{n}"
            full = f"{parent.id}.{key}" if parent.id else key
            n += 1
        parent.child_keys.add(key)
        self.ids.add(full)
        return full

    # ---------------------------------------------------------------- tables
    def add_table(self, p: Para) -> None:
        # a cell's wrapped lines are joined like a paragraph's: one line per table row
        rows = [tuple(" ".join(c.split()) for c in r) for r in (p.table or ())
                if any(c.strip() for c in r)]
        if not rows:
            return
        parent = self.stack[-1]
        header, body = _split_header(rows)
        t_start = self.pos
        if header:
            self._append_line(" | ".join(header))
        cells_rows: list[tuple[Cell, ...]] = []
        for r in body:
            cells: list[Cell] = []
            line_start = self.pos
            offset = line_start
            for i, c in enumerate(r):
                if i:
                    offset += 3
                cells.append(Cell(c, offset, offset + len(c)))
                offset += len(c)
            self._append_line(" | ".join(r))
            cells_rows.append(tuple(cells))
        tid = f"T{len(self.tables) + 1}"
        self.tables.append(Table(
            id=tid, header=header, rows=tuple(cells_rows), section_id=parent.id or None,
            title=_table_title(self.parts, parent), start=t_start, end=self.pos - 1,
        ))

    # ---------------------------------------------------------------- finish
    def finish(self) -> Built:
        while len(self.stack) > 1:
            self._close_top()
        text = "\n".join(self.parts)
        sections = [
            Section(
                id=n.id, label=n.label, kind=n.kind, level=n.level, heading=n.heading,
                start=n.start, end=max(n.end, n.text_end), text_start=n.start,
                text_end=n.text_end, parent=n.parent, page=n.page,
            )
            for n in sorted(self.done, key=lambda n: n.start)
        ]
        return Built(text, sections, self.tables)


_HEADER_WORDS = re.compile(
    r"\b(stt|tt|nhiệm vụ|nội dung|chủ trì|phối hợp|thời gian|thời hạn|sản phẩm|"
    r"cơ quan|đơn vị|ghi chú|kinh phí|tên|chỉ tiêu|kết quả)\b", re.I)


def _split_header(rows: list[tuple[str, ...]]) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The header row(s) of a table: the first row when its cells are column titles."""
    first = rows[0]
    hits = sum(1 for c in first if c and _HEADER_WORDS.search(c))
    if hits >= max(1, len([c for c in first if c]) // 2):
        body = rows[1:]
        # a second header row of column numbers "(1) (2) (3)" or "1 2 3"
        if body and all(re.fullmatch(r"\(?\d{1,2}\)?|", c) for c in body[0]):
            body = body[1:]
        return first, body
    return (), rows


def _table_title(parts: list[str], parent: _Node) -> str | None:
    if parent.kind == "appendix":
        return (parent.label + " " + parent.heading).strip()
    return None
