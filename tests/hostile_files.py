"""Hostile inputs built at test time: broken, hostile or oversized files that a reader must
turn into a typed error (or read quickly), never a crash or a stalled batch.

Each builder writes one file into a folder and returns its path. Files are generated rather
than committed so the repository stays small; ``tests/fixtures/hostile/`` holds only what
cannot be built here.
"""

from __future__ import annotations

import io
import os
import random
import zlib
from pathlib import Path

from docx import Document as new_docx

ROOT = Path(__file__).resolve().parent.parent
PDF_FIXTURES = ROOT / "tests" / "fixtures" / "pdf"
SMALL_PDF = PDF_FIXTURES / "03_vpcp-tb480-ket-luan-pttg-du-thao-luat-xay-dung-2025.pdf"
ENCRYPTED_PDF = PDF_FIXTURES / "encrypted_user_password.pdf"
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))

LETTER = (
    "ỦY BAN NHÂN DÂN\nTỈNH TUYÊN QUANG\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n\nSố: 12/UBND-VP\nV/v triển khai nhiệm vụ\n"
    "Tuyên Quang, ngày 02 tháng 01 năm 2025\n\nKính gửi: Sở Tư pháp.\n\n"
    "1. Giao Sở Tư pháp chủ trì rà soát văn bản, hoàn thành trước ngày 31 tháng 3 năm 2025.\n"
    "2. Sở Tài chính phối hợp thực hiện.\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n\n"
    "CHỦ TỊCH\nNguyễn Văn A\n"
)


# --------------------------------------------------------------------------- PDF writing


