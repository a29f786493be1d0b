"""A synthetic but realistic corpus for the benchmark, cached under ``bench-data/``.

Documents are written with python-docx in the official layout (NĐ 30/2020: two-column
header table, Times New Roman 13–14, numbered sections I./1./a)/-, agency headings
"1. Sở Tư pháp:", an appendix task table) from templates whose vocabulary is drawn at
random (seeded) from ``nlp/data/agencies.csv`` and the phrase files, so no two documents
share their text. Most are converted to PDF with LibreOffice in batches; a few PDF pages
are rendered to images and wrapped as image-only PDFs (scans).

The cache key is the generation parameters: a second run with the same ones reuses the
files.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import docx_layout as layout  # noqa: E402  (shared with tools/make_renderings.py)

ROOT = Path(__file__).resolve().parents[1]
FONT = layout.FONT
VERSION = 2  # bump when the plan template changes: the big plans are rebuilt


# ----------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class Vocab:
    provinces: tuple[str, ...]
    departments: tuple[str, ...]
    ministries: tuple[str, ...]
    deadline_cues: tuple[str, ...]
    target_cues: tuple[str, ...]


def load_vocab() -> Vocab:
    data = resources.files("nlp") / "data"
    provinces, departments, ministries = [], [], []
    with (data / "agencies.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = row["canonical_name"]
            if "(generic)" in name or row["valid_to"]:
                continue
            if row["level"] == "province" and row["kind"] == "ubnd":
                provinces.append(name.replace("Ủy ban nhân dân ", ""))
            elif row["level"] == "province" and row["kind"] == "so":
                departments.append(name)
            elif row["level"] == "central" and row["kind"] == "bo":
                ministries.append(name)
    dl = yaml.safe_load((data / "deadlines.yaml").read_text(encoding="utf-8"))
    tg = yaml.safe_load((data / "targets.yaml").read_text(encoding="utf-8"))
    cues = tuple(c["phrase"] for c in dl["cues"] if c["phrase"].isalpha() or " " in c["phrase"])
    tcues = tuple(c["phrase"] for c in tg["cues_before"] if c.get("op") == ">=")
    return Vocab(tuple(provinces), tuple(departments), tuple(ministries), cues, tcues)


VERBS = ("Triển khai", "Tổ chức thực hiện", "Xây dựng", "Rà soát, sửa đổi", "Tham mưu ban hành",
         "Hướng dẫn", "Kiểm tra, đôn đốc", "Đẩy mạnh", "Nâng cao chất lượng", "Hoàn thiện",
         "Chủ trì, phối hợp triển khai", "Tăng cường", "Tập trung chỉ đạo", "Thực hiện có hiệu quả")
OBJECTS = ("cơ sở dữ liệu chuyên ngành", "dịch vụ công trực tuyến toàn trình",
           "hệ thống quản lý văn bản và điều hành", "kế hoạch cải cách hành chính",
           "thủ tục hành chính thuộc thẩm quyền", "hạ tầng số dùng chung", "chính quyền số",
           "kinh tế số và xã hội số", "công tác tuyên truyền, phổ biến pháp luật",
           "chương trình mục tiêu quốc gia xây dựng nông thôn mới", "chuyển đổi số cấp xã",
           "kho dữ liệu dân cư", "hồ sơ sức khỏe điện tử", "quy hoạch sử dụng đất",
           "an toàn thông tin mạng", "giải ngân vốn đầu tư công", "đề án phát triển du lịch",
           "chương trình đào tạo nguồn nhân lực số", "mô hình một cửa liên thông hiện đại",
           "phong trào thi đua đổi mới sáng tạo")
PURPOSES = ("bảo đảm tiến độ, chất lượng", "đáp ứng yêu cầu quản lý nhà nước",
            "phục vụ người dân và doanh nghiệp", "tiết kiệm, hiệu quả, đúng quy định",
            "gắn với trách nhiệm người đứng đầu", "phù hợp với điều kiện thực tế của địa phương")
METRICS = ("hồ sơ thủ tục hành chính được xử lý trực tuyến", "xã đạt chuẩn nông thôn mới",
           "cơ quan nhà nước kết nối mạng chuyên dùng", "người dân có danh tính điện tử",
           "doanh nghiệp sử dụng hóa đơn điện tử", "trường học có kết nối Internet băng rộng",
           "hồ sơ được số hóa kết quả giải quyết")
CITED = (("Quyết định", "QĐ-TTg", "Thủ tướng Chính phủ"), ("Nghị quyết", "NQ-CP", "Chính phủ"),
         ("Chỉ thị", "CT-TTg", "Thủ tướng Chính phủ"), ("Thông báo", "TB-VPCP", "Văn phòng Chính phủ"),
         ("Nghị định", "NĐ-CP", "Chính phủ"), ("Kế hoạch", "KH-UBND", "Ủy ban nhân dân tỉnh"))
WHEN = ("Thường xuyên", "Quý I/{y}", "Quý II/{y}", "Quý III/{y}", "Quý IV/{y}", "Năm {y}",
        "Trước ngày 30/6/{y}", "Tháng 9/{y}", "Trước ngày 15/12/{y}")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


class Writer:
    """Text of one document from templates, drawn with its own seeded ``random``."""

    def __init__(self, vocab: Vocab, seed: int):
        self.v, self.r = vocab, random.Random(seed)
        self.year = self.r.choice((2024, 2025, 2026))
        self.province = self.r.choice(vocab.provinces)

    def pick(self, seq):
        return self.r.choice(seq)

    def date(self) -> str:
        return f"{self.r.randint(1, 28):02d}/{self.r.randint(1, 12):02d}/{self.year - 1}"

    def citation(self) -> str:
        kind, sym, who = self.pick(CITED)
        return f"{kind} số {self.r.randint(12, 2400)}/{sym} ngày {self.date()} của {who}"

    def deadline(self) -> str:
        d = self.pick(WHEN).format(y=self.year)
        cue = self.pick(self.v.deadline_cues)
        return d[0].lower() + d[1:] if cue == "hoàn thành" else f"{cue} {d[0].lower() + d[1:]}"

    def task(self) -> str:
        s = f"{self.pick(VERBS)} {self.pick(OBJECTS)}, {self.pick(PURPOSES)}"
        if self.r.random() < 0.5:
            d = self.pick(WHEN).format(y=self.year)
            s += f"; thời gian hoàn thành {d[0].lower()}{d[1:]}"
        if self.r.random() < 0.3:
            s += f" (theo {self.citation()})"
        if self.r.random() < 0.3:
            s += f"; phối hợp với {self.pick(self.v.departments)}"
        return s + "."

    def target(self) -> str:
        return (f"{self.pick(self.v.target_cues).capitalize()} {self.r.randint(50, 100)}% "
                f"{self.pick(METRICS)} vào năm {self.year}.")


# ----------------------------------------------------------------------------- docx


def _para(where, text: str = "", *args, after: float = 3, **kwargs):
    """The shared paragraph helper, with the benchmark's 3 pt after each paragraph."""
    return layout.para(where, text, *args, after=after, **kwargs)


