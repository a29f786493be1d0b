"""Agency mentions tidied where the text says more than the gazetteer matched."""

from __future__ import annotations

import re
from dataclasses import replace

from nlp.model import AgencyMention

_CAPITALISED = re.compile(r" ([^\W\d_]+)")
_EXTENDABLE = {"gazetteer", "alias", "structural"}


def tidy_mentions(text: str, ms: list[AgencyMention]) -> list[AgencyMention]:
    """Names run on through trailing proper names, and sub-units join their body."""
    return join_sub_units(text, extend_names(text, ms))


_SUB_UNIT = re.compile(r"^(Văn phòng|Cơ quan thường trực|Thường trực|Tổ giúp việc|Bộ phận|"
                       r"Phòng)\b", re.I)


def join_sub_units(text: str, ms: list[AgencyMention]) -> list[AgencyMention]:
    """"Văn phòng Thường trực" + "Ban Chỉ đạo 389 quốc gia" side by side are one body:
    the office of that committee."""
    out: list[AgencyMention] = []
    for m in ms:
        prev = out[-1] if out else None
        if prev is not None and not prev.generic and not m.generic \
                and _SUB_UNIT.match(prev.text) and text[prev.end:m.start] == " ":
            name = text[prev.start:m.end]
            out[-1] = replace(prev, text=name, end=m.end, canonical=name, agency_id=None,
                              successor=None, rule="structural")
            continue
        out.append(m)
    return out


def extend_names(text: str, ms: list[AgencyMention]) -> list[AgencyMention]:
    """A known name followed by capitalised words goes on through them: "Ban Quản lý Khu
    Kinh tế" + "Phú Yên", "Báo và Phát thanh Truyền hình" + "Lai Châu"."""
    out = []
    for i, m in enumerate(ms):
        limit = ms[i + 1].start if i + 1 < len(ms) else len(text)
        end, words = m.end, 0
        while words < 4 and (w := _CAPITALISED.match(text, end)) and w.end() <= limit \
                and w.group(1)[0].isupper():
            end, words = w.end(), words + 1
        if words and m.rule in _EXTENDABLE and not m.generic:
            m = replace(m, text=text[m.start:end], end=end)
        out.append(m)
    return out


