"""DOCX reader: the body in document order, with Word's list numbers rendered.

Walks ``w:body`` children (paragraphs, tables, content controls) in order. Paragraph text
comes from the runs as Word shows them: inserted and field-result text kept, deleted text,
field codes and footnote references left out, text boxes read where they are anchored.
A soft line break (``w:br``) splits a paragraph into several ``"para"`` blocks.

Layout tables of the official format (issuer | motto at the top, Nơi nhận | signer at the
end) become left/right paragraphs; other tables become ``"table"`` blocks where a cell
spanning several grid columns (``gridSpan``) holds its text once followed by empty strings,
and a vertically merged cell repeats the text of the cell above. Headers and footers of the
Word sections (page numbers) are not read.

Runs typed in a legacy Vietnamese font (TCVN3 .VnTime, VNI-Times) are converted to Unicode
per run, from the run's font (rFonts of the run, its character style, paragraph style or
the document defaults) and its characters, before normalization (see ``extract.legacy``).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from docx import Document as open_docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle
from lxml import etree

from extract.errors import CorruptFileError, NoContentError
from extract.legacy import LegacyDecoder
from extract.model import Block, Footnote, PageInfo, RawDocument
from extract.normalize import fold, normalize_text
from extract.readers._numbering import Numbering, StyleNumPr

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_DESCEND = {qn(t) for t in ("w:r", "w:hyperlink", "w:ins", "w:smartTag", "w:customXml",
                            "w:fldSimple", "w:sdt", "w:sdtContent", "w:moveTo", "w:drawing",
                            "w:pict", "w:object")}
_SKIP = {qn(t) for t in ("w:del", "w:moveFrom", "w:rPr", "w:pPr", "w:instrText",
                         "w:footnoteReference", "w:endnoteReference", "w:delText")}
_LAYOUT_CUES = ("cong hoa xa hoi", "doc lap", "noi nhan")


class _Context:
    """What the walk needs besides the XML: styles, numbering, footnote markers."""

    def __init__(self, doc: DocxDocument):
        self.doc = doc
        self.styles = {s.style_id: s for s in doc.styles}
        self.numbering = Numbering(_numbering_xml(doc), _style_numpr(doc))
        self.footnote_order: list[str] = []
        self.default_style = doc.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        sz = doc.styles.element.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}sz")
        val = sz.get(qn("w:val")) if sz is not None else None
        self.default_size = int(val) / 2 if val and val.isdigit() else None
        self.fonts = _Fonts(doc)
        self.top_paragraphs = 0  # body paragraphs with text read so far
        self.tab_header: set[int] = set()  # ids of blocks split from a tabbed header line
        self.legacy = LegacyDecoder(list(self.fonts.body_runs(doc.element.body)))


def read_docx(path: Path) -> RawDocument:
    """Read a .docx file into paragraph and table blocks (see module docstring)."""
    path = Path(path)
    try:
        doc = open_docx(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, zlib.error,
            EOFError, OSError, NotImplementedError) as exc:  # zip parts broken inside
        raise CorruptFileError(path, f"cannot open as a Word document ({exc})") from exc
    except etree.XMLSyntaxError as exc:
        raise CorruptFileError(path, f"broken XML inside the Word document ({exc})") from exc
    if doc.element.tag != qn("w:document") or doc.element.find(qn("w:body")) is None:
        raise CorruptFileError(path, "word/document.xml holds no w:document/w:body")
    ctx = _Context(doc)
    blocks = _left_before_right(list(_body_blocks(doc.element.body, ctx)), ctx.tab_header)
    if not any(b.text or b.rows for b in blocks):
        raise NoContentError(path, "the Word document holds no text")
    chars = sum(len(b.text) for b in blocks)
    warnings = tuple(f"legacy {enc} font encoding converted to Unicode"
                     for enc in sorted(ctx.legacy.encodings))
    return RawDocument(
        source=path.name, format="docx", blocks=blocks,
        footnotes=_footnotes(doc, ctx), pages=(PageInfo(1, "docx", chars=chars),),
        warnings=warnings,
    )


# --------------------------------------------------------------------------- body walk


def _content_children(container: etree._Element) -> Iterator[etree._Element]:
    """Block-level children, looking through content controls and custom XML."""
    for child in container:
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag in (qn("w:sdt"), qn("w:customXml")):
            content = child.find(qn("w:sdtContent"))
            yield from _content_children(content if content is not None else child)


def _body_blocks(body: etree._Element, ctx: _Context) -> Iterator[Block]:
    children = list(_content_children(body))
    has_text = [c.tag == qn("w:p") and bool(_plain_text(c).strip()) for c in children]
    for i, child in enumerate(children):
        if child.tag == qn("w:p"):
            yield from _paragraph_blocks(child, ctx)
            ctx.top_paragraphs += has_text[i]
            continue
        at_edge = not any(has_text[:i]) or not any(has_text[i + 1:])
        if _is_layout_table(child, at_edge, ctx):
            yield from _layout_blocks(child, ctx)
        else:
            yield _table_block(child, ctx)


_HEADER_RIGHT = ("cong hoa xa hoi", "doc lap")
_DATE_LINE = re.compile(r"\bngay\b.*\bthang\b")


def _tab_columns(line: str) -> tuple[str, str] | None:
    """(left, right) of a header line laid out with tabs, when its right part is the motto
    or the place-and-date line; else None."""
    parts = [normalize_text(p).strip() for p in re.split(r"\t+", line)]
    parts = [p for p in parts if p]
    if len(parts) != 2:
        return None
    right = fold(parts[1])
    if right.startswith(_HEADER_RIGHT) or _DATE_LINE.search(right):
        return parts[0], parts[1]
    return None


def _left_before_right(blocks: list[Block], split: set[int]) -> tuple[Block, ...]:
    """Within each stretch of tab-split header blocks, left-column blocks come first, as
    layout tables emit them."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and id(blocks[j]) in split:
            j += 1
        if j > i:
            stretch = blocks[i:j]
            out += [b for b in stretch if b.column == "left"]
            out += [b for b in stretch if b.column != "left"]
            i = j
        else:
            out.append(blocks[i])
            i += 1
    return tuple(out)


