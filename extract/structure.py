"""RawDocument → Document: header, body, footer, appendices, section tree."""

from __future__ import annotations

import re
from dataclasses import replace

from extract.header import (
    doc_types,
    find_footer,
    parse_footer,
    parse_header,
    sentence_case,
    split_number,
)
from extract.model import Block, Document, Footnote, Header, RawDocument, Signature
from extract.paragraphs import blanks_are_breaks, join_lines
from extract.sections import build_sections

_PROVINCE = re.compile(r"\b(tỉnh|thành phố)\s+((?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]+)(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){0,3})")


def build_document(raw: RawDocument, *, sha256: str | None = None) -> Document:
    blocks = list(raw.blocks)
    breaks = blanks_are_breaks(blocks)
    header, body_start = parse_header(blocks, breaks)
    footer = find_footer(blocks, body_start)
    if footer:
        f_start, f_end = footer
        body = blocks[body_start:f_start] + blocks[f_end:]
        signature, cc = parse_footer(blocks[f_start:f_end])
    else:
        body = blocks[body_start:]
        signature, cc = None, ()
    built = build_sections(join_lines(body))
    header = _apply_stamps(header, raw.stamped)
    header = _infer_issuer(header, signature, built.text)
    header = _infer_doc_type(header, built.text)
    footnotes = tuple(_place_footnote(fn, built.sections) for fn in raw.footnotes)
    return Document(
        source=raw.source, format=raw.format, text=built.text, header=header,
        signature=signature, cc=cc, sections=tuple(built.sections), tables=tuple(built.tables),
        footnotes=footnotes, pages=raw.pages, warnings=raw.warnings, sha256=sha256,
    )


def _apply_stamps(header: Header, stamped: tuple[tuple[str, str], ...]) -> Header:
    """Số and date stamped on signed PDFs after signing win over the blank printed ones."""
    values = dict(stamped)
    if "number_raw" in values and header.number is None:
        number, symbol = split_number(values["number_raw"])
        header = replace(header, number_raw=values["number_raw"], number=number,
                         symbol=symbol or header.symbol)
    if "date" in values and (header.date is None or len(header.date) < 10):
        header = replace(header, date=values["date"])
    return header


def _infer_issuer(header: Header, sig: Signature | None, text: str) -> Header:
    """A document without a printed header (an extract starting at its body) still names
    its issuer in the signature ("TM. ỦY BAN NHÂN DÂN") and its jurisdiction in the text."""
    if header.issuer or sig is None:
        return header
    tm = next((a for a in sig.authority if a.upper().startswith(("TM.", "T/M"))), None)
    if not tm:
        return header
    body = tm.split(None, 1)[1] if " " in tm else ""
    place = _main_jurisdiction(text)
    name = sentence_case(body + (f" {place[0]} {place[1]}" if place else ""))
    if place:
        name = name[: -len(place[1])] + place[1]
    return replace(header, issuer_name=name)


def _infer_doc_type(header: Header, text: str) -> Header:
    """Without a type line, a document still names itself: "Kế hoạch này", "Trên đây là
    Kế hoạch …"."""
    if header.doc_type:
        return header
    counts: dict[str, int] = {}
    for t in doc_types():
        word = t.word.capitalize()
        pat = rf"\b{re.escape(word)}\s+này\b|Trên đây là\s+{re.escape(word)}\b"
        n = len(re.findall(pat, text, flags=re.I))
        if n:
            counts[t.code] = n
    if not counts:
        return header
    return replace(header, doc_type=max(counts, key=counts.__getitem__))


def _main_jurisdiction(text: str) -> tuple[str, str] | None:
    counts: dict[tuple[str, str], int] = {}
    for m in _PROVINCE.finditer(text):
        key = (m.group(1), m.group(2))
        counts[key] = counts.get(key, 0) + 1
    if not counts:
        return None
    best = max(counts.items(), key=lambda kv: kv[1])
    return best[0] if best[1] >= 2 else None


def _place_footnote(fn: Footnote, sections: list) -> Footnote:
    if fn.offset is None or fn.section_id is not None:
        return fn
    owner = None
    for s in sections:
        if s.start <= fn.offset <= s.end:
            owner = s.id  # the innermost (last started) section containing it
    return replace(fn, section_id=owner)


def blocks_from_text(text: str) -> list[Block]:
    """Lines of an already-normalized plain text as blocks (used by the text reader and
    tests)."""
    return [Block(line, kind="line") if line.strip() else Block("", kind="blank")
            for line in text.split("\n")]
