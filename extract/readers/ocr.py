"""OCR of scanned PDF pages with Debian's ``tesseract`` (``tesseract-ocr-vie``).

The tesseract command line runs as a subprocess, one page per process with
``OMP_THREAD_LIMIT=1`` (tesseract's own threading is slower than one thread per core).
Pages of one document are read in parallel: the caller renders each page (pdfium is not
thread-safe, so that stays in the calling thread) and :meth:`OcrPool.submit` hands the
image to a thread that waits on its tesseract process.

``VANBAN_OCR_JOBS`` sets how many tesseract processes one document may run at once
(default: the CPUs this process may use). ``vanban ingest`` runs one worker per file and
sets it so that workers × jobs stays near the number of cores.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from extract.readers import _ocr_image, _ocr_lines
from extract.readers._pdf_layout import Line

log = logging.getLogger(__name__)

LANG = "vie"
PSM = 3  # automatic page segmentation: the header cells come out as separate blocks
TIMEOUT = 120.0  # seconds for one page
MISSING_REASON = "scanned PDF: OCR needs Debian's tesseract-ocr and tesseract-ocr-vie"
LOW_CONFIDENCE = 0.5  # below this, ask tesseract whether the page is turned (OSD) and retry


class OcrError(RuntimeError):
    """Tesseract failed on a page."""


@dataclass(frozen=True)
class OcrPage:
    lines: list[Line]
    confidence: float | None  # mean word confidence of the kept words, 0–1
    chars: int
    skew: float  # degrees the image was turned to straighten it
    rotation: int = 0  # degrees the page was turned after orientation detection


@functools.cache
def ocr_available() -> bool:
    """True when the tesseract command and its Vietnamese model are installed."""
    exe = shutil.which("tesseract")
    if not exe:
        return False
    try:
        out = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return LANG in (out.stdout + out.stderr).split()


def ocr_jobs() -> int:
    """How many pages of one document are read at once."""
    value = os.environ.get("VANBAN_OCR_JOBS", "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def ocr_image(image: Image.Image, dpi: int, workdir: Path) -> OcrPage:
    """Read one rendered page (``dpi`` says how to turn pixels back into points)."""
    clean, skew = _ocr_image.prepare(image)
    page = _read(clean, dpi, workdir, skew)
    if page.confidence is None or page.confidence < LOW_CONFIDENCE:
        turn = _orientation(clean, workdir)
        if turn:
            turned = _read(clean.rotate(-turn, expand=True, fillcolor=255), dpi, workdir, skew)
            if (turned.confidence or 0) > (page.confidence or 0):
                return OcrPage(turned.lines, turned.confidence, turned.chars, skew, turn)
    return page


def _read(image: Image.Image, dpi: int, workdir: Path, skew: float) -> OcrPage:
    tsv = _tesseract(image, workdir, ["-l", LANG, "--psm", str(PSM), "tsv"])
    words = _ocr_lines.parse_tsv(tsv, 72 / dpi)
    lines, kept = _ocr_lines.build_lines(words)
    chars = sum(len(w.text) for w in kept)
    return OcrPage(lines, _ocr_lines.mean_confidence(kept), chars, skew)


def _orientation(image: Image.Image, workdir: Path) -> int:
    """Clockwise degrees (0, 90, 180, 270) tesseract's OSD says the page is turned by."""
    try:
        out = _tesseract(image, workdir, ["--psm", "0"])
    except OcrError:
        return 0  # too little text to tell
    for row in out.splitlines():
        if row.startswith("Rotate:"):
            return int(row.split(":")[1]) % 360
    return 0


def _tesseract(image: Image.Image, workdir: Path, args: list[str]) -> str:
    fd, name = tempfile.mkstemp(suffix=".pgm", dir=workdir)  # uncompressed: fast
    os.close(fd)
    try:
        image.convert("L").save(name)
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        try:
            done = subprocess.run(
                ["tesseract", name, "-", *args],
                capture_output=True,
                text=True,
                env=env,
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise OcrError(f"tesseract took more than {TIMEOUT:.0f} s") from exc
        if done.returncode != 0:
            raise OcrError(
                done.stderr.strip().splitlines()[-1]
                if done.stderr.strip()
                else f"tesseract exited with {done.returncode}"
            )
        return done.stdout
    finally:
        os.unlink(name)


class OcrPool:
    """Pages of one document read in parallel; use as a context manager."""

    def __init__(self, jobs: int | None = None, dpi: int = _ocr_image.RENDER_DPI):
        self.dpi = dpi
        self._jobs = jobs or ocr_jobs()
        self._pool: ThreadPoolExecutor | None = None
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self._pending: list[Future[OcrPage]] = []

    def __enter__(self) -> OcrPool:
        self._pool = ThreadPoolExecutor(self._jobs, thread_name_prefix="ocr")
        self._dir = tempfile.TemporaryDirectory(prefix="vanban-ocr-")
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._pool is not None and self._dir is not None
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._dir.cleanup()

    def submit(self, image: Image.Image) -> Future[OcrPage]:
        """Queue one rendered page; blocks while 2 × jobs pages wait (rendered pages are
        large: about 26 MB each at 300 dpi)."""
        assert self._pool is not None and self._dir is not None, "use OcrPool as a context"
        self._pending = [f for f in self._pending if not f.done()]
        if len(self._pending) >= 2 * self._jobs:
            wait(self._pending, return_when=FIRST_COMPLETED)
        future = self._pool.submit(ocr_image, image, self.dpi, Path(self._dir.name))
        self._pending.append(future)
        return future
