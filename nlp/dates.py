"""Time expressions in Vietnamese administrative text: surface forms → calendar dates.

:func:`scan_times` lists every date, month, quarter, part of a year, year and period it
finds, each resolved to the last day it covers. Deciding which of them are deadlines is
:mod:`nlp.deadlines`' job. Patterns run on :func:`nlp.langdata.fold_keep` output, so
offsets are offsets into the original string.

Invalid dates (31/6, 29/2 in a common year) are *clamped* to the month's last day and
flagged with ``clamped=True``; impossible ones (month 13, day 0) are skipped.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from nlp.langdata import load_yaml


@dataclass(frozen=True)
class TimeExpr:
    start: int
    end: int
    date: str | None  # ISO, last day covered
    kind: str  # date, month, quarter, year, period
    rule: str
    has_year: bool = True
    clamped: bool = False


# ------------------------------------------------------------------ calendar helpers


def last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def safe_date(year: int, month: int, day: int) -> tuple[date, bool] | None:
    """A date, clamping a too-large day to the month's end; None when impossible."""
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2200):
        return None
    end = last_day(year, month)
    return date(year, month, min(day, end)), day > end


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, last_day(year, month)))


def add_working_days(d: date, n: int) -> date:
    """n working days after d (Saturday/Sunday skipped; public holidays are not known)."""
    while n > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def parse_iso(value: str | None) -> date | None:
    """'2025-03-07' → date; '2025-03' → first of month; '2025' → 1 Jan; else None."""
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value.strip())
    if not m:
        return None
    got = safe_date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    return got[0] if got else None


# ------------------------------------------------------------------ surface shapes

_L = r"(?<![\w/.,])"  # left edge of a number
_R = r"(?![\w/])"
_SEP = r"\s*(?P<sep>[/.-])\s*"
_YEAR_OF = r"(?:\s*[/.-]\s*|\s*,?\s+nam\s+)"  # "6/2025", "6-2025", "6 năm 2025"

_SHAPES: list[tuple[str, str]] = [
    (
        "dmy_words",
        rf"(?:ngay\s+)?{_L}(?P<d>\d{{1,2}})\s+thang\s+(?P<m>\d{{1,2}})\s*,?\s+nam\s+(?P<y>\d{{4}}){_R}",
    ),
    (
        "dmy_numeric",
        rf"(?:ngay\s+)?{_L}(?P<d>\d{{1,2}}){_SEP}(?P<m>\d{{1,2}})\s*(?P=sep)\s*(?P<y>\d{{4}}){_R}",
    ),
    ("dm_words", rf"ngay\s+(?P<d>\d{{1,2}})\s+thang\s+(?P<m>\d{{1,2}}){_R}"),
    ("dm_numeric", rf"ngay\s+(?P<d>\d{{1,2}})\s*/\s*(?P<m>\d{{1,2}}){_R}"),
    (
        "half_year",
        r"(?P<n>0?6|0?9)\s+thang\s+(?P<part>dau|cuoi)\s+nam(?:\s*,?\s*(?:nam\s+)?(?P<y>\d{4}))?(?!\d)",
    ),
    ("month", rf"thang\s+(?P<m>\d{{1,2}}){_YEAR_OF}(?P<y>\d{{4}}){_R}"),
    ("month_no_year", rf"thang\s+(?P<m>\d{{1,2}}){_R}"),
    ("quarter", rf"quy\s+(?P<q>iv|i{{1,3}}|[1-4]){_YEAR_OF}(?P<y>\d{{4}}){_R}"),
    ("period", r"giai\s+doan\s+(?P<y1>\d{4})\s*-\s*(?P<y2>\d{4})(?!\d)"),
    ("year", rf"nam\s+(?P<y>\d{{4}}){_R}"),
]


@cache
def _master() -> re.Pattern[str]:
    return re.compile(
        "|".join(
            f"(?P<{name}>{rx.replace('(?P<', f'(?P<{name}_')})" for name, rx in _shapes_renamed()
        )
    )


def _shapes_renamed() -> list[tuple[str, str]]:
    # Back-references must follow the group renaming done in _master().
    return [(name, rx.replace("(?P=sep)", f"(?P={name}_sep)")) for name, rx in _SHAPES]


@cache
def _groups(shape: str) -> tuple[tuple[str, str], ...]:
    """(name inside the shape, group name in the master pattern) of one shape's groups."""
    prefix = shape + "_"
    return tuple(
        (k[len(prefix) :], k) for k in _master().groupindex if k.startswith(prefix)
    )


def _group(m: re.Match[str], shape: str, name: str) -> str | None:
    return m.group(f"{shape}_{name}")


def scan_times(folded: str, *, year_hint: int | None = None) -> Iterator[TimeExpr]:
    """Every time expression in an already folded text, left to right, not overlapping."""
    for m in _master().finditer(folded):
        shape = m.lastgroup or ""
        expr = _resolve(m, shape, year_hint)
        if expr is not None:
            yield expr


def _resolve(m: re.Match[str], shape: str, year_hint: int | None) -> TimeExpr | None:
    g = {short: v for short, full in _groups(shape) if (v := m.group(full))}
    year = int(g["y"]) if "y" in g else year_hint
    start, end = m.span(shape)
    if shape.startswith(("dmy", "dm_")):
        return _day(start, end, shape, g, year, "y" in g)
    if shape == "half_year":
        n, from_start = int(g["n"]), g["part"] == "dau"
        month = n if from_start else 12
        return _month_end(start, end, year, month, "period", shape, "y" in g)
    if shape.startswith("month"):
        return _month_end(start, end, year, int(g["m"]), "month", shape, "y" in g)
    if shape == "quarter":
        q = load_yaml("deadlines.yaml")["quarters"][g["q"]]
        return _month_end(start, end, year, 3 * q, "quarter", shape, True)
    if shape == "period":
        y1, y2 = int(g["y1"]), int(g["y2"])
        if not (1900 <= y1 <= y2 <= 2200):
            return None
        return TimeExpr(start, end, f"{y2}-12-31", "period", shape)
    if shape == "year":
        y = int(g["y"])
        return TimeExpr(start, end, f"{y}-12-31", "year", shape) if 1900 <= y <= 2200 else None
    return None


def _day(
    start: int, end: int, shape: str, g: dict[str, str], year: int | None, has_year: bool
) -> TimeExpr | None:
    if year is None:
        ok = 1 <= int(g["m"]) <= 12 and 1 <= int(g["d"]) <= 31
        return TimeExpr(start, end, None, "date", shape, False) if ok else None
    got = safe_date(year, int(g["m"]), int(g["d"]))
    if got is None:
        return None
    return TimeExpr(start, end, got[0].isoformat(), "date", shape, has_year, got[1])


def _month_end(
    start: int, end: int, year: int | None, month: int, kind: str, shape: str, has_year: bool
) -> TimeExpr | None:
    if not 1 <= month <= 12:
        return None
    if year is None:
        return TimeExpr(start, end, None, kind, shape, False)
    if not 1900 <= year <= 2200:
        return None
    return TimeExpr(
        start, end, date(year, month, last_day(year, month)).isoformat(), kind, shape, has_year
    )