def _plain_text(el: etree._Element, ctx: _Context | None = None) -> str:
    """The text of ``el``'s runs; read in Unicode when ``ctx`` is given."""
    if ctx is None:
        return "".join(t.text or "" for t in el.iter(qn("w:t")))
    return "".join(ctx.legacy.convert_runs(list(ctx.fonts.body_runs(el))))


# --------------------------------------------------------------------------- paragraphs


def _paragraph_blocks(p: etree._Element, ctx: _Context, column: str = "full") -> list[Block]:
    boxes: list[etree._Element] = []
    lines, runs = _paragraph_lines(p, ctx, boxes)
    out: list[Block] = []
    for box in boxes:  # text boxes anchored in this paragraph, where they appear
        for inner in box.iter(qn("w:p")):
            if inner.getparent() is not None and inner.getparent().tag == qn("w:txbxContent"):
                out.extend(_paragraph_blocks(inner, ctx, column))
    style_id = _style_id(p)
    num_id, ilvl = _num_pr(p)
    label = ctx.numbering.label(num_id, ilvl, style_id)
    fmt = _formatting(p, runs, ctx, style_id)
    for k, line in enumerate(lines):
        sides = _tab_columns(line) if column == "full" and ctx.top_paragraphs < 6 else None
        if sides:  # "ISSUER <tabs> CỘNG HÒA …": a header laid out with tabs
            pair = [Block(text=t, kind="para", column=c, **fmt)
                    for t, c in zip(sides, ("left", "right"), strict=True)]
            ctx.tab_header.update(id(b) for b in pair)
            out.extend(pair)
            continue
        text = normalize_text(line).strip()
        lab = normalize_text(label) if (label and k == 0) else None
        if lab:
            text = f"{lab} {text}".strip()
        if text:
            out.append(Block(text=text, kind="para", column=column, list_label=lab, **fmt))
    return out


_INLINE = {qn("w:tab"): "\t", qn("w:ptab"): "\t", qn("w:noBreakHyphen"): "-"}
_BREAKS = {qn("w:br"), qn("w:cr")}


