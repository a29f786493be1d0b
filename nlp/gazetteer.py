"""The agency gazetteer and pattern data, loaded lazily from ``nlp/data``.

``agencies.csv`` holds one row per body (``id`` is a stable slug); ``agency_patterns.yaml``
holds the words of agency names (head nouns, titles, collective words, stop words). Text is
tokenized once into :class:`Token` records that keep offsets into the original string; names
are looked up on the folded (accent-less, lower-case) form of the tokens, so case and tone
placement do not matter.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any, NamedTuple

from extract.normalize import fold
from nlp.langdata import parse_yaml

_WORD = re.compile(r"\w+")
# What may stand between two words of one name: spaces (one line break), & - – , . /
# (a PDF's soft line wrap may leave a blank line inside a name)
_NAME_GAP = re.compile(r"[ \t]*(?:\n[ \t]*){0,2}(?:[&\-–,./][ \t]*\n?[ \t]*)?")
_PAREN = re.compile(r"\s*\([^)]*\)")


class Token(NamedTuple):
    """One word (a tuple: building millions of frozen dataclasses costs more than the scan)."""

    start: int
    end: int
    text: str  # as written
    low: str  # lower case, accents kept: compared with pattern words
    key: str  # folded: compared with gazetteer names
    gap: str  # the text between the previous token and this one


def tokenize(text: str) -> list[Token]:
    out: list[Token] = []
    append, fold_word = out.append, _fold_word
    prev = 0
    for m in _WORD.finditer(text):
        start, end = m.span()
        word = m.group()
        append(Token(start, end, word, word.lower(), fold_word(word), text[prev:start]))
        prev = end
    return out


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=4096)
def name_gap(gap: str) -> bool:
    """True when ``gap`` may separate two words of one name."""
    return _NAME_GAP.fullmatch(gap) is not None


def is_titlecase(word: str) -> bool:
    return word[:1].isupper()


def is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


@dataclass(frozen=True)
class Entry:
    id: str
    canonical_name: str  # as in the CSV, maybe with a "(generic)" note
    name: str  # the canonical name without the note
    level: str
    kind: str
    aliases: tuple[str, ...]
    successor: str | None  # display name of the successor; None if unchanged or abolished
    abolished: bool
    valid_from: str
    valid_to: str

    @property
    def generic(self) -> bool:
        return "(generic" in self.canonical_name


@dataclass(frozen=True)
class Surface:
    """One way of writing an entry's name (its canonical name or an alias)."""

    entry: Entry
    written: str
    exact: bool  # an all-capital short form: must match the text exactly ("TU" ≠ "từ")
    in_text: bool  # matched in running text (place names and vague words are not)


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    surfaces: list[Surface] = field(default_factory=list)


def display(name: str) -> str:
    """The canonical name without its bracketed note: "Phòng Y tế (cấp huyện)" → "Phòng Y tế"."""
    return _PAREN.sub("", name).strip()


def name_keys(name: str) -> tuple[str, ...]:
    """Folded words of a name; "và" is dropped since texts add or omit it."""
    return tuple(k for k in (fold(w) for w in _WORD.findall(name)) if k != "va")


@cache
def patterns() -> dict[str, Any]:
    path = resources.files("nlp") / "data" / "agency_patterns.yaml"
    return parse_yaml(path.read_text(encoding="utf-8"))


@cache
def entries() -> tuple[Entry, ...]:
    path = resources.files("nlp") / "data" / "agencies.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return tuple(_entry(row) for row in csv.DictReader(f))


def _entry(row: dict[str, str]) -> Entry:
    succ = row["successor"].strip()
    return Entry(
        id=row["id"],
        canonical_name=row["canonical_name"],
        name=display(row["canonical_name"]),
        level=row["level"],
        kind=row["kind"],
        aliases=tuple(a.strip() for a in row["aliases"].split(";") if a.strip()),
        successor=display(succ) if succ and succ != "ABOLISHED" else None,
        abolished=succ == "ABOLISHED",
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
    )


@cache
def entry_by_id() -> dict[str, Entry]:
    return {e.id: e for e in entries()}


@cache
def entry_by_name() -> dict[tuple[str, ...], Entry]:
    """Folded canonical name (without note) → entry."""
    out: dict[tuple[str, ...], Entry] = {}
    for e in entries():
        out.setdefault(name_keys(e.name), e)
    return out


def _in_text(entry: Entry, alias: str) -> bool:
    if fold(alias) in {fold(a) for a in patterns()["aliases_not_in_text"]}:
        return False
    if entry.kind == "ubnd" and entry.level == "province" and not entry.generic:
        return fold(alias).startswith(("ubnd", "uy ban"))  # bare place names are not bodies
    return True


