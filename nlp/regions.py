"""Which parts of a document assign work, which report, which set objectives.

Decided from section headings (``nlp/data/sections.yaml``): the nearest ancestor whose
heading names a region decides; a heading naming two (e.g. "TÌNH HÌNH THỰC HIỆN CÁC
NHIỆM VỤ") is decided by the word that comes first.
"""

from __future__ import annotations

from functools import cache

from extract.model import Document, Section
from extract.normalize import fold
from nlp.langdata import load_yaml


@cache
def section_rules() -> dict:
    return load_yaml("sections.yaml")


def heading_region(heading: str) -> str | None:
    """ "report", "objectives", "directive" or None for one heading."""
    h = fold(heading)
    found: dict[str, int] = {}
    for region in ("report", "context", "objectives", "directive"):
        for kw in section_rules()[region]:
            pos = _word_find(h, kw)
            if pos >= 0 and pos < found.get(region, len(h) + 1):
                found[region] = pos
    if "objectives" in found and "directive" in found:
        del found["objectives"]  # "CHỈ TIÊU, NHIỆM VỤ": its items assign work
    return min(found, key=found.__getitem__) if found else None


def _word_find(text: str, kw: str) -> int:
    start = 0
    while True:
        pos = text.find(kw, start)
        if pos < 0:
            return -1
        before = text[pos - 1] if pos else " "
        after = text[pos + len(kw)] if pos + len(kw) < len(text) else " "
        if not before.isalnum() and not after.isalnum():
            return pos
        start = pos + 1


_HEADING_KINDS = {
    "phan",
    "chuong",
    "muc",
    "appendix",
    "roman",
    "upper",
    "arabic",
    "decimal",
    "letter",
    "dieu",
}


_DIVISIONS = {"phan", "chuong"}
_REGULATIONS = {"quy_dinh", "quy_che", "luat", "nghi_dinh", "thong_tu", "thong_tu_lien_tich",
                "phap_lenh"}


class Regions:
    """Region of every section of one document."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.by_id = {s.id: s for s in doc.sections}
        self.children: dict[str | None, list[Section]] = {}
        for s in doc.sections:
            self.children.setdefault(s.parent, []).append(s)
        # a report reports; a regulation's articles are rules, not assignments, save
        # those whose heading says so ("Điều 15. Trách nhiệm của Sở …", "TỔ CHỨC THỰC HIỆN")
        default = {"bao_cao": "report"}.get(doc.header.doc_type or "", "directive")
        if doc.header.doc_type in _REGULATIONS:
            default = "context"
        self.default = default
        self._cache: dict[str, str] = {}

    def ancestors(self, s: Section) -> list[Section]:
        out = []
        p = s.parent
        while p is not None and p in self.by_id:
            out.append(self.by_id[p])
            p = self.by_id[p].parent
        return out

    def region(self, s: Section) -> str:
        if s.id in self._cache:
            return self._cache[s.id]
        result = None
        for a in self.ancestors(s):
            if a.kind in _HEADING_KINDS and len(a.heading) < 120 and self.children.get(a.id):
                r = heading_region(a.heading)
                if r and result is None:
                    result = r  # the nearest heading that names a region decides …
                elif r == "report" and a.kind in _DIVISIONS:
                    result = r  # … unless a whole division reports ("Phần I. ĐÁNH GIÁ …")
                    break
        result = result or self.default
        self._cache[s.id] = result
        return result
