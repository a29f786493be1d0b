"""Document → Analysis: tasks with roles, deadlines and targets; citations.

Offsets of every finding point into ``Document.text``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import replace

from rapidfuzz import fuzz

from extract.model import Document, Section, Table
from extract.normalize import fold
from nlp.agencies import find_agencies
from nlp.deadlines import find_deadlines, find_recurrence
from nlp.model import AgencyMention, Analysis, Citation, Deadline, Role, Target, Task
from nlp.names import tidy_mentions
from nlp.regions import Regions, section_rules
from nlp.roles import assign_roles, heading_agencies, lead_mentions, shift
from nlp.targets import find_targets

_LIST_ITEMS = {"dash", "plus", "star", "letter", "paren"}
_ITEM_KINDS = {
    "dash",
    "plus",
    "star",
    "letter",
    "arabic",
    "decimal",
    "paren",
    "para",
    "dieu",
    "upper",
    "roman",
}
_PREAMBLE = re.compile(r"^(Căn cứ|Thực hiện|Theo đề nghị|Xét đề nghị|Trên cơ sở|Tiếp theo|"
                       r"Ngày \d|Vào ngày|Sáng|Chiều|Vừa qua|Tại|Qua)\b")
_REQUEST_CUE = re.compile(r"\b(đề nghị|yêu cầu|giao)\b", re.I)
_DIRECTIVE_CUE = re.compile(
    r"\b(đề nghị|yêu cầu|giao|chủ trì|khẩn trương|chịu trách nhiệm|có trách nhiệm)\b", re.I
)
_ADDRESSED_TYPES = {"cong_van", "cong_dien"}
_KINH_GUI = re.compile(r"mục\s+kính\s+gửi", re.I)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_PERIOD = re.compile(r"\b(20\d\d)\s*[-–]\s*(20\d\d)\b")


def analyze(doc: Document) -> Analysis:
    ctx = _Context(doc)
    tasks = _table_tasks(ctx)
    tasks += _dedupe_against(_section_tasks(ctx), tasks)
    tasks.sort(key=lambda t: t.start)
    targets = _dedupe_targets(_targets(ctx))
    task_targets = _attach_targets(tasks, targets)
    return Analysis(
        source=doc.source,
        tasks=tuple(task_targets),
        targets=tuple(targets),
        citations=tuple(_citations(doc, ctx.doc_citations)),
        mentions=tuple(ctx.all_mentions()),
    )


class _Context:
    def __init__(self, doc: Document):
        self.doc = doc
        self.regions = Regions(doc)
        self.jurisdiction = jurisdiction_of(doc)
        self.doc_date = doc.header.date if doc.header.date and len(doc.header.date) == 10 else None
        self.year = _context_year(doc)
        self.default_by = _default_by(doc)
        # One pass of the spaCy pipeline over the canonical text: underthesea words, then
        # our components find agencies, deadlines and citations with offsets into it.
        # Targets depend on the section (objectives or not), so they are found per section.
        sdoc = _run_language(doc.text, {"doc_date": self.doc_date, "context_year": self.year,
                                        "jurisdiction": self.jurisdiction})
        self.doc_deadlines: list[Deadline] = list(sdoc._.vanban_deadlines or ())
        self.doc_citations: list[Citation] = list(sdoc._.vanban_citations or ())
        self.doc_mentions: list[AgencyMention] = tidy_mentions(doc.text, _outside_citations(
            list(sdoc._.vanban_agencies or ()), self.doc_citations))
        self._starts = [m.start for m in self.doc_mentions]
        self._dl_starts = [d.start for d in self.doc_deadlines]

    def mentions(self, start: int, end: int) -> list[AgencyMention]:
        """Agency mentions inside Document.text[start:end], offsets relative to ``start``."""
        i = bisect_left(self._starts, start)
        out = []
        while i < len(self.doc_mentions) and self.doc_mentions[i].start < end:
            m = self.doc_mentions[i]
            if m.end <= end:
                out.append(shift(m, -start))
            i += 1
        return out

    def deadlines(self, start: int, end: int) -> list[Deadline]:
        """Deadlines inside Document.text[start:end] (offsets into Document.text)."""
        i = bisect_left(self._dl_starts, start)
        out = []
        while i < len(self.doc_deadlines) and self.doc_deadlines[i].start < end:
            if self.doc_deadlines[i].end <= end:
                out.append(self.doc_deadlines[i])
            i += 1
        return out

    def all_mentions(self) -> list[AgencyMention]:
        return list(self.doc_mentions)

    def recipients(self) -> list[AgencyMention]:
        out: list[AgencyMention] = []
        for r in self.doc.header.recipients:
            ms = [m for m in find_agencies(r, jurisdiction=self.jurisdiction) if not m.generic]
            out.extend(
                ms[:1]
                if ms and ms[0].end - ms[0].start >= 0.6 * len(r)
                else ms or [AgencyMention(r, 0, len(r), r, None, None, False, "recipients")]
            )
        return out




def _outside_citations(ms: list[AgencyMention], cites: list[Citation]) -> list[AgencyMention]:
    """Bodies named inside a citation — the issuer code in "1441/QĐ-UBND", the issuer in
    "… của Chủ tịch UBND tỉnh" — issued that document; they are not actors here."""
    spans = sorted((c.start, c.end) for c in cites)
    out, i = [], 0
    for m in ms:
        while i < len(spans) and spans[i][1] <= m.start:
            i += 1
        if i < len(spans) and spans[i][0] <= m.start < spans[i][1]:
            continue
        out.append(m)
    return out


def _run_language(text: str, ctx: dict):
    from nlp.lang import analyze_text, get_nlp

    with get_nlp().select_pipes(disable=["vanban_targets"]):
        return analyze_text(text, ctx)


def jurisdiction_of(doc: Document) -> str | None:
    """The province or city whose bodies the document's "Sở …" and "Công an tỉnh" are."""
    name = doc.header.issuer_name or ""
    m = re.search(r"\b(?:tỉnh|thành phố)\s+(.+)$", name)
    return m.group(1).strip() if m else None


