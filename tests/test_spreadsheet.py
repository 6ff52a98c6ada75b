"""Sheets for spreadsheets are formula-safe, and read back with row numbers."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from slr.errors import InputError
from slr.spreadsheet import Column, neutralise, read_sheet, write_csv, write_xlsx

HOSTILE = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\r=CR", "＝1+1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_neutralise(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Industrial symbiosis", "e-waste", "1997", "-5", "+0.25", "-1e-3", "", "'quoted"])
def test_ordinary_text_unchanged(text):
    assert neutralise(text) == text


def test_xlsx_and_csv_cells_are_text_not_formulas(tmp_path):
    rows = [{"title": t, "year": 2001, "n": -5} for t in HOSTILE]
    xlsx, csv_path = tmp_path / "s.xlsx", tmp_path / "s.csv"
    cols = [Column("title"), Column("year"), Column("n"), Column("ok", choices=("yes", "no"))]
    write_xlsx(xlsx, cols, rows)
    write_csv(csv_path, [c.name for c in cols], rows)
    ws = load_workbook(xlsx).active
    for r, text in enumerate(HOSTILE, start=2):
        cell = ws.cell(row=r, column=1)
        # XML keeps no bare CR: it reads back as LF
        assert cell.data_type == "s" and cell.value == ("'" + text).replace("\r", "\n")
        assert ws.cell(row=r, column=2).value == 2001 and ws.cell(row=r, column=3).value == -5
    validations = ws.data_validations.dataValidation
    assert len(validations) == 1 and validations[0].formula1 == '"yes,no"' and str(validations[0].sqref) == "D2:D8"
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        got = list(csv.reader(fh))
    assert [row[0] for row in got[1:]] == ["'" + t for t in HOSTILE]
    assert got[1][2] == "-5"  # numbers are numbers, not text to neutralise


def test_xlsx_survives_control_characters_and_huge_cells(tmp_path):
    path = tmp_path / "s.xlsx"
    write_xlsx(path, [Column("title")], [{"title": "bad\x01char"}, {"title": "x" * 40000}])
    ws = load_workbook(path).active
    assert ws["A2"].value == "bad\ufffdchar" and len(ws["A3"].value) == 32767


def test_read_sheet_round_trip_and_row_numbers(tmp_path):
    path = tmp_path / "s.csv"
    write_csv(path, ["Work ID", "Title"], [["W1", "=evil"], ["W2", "multi\nline"], ["W3", "x"]])
    sheet = read_sheet(path)
    assert sheet.columns == ["work_id", "title"]
    assert [(r.row, r.cells["title"]) for r in sheet.rows] == [(2, "=evil"), (3, "multi\nline"), (5, "x")]


def test_read_sheet_semicolon_csv_and_duplicate_columns(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("work_id;empirical\nW1;yes\n", encoding="cp1252")
    assert read_sheet(path).rows[0].cells == {"work_id": "W1", "empirical": "yes"}
    dup = tmp_path / "d.csv"
    dup.write_text("work_id,empirical,Empirical\nW1,yes,no\n", encoding="utf-8")
    with pytest.raises(InputError, match="appears twice"):
        read_sheet(dup)


def test_read_sheet_extra_cells_are_an_error(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("work_id,empirical\nW1,yes,surprise\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_sheet(path)
    assert exc.value.line == 2


def test_xlsx_layout_types_and_characters_xml_cannot_hold(tmp_path):
    from datetime import date, datetime

    path = tmp_path / "s.xlsx"
    row = {
        "title": 'Flows & <stocks> ]]> "quoted"',
        "n": 3,
        "share": 0.25,
        "coded": True,
        "on": date(2016, 3, 14),
        "at": datetime(2016, 3, 14, 9, 30),
        "bad": "lone \ud800 surrogate \uffff",
        "ok": "yes",
    }
    cols = [Column("title", 60, wrap=True), Column("n"), Column("share"), Column("coded"), Column("on"),
            Column("at"), Column("bad"), Column("ok", choices=("yes", "no"))]  # fmt: skip
    count = write_xlsx(path, cols, [row, {}], sheet_title="works", extra_sheets={"more": ([Column("x")], [])})
    assert count == 2
    book = load_workbook(path)
    assert book.sheetnames == ["works", "more"]
    ws = book["works"]
    assert ws.freeze_panes == "B2" and ws.column_dimensions["A"].width == 60
    assert ws["A1"].value == "title" and ws["A1"].font.b and ws["A2"].alignment.wrap_text
    assert [c.value for c in ws[2]] == [
        row["title"], 3, 0.25, True, datetime(2016, 3, 14), datetime(2016, 3, 14, 9, 30),
        "lone \ufffd surrogate \ufffd", "yes",
    ]  # fmt: skip
    assert ws["E2"].is_date and ws.max_row == 2  # the empty row is not written
    (validation,) = ws.data_validations.dataValidation
    assert str(validation.sqref) == "H2:H3"
    assert book["more"].max_row == 1 and book["more"]["A1"].value == "x"


def test_csv_text_is_formula_safe_and_reads_back(tmp_path):
    from slr.spreadsheet import csv_text

    path = tmp_path / "t.csv"
    path.write_text(csv_text(["title", "n"], [[t, -5] for t in HOSTILE]), encoding="utf-8")
    with open(path, encoding="utf-8", newline="") as fh:
        cells = [row[0] for row in csv.reader(fh)][1:]
    assert cells == ["'" + t for t in HOSTILE]
    assert [r.cells["title"] for r in read_sheet(path).rows] == HOSTILE


def test_a_workbook_is_recognised_whatever_its_name(tmp_path):
    xlsx = tmp_path / "codes.xlsx"
    write_xlsx(xlsx, [Column("work_id"), Column("title")], [{"work_id": "W1", "title": "=x"}])
    renamed = tmp_path / "codes.csv"
    renamed.write_bytes(xlsx.read_bytes())
    assert [r.cells for r in read_sheet(renamed).rows] == [{"work_id": "W1", "title": "=x"}]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("s.xlsx", b"work_id\nW1\n", r"s\.xlsx:1: named \.xlsx but not an XLSX workbook"),
        ("s.csv", b"PK\x03\x04 cut short", r"s\.csv:1: not a readable XLSX workbook"),
    ],
)
def test_a_damaged_or_misnamed_workbook_is_an_input_error(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        read_sheet(path)


def test_a_carriage_return_inside_a_cell_keeps_its_row(tmp_path):
    from slr.spreadsheet import csv_text

    text = csv_text(["a", "b"], [["x\ry", 'say "hi", then\rgo'], ["plain", 1]])
    assert text.endswith("\nplain,1\n") and "\r\n" not in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["a", "b"], ["x\ry", 'say "hi", then\rgo'], ["plain", "1"]]
