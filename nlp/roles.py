"""Who leads and who supports a task.

Sources, strongest first: a label line ("Cơ quan chủ trì: …") or a table column; the
item's own words ("Sở X chủ trì", "Giao Sở X", "Đề nghị Sở X", a subject at the start);
the agency heading the item sits under ("3. Sở Nông nghiệp và Môi trường:"); the
document's Kính gửi list when the item says "(mục kính gửi)". Agencies named after
"phối hợp với" support — unless the item's own agency merely cooperates with one named
body, which then leads.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extract.normalize import fold
from nlp.agencies import find_agencies
from nlp.model import AgencyMention, Role
from nlp.names import tidy_mentions

_LEAD_AFTER = re.compile(r"^\s*,?\s*(?:là cơ quan |làm |)chủ trì\b", re.I)
_LEAD_BEFORE = re.compile(
    r"(?:\bgiao(?: cho)?|\bđề nghị|\byêu cầu|\bgiao nhiệm vụ cho|\bphân công)\s*"
    r"(?:các\s+)?(?:đồng chí\s*)?$",
    re.I,
)
_SUPPORT_BEFORE = re.compile(r"phối(?: hợp)?(?: chặt chẽ)?(?: với)?\s*$", re.I)
_ASSIGNER = re.compile(
    r"^\s*(?:đã\s+)?(giao|đề nghị|yêu cầu|ban hành|"
    r"nhận được|kết luận|truyền đạt)\b",
    re.I,
)
_CHAIN = re.compile(
    r"^[\s,;:]*(?:và|với|cùng)?\s*(?:các\s+)?(?:tỉnh|thành phố|sở|bộ|huyện|xã|,)?[\s,:]*$",
    re.I)
_MARKER = re.compile(r"^\s*(?:[-+•*–]|\(?[0-9a-zđIVX]{1,3}(?:\.[0-9]{1,2})*[.)])?\s*")
_START_PHOI_HOP = re.compile(r"(?:Chủ động\s+)?phối(?: hợp)?(?: chặt chẽ)?(?: với)?\b", re.I)


def starts_with_phoi_hop(text: str) -> bool:
    """Does the item (after its list marker) open with "Phối hợp với …"?"""
    return bool(_START_PHOI_HOP.match(text, _MARKER.match(text).end()))


def _specific(ms: list[AgencyMention]) -> list[AgencyMention]:
    return [m for m in ms if not m.generic]


def support_mentions(text: str, ms: list[AgencyMention]) -> list[AgencyMention]:
    """Mentions chained after "phối hợp với" (", "/"và" between them)."""
    out: list[AgencyMention] = []
    chain_end: int | None = None
    for m in ms:
        before = text[: m.start]
        if _SUPPORT_BEFORE.search(before[-40:]):
            chain_end = m.end
            out.append(m)
        elif chain_end is not None and _CHAIN.match(text[chain_end : m.start]):
            chain_end = m.end
            out.append(m)
        else:
            chain_end = None
    return _specific(out)


def lead_mentions(text: str, ms: list[AgencyMention]) -> list[AgencyMention]:
    """Mentions the item's own words make responsible."""
    out: list[AgencyMention] = []
    chain: list[AgencyMention] = []
    by_cue = False  # the chain in progress follows "giao"/"đề nghị"
    for i, m in enumerate(ms):
        after = text[m.end : m.end + 40]
        before = text[max(0, m.start - 40) : m.start]
        if chain and _CHAIN.match(text[chain[-1].end : m.start]):
            chain.append(m)
        else:
            chain, by_cue = [m], False
        if _ASSIGNER.match(after):
            chain, by_cue = [], False  # who assigns is not who does
        elif _LEAD_AFTER.match(after):
            out.extend(chain)
            chain = []
        elif _LEAD_BEFORE.search(before) or by_cue:
            out.append(m)
            by_cue = True
        elif i == 0 and _is_subject(text, m):
            # the item's subject: "Sở Y tế phối hợp …", "Các tỉnh Nghệ An, Quảng Ngãi …"
            out.append(m)
            by_cue = True  # bodies chained to the subject are subjects too
    seen: set[str] = set()
    uniq = []
    for m in _specific(out):
        k = _key(m)
        if k not in seen:
            seen.add(k)
            uniq.append(m)
    return uniq


