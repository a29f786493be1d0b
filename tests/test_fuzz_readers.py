"""Mutated real inputs: a reader returns a Document or raises an ExtractError subclass,
never anything else; ingest of a mutated file stores all of its rows or none."""

from __future__ import annotations

import io
import sqlite3
import tempfile
import zipfile
from functools import cache
from pathlib import Path

import hostile_files as hf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract import extract_file
from extract.errors import ExtractError
from vanban.ingest import ingest

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                      HealthCheck.data_too_large])
# bytes a parser finds interesting: numbers, delimiters, markers
TOKENS = (b"0", b"-1", b"4294967296", b"99999999999", b"<<", b">>", b"[", b"]", b"(", b")",
          b"/", b"\\", b"R", b"obj", b"endobj", b"stream", b"%%EOF", b"\x00", b"\xff",
          b"<", b">", b"&", b"<w:tbl>", b"\xe1\xbb", b"\r\n", b"|", b"**", b"#")


Op = tuple[str, float, int, bytes]  # (kind, position as a share of the length, n, bytes)

OPS = st.lists(st.tuples(st.sampled_from(("flip", "insert", "delete", "truncate", "token")),
                         st.floats(0, 1, exclude_max=True), st.integers(0, 64),
                         st.one_of(st.sampled_from(TOKENS), st.binary(min_size=1, max_size=8))),
               min_size=1, max_size=4)


def mutate(base: bytes, ops: list[Op]) -> bytes:
    """``base`` with a few bytes flipped, inserted, deleted or cut off (the ops, not the
    bytes, are what Hypothesis shows for a failing case)."""
    data = bytearray(base)
    for kind, share, n, blob in ops:
        if not data:
            break
        pos = int(share * len(data))
        if kind == "flip":
            data[pos] ^= 1 << (n % 8)
        elif kind == "insert":
            data[pos:pos] = blob
        elif kind == "delete":
            del data[pos:pos + n + 1]
        elif kind == "truncate":
            del data[pos:]
        else:
            data[pos:pos + n % 5] = blob
    return bytes(data)


