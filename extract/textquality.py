"""How much a text layer looks like Vietnamese: a score in [0, 1].

A PDF text layer can exist and still be useless: an OCR layer made with an English model
over a Vietnamese scan reads ``CØNG HOÀXÃ HØI`` or ``cgxc uolxAnorcHO``. :func:`text_score`
combines three signals, each cheap and language-specific:

* the share of words that are well-formed Vietnamese syllables (onset + rhyme, at most
  one tone mark), by :data:`_SYLLABLE`;
* the share of words that carry a Vietnamese diacritic (real prose: about half; an English
  or ASCII-only layer: none);
* the share of characters outside the Vietnamese alphabet, digits and usual punctuation.

Numbers, codes (``3980/C04-P6``) and short capital acronyms (``UBND``, ``MTQG``) are not
counted either way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Vowel letters by tone (index 0 toneless), the same table as extract.normalize.
_TONE_ROWS = (
    "aàáảãạ",
    "ăằắẳẵặ",
    "âầấẩẫậ",
    "eèéẻẽẹ",
    "êềếểễệ",
    "iìíỉĩị",
    "oòóỏõọ",
    "ôồốổỗộ",
    "ơờớởỡợ",
    "uùúủũụ",
    "ưừứửữự",
    "yỳýỷỹỵ",
)
_BASE = {ch: row[0] for row in _TONE_ROWS for ch in row}
_TONED = {ch for row in _TONE_ROWS for ch in row[1:]}
_VIET_LETTERS = set("abcdefghijklmnopqrstuvwxyzđ") | set(_BASE)
_MARKED = set(_BASE) - set("aeiouy") | {"đ"}  # letters an ASCII-only text never has
_PUNCT = set(".,;:!?()[]\"'“”‘’«»-–—/\\%&+*=<>#@_…§°|~")

_ONSET = r"(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?"
_NUCLEUS = (
    r"(?:iêu|yêu|ươi|ươu|uôi|oai|oay|oao|oeo|uây|uyê|uya|uyu|"
    r"ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|oo|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|"
    r"ưa|ưi|ưu|ươ|yê|a|ă|â|e|ê|i|o|ô|ơ|u|ư|y)"
)
_CODA = r"(?:ch|ng|nh|[cmnpt])?"
_SYLLABLE = re.compile(f"^{_ONSET}{_NUCLEUS}{_CODA}$")
_ACRONYM = re.compile(r"^[A-ZĐ]{2,6}$")
_EDGE_PUNCT = "".join(sorted(_PUNCT))


@dataclass(frozen=True)
class TextQuality:
    words: int  # words counted (numbers, codes and acronyms left out)
    syllables: float  # share of counted words that are valid Vietnamese syllables
    marked: float  # share of counted words with a Vietnamese diacritic
    odd: float  # share of non-space characters outside the alphabet/digits/punctuation
    score: float


def is_syllable(word: str) -> bool:
    """A well-formed Vietnamese syllable (any case, at most one tone mark)."""
    low = unicodedata.normalize("NFC", word).lower()
    if not low or sum(ch in _TONED for ch in low) > 1:
        return False
    if any(ch not in _VIET_LETTERS for ch in low):
        return False
    return bool(_SYLLABLE.match("".join(_BASE.get(ch, ch) for ch in low)))


def assess(text: str) -> TextQuality:
    """The three signals and the combined score of ``text``."""
    text = unicodedata.normalize("NFC", text)
    visible = [ch for ch in text if not ch.isspace()]
    odd = sum(1 for ch in visible if not _usual(ch)) / len(visible) if visible else 0.0
    counted = valid = marked = 0
    for raw in text.split():
        word = raw.strip(_EDGE_PUNCT)
        if not word or any(ch.isdigit() for ch in word) or _is_acronym(word):
            continue
        counted += 1
        valid += is_syllable(word)
        marked += any(ch in _MARKED or ch in _TONED for ch in word.lower())
    if not counted:
        return TextQuality(0, 0.0, 0.0, odd, 0.0)
    syl, mark = valid / counted, marked / counted
    score = syl * min(1.0, mark / 0.3) * max(0.0, 1.0 - 5 * odd)
    return TextQuality(counted, round(syl, 3), round(mark, 3), round(odd, 3), round(score, 3))


def text_score(text: str) -> float:
    """0 (not Vietnamese text) … 1 (clean Vietnamese)."""
    return assess(text).score


def has_odd_chars(text: str) -> bool:
    """True when ``text`` holds a character outside the Vietnamese alphabet, digits and
    usual punctuation (``Ÿ``, ``Ø``, ``‡``, ``§``…)."""
    return any(not _usual(ch) for ch in text if not ch.isspace())


def _usual(ch: str) -> bool:
    low = ch.lower()
    return low in _VIET_LETTERS or ch.isdigit() or ch in _PUNCT


def _is_acronym(word: str) -> bool:
    return bool(_ACRONYM.match(word)) and not is_syllable(word)