def _widths(table, values) -> None:
    layout.widths(table, values, columns=False)


_cell = layout.cell
_run = layout.run


def _header(doc, w: Writer, number: str, vv: str) -> None:
    from docx.shared import Cm

    table = doc.add_table(rows=2, cols=2)
    _widths(table, (Cm(6.8), Cm(10.2)))
    left = _cell(table, 0, 0)
    _para(left, "ỦY BAN NHÂN DÂN", 13, bold=True, center=True, after=0)
    _para(left, w.province.upper(), 13, bold=True, center=True, after=0)
    _para(left, "_______", 13, center=True, after=0)
    right = _cell(table, 0, 1)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True, center=True, after=0)
    _para(right, "Độc lập - Tự do - Hạnh phúc", 13, bold=True, center=True, after=0)
    _para(right, "_______________________", 13, center=True, after=0)
    _para(_cell(table, 1, 0), number, 13, center=True, after=0)
    if vv:
        _para(table.cell(1, 0), vv, 12, center=True, after=0)
    place = w.province.split(" ", 1)[1] if " " in w.province else w.province
    _para(_cell(table, 1, 1), f"{place}, ngày {w.r.randint(1, 28)} tháng {w.r.randint(1, 12)} "
          f"năm {w.year}", 13, italic=True, center=True, after=0)


def _signature(doc, w: Writer) -> None:
    from docx.shared import Cm

    table = doc.add_table(rows=1, cols=2)
    _widths(table, (Cm(8.0), Cm(8.0)))
    left = _cell(table, 0, 0)
    _para(left, "Nơi nhận:", 12, bold=True, italic=True, after=0)
    for d in w.r.sample(w.v.departments, 3):
        _para(left, f"- {d};", 11, after=0)
    _para(left, "- Lưu: VT.", 11, after=0)
    right = _cell(table, 0, 1)
    for line in ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"):
        _para(right, line, 13, bold=True, center=True, after=0)
    for _ in range(3):
        _para(right, "", 13, after=0)
    _para(right, w.pick(("Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Minh Đức")),
          13, bold=True, center=True)


