"""Citations of other documents by number and symbol (domain §5).

Shapes: state ``749/QĐ-TTg``, ``42/2022/NĐ-CP``, ``64/2025/QH15``, công văn ``73/BCA-C06``;
Party ``48-NQ/TU``. Spaces and dash variants inside a number (PDF noise: ``01/2023/TT-
VPCP``, ``57- NQ/TW``) are tolerated and removed from the key; the symbol keeps its case.
The phrase around the number ("Quyết định số … ngày 03/6/2020 của Thủ tướng Chính phủ")
gives the type, date and issuer name.
"""

from __future__ import annotations

import re
from functools import cache

from nlp.dates import scan_times
from nlp.langdata import fold_keep, fold_phrase, load_csv, load_yaml, phrases_regex
from nlp.model import Citation

_DASH = "-\u2010\u2011\u2013\u2014\u2212"
# a segment may hold dots between capitals: "VPCP-V.I", "QĐ.UB" (never a sentence's end,
# which a space follows)
_ORG = r"[A-ZĐ][A-Za-zĐđ&0-9]*(?:\.[A-ZĐ0-9]+)*(?![\w&])"
_ORG_STRICT = r"[A-ZĐ][A-ZĐ&0-9]+(?![\w&])"  # after a spaced dash: upper case only
_SYMBOL = rf"{_ORG}(?:[{_DASH}]{_ORG}|\s*[{_DASH}]\s*{_ORG_STRICT})*"
_LEFT = rf"(?<![\w/.,{_DASH}])"
_STATE = (
    rf"{_LEFT}(?P<num>\d{{1,5}}[a-z]?)\s*/\s*(?:(?P<year>(?:19|20)\d\d)\s*/\s*)?(?P<sym>{_SYMBOL})"
)


@cache
def _party_re() -> re.Pattern[str]:
    types = "|".join(
        sorted({c for row in load_csv("doc_types.csv") for c in _codes(row)}, key=len, reverse=True)
    )
    return re.compile(
        rf"{_LEFT}(?P<num>\d{{1,5}})\s*[{_DASH}]\s*(?P<ptype>{types})"
        rf"\s*(?:/|[{_DASH}](?=T[UWƯ]|HU|ĐU))\s*(?P<sym>{_SYMBOL})"
    )


@cache
def _state_re() -> re.Pattern[str]:
    return re.compile(_STATE)


def _codes(row: dict[str, str]) -> list[str]:
    return [c for c in (row.get("codes") or "").split("|") if c]


@cache
def _type_by_code() -> dict[str, str]:
    return {c: row["id"] for row in load_csv("doc_types.csv") for c in _codes(row)}


@cache
def _type_by_code_upper() -> dict[str, str]:
    out: dict[str, str] = {}
    for code, tid in _type_by_code().items():
        out.setdefault(code.upper(), tid)
    return out


@cache
def _type_by_word() -> dict[str, str]:
    out: dict[str, str] = {}
    for row in load_csv("doc_types.csv"):
        for word in [row["name"], *(row.get("aliases") or "").split("|")]:
            if word:
                out.setdefault(fold_phrase(word), row["id"])
    return out


def _plausible_token(tok: str) -> bool:
    """A symbol part: mostly capitals ('TTg', 'CTr', 'QĐi', 'C06'), never 'Khu' or 'Ban'."""
    upper = sum(ch.isupper() or ch.isdigit() for ch in tok)
    return upper >= 2 or (len(tok) == 1 and tok.isupper())


def normalize_symbol(symbol: str) -> str:
    """Remove spaces around '/' and '-', unify dashes: 'TT- VPCP' → 'TT-VPCP'."""
    out = re.sub(rf"\s*[{_DASH}]\s*", "-", symbol)
    return re.sub(r"\s*/\s*", "/", out).strip()


def _trim_symbol(sym: str) -> str:
    """Cut the symbol before the first implausible part (keeps 'UBND-VP7', drops '-Khu')."""
    parts = re.split(rf"(\s*[{_DASH}]\s*)", sym)
    kept = [parts[0]] if _plausible_token(parts[0]) else []
    for i in range(1, len(parts) - 1, 2):
        if not kept or not _plausible_token(parts[i + 1]):
            break
        kept += [parts[i], parts[i + 1]]
    return "".join(kept)


