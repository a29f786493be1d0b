"""Pages saved from legal portals (thuvienphapluat.vn, vbpl.vn): keep the document, drop
the site around it.

A saved page holds, around the document itself: a copyright banner, a "Số hiệu / Loại văn
bản / Nơi ban hành / Ngày ban hành" metadata box, "Đang tải văn bản…", a site-written
summary placed *before* the document, and after it the page title again, "Văn bản liên
quan" lists, comparison help, the site's address, tax code and hotline, login notices.

:func:`strip_portal_chrome` works on the page's lines (Markdown, or the text lines of an
HTML page) and keeps the document from its header (the issuer | Quốc hiệu table) to its
end (signature, Nơi nhận, footnotes, appendices). The metadata box becomes header stamps
(``number_raw``, ``date``) that ``extract.structure`` uses only where the document's own
header lacks them. Pages without any portal marker are returned unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.normalize import fold

# Folded (accent-less, lower-case) markers, matched against a line with markdown stripped.
_HEAD_MARKERS = ("dang tai van ban", "ban dich nay thuoc quyen so huu cua")
_HEAD_LINES = {"so hieu:"}
_TAIL_MARKERS = ("van ban nay chua cap nhat noi dung tieng anh", "cam on da dung thuvienphapluat")
_TAIL_LINES = {"van ban lien quan", "noi dung sua doi, huong dan",
               "file duoc dinh kem theo van ban", "ma so thue:"}
_MOTTO = ("cong hoa xa hoi", "dang cong san viet nam")
_META_LABELS = {
    "so hieu": "number_raw", "loai van ban": "doc_type", "noi ban hanh": "issuer",
    "nguoi ky": "signer", "ngay ban hanh": "date", "ngay hieu luc": "", "ngay cong bao": "",
    "so cong bao": "", "tinh trang": "", "linh vuc": "", "ngay het hieu luc": "",
}
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MAX_ISSUER_CELL = 8  # lines of the issuer cell above the Quốc hiệu cell


@dataclass(frozen=True)
class PortalPage:
    lines: list[str]  # the document's own lines
    stamped: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()


def _plain(line: str) -> str:
    return fold(line.replace("*", " ").replace("#", " ").replace("_", " ")).strip()


def is_portal_page(lines: list[str]) -> bool:
    return any(_plain(ln).startswith(_HEAD_MARKERS) or _plain(ln) in _HEAD_LINES
               for ln in lines[:200])


def strip_portal_chrome(lines: list[str]) -> PortalPage:
    """The document's lines without the portal's chrome (see module docstring)."""
    if not is_portal_page(lines):
        return PortalPage(lines)
    meta, meta_end = _metadata(lines)
    start = _document_start(lines, meta_end)
    end = _document_end(lines, start, meta)
    kept = lines[start:end]
    dropped = len(lines) - len(kept)
    warnings = (f"portal page: {dropped} lines of website chrome dropped",)
    return PortalPage(kept, _stamps(meta), warnings)


def _metadata(lines: list[str]) -> tuple[dict[str, str], int]:
    """Values of the metadata box ("Số hiệu:" → "227/CĐ-TTg" …) and the line after it."""
    meta: dict[str, str] = {}
    end = 0
    for i, line in enumerate(lines[:300]):
        label = _plain(line).rstrip(": ").strip()
        key = _META_LABELS.get(label) if _plain(line).endswith(":") else None
        if not key:
            end = max(end, i + 1) if key == "" else end
            if _plain(line).startswith("dang tai van ban"):
                end = max(end, i + 1)
            continue
        value = next((v for v in lines[i + 1:i + 4] if v.strip() not in ("", "|")), "")
        meta.setdefault(key, " ".join(value.replace("*", "").split()))
        end = max(end, i + 1)
    return meta, end


def _stamps(meta: dict[str, str]) -> tuple[tuple[str, str], ...]:
    out = []
    if meta.get("number_raw"):
        out.append(("number_raw", meta["number_raw"]))
    m = _DATE.match(meta.get("date", ""))
    if m:
        out.append(("date", f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"))
    return tuple(out)


def _document_start(lines: list[str], after: int) -> int:
    """The first line of the document's header: the table cell holding the issuer, found
    by walking back from the Quốc hiệu line to the ``|`` line that opens its table."""
    motto = next((i for i in range(after, len(lines))
                  if _plain(lines[i]).startswith(_MOTTO)), None)
    if motto is None:
        return after
    pipes = [i for i in range(max(after, motto - 2 * _MAX_ISSUER_CELL), motto)
             if lines[i].strip() == "|"]
    if not pipes:  # no table: the issuer lines sit just above the motto
        start = motto
        while start > after and lines[start - 1].strip() and motto - start < 3:
            start -= 1
        return start
    k = pipes[-1]  # the "|" between the issuer cell and the Quốc hiệu cell
    opening = [p for p in pipes if p < k and k - p <= _MAX_ISSUER_CELL]
    start = opening[-1] if opening else k
    while start > after and lines[start - 1].strip() == "|":
        start -= 1
    return start


def _document_end(lines: list[str], start: int, meta: dict[str, str]) -> int:
    """The line after the document: before the first tail marker and the page title."""
    end = next((i for i in range(start, len(lines))
                if _plain(lines[i]).startswith(_TAIL_MARKERS) or _plain(lines[i]) in _TAIL_LINES),
               len(lines))
    number = fold(meta.get("number_raw", ""))
    while end > start and (not lines[end - 1].strip() or _is_page_title(lines[end - 1], number)):
        end -= 1
    return end


def _is_page_title(line: str, number: str) -> bool:
    """The portal's own title line ("Công văn 11554/VPCP-V.I năm 2025 … do … ban hành")."""
    text = fold(line)
    return (len(number) > 3 and number in text and not text.startswith("so")
            and not line.rstrip().endswith((".", ";", ":", "|")))
