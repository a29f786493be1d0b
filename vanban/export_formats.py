"""Writing records (lists of dicts) as JSON Lines, JSON, CSV (UTF-8 with BOM) or XLSX."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMATS = ("jsonl", "json", "csv", "xlsx")
CELL_SEP = "; "
DATE_FORMAT = "DD/MM/YYYY"
DATE_FIELDS = frozenset({"date", "by", "first_deadline", "deadlines"})
WRAP_FIELDS = frozenset({"text", "subject", "metric"})
MAX_WIDTH = 60
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")

Sheets = Mapping[str, Sequence[Mapping[str, Any]]]


def write_records(sheets: Sheets, fields: Sequence[str], fmt: str,
                  out: IO[Any] | Path | str) -> None:
    """Write records to ``out``; text formats put every sheet's records one after another."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    if fmt == "xlsx":
        _write_xlsx(sheets, fields, out)
        return
    records = [r for rows in sheets.values() for r in rows]
    writer: Callable[[list[Mapping[str, Any]], Sequence[str], IO[str]], None] = {
        "jsonl": _write_jsonl, "json": _write_json, "csv": _write_csv}[fmt]
    with _text_stream(out, bom=fmt == "csv") as stream:
        writer(records, fields, stream)


@contextmanager
def _text_stream(out: IO[Any] | Path | str, *, bom: bool) -> Iterator[IO[str]]:
    """A text stream on ``out`` (a path, a text stream or a binary one), BOM first if asked."""
    if isinstance(out, str | Path):
        with open(out, "w", encoding="utf-8", newline="") as f:
            f.write("\ufeff" if bom else "")
            yield f
        return
    if isinstance(out, io.TextIOBase):
        out.write("\ufeff" if bom else "")
        yield out  # type: ignore[misc]
        return
    wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="")
    wrapper.write("\ufeff" if bom else "")
    try:
        yield wrapper
    finally:
        wrapper.flush()
        wrapper.detach()  # leave the caller's stream open


def _project(record: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    return {f: record.get(f) for f in fields}


def _write_jsonl(records: list[Mapping[str, Any]], fields: Sequence[str], f: IO[str]) -> None:
    for r in records:
        f.write(json.dumps(_project(r, fields), ensure_ascii=False) + "\n")


def _write_json(records: list[Mapping[str, Any]], fields: Sequence[str], f: IO[str]) -> None:
    json.dump([_project(r, fields) for r in records], f, ensure_ascii=False, indent=2)
    f.write("\n")


def _flat(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return CELL_SEP.join(str(v) for v in value)
    return value


def _write_csv(records: list[Mapping[str, Any]], fields: Sequence[str], f: IO[str]) -> None:
    w = csv.writer(f)
    w.writerow(fields)
    for r in records:
        w.writerow([_flat(r.get(c)) for c in fields])


def _cell_value(name: str, value: Any) -> Any:
    """Dates become real dates (a one-date list too); other lists are joined."""
    if name in DATE_FIELDS:
        if isinstance(value, list | tuple) and len(value) == 1:
            value = value[0]
        if isinstance(value, str) and _ISO_DAY.match(value):
            return date.fromisoformat(value)
    return _flat(value)


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique worksheet title (≤ 31 characters, no []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub(" ", name).strip() or "Sheet"
    title, n = base[:31], 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def _fill_sheet(ws: Worksheet, rows: Sequence[Mapping[str, Any]],
                fields: Sequence[str]) -> None:
    ws.append(list(fields))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    widths = [len(f) for f in fields]
    for r in rows:
        values = [_cell_value(f, r.get(f)) for f in fields]
        ws.append(values)
        for i, v in enumerate(values):
            widths[i] = max(widths[i], 10 if isinstance(v, date) else len(str(v or "")))
    for i, name in enumerate(fields, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = min(widths[i - 1] + 2, MAX_WIDTH)
        for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            elif name in WRAP_FIELDS:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.auto_filter.ref = ws.dimensions


def _write_xlsx(sheets: Sheets, fields: Sequence[str], out: IO[Any] | Path | str) -> None:
    if isinstance(out, io.TextIOBase):
        raise ValueError("xlsx needs a file path or a binary stream, not a text stream")
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for name, rows in (sheets or {"Sheet": []}).items():
        _fill_sheet(wb.create_sheet(sheet_title(name, taken)), rows, fields)
    wb.save(out)