class _TextWalker:
    """Collects a paragraph's visible text split at line breaks, and its text runs."""

    def __init__(self, ctx: _Context, boxes: list[etree._Element]):
        self.ctx = ctx
        self.boxes = boxes
        self.pieces: list[list[tuple[str, str | None]]] = [[]]  # (text, font) per line
        self.runs: list[etree._Element] = []

    @property
    def lines(self) -> list[str]:
        """The visible lines, legacy-font runs read in Unicode (not yet normalized)."""
        return ["".join(self.ctx.legacy.convert_runs(line)) for line in self.pieces]

    def _add(self, text: str, font: str | None = None) -> None:
        line = self.pieces[-1]
        if font is None and line:  # tabs, symbols: keep the run's font so runs stay joined
            font = line[-1][1]
        line.append((text, font))

    def walk(self, el: etree._Element) -> None:
        for child in el:
            tag = child.tag
            if tag in _SKIP:
                self._skipped(child)
            elif tag == qn("w:t"):
                self._add(child.text or "", self.ctx.fonts.text_font(child))
                self.runs.append(child.getparent())
            elif tag == qn("w:softHyphen"):  # also TCVN3's "ư" (byte 0xAD) in .doc imports
                self._add("\u00ad", self.ctx.fonts.text_font(child))
            elif tag in _INLINE:
                self._add(_INLINE[tag])
            elif tag in _BREAKS:
                self.pieces.append([])
            elif tag == qn("w:sym"):
                self._add(_symbol(child))
            elif tag == qn("w:txbxContent"):
                self.boxes.append(child)
            else:
                self._container(child)

    def _skipped(self, el: etree._Element) -> None:
        if el.tag == qn("w:footnoteReference"):
            self.ctx.footnote_order.append(el.get(qn("w:id"), ""))

    def _container(self, el: etree._Element) -> None:
        if el.tag == _MC + "AlternateContent":  # Choice and Fallback repeat the content
            choice = el.find(_MC + "Choice")
            if choice is not None:
                self.walk(choice)
        elif el.tag in _DESCEND or len(el):
            self.walk(el)


def _paragraph_lines(
    p: etree._Element, ctx: _Context, boxes: list[etree._Element]
) -> tuple[list[str], list[etree._Element]]:
    """Visible text of a paragraph split at line breaks, and the runs that hold text."""
    walker = _TextWalker(ctx, boxes)
    walker.walk(p)
    return walker.lines, walker.runs


def _symbol(sym: etree._Element) -> str:
    code = int(sym.get(qn("w:char"), "0"), 16)
    return "-" if code >= 0xF000 or code < 0x20 else chr(code)


def _style_id(p: etree._Element) -> str | None:
    ppr = p.find(qn("w:pPr"))
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    return style.get(qn("w:val")) if style is not None else None


def _num_pr(el: etree._Element) -> tuple[str | None, int | None]:
    ppr = el.find(qn("w:pPr"))
    numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
    if numpr is None:
        return None, None
    num = numpr.find(qn("w:numId"))
    lvl = numpr.find(qn("w:ilvl"))
    ilvl = lvl.get(qn("w:val")) if lvl is not None else None
    return (num.get(qn("w:val")) if num is not None else None,
            int(ilvl) if ilvl and ilvl.isdigit() else None)


def _formatting(p: etree._Element, runs: list[etree._Element], ctx: _Context,
                style_id: str | None) -> dict:
    pstyle = ctx.styles.get(style_id or "") or ctx.default_style
    bold = italic = total = 0
    sizes: dict[float, int] = {}
    for r in runs:
        n = len("".join(t.text or "" for t in r.findall(qn("w:t"))).strip())
        cstyle = ctx.styles.get(_run_style_id(r))
        total += n
        bold += n * _flag(r, "w:b", cstyle, pstyle, "bold")
        italic += n * _flag(r, "w:i", cstyle, pstyle, "italic")
        size = _run_size(r, cstyle, pstyle) or ctx.default_size
        if size is not None:
            sizes[size] = sizes.get(size, 0) + n
    ppr = p.find(qn("w:pPr"))
    jc = ppr.find(qn("w:jc")) if ppr is not None else None
    centered = (jc.get(qn("w:val")) == "center" if jc is not None
                else _style_attr(pstyle, "alignment") == WD_ALIGN_PARAGRAPH.CENTER)
    return {
        "bold": total > 0 and bold * 2 > total,
        "italic": total > 0 and italic * 2 > total,
        "centered": centered,
        "font_size": max(sizes, key=sizes.__getitem__) if sizes else None,
    }


def _run_style_id(r: etree._Element) -> str | None:
    rpr = r.find(qn("w:rPr"))
    rs = rpr.find(qn("w:rStyle")) if rpr is not None else None
    return rs.get(qn("w:val")) if rs is not None else None


def _flag(r: etree._Element, tag: str, cstyle: BaseStyle | None, pstyle: BaseStyle | None,
          attr: str) -> bool:
    rpr = r.find(qn("w:rPr"))
    el = rpr.find(qn(tag)) if rpr is not None else None
    if el is not None:
        return el.get(qn("w:val"), "true") not in ("0", "false", "off", "none")
    for style in (cstyle, pstyle):
        value = _style_attr(style, attr)
        if value is not None:
            return bool(value)
    return False


