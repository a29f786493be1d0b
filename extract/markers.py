"""Section markers of the official format (NĐ 30/2020, Phụ lục I) and common practice.

``match_marker(text)`` recognizes the marker at the start of a paragraph and returns its
kind, label and the length of the marker (so the heading is ``text[length:]``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ROMAN = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"
_VN_LETTERS = "abcdđeghiklmnopqrstuvxy"

# Order matters: first match wins.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("phan", re.compile(rf"^(Phần|PHẦN)\s+(thứ\s+\w+|THỨ\s+\w+|{_ROMAN}|\d+)\b\.?\s*[:.\-–]?\s*")),
    ("chuong", re.compile(rf"^(Chương|CHƯƠNG)\s+({_ROMAN}|\d+|thứ\s+\w+)\b\.?\s*[:.\-–]?\s*")),
    ("muc", re.compile(r"^(Mục|MỤC)\s+(\d+|[IVX]+)\b\.?\s*[:.\-–]?\s*")),
    ("appendix", re.compile(r"^(Phụ lục|PHỤ LỤC)(\s+(số\s+)?(\d+[a-z]?|[IVXLC]+|[A-Z]))?\b\.?\s*[:.\-–]?\s*")),
    ("dieu", re.compile(r"^(Điều|ĐIỀU)\s+(\d+[a-z]?)\s*[.:]\s*")),
    ("roman", re.compile(rf"^({_ROMAN})\s*[.\-–/]\s*(?=\S)")),
    ("decimal", re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,4})\.?(?=\s)\s*")),
    ("arabic", re.compile(r"^(\d{1,2})\s*[.)]\s*(?=\S)(?!\d)")),
    ("paren", re.compile(r"^\((\d{1,2}|[a-zđ])\)\s*")),
    ("letter", re.compile(rf"^([{_VN_LETTERS}])\s*\)\s*")),
    ("upper", re.compile(r"^([A-E])\.\s+(?=[A-ZĐÀ-Ỹ]{2})")),
    ("dash", re.compile(r"^[-–—‐−•·●▪◦]\s*(?=\S)")),
    ("plus", re.compile(r"^\+\s*(?=\S)")),
    ("star", re.compile(r"^\*\s+(?=\S)")),
]

# Relative depth used when a kind is first met under a parent (smaller = outer).
KIND_RANK = {
    "phan": 0, "chuong": 1, "muc": 2, "appendix": 0, "dieu": 3, "roman": 3, "upper": 3,
    "arabic": 5, "decimal": 6, "paren": 7, "letter": 8, "dash": 9, "plus": 10, "star": 11,
    "para": 12,
}
HEADING_KINDS = {"phan", "chuong", "muc", "appendix", "dieu", "roman", "upper"}
LIST_KINDS = {"dash", "plus", "star"}


@dataclass(frozen=True)
class Marker:
    kind: str
    label: str  # the marker as printed, stripped ("II.", "1.1.", "a)", "-")
    key: str  # the value used in section ids ("II", "1.1", "a", "-")
    length: int  # characters of text taken by the marker and its trailing space

    @property
    def depth(self) -> int:
        """Nesting inside its kind (only decimals have more than one level)."""
        return self.key.count(".") + 1 if self.kind == "decimal" else 1


def match_marker(text: str) -> Marker | None:
    """The section marker that opens ``text``, if any."""
    for kind, pat in _PATTERNS:
        m = pat.match(text)
        if not m:
            continue
        if kind == "roman" and not m.group(1):
            continue
        if kind in ("phan", "chuong") and not m.group(2).strip():
            continue  # "Phần mềm …", "Chương trình …" are words, not divisions
        if kind == "roman" and not _looks_like_roman_heading(text[m.end():]):
            continue
        if kind == "appendix" and not _looks_like_appendix_heading(text, m):
            continue
        label = text[: m.end()].strip()
        return Marker(kind, label, _key(kind, m), m.end())
    return None


def _key(kind: str, m: re.Match[str]) -> str:
    if kind in ("phan", "chuong", "muc"):
        return m.group(2).upper() if kind != "muc" else m.group(2)
    if kind == "appendix":
        return (m.group(4) or "").upper() or "PL"
    if kind == "dieu":
        return m.group(2)
    if kind in ("roman", "decimal", "arabic", "paren", "letter", "upper"):
        return m.group(1)
    return {"dash": "-", "plus": "+", "star": "*"}[kind]


def _looks_like_roman_heading(rest: str) -> bool:
    # "I. MỤC ĐÍCH" or "I. Mục đích" — the next word starts with a capital letter.
    rest = rest.lstrip()
    return bool(rest) and (rest[0].isupper() or rest[0].isdigit())


def _looks_like_appendix_heading(text: str, m: re.Match[str]) -> bool:
    # A heading "PHỤ LỤC 02" / "Phụ lục I: …", not a sentence "Phụ lục này quy định …".
    rest = text[m.end():].strip()
    if text.startswith("PHỤ LỤC"):
        return True
    return bool(m.group(4)) and (not rest or rest[0].isupper() or rest[0] in "(:")
