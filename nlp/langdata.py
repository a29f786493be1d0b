"""Lazy loaders for the language data under ``nlp/data/`` and a length-keeping fold.

Grammars match on :func:`fold_keep` (accent-less, lower case, one character per character)
so that an offset in the folded copy is the same offset in the canonical text.
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

from extract.normalize import strip_accents

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


@cache
def _fold_char(ch: str) -> str:
    if ch in _DASHES:
        return "-"
    out = strip_accents(ch).lower()
    if len(out) == 1:
        return out
    low = ch.lower()
    return low if len(low) == 1 else ch


class _KeepTable(dict):
    """``str.translate`` table of :func:`_fold_char`, filled on first sight of a character."""

    def __missing__(self, cp: int) -> str:
        out = self[cp] = _fold_char(chr(cp))
        return out


_KEEP = _KeepTable()


def fold_keep(text: str) -> str:
    """Accent-less lower-case copy of ``text`` with exactly the same length (dashes → ``-``)."""
    return text.translate(_KEEP)


def fold_phrase(phrase: str) -> str:
    """Fold a phrase from a data file the way :func:`fold_keep` folds the text."""
    return re.sub(r"\s+", " ", fold_keep(phrase)).strip()


def phrases_regex(phrases: list[str]) -> str:
    """An alternation (longest first) of folded phrases; spaces match any whitespace run."""
    folded = sorted({fold_phrase(p) for p in phrases}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in folded)


# libyaml's loader when PyYAML was built with it: the data files load ~10x faster, which a
# fresh ingest worker feels on its first document
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """Safe-load YAML text (libyaml when available)."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader


@cache
def load_yaml(name: str) -> dict[str, Any]:
    text = resources.files("nlp.data").joinpath(name).read_text(encoding="utf-8")
    return parse_yaml(text)


@cache
def load_csv(name: str) -> tuple[dict[str, str], ...]:
    text = resources.files("nlp.data").joinpath(name).read_text(encoding="utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))