def doc_type_from_symbol(symbol: str) -> str | None:
    """'QĐ-TTg' → 'quyet_dinh'; 'NQ/TU' → 'nghi_quyet'; 'UBND-THCBKS' → 'cong_van';
    'QH15' (a law or a resolution) → None."""
    sym = normalize_symbol(symbol)
    first = re.split(r"[-/]", sym.split("/")[-1] if re.match(r"\d{4}/", sym) else sym)[0]
    if not first:
        return None
    if re.fullmatch(r"(?:UBTV)?QH\d*", first):
        return None
    tid = _type_by_code().get(first) or _type_by_code_upper().get(first.upper())
    return tid or "cong_van"


def doc_type_from_word(word: str) -> str | None:
    """'KẾ HOẠCH' → 'ke_hoach', 'Công điện' → 'cong_dien'; None when unknown."""
    return _type_by_word().get(fold_phrase(word))


def parse_doc_number(s: str) -> tuple[str | None, int | None, str | None]:
    """Split a 'Số: …' value: '24 /2025/QĐ-UBND' → ('24', 2025, 'QĐ-UBND');
    '   /UBND-THCBKS' → (None, None, 'UBND-THCBKS'); '48-NQ/TU' → ('48', None, 'NQ/TU')."""
    s = re.sub(r"^\s*(?:[Ss][ốố]|So)\s*:?", "", s).strip()
    party = re.fullmatch(rf"(\d{{1,5}})\s*[{_DASH}]\s*([A-ZĐ]\w*\s*/.+)", s)
    if party:
        return party.group(1), None, normalize_symbol(party.group(2))
    m = re.fullmatch(r"(\d{1,5}[a-z]?)?[\s.…]*/\s*(?:((?:19|20)\d\d)\s*/\s*)?(.*)", s)
    if not m:
        return None, None, (normalize_symbol(s) or None)
    year = int(m.group(2)) if m.group(2) else None
    return m.group(1), year, normalize_symbol(m.group(3)) or None


# ------------------------------------------------------------------ finder


@cache
def _type_word_re() -> re.Pattern[str]:
    words = phrases_regex(list(_type_by_word()))
    return re.compile(rf"(?<!\w)(?P<tw>{words})\s*(?:so\s*:?\s*)?$|(?<!\w)so\s*:?\s*$")


@cache
def _issuer_stops() -> frozenset[str]:
    return frozenset(
        fold_phrase(e["phrase"]) for e in load_yaml("citations.yaml")["issuer_name_stops"]
    )


def _matches(text: str) -> list[tuple[int, int, str, str | None, str, str | None]]:
    """(start, end, number, year, symbol, party type) for each number, left to right."""
    out: list[tuple[int, int, str, str | None, str, str | None]] = []
    for m in _party_re().finditer(text):
        sym = _trim_symbol(m.group("sym"))
        if sym:
            end = m.start("sym") + len(sym)
            out.append(
                (
                    m.start(),
                    end,
                    m.group("num"),
                    None,
                    text[m.start("ptype") : end],
                    m.group("ptype"),
                )
            )
    for m in _state_re().finditer(text):
        sym = _trim_symbol(m.group("sym"))
        if sym and not any(s <= m.start() < e for s, e, *_ in out):
            out.append(
                (m.start(), m.start("sym") + len(sym), m.group("num"), m.group("year"), sym, None)
            )
    return sorted(out)


def find_citations(text: str) -> list[Citation]:
    """Every document number in ``text`` with its surrounding citation phrase.

    >>> [c.key for c in find_citations("Quyết định số 749/QĐ-TTg ngày 03/6/2020")]
    ['749/QĐ-TTg']
    """
    folded = fold_keep(text)
    found = _matches(text)
    bounds = [m[0] for m in found[1:]] + [len(text)] if found else []
    return [_citation(text, folded, bound, *m) for m, bound in zip(found, bounds, strict=True)]