def _context_year(doc: Document) -> int | None:
    if doc.header.date:
        return int(doc.header.date[:4])
    years = _YEAR.findall((doc.header.subject or "") + " " + doc.text[:3000])
    return max(int(y) for y in years) if years else None


def _default_by(doc: Document) -> str | None:
    """A plan for a year (or a period) holds its targets by that year's (period's) end."""
    if doc.header.doc_type not in ("ke_hoach", "chuong_trinh", "de_an", "chuong_trinh_hanh_dong"):
        return None
    own = re.search(r"Trên đây là [^.\n]{0,200}", doc.text)
    subject = doc.header.subject or (own.group(0) if own else "")
    p = _PERIOD.search(subject)
    if p:
        return f"{p.group(2)}-12-31"
    y = _YEAR.search(subject)
    return f"{y.group(1)}-12-31" if y else None


# ----------------------------------------------------------------- section tasks


def _label_kind(text: str) -> tuple[str, str] | None:
    """("lead"|"support"|"time"|"other", value) for a label line "Cơ quan chủ trì: X"
    (a time label may go without its colon: "Thời gian thực hiện sau khi …")."""
    head, sep, value = text.partition(":")
    labels = section_rules()["labels"]
    if sep and len(head) <= 45:
        h = fold(head).strip(" -+•")
        for kind, words in labels.items():
            if h in words:
                return kind, value.strip()
    f = fold(text)
    for w in sorted(labels["time"], key=len, reverse=True):
        if len(w.split()) >= 3 and f.startswith(w + " "):
            return "time", text[len(w) + 1:].strip()
    return None


def _section_tasks(ctx: _Context) -> list[Task]:
    doc, regions = ctx.doc, ctx.regions
    out: list[Task] = []
    for s in doc.sections:
        if s.kind not in _ITEM_KINDS or regions.region(s) != "directive":
            continue
        kids = regions.children.get(s.id, [])
        own = doc.text[s.text_start : s.text_end]
        if _label_kind(s.heading):
            continue  # a label line describes its parent
        if kids and not all(_label_kind(k.heading) for k in kids):
            continue  # a heading: its children are the tasks
        if not _is_task_text(ctx, s, own):
            continue
        out.append(_make_task(ctx, s, kids))
    return out


