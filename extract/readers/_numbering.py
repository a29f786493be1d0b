"""Word automatic numbering: render the list labels Word shows but python-docx does not.

``numbering.xml`` holds abstract list definitions (``w:abstractNum``: per level a number
format, a label template such as ``"%1.%2."`` and a start value) and list instances
(``w:num``) that point to one of them, possibly overriding start values. A paragraph joins
a list through ``w:numPr`` (``numId`` + ``ilvl``), directly or through its paragraph style.

Counting follows Word: list instances that share an abstract definition and carry no
``startOverride`` share one set of counters; an instance with a ``startOverride`` counts on
its own (that is how Word's "Restart at 1" is stored). Advancing a level resets the deeper
levels (unless ``w:lvlRestart`` says otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from docx.oxml.ns import qn
from lxml import etree

_BULLETS_KEPT = {"-", "+", "•", "*"}

StyleNumPr = dict[str, tuple[str, int | None]]  # paragraph style id → (numId, ilvl)


@dataclass(frozen=True)
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level; 0 = never
    is_legal: bool = False


def _val(el: etree._Element | None, tag: str, default: str | None = None) -> str | None:
    if el is None:
        return default
    child = el.find(qn(tag))
    if child is None:
        return default
    return child.get(qn("w:val"), default)


def _parse_level(lvl: etree._Element, base: Level | None = None) -> Level:
    base = base or Level()
    start = _val(lvl, "w:start")
    restart = _val(lvl, "w:lvlRestart")
    text_el = lvl.find(qn("w:lvlText"))
    return Level(
        fmt=_val(lvl, "w:numFmt", base.fmt) or "decimal",
        text=text_el.get(qn("w:val"), "") if text_el is not None else base.text,
        start=int(start) if start and start.lstrip("-").isdigit() else base.start,
        restart=int(restart) if restart and restart.isdigit() else base.restart,
        is_legal=lvl.find(qn("w:isLgl")) is not None,
    )


def _levels_of(abstract: etree._Element) -> dict[int, Level]:
    levels: dict[int, Level] = {}
    for lvl in abstract.findall(qn("w:lvl")):
        ilvl = int(lvl.get(qn("w:ilvl"), "0"))
        levels[ilvl] = _parse_level(lvl)
    return levels


def _to_letters(n: int) -> str:
    """Word's letter numbering: a..z, then aa..zz, aaa… (repeated letter, not base 26)."""
    if n <= 0:
        return str(n)
    letter = chr(ord("a") + (n - 1) % 26)
    return letter * ((n - 1) // 26 + 1)


def _to_roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = []
    for value, sym in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def format_number(n: int, fmt: str) -> str:
    """One counter value in a Word ``numFmt`` (unknown formats fall back to decimal)."""
    if fmt == "lowerLetter":
        return _to_letters(n)
    if fmt == "upperLetter":
        return _to_letters(n).upper()
    if fmt == "lowerRoman":
        return _to_roman(n)
    if fmt == "upperRoman":
        return _to_roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


def bullet_label(symbol: str) -> str:
    """A bullet as plain text: ``-``, ``+``, ``•``, ``*`` kept; symbol-font glyphs → ``-``."""
    symbol = symbol.strip().replace("–", "-").replace("−", "-")
    return symbol if symbol in _BULLETS_KEPT else "-"


@dataclass
class _Instance:
    abstract_id: str
    overrides: dict[int, Level] = field(default_factory=dict)
    own_counters: bool = False


class Numbering:
    """Counters over one document; call :meth:`label` for each paragraph in reading order."""

    def __init__(self, numbering_xml: etree._Element | None, style_numpr: StyleNumPr):
        self._abstract: dict[str, dict[int, Level]] = {}
        self._instances: dict[str, _Instance] = {}
        self._style_numpr = style_numpr
        self._counters: dict[str, dict[int, int]] = {}
        if numbering_xml is not None:
            self._load(numbering_xml)

    def _load(self, root: etree._Element) -> None:
        for abstract in root.findall(qn("w:abstractNum")):
            self._abstract[abstract.get(qn("w:abstractNumId"), "")] = _levels_of(abstract)
        for num in root.findall(qn("w:num")):
            abstract_id = _val(num, "w:abstractNumId", "") or ""
            inst = _Instance(abstract_id)
            for ov in num.findall(qn("w:lvlOverride")):
                ilvl = int(ov.get(qn("w:ilvl"), "0"))
                base = self._abstract.get(abstract_id, {}).get(ilvl, Level())
                lvl = ov.find(qn("w:lvl"))
                level = _parse_level(lvl, base) if lvl is not None else base
                start = _val(ov, "w:startOverride")
                if start is not None and start.isdigit():
                    level = replace(level, start=int(start))
                    inst.own_counters = True
                inst.overrides[ilvl] = level
            self._instances[num.get(qn("w:numId"), "")] = inst

    def _level(self, inst: _Instance, ilvl: int) -> Level:
        if ilvl in inst.overrides:
            return inst.overrides[ilvl]
        return self._abstract.get(inst.abstract_id, {}).get(ilvl, Level())

    def _advance(self, key: str, inst: _Instance, ilvl: int) -> dict[int, int]:
        counters = self._counters.setdefault(key, {})
        level = self._level(inst, ilvl)
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [k for k in counters if k > ilvl]:
            restart = self._level(inst, deeper).restart
            if restart is None or (restart != 0 and ilvl + 1 <= restart):
                del counters[deeper]
        return counters

    def label(self, num_id: str | None, ilvl: int | None, style_id: str | None) -> str | None:
        """The rendered label for a paragraph (``"1."``, ``"a)"``, ``"-"``) or None."""
        if num_id is None and style_id in self._style_numpr:
            num_id, style_ilvl = self._style_numpr[style_id]
            ilvl = style_ilvl if ilvl is None else ilvl
        if num_id is None or num_id == "0" or num_id not in self._instances:
            return None
        ilvl = ilvl or 0
        inst = self._instances[num_id]
        level = self._level(inst, ilvl)
        key = f"num:{num_id}" if inst.own_counters else f"abs:{inst.abstract_id}"
        counters = self._advance(key, inst, ilvl)
        if level.fmt == "bullet":
            return bullet_label(level.text)
        out = level.text
        for i in range(9):
            if f"%{i + 1}" not in out:
                continue
            fmt = "decimal" if level.is_legal else self._level(inst, i).fmt
            value = counters.get(i, self._level(inst, i).start)
            out = out.replace(f"%{i + 1}", format_number(value, fmt))
        return out.strip() or None
