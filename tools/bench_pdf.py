"""Pages per second of ``read_pdf`` against pdfplumber ``extract_text()`` on the same files.

Usage: .venv/bin/python tools/bench_pdf.py [PDF ...]
(default: corpus PDFs 01–08 and the test renderings)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pdfplumber

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract.readers.pdf import read_pdf  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = sorted(Path("/work/shared/corpus").glob("0[1-8]_*.pdf")) + sorted(
    (ROOT / "tests/fixtures/renderings").glob("*.pdf")
)


def bench_vanban(paths: list[Path]) -> tuple[int, float]:
    start = time.perf_counter()
    pages = sum(len(read_pdf(p).pages) for p in paths)
    return pages, time.perf_counter() - start


def bench_pdfplumber(paths: list[Path]) -> tuple[int, float]:
    start = time.perf_counter()
    pages = 0
    for p in paths:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    return pages, time.perf_counter() - start


def main() -> None:
    paths = [Path(a) for a in sys.argv[1:]] or DEFAULT
    for name, bench in (("read_pdf", bench_vanban), ("pdfplumber.extract_text", bench_pdfplumber)):
        pages, seconds = bench(paths)
        print(f"{name:26s} {pages:4d} pages {seconds:7.2f} s {pages / seconds:8.1f} pages/s")  # noqa: T201


if __name__ == "__main__":
    main()
