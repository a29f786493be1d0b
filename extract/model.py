"""Typed records produced by the extract stage.

Two layers:

* ``Block`` / ``RawDocument`` — what a *reader* (text, PDF, DOCX, …) produces: the
  document's content in reading order, already normalized (see ``extract.normalize``),
  with the layout hints the reader could recover (column, page, bold, centred, list
  label, table cells). Readers do not interpret the official format.
* ``Document`` — what ``extract.structure`` builds from a ``RawDocument`` by applying the
  official format (Nghị định 30/2020/NĐ-CP): header, signature, section tree, tables,
  footnotes, over one canonical text. Every offset in a ``Document`` points into
  ``Document.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --------------------------------------------------------------------------- readers


@dataclass(frozen=True)
class Block:
    """One unit of content as a reader found it.

    ``kind``:
      * ``"line"`` — a physical line (PDF or plain text); wrapped lines are joined later.
      * ``"para"`` — a complete paragraph (DOCX); never joined with its neighbours.
      * ``"table"`` — a table; ``rows`` holds its cells (already normalized), ``text`` is "".
      * ``"blank"`` — an empty line (plain text / PDF vertical gap); a paragraph break hint.

    ``column``: where the block sat on the page: ``"full"`` (body), ``"left"`` or
    ``"right"`` (the two-column header and signature areas of the official layout).
    Readers that cannot tell (plain text) use ``"full"``.
    """

    text: str
    kind: str = "line"
    page: int | None = None
    column: str = "full"
    bold: bool = False
    italic: bool = False
    centered: bool = False
    font_size: float | None = None
    list_label: str | None = None  # e.g. "1." or "a)" rendered from Word numbering
    rows: tuple[tuple[str, ...], ...] = ()
    x0: float | None = None  # left edge in points, when known (indentation hint)


@dataclass(frozen=True)
class Footnote:
    """A footnote kept apart from the sentence it annotates."""

    marker: str
    text: str
    offset: int | None = None  # where its marker stood in Document.text (None: unknown)
    section_id: str | None = None


@dataclass(frozen=True)
class PageInfo:
    number: int
    method: str  # "text-layer", "docx", "text", "ocr"
    confidence: float | None = None
    chars: int = 0


@dataclass(frozen=True)
class RawDocument:
    source: str  # file name
    format: str  # "txt", "pdf", "docx", "doc", "md", "html"
    blocks: tuple[Block, ...]
    footnotes: tuple[Footnote, ...] = ()
    pages: tuple[PageInfo, ...] = ()
    warnings: tuple[str, ...] = ()
    # Header values found outside the page text (e.g. the số and date stamped on signed PDFs).
    stamped: tuple[tuple[str, str], ...] = ()


# --------------------------------------------------------------------------- document


@dataclass(frozen=True)
class Signature:
    authority: tuple[str, ...]  # e.g. ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    signer: str | None

    @property
    def title(self) -> str | None:
        return " / ".join(self.authority) if self.authority else None


@dataclass(frozen=True)
class Header:
    issuer: str | None = None  # as printed, e.g. "ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG"
    issuer_name: str | None = None  # readable form, e.g. "Ủy ban nhân dân tỉnh Tuyên Quang"
    issuer_lines: tuple[str, ...] = ()  # parent line(s) then issuer line
    number: str | None = None  # "56"; None when left blank
    symbol: str | None = None  # "TB-VPCP"
    number_raw: str | None = None  # the whole "Số: …" value
    place: str | None = None
    date: str | None = None  # ISO "2025-03-12", "2025-03" when the day is blank, or None
    doc_type: str | None = None  # code: cong_van, ke_hoach, quyet_dinh, …
    doc_type_label: str | None = None  # as printed: "KẾ HOẠCH"
    subject: str | None = None  # trích yếu without "V/v"
    recipients: tuple[str, ...] = ()  # Kính gửi
    urgency: str | None = None  # KHẨN, THƯỢNG KHẨN, HỎA TỐC
    confidentiality: str | None = None  # MẬT, TỐI MẬT, TUYỆT MẬT
    motto_found: bool = False


@dataclass(frozen=True)
class Section:
    """A node of the section tree.

    ``id`` is the path of labels from the root ("II.III.1", "Điều 3.2.a"); ``start``/``end``
    delimit the node's whole extent in ``Document.text`` (heading, own text, children);
    ``text_start``/``text_end`` the node's own text (heading line included) before its first
    child.
    """

    id: str
    label: str  # the marker as printed: "II.", "1.1.", "a)", "-", "Điều 3."
    kind: str  # phan, chuong, muc, dieu, roman, arabic, decimal, letter, dash, plus, para, appendix
    level: int
    heading: str  # marker stripped, first sentence/line of the node
    start: int
    end: int
    text_start: int
    text_end: int
    parent: str | None = None
    page: int | None = None


@dataclass(frozen=True)
class Cell:
    text: str
    start: int  # offset in Document.text
    end: int


@dataclass(frozen=True)
class Table:
    id: str  # "T1", "T2" …
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]  # body rows (header excluded)
    section_id: str | None
    title: str | None = None  # e.g. "Phụ lục 02 …"
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Document:
    source: str
    format: str
    text: str  # canonical NFC text of the body (sections + tables), the offsets' reference
    header: Header
    signature: Signature | None
    cc: tuple[str, ...]  # Nơi nhận
    sections: tuple[Section, ...]
    tables: tuple[Table, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    pages: tuple[PageInfo, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)
    sha256: str | None = None

    def section(self, section_id: str) -> Section | None:
        for s in self.sections:
            if s.id == section_id:
                return s
        return None
