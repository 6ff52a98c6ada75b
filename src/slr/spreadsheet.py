"""Tables that researchers open in a spreadsheet: written formula-safe, read back with row numbers.

A title such as ``=HYPERLINK(...)`` or ``+1 page`` in an export must stay inert text
when Excel or LibreOffice opens our CSV or XLSX (CSV/formula injection). Every
string cell that a spreadsheet would run as a formula gets a leading apostrophe, in
both formats, so the two files show the same text. Reading (``read_sheet``) accepts
the CSV or XLSX a researcher saved, whatever the file is called, and reports each
row's number as the spreadsheet shows it, for error messages.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from slr.errors import InputError, InputErrors
from slr.textio import SHEET_AGAIN, read_text, refuse_special_file

# A cell starting with one of these is run as a formula (or DDE) by some spreadsheet.
# Full-width variants are included: some locales' Excel treats them like the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
QUOTE = "'"
XLSX_SUFFIXES = (".xlsx", ".xlsm")
XLSX_MAX_CELL = 32767
_XLSX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # not allowed in XML 1.0


_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, made inert; anything else unchanged.

    A plain number such as ``-0.91`` runs nothing and is left as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return QUOTE + value
    return value


def is_neutralised(value: object) -> bool:
    return isinstance(value, str) and value.startswith(QUOTE) and value[1:].startswith(FORMULA_STARTS)


def unneutralise(value: Any) -> Any:
    """Undo ``neutralise`` on a cell read back (the apostrophe we added is not data)."""
    return value[1:] if is_neutralised(value) else value


def _xlsx_text(value: str) -> str:
    """XLSX cannot hold control characters or more than 32,767 characters in a cell."""
    value = _XLSX_ILLEGAL.sub("\ufffd", value)
    if len(value) > XLSX_MAX_CELL:
        marker = " [truncated for the spreadsheet]"
        value = value[: XLSX_MAX_CELL - len(marker)] + marker
    return value


def _csv_row(header: Sequence[str], row: Mapping[str, Any] | Sequence[Any]) -> list[str]:
    values = [row.get(h) for h in header] if isinstance(row, Mapping) else list(row)
    return ["" if v is None else neutralise(v) if isinstance(v, str) else str(v) for v in values]


class LfWriter:
    """``csv.writer`` with LF line ends that also quotes a cell holding a CR.

    The csv module quotes only the characters of its line terminator, so with ``\n`` a cell
    ``a\rb`` would be written bare and split into two rows when read back."""

    _SPECIAL = re.compile(r'[,"\r\n]')

    def __init__(self, fh: Any) -> None:
        self.fh = fh
        self.writer = csv.writer(fh, lineterminator="\n")

    def writerow(self, row: Sequence[Any]) -> None:
        if not any(isinstance(v, str) and "\r" in v for v in row):
            self.writer.writerow(row)
            return
        cells = ["" if v is None else str(v) for v in row]
        self.fh.write(",".join('"' + c.replace('"', '""') + '"' if self._SPECIAL.search(c) else c for c in cells))
        self.fh.write("\n")


def csv_text(header: Sequence[str], rows: Iterable[Mapping[str, Any] | Sequence[Any]]) -> str:
    """A formula-safe CSV as text (LF line ends), for commands that collect files before writing."""
    buf = io.StringIO()
    writer = LfWriter(buf)
    writer.writerow(header)
    for row in rows:
        writer.writerow(_csv_row(header, row))
    return buf.getvalue()


def write_csv(
    path: str | Path,
    header: Sequence[str],
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    *,
    bom: bool = False,
) -> int:
    """Write a formula-safe CSV; returns the row count.

    ``bom`` (for sheets meant for a spreadsheet) adds a UTF-8 byte-order mark so that Excel
    detects the encoding; files that later stages read are written without one."""
    n = 0
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow(_csv_row(header, row))
            n += 1
    return n


@dataclass
class Column:
    """One XLSX column: header, width, and an optional list of allowed values."""

    name: str
    width: float = 14
    choices: tuple[str, ...] = ()
    wrap: bool = False


def write_xlsx(
    path: str | Path,
    columns: Sequence[Column],
    rows: Iterable[Mapping[str, Any]],
    *,
    sheet_title: str = "sheet",
    extra_sheets: Mapping[str, tuple[Sequence[Column], Iterable[Mapping[str, Any]]]] | None = None,
) -> int:
    """Write a formula-safe XLSX: every string is stored as text, never as a formula.

    Columns with ``choices`` get a drop-down (data validation) on every data row.
    Streams rows (openpyxl write-only mode), so large sheets need little memory.
    Returns the number of rows of the first sheet.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook(write_only=True)
    sheets: list[tuple[str, Sequence[Column], Iterable[Mapping[str, Any]]]] = [(sheet_title, columns, rows)]
    sheets.extend((title, cols, body) for title, (cols, body) in (extra_sheets or {}).items())
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    first_count = 0
    for index, (title, cols, body) in enumerate(sheets):
        ws = wb.create_sheet(title[:31])
        for c, col in enumerate(cols, start=1):
            ws.column_dimensions[get_column_letter(c)].width = col.width
        ws.freeze_panes = "B2"
        header = []
        for col in cols:
            cell = WriteOnlyCell(ws, value=col.name)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        n = 0
        for row in body:
            n += 1
            out: list[Any] = []
            for col in cols:
                value = row.get(col.name)
                if value is None or value == "":
                    out.append(None)
                    continue
                if isinstance(value, bool | int | float | date | datetime):
                    cell = WriteOnlyCell(ws, value=value)
                else:
                    # A str starting with "=" would be stored as a formula: neutralise it and
                    # force the text type.
                    cell = WriteOnlyCell(ws, value=_xlsx_text(neutralise(str(value))))
                    cell.data_type = "s"
                if col.wrap:
                    cell.alignment = wrap
                out.append(cell)
            ws.append(out)
        last = max(n + 1, 2)
        for c, col in enumerate(cols, start=1):
            if col.choices:
                letter = get_column_letter(c)
                dv = DataValidation(
                    type="list",
                    formula1='"' + ",".join(col.choices) + '"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="Not allowed",
                    error="Choose one of: " + ", ".join(col.choices) + " (or leave empty).",
                )
                dv.add(f"{letter}2:{letter}{last}")
                ws.data_validations.append(dv)
        if index == 0:
            first_count = n
    wb.save(path)
    return first_count