_SUBJECT_LEAD_IN = re.compile(
    r"^\s*(?:đồng chí\s+)?(?:(?:bộ trưởng|thủ trưởng|giám đốc|chủ tịch|thống đốc|tổng giám đốc|"
    r"chánh|trưởng|người đứng đầu)\s+)?(?:(?:các|toàn bộ)\s+)?"
    r"(?:(?:tỉnh|thành phố|sở|bộ)\s*:?\s*)?$", re.I)  # "Thống đốc Ngân hàng Nhà nước …"
_ADVERBIAL = re.compile(
    r"\s*(?:Căn cứ|Trên cơ sở|Để|Nhằm|Trong|Đối với|Thứ \w+|Sau khi|Khi|Theo)\b[^;.:]{0,250},\s*$")


_PLACE_UNIT = re.compile(r"(?:[Cc]ác tỉnh|[Tt]ỉnh|[Tt]hành phố)\s+")
_WORD = re.compile(r"[^\W\d_]+")


def _proper_name(text: str, pos: int) -> int:
    """End of the run of capitalised words starting at ``pos`` (``pos`` when none)."""
    end = pos
    while True:
        m = _WORD.match(text, pos)
        if m is None or not m.group(0)[0].isupper():
            return end
        end = m.end()
        if not text.startswith(" ", end):
            return end
        pos = end + 1


def place_subjects(text: str) -> list[AgencyMention]:
    """Provinces or cities opening an item of a central document ("Các tỉnh Nghệ An,
    Quảng Ngãi …", "Thành phố Hà Nội và các tỉnh Bắc Ninh, Gia Lai đẩy nhanh …"): each is
    its government, the item's subject."""
    pos = _MARKER.match(text).end()
    out: list[AgencyMention] = []
    while (unit := _PLACE_UNIT.match(text, pos)) is not None:
        label = "Thành phố" if "thành" in unit.group(0).lower() else "Tỉnh"
        pos = unit.end()
        while (end := _proper_name(text, pos)) > pos:
            name = text[pos:end]
            out.append(AgencyMention(name, pos, end, f"{label} {name}", None, None, False,
                                     "place-subject"))
            sep = re.match(r",\s*", text[end:])
            if sep is None or _PLACE_UNIT.match(text, end + sep.end()):
                pos = end + (sep.end() if sep else 0)
                break
            pos = end + sep.end()
        joiner = re.match(r"\s*(?:và\s+)?", text[pos:])
        pos += joiner.end() if joiner else 0
    return out


def _is_subject(text: str, m: AgencyMention) -> bool:
    """Does the item open with this mention — after its marker, an optional adverbial
    clause ("Căn cứ nội dung Kế hoạch …, các sở, ngành …") and at most a lead-in such as
    "Các tỉnh"? A verb before it ("Tham mưu Ủy ban nhân dân tỉnh …") makes it an object."""
    if starts_with_phoi_hop(text):
        return False
    begin = _MARKER.match(text).end()
    before = text[begin:m.start]
    if _SUBJECT_LEAD_IN.match(before):
        return True
    # after an adverbial clause: "Để nâng cao hiệu lực, hiệu quả …, các Sở, ngành …"
    comma = before.rfind(",")
    return comma >= 0 and bool(_ADVERBIAL.match(before[:comma + 1])) and \
        bool(_SUBJECT_LEAD_IN.match(before[comma + 1:]))


