"""A real vanban site for tests: a database built from real files, served by Datasette
in a subprocess on a free loopback port (used by test_site.py and test_browser.py).

The database holds the two corpus seeds, one born-digital PDF (Thông báo 480/TB-VPCP),
and two short letters in ``tests/fixtures/site``: one that cites 480/TB-VPCP (in the corpus)
and 156/TB-VPCP (not), and one stamped MẬT (confidential, never shown on the site).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SITE_FILES = [
    *sorted((ROOT / "corpus").glob("*.txt")),
    TESTS / "fixtures" / "pdf" / "03_vpcp-tb480-ket-luan-pttg-du-thao-luat-xay-dung-2025.pdf",
    *sorted((TESTS / "fixtures" / "site").glob("*.txt")),
]
CONFIDENTIAL_DOC = "901_cv-mat.txt"
CITING_DOC = "900_cv-trien-khai-tb480.txt"
CITED_DOC = "03_vpcp-tb480-ket-luan-pttg-du-thao-luat-xay-dung-2025.pdf"


def build_site_db(path: Path, files: list[Path] = SITE_FILES) -> Path:
    """Extract, analyze and store ``files`` into a new database at ``path``."""
    from extract import extract_file, file_sha256
    from extract.errors import ExtractError
    from nlp.pipeline import analyze
    from schema.db import open_db
    from schema.keys import doc_id_for
    from schema.load import resolve_citations, store_document

    db = open_db(path)
    for f in files:
        try:
            doc = extract_file(f)
        except ExtractError:
            continue
        st = f.stat()
        store_document(db, doc, analyze(doc), doc_id=doc_id_for(f), path=str(f),
                       sha256=file_sha256(f), size=st.st_size, mtime=st.st_mtime)
    resolve_citations(db)
    db.conn.close()
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_site(db_path: Path, timeout_s: float = 60) -> Iterator[str]:
    """Serve ``db_path`` with :func:`vanban.serve.serve` in a subprocess; yields the base
    URL once the home page answers, and stops the server afterwards."""
    port = free_port()
    code = f"from vanban.serve import serve; serve({str(db_path)!r}, port={port})"
    log = open(db_path.with_suffix(".serve.log"), "w")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=log, stderr=subprocess.STDOUT,
                            cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError("site exited early:\n"
                                   + db_path.with_suffix(".serve.log").read_text()[-3000:])
            try:
                with urllib.request.urlopen(base + "/", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"site did not answer on {base} in {timeout_s} s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