def _is_task_text(ctx: _Context, s: Section, own: str) -> bool:
    regions = ctx.regions
    body = s.heading.strip()
    if len(body) < 12 or body.endswith(":") and not regions.children.get(s.id):
        return False
    if body.startswith("(") or (body.rstrip(".").endswith(")") and "(" not in body):
        return False  # "(Ban hành kèm theo …)", "(Chi tiết tại Phụ lục 02)", or its tail
    if s.kind == "para" and _mostly_upper(body):
        return False  # a title line ("THỜI GIAN, ĐƠN VỊ ĐƯỢC KIỂM TRA")
    head, colon, _ = body.partition(":")
    if colon and len(head) <= 45 and fold(head) in section_rules()["label_nouns"]:
        return False  # "Số lượng đơn vị kiểm tra: …" describes the plan
    if s.kind == "para" and s.parent is None:
        # a paragraph of the letter itself: a task only when it asks someone to act;
        # preamble ("Thực hiện …;", "Ngày 16/4/2026, …"), "… chỉ đạo:" and closing
        # formulas are not, unless they go on to request something
        if body.endswith(":") or body.startswith("Trân trọng"):
            return False
        if body.endswith("/.") or _PREAMBLE.match(body):
            # the closing "Yêu cầu các cơ quan, đơn vị … thực hiện./." assigns nothing new
            # unless it names a body
            specific = any(not m.generic for m in ctx.mentions(s.text_start, s.text_end))
            return bool(_REQUEST_CUE.search(body)) and (specific or not body.endswith("/."))
            return bool(_REQUEST_CUE.search(body))
        return bool(_DIRECTIVE_CUE.search(body))
    if s.kind in ("roman", "upper", "phan", "chuong", "muc", "appendix") and _mostly_upper(body):
        return False
    first = fold(body.split(None, 2)[0] if " " in body else body)
    two = fold(" ".join(body.split()[:2]))
    topics = section_rules()["topic_starts"]
    if first in topics or two in topics:
        return False
    return True


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.6


def _make_task(ctx: _Context, s: Section, kids: list[Section]) -> Task:
    doc = ctx.doc
    start, end = s.text_start, (s.end if kids else s.text_end)
    text = doc.text[start:end]
    lead_x: list[AgencyMention] = []
    sup_x: list[AgencyMention] = []
    deadlines: list[Deadline] = []
    for k in kids:  # label lines
        kind, value = _label_kind(k.heading) or ("other", "")
        vstart = k.text_end - len(value)
        if kind in ("lead", "support"):
            ms = [
                shift(m, vstart - start) for m in ctx.mentions(vstart, k.text_end) if not m.generic
            ]
            (lead_x if kind == "lead" else sup_x).extend(ms)
    item_end = s.text_end - start
    ms = [m for m in ctx.mentions(start, end) if m.end <= item_end]
    inherited = [shift(m, -start) for m in _inherited(ctx, s)]
    roles = assign_roles(text[:item_end], ms, inherited, lead_x, sup_x)
    rec = find_recurrence(text)
    deadlines = _drop_recurring(_deadlines(ctx, text, start, s.id), rec)
    return Task(
        id=f"{s.id}#1",
        section_id=s.id,
        text=text,
        start=start,
        end=end,
        roles=tuple(_shift_role(r, start) for r in roles),
        deadlines=tuple(deadlines),
        targets=(),
        recurrence=rec[0] if rec else None,
        table_id=None,
        rule="labelled-item" if kids else f"item:{s.kind}",
    )


def _shift_role(r: Role, offset: int) -> Role:
    return replace(r, agency=shift(r.agency, offset))


