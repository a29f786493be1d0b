"""Vietnamese number formats: ``1.357.063.500`` (dot groups thousands), ``93,44`` (comma
is the decimal mark), a dot-decimal ``1.5`` when the dot is not followed by exactly three
digits, number words (``mười lăm``) and scale words (``1,5 tỷ`` → 1.5e9)."""

from __future__ import annotations

import re
from functools import cache

from nlp.langdata import fold_phrase, load_yaml

_VN_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_VN_SPACED = re.compile(r"\d{1,3}(?: \d{3})+(?:,\d+)?")
_EN_GROUPED = re.compile(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"\d+,\d+")
_DECIMAL_DOT = re.compile(r"\d+\.\d+")
_INT = re.compile(r"\d+")

# The shape of a number inside running text (used by the target finder).
NUMBER_SHAPE = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"


@cache
def _scales() -> dict[str, float]:
    return {fold_phrase(e["phrase"]): float(e["factor"]) for e in load_yaml("units.yaml")["scales"]}


@cache
def _words() -> dict[str, int]:
    # Not folded: "mười" (ten) and "mươi" (×10) differ only by their accents.
    return {k.lower(): int(v) for k, v in load_yaml("units.yaml")["number_words"].items()}


def _digits(s: str) -> float | None:
    if _VN_GROUPED.fullmatch(s) or _VN_SPACED.fullmatch(s):
        return float(s.replace(".", "").replace(" ", "").replace(",", "."))
    if _EN_GROUPED.fullmatch(s):
        return float(s.replace(",", ""))
    if _DECIMAL_COMMA.fullmatch(s):
        return float(s.replace(",", "."))
    if _DECIMAL_DOT.fullmatch(s):
        whole, frac = s.split(".")
        return float(whole + frac) if len(frac) == 3 else float(s)
    if _INT.fullmatch(s):
        return float(s)
    return None


def _number_words(tokens: list[str]) -> float | None:
    """'mười lăm' → 15, 'hai mươi mốt' → 21, 'ba trăm linh năm' → 305; None if not words."""
    data = load_yaml("units.yaml")
    tens, hundreds = data["tens_word"].lower(), data["hundreds_word"].lower()
    fillers = {w.lower() for w in data["filler_words"]}
    total, current = 0, 0
    for tok in tokens:
        if tok == hundreds:
            total, current = total + max(current, 1) * 100, 0
        elif tok == tens:
            current *= 10
        elif tok in fillers:
            continue
        elif tok in _words():
            current += _words()[tok]
        else:
            return None
    return float(total + current)


def parse_vn_number(s: str) -> float | None:
    """Parse a Vietnamese-formatted number, optionally with a scale word.

    >>> parse_vn_number("1.357.063.500"), parse_vn_number("93,44"), parse_vn_number("1,5 tỷ")
    (1357063500.0, 93.44, 1500000000.0)
    """
    tokens = s.lower().split()
    if not tokens:
        return None
    factor = 1.0
    while tokens and fold_phrase(tokens[-1]) in _scales():
        factor *= _scales()[fold_phrase(tokens.pop())]
    if not tokens:
        return None
    value = _digits(" ".join(tokens)) if tokens[0][0].isdigit() else _number_words(tokens)
    return None if value is None else value * factor


def scale_factor(word: str) -> float | None:
    """1e9 for 'tỷ', 1e6 for 'triệu', ... None when ``word`` is not a scale word."""
    return _scales().get(fold_phrase(word))
