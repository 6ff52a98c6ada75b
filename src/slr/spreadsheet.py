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
import math
import re
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from slr.errors import InputError
from slr.textio import SHEET_AGAIN, read_text

# A cell starting with one of these is run as a formula (or DDE) by some spreadsheet.
# Full-width variants are included: some locales' Excel treats them like the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
QUOTE = "'"
XLSX_SUFFIXES = (".xlsx", ".xlsm")
XLSX_MAX_CELL = 32767
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


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

    Columns with ``choices`` get a drop-down (data validation) on every data row; the header is
    bold, the panes frozen below it and right of the first column, ``wrap`` columns wrap.
    Written directly as Office Open XML, one row at a time: openpyxl's cell objects took 20 s for
    a sheet of 45,000 works. Strings are inline strings (``t="inlineStr"``), which a spreadsheet
    never evaluates. Returns the number of rows of the first sheet.
    """
    sheets: list[tuple[str, Sequence[Column], Iterable[Mapping[str, Any]]]] = [(sheet_title, columns, rows)]
    sheets.extend((title, cols, body) for title, (cols, body) in (extra_sheets or {}).items())
    first_count = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for index, (_, cols, body) in enumerate(sheets, start=1):
            with zf.open(f"xl/worksheets/sheet{index}.xml", "w") as raw, io.TextIOWrapper(raw, "utf-8") as fh:
                n = _write_sheet_xml(fh, cols, body)
            if index == 1:
                first_count = n
        names = [title[:31] for title, _, _ in sheets]
        zf.writestr("[Content_Types].xml", _content_types(len(sheets)))
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _workbook_xml(names))
        zf.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        zf.writestr("xl/styles.xml", _STYLES)
    return first_count


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Characters XML 1.0 cannot hold at all (control characters are replaced earlier, in _xlsx_text).
_XML_ILLEGAL = re.compile("[\ud800-\udfff\ufffe\uffff]")
# cell styles (xl/styles.xml cellXfs): 0 plain, 1 bold (header), 2 wrapped, 3 date, 4 date and time
_BOLD, _WRAP, _DATE, _DATETIME = 1, 2, 3, 4
_STYLES = (
    _XML_HEAD + f'<styleSheet xmlns="{_MAIN_NS}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
_ROOT_RELS = (
    _XML_HEAD + f'<Relationships xmlns="{_PKG_REL_NS}"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_EPOCH = datetime(1899, 12, 30)  # day 0 of spreadsheet serial dates (1900 system, as Excel counts)


def _xml_text(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _XML_ILLEGAL.sub("\ufffd", text)


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: str, value: Any, style: int) -> str:
    """One ``<c>`` element; '' for an empty cell."""
    if value is None or value == "":
        return ""
    s = f' s="{style}"' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{s}><v>{int(value)}</v></c>'
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    if isinstance(value, datetime):
        serial = (value.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="{_DATETIME}"><v>{serial!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{_DATE}"><v>{(value - _EPOCH.date()).days}</v></c>'
    text = _xml_text(_xlsx_text(neutralise(str(value))))
    return f'<c r="{ref}" t="inlineStr"{s}><is><t xml:space="preserve">{text}</t></is></c>'


def _write_sheet_xml(fh: io.TextIOWrapper, cols: Sequence[Column], body: Iterable[Mapping[str, Any]]) -> int:
    letters = [_column_letter(c) for c in range(1, len(cols) + 1)]
    fh.write(f'{_XML_HEAD}<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">')
    fh.write(
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane xSplit="1" ySplit="1" topLeftCell="B2" activePane="bottomRight" state="frozen"/>'
        '<selection pane="bottomRight" activeCell="B2" sqref="B2"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
    )
    if cols:
        widths = "".join(
            f'<col min="{c}" max="{c}" width="{col.width:g}" customWidth="1"/>' for c, col in enumerate(cols, start=1)
        )
        fh.write(f"<cols>{widths}</cols>")
    fh.write('<sheetData><row r="1">')
    fh.write("".join(_cell(f"{letter}1", col.name, _BOLD) for letter, col in zip(letters, cols, strict=True)))
    fh.write("</row>")
    styles = [_WRAP if col.wrap else 0 for col in cols]
    n = 0
    for row in body:
        n += 1
        r = n + 1
        cells = "".join(
            _cell(f"{letter}{r}", row.get(col.name), style)
            for letter, col, style in zip(letters, cols, styles, strict=True)
        )
        fh.write(f'<row r="{r}">{cells}</row>')
    fh.write("</sheetData>")
    last = max(n + 1, 2)
    checks = [(letter, col) for letter, col in zip(letters, cols, strict=True) if col.choices]
    if checks:
        fh.write(f'<dataValidations count="{len(checks)}">')
        for letter, col in checks:
            allowed = _xml_text(",".join(col.choices)).replace('"', "&quot;")
            message = _xml_text("Choose one of: " + ", ".join(col.choices) + " (or leave empty).").replace(
                '"', "&quot;"
            )
            fh.write(
                f'<dataValidation type="list" allowBlank="1" showErrorMessage="1" errorTitle="Not allowed" '
                f'error="{message}" sqref="{letter}2:{letter}{last}"><formula1>"{allowed}"</formula1></dataValidation>'
            )
        fh.write("</dataValidations>")
    fh.write("</worksheet>")
    return n


def _content_types(count: int) -> str:
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{sheet}"/>' for i in range(1, count + 1)
    )
    return (
        _XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>"
    )


def _workbook_xml(names: Sequence[str]) -> str:
    sheets = "".join(
        f'<sheet name="{_xml_text(name).replace(chr(34), "&quot;")}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    return (
        _XML_HEAD + f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets></workbook>'
    )


def _workbook_rels(count: int) -> str:
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{kind}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, count + 1)
    )
    rels += f'<Relationship Id="rId{count + 1}" Type="{kind}/styles" Target="styles.xml"/>'
    return _XML_HEAD + f'<Relationships xmlns="{_PKG_REL_NS}">{rels}</Relationships>'


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
        wb = load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
        try:
            ws = wb.worksheets[0]
            raw = list(ws.iter_rows(values_only=True))
        finally:
            wb.close()
    except xlsx_errors() as exc:
        # a damaged ZIP has no line of its own: the file cannot be opened from its first byte on
        raise InputError(
            path, f"not a readable XLSX workbook ({type(exc).__name__}: {exc})", SHEET_AGAIN, line=1
        ) from None
    if not raw:
        raise InputError(path, "the first sheet is empty", "put the header row in row 1", line=1)
    header = ["" if v is None else str(v) for v in raw[0]]
    rows = [(number, [_cell_text(v) for v in values]) for number, values in enumerate(raw[1:], start=2)]
    return header, rows
