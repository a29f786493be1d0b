"""Small ``Document`` / ``Analysis`` objects built by hand for the schema and export tests.

Only the dataclasses of ``extract.model`` and ``nlp.model`` are used, so these tests do
not depend on the readers or the grammars. Offsets are computed with ``str.index`` on
the text below, never typed in.
"""

from __future__ import annotations

from dataclasses import replace

from extract.model import Cell, Document, Footnote, Header, PageInfo, Section, Signature, Table
from nlp.model import AgencyMention, Analysis, Citation, Deadline, Role, Target, Task

SOURCE = "kh_12_tq.txt"

HEADING_1 = "I. MỤC TIÊU"
TARGET_LINE = "Phấn đấu 80% hồ sơ được xử lý trực tuyến."
HEADING_2 = "II. NHIỆM VỤ"
TASK_1 = ("1. Sở Tư pháp chủ trì, phối hợp với Công an tỉnh rà soát văn bản về đồng bộ "
          "dữ liệu, hoàn thành trước ngày 30/6/2025.")
TASK_2 = ("2. Sở Thông tin và Truyền thông chủ trì triển khai Quyết định số 749/QĐ-TTg, "
          "báo cáo hằng quý.")
TEXT = "\n".join([HEADING_1, TARGET_LINE, HEADING_2, TASK_1, TASK_2]) + "\n"


def span(text: str, part: str, base: int = 0) -> tuple[int, int]:
    start = text.index(part, base)
    return start, start + len(part)


def mention(part: str, canonical: str | None = None, *, successor: str | None = None,
            generic: bool = False) -> AgencyMention:
    s, e = span(TEXT, part)
    return AgencyMention(text=part, start=s, end=e, canonical=canonical or part,
                         successor=successor, agency_id=None, generic=generic, rule="test")


def _section(sid: str, label: str, kind: str, level: int, heading: str, first: str,
             last: str, parent: str | None, own_last: str | None = None) -> Section:
    s, _ = span(TEXT, first)
    _, e = span(TEXT, last)
    own_end = span(TEXT, own_last or last)[1]
    return Section(id=sid, label=label, kind=kind, level=level, heading=heading, start=s,
                   end=e, text_start=s, text_end=own_end, parent=parent, page=1)


def make_document(**header_changes: object) -> Document:
    header = Header(
        issuer="ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG",
        issuer_name="Ủy ban nhân dân tỉnh Tuyên Quang", number="12", symbol="KH-UBND",
        number_raw="12/KH-UBND", place="Tuyên Quang", date="2025-03-12", doc_type="ke_hoach",
        doc_type_label="KẾ HOẠCH", subject="Chuyển đổi số năm 2025",
        recipients=("Sở Tư pháp", "Công an tỉnh"),
    )
    header = replace(header, **header_changes)  # type: ignore[arg-type]
    sections = (
        _section("I", "I.", "roman", 1, "MỤC TIÊU", HEADING_1, TARGET_LINE, None),
        _section("II", "II.", "roman", 1, "NHIỆM VỤ", HEADING_2, TASK_2, None, HEADING_2),
        _section("II.1", "1.", "arabic", 2, "Sở Tư pháp chủ trì", TASK_1, TASK_1, "II"),
        _section("II.2", "2.", "arabic", 2, "Sở Thông tin và Truyền thông chủ trì", TASK_2,
                 TASK_2, "II"),
    )
    s, e = span(TEXT, TASK_2)
    table = Table(id="T1", header=("STT", "Nhiệm vụ"), section_id="II",
                  rows=((Cell("1", s, s + 1), Cell("Rà soát", s + 3, s + 10)),),
                  title="Phụ lục 01", start=s, end=e)
    return Document(
        source=SOURCE, format="txt", text=TEXT, header=header,
        signature=Signature(("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), "Hoàng Việt Phương"),
        cc=("Như trên", "Lưu: VT"), sections=sections, tables=(table,),
        footnotes=(Footnote("1", "Theo Quyết định 749", span(TEXT, "749")[0], "II.2"),),
        pages=(PageInfo(1, "text", None, len(TEXT)),), warnings=("test warning",),
    )


def _deadline(phrase: str, date: str, kind: str = "date",
              recurrence: str | None = None) -> Deadline:
    s, e = span(TEXT, phrase)
    return Deadline(raw=phrase, start=s, end=e, date=date, kind=kind, recurrence=recurrence,
                    rule="test")


def make_target() -> Target:
    s, e = span(TEXT, "80% hồ sơ")
    return Target(raw="80% hồ sơ", start=s, end=e, value=80.0, unit="%", comparator=">=",
                  metric="hồ sơ được xử lý trực tuyến", by="2025-12-31", rule="test",
                  section_id="I")


def make_tasks() -> tuple[Task, Task]:
    s1, e1 = span(TEXT, TASK_1)
    s2, e2 = span(TEXT, TASK_2)
    task1 = Task(
        id="II.1#1", section_id="II.1", text=TASK_1, start=s1, end=e1,
        roles=(Role(mention("Sở Tư pháp"), "lead", "subject"),
               Role(mention("Công an tỉnh"), "support", "phoi-hop")),
        deadlines=(_deadline("trước ngày 30/6/2025", "2025-06-30"),),
        targets=(), recurrence=None, table_id=None, rule="test",
    )
    task2 = Task(
        id="II.2#1", section_id="II.2", text=TASK_2, start=s2, end=e2,
        roles=(Role(mention("Sở Thông tin và Truyền thông",
                            successor="Sở Khoa học và Công nghệ"), "lead", "subject"),),
        deadlines=(_deadline("hằng quý", "2025-03-31", "recurring", "quarterly"),),
        targets=(), recurrence="quarterly", table_id="T1", rule="test",
    )
    return task1, task2


def make_citation() -> Citation:
    s, e = span(TEXT, "Quyết định số 749/QĐ-TTg")
    return Citation(raw="Quyết định số 749/QĐ-TTg", start=s, end=e, key="749/QĐ-TTg",
                    number="749", year=None, doc_type="quyet_dinh", issuer_code="TTg",
                    date="2020-06-03", issuer_name="Thủ tướng Chính phủ", rule="test",
                    section_id="II.2")


def make_analysis(tasks: tuple[Task, ...] | None = None) -> Analysis:
    tasks = make_tasks() if tasks is None else tasks
    return Analysis(source=SOURCE, tasks=tasks, targets=(make_target(),),
                    citations=(make_citation(),), mentions=())


def cited_document(number: str = "749", symbol: str = "QĐ-TTg") -> Document:
    """A corpus document that the test plan cites."""
    text = "Phê duyệt Chương trình Chuyển đổi số quốc gia.\n"
    return Document(
        source="qd_749.txt", format="txt", text=text,
        header=Header(number=number, symbol=symbol, number_raw=f"{number}/{symbol}",
                      date="2020-06-03", doc_type="quyet_dinh",
                      issuer_name="Thủ tướng Chính phủ", subject="Chuyển đổi số quốc gia"),
        signature=None, cc=(), sections=(),
    )


def empty_analysis(source: str) -> Analysis:
    return Analysis(source=source, tasks=(), targets=(), citations=(), mentions=())