def _run_size(r: etree._Element, cstyle: BaseStyle | None,
              pstyle: BaseStyle | None) -> float | None:
    rpr = r.find(qn("w:rPr"))
    sz = rpr.find(qn("w:sz")) if rpr is not None else None
    if sz is not None and (sz.get(qn("w:val")) or "").isdigit():
        return int(sz.get(qn("w:val"))) / 2
    for style in (cstyle, pstyle):
        size = _style_attr(style, "size")
        if size is not None:
            return size.pt
    return None


def _style_attr(style: BaseStyle | None, attr: str) -> object:
    """A font or paragraph-format attribute, looked up through the style's base styles."""
    seen = 0
    while style is not None and seen < 20:
        holder = style.paragraph_format if attr == "alignment" else getattr(style, "font", None)
        value = getattr(holder, attr, None) if holder is not None else None
        if value is not None:
            return value
        style, seen = style.base_style, seen + 1
    return None


# --------------------------------------------------------------------------- tables


def _rows(tbl: etree._Element) -> list[list[tuple[etree._Element | None, int]]]:
    """Each row as (cell, grid span) per grid column slot, ``None`` for skipped columns."""
    rows = []
    for tr in tbl.findall(qn("w:tr")):
        trpr = tr.find(qn("w:trPr"))
        row: list[tuple[etree._Element | None, int]] = []
        before = _int_val(trpr, "w:gridBefore") if trpr is not None else 0
        row.extend((None, 1) for _ in range(before))
        for tc in _cells(tr):
            row.append((tc, max(1, _int_val(tc.find(qn("w:tcPr")), "w:gridSpan") or 1)))
        rows.append(row)
    return rows


def _cells(tr: etree._Element) -> Iterator[etree._Element]:
    for child in tr:
        if child.tag == qn("w:tc"):
            yield child
        elif child.tag in (qn("w:sdt"), qn("w:customXml")):
            content = child.find(qn("w:sdtContent"))
            yield from _cells(content if content is not None else child)


def _int_val(parent: etree._Element | None, tag: str) -> int:
    el = parent.find(qn(tag)) if parent is not None else None
    val = el.get(qn("w:val")) if el is not None else None
    return int(val) if val and val.isdigit() else 0


def _is_layout_table(tbl: etree._Element, at_edge: bool, ctx: _Context) -> bool:
    rows = _rows(tbl)
    widths = [sum(1 for tc, _ in r if tc is not None) for r in rows]
    if not widths or not 2 <= max(widths) <= 3:
        return False
    folded = fold(normalize_text(_plain_text(tbl, ctx)))
    return any(cue in folded for cue in _LAYOUT_CUES) or (at_edge and len(rows) <= 4)


def _layout_blocks(tbl: etree._Element, ctx: _Context) -> list[Block]:
    left: list[Block] = []
    right: list[Block] = []
    for row in _rows(tbl):
        cells = [(tc, span) for tc, span in row if tc is not None]
        grid = sum(span for _, span in row)
        pos = 0
        for k, (tc, span) in enumerate(cells):
            center = pos + span / 2
            side = "left" if k == 0 or (k < len(cells) - 1 and center < grid / 2) else "right"
            target = left if side == "left" else right
            target.extend(_cell_paragraphs(tc, ctx, side))
            pos += span
    return left + right


def _cell_paragraphs(tc: etree._Element, ctx: _Context, column: str) -> list[Block]:
    out: list[Block] = []
    for child in _content_children(tc):
        if child.tag == qn("w:p"):
            out.extend(_paragraph_blocks(child, ctx, column))
        else:  # nested table: its cells' paragraphs, row by row
            for tr_cell in child.iter(qn("w:tc")):
                for p in _content_children(tr_cell):
                    if p.tag == qn("w:p"):
                        out.extend(_paragraph_blocks(p, ctx, column))
    return out


def _cell_text(tc: etree._Element, ctx: _Context) -> str:
    return "\n".join(b.text for b in _cell_paragraphs(tc, ctx, "full"))


def _table_block(tbl: etree._Element, ctx: _Context) -> Block:
    grid_rows: list[list[str]] = []
    for row in _rows(tbl):
        texts: list[str] = []
        for tc, span in row:
            col = len(texts)
            if tc is not None and _is_vmerge_continue(tc) and grid_rows:
                above = grid_rows[-1]
                text = above[col] if col < len(above) else ""
            else:
                text = _cell_text(tc, ctx) if tc is not None else ""
            texts.extend([text] + [""] * (span - 1))
        grid_rows.append(texts)
    width = max((len(r) for r in grid_rows), default=0)
    rows = tuple(tuple(r) + ("",) * (width - len(r)) for r in grid_rows)
    return Block(text="", kind="table", rows=rows)