def _inherited(ctx: _Context, s: Section) -> list[AgencyMention]:
    """Agencies the item inherits (offsets into Document.text): its heading's, or the
    Kính gửi list's — those point at the words "mục kính gửi" that bring them in."""
    for a in [s] + ctx.regions.ancestors(s):
        own = ctx.doc.text[a.text_start : a.text_end]
        k = _KINH_GUI.search(own)
        if k:
            at = a.text_start + k.start()
            return [
                replace(m, start=at, end=at + k.end() - k.start(), rule="recipients")
                for m in ctx.recipients()
            ]
        if a is s:
            continue
        base = a.text_start + max(0, own.find(a.heading))
        ms = heading_agencies(a.heading, ctx.jurisdiction)
        if ms:
            return [shift(m, base) for m in ms]
        if a.heading.rstrip().endswith(":"):
            # "3. Bộ trưởng Bộ Tài chính … thực hiện một số nhiệm vụ sau:" — the lead-in
            # sentence's subject does the items below it
            head = a.heading
            subject = lead_mentions(head, find_agencies(head, jurisdiction=ctx.jurisdiction))
            if subject:
                return [shift(m, base) for m in subject]
    intro = _lead_in_paragraph(ctx, s)
    if intro is not None:
        return intro
    if ctx.doc.header.doc_type in _ADDRESSED_TYPES and ctx.doc.header.recipients \
            and s.kind == "para" and s.parent is None:
        # a letter's own paragraphs are addressed to its Kính gửi list unless they say
        # otherwise
        return [
            replace(m, start=s.text_start, end=s.text_start, rule="recipients-default")
            for m in ctx.recipients()
        ]
    return []


def _lead_in_paragraph(ctx: _Context, s: Section) -> list[AgencyMention] | None:
    """Numbered items after a paragraph that introduces them ("…, yêu cầu Bộ Xây dựng
    tập trung các nội dung sau:") are done by whom that paragraph names."""
    top = ([s] + ctx.regions.ancestors(s))[-1]
    if top.kind in ("phan", "chuong", "muc", "appendix", "dieu", "roman", "upper"):
        return None  # items under titled parts take their agencies from the titles
    siblings = ctx.regions.children.get(top.parent, [])
    before = [x for x in siblings if x.start < top.start]
    while before and before[-1].kind == top.kind != "para":
        before.pop()  # the items 1., 2., … between the lead-in and this one
    if not before or before[-1].kind != "para" or not before[-1].heading.rstrip().endswith(":"):
        return None
    p = before[-1]
    cue = _REQUEST_CUE.search(p.heading)  # "yêu cầu Bộ X", not "Phó Thủ tướng có ý kiến:"
    if cue is None:
        return None
    asked = p.heading[cue.start():]
    ms = lead_mentions(asked, find_agencies(asked, jurisdiction=ctx.jurisdiction))
    base = p.text_start + max(0, ctx.doc.text[p.text_start:p.text_end].find(p.heading))
    return [shift(m, base + cue.start()) for m in ms] or None


def _deadlines(ctx: _Context, text: str, offset: int, section_id: str) -> list[Deadline]:
    return [replace(d, section_id=section_id) for d in ctx.deadlines(offset, offset + len(text))]


# ----------------------------------------------------------------- table tasks


def _columns(header: tuple[str, ...]) -> dict[str, int]:
    cols: dict[str, int] = {}
    rules = section_rules()["columns"]
    for i, h in enumerate(header):
        f = fold(h)
        for kind in ("lead", "support", "time", "task"):
            if kind not in cols and any(w in f for w in rules[kind]):
                cols[kind] = i
                break
    return cols


def _table_tasks(ctx: _Context) -> list[Task]:
    out: list[Task] = []
    for t in ctx.doc.tables:
        cols = _columns(t.header)
        if "task" not in cols or not ({"lead", "time"} & cols.keys()):
            continue
        for n, row in enumerate(t.rows, 1):
            task = _row_task(ctx, t, cols, row, n)
            if task:
                out.append(task)
    return out