def heading_agencies(heading: str, jurisdiction: str | None) -> list[AgencyMention]:
    """Agencies a heading assigns: "3. Sở Nông nghiệp và Môi trường:", "Công an tỉnh",
    "Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban Quản lý …):", "Các sở, ban, ngành:
    Là các đơn vị …". Offsets are relative to ``heading``."""
    h = heading.rstrip()
    labelled = h.endswith(":")
    colon = h.find(":")
    if 0 < colon < len(h) - 1 and colon <= 150:
        h, labelled = h[:colon], True  # "X: Là các đơn vị …" — the label names X
    h = h.rstrip(":;. ")
    lead_in = re.match(r"^(Đề nghị|Giao|Yêu cầu)\s+", h)  # "14. Đề nghị Ủy ban MTTQ …"
    skip = lead_in.end() if lead_in else 0
    if not h[skip:] or len(h) > 250:
        return []
    found = [shift(m, skip) for m in
             tidy_mentions(h[skip:], find_agencies(h[skip:], jurisdiction=jurisdiction))]
    ms = _specific(found)
    if not ms:
        return []
    # "Các sở, ban, ngành (Thành viên Ban Chỉ đạo …)": the parenthesis describes, the
    # bodies outside it are assigned
    outside = [m for m in ms if not _in_parens(h, m.start)]
    ms = outside or ms
    named = [m for m in found if not _in_parens(h, m.start)] if outside else found
    covered = sum(m.end - m.start for m in named)  # vague ones are agency words too
    bare = len(re.sub(r"\([^)]*\)", "", h[skip:])) if outside else len(h[skip:])
    residue = re.sub(r"\([^)]*\)", " ", _cut(h, named))  # descriptors around a list
    words = re.findall(r"\w+", re.sub(r"\b(và|các|đồng chí|tỉnh)\b", " ", residue))
    if covered >= 0.6 * bare or (labelled and len(words) <= 8):
        return ms
    return []


def _collective(m: AgencyMention) -> bool:
    """A definite collective ("các sở, ngành, địa phương") is no single named partner."""
    name = (m.canonical or m.text).lower()
    return m.rule == "collective" or name.startswith("các ") or "," in name


def _in_parens(text: str, pos: int) -> bool:
    return text.count("(", 0, pos) > text.count(")", 0, pos)


def _cut(text: str, ms: list[AgencyMention]) -> str:
    out, pos = [], 0
    for m in ms:
        out.append(text[pos : m.start])
        pos = m.end
    out.append(text[pos:])
    return "".join(out)


def _key(m: AgencyMention) -> str:
    return fold(m.canonical or m.text)


def assign_roles(
    text: str,
    mentions: list[AgencyMention],
    inherited: list[AgencyMention],
    explicit_lead: list[AgencyMention] | None = None,
    explicit_support: list[AgencyMention] | None = None,
) -> list[Role]:
    """Roles for one task from its text, mentions (offsets into ``text``) and the
    agencies it inherits from its heading or the Kính gửi list."""
    support = list(explicit_support or []) or support_mentions(text, mentions)
    lead = list(explicit_lead or []) or [
        m for m in lead_mentions(text, mentions) if _key(m) not in {_key(s) for s in support}
    ] or place_subjects(text)
    lead_rule = "label" if explicit_lead else "text"
    if not lead and inherited:
        if starts_with_phoi_hop(text) and len(support) == 1 and len(inherited) == 1 \
                and not _collective(support[0]) and not explicit_support:
            # "Phối hợp với Sở Nội vụ tổ chức …" under "2. Sở KH&CN": Sở Nội vụ leads
            lead, support = support, inherited
            lead_rule = "partner-leads"
        else:
            lead = inherited
            lead_rule = "heading"
    roles: list[Role] = []
    seen: set[tuple[str, str]] = set()
    for m in lead:
        if (_key(m), "lead") not in seen:
            seen.add((_key(m), "lead"))
            roles.append(Role(m, "lead", lead_rule))
    lead_keys = {_key(m) for m in lead}
    for m in support:
        if _key(m) not in lead_keys and (_key(m), "support") not in seen:
            seen.add((_key(m), "support"))
            roles.append(Role(m, "support", "phoi-hop"))
    return roles


def shift(m: AgencyMention, offset: int) -> AgencyMention:
    return replace(m, start=m.start + offset, end=m.end + offset)
