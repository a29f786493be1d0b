"""Header (thể thức) and footer of an official document, per NĐ 30/2020 Phụ lục I.

Works on the document's first and last blocks. Readers that know the page geometry give
the two header columns separately (``Block.column``); plain text exports interleave them
on one line ("Số: 12/UBND-VP Tuyên Quang, ngày …"), so every field is also found by its
own pattern inside a line.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources

from extract.markers import match_marker
from extract.model import Block, Header, Signature
from extract.normalize import fold

# ------------------------------------------------------------------------- patterns

_MOTTO_1 = "cong hoa xa hoi chu nghia viet nam"
_MOTTO_2 = "doc lap tu do hanh phuc"
_PARTY = "dang cong san viet nam"
_NUMBER = re.compile(r"\bSố\s*[:.]?\s*(?P<val>[0-9]*\s*(?:/\s*)?(?:\d{4}\s*/\s*)?[A-ZĐ][\w&/.\-–]*[\w])", re.U)
_NUMBER_ONLY = re.compile(r"^\s*Số\s*[:.]?\s*(?P<num>\d+)?\s*$")
_PLACE_DATE = re.compile(
    r"(?P<place>[A-ZĐÀ-Ỹ][^,;:\d]{1,40}?)\s*,\s*ngày\s*(?P<d>\d{1,2})?[\s.…_]*"
    r"tháng\s*(?P<m>\d{1,2})?[\s.…_]*năm\s*(?P<y>\d{4})",
    re.U,
)
_VV = re.compile(r"^\s*(?:V/v|v/v|V/V|Về việc|VỀ VIỆC|Về Việc)\s*:?\s*", re.U)
_KINH_GUI = re.compile(r"^\s*Kính\s+gửi\s*:?\s*", re.U | re.I)
_DONG_KINH_GUI = re.compile(r"^\s*Đồng\s+kính\s+gửi\s*:?", re.U | re.I)
_DIEN = re.compile(r"\bđiện\s*:\s*$", re.U)
_URGENCY = {"khan": "KHẨN", "thuong khan": "THƯỢNG KHẨN", "hoa toc": "HỎA TỐC",
            "hoa toc hen gio": "HỎA TỐC HẸN GIỜ"}
_SECRECY = {"mat": "MẬT", "toi mat": "TỐI MẬT", "tuyet mat": "TUYỆT MẬT"}
_RULE = re.compile(r"^[\s\-–—_=*.·•]{2,}$|^\*$")
_AUTHORITY = re.compile(r"(?<![\w])(TM|KT|TL|TUQ|Q|T/M|K/T|T/L|TUQ)\s*\.?\s+(?=[A-ZĐÀ-Ỹ]{2})", re.U)
_NOI_NHAN = re.compile(r"^\s*Nơi\s+nhận\s*:?", re.U | re.I)
_SIGNED = re.compile(r"^\(?\s*(đã ký|đã ký và đóng dấu|ký|\(đã ký\))\s*\)?$", re.I)
_BODY_CUE = re.compile(
    r"^(Căn cứ|Thực hiện|Theo đề nghị|Xét đề nghị|Xét|Trên cơ sở|Ngày \d|Vào ngày|Sáng|Chiều|"
    r"Vừa qua|Hiện nay|Nhằm|Để |Thời gian qua|Triển khai|Thi hành|Sau khi|Tiếp theo|Qua |"
    r"Trong những|Trong thời gian|Năm \d{4}|Thời gian vừa qua)",
    re.U,
)
_HEAD_NOUNS = (
    "ỦY BAN", "UBND", "HỘI ĐỒNG", "SỞ", "BỘ", "BAN", "VĂN PHÒNG", "CỤC", "TỔNG CỤC", "VỤ",
    "TRUNG TÂM", "PHÒNG", "CHI CỤC", "THANH TRA", "CÔNG AN", "TRƯỜNG", "BỆNH VIỆN", "VIỆN",
    "THỦ TƯỚNG", "CHÍNH PHỦ", "TỈNH ỦY", "THÀNH ỦY", "HUYỆN ỦY", "ĐẢNG ỦY", "ĐẢNG BỘ",
    "KHO BẠC", "NGÂN HÀNG", "BẢO HIỂM", "ĐÀI", "BÁO", "LIÊN ĐOÀN", "HỘI", "TÒA ÁN",
    "VIỆN KIỂM SÁT", "KIỂM TOÁN", "QUỐC HỘI", "CHỦ TỊCH", "TẬP ĐOÀN", "TỔNG CÔNG TY",
    "CÔNG TY", "BỘ CHỈ HUY", "BỘ TƯ LỆNH", "ĐOÀN", "MẶT TRẬN", "ỦY BAN MẶT TRẬN",
)
_PLACE_WORDS = ("tỉnh", "thành phố", "huyện", "xã", "quận", "phường", "thị xã", "thị trấn")


@dataclass(frozen=True)
class DocType:
    code: str
    word: str
    abbr: str


@cache
def doc_types() -> tuple[DocType, ...]:
    with resources.files("extract.data").joinpath("doc_types.csv").open(encoding="utf-8") as f:
        rows = [DocType(r["code"], r["word"], r["abbr"]) for r in csv.DictReader(f)]
    return tuple(sorted(rows, key=lambda t: -len(t.word)))


def doc_type_of_word(line: str) -> DocType | None:
    """The document type named by a header line ("KẾ HOẠCH", "QUYẾT ĐỊNH Về việc…")."""
    f = fold(line)
    for t in doc_types():
        w = fold(t.word)
        if f == w or (f.startswith(w + " ") and line[: len(t.word)].isupper()
                      and (len(f) <= len(w) + 12 or f[len(w) + 1:].startswith("ve "))):
            return t  # "KẾ HOẠCH", "QUYẾT ĐỊNH Về việc …", "BÁO CÁO VỀ TÌNH HÌNH …"
    return None


def doc_type_of_symbol(symbol: str | None) -> str | None:
    """Type code from the symbol: "KH-UBND" → ke_hoach; "UBND-VP" (no type) → cong_van."""
    if not symbol:
        return None
    parts = re.split(r"[-/]", symbol)
    first = parts[0] if not parts[0].isdigit() else (parts[1] if len(parts) > 1 else "")
    for t in doc_types():
        if t.abbr and first == t.abbr:
            return t.code
    return "cong_van"


# ------------------------------------------------------------------------- header


@dataclass
class _HeaderState:
    issuer_lines: list[str] = field(default_factory=list)
    number_raw: str | None = None
    number: str | None = None
    symbol: str | None = None
    place: str | None = None
    date: str | None = None
    doc_type: DocType | None = None
    subject: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    urgency: str | None = None
    confidentiality: str | None = None
    motto: bool = False
    mode: str = "top"  # top, subject, recipients
    seen_number: bool = False


def parse_header(blocks: list[Block], breaks: bool) -> tuple[Header, int]:
    """Parse the header from the document's first blocks.

    Returns the header and the index of the first body block (in ``blocks``: a field
    wrapped over two lines is rejoined in place, the second line left void).
    """
    st = _HeaderState()
    blocks = _rejoin_wrapped_fields(blocks)
    motto_idx = _motto_lines(blocks)
    i = 0
    limit = min(len(blocks), 80)
    while i < limit:
        b = blocks[i]
        text = b.text.strip()
        if b.kind == "table":
            break
        if b.kind == "void":
            i += 1
            continue
        if b.kind == "blank" or not text or text == "|":
            if breaks and st.mode == "subject" and st.subject:
                st.mode = "top"
            i += 1
            continue
        if i in motto_idx:
            st.motto = True
            i += 1
            continue
        if not _header_line(st, b, text, breaks):
            break
        i += 1
    if i >= limit and not st.seen_number and st.doc_type is None:
        i = 0  # nothing header-like: the document starts with its body
    return _finish(st), i


_MOTTO_WORDS = re.compile(r"doc lap|hanh phuc|viet nam|cong hoa|chu nghia")
_PLACE_TAIL = re.compile(r"^[^,;:\d]{1,30},\s*ngày\b")  # "Chí Minh, ngày …" after "Thành phố Hồ"
_OPEN_FIELD = re.compile(r"(^Số\s*[:.]?|\bngày\s*\d{0,2}|\btháng\s*\d{0,2}|,)\s*$")


def _rejoin_wrapped_fields(blocks: list[Block]) -> list[Block]:
    """"Số:" / "7360/KH-UBND" and "Hà Nội, ngày 18" / "tháng 11 năm 2025" on two lines of
    a narrow header column become one line (the second becomes void, keeping indices)."""
    out = list(blocks)
    for i in range(min(len(out), 40) - 1):
        a, b = out[i], out[i + 1]
        if a.kind == "line" and b.kind == "line" and a.column == b.column and a.text.strip() \
                and b.text.strip() and (_OPEN_FIELD.search(a.text.strip()) or (
                    _PLACE_TAIL.match(b.text.strip()) and len(a.text.strip()) < 30
                    and "ngày" not in a.text and not _MOTTO_WORDS.search(fold(a.text)))):
            out[i] = replace(a, text=a.text.rstrip() + " " + b.text.strip())
            out[i + 1] = replace(b, text="", kind="void")
    return out


def _header_line(st: _HeaderState, b: Block, text: str, breaks: bool) -> bool:
    """Consume one header line; False when the body starts here."""
    if _mark_or_rule(st, text):
        return True
    addressed = _address_line(st, text)
    if addressed is not None:
        return addressed
    if _take_number_and_date(st, text):
        return True
    if _VV.match(text) and (not st.doc_type or (st.mode == "subject" and not st.subject)):
        st.subject = [_VV.sub("", text)]  # a công văn's "V/v …", or one under a type line
        st.mode = "subject"
        return True
    t = doc_type_of_word(text)
    if t and not st.doc_type and b.column != "left":
        st.doc_type = t
        rest = text[len(t.word):].strip(" :")
        st.subject = [rest] if rest else []
        st.mode = "subject"
        return True
    if st.mode == "subject":
        return _subject_line(st, b, text)
    if _is_upper(text) and not st.seen_number and match_marker(text) is None \
            and not (st.motto and b.column == "full" and st.issuer_lines):
        st.issuer_lines.append(text)
        return True
    if b.column in ("left", "right"):
        return True  # other material of the two-column header (e.g. a party "*")
    return False


def _address_line(st: _HeaderState, text: str) -> bool | None:
    """Kính gửi / … điện: / Đồng kính gửi lines and their lists; None: not one of them."""
    if _DONG_KINH_GUI.match(text):
        st.mode = "copies"  # "Đồng kính gửi:" — informed, not addressed
        return True
    if st.mode == "copies" and text[:1] in "-–+•":
        return True
    if _KINH_GUI.match(text) or (_DIEN.search(text) and text[:1].isupper()):
        st.mode = "recipients"
        rest = _KINH_GUI.sub("", text) if _KINH_GUI.match(text) else ""
        if rest:
            st.recipients.extend(_split_recipients(rest))
        return True
    if st.mode == "recipients":
        return _recipient_line(st, text)
    return None


def _mark_or_rule(st: _HeaderState, text: str) -> bool:
    """Urgency/confidentiality stamps and the short rules drawn under header fields."""
    f = fold(text)
    if f in _URGENCY:
        st.urgency = _URGENCY[f]
        return True
    if f in _SECRECY:
        st.confidentiality = _SECRECY[f]
        return True
    if _RULE.match(text):
        if st.mode == "subject" and st.subject:
            st.mode = "top"
        return True
    return False


def _take_number_and_date(st: _HeaderState, text: str) -> bool:
    found = False
    m = _NUMBER.search(text)
    if m and text.lstrip().startswith("Số"):
        st.number_raw = re.sub(r"\s+", " ", m.group("val")).strip()
        st.number, st.symbol = split_number(st.number_raw)
        st.seen_number = True
        found = True
    elif _NUMBER_ONLY.match(text):
        st.seen_number = True
        found = True
    d = _PLACE_DATE.search(text, m.end() if found and m else 0)
    if d and (found or d.start() < 3 or st.seen_number or not st.subject):
        st.place = d.group("place").strip()
        st.date = _iso(d.group("y"), d.group("m"), d.group("d"))
        found = True
    if found and st.mode == "subject" and not st.subject:
        st.mode = "top"
    return found


def _subject_line(st: _HeaderState, b: Block, text: str) -> bool:
    if _BODY_CUE.match(text) or match_marker(text) is not None:
        return False
    if st.subject:
        prev_upper = _is_upper(" ".join(st.subject))
        if prev_upper != _is_upper(text) and not text[:1].islower():
            if not st.subject[-1].endswith((",", "-", "và")):
                return False
        if len(st.subject) >= 6 or text.endswith(":"):
            return False
    st.subject.append(text)
    return True


def _recipient_line(st: _HeaderState, text: str) -> bool:
    if text[:1] in "-–+•":
        st.recipients.extend(_split_recipients(text.lstrip("-–+• ")))
        return True
    if st.recipients and not st.recipients[-1].endswith((";", ".")) and text[:1].islower():
        st.recipients[-1] += " " + text
        return True
    return False


def _split_recipients(text: str) -> list[str]:
    parts = [p.strip() for p in re.split(r";\s*(?=\S)", text)]
    return [p for p in parts if p.strip(" .;")]


def _finish(st: _HeaderState) -> Header:
    recipients = tuple(r.strip().rstrip(";.,").strip() for r in st.recipients)
    subject = " ".join(s.strip() for s in st.subject if s.strip()) or None
    doc_type = st.doc_type.code if st.doc_type else doc_type_of_symbol(st.symbol)
    issuer = " ".join(st.issuer_lines) or None
    return Header(
        issuer=issuer,
        issuer_name=readable_issuer(st.issuer_lines),
        issuer_lines=tuple(st.issuer_lines),
        number=st.number,
        symbol=st.symbol,
        number_raw=st.number_raw,
        place=st.place,
        date=st.date,
        doc_type=doc_type,
        doc_type_label=st.doc_type.word if st.doc_type else None,
        subject=subject.rstrip(" .") if subject else None,
        recipients=tuple(r for r in recipients if r),
        urgency=st.urgency,
        confidentiality=st.confidentiality,
        motto_found=st.motto,
    )


def split_number(raw: str) -> tuple[str | None, str | None]:
    """"56/TB-VPCP" → ("56", "TB-VPCP"); "  /UBND-VP" → (None, "UBND-VP");
    "24/2025/QĐ-UBND" → ("24", "2025/QĐ-UBND"); "48-NQ/TU" → ("48", "NQ/TU")."""
    raw = re.sub(r"\s*([/\-–])\s*", r"\1", raw.strip()).replace("–", "-")
    m = re.match(r"^(\d+)?[/\-]?(.*)$", raw)  # "48-NQ/TU": a Party number
    assert m is not None
    number, symbol = m.group(1), m.group(2).strip("/ ") or None
    if number is None and symbol and re.match(r"^\d+$", symbol):
        return symbol, None
    return number, symbol


def _iso(y: str | None, m: str | None, d: str | None) -> str | None:
    if not y:
        return None
    if not m:
        return y
    if not d:
        return f"{int(y):04d}-{int(m):02d}"
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def _motto_lines(blocks: list[Block]) -> set[int]:
    """Indices of the lines holding the national motto (possibly wrapped)."""
    out: set[int] = set()
    n = min(len(blocks), 40)
    for target in (_MOTTO_1, _MOTTO_2, _PARTY):
        for i in range(n):
            for size in (1, 2, 3):
                window = [j for j in range(i, min(n, i + size)) if blocks[j].text.strip()]
                if not window:
                    continue
                joined = fold(" ".join(blocks[j].text for j in window))
                joined = re.sub(r"[^a-z ]", " ", joined)
                joined = re.sub(r"\s+", " ", joined).strip()
                if joined == target or (size == 1 and joined.startswith(target)
                                        and len(joined) < len(target) + 4):
                    out.update(window)
                    break
            else:
                continue
            break
    return out


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) / len(letters) > 0.85


# ------------------------------------------------------------------ issuer names


def readable_issuer(lines: list[str]) -> str | None:
    """The issuing body (last body in the header lines) in ordinary capitalization."""
    if not lines:
        return None
    start = 0
    for idx, line in enumerate(lines):
        u = line.strip().upper()
        if idx > 0 and u.startswith(_HEAD_NOUNS) and not u.startswith(tuple(
                w.upper() for w in _PLACE_WORDS)):
            start = idx
    name = " ".join(lines[start:]).strip(" *")
    return sentence_case(name)


def sentence_case(name: str) -> str:
    name = re.sub(r"\bUBND\b", "Ủy ban nhân dân", name)
    name = re.sub(r"\bHĐND\b", "Hội đồng nhân dân", name)
    low = name.lower()
    out = low[:1].upper() + low[1:]
    # proper names after an administrative unit word are capitalized
    for w in _PLACE_WORDS:
        out = re.sub(rf"\b({w}) ([^\s,]+(?: [^\s,]+){{0,3}})$",
                     lambda m: m.group(1) + " " + m.group(2).title(), out)
    for proper in ("chính phủ", "việt nam", "trung ương", "quốc hội", "nhà nước"):
        out = out.replace(proper, proper.title() if proper != "chính phủ" else "Chính phủ")
    return out


# ------------------------------------------------------------------------- footer


def find_footer(blocks: list[Block], body_start: int) -> tuple[int, int] | None:
    """(start, end) of the signature/Nơi nhận block, or None."""
    for i in range(body_start, len(blocks)):
        t = blocks[i].text.strip()
        if _NOI_NHAN.match(t) or (_AUTHORITY.match(t) and _is_upper(t)):
            if _NOI_NHAN.match(t) or _has_name_after(blocks, i):
                return i, _footer_end(blocks, i)
    return None


def _has_name_after(blocks: list[Block], i: int) -> bool:
    return any(_is_name(blocks[j].text.strip()) for j in range(i + 1, min(len(blocks), i + 12)))


def _footer_end(blocks: list[Block], start: int) -> int:
    j = start
    prev = ""
    while j < len(blocks):
        t = blocks[j].text.strip()
        if blocks[j].kind == "table":
            break
        if not t or t == "|" or blocks[j].column in ("left", "right") or _footerish(t) \
                or _continues_item(prev, t):
            prev = t or prev
            j += 1
            continue
        break
    return j


def _continues_item(prev: str, t: str) -> bool:
    """A Nơi nhận item wrapped onto the next line ("- Ủy ban MTTQ …; tổ chức" / "CT-XH …")."""
    return prev[:1] in "-–+•" and not prev.endswith((";", ".")) and len(t) < 60


def _footerish(t: str) -> bool:
    if match_marker(t) is not None and match_marker(t).kind == "appendix":
        return False
    return bool(
        _NOI_NHAN.match(t) or t[:1] in "-–+•" or _is_upper(t) or _is_name(t)
        or _SIGNED.match(t) or _RULE.match(t) or t.startswith("(")
        or re.match(r"^(Lưu|Nơi|Như)\b", t)
    )


def _is_name(t: str) -> bool:
    """A person's name: 2–6 capitalised words ("Hoàng Việt Phương"), initials allowed."""
    words = t.strip(" *").split()
    return 2 <= len(words) <= 6 and all(_name_word(w) for w in words)


