"""Word 97–2003 (.doc) reader: LibreOffice converts the file to DOCX, the DOCX reader reads it.

The conversion runs ``soffice --headless --convert-to docx`` with a private user profile in
a temporary directory per call, so parallel workers never share (and lock) one profile, and
with a timeout after which the whole LibreOffice process group is killed. Runs typed in the
legacy TCVN3 / VNI fonts keep their font names through the conversion, so the DOCX reader's
per-run legacy conversion (``extract.legacy``) turns them into Unicode.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from extract.errors import CorruptFileError, UnsupportedFormatError
from extract.model import RawDocument
from extract.readers.docx import read_docx
from extract.readers.sniff import LEGACY_DOC_REASON

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 180.0


def find_soffice() -> str | None:
    """The LibreOffice binary on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(path: Path, timeout: float = TIMEOUT_SECONDS) -> RawDocument:
    """Read a .doc file: convert it to DOCX with LibreOffice, then read the DOCX."""
    path = Path(path)
    soffice = find_soffice()
    if soffice is None:
        raise UnsupportedFormatError(path, LEGACY_DOC_REASON)
    with tempfile.TemporaryDirectory(prefix="vanban-doc-") as tmp:
        docx = convert_to_docx(path, Path(tmp), soffice, timeout)
        raw = read_docx(docx)
    return replace(raw, source=path.name, format="doc")


def convert_to_docx(path: Path, workdir: Path, soffice: str, timeout: float) -> Path:
    """Convert ``path`` into ``workdir``; returns the DOCX file or raises a typed error."""
    src = workdir / "in" / "document.doc"  # a plain name: the real one may have any suffix
    src.parent.mkdir()
    shutil.copyfile(path, src)
    out = workdir / "out"
    cmd = [
        soffice, "--headless", "--norestore", "--nolockcheck",
        f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
        "--convert-to", "docx", "--outdir", str(out), str(src),
    ]
    log.debug("converting %s with LibreOffice", path.name)
    stderr = _run(cmd, path, timeout)
    result = out / "document.docx"
    if not result.exists() or result.stat().st_size == 0:
        detail = stderr.strip().splitlines()[-1] if stderr.strip() else "no output"
        raise CorruptFileError(path, f"LibreOffice could not convert the .doc ({detail})")
    return result


def _run(cmd: list[str], path: Path, timeout: float) -> str:
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group: a timeout kills soffice.bin too
    )
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise CorruptFileError(
            path, f"LibreOffice did not finish converting the .doc within {timeout:.0f} s"
        ) from None
    return stderr or ""
