"""The single boundary where Vietnamese text is made canonical.

Every reader passes its strings through :func:`normalize_text` once; all later offsets
point into the result. :func:`fold` derives the accent-less, lower-case form used for
search and matching — it is never the source of an offset.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Vowels with tone marks, grouped by base vowel; index 0 is the toneless vowel.
_TONES = {
    "a": "aàáảãạ", "ă": "ăằắẳẵặ", "â": "âầấẩẫậ", "e": "eèéẻẽẹ", "ê": "êềếểễệ",
    "i": "iìíỉĩị", "o": "oòóỏõọ", "ô": "ôồốổỗộ", "ơ": "ơờớởỡợ", "u": "uùúủũụ",
    "ư": "ưừứửữự", "y": "yỳýỷỹỵ",
}
_TONE_OF: dict[str, tuple[str, int]] = {}
for _base, _row in _TONES.items():
    for _i, _ch in enumerate(_row):
        _TONE_OF[_ch] = (_base, _i)
        _TONE_OF[_ch.upper()] = (_base.upper(), _i)


def _with_tone(ch: str, tone: int) -> str:
    base, _ = _TONE_OF[ch]
    row = _TONES[base.lower()]
    out = row[tone]
    return out.upper() if ch.isupper() else out


_LETTER = "a-zA-ZđĐ" + "".join(_TONE_OF)
# Old-style tone placement on open syllables: "oá", "oè", "uỷ" → "óa", "òe", "ủy".
# Not after q/g ("quý", "giá" keep theirs) and only when no letter follows.
_OLD_PAIR = re.compile(
    rf"(?<![qQ])([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?![{_LETTER}])"
)
_VALID_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}


def _fix_tone(m: re.Match[str]) -> str:
    first, second = m.group(1), m.group(2)
    base2, tone = _TONE_OF[second]
    if (first.lower(), base2.lower()) not in _VALID_PAIRS:
        return m.group(0)
    # "gu" + y does not occur; "qu" excluded by the look-behind.
    return _with_tone(first, tone) + (base2.upper() if second.isupper() else base2)


_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


# Letters that fonts and encoders substitute for Vietnamese ones: Icelandic eth for Đ/đ.
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ"})


def normalize_tone_placement(text: str) -> str:
    """Fold old-style tone placement to the new style used as canonical (hoá → hóa)."""
    return _OLD_PAIR.sub(_fix_tone, text)


def normalize_text(text: str) -> str:
    """NFC, one tone placement, plain spaces, no invisible characters, ``\\n`` line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    text = text.translate(_LOOKALIKES)
    text = normalize_tone_placement(text)
    return text


class _Unsafe(Exception):
    """A character whose decomposition holds a non-spacing-mark combining character: the
    per-character table could reorder differently from a whole-string NFD."""


class _StripTable(dict):
    """``str.translate`` table: code point → the character without its marks, filled on
    first sight of each character."""

    def __missing__(self, cp: int) -> str:
        nfd = unicodedata.normalize("NFD", chr(cp))
        if any(unicodedata.combining(c) and unicodedata.category(c) != "Mn" for c in nfd):
            raise _Unsafe(cp)
        out = "".join(c for c in nfd if unicodedata.category(c) != "Mn")
        out = out.replace("đ", "d").replace("Đ", "D")
        self[cp] = out
        return out


_STRIP = _StripTable()
# fold's table: the same, after normalize_text's removals and look-alike letters (its other
# steps — NFC, tone placement, space kinds, line ends — cannot change an accent-less,
# space-collapsed key)
_FOLD = _StripTable({ord(c): "" for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"})
_FOLD.update({ord("Ð"): "D", ord("ð"): "d"})


def _strip_accents_slow(text: str) -> str:
    out = unicodedata.normalize("NFD", text)
    out = "".join(ch for ch in out if unicodedata.category(ch) != "Mn")
    return out.replace("đ", "d").replace("Đ", "D")


def strip_accents(text: str) -> str:
    """Remove every diacritic, đ → d (keeps case). Length may change only for rare
    characters whose decomposition has no base letter."""
    if text.isascii():
        return text
    try:
        # per character, the same as NFD + dropping marks (combining marks are all dropped,
        # so their canonical reordering cannot show)
        return text.translate(_STRIP)
    except _Unsafe:
        return _strip_accents_slow(text)


_WS = re.compile(r"\s+")


def fold(text: str) -> str:
    """Search/matching key: accent-less, lower case, single spaces."""
    if len(text) <= 200:
        return _fold_short(text)
    return _fold(text)


def _fold(text: str) -> str:
    if not text.isascii():
        try:
            text = text.translate(_FOLD)
        except _Unsafe:
            text = _strip_accents_slow(normalize_text(text))
    return _WS.sub(" ", text.lower()).strip()


@lru_cache(maxsize=65536)
def _fold_short(text: str) -> str:
    return _fold(text)