def pdf_bytes(objects: list[bytes]) -> bytes:
    """A PDF whose object ``i`` (1-based) is ``objects[i-1]``; object 1 is the catalog."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _text_page_objects(content: bytes, resources: bytes = b"") -> list[bytes]:
    """Catalog, pages, one page, a Helvetica font and the content stream (objects 1–5)."""
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /Font << /F1 4 0 R >> " + resources + b" >> >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(content),
    ]


# --------------------------------------------------------------------------- builders


def zero_bytes(d: Path) -> Path:
    p = d / "zero-bytes.pdf"
    p.write_bytes(b"")
    return p


def truncated_pdf(d: Path) -> Path:
    data = SMALL_PDF.read_bytes()
    p = d / "truncated-half.pdf"
    p.write_bytes(data[: len(data) // 2])
    return p


def docx_bytes(paragraphs: list[str] | None = None) -> bytes:
    doc = new_docx()
    for text in paragraphs or LETTER.split("\n"):
        doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def truncated_docx(d: Path) -> Path:
    data = docx_bytes()
    p = d / "truncated-half.docx"
    p.write_bytes(data[: len(data) // 2])
    return p


def encrypted_pdf(d: Path) -> Path:
    p = d / "encrypted.pdf"
    p.write_bytes(ENCRYPTED_PDF.read_bytes())
    return p


def wrong_extension(d: Path) -> Path:
    """A PDF saved as .docx: read by its real format (with a warning) or a typed error."""
    p = d / "really-a-pdf.docx"
    p.write_bytes(SMALL_PDF.read_bytes())
    return p


def binary_garbage(d: Path, seed: int = 7) -> Path:
    p = d / "garbage.txt"
    p.write_bytes(random.Random(seed).randbytes(64 * 1024))
    return p


def many_pages_pdf(d: Path, pages: int = 3000) -> Path:
    """A PDF of ``pages`` pages sharing one tiny content stream."""
    kids = b" ".join(b"%d 0 R" % (6 + i) for i in range(pages))
    objects = _text_page_objects(b"BT /F1 12 Tf 72 720 Td (Trang) Tj ET")
    objects[1] = b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages
    objects[2] = b"<< /Type /Null >>"
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
            b"/Resources << /Font << /F1 4 0 R >> >> >>")
    objects.extend(page for _ in range(pages))
    p = d / "many-pages.pdf"
    p.write_bytes(pdf_bytes(objects))
    return p


def nested_arrays_pdf(d: Path, depth: int = 50_000) -> Path:
    """Page resources holding an array nested ``depth`` deep, and a deep outline chain."""
    deep = b"[" * depth + b"]" * depth
    objects = _text_page_objects(b"BT /F1 12 Tf 72 720 Td (Xin chao) Tj ET",
                                 b"/Deep " + deep)
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R /Outlines 6 0 R >>"
    n = 2000  # outline items, each the only child of the one before
    objects.append(b"<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>")
    for i in range(n):
        me, child = 7 + i, 8 + i
        kids = b"/First %d 0 R /Last %d 0 R /Count 1" % (child, child) if i < n - 1 else b""
        objects.append(b"<< /Title (x) /Parent %d 0 R %s >>" % (me - 1, kids))
    p = d / "nested-arrays.pdf"
    p.write_bytes(pdf_bytes(objects))
    return p


def flate_bomb_pdf(d: Path, megabytes: int = 500) -> Path:
    """A page whose content stream is compressed twice: a few KB on disk, ``megabytes``
    of spaces once inflated."""
    z = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    once = b"".join(z.compress(chunk) for _ in range(megabytes)) + z.flush()
    twice = zlib.compress(once, 9)
    objects = _text_page_objects(b"")
    objects[4] = _stream(twice, b"/Filter [/FlateDecode /FlateDecode]")
    p = d / "flate-bomb.pdf"
    p.write_bytes(pdf_bytes(objects))
    return p


def huge_image_pdf(d: Path, side: int = 20_000) -> Path:
    """A page drawing one ``side``×``side`` RGB image (1.2 GB decoded), compressed twice
    down to a few KB."""
    z = zlib.compressobj(9)
    row = b"\x00" * (side * 3)
    data = zlib.compress(b"".join(z.compress(row) for _ in range(side)) + z.flush(), 9)
    objects = _text_page_objects(b"q 595 0 0 842 0 0 cm /Im1 Do Q",
                                 b"/XObject << /Im1 6 0 R >>")
    objects.append(_stream(data, b"/Type /XObject /Subtype /Image /Width %d /Height %d "
                                 b"/ColorSpace /DeviceRGB /BitsPerComponent 8 "
                                 b"/Filter [/FlateDecode /FlateDecode]" % (side, side)))
    p = d / "huge-image.pdf"
    p.write_bytes(pdf_bytes(objects))
    return p


def deep_tables_docx(d: Path, depth: int = 200) -> Path:
    """A DOCX whose body nests tables ``depth`` deep, the innermost cell holding text."""
    import zipfile

    inner = b"<w:p><w:r><w:t>Giao S\xe1\xbb\x9f T\xc6\xb0 ph\xc3\xa1p ch\xe1\xbb\xa7 tr\xc3\xac.</w:t></w:r></w:p>"
    xml = inner
    for _ in range(depth):
        xml = b"<w:tbl><w:tr><w:tc>" + xml + b"<w:p/></w:tc></w:tr></w:tbl>"
    src = io.BytesIO(docx_bytes(["Mở đầu"]))
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + xml, 1)
            zout.writestr(item, data)
    p = d / "deep-tables.docx"
    p.write_bytes(out.getvalue())
    return p


# fast enough to build in every test run
BUILDERS = (zero_bytes, truncated_pdf, truncated_docx, encrypted_pdf, wrong_extension,
            binary_garbage, many_pages_pdf, nested_arrays_pdf, deep_tables_docx)
# a few seconds of compression each: committed under tests/fixtures/hostile/
SLOW_BUILDERS = (flate_bomb_pdf, huge_image_pdf)
FIXTURES = ROOT / "tests" / "fixtures" / "hostile"


def build_all(d: Path) -> dict[str, Path]:
    """Every hostile file in ``d``: the fast ones built, the slow ones copied."""
    d.mkdir(parents=True, exist_ok=True)
    out = {b.__name__: b(d) for b in BUILDERS}
    for f in sorted(FIXTURES.glob("*.pdf")):
        (d / f.name).write_bytes(f.read_bytes())
        out[f.stem] = d / f.name
    return out


if __name__ == "__main__":  # pragma: no cover - rebuilds the committed fixtures
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for build in SLOW_BUILDERS:
        path = build(FIXTURES)
        print(f"{path} ({os.path.getsize(path)} bytes)")