def _task_table(doc, w: Writer, rows: int) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _para(doc, "PHỤ LỤC", 14, bold=True, center=True, after=0)
    _para(doc, "DANH MỤC NHIỆM VỤ TRIỂN KHAI", 14, bold=True, center=True, after=6)
    head = ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành")
    table = doc.add_table(rows=1 + rows, cols=5)
    table.style = "Table Grid"
    _widths(table, (Cm(1.2), Cm(6.5), Cm(3.2), Cm(3.2), Cm(2.6)))
    for r, row in enumerate(table.rows):
        values = head if r == 0 else (
            str(r), w.task().rstrip("."), w.pick(w.v.departments),
            "; ".join(w.r.sample(w.v.departments, 2)), w.pick(WHEN).format(y=w.year))
        for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            par = cell.paragraphs[0]
            par.alignment = WD_ALIGN_PARAGRAPH.LEFT if c == 1 else WD_ALIGN_PARAGRAPH.CENTER
            _run(par, value, 12, bold=r == 0)


def _body(doc, w: Writer, chapters: int, items: int) -> None:
    """I. MỤC ĐÍCH, YÊU CẦU / II. MỤC TIÊU / III. NHIỆM VỤ … / IV. TỔ CHỨC THỰC HIỆN."""
    _para(doc, "I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    _para(doc, f"1. Triển khai kịp thời, hiệu quả {w.citation()}; {w.pick(PURPOSES)}.",
          indent=True)
    _para(doc, f"2. Xác định rõ nhiệm vụ, {w.pick(PURPOSES)}.", indent=True)
    _para(doc, "II. MỤC TIÊU", bold=True)
    for _ in range(1, 3 + w.r.randint(0, 3)):
        _para(doc, f"- {w.target()}", indent=True)
    _para(doc, "III. NHIỆM VỤ, GIẢI PHÁP", bold=True)
    for c in range(1, chapters + 1):
        _para(doc, f"{c}. {w.pick(VERBS)} {w.pick(OBJECTS)}", bold=True, indent=True)
        for k in range(items):
            letter = "abcdeghiklmnopqrstuvxy"[k % 22]
            _para(doc, f"{letter}) {w.task()}", indent=True)
            if w.r.random() < 0.3:
                _para(doc, f"- {w.task()}", indent=True)
    _para(doc, "IV. TỔ CHỨC THỰC HIỆN", bold=True)
    for k, agency in enumerate(w.r.sample(w.v.departments, min(6, len(w.v.departments))), 1):
        _para(doc, f"{k}. {agency}:", bold=True, indent=True)
        for _ in range(w.r.randint(1, 3)):
            _para(doc, f"- {w.task()}", indent=True)
    _para(doc, f"Trên đây là Kế hoạch {w.pick(OBJECTS)} của {w.province} năm {w.year}; đề nghị "
          "các cơ quan, đơn vị nghiêm túc triển khai thực hiện./.", indent=True)


def build_docx(path: Path, seed: int, vocab: Vocab, pages: int) -> None:
    """One document of roughly ``pages`` pages (a plan, or a letter when short)."""
    w = Writer(vocab, seed)
    doc = layout.a4_document()
    letter = pages <= 2 and w.r.random() < 0.5
    n = w.r.randint(10, 900)
    if letter:
        _header(doc, w, f"Số: {n}/UBND-KT", f"V/v {w.pick(OBJECTS)}")
        _para(doc, "")
        _para(doc, "Kính gửi:", center=True, after=0)
        for d in w.r.sample(vocab.departments, 3):
            _para(doc, f"- {d};", center=True, after=0)
        _para(doc, f"Thực hiện {w.citation()}, Ủy ban nhân dân tỉnh có ý kiến như sau:",
              indent=True)
        for k in range(1, 4):
            _para(doc, f"{k}. {w.pick(vocab.departments)} {w.task()[0].lower()}{w.task()[1:]}",
                  indent=True)
        _para(doc, "Yêu cầu các cơ quan, đơn vị nghiêm túc thực hiện./.", indent=True)
    else:
        _header(doc, w, f"Số: {n}/KH-UBND", "")
        _para(doc, "KẾ HOẠCH", bold=True, center=True, after=0)
        _para(doc, f"{w.pick(VERBS)} {w.pick(OBJECTS)} năm {w.year}", bold=True, center=True)
        _para(doc, f"Căn cứ {w.citation()};", indent=True)
        # about 1.2 pages per chapter of 6 items, appendix rows about 6 per page; long
        # plans lay out denser (fewer short letters' margins), so they get more of both
        chapters = max(1, int(pages * (1.1 if pages >= 100 else 0.75)))
        _body(doc, w, chapters, 5)
    _signature(doc, w)
    if not letter and pages >= 3:
        _task_table(doc, w, max(6, int(pages * (2.4 if pages >= 100 else 1.6))))
    doc.save(path)


# ----------------------------------------------------------------------------- pdf