def _name_word(w: str) -> bool:
    # str.isupper/islower, since the range À-Ỹ mixes capitals and small letters
    return w[:1].isupper() and (w[1:].isalpha() and w[1:].islower() or w[1:] == ".")


def parse_footer(blocks: list[Block]) -> tuple[Signature | None, tuple[str, ...]]:
    """Signature and Nơi nhận list from the footer blocks."""
    authority: list[str] = []
    signer: str | None = None
    cc: list[str] = []
    prev = ""
    for b in blocks:
        t = b.text.strip().strip("*").strip()
        if not t or t == "|" or _SIGNED.match(t) or _RULE.match(t):
            continue
        m = _NOI_NHAN.match(t)
        if m:
            rest = t[m.end():].strip()
            a = _AUTHORITY.search(rest)
            if a:
                authority.append(rest[a.start():].strip())
                rest = rest[: a.start()].strip()
            if rest:
                cc.extend(_split_recipients(rest.lstrip("-–+• ")))
            continue
        if t[:1] in "-–+•":
            cc.append(t.lstrip("-–+• ").rstrip(";.").strip())
            prev = t
            continue
        elif _is_upper(t) and signer is None and (
                _AUTHORITY.match(t) or not (cc and re.search(r"[;,]\s*$|;", t))):
            authority.append(t)
        elif _is_name(t) and signer is None:
            signer = t
        elif cc and (t[:1].islower() or _continues_item(prev, t)):
            cc[-1] += " " + t
        prev = t
    sig = Signature(tuple(_merge_authority(authority)), signer) if authority or signer else None
    return sig, tuple(c for c in cc if c)


def _merge_authority(lines: list[str]) -> list[str]:
    """Rejoin an authority line wrapped in two ("TM. ỦY BAN" / "NHÂN DÂN")."""
    out: list[str] = []
    for line in lines:
        line = re.sub(r"\s+", " ", line)
        if out and not _AUTHORITY.match(line) and _AUTHORITY.match(out[-1]) and \
                _incomplete_authority(out[-1]):
            out[-1] += " " + line
        else:
            out.append(line)
    return out


def _incomplete_authority(line: str) -> bool:
    return bool(re.search(r"(\b(ỦY BAN|UỶ BAN|BAN|HỘI ĐỒNG|NHÂN)|,)$", line))
