"""Stable keys: document ids, agency keys, symbol keys for citation matching.

Everything that decides what a row's key is lives here, so a change of policy (for
example switching to the gazetteer's ``nlp.agencies.agency_key``) happens in one place.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Callable
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

from extract.normalize import fold
from nlp.model import AgencyMention

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_NOT_ID = re.compile(r"[^a-z0-9._-]+")

# Bodies of the central state and party: one body for the whole country, no jurisdiction.
_NATIONAL_PREFIXES = (
    "bo ", "chinh phu", "thu tuong", "pho thu tuong", "van phong chinh phu", "quoc hoi",
    "uy ban thuong vu quoc hoi", "ban chap hanh trung uong", "ban bi thu", "bo chinh tri",
    "chu tich nuoc", "van phong chu tich nuoc", "toa an nhan dan toi cao",
    "vien kiem sat nhan dan toi cao", "kiem toan nha nuoc", "ngan hang nha nuoc",
    "thanh tra chinh phu", "uy ban trung uong",
)
_DISTRICT = re.compile(r"\b(huyen|quan|thi xa|cap huyen)\b")
_COMMUNE = re.compile(r"\b(xa|phuong|thi tran|cap xa)\b")


def slug(text: str) -> str:
    """Accent-less lower-case words joined by '-': "Sở Tư pháp" → "so-tu-phap"."""
    return _NOT_SLUG.sub("-", fold_name(text)).strip("-")


def doc_id_for(path: str | Path) -> str:
    """Stable document id from the source file name (extension kept, so a.pdf ≠ a.docx).

    "000_84caea610c60ea8e.txt" → "000_84caea610c60ea8e.txt"; "Kế hoạch 12.pdf" →
    "ke-hoach-12.pdf". Re-ingesting a changed file keeps its id and replaces its rows.
    """
    return _NOT_ID.sub("-", fold(Path(path).name)).strip("-.") or "document"


def agency_level(name: str, jurisdiction: str | None, agency_id: str | None = None
                 ) -> str | None:
    """The gazetteer's level (central, province, district, commune, party, mass-org) when
    the agency is in it; else a guess from the name's words."""
    entries = _gazetteer_entries()
    if agency_id and entries and agency_id in entries:
        return entries[agency_id].level
    folded = fold_name(name)
    if folded.startswith(_NATIONAL_PREFIXES):
        return "central"
    if _COMMUNE.search(folded):
        return "commune"
    if _DISTRICT.search(folded):
        return "district"
    return "province" if jurisdiction else None


@functools.cache
def _gazetteer_entries() -> dict[str, Any] | None:
    try:
        from nlp.gazetteer import entry_by_id
    except ImportError:
        return None
    return entry_by_id()


def local_agency_key(m: AgencyMention, jurisdiction: str | None) -> str:
    """slug(canonical name) + '@' + slug(jurisdiction) for bodies below the centre.

    "Sở Tư pháp" in Tuyên Quang → "so-tu-phap@tuyen-quang"; "Bộ Công an" → "bo-cong-an".
    """
    name = m.canonical or m.text
    base = slug(name) or "agency"
    if jurisdiction and agency_level(name, jurisdiction) != "central":
        return f"{base}@{slug(jurisdiction)}"
    return base


@functools.cache
def _gazetteer_key() -> Callable[[AgencyMention, str | None], str] | None:
    try:
        from nlp import agencies  # written alongside; optional until it lands
    except ImportError:
        return None
    return getattr(agencies, "agency_key", None)


def agency_key(m: AgencyMention, jurisdiction: str | None) -> str:
    """The key of the agency a mention names: the gazetteer's when available."""
    # offsets and rule do not decide the key; dropping them lets repeated names hit the cache
    return _agency_key(replace(m, start=0, end=0, rule="", section_id=None), jurisdiction)


@functools.lru_cache(maxsize=4096)
def _agency_key(m: AgencyMention, jurisdiction: str | None) -> str:
    key_fn = _gazetteer_key()
    return key_fn(m, jurisdiction) if key_fn else local_agency_key(m, jurisdiction)


@functools.lru_cache(maxsize=8192)
def fold_name(name: str) -> str:
    """:func:`fold` cached, for the short strings that repeat (agency names, headings)."""
    return fold(name)


@functools.cache
def _gazetteer_canonicalize() -> Callable[[str], tuple[str | None, ...]] | None:
    try:
        from nlp import agencies
    except ImportError:
        return None
    return getattr(agencies, "canonicalize", None)


def successor_mention(m: AgencyMention) -> AgencyMention:
    """A mention of the body that ``m``'s agency became (gazetteer id looked up by name)."""
    assert m.successor is not None
    return _successor_mention(m.successor)


@functools.lru_cache(maxsize=1024)
def _successor_mention(name: str) -> AgencyMention:
    lookup = _gazetteer_canonicalize()
    agency_id = lookup(name)[2] if lookup else None
    return AgencyMention(text=name, start=0, end=0, canonical=name, successor=None,
                         agency_id=agency_id, generic=False, rule="successor")


_NUMBER_SYMBOL = re.compile(
    r"^\s*(?P<number>\d+[a-z]?)\s*[/-]\s*(?:(?P<year>(?:19|20)\d\d)\s*/\s*)?(?P<symbol>.+?)\s*$",
    re.IGNORECASE,
)
_LEADING_YEAR = re.compile(r"^(?:19|20)\d\d\s*/\s*")


def symbol_key(symbol: str | None) -> str | None:
    """Symbol folded for matching: "QĐ-TTg" → "qd-ttg"; "2022/NĐ-CP" → "nd-cp"."""
    if not symbol:
        return None
    folded = re.sub(r"\s+", "", fold(symbol))
    return _LEADING_YEAR.sub("", folded) or None


def split_citation_key(key: str) -> tuple[str | None, int | None, str | None]:
    """"42/2022/NĐ-CP" → ("42", 2022, "nd-cp"); "48-NQ/TU" → ("48", None, "nq/tu")."""
    m = _NUMBER_SYMBOL.match(key)
    if not m:
        return None, None, symbol_key(key)
    year = int(m["year"]) if m["year"] else None
    return m["number"], year, symbol_key(m["symbol"])


@functools.cache
def doc_type_labels() -> dict[str, str]:
    """Type code → name ("quyet_dinh" → "Quyết định"), from the NLP stage's data file."""
    text = resources.files("nlp.data").joinpath("doc_types.csv").read_text(encoding="utf-8")
    return {row["id"]: row["name"] for row in csv.DictReader(io.StringIO(text))}


def doc_type_name_sql(code: str, printed: str) -> str:
    """SQL naming a document's type from its code ("ke_hoach" → "Kế hoạch"), so one type
    reads the same whether its heading said "KẾ HOẠCH", "Kế hoạch" or nothing (a letter);
    the printed label for a code the data file lacks."""
    cases = " ".join(f"WHEN '{k}' THEN '{v.replace(chr(39), chr(39) * 2)}'"
                     for k, v in doc_type_labels().items())
    return f"CASE {code} {cases} ELSE {printed} END"


def doc_type_label(code: str | None) -> str | None:
    if not code:
        return None
    return doc_type_labels().get(code, code.replace("_", " ").capitalize())