def to_pdf(docxs: list[Path], outdir: Path, batch: int = 40) -> None:
    """LibreOffice, in batches (one start-up per batch)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("soffice not found: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as profile:
        for i in range(0, len(docxs), batch):
            subprocess.run(
                [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                 "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docxs[i:i + batch])],
                check=True, capture_output=True, timeout=1800)


def make_scan(pdf: Path, out: Path, dpi: int = 150) -> None:
    """Page 1 of ``pdf`` rendered to a grey image and wrapped as an image-only PDF."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        img = doc[0].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        doc.close()
    img.save(out, "PDF", resolution=dpi)


# ----------------------------------------------------------------------------- corpus


@dataclass(frozen=True)
class Corpus:
    root: Path
    pdfs: tuple[Path, ...]  # born-digital
    docxs: tuple[Path, ...]
    scans: tuple[Path, ...]
    big: tuple[Path, ...]  # the 300-page plans (also in pdfs)

    @property
    def files(self) -> tuple[Path, ...]:
        return self.pdfs + self.docxs + self.scans


def _sizes(r: random.Random, docs: int) -> list[int]:
    """Page counts: mostly letters and short plans, a tail of long ones."""
    return [r.choice((1, 1, 2, 2, 3, 4, 5, 6, 8, 10, 14, 20, 30)) for _ in range(docs)]


def build(base: Path, docs: int, big: int, scans: int, docx_share: float = 0.15,
          seed: int = 2026, log=print) -> Corpus:
    """The corpus for these parameters; files already made (same name, same template
    version) are kept, so changing one parameter regenerates only what it changes."""
    params = {"v": VERSION, "docs": docs, "big": big, "scans": scans, "docx": docx_share,
              "seed": seed}
    root = base / f"corpus-{docs}-{big}-{scans}-{seed}"
    stamp = root / "params.json"
    if stamp.exists() and json.loads(stamp.read_text()) == params:
        return _listing(root)
    for sub in ("pdf", "docx", "scan", "src"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    vocab = load_vocab()
    r = random.Random(seed)
    sizes = _sizes(r, docs) + [300] * big
    as_docx = {i for i in range(docs) if r.random() < docx_share}
    log(f"generating {len(sizes)} documents ({sum(sizes)} pages planned) in {root}")
    to_convert, wanted = [], set()
    for i, pages in enumerate(sizes):
        name = f"kh_lon_v{VERSION}_{i:04d}" if pages >= 300 else f"vb_{i:04d}"
        sub, ext = ("docx", ".docx") if i in as_docx else ("pdf", ".pdf")
        wanted.add(f"{sub}/{name}{ext}")
        if (root / sub / f"{name}{ext}").exists():
            continue
        if i in as_docx:
            build_docx(root / "docx" / f"{name}.docx", seed * 100_003 + i, vocab, pages)
        else:
            src = root / "src" / f"{name}.docx"
            build_docx(src, seed * 100_003 + i, vocab, pages)
            to_convert.append(src)
    log(f"converting {len(to_convert)} to PDF with LibreOffice")
    to_pdf(to_convert, root / "pdf")
    for k, pdf in enumerate(sorted((root / "pdf").glob("vb_*.pdf"))[:scans]):
        wanted.add(f"scan/scan_{k:03d}.pdf")
        if not (root / "scan" / f"scan_{k:03d}.pdf").exists():
            make_scan(pdf, root / "scan" / f"scan_{k:03d}.pdf")
    for f in root.glob("*/*"):
        if f"{f.parent.name}/{f.name}" not in wanted:
            f.unlink()  # left from an older template version
    shutil.rmtree(root / "src")
    stamp.write_text(json.dumps(params))
    return _listing(root)


def _listing(root: Path) -> Corpus:
    pdfs = tuple(sorted((root / "pdf").glob("*.pdf")))
    return Corpus(root, pdfs, tuple(sorted((root / "docx").glob("*.docx"))),
                  tuple(sorted((root / "scan").glob("*.pdf"))),
                  tuple(p for p in pdfs if p.name.startswith("kh_lon")))


def build_small_files(base: Path, n: int, seed: int = 7) -> Path:
    """``n`` short distinct text documents (for the re-ingest timings)."""
    root = base / f"noop-{n}"
    if (root / "done").exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    vocab = load_vocab()
    for i in range(n):
        w = Writer(vocab, seed * 1_000_003 + i)
        lines = [f"ỦY BAN NHÂN DÂN {w.province.upper()}", f"Số: {i + 1}/UBND-VX", "",
                 f"V/v {w.pick(OBJECTS)}", "", f"Thực hiện {w.citation()};",
                 f"1. {w.pick(vocab.departments)} {w.task()[0].lower()}{w.task()[1:]}",
                 f"2. {w.pick(vocab.departments)} {w.task()[0].lower()}{w.task()[1:]}"]
        (root / f"cv_{i:04d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "done").write_text("")
    return root