def _row_task(ctx: _Context, t: Table, cols: dict[str, int], row, n: int) -> Task | None:
    if cols["task"] >= len(row):
        return None
    cell = row[cols["task"]]
    if len(cell.text) < 12 or (cell.text.isupper() and len(row) > 1) or _group_row(row, cols):
        return None  # group rows ("I | Cải cách thể chế | | |") are headings
    start, end = row[0].start, row[-1].end
    text = ctx.doc.text[start:end]

    def col_mentions(kind: str) -> list[AgencyMention]:
        if kind not in cols or cols[kind] >= len(row):
            return []
        c = row[cols[kind]]
        return [shift(m, c.start - start) for m in ctx.mentions(c.start, c.end) if not m.generic]

    lead, sup = col_mentions("lead"), col_mentions("support")
    roles = assign_roles(cell.text, [], [], lead, sup)
    roles = [r if r.rule != "label" else replace(r, rule="table-column") for r in roles]
    deadlines = []
    if "time" in cols and cols["time"] < len(row):
        deadlines = _cell_deadlines(ctx, row[cols["time"]], t.section_id or "")
    deadlines += _deadlines(ctx, cell.text, cell.start, t.section_id or "")
    rec = find_recurrence(text)
    deadlines = _drop_recurring(deadlines, rec)
    return Task(
        id=f"{t.id}#{n}",
        section_id=t.section_id or "",
        text=text,
        start=start,
        end=end,
        roles=tuple(_shift_role(r, start) for r in roles),
        deadlines=tuple(_uniq(deadlines)),
        targets=(),
        recurrence=rec[0] if rec else None,
        table_id=t.id,
        rule="table-row",
    )


_HAS_YEAR = re.compile(r"\b(19|20)\d\d\b")


def _drop_recurring(deadlines: list[Deadline], rec) -> list[Deadline]:
    """In a recurring task ("trong tháng 01 hằng năm") a day or month without a year is
    the recurring date, not one deadline: it is dropped."""
    if rec is None:
        return deadlines
    return [d for d in deadlines if d.date is None or _HAS_YEAR.search(d.raw)]


def _group_row(row, cols: dict[str, int]) -> bool:
    """A row numbered with a Roman numeral or a letter, or whose agency and time cells are
    all empty, heads a group of rows."""
    first = row[0].text.strip().rstrip(".")
    if re.fullmatch(r"[IVXLC]+|[A-ZĐ]", first):
        return True
    others = [row[i].text for k, i in cols.items() if k != "task" and i < len(row)]
    return bool(others) and not any(o.strip() for o in others)


def _cell_deadlines(ctx: _Context, c, section_id: str) -> list[Deadline]:
    """A time column's cell is a deadline even without a cue word ("Năm 2026", "Quý II")."""
    found = _deadlines(ctx, c.text, c.start, section_id)
    if found or not c.text.strip():
        return found
    if re.fullmatch(r"\s*20\d\d\s*", c.text):
        prefix = "trong năm "
    elif re.fullmatch(r"\s*20\d\d\s*[-–]\s*20\d\d\s*", c.text):
        prefix = "giai đoạn "  # "2025 - 2035" in a time column
    else:
        prefix = "trong "
    out = []
    for d in find_deadlines(prefix + c.text, doc_date=ctx.doc_date, context_year=ctx.year):
        start = max(0, d.start - len(prefix))
        end = max(start, d.end - len(prefix))
        out.append(
            replace(
                d,
                raw=c.text[start:end],
                start=c.start + start,
                end=c.start + end,
                rule=d.rule + "+time-column",
                section_id=section_id,
            )
        )
    return out


def _uniq(ds: list[Deadline]) -> list[Deadline]:
    seen, out = set(), []
    for d in ds:
        if (d.date, d.start) not in seen:
            seen.add((d.date, d.start))
            out.append(d)
    return out


def _dedupe_against(body: list[Task], rows: list[Task]) -> list[Task]:
    """A task stated in the body and again as a table row is one task: keep the row.

    The two wordings differ ("Sở Tư pháp tham mưu UBND tỉnh …" / "Tham mưu UBND tỉnh
    …"), so they are compared as token sets, abbreviations expanded."""
    if not rows:
        return body
    keys = [_dedupe_key(r.text) for r in rows]
    joined = "\x00".join(keys)  # one C-level substring search instead of one per row
    near = _WordIndex(keys)
    out = []
    for t in body:
        probe = _dedupe_key(t.text)
        if len(probe) >= 30 and (probe[:60] in joined or any(
                fuzz.token_set_ratio(probe, keys[i]) >= 85 for i in near.candidates(probe))):
            continue
        out.append(t)
    return out


