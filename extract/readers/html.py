"""HTML reader: a saved web page (typically a legal portal's) read like portal Markdown.

The page is flattened into the line form the Markdown reader already understands — one line
per paragraph, each leaf table written as ``|``-per-line cells — then the portal's chrome is
dropped (``_portal``) and the lines become blocks (``text._markdown_blocks``). Scripts,
styles, forms and navigation are never read. A table that holds other tables is page
layout: its cells are read as plain lines.
"""

from __future__ import annotations

from pathlib import Path

import lxml.html
from lxml import etree

from extract.errors import CorruptFileError, NoContentError
from extract.model import RawDocument
from extract.normalize import normalize_text
from extract.readers._portal import strip_portal_chrome
from extract.readers.text import _markdown_blocks

_SKIP = {"script", "style", "noscript", "head", "nav", "form", "button", "iframe", "svg",
         "select", "option", "template", "input", "textarea"}
_BLOCK = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
          "article", "blockquote", "center", "pre", "dd", "dt", "dl", "header", "footer",
          "main", "aside", "figure", "figcaption", "address", "hr", "table", "tbody", "thead"}


def read_html(path: Path) -> RawDocument:
    """Read a .html page into blocks, without the portal's chrome."""
    path = Path(path)
    try:
        root = lxml.html.document_fromstring(path.read_bytes())
    except (etree.ParserError, ValueError) as exc:
        raise CorruptFileError(path, f"cannot parse the HTML page ({exc})") from exc
    lines = normalize_text("\n".join(html_lines(root))).split("\n")
    page = strip_portal_chrome(lines)
    blocks = tuple(_markdown_blocks(page.lines))
    if not any(b.text or b.rows for b in blocks):
        raise NoContentError(path, "the HTML page holds no text")
    return RawDocument(source=path.name, format="html", blocks=blocks,
                       warnings=page.warnings, stamped=page.stamped)


def html_lines(root: etree._Element) -> list[str]:
    """The page's visible text as Markdown-like lines (see module docstring)."""
    out = _Lines()
    body = root.find("body")
    out.walk(body if body is not None else root)
    out.flush()
    return out.lines


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buf = ""

    def flush(self) -> None:
        text = " ".join(self.buf.split())
        if text:
            self.lines.append(_escape(text))
        self.buf = ""

    def walk(self, el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag in _SKIP:  # comments, processing instructions, scripts …
            return
        if tag == "br":
            self.flush()
        elif tag == "table" and el.find(".//table") is None:
            self.flush()
            self._table(el)
            return
        elif tag in _BLOCK:
            self.flush()
        self.buf += el.text or ""
        for child in el:
            self.walk(child)
            self.buf += child.tail or ""
        if tag in _BLOCK:
            self.flush()

    def _table(self, table: etree._Element) -> None:
        for tr in table.iter("tr"):
            self.lines.append("|")
            for cell in tr:
                if cell.tag not in ("td", "th"):
                    continue
                inner = _Lines()
                inner.walk(cell)
                inner.flush()
                self.lines.extend(inner.lines or ["** **"])  # an empty cell, as portals write it
                self.lines.append("|")
        self.lines.append("")


def _escape(text: str) -> str:
    """Keep page text from reading as Markdown emphasis, headings or pipes."""
    text = text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")
    if text.startswith("#"):
        text = "\\" + text
    return "\\|" if text == "|" else text