def _surfaces() -> list[Surface]:
    out: list[Surface] = []
    for e in entries():
        out.extend(Surface(e, v, False, True) for v in _variants(e.name))
        for alias in e.aliases:
            exact = " " not in alias and alias == alias.upper()
            out.extend(Surface(e, v, exact, _in_text(e, alias)) for v in _variants(alias))
    return out


def _variants(name: str) -> list[str]:
    """The name, and the name with its short forms expanded or contracted ("UBND" ↔ …)."""
    out = [name]
    for short, long in patterns()["abbreviations"].items():
        if len(short) < 3 or " " not in long:
            continue
        for a, b in ((short, long), (long, short)):
            v = re.sub(rf"(?<!\w){re.escape(a)}(?!\w)", b, out[0], flags=re.IGNORECASE)
            if v != out[0] and v not in out:
                out.append(v)
    return out


def _rank(s: Surface) -> tuple[bool, bool]:
    # shared aliases: prefer the body still in existence, then the CSV order
    return (bool(s.entry.valid_to), s.written != s.entry.name)


@cache
def trie() -> _Node:
    root = _Node()
    for s in _surfaces():
        node = root
        for k in name_keys(display(s.written)):
            node = node.children.setdefault(k, _Node())
        node.surfaces.append(s)
    _sort(root)
    return root


def _sort(node: _Node) -> None:
    node.surfaces.sort(key=_rank)
    for child in node.children.values():
        _sort(child)


@cache
def surface_index() -> dict[str, Entry]:
    """Folded name or alias, as written (with any bracketed note) → entry."""
    out: dict[str, Entry] = {}
    for s in sorted(_surfaces(), key=_rank):
        out.setdefault(s.written if s.exact else fold(s.written), s.entry)
    return out


def _usable(s: Surface, text: str, start: int, end: int, running: bool) -> bool:
    if running and not s.in_text:
        return False
    return not s.exact or text[start:end] == s.written


def longest_name(
    text: str, tokens: Sequence[Token], i: int, *, running: bool = True
) -> tuple[int, Surface] | None:
    """The longest gazetteer name starting at token ``i``: (index after it, surface)."""
    node = trie()
    best: tuple[int, Surface] | None = None
    j = i
    while j < len(tokens):
        tok = tokens[j]
        if j > i and not name_gap(tok.gap):
            break
        child = node.children.get(tok.key)
        if child is None and tok.low == "và" and j > i:
            j += 1  # "và" is optional inside names
            continue
        if child is None:
            break
        node, j = child, j + 1
        for s in node.surfaces:
            if _usable(s, text, tokens[i].start, tokens[j - 1].end, running):
                best = (j, s)
                break
    return best


def phrase_set(key: str) -> dict[tuple[str, ...], Any]:
    """A list of phrases (or of {phrase: …} maps) from the YAML, keyed by lower-case words."""
    return _phrase_set(key)


@cache
def _phrase_set(key: str) -> dict[tuple[str, ...], Any]:
    out: dict[tuple[str, ...], Any] = {}
    for item in patterns()[key]:
        phrase = item["phrase"] if isinstance(item, dict) else item
        words = tuple(w.lower() for w in _WORD.findall(str(phrase)))
        if words:
            out[words] = item
    return out


def match_phrase(
    tokens: Sequence[Token], i: int, key: str, *, gaps: bool = False
) -> tuple[int, Any] | None:
    """The longest phrase of YAML list ``key`` at token ``i`` (compared on ``Token.low``)."""
    if i >= len(tokens) or tokens[i].low not in _first_words(key):
        return None
    table, prefixes = _phrase_set(key), _prefixes(key)
    best: tuple[int, Any] | None = None
    words: tuple[str, ...] = ()
    for j in range(i, len(tokens)):
        tok = tokens[j]
        if j > i and not (name_gap(tok.gap) if gaps else _space(tok)):
            break
        words += (tok.low,)
        if words not in prefixes:
            break  # no longer phrase starts with these words
        if words in table:
            best = (j + 1, table[words])
    return best


def _space(tok: Token) -> bool:
    return tok.gap.strip(" \t-") == "" and tok.gap.count("\n") <= 1


@cache
def _first_words(key: str) -> frozenset[str]:
    return frozenset(k[0] for k in _phrase_set(key))


@cache
def _prefixes(key: str) -> frozenset[tuple[str, ...]]:
    return frozenset(k[:n] for k in _phrase_set(key) for n in range(1, len(k) + 1))