def _citation(
    text: str,
    folded: str,
    bound: int,
    start: int,
    end: int,
    num: str,
    year: str | None,
    sym: str,
    ptype: str | None,
) -> Citation:
    symbol = normalize_symbol(sym)
    key = f"{num}-{symbol}" if ptype else (f"{num}/{year}/{symbol}" if year else f"{num}/{symbol}")
    left = _type_word_re().search(folded[max(0, start - 40) : start])
    doc_type = (
        _type_by_word().get(" ".join(left.group("tw").split()))
        if left and left.group("tw")
        else None
    )
    if left:
        start = start - 40 + left.start() if start >= 40 else left.start()
    if (
        doc_type is None
        and re.search(r"(?<!\w)luat\s", folded[max(0, start - 80) : start])
        and re.fullmatch(r"QH\d*", symbol)
    ):
        doc_type = "luat"  # "Luật Tổ chức chính quyền địa phương số 72/2025/QH15"
    by_symbol = doc_type_from_symbol(symbol)
    if doc_type in (None, "cong_van") and by_symbol not in (None, "cong_van"):
        doc_type = by_symbol  # "Văn bản số 56/TB-VPCP": the symbol says Thông báo
    iso, end = _date_after(folded, end)
    name, end = _issuer_after(text[:bound], folded, end)
    y = int(year) if year else (int(iso[:4]) if iso else None)
    return Citation(
        raw=text[start:end],
        start=start,
        end=end,
        key=key,
        number=num,
        year=y,
        doc_type=doc_type or doc_type_from_symbol(symbol),
        issuer_code=_issuer_code(symbol, ptype),
        date=iso,
        issuer_name=name,
        rule="party" if ptype else ("vbqppl" if year else "state"),
    )


def _issuer_code(symbol: str, ptype: str | None) -> str | None:
    parts = re.split(r"[-/]", symbol)
    if ptype:
        return parts[1] if len(parts) > 1 else None
    first = parts[0]
    if re.fullmatch(r"(?:UBTV)?QH\d*", first):
        return re.sub(r"\d+$", "", first)
    if _type_by_code().get(first) or _type_by_code_upper().get(first.upper()):
        return parts[1] if len(parts) > 1 else None
    return first


def _date_after(folded: str, end: int) -> tuple[str | None, int]:
    m = re.compile(r"\s*,?\s*(?:ban\s+hanh\s+)?(?=ngay\s)").match(folded, end)
    if not m:
        return None, end
    for expr in scan_times(folded[m.end() : m.end() + 40]):
        if expr.start == 0 and expr.kind == "date" and expr.date:
            return expr.date, m.end() + expr.end
        break
    return None, end


def _issuer_after(text: str, folded: str, end: int) -> tuple[str | None, int]:
    m = re.compile(r"\s*,?\s*cua\s+").match(folded, end)
    if not m:
        return None, end
    limit = load_yaml("citations.yaml")["issuer_name_max_words"]
    last, pos = None, m.end()
    for n, tok in enumerate(re.finditer(r"[^\s,;.:()\"“”]+(?:\s*-\s*(?=\w))?", text[pos:])):
        word = fold_phrase(tok.group().rstrip("- "))
        two = fold_phrase(text[pos + tok.start() : pos + tok.start() + 12]).split()[:2]
        pair = " ".join(two)
        if (
            n >= limit
            or word in _issuer_stops()
            or pair in _issuer_stops()
            or pair in _type_by_word()
        ):
            break
        if any(ch.isdigit() for ch in word) or (
            word == "va" and not _next_capitalized(text, pos + tok.end())
        ):
            break
        last = pos + tok.end()
        if re.match(r"[,;.:()]", text[last : last + 1]):
            break
    if last is None:
        return None, end
    name = re.sub(r"\s+(?:và|của)$", "", " ".join(text[m.end() : last].split()).rstrip("- "))
    if not name:
        return None, end
    tail = name.split()[-1]
    return name, text.rfind(tail, m.end(), last) + len(tail)


def _next_capitalized(text: str, pos: int) -> bool:
    m = re.compile(r"\s*(\w)").match(text, pos)
    return bool(m and m.group(1).isupper())
