"""Hostile files: each one becomes a typed failure with a reason (or a document), never a
crash, a stalled batch or a lost good file. Through the real CLI, in a subprocess."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import hostile_files as hf
import pytest
from dbutil import rows as _rows

from extract import extract_file
from extract.errors import ExtractError

ROOT = Path(__file__).resolve().parent.parent

# builder → the reasons its file may fail with (None: it may also be read as a document)
IN_PROCESS = {
    hf.zero_bytes: {"empty"},
    hf.truncated_pdf: {"corrupt"},
    hf.truncated_docx: {"corrupt"},
    hf.encrypted_pdf: {"encrypted"},
    hf.wrong_extension: {None},
    hf.binary_garbage: {"unsupported"},
    hf.nested_arrays_pdf: {None, "corrupt", "no-content"},
    hf.deep_tables_docx: {"corrupt"},
}


def _vanban(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vanban", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT)


@pytest.mark.parametrize("build", list(IN_PROCESS), ids=lambda b: b.__name__)
def test_hostile_file_gives_a_typed_error_or_a_document(build, tmp_path):
    path = build(tmp_path)
    try:
        doc = extract_file(path)
    except ExtractError as e:
        assert e.reason in IN_PROCESS[build], f"{e.reason}: {e.detail}"
        assert e.detail and path.name in str(e)
    else:
        assert None in IN_PROCESS[build], "should have failed"
        assert doc.sections


def test_pdf_without_text_is_no_content_not_an_empty_document(tmp_path):
    # regression: a PDF whose page draws nothing came out as a Document with no sections,
    # which ingest stored as a document row without sections
    path = tmp_path / "blank.pdf"
    path.write_bytes(hf.pdf_bytes(hf._text_page_objects(b"")))
    with pytest.raises(ExtractError) as err:
        extract_file(path)
    assert err.value.reason == "no-content"


@pytest.mark.parametrize("text", ["----\n\n", "**\n", "|\n|\n"])
def test_markdown_without_text_is_no_content(text, tmp_path):
    path = tmp_path / "blank.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExtractError) as err:
        extract_file(path)
    assert err.value.reason == "no-content"


def _folder(tmp_path: Path, builders, seeds) -> tuple[Path, dict[str, Path]]:
    folder = tmp_path / "corpus"
    folder.mkdir()
    built = {b.__name__: b(folder) for b in builders}
    for seed in seeds:
        shutil.copy(seed, folder / seed.name)
    return folder, built


def _failed(db: Path) -> dict[str, str]:
    return {Path(p).name: r for p, r in _rows(db, "SELECT path, reason FROM failures")}


def _assert_clean_run(out: subprocess.CompletedProcess, db: Path, seeds) -> dict[str, str]:
    """Exit 0, no traceback, the seeds stored whole, the summary naming every failure."""
    assert out.returncode == 0, out.stderr[-3000:]
    assert "Traceback" not in out.stderr, out.stderr[-3000:]
    sources = {r[0] for r in _rows(db, "SELECT source FROM documents")}
    assert {s.name for s in seeds} <= sources
    assert _rows(db, "SELECT count(*) FROM documents d WHERE NOT EXISTS "
                     "(SELECT 1 FROM sections s WHERE s.doc_id = d.id)") == [(0,)]
    failed = _failed(db)
    for name in failed:
        assert f"failed: {name}:" in out.stderr
    assert f"{len(failed)} failed" in out.stdout
    return failed


def test_hostile_folder_through_the_cli_records_every_bad_file(tmp_path):
    seeds = hf.SEEDS[:1]
    folder, built = _folder(tmp_path, IN_PROCESS, seeds)
    db = tmp_path / "v.db"
    out = _vanban("ingest", str(folder), "--db", str(db), "-j", "2", "--timeout", "240",
                  "--quiet")
    failed = _assert_clean_run(out, db, seeds)
    sources = {r[0] for r in _rows(db, "SELECT source FROM documents")}
    assert set(failed) == {p.name for p in built.values()} - sources
    for name, path in built.items():
        if path.name in failed:
            assert failed[path.name] in IN_PROCESS[getattr(hf, name)], path.name
    assert "really-a-pdf.docx" in sources  # read by its real format


@pytest.mark.slow
def test_worker_killed_by_memory_limit_does_not_stop_the_batch(tmp_path):
    """Regression: a worker killed by its memory limit broke the process pool and the
    whole ingest died with BrokenProcessPool. Now the pool restarts, the files that shared
    it are retried alone, and the bomb is recorded."""
    seeds = hf.SEEDS[:1]
    folder, built = _folder(tmp_path, (hf.zero_bytes,), seeds)
    for f in hf.FIXTURES.glob("*.pdf"):  # flate bomb (500 MB inflated), 20000² image
        shutil.copy(f, folder / f.name)
    db = tmp_path / "v.db"
    out = _vanban("ingest", str(folder), "--db", str(db), "-j", "2", "--timeout", "240",
                  "--memory-mb", "700", "--quiet")
    failed = _assert_clean_run(out, db, seeds)
    assert failed["zero-bytes.pdf"] == "empty"
    assert failed["flate-bomb.pdf"] in {"crash", "memory", "no-content"}
    assert failed["huge-image.pdf"] in {"crash", "memory", "no-content", "scanned"}


@pytest.mark.slow
def test_thousands_of_pages_do_not_stall_the_batch(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    hf.many_pages_pdf(folder)
    hf.zero_bytes(folder)
    db = tmp_path / "v.db"
    out = _vanban("ingest", str(folder), "--db", str(db), "-j", "2", "--timeout", "5",
                  "--quiet", timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    failed = {Path(p).name: r for p, r in _rows(db, "SELECT path, reason FROM failures")}
    assert failed["zero-bytes.pdf"] == "empty"
    ingested = {r[0] for r in _rows(db, "SELECT source FROM documents")}
    assert failed.get("many-pages.pdf") == "timeout" or "many-pages.pdf" in ingested