# ---------------------------------------------------------------- reading


@dataclass
class SheetRow:
    """A data row of a sheet: its number as the spreadsheet shows it, and its cells."""

    row: int
    cells: dict[str, Any]


@dataclass
class Sheet:
    path: Path
    header: list[str]  # as written in the file
    columns: list[str]  # normalised: lower case, spaces -> "_"
    rows: list[SheetRow]


def normalise_header(name: object) -> str:
    text = "" if name is None else str(name)
    return "_".join(text.strip().lower().replace("-", " ").split())


def _is_xlsx(path: Path) -> bool:
    refuse_special_file(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except FileNotFoundError:
        raise InputError(path, "no such file", "check the path") from None
    except IsADirectoryError:
        raise InputError(path, "this is a folder, not a file", "name the file itself") from None
    if head == b"PK\x03\x04":
        return True
    if path.suffix.lower() in XLSX_SUFFIXES:
        raise InputError(path, f"named {path.suffix} but not an XLSX workbook (not a ZIP archive)", SHEET_AGAIN, line=1)
    return False


def read_sheet(path: str | Path) -> Sheet:
    """Read a CSV (any delimiter a spreadsheet writes) or the first sheet of an XLSX.

    Empty cells are None. Rows that are entirely empty are skipped (spreadsheets leave
    them). Duplicate or empty column names are an InputError on line 1.
    """
    p = Path(path)
    if _is_xlsx(p):
        header, raw_rows = _read_xlsx(p)
    else:
        header, raw_rows = _read_csv(p)
    columns = [normalise_header(h) for h in header]
    seen: dict[str, int] = {}
    for i, name in enumerate(columns):
        if not name:
            if any(r[1][i] is not None for r in raw_rows if i < len(r[1])):
                raise InputError(p, f"column {i + 1} has no name", "give every column a header", line=1)
            continue
        if name in seen:
            raise InputError(
                p, f"column {header[i]!r} appears twice", "delete or rename one of the two columns", line=1
            )
        seen[name] = i
    rows: list[SheetRow] = []
    for number, values in raw_rows:
        if len(values) > len(columns) and any(v is not None for v in values[len(columns) :]):
            raise InputError(
                p,
                f"row has {len(values)} cells but the header names {len(columns)} columns",
                "check for an unquoted delimiter in a cell, or add the missing header",
                line=number,
            )
        cells = {name: (values[i] if i < len(values) else None) for name, i in seen.items()}
        if all(v is None for v in cells.values()):
            continue
        rows.append(SheetRow(number, cells))
    return Sheet(p, header, columns, rows)


def _cell_text(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        text = unneutralise(value.strip())
        return text or None
    return value


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    text = read_text(path, again=SHEET_AGAIN).text
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise InputError(path, "the file is empty", "save the sheet with its header row", line=1)
        rows: list[tuple[int, list[Any]]] = []
        start = reader.line_num + 1
        for values in reader:
            rows.append((start, [_cell_text(v) for v in values]))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(
            path, f"not a well-formed CSV ({exc})", "re-save it from the spreadsheet as CSV", line=reader.line_num
        ) from None
    return header, rows


def xlsx_errors() -> tuple[type[BaseException], ...]:
    """What openpyxl raises on a damaged workbook: the ZIP, its compression, its XML, or cells
    that do not fit the format. Caught only around openpyxl's reading, and reported as an
    unreadable workbook; found by fuzzing cut and spliced workbooks (tests/test_inputs_fuzz.py)."""
    from xml.etree.ElementTree import ParseError

    from openpyxl.utils.exceptions import InvalidFileException

    return (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        ParseError,
        InvalidFileException,
        KeyError,
        IndexError,
        ValueError,
        TypeError,
        OSError,
    )


def _read_xlsx(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    from openpyxl import load_workbook

    try:
        # from bytes: openpyxl would refuse a workbook by its file name (codes.csv holding an XLSX)
        data = path.read_bytes()
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            ws = wb.worksheets[0]
            raw = list(ws.iter_rows(values_only=True))
            title = ws.title
            uncached, merged = hidden_values(data, ws._worksheet_path)
        finally:
            wb.close()
    except xlsx_errors() as exc:
        # a damaged ZIP has no line of its own: the file cannot be opened from its first byte on
        raise InputError(
            path, f"not a readable XLSX workbook ({type(exc).__name__}: {exc})", SHEET_AGAIN, line=1
        ) from None
    refuse_hidden_values(path, title, uncached, merged)
    if not raw:
        raise InputError(path, "the first sheet is empty", "put the header row in row 1", line=1)
    header = ["" if v is None else str(v) for v in raw[0]]
    rows = [(number, [_cell_text(v) for v in values]) for number, values in enumerate(raw[1:], start=2)]
    return header, rows


def hidden_values(data: bytes, sheet_part: str) -> tuple[list[tuple[int, int]], list[tuple[str, int, int]]]:
    """What openpyxl's values hide: cells holding a formula whose value the file does not store
    (a workbook written by a script; openpyxl reads them as empty), as (row, column), and the
    merged ranges as (``E2:E10``, first row, first column) (openpyxl's read-only mode does not
    list them). One streaming pass over the sheet's XML (``sheet_part``, its name in the archive)."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

    uncached: list[tuple[int, int]] = []
    merged: list[tuple[str, int, int]] = []
    row = column = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(sheet_part) as source:
        for event, element in iterparse(source, events=("start", "end")):
            name = element.tag.rpartition("}")[2]
            if event == "start":
                if name == "row":  # the number may be left out: then it is the next row
                    row = int(element.get("r") or row + 1)
                    column = 0
                continue
            if name == "c":
                reference = element.get("r")
                row, column = coordinate_to_tuple(reference) if reference else (row, column + 1)
                children = {child.tag.rpartition("}")[2]: child for child in element}
                # A formula's value is its <v>; an empty <v> is a value only for a text result
                # (t="str": the formula gave ""), as spreadsheet programs save it.
                value = children.get("v")
                stored = value is not None and (bool(value.text) or element.get("t") == "str")
                if "f" in children and not stored:
                    uncached.append((row, column))
            elif name == "row":
                element.clear()
            elif name == "mergeCell":
                ref = element.get("ref") or ""
                first_column, first_row, last_column, last_row = range_boundaries(ref)
                if first_row is None or first_column is None:
                    raise ValueError(f"merged range {ref!r} names whole rows or columns")
                if (first_column, first_row) != (last_column, last_row):
                    merged.append((ref, first_row, first_column))
    return uncached, merged


def refuse_hidden_values(
    path: Path, title: str, uncached: list[tuple[int, int]], merged: list[tuple[str, int, int]]
) -> None:
    """A formula without its stored value, or the cells a merged range covers, would be read as
    empty (a decision silently "not coded"): each is an error naming the cell or range."""
    from openpyxl.utils.cell import get_column_letter

    problems: list[InputError] = []
    for row, column in uncached:
        problems.append(
            InputError(
                path,
                f"cell {get_column_letter(column)}{row} of sheet {title!r} holds a formula whose value is not"
                " stored in the file (a sheet written by a script is saved without the values of its formulas)",
                "open the sheet in a spreadsheet program and save it, so the formula's value is stored,"
                " or type the value",
                line=row,
            )
        )
    for ref, row, column in merged:
        problems.append(
            InputError(
                path,
                f"cells {ref} of sheet {title!r} are merged: the file keeps a merged range's value in its"
                f" first cell ({get_column_letter(column)}{row}) only, so the other cells would be read as empty",
                "unmerge the cells and type the value in each of them",
                line=row,
            )
        )
    if problems:
        problems.sort(key=lambda problem: problem.line or 0)
        raise InputErrors(problems)
