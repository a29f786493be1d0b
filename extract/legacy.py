"""Legacy Vietnamese font encodings (TCVN3 / ABC and VNI-Windows) converted to Unicode.

Before Unicode, Vietnamese text was typed in 8-bit fonts: the bytes are ordinary
Windows-1252 characters and only the font draws them as Vietnamese letters. A Word file or
a PDF text layer therefore hands us "B¸o c¸o" (TCVN3, fonts .VnTime, .VnArial …) or
"COÄNG HOAØ" (VNI, fonts VNI-Times …). The tables live in ``extract/data/tcvn3.csv`` and
``extract/data/vni.csv``:

* TCVN3 (TCVN 5712:1993, VN3): one byte, one letter. The upper-case fonts (.VnTimeH,
  .VnArialH …) draw the *same* codes as capitals, so a run in such a font is read with the
  lower-case table and then upper-cased.
* VNI: a base letter followed by a separate mark character ("o" + "ä" = "ộ"); a few
  letters are single characters ("ñ" = "đ", "ö" = "ư", "í" = "í").

The decision is taken per run of text, from evidence, never per file: one file may mix
fonts, and a style that names .VnTime may still hold Unicode text (corpus 23). A
:class:`LegacyDecoder` looks at all the runs of one document, grouped by font, and decides
per font: the font name proposes an encoding, the characters confirm or overrule it (a
font whose text is mostly real Unicode Vietnamese letters is not legacy); for fonts that
name no legacy encoding, the character statistics of :func:`detect_legacy_encoding`
decide. A run that itself holds Unicode-only Vietnamese letters is never converted.

Conversion output is *not* normalized: callers join the pieces and pass the result through
:func:`extract.normalize.normalize_text` (the single normalization boundary), as
:func:`convert_text` does.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from extract.normalize import normalize_text
from extract.readers.sniff import detect_legacy_encoding

__all__ = [
    "LegacyDecoder", "convert_runs", "convert_text", "font_encoding", "to_unicode",
]

TCVN3 = "TCVN3"
VNI = "VNI"

# Letters of Unicode Vietnamese that no 8-bit (Windows-1252) legacy text can contain.
_UNICODE_ONLY = re.compile(r"[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9\u0300-\u0303\u0309\u0323]")
# Vietnamese letters that also exist in Latin-1: a legacy run may contain them too.
_SHARED = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")

_SUBSET = re.compile(r"^[A-Z]{6}\+")
_STYLE_SUFFIX = re.compile(r"[-,](Bold|Italic|BoldItalic|BoldOblique|Oblique|Regular)$", re.I)
_TCVN3_FONT = re.compile(r"^\.?Vn[A-Z]")  # .VnTime, .VnArialH, VnTimeH (not "VNtimes …")
_VNI_FONT = re.compile(r"^VNI[-_ ]", re.I)  # VNI-Times, VNI-Helve, VNI-Top …


@dataclass(frozen=True)
class _Tables:
    tcvn3: dict[str, str]  # legacy character → Unicode (lower-case fonts)
    vni: dict[str, str]  # one or two legacy characters → Unicode
    tcvn3_only: frozenset[str]  # TCVN3 codes that are not Vietnamese Unicode letters
    vni_only: frozenset[str]


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("extract.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def tables() -> _Tables:
    """The TCVN3 and VNI tables, loaded once from ``extract/data``."""
    tcvn3 = {row["legacy"]: row["unicode"] for row in _read_csv("tcvn3.csv")}
    vni = {row["legacy"]: row["unicode"] for row in _read_csv("vni.csv")}
    vni_chars = {ch for key in vni for ch in key if not ch.isascii()}
    return _Tables(
        tcvn3=tcvn3, vni=vni,
        tcvn3_only=frozenset(k for k in tcvn3 if k not in _SHARED),
        vni_only=frozenset(ch for ch in vni_chars if ch not in _SHARED),
    )


# --------------------------------------------------------------------------- fonts


def font_encoding(font: str | None) -> tuple[str, bool] | None:
    """The legacy encoding a font name implies: ``("TCVN3", upper)``, ``("VNI", False)``
    or None. ``upper`` is True for the all-capitals TCVN3 fonts (.VnTimeH, .VnArialH …).

    Accepts PDF names ("ABCDEF+.VnTimeH,Bold") and LibreOffice alternative lists
    (".VnTime;Times New Roman": the first name is the one the document asked for).
    """
    if not font:
        return None
    name = _SUBSET.sub("", font.split(";")[0].strip())
    name = _STYLE_SUFFIX.sub("", name.split(",")[0]).strip()
    if _VNI_FONT.match(name):
        return VNI, False
    if _TCVN3_FONT.match(name):
        return TCVN3, name.endswith("H")
    return None


# --------------------------------------------------------------------------- conversion


def _decode_chars(text: str, encoding: str, upper: bool = False) -> list[str]:
    """The Unicode reading of each character of ``text`` (same length as ``text``).

    A VNI mark is folded into the letter before it, so its own slot is "".
    """
    t = tables()
    if encoding == TCVN3:
        out = [t.tcvn3.get(ch, ch) for ch in text]
        return [s.upper() for s in out] if upper else out
    out = []
    i = 0
    while i < len(text):
        pair = text[i:i + 2]
        hit = t.vni.get(pair) if len(pair) == 2 else None
        if hit is None and len(pair) == 2 and pair[0].isalpha():  # "Uû": mark case differs
            low = t.vni.get(pair.lower())
            hit = (low.upper() if pair[0].isupper() else low) if low else None
        if hit is not None:
            out.extend((hit, ""))
            i += 2
            continue
        out.append(t.vni.get(text[i], text[i]))
        i += 1
    return out


def to_unicode(text: str, encoding: str, upper: bool = False) -> str:
    """``text`` read in a legacy ``encoding`` ("TCVN3" or "VNI"); not normalized."""
    return "".join(_decode_chars(text, encoding, upper))


@dataclass(frozen=True)
class Verdict:
    encoding: str | None  # "TCVN3", "VNI" or None (Unicode)
    upper: bool = False
    reason: str = ""
    evidence: int = 0  # legacy-only characters seen in the font's text


class LegacyDecoder:
    """Per-font verdicts for one document, then per-run conversion.

    Build it from every ``(text, font)`` run of the document, then call :meth:`convert`
    on each run. Fonts not seen at construction are judged from their name and the run.
    """

    def __init__(self, runs: Iterable[tuple[str, str | None]] = ()):
        by_font: dict[str | None, list[str]] = {}
        for text, font in runs:
            by_font.setdefault(font, []).append(text)
        self._verdicts = {f: _judge("".join(ts), f) for f, ts in by_font.items()}

    def verdict(self, font: str | None, text: str = "") -> Verdict:
        if font not in self._verdicts:
            self._verdicts[font] = _judge(text, font)
        return self._verdicts[font]

    @property
    def encodings(self) -> set[str]:
        """The legacy encodings found (for a reader's warning)."""
        return {v.encoding for v in self._verdicts.values() if v.encoding and v.evidence}

    def convert_chars(self, text: str, font: str | None) -> list[str]:
        v = self.verdict(font, text)
        if v.encoding is None or _UNICODE_ONLY.search(text):
            return list(text)
        return _decode_chars(text, v.encoding, v.upper)

    def convert(self, text: str, font: str | None) -> str:
        """One run's text in Unicode (not normalized)."""
        return "".join(self.convert_chars(text, font))

    def convert_runs(self, runs: Sequence[tuple[str, str | None]]) -> list[str]:
        """Each run's text in Unicode (not normalized), one string per run.

        Adjacent runs in the same font are decoded together, so a VNI mark that sits in
        the run after its letter still joins it (that run's slot then loses the mark).
        """
        out: list[str] = []
        i = 0
        while i < len(runs):
            j = i + 1
            while (j < len(runs) and runs[j][1] == runs[i][1]
                   and not _UNICODE_ONLY.search(runs[j][0] + runs[j - 1][0])):
                j += 1
            texts = [t for t, _ in runs[i:j]]
            chars = self.convert_chars("".join(texts), runs[i][1])
            pos = 0
            for t in texts:
                out.append("".join(chars[pos:pos + len(t)]))
                pos += len(t)
            i = j
        return out


def _judge(text: str, font: str | None) -> Verdict:
    t = tables()
    unicode_votes = len(_UNICODE_ONLY.findall(text))
    named = font_encoding(font)
    if named:
        encoding, upper = named
        only = t.tcvn3_only if encoding == TCVN3 else t.vni_only
        legacy_votes = sum(1 for ch in text if ch in only)
        if unicode_votes > legacy_votes:
            return Verdict(None, reason=f"font {font} but the text is Unicode")
        return Verdict(encoding, upper and legacy_votes > 0, f"font {font}", legacy_votes)
    guess = detect_legacy_encoding(text)
    if guess and unicode_votes * 10 < len(text):
        return Verdict(guess, False, "character statistics", len(text))
    return Verdict(None)


def convert_runs(runs: Sequence[tuple[str, str | None]]) -> list[str]:
    """Each run's text in Unicode, one string per input run, same order.

    ``runs`` are ``(text, font name or None)`` pairs of one document — DOCX runs, or PDF
    characters with their font names. Verdicts are taken per font over all the runs (see
    :class:`LegacyDecoder`). The output is not normalized: join it, then
    :func:`extract.normalize.normalize_text`.
    """
    return LegacyDecoder(runs).convert_runs(runs)


def convert_text(text: str, font: str | None = None) -> str:
    """A whole string in Unicode and normalized: by the font's encoding when it names one
    (and the text does not contradict it), else by character statistics."""
    return normalize_text(LegacyDecoder([(text, font)]).convert(text, font))
