"""The rules of the agency scan: each proposes a match at one token of a tokenized text.

A rule returns ``(index of the token after the match, mentions)`` or None. :func:`best`
runs them all at a token and keeps the longest match; on a tie the more specific rule (later
in the list) wins. Used by :mod:`nlp.agencies`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache

from extract.normalize import fold
from nlp.gazetteer import (
    Entry,
    Token,
    entry_by_id,
    entry_by_name,
    is_acronym,
    is_titlecase,
    longest_name,
    match_phrase,
    name_keys,
    patterns,
    phrase_set,
    tokenize,
    trie,
)
from nlp.model import AgencyMention

Found = tuple[int, list[AgencyMention]]  # index of the token after the match, its mentions
Rule = Callable[[str, Sequence[Token], int], "Found | None"]
_MAX_LOWER = 4  # lower-case words a structural name may run on after its first field word


def best(text: str, tokens: Sequence[Token], i: int, *, titles: bool = True) -> Found | None:
    """The longest match of any rule at token ``i``; on a tie the later rule wins.

    A structural guess never extends a specific gazetteer name ("Sở Tài chính lập …").
    """
    gazetteer = _gazetteer(text, tokens, i)
    rules: list[Rule] = [_collective, _unit_collective, _enumeration, _place_enumeration]
    if titles:
        rules.append(_title)
    top = gazetteer if gazetteer is not None and gazetteer[1] else None
    if top is None or _generic_entry(top[1][0]):
        rules.insert(0, _structural)
    for rule in rules:
        found = rule(text, tokens, i)
        if found is not None and found[1] and (top is None or found[0] >= top[0]):
            if rule is _structural and top is not None and found[0] == top[0]:
                continue
            top = found
    return top


def may_start(tok: Token) -> bool:
    """False when no rule can match at this token: each rule's first test is on the first
    word (a phrase list's first words, a gazetteer name's first key), so :func:`best` would
    return None. Lets the scan skip most tokens without running the rules."""
    lows, keys = _start_words()
    return tok.low in lows or tok.key in keys


@cache
def _start_words() -> tuple[frozenset[str], frozenset[str]]:
    lows = {"các", *_ENUM_HEADS}
    for key in ("collective_openers", "collective_words", "unit_heads", "titles", "heads"):
        lows.update(words[0] for words in phrase_set(key))
    return frozenset(lows), frozenset(trie().children)


def _generic_entry(m: AgencyMention) -> bool:
    entry = entry_by_id().get(m.agency_id or "")
    return entry is None or entry.generic


def _mention(
    text: str, start: int, end: int, canonical: str | None, rule: str, **kw: object
) -> AgencyMention:
    return AgencyMention(
        text=text[start:end],
        start=start,
        end=end,
        canonical=canonical,
        successor=kw.get("successor"),  # type: ignore[arg-type]
        agency_id=kw.get("agency_id"),  # type: ignore[arg-type]
        generic=bool(kw.get("generic", False)),
        rule=rule,
    )


def _title(text: str, tokens: Sequence[Token], i: int) -> Found | None:
    hit = match_phrase(tokens, i, "titles")
    if hit is None or hit[0] >= len(tokens) or not _space(tokens[hit[0]]):
        return None
    j = hit[0]
    body = best(text, tokens, j, titles=False)
    if body is None or not body[1]:
        return None
    end, mentions = body
    if len(mentions) != 1 or mentions[0].rule == "enumeration":
        return end, mentions
    m = mentions[0]
    canonical = _capitalize(m.canonical) if m.rule in {"collective", "generic"} else m.canonical
    start = tokens[i].start
    return end, [
        replace(m, text=text[start : m.end], start=start, canonical=canonical, rule="title")
    ]


def _gazetteer(text: str, tokens: Sequence[Token], i: int) -> Found | None:
    hit = longest_name(text, tokens, i)
    if hit is None:
        return None
    j, surface = hit
    entry = surface.entry
    start = tokens[i].start
    rule = "gazetteer" if fold(surface.written) == fold(entry.name) else "alias"
    if entry.level != "central" and not (entry.kind == "ubnd" and not entry.generic):
        unit_end, place_end = _tail(tokens, j, unit_done=_ends_with_unit(tokens[j - 1]))
        if place_end > unit_end and entry.kind in {"ubnd", "hdnd"} and entry.generic:
            name = _tidy(text[start : tokens[place_end - 1].end])
            return place_end, [_mention(text, start, tokens[place_end - 1].end, name, "structural")]
        j = place_end
    m = _mention(
        text,
        start,
        tokens[j - 1].end,
        entry.name,
        rule,
        successor=entry.successor,
        agency_id=entry.id,
    )
    return j, [m]


def _ends_with_unit(tok: Token) -> bool:
    return (tok.low,) in phrase_set("place_units") or tok.low in {"tp", "phố"}


def _tail(tokens: Sequence[Token], j: int, *, unit_done: bool) -> tuple[int, int]:
    """Absorb "(của) tỉnh (Lâm Đồng)" after a name: (end of the unit word, end of the place)."""
    k = j
    if not unit_done:
        if k < len(tokens) and tokens[k].low == "của" and _space(tokens[k]):
            k += 1
        unit = _unit(tokens, k) if k < len(tokens) and _space(tokens[k]) else None
        if unit is None or tokens[k].low in {"cấp", "địa"}:
            return j, j
        k = unit
    return k, _place(tokens, k)


def _place(tokens: Sequence[Token], k: int) -> int:
    n = k
    while n < len(tokens) and n - k < 4 and is_titlecase(tokens[n].text):
        tok = tokens[n]
        if tok.gap.strip(" -–") or "\n" in tok.gap or _head_word(tokens, n):
            break
        if n == k and not _space(tok):
            break
        n += 1
    return n


def _head_word(tokens: Sequence[Token], n: int) -> bool:
    return (
        match_phrase(tokens, n, "heads") is not None
        or match_phrase(tokens, n, "titles") is not None
    )


def _space(tok: Token) -> bool:
    return tok.gap != "" and tok.gap.strip(" \t") == "" and "\n" not in tok.gap


def _tidy(name: str) -> str:
    abbr: dict[str, str] = patterns()["abbreviations"]
    name = re.sub(r"\s+", " ", name).strip(" ,;:.-–")
    return re.sub(r"\w+", lambda m: abbr.get(m.group(), m.group()), name)


def _capitalize(name: str | None) -> str | None:
    return name[:1].upper() + name[1:] if name else name


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


def _skip(tokens: Sequence[Token], i: int, key: str) -> int:
    hit = match_phrase(tokens, i, key) if i < len(tokens) else None
    return hit[0] if hit else i


def _vague_ending(tokens: Sequence[Token], end: int) -> bool:
    for words in phrase_set("vague_endings"):
        n = len(words)
        if end >= n and tuple(t.low for t in tokens[end - n : end]) == words:
            return True
    return False


def is_generic_span(tokens: Sequence[Token], start: int, end: int) -> bool:
    """Vague: ends in "liên quan" or is built only of generic collective words (after titles)."""
    if _vague_ending(tokens, end):
        return True
    start = _skip(tokens, start, "titles")
    if start >= end:
        return False
    words = phrase_set("collective_words")
    i = start
    while i < end:
        opener = match_phrase(tokens, i, "collective_openers")
        if opener is not None and opener[0] < end:
            i = opener[0]
            continue
        if tokens[i].low == "và":
            i += 1
            continue
        hit = match_phrase(tokens, i, "collective_words")
        if hit is None or hit[0] > end:
            return False
        if not words[tuple(t.low for t in tokens[i : hit[0]])].get("generic"):
            return False
        i = hit[0]
    return True


# ------------------------------------------------------------------- shared small helpers


def _unit(tokens: Sequence[Token], k: int) -> int | None:
    """End of a unit word at ``k`` ("tỉnh", "thành phố", "xã" but not "xã hội")."""
    hit = match_phrase(tokens, k, "unit_types") if k < len(tokens) else None
    if hit is None:
        return None
    if tokens[hit[0] - 1].low == "xã" and hit[0] < len(tokens) and tokens[hit[0]].low == "hội":
        return None
    return hit[0]


def _stop(tokens: Sequence[Token], k: int) -> bool:
    return match_phrase(tokens, k, "stop_words") is not None


def _collective_word(tokens: Sequence[Token], k: int) -> bool:
    return match_phrase(tokens, k, "collective_words") is not None


def _not_agency(tokens: Sequence[Token], i: int) -> bool:
    table = phrase_set("not_agencies")
    return any(tuple(t.low for t in tokens[i : i + n]) in table for n in (2, 3))


def _lookup(name: str) -> Entry | None:
    """The gazetteer entry whose name or alias is exactly ``name``."""
    tokens = tokenize(name)
    hit = longest_name(name, tokens, 0, running=False) if tokens else None
    if hit is not None and hit[0] == len(tokens):
        return hit[1].entry
    return entry_by_name().get(name_keys(name))


# ------------------------------------------------------------------------ structural names


def _structural(text: str, tokens: Sequence[Token], i: int) -> Found | None:
    """Head noun + a capitalised field: "Sở Du lịch", "Trung tâm Phục vụ hành chính công tỉnh"."""
    head = match_phrase(tokens, i, "heads")
    word = tokens[i].text
    if head is None or i + 1 >= len(tokens) or not word[:1].isupper():
        return None
    if word[1:].isupper() and word.lower() not in {"ubnd", "hđnd"}:
        return None  # an all-capital heading ("VỤ NĂM 2023")
    field = i + 1 if _name_word(tokens[i + 1]) else head[0]
    if field >= len(tokens) or not _name_word(tokens[field]) or _unit(tokens, field):
        return None  # "Ủy ban nhân dân Tỉnh …" is the gazetteer's
    if _not_agency(tokens, i):
        return None
    core_end = _field_end(tokens, field + 1)
    unit_end, place_end = _tail(tokens, core_end, unit_done=False)
    if unit_end == core_end and core_end != _field_end(tokens, field + 1, commas=False):
        core_end = _field_end(tokens, field + 1, commas=False)  # a comma run that found no unit
        unit_end = place_end = core_end
    cfg = head[1]
    keep = core_end
    if unit_end > core_end and (cfg.get("place") == "keep" or _below_province(tokens, core_end)):
        keep = place_end
    elif unit_end > core_end and cfg.get("unit") == "keep":
        keep = unit_end
    start = tokens[i].start
    name = _tidy(text[start : tokens[keep - 1].end])
    entry = _lookup(name)
    m = _mention(
        text,
        start,
        tokens[place_end - 1].end,
        entry.name if entry else name,
        "structural",
        successor=entry.successor if entry else None,
        agency_id=entry.id if entry else None,
    )
    return place_end, [m]


def _name_word(tok: Token) -> bool:
    return _space(tok) and (is_titlecase(tok.text) or is_acronym(tok.text))


def _below_province(tokens: Sequence[Token], k: int) -> bool:
    return tokens[k].low not in {"tỉnh", "thành", "tp"}


def _field_end(tokens: Sequence[Token], j: int, *, commas: bool = True) -> int:
    """End of the field words of a structural name starting at ``j``."""
    lower = 0
    while j < len(tokens):
        t = tokens[j]
        gap = t.gap.strip(" \t\n")
        if gap not in {"", "-", "–", "&", ","} or ("\n" in t.gap and not t.text[:1].islower()):
            break
        if gap == "," and (not commas or is_titlecase(t.text) or _collective_word(tokens, j)):
            break
        lower_stop = not is_titlecase(t.text) and _stop(tokens, j)
        if _unit(tokens, j) is not None or lower_stop or _collective_word(tokens, j):
            break
        if t.low == "và" and (j + 1 >= len(tokens) or _blocks(tokens, j + 1)):
            break
        if is_titlecase(t.text) and _head_word(tokens, j):
            break
        if not is_titlecase(t.text) and not t.text[:1].isdigit():
            lower += 1
            if lower > _MAX_LOWER:
                break
        j += 1
    while j > 0 and tokens[j - 1].low == "và":
        j -= 1
    return j


def _blocks(tokens: Sequence[Token], k: int) -> bool:
    return _stop(tokens, k) or _head_word(tokens, k) or _collective_word(tokens, k)


# ---------------------------------------------------------------------------- collectives


def _collective(text: str, tokens: Sequence[Token], i: int) -> Found | None:
    """ "các sở, ban, ngành thuộc tỉnh" (definite), "các cơ quan, đơn vị liên quan" (vague)."""
    opener = match_phrase(tokens, i, "collective_openers")
    k = opener[0] if opener else i
    body = k
    items = 0
    while k < len(tokens):
        m = k if items == 0 else _next_item(tokens, k)
        if m is None or (items == 0 and opener and not _space(tokens[m])):
            break
        if tokens[m].low == "các" and m + 1 < len(tokens) and _space(tokens[m + 1]):
            m += 1
        item = match_phrase(tokens, m, "collective_words")
        if item is None or _proper_name_follows(tokens, m, item[0]) or _title_at(tokens, m) \
                or _not_agency(tokens, m):
            break  # … or "các Hội nghị": a compound word, not the collective "các hội"
        items, k = items + 1, item[0]
    if items == 0:
        return None
    k = _tails(tokens, k)
    if not (opener or ((items >= 2 or _vague_ending(tokens, k)) and _free_start(tokens, i))):
        return None
    generic = is_generic_span(tokens, body, k)
    start, end = tokens[i].start, tokens[k - 1].end
    name = _capitalize(_tidy(text[start:end]))
    return k, [
        _mention(text, start, end, name, "generic" if generic else "collective", generic=generic)
    ]


def _proper_name_follows(tokens: Sequence[Token], m: int, end: int) -> bool:
    """ "các Sở Tài chính": a capitalised word after "Sở" makes it a name, not a collective."""
    return (
        end < len(tokens)
        and _space(tokens[end])
        and (is_titlecase(tokens[end].text) and tokens[m].low in {"sở", "bộ", "ban", "hội", "ngân"})
    )


def _next_item(tokens: Sequence[Token], k: int) -> int | None:
    """Start of the next list item after a separator at ``k`` (", ", "; ", " và ", ", và ")."""
    if k >= len(tokens):
        return None
    gap = tokens[k].gap.strip(" \t")
    if gap in {",", "/"}:
        return k + 1 if tokens[k].low == "và" and k + 1 < len(tokens) else k
    if _space(tokens[k]) and tokens[k].low == "và" and k + 1 < len(tokens):
        return k + 1
    return None


def _tails(tokens: Sequence[Token], k: int) -> int:
    for _ in range(2):
        if k >= len(tokens) or not _space(tokens[k]):
            break
        tail = match_phrase(tokens, k, "collective_tails")
        if tail is None:
            break
        k = tail[0]
    return k


def _unit_collective(text: str, tokens: Sequence[Token], i: int) -> Found | None:
    """ "Ủy ban nhân dân các huyện, thành phố", "UBND xã, phường, thị trấn"."""
    head = match_phrase(tokens, i, "unit_heads", gaps=True)
    if head is None or head[0] >= len(tokens) or not _space(tokens[head[0]]):
        return None
    k = head[0]
    opener = tokens[k].low == "các"
    k += opener
    units, first = 0, k
    while k < len(tokens):
        m = k if units == 0 else _next_item(tokens, k)
        if m is None or (units == 0 and not _space(tokens[m])):
            break
        end = _unit(tokens, m)
        if end is None:
            break
        units, k = units + 1, end
        first = k if units == 1 else first
    if units == 0 or (not opener and units < 2):
        return None
    k = _tails(tokens, k)
    start, end_char = tokens[i].start, tokens[k - 1].end
    name = _tidy(text[start:end_char])
    one = (
        text[start : tokens[head[0] - 1].end]
        + " "
        + text[tokens[first - 1].start : tokens[first - 1].end]
    )
    entry = _lookup(name) or _lookup(_tidy(one))
    return k, [
        _mention(
            text,
            start,
            end_char,
            name,
            "collective",
            successor=entry.successor if entry else None,
            agency_id=entry.id if entry else None,
        )
    ]


# ---------------------------------------------------------------------------- enumerations

_ENUM_HEADS = {"sở", "bộ", "ban", "phòng", "cục", "hội"}


def _enumeration(text: str, tokens: Sequence[Token], i: int) -> Found | None:
    """ "các Sở: Tài chính, Tư pháp" → "Sở Tài chính", "Sở Tư pháp" (spans: the items)."""
    opener = tokens[i].low == "các"
    k = i + opener
    if (
        k + 1 >= len(tokens)
        or tokens[k].low not in _ENUM_HEADS
        or (opener and not _space(tokens[k]))
    ):
        return None
    head = tokens[k].text[:1].upper() + tokens[k].text[1:].lower()
    k += 1
    colon = tokens[k].gap.strip() == ":"
    if not (colon or (opener and _space(tokens[k]))):
        return None
    mentions: list[AgencyMention] = []
    m: int | None = k
    end = k
    while m is not None:
        item = _enum_item(text, tokens, m, head)
        if item is None:
            break
        mentions.append(item[1])
        end = item[0]
        m = _next_item(tokens, end)
    if not mentions or (not colon and len(mentions) < 2):
        return None
    return end, mentions


def _enum_item(
    text: str, tokens: Sequence[Token], m: int, head: str
) -> tuple[int, AgencyMention] | None:
    tok = tokens[m]
    if not (is_titlecase(tok.text) or is_acronym(tok.text)):
        return None
    probe = [Token(0, 0, head, head.lower(), fold(head), ""), tok._replace(gap=" ")]
    probe += tokens[m + 1 : m + 12]
    hit = longest_name(text, probe, 0)
    if hit is not None and hit[0] > 1 and fold(hit[1].entry.name).startswith(fold(head)):
        end = m + hit[0] - 1
        entry = hit[1].entry
        return end, _mention(
            text,
            tok.start,
            tokens[end - 1].end,
            entry.name,
            "enumeration",
            successor=entry.successor,
            agency_id=entry.id,
        )
    if _head_word(tokens, m) or _collective_word(tokens, m) or _stop(tokens, m):
        return None
    end = m + 1
    while end < len(tokens) and end - m < 6 and _space(tokens[end]) and tokens[end].low != "và":
        if _blocks(tokens, end) or _unit(tokens, end) is not None:
            break
        end += 1
    name = f"{head} {_tidy(text[tok.start : tokens[end - 1].end])}"
    return end, _mention(text, tok.start, tokens[end - 1].end, name, "enumeration")


def _place_enumeration(text: str, tokens: Sequence[Token], i: int) -> Found | None:
    """ "các tỉnh: Gia Lai, Đắk Lắk" / "UBND các tỉnh Bắc Ninh, Gia Lai" → one body each."""
    head = match_phrase(tokens, i, "unit_heads", gaps=True)
    ubnd = head is not None and tokens[i].low in {"ủy", "ubnd"}
    k = head[0] if ubnd and head else i
    if k >= len(tokens) or tokens[k].low != "các":
        return None
    units: list[str] = []
    k += 1
    while k < len(tokens) and (not units or tokens[k].gap.strip() == ","):
        end = _unit(tokens, k)
        if end is None or tokens[k].low not in {"tỉnh", "thành"}:
            break
        units.append(" ".join(t.low for t in tokens[k:end]))
        k = end
    if not units or k >= len(tokens):
        return None
    colon = tokens[k].gap.strip() == ":"
    mentions: list[AgencyMention] = []
    m: int | None = k
    while m is not None and (colon or _space(tokens[m]) or mentions):
        item = _province(text, tokens, m, units, ubnd)
        if item is None:
            break
        mentions.append(item[1])
        k = item[0]
        m = _next_item(tokens, k)
    if not mentions or (not colon and len(mentions) < 2):
        return None
    return k, mentions


def _province(
    text: str, tokens: Sequence[Token], m: int, units: list[str], ubnd: bool
) -> tuple[int, AgencyMention] | None:
    end = m
    while end < len(tokens) and end - m < 4 and is_titlecase(tokens[end].text):
        if end > m and tokens[end].gap.strip(" -–"):
            break
        end += 1
    while end > m:
        place = text[tokens[m].start : tokens[end - 1].end]
        for unit in units:
            entry = entry_by_name().get(name_keys(f"Ủy ban nhân dân {unit} {place}"))
            if entry is not None:
                name = entry.name if ubnd else f"{unit.capitalize()} {place}"
                return end, _mention(
                    text,
                    tokens[m].start,
                    tokens[end - 1].end,
                    name,
                    "enumeration",
                    successor=entry.successor,
                    agency_id=entry.id,
                )
        end -= 1
    return None


def _title_at(tokens: Sequence[Token], m: int) -> bool:
    return match_phrase(tokens, m, "titles") is not None


def _free_start(tokens: Sequence[Token], i: int) -> bool:
    """A list without "các" must not start inside a compound ("cán bộ, …", "cơ sở, …")."""
    if i == 0 or tokens[i].gap.strip() or "\n" in tokens[i].gap:
        return True
    prev = tokens[i - 1].low
    return (
        _stop(tokens, i - 1)
        or prev in {"giao", "đơn", "tịch", "trưởng", "đầu", "với"}
        or (tokens[i - 1].text[:1].isupper() is False and (prev,) in phrase_set("titles"))
    )
