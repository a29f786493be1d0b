"""Agency mentions in Vietnamese administrative text.

:func:`find_agencies` scans the tokens of a text once. At each token every rule proposes a
match (a title before a body, an enumeration "các Sở: Tài chính, Tư pháp", a collective
"Ủy ban nhân dân các huyện, thành phố" or "các sở, ban, ngành", a gazetteer name or alias, a
structural name "Sở Du lịch"); the longest wins, ties go to the more specific rule. Offsets
always point into the text given.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extract.normalize import fold
from nlp.agency_rules import best, is_generic_span, may_start, slug
from nlp.gazetteer import entry_by_id, longest_name, surface_index, tokenize
from nlp.model import AgencyMention

_LOCAL_WORDS = {"sở", "tỉnh", "huyện", "xã", "phường", "quận", "thị", "đặc", "thành", "ủy"}
_PLACE_TAIL = re.compile(r"\b(?:tỉnh|thành phố|TP\.?)\s+([A-ZĐÂĂÊÔƠƯ]\w*(?:\s*-?\s*[A-ZĐ]\w*)*)")


# ------------------------------------------------------------------------------ public API


def find_agencies(text: str, *, jurisdiction: str | None = None) -> list[AgencyMention]:
    """Every agency mention in ``text``, in order, non-overlapping.

    ``jurisdiction`` (the issuer's province) does not change what is found; it is accepted so
    callers pass one context everywhere, and used by :func:`agency_key`.
    """
    del jurisdiction
    if len(text) <= 2000:  # headings, recipients and cells come back many times
        return list(_find_short(text))
    return _scan(text)


@lru_cache(maxsize=8192)
def _find_short(text: str) -> tuple[AgencyMention, ...]:
    return tuple(_scan(text))


def _scan(text: str) -> list[AgencyMention]:
    tokens = tokenize(text)
    out: list[AgencyMention] = []
    i = 0
    while i < len(tokens):
        if not may_start(tokens[i]):
            i += 1
            continue
        found = best(text, tokens, i)
        if found is None:
            i += 1
            continue
        i, mentions = found
        out.extend(mentions)
    return out


def canonicalize(name: str) -> tuple[str | None, str | None, str | None]:
    """(canonical, successor, agency_id) of one agency name, e.g. a table cell's entry."""
    tokens = tokenize(name)
    if not tokens:
        return None, None, None
    index = surface_index()
    exact = index.get(name.strip()) or index.get(fold(name))
    if exact is not None:
        return exact.name, exact.successor, exact.id
    whole = longest_name(name, tokens, 0, running=False)
    if whole is not None and whole[0] == len(tokens):
        entry = whole[1].entry
        return entry.name, entry.successor, entry.id
    mentions = find_agencies(name)
    specific = [m for m in mentions if not m.generic] or mentions
    if len(specific) != 1:
        return None, None, None
    m = specific[0]
    return m.canonical, m.successor, m.agency_id


def is_generic(name: str) -> bool:
    """True for vague references: "các cơ quan, đơn vị liên quan", "các cấp, các ngành"."""
    tokens = tokenize(name)
    return bool(tokens) and is_generic_span(tokens, 0, len(tokens))


def split_agency_list(cell: str) -> list[str]:
    """Names in a table cell ("Sở Nội vụ; Sở Tài chính", "Các Sở: Y tế, Tư pháp"), in order."""
    out: list[tuple[int, str]] = []
    pos = 0
    for m in find_agencies(cell):
        out.extend(_leftovers(cell, pos, m.start))
        name = m.canonical if m.rule == "enumeration" and m.canonical else m.text
        out.append((m.start, name))
        pos = m.end
    out.extend(_leftovers(cell, pos, len(cell)))
    return [name for _, name in out]


def agency_key(m: AgencyMention, jurisdiction: str | None) -> str:
    """Stable key: "bo-cong-an"; provincial bodies carry their province: "so-tu-phap@lam-dong"."""
    entry = entry_by_id().get(m.agency_id or "")
    if entry is not None and m.canonical == entry.name:
        base = entry.id
        local = entry.level in {"province", "district", "commune"} or entry.generic
        local = local and not (entry.kind == "ubnd" and not entry.generic)
    else:
        name = m.canonical or m.text
        base = slug(name)
        words = {t.low for t in tokenize(name)}
        local = bool(_LOCAL_WORDS & words) and "trung" not in words
        local = local and not _PLACE_TAIL.search(name)
    if not local:
        return base
    place_match = _PLACE_TAIL.search(m.text)
    place = place_match.group(1) if place_match else jurisdiction
    return f"{base}@{slug(place)}" if place else base


def _leftovers(cell: str, start: int, end: int) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for m in re.finditer(r"[^;,\n]+", cell[start:end]):
        chunk = m.group().strip(" .:-–+()")
        if any(w[:1].isupper() for w in chunk.split()):
            out.append((start + m.start(), chunk))
    return out
