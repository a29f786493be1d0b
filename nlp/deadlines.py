"""Deadlines and recurrence in Vietnamese administrative text.

A time expression (see :mod:`nlp.dates`) is a deadline when a cue word from
``nlp/data/deadlines.yaml`` stands right before it ("trước ngày 30/6/2025", "hết tháng 6
năm 2025", "trong Quý II/2025", "đến năm 2030"), or when it is a period ("giai đoạn
2025-2035") that is not part of a name ("Kế hoạch ... giai đoạn 2026-2030"). Bare dates
("Ngày 07/9/2023, UBND tỉnh ban hành…", "Quyết định số 749/QĐ-TTg ngày 03/6/2020") are
not deadlines. Years earlier than the document's year are past results, not deadlines.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

from nlp.dates import (
    TimeExpr,
    add_months,
    add_working_days,
    parse_iso,
    safe_date,
    scan_times,
)
from nlp.langdata import fold_keep, load_yaml, phrases_regex
from nlp.model import Deadline

_CLAUSE_END = re.compile(r"[.;!?]\s|\n\s*[-+•]\s")
_WINDOW = 80


def _phrases(key: str) -> list[str]:
    return [e["phrase"] for e in load_yaml("deadlines.yaml")[key]]


@cache
def _cue_re() -> re.Pattern[str]:
    cues = phrases_regex(_phrases("cues"))
    time_of_day = r"(?:\d{1,2}\s*(?:h|gio)\s*\d{0,2}\s*(?:sang|chieu|toi)?\s*(?:,\s*)?)?"
    return re.compile(rf"(?:^|(?<=[^\w]))(?P<cue>{cues})\s*:?\s*{time_of_day}$")


@cache
def _verb_re() -> re.Pattern[str]:
    verbs = phrases_regex(_phrases("completion_verbs"))
    return re.compile(rf"(?<!\w)(?P<cue>{verbs})(?:\s+\w+){{0,2}}\s+$")


@cache
def _year_block_before() -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{phrases_regex(_phrases('year_blockers_before'))})\s*$")


@cache
def _year_block_after() -> re.Pattern[str]:
    return re.compile(rf"\s*,?\s*(?:{phrases_regex(_phrases('year_blockers_after'))})")


@cache
def _name_noun_re() -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{phrases_regex(_phrases('period_name_nouns'))})(?!\w)")


def _clause_before(folded: str, start: int, width: int = _WINDOW) -> tuple[str, int]:
    """The text of the current clause before ``start`` (at most ``width`` chars), its offset."""
    lo = max(0, start - width)
    window = folded[lo:start]
    cut = 0
    for m in _CLAUSE_END.finditer(window):
        cut = m.end()
    return window[cut:], lo + cut


def _cue(folded: str, expr: TimeExpr) -> tuple[str, int] | None:
    """(cue id, cue start) when ``expr`` is a deadline by its left context, else None."""
    before, offset = _clause_before(folded, expr.start)
    if expr.kind == "period":
        return _period_cue(*_clause_before(folded, expr.start, 4 * _WINDOW))
    m = _cue_re().search(before)
    if m and (m.group("cue") != "(" or expr.kind != "date"):
        if expr.kind == "year" and _year_block_before().search(before):
            return None
        return _cue_id(m.group("cue")), offset + m.start("cue")
    if expr.kind == "year":
        v = _verb_re().search(before)
        if v:
            return "verb_" + _cue_id(v.group("cue")), offset + v.start("cue")
    return None


def _period_cue(before: str, offset: int) -> tuple[str, int] | None:
    if _name_noun_re().search(before):
        return None
    m = _cue_re().search(before)
    if m:
        return _cue_id(m.group("cue")), offset + m.start("cue")
    return "period", offset + len(before)


def _cue_id(folded_cue: str) -> str:
    return re.sub(r"\W+", "_", folded_cue).strip("_") or "paren"


def _past(expr: TimeExpr, base: date | None) -> bool:
    return bool(base and expr.date and expr.has_year and int(expr.date[:4]) < base.year)


def _infer_year(expr: TimeExpr, year_hint: int | None, base: date | None) -> str | None:
    """ISO date for a day/month without a year: the context year, the next one when the
    date would fall more than ~6 months before the document."""
    if expr.date is None or year_hint is None:
        return expr.date
    if base and date.fromisoformat(expr.date) < base - timedelta(days=183):
        d = date.fromisoformat(expr.date)
        got = safe_date(d.year + 1, d.month, d.day)
        return got[0].isoformat() if got else expr.date
    return expr.date


def find_deadlines(
    text: str, *, doc_date: str | None = None, context_year: int | None = None
) -> list[Deadline]:
    """Every completion time in ``text``, resolved to ISO dates where possible.

    >>> [d.date for d in find_deadlines("hoàn thành trước ngày 30/6/2025")]
    ['2025-06-30']
    """
    folded = fold_keep(text)
    base = parse_iso(doc_date)
    year_hint = context_year or (base.year if base else None)
    found = _recurring(text, folded) + _relative(text, folded, base)
    taken = [(d.start, d.end) for d in found]
    for expr in scan_times(folded, year_hint=year_hint):
        if any(s < expr.end and expr.start < e for s, e in taken):
            continue
        deadline = _as_deadline(text, folded, expr, base, year_hint)
        if deadline is not None:
            found.append(deadline)
    return sorted(found, key=lambda d: d.start)


def _as_deadline(
    text: str, folded: str, expr: TimeExpr, base: date | None, year_hint: int | None
) -> Deadline | None:
    cue = _cue(folded, expr)
    if cue is None or _past(expr, base):
        return None
    if expr.kind in ("year", "period") and _year_block_after().match(folded, expr.end):
        return None
    cue_id, start = cue
    iso = expr.date if expr.has_year else _infer_year(expr, year_hint, base)
    rule = f"{expr.rule}:{cue_id}" + ("" if expr.has_year else ":inferred_year")
    if expr.clamped:
        rule += ":clamped"
    return Deadline(text[start : expr.end], start, expr.end, iso, expr.kind, None, rule)


# ------------------------------------------------------------------ relative deadlines


@cache
def _relative_re() -> re.Pattern[str]:
    anchors = phrases_regex(_phrases("relative_anchors"))
    units = phrases_regex(list(load_yaml("deadlines.yaml")["relative_units"]))
    return re.compile(
        r"(?<!\w)(?:trong\s+(?:thoi\s+han|vong)|cham\s+nhat(?:\s+la)?|sau|truoc)\s+"
        rf"(?P<n>\d{{1,3}})(?:\s*\([^)]{{0,25}}\))?\s+(?P<u>{units})(?P<wd>\s+lam\s+viec)?"
        rf"\s*,?\s*(?:ke\s+)?tu\s+(?:ngay\s+|khi\s+)?(?P<a>{anchors})(?!\w)"
    )


@cache
def _anchor_resolves() -> dict[str, bool]:
    from nlp.langdata import fold_phrase

    return {
        fold_phrase(e["phrase"]): e["resolves"]
        for e in load_yaml("deadlines.yaml")["relative_anchors"]
    }


@cache
def _unit_names() -> dict[str, str]:
    from nlp.langdata import fold_phrase

    return {fold_phrase(k): v for k, v in load_yaml("deadlines.yaml")["relative_units"].items()}


def _relative(text: str, folded: str, base: date | None) -> list[Deadline]:
    out = []
    for m in _relative_re().finditer(folded):
        n, unit = int(m.group("n")), _unit_names()[" ".join(m.group("u").split())]
        resolves = _anchor_resolves().get(" ".join(m.group("a").split()), False)
        iso = None
        if base is not None and resolves:
            iso = _offset(base, n, unit, bool(m.group("wd"))).isoformat()
        kind = "date" if iso else "relative"
        rule = f"relative:{unit}" + (":working" if m.group("wd") else "")
        out.append(Deadline(text[m.start() : m.end()], m.start(), m.end(), iso, kind, None, rule))
    return out


def _offset(base: date, n: int, unit: str, working: bool) -> date:
    """BLDS 2015 Điều 147: the event day is not counted, so day N after it is base + N."""
    if unit == "day":
        return add_working_days(base, n) if working else base + timedelta(days=n)
    if unit == "week":
        return base + timedelta(weeks=n)
    return add_months(base, n * (12 if unit == "year" else 1))


# ------------------------------------------------------------------ recurrence


@cache
def _recurring_re() -> re.Pattern[str]:
    return re.compile(
        r"(?<!\w)(?P<cue>truoc|cham\s+nhat(?:\s+la)?|vao|den|trong|han)\s+(?:ngay\s+)?"
        r"(?P<d>\d{1,2})(?:(?:\s*/\s*|\s+thang\s+)(?P<m>\d{1,2}))?(?:\s*\([^)]{0,25}\))?"
        r"\s+(?:cua\s+)?(?:(?:hang|moi)\s+(?P<per>tuan|thang|quy|nam)"
        r"|(?P<lastq>thang\s+cuoi\s+(?:cua\s+)?(?:moi\s+)?quy))(?!\w)"
    )


_PERIOD_VALUE = {"tuan": "weekly", "thang": "monthly", "quy": "quarterly", "nam": "yearly"}


def _recurring(text: str, folded: str) -> list[Deadline]:
    out = []
    for m in _recurring_re().finditer(folded):
        value = "quarterly" if m.group("lastq") else _PERIOD_VALUE[m.group("per")]
        out.append(
            Deadline(
                text[m.start() : m.end()],
                m.start(),
                m.end(),
                None,
                "recurring",
                value,
                f"recurring:{value}",
            )
        )
    return out


@cache
def _recurrence_phrases() -> tuple[re.Pattern[str], dict[str, str]]:
    from nlp.langdata import fold_phrase

    entries = load_yaml("deadlines.yaml")["recurrence"]
    values = {fold_phrase(e["phrase"]): e["value"] for e in entries}
    rx = re.compile(rf"(?<!\w)(?:dinh\s+ky\s+)?(?P<p>{phrases_regex(list(values))})")
    return rx, values


@cache
def _recurrence_block_re() -> re.Pattern[str]:
    after = phrases_regex(_phrases("recurrence_blockers_after"))
    quarter_no = r"\s*(?:iv|i{1,3}|[1-4])(?!\w)"
    dated_paren = r"\s*\([^)]{0,40}\d{4}\s*\)"
    return re.compile(rf"(?:\s*(?:{after})|{quarter_no}|{dated_paren})")


def find_recurrence(text: str) -> tuple[str, int, int, str] | None:
    """The first recurrence in ``text``: (value, start, end, raw), or None.

    >>> find_recurrence("hằng tháng báo cáo")[0]
    'monthly'
    """
    folded = fold_keep(text)
    rx, values = _recurrence_phrases()
    for m in rx.finditer(folded):
        phrase = " ".join(m.group("p").split())
        if _recurrence_block_re().match(folded, m.end()):
            continue
        end = m.end() - (1 if phrase.endswith(",") else 0)
        return values[phrase], m.start(), end, text[m.start() : end]
    return None