def _is_vmerge_continue(tc: etree._Element) -> bool:
    tcpr = tc.find(qn("w:tcPr"))
    vm = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
    return vm is not None and vm.get(qn("w:val"), "continue") == "continue"


# --------------------------------------------------------------------------- parts


def _numbering_xml(doc: DocxDocument) -> etree._Element | None:
    try:
        return doc.part.part_related_by(RT.NUMBERING).element
    except (KeyError, AttributeError):
        return None


def _style_numpr(doc: DocxDocument) -> StyleNumPr:
    out: StyleNumPr = {}
    for style in doc.styles.element.findall(qn("w:style")):
        num_id, ilvl = _num_pr(style)
        if num_id is not None:
            out[style.get(qn("w:styleId"), "")] = (num_id, ilvl)
    return out


def _footnotes(doc: DocxDocument, ctx: _Context) -> tuple[Footnote, ...]:
    try:
        part = doc.part.part_related_by(RT.FOOTNOTES)
    except KeyError:
        return ()
    root = parse_xml(part.blob)
    notes = {}
    for fn in root.findall(qn("w:footnote")):
        if fn.get(qn("w:type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        paras = [" ".join(_paragraph_lines(p, ctx, [])[0]) for p in fn.iter(qn("w:p"))]
        text = normalize_text(" ".join(p.strip() for p in paras if p.strip()))
        notes[fn.get(qn("w:id"), "")] = text
    order = list(dict.fromkeys(i for i in ctx.footnote_order if i in notes))
    order += [i for i in notes if i not in order]
    return tuple(Footnote(marker=str(n), text=notes[i]) for n, i in enumerate(order, 1))


# --------------------------------------------------------------------------- fonts


class _Fonts:
    """The font each run is shown in: run rFonts, character style, paragraph style, defaults.

    Only the ``w:hAnsi`` / ``w:ascii`` names matter here (legacy Vietnamese fonts are 8-bit
    "ANSI" fonts); theme fonts count as no name.
    """

    def __init__(self, doc: DocxDocument):
        self.styles: dict[str, tuple[str | None, str | None]] = {}  # id → (font, basedOn)
        for st in doc.styles.element.findall(qn("w:style")):
            based = st.find(qn("w:basedOn"))
            self.styles[st.get(qn("w:styleId"), "")] = (
                _rfonts_name(st.find(qn("w:rPr"))),
                based.get(qn("w:val")) if based is not None else None,
            )
        defaults = doc.styles.element.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
        self.default = _rfonts_name(defaults)
        self.default_pstyle = next(
            (st.get(qn("w:styleId")) for st in doc.styles.element.findall(qn("w:style"))
             if st.get(qn("w:type")) == "paragraph" and st.get(qn("w:default")) in ("1", "true")),
            None,
        )
        self._cache: dict[tuple[str | None, str | None, str | None], str | None] = {}

    def _style_font(self, style_id: str | None) -> str | None:
        seen = 0
        while style_id and style_id in self.styles and seen < 20:
            font, style_id = self.styles[style_id][0], self.styles[style_id][1]
            if font:
                return font
            seen += 1
        return None

    def text_font(self, t: etree._Element) -> str | None:
        """The font of the run holding the ``w:t`` element ``t``."""
        r = t.getparent()
        rpr = r.find(qn("w:rPr")) if r is not None else None
        own = _rfonts_name(rpr)
        p = next((a for a in t.iterancestors(qn("w:p"))), None)
        pstyle = (_style_id(p) if p is not None else None) or self.default_pstyle
        key = (own, _run_style_id(r) if r is not None else None, pstyle)
        if key not in self._cache:
            self._cache[key] = (own or self._style_font(key[1]) or self._style_font(pstyle)
                                or self.default)
        return self._cache[key]

    def body_runs(self, el: etree._Element) -> Iterator[tuple[str, str | None]]:
        """(text, font) of every text element under ``el``, soft hyphens included."""
        for t in el.iter(qn("w:t"), qn("w:softHyphen")):
            text = "\u00ad" if t.tag == qn("w:softHyphen") else t.text
            if text:
                yield text, self.text_font(t)


def _rfonts_name(rpr: etree._Element | None) -> str | None:
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    if fonts is None:
        return None
    return fonts.get(qn("w:hAnsi")) or fonts.get(qn("w:ascii"))