def _extract(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / name
        path.write_bytes(data)
        try:
            doc = extract_file(path)
        except ExtractError as e:
            assert e.reason and e.detail
        else:
            assert doc.sections is not None


@cache
def _tiny_pdf() -> bytes:
    return hf.pdf_bytes(hf._text_page_objects(
        b"BT /F1 12 Tf 72 720 Td (1. Giao So Tu phap chu tri.) Tj 0 -20 Td (2. Bao cao.) Tj ET"))


@cache
def _real_pdf() -> bytes:
    return hf.SMALL_PDF.read_bytes()


@cache
def _docx() -> bytes:
    return hf.docx_bytes()


def _with_document_xml(docx: bytes, xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = xml if item.filename == "word/document.xml" else zin.read(item.filename)
            zout.writestr(item.filename, data)
    return out.getvalue()


@cache
def _document_xml() -> bytes:
    with zipfile.ZipFile(io.BytesIO(_docx())) as z:
        return z.read("word/document.xml")


# --------------------------------------------------------------------------- readers


@settings(FUZZ, max_examples=40)
@given(OPS)
def test_mutated_tiny_pdf_gives_a_document_or_a_typed_error(ops):
    _extract(mutate(_tiny_pdf(), ops), "tiny.pdf")


@settings(FUZZ, max_examples=12)
@given(OPS)
def test_mutated_real_pdf_gives_a_document_or_a_typed_error(ops):
    _extract(mutate(_real_pdf(), ops), "real.pdf")


@settings(FUZZ, max_examples=30)
@given(OPS)
def test_mutated_docx_bytes_give_a_document_or_a_typed_error(ops):
    _extract(mutate(_docx(), ops), "letter.docx")


@settings(FUZZ, max_examples=40)
@given(OPS)
def test_mutated_docx_xml_gives_a_document_or_a_typed_error(ops):
    _extract(_with_document_xml(_docx(), mutate(_document_xml(), ops)), "letter.docx")


@settings(FUZZ, max_examples=40)
@given(OPS)
def test_mutated_text_gives_a_document_or_a_typed_error(ops):
    _extract(mutate(hf.LETTER.encode("utf-8"), ops), "letter.txt")


# regressions found by the tests above: each crashed with a non-ExtractError exception


def _reason(data: bytes, name: str, tmp_path: Path) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ExtractError) as err:
        extract_file(path)
    return err.value.reason


def test_docx_with_a_broken_deflate_stream_is_corrupt_not_zlib_error(tmp_path):
    # a bit flipped inside a compressed part: zlib.error escaped python-docx
    data = mutate(_docx(), [("flip", 0.41353443350719277, 5, b"|")])
    assert _reason(data, "flip.docx", tmp_path) == "corrupt"


def test_docx_with_shifted_zip_offsets_is_corrupt_not_oserror(tmp_path):
    # bytes deleted near the start: zipfile seeks to a negative offset (OSError EINVAL)
    data = mutate(_docx(), [("delete", 0.03913779859691058, 9, b"|")])
    assert _reason(data, "shifted.docx", tmp_path) == "corrupt"


def test_docx_whose_root_is_not_w_document_is_corrupt_not_attribute_error(tmp_path):
    # python-docx hands back a plain element without .body when the root tag is wrong
    xml = _document_xml().replace(b"<w:document ", b"<w:documen ", 1)
    xml = xml.replace(b"</w:document>", b"</w:documen>", 1)
    assert _reason(_with_document_xml(_docx(), xml), "root.docx", tmp_path) == "corrupt"


def test_docx_without_a_body_is_corrupt(tmp_path):
    xml = _document_xml()
    start, end = xml.index(b"<w:body>"), xml.index(b"</w:body>") + len(b"</w:body>")
    assert _reason(_with_document_xml(_docx(), xml[:start] + xml[end:]), "nobody.docx",
                   tmp_path) == "corrupt"


# --------------------------------------------------------------------------- ingest


def _counts(db: Path) -> tuple[list, list, list]:
    con = sqlite3.connect(db)
    try:
        docs = con.execute("SELECT d.id, (SELECT count(*) FROM sections s "
                           "WHERE s.doc_id = d.id) FROM documents d").fetchall()
        files = con.execute("SELECT status, doc_id FROM files").fetchall()
        failures = con.execute("SELECT reason FROM failures").fetchall()
        return docs, files, failures
    finally:
        con.close()


@settings(FUZZ, max_examples=15)
@given(st.sampled_from(("letter.txt", "letter.docx", "tiny.pdf")), st.data())
def test_ingest_of_a_mutated_file_stores_all_rows_or_none(name, data):
    base = {"letter.txt": hf.LETTER.encode("utf-8"), "letter.docx": _docx(),
            "tiny.pdf": _tiny_pdf()}[name]
    blob = mutate(base, data.draw(OPS))
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d) / "in"
        folder.mkdir()
        (folder / name).write_bytes(blob)
        db = Path(d) / "v.db"
        s = ingest([folder], db, jobs=1)
        docs, files, failures = _counts(db)
        assert s.ingested + s.failed == 1
        if s.ingested:
            doc = extract_file(folder / name)
            assert [n for _, n in docs] == [len(doc.sections)]
            assert files == [("ingested", docs[0][0])] and not failures
        else:
            assert docs == [] and files == [("failed", None)] and len(failures) == 1


def test_fuzz_base_inputs_are_readable(tmp_path):
    """The unmutated inputs are documents, so mutations start from the reading path."""
    for name, data in (("tiny.pdf", _tiny_pdf()), ("letter.docx", _docx()),
                       ("letter.txt", hf.LETTER.encode("utf-8"))):
        (tmp_path / name).write_bytes(data)
        assert extract_file(tmp_path / name).sections, name



def _input(name: str, ops: list[Op]) -> tuple[bytes, str]:
    if name == "document.xml":
        return _with_document_xml(_docx(), mutate(_document_xml(), ops)), "letter.docx"
    base = {"tiny.pdf": _tiny_pdf, "real.pdf": _real_pdf, "letter.docx": _docx,
            "letter.txt": lambda: hf.LETTER.encode("utf-8")}[name]()
    return mutate(base, ops), name


@pytest.mark.slow
@pytest.mark.parametrize("name", ["tiny.pdf", "real.pdf", "letter.docx", "document.xml",
                                  "letter.txt"])
def test_long_fuzz_run_gives_documents_or_typed_errors(name):
    @settings(FUZZ, max_examples=300 if name != "real.pdf" else 60)
    @given(OPS)
    def run(ops):
        _extract(*_input(name, ops))

    run()