class _WordIndex:
    """Rows sharing at least half of a text's distinctive words: the only ones whose
    token-set similarity can reach the threshold, found without comparing every pair."""

    def __init__(self, keys: list[str]):
        self.index: dict[str, list[int]] = {}
        for i, k in enumerate(keys):
            for w in set(k.split()):
                self.index.setdefault(w, []).append(i)
        self.common = max(3, len(keys) // 4)

    def candidates(self, text: str) -> list[int]:
        words = [w for w in set(text.split())
                 if 0 < len(self.index.get(w, ())) <= self.common]
        counts = Counter(i for w in words for i in self.index[w])
        need = max(1, len(words) // 2)
        return [i for i, n in counts.most_common(5) if n >= need]


def _dedupe_key(text: str) -> str:
    f = fold(re.sub(r"^[\s\-–+•]*(?:\w{1,4}[.)]\s*)?", "", text))
    f = re.sub(r"\bubnd\b", "uy ban nhan dan", f)
    return re.sub(r"[^\w\s]", " ", f)


# ----------------------------------------------------------------- targets, citations


def _targets(ctx: _Context) -> list[Target]:
    doc, out = ctx.doc, []
    for s in doc.sections:
        region = ctx.regions.region(s)
        if region == "report":
            continue
        own = doc.text[s.text_start : s.text_end]
        found = find_targets(
            own,
            in_objectives=(region == "objectives"),
            default_by=_heading_by(ctx, s) or ctx.default_by,
            doc_date=ctx.doc_date,
        )
        out.extend(
            replace(t, start=t.start + s.text_start, end=t.end + s.text_start, section_id=s.id)
            for t in found
        )
    for tb in doc.tables:
        for row in tb.rows:
            for c in row:
                found = find_targets(c.text, default_by=ctx.default_by, doc_date=ctx.doc_date)
                out.extend(
                    replace(
                        t, start=t.start + c.start, end=t.end + c.start, section_id=tb.section_id
                    )
                    for t in found
                )
    return out


def _heading_by(ctx: _Context, s: Section) -> str | None:
    """The date a heading above the item sets for it ("2.1. Đến năm 2030", "Giai đoạn
    2025 - 2030"): the nearest such heading wins over the plan's own end."""
    for a in ctx.regions.ancestors(s):
        if len(a.heading) > 120:
            continue
        dated = [d for d in find_deadlines(a.heading, doc_date=ctx.doc_date,
                                           context_year=ctx.year) if d.date]
        if dated:
            return dated[-1].date
    return None


def _dedupe_targets(targets: list[Target]) -> list[Target]:
    """A plan states a target under MỤC TIÊU and restates it in its appendix table: the
    same number for the same metric is one target (the first statement is kept)."""
    out: list[Target] = []
    for t in targets:
        key = _dedupe_key(t.raw)
        if any(o.value == t.value and o.unit == t.unit and o.by == t.by and
               fuzz.token_set_ratio(_dedupe_key(o.raw), key) >= 95 for o in out):
            continue
        out.append(t)
    return out


def _attach_targets(tasks: list[Task], targets: list[Target]) -> list[Task]:
    out = []
    for t in tasks:
        mine = tuple(g for g in targets if t.start <= g.start and g.end <= t.end)
        out.append(replace(t, targets=mine) if mine else t)
    return out


def _citations(doc: Document, found: list[Citation]) -> list[Citation]:
    own = (doc.header.number or "", doc.header.symbol or "")
    out: list[Citation] = []
    for c in found:
        if (c.number, _sym(c.key)) == own:
            continue
        sec = _section_at(doc, c.start)
        out.append(replace(c, section_id=sec))
    return out


def _sym(key: str) -> str:
    return key.split("/", 1)[1] if "/" in key else key


def _section_at(doc: Document, pos: int) -> str | None:
    best = None
    for s in doc.sections:
        if s.start <= pos <= s.end:
            best = s.id
    return best
