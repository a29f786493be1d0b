"""Numeric targets: numbers a text sets as goals ("Phấn đấu đến hết năm 2025, 100% thủ tục
hành chính …", "tối thiểu 50% hồ sơ …", "đạt 8% trở lên", "xếp hạng … đạt 35/63").

A number is a target when a goal cue from ``nlp/data/targets.yaml`` stands in its clause,
when a deadline scopes it in the same sentence, or when the caller says the text sits
under MỤC TIÊU / chỉ tiêu (``in_objectives``). Dates, years, citation numbers, labels
("Đề án 06", "Điều 5") and achieved results ("đã đạt 85%", "tăng 12% so với cùng kỳ")
are not targets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from nlp.citations import find_citations
from nlp.dates import parse_iso, scan_times
from nlp.deadlines import find_deadlines
from nlp.langdata import fold_keep, fold_phrase, load_yaml, phrases_regex
from nlp.model import Deadline, Target
from nlp.numbers import NUMBER_SHAPE, parse_vn_number, scale_factor

_CLAUSE_START = re.compile(r"[.;:!?](?=\s)|\n\s*(?:[-+•]|\d+(?:\.\d+)*\.|[a-zđ]\))\s")
_SENTENCE_END = re.compile(r"[.;!?](?=\s|$)|\n\s*(?:[-+•]|\d+(?:\.\d+)*\.|[a-zđ]\))\s")
_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(
    rf"(?<![\w/.,-])(?P<num>{NUMBER_SHAPE})(?:\s*-\s*(?P<num2>{NUMBER_SHAPE}))?"
    r"(?P<of>\s*/\s*\d{1,3}(?![\d/]))?"
)


@dataclass(frozen=True)
class _Quantity:
    start: int  # number start
    end: int  # end of number + unit
    value: float
    unit: str
    ranged: bool


def _entries(key: str) -> list[dict[str, object]]:
    return list(load_yaml("targets.yaml")[key])


@cache
def _cue_ops() -> dict[str, tuple[str, bool]]:
    return {
        fold_phrase(str(e["phrase"])): (str(e["op"]), bool(e.get("adjacent")))
        for e in _entries("cues_before")
    }


@cache
def _cue_re() -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{phrases_regex(list(_cue_ops()))})(?!\w)")


@cache
def _phrase_re(key: str) -> re.Pattern[str]:
    phrases = [str(e["phrase"]) for e in _entries(key)]
    return re.compile(rf"(?<!\w)(?:{phrases_regex(phrases)})(?!\w)")


@cache
def _units() -> tuple[re.Pattern[str], dict[str, str]]:
    entries = load_yaml("units.yaml")["units"]
    table = {fold_phrase(e["phrase"]): e["unit"] for e in entries}
    return re.compile(rf"\s*(?P<u>{phrases_regex(list(table))})(?![a-z0-9])"), table


@cache
def _not_quantity_re() -> re.Pattern[str]:
    words = [e["phrase"] for e in load_yaml("units.yaml")["not_quantity"]]
    return re.compile(rf"\s*(?:{phrases_regex(words)})(?!\w)")


@cache
def _scale_re() -> re.Pattern[str]:
    words = [e["phrase"] for e in load_yaml("units.yaml")["scales"]]
    return re.compile(rf"\s+(?P<s>(?:(?:{phrases_regex(words)})\s*)+)")


def _quantity(folded: str, m: re.Match[str]) -> _Quantity | None:
    value = parse_vn_number(m.group("num"))
    if value is None:
        return None
    end, ranged = m.end("num2") if m.group("num2") else m.end("num"), bool(m.group("num2"))
    if m.group("of"):
        return _Quantity(m.start(), m.end(), value, "rank", False)
    s = _scale_re().match(folded, end)
    if s:
        value *= _scale_all(s.group("s"))
        end = s.end()
    u = _units()[0].match(folded, end)
    if u:
        unit = _units()[1][" ".join(u.group("u").split())]
        return _Quantity(m.start(), u.end(), value, unit, ranged)
    if _not_quantity_re().match(folded, end) or not re.match(r"\s+[^\W\d_]", folded[end:]):
        return None
    return _Quantity(m.start(), end, value, "count", ranged)


def _scale_all(words: str) -> float:
    factor = 1.0
    for w in words.split():
        factor *= scale_factor(w) or 1.0
    return factor


@cache
def _label_re() -> re.Pattern[str]:
    # Accents kept: "mục 2" is a label, "mức 8" is not.
    words = sorted(
        {" ".join(str(e["phrase"]).lower().split()) for e in _entries("label_before")},
        key=len,
        reverse=True,
    )
    alt = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(rf"(?<!\w)(?:{alt})\s*:?\s*$")


def _is_label(text: str, start: int) -> bool:
    before = text[max(0, start - 20) : start]
    if re.search(r"(?:^|\n)\s*$", before) and re.match(r"\d+(?:\.\d+)*\s*[.)]", text[start:]):
        return True
    return bool(_label_re().search(before.lower()))


def _year_like(m: re.Match[str], q: _Quantity) -> bool:
    return q.unit == "count" and bool(re.fullmatch(r"(?:19|20)\d\d", m.group("num")))


def _boundary_before(folded: str, pos: int, rx: re.Pattern[str], width: int = 600) -> int:
    lo = max(0, pos - width)
    cut = lo
    for m in rx.finditer(folded, lo, pos):
        cut = m.end()
    return cut


def _boundary_after(folded: str, pos: int, width: int = 400) -> int:
    m = _SENTENCE_END.search(folded, pos, min(len(folded), pos + width))
    return m.start() if m else min(len(folded), pos + width)


_GAP = re.compile(r"\s*(?:(?:khoang|muc|o|tu|dat|len|la|con|xuong|bang)\s+)*")


def _comparator(folded: str, clause: int, q: _Quantity) -> tuple[str, str] | None:
    """(op, cue) from the nearest usable cue before the number, or a cue right after it."""
    after = _phrase_re("cues_after").match(folded, _skip_space(folded, q.end))
    if after:
        ops = {fold_phrase(str(e["phrase"])): str(e["op"]) for e in _entries("cues_after")}
        return ops[" ".join(after.group().split())], "after"
    for m in reversed(list(_cue_re().finditer(folded, clause, q.start))):
        op, adjacent = _cue_ops()[" ".join(m.group().split())]
        if adjacent and not _GAP.fullmatch(folded, m.end(), q.start):
            continue
        return op, "_".join(m.group().split())
    return None


def _skip_space(folded: str, pos: int) -> int:
    while pos < len(folded) and folded[pos].isspace():
        pos += 1
    return pos


def _achieved(folded: str, clause: int, q: _Quantity, sent_end: int, base_year: int | None) -> bool:
    before = folded[clause : q.start]
    if _phrase_re("achieved_before").search(before):
        return True
    if _phrase_re("achieved_after").search(folded, q.end, min(sent_end, q.end + 60)):
        return "phan dau" not in before
    years = [int(y) for y in re.findall(r"nam\s+((?:19|20)\d\d)(?!\d)", before)]
    return bool(base_year and years and years[-1] < base_year and "phan dau" not in before)


def _by(
    folded: str,
    q: _Quantity,
    clause: int,
    bounds: tuple[int, int],
    deadlines: list[Deadline],
    default_by: str | None,
) -> str | None:
    sent_start, sent_end = bounds
    before = [d for d in deadlines if sent_start <= d.start and d.end <= q.start]
    if before:
        return before[-1].date
    after = [d for d in deadlines if q.end <= d.start and d.end <= sent_end]
    if after:
        return after[0].date
    for m in reversed(
        list(re.finditer(r"(?<!so voi )nam\s+((?:19|20)\d\d)(?!\d)", folded[clause : q.start]))
    ):
        return f"{m.group(1)}-12-31"
    return default_by


def _quantities(text: str, folded: str, blocked: list[tuple[int, int]]) -> list[_Quantity]:
    out = []
    for m in _NUMBER.finditer(folded):
        if any(s < m.end() and m.start() < e for s, e in blocked) or _is_label(text, m.start()):
            continue
        q = _quantity(folded, m)
        if q is not None and not _year_like(m, q):
            out.append(q)
    return out


def _blocked(text: str, folded: str) -> list[tuple[int, int]]:
    spans = [(c.start, c.end) for c in find_citations(text)]
    spans += [(t.start, t.end) for t in scan_times(folded)]
    return spans


def find_targets(
    text: str,
    *,
    in_objectives: bool = False,
    default_by: str | None = None,
    doc_date: str | None = None,
) -> list[Target]:
    """One Target per number the text sets as a goal.

    >>> [(t.value, t.unit, t.comparator) for t in find_targets("tối thiểu 50% hồ sơ")]
    [(50.0, '%', '>=')]
    """
    folded = fold_keep(text)
    if _DIGIT.search(folded) is None:
        return []  # every quantity starts with a digit (_NUMBER)
    base = parse_iso(doc_date)
    deadlines = [d for d in find_deadlines(text, doc_date=doc_date) if d.date]
    quantities = _quantities(text, folded, _blocked(text, folded))
    out: list[Target] = []
    for i, q in enumerate(quantities):
        nxt = quantities[i + 1].start if i + 1 < len(quantities) else len(folded)
        prev = quantities[i - 1].end if i else 0
        target = _target(
            text,
            folded,
            q,
            (prev, nxt),
            in_objectives,
            deadlines,
            default_by,
            base.year if base else None,
        )
        if target is not None:
            out.append(target)
    return out


def _target(
    text: str,
    folded: str,
    q: _Quantity,
    neighbours: tuple[int, int],
    in_objectives: bool,
    deadlines: list[Deadline],
    default_by: str | None,
    base_year: int | None,
) -> Target | None:
    clause = _boundary_before(folded, q.start, _CLAUSE_START)
    sent_start = _boundary_before(folded, q.start, _SENTENCE_END)
    sent_end = _boundary_after(folded, q.end)
    if _achieved(folded, clause, q, sent_end, base_year):
        return None
    comp = _comparator(folded, clause, q)
    scoped = any(sent_start <= d.start and d.end <= q.start for d in deadlines)
    if comp is None and not (in_objectives or scoped):
        return None
    op, cue = comp or (">=", "objectives" if in_objectives else "deadline")
    unit = q.unit
    if unit == "count" and re.search(
        r"(?<!\w)(?:top|xep hang|xep thu|dung thu|thu hang)(?!\w)", folded[clause : q.start]
    ):
        unit = "rank"
    if unit == "rank":
        op = "<="
    start = _skip_noise(text, max(clause, neighbours[0]), q.start)
    end = _trim_end(text, q.end, min(sent_end, neighbours[1], q.end + 300))
    by = _by(folded, q, clause, (sent_start, sent_end), deadlines, default_by)
    return Target(
        text[start:end],
        start,
        end,
        q.value,
        unit,
        op,
        _metric(text, q.end, end),
        by,
        f"target:{cue}" + (":range" if q.ranged else ""),
    )


def _skip_noise(text: str, start: int, limit: int) -> int:
    while start < limit and (text[start].isspace() or text[start] in ",;:-+•"):
        start += 1
    return start


def _trim_end(text: str, lo: int, hi: int) -> int:
    m = re.search(r"(?:[\s,;:(]|\bvà\b|\bhoặc\b|\bvới\b)*$", text[lo:hi])
    return lo + (m.start() if m else hi - lo)


def _metric(text: str, lo: int, hi: int) -> str:
    words = re.split(r"[,;.]", text[lo:hi], maxsplit=1)[0].split()
    return " ".join(words[:12])
