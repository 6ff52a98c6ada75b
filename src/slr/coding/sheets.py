"""Read a CSV or XLSX table into rows that remember their line (CSV) or row number (XLSX).

The format is recognised from the content, never the file name: an XLSX file is a ZIP archive;
anything else is decoded as text (UTF-8, UTF-16, cp1252; see ``slr.textio``) and read as CSV with
the delimiter the header line uses (comma, semicolon or tab). Spreadsheet exports often start
with a title line or two; ``find_header`` lets the caller pick the real header row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from slr.errors import InputError
from slr.spreadsheet import hidden_values, refuse_hidden_values, xlsx_errors
from slr.textio import SHEET_AGAIN, decode_bytes

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls
HEADER_SEARCH_ROWS = 10


@dataclass
class Sheet:
    path: Path
    format: str  # "csv" or "xlsx"
    header: list[str]
    header_line: int
    rows: list[tuple[int, dict[str, str | None]]] = field(default_factory=list)


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        value = value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


def _raw_rows(path: Path) -> tuple[str, list[tuple[int, list[str | None]]]]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file", "check the path") from None
    except IsADirectoryError:
        raise InputError(path, "this is a folder, not a file", "name the file itself") from None
    if data.startswith(OLE2_MAGIC):
        raise InputError(path, "this is an old Excel .xls workbook", "save it as .xlsx or export it as CSV", line=1)
    if data.startswith(ZIP_MAGIC):
        return "xlsx", _xlsx_rows(path, data)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise InputError(path, f"named {path.suffix} but not an XLSX workbook (not a ZIP archive)", SHEET_AGAIN, line=1)
    text = decode_bytes(data, path, again=SHEET_AGAIN).text.lstrip("\ufeff")
    return "csv", _csv_rows(path, text)


def _xlsx_rows(path: Path, data: bytes) -> list[tuple[int, list[str | None]]]:
    import openpyxl  # imported here: only spreadsheets need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            sheet.reset_dimensions()  # some writers store a wrong used range; read every stored row
            raw = list(sheet.iter_rows(values_only=True))
            uncached, merged = hidden_values(data, sheet._worksheet_path)
        finally:
            book.close()
    except xlsx_errors() as exc:
        # a damaged ZIP has no line of its own: the file cannot be opened from its first byte on
        raise InputError(path, f"not a readable XLSX workbook ({type(exc).__name__})", SHEET_AGAIN, line=1) from None
    refuse_hidden_values(path, sheet.title, uncached, merged)  # never a segment silently read as empty
    return [(i, [_cell(v) for v in values]) for i, values in enumerate(raw, start=1)]


def _csv_rows(path: Path, text: str) -> list[tuple[int, list[str | None]]]:
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str | None]]] = []
    start = 1
    try:
        for values in reader:
            rows.append((start, [_cell(v) for v in values]))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(path, f"broken CSV ({exc})", "check the quoting of this row", line=start) from None
    return rows


def read_sheet(path: str | Path, is_header: Callable[[list[str]], bool]) -> Sheet:
    """Read ``path``; the header is the first of the first rows that ``is_header`` accepts
    (given the row's folded cell texts). Rows after it become dicts keyed by header cell."""
    p = Path(path)
    fmt, raw = _raw_rows(p)
    if not any(any(v for v in values) for _, values in raw):
        raise InputError(p, "the file is empty", "export the coded segments again", line=1)
    header_at = None
    for index, (_line, values) in enumerate(raw[:HEADER_SEARCH_ROWS]):
        if is_header([_fold_header(v) for v in values]):
            header_at = index
            break
    if header_at is None:
        line, values = next((ln, v) for ln, v in raw if any(v))
        shown = ", ".join(v for v in values if v)[:120]
        raise InputError(
            p,
            f"no header row of coded segments found (first row: {shown!r})",
            "use the columns study, code, segment, page, coder (or a MAXQDA 'export coded segments' table "
            "with Document name, Code, Segment)",
            line=line,
        )
    header_line, header_values = raw[header_at]
    header = [v or "" for v in header_values]
    sheet = Sheet(p, fmt, header, header_line)
    for line, values in raw[header_at + 1 :]:
        if not any(values):
            continue
        if len(values) > len(header) and any(values[len(header) :]):
            raise InputError(
                p,
                f"this row has {len(values)} cells but the header has {len(header)}",
                "check for an unquoted delimiter in a cell",
                line=line,
            )
        cells: dict[str, str | None] = {}
        for i, name in enumerate(header):
            if name not in cells:  # a repeated header name: the first column counts
                cells[name] = values[i] if i < len(values) else None
        sheet.rows.append((line, cells))
    return sheet


def _fold_header(value: str | None) -> str:
    return " ".join((value or "").replace("\ufeff", "").strip().casefold().split())


def fold_header(value: str | None) -> str:
    """Header cells compared case- and spacing-insensitively."""
    return _fold_header(value)
