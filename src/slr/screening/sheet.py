"""Screening sheets: one row per work of the stage, one yes/no column per criterion.

Written as XLSX (drop-down yes/no on the criteria) and CSV, both formula-safe, with
the decisions already coded filled in, so a researcher can continue where they left
off and save the sheet under ``data/coded/``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from slr.decisions import flag_text
from slr.records import fold
from slr.screening.decide import StageCodes, combined_values
from slr.spreadsheet import Column, write_csv, write_xlsx

WORK_COLUMNS: tuple[Column, ...] = (
    Column("work_id", 20),
    Column("doi", 24),
    Column("title", 60, wrap=True),
    Column("authors", 30, wrap=True),
    Column("year", 7),
    Column("journal", 28, wrap=True),
    Column("abstract", 90, wrap=True),
)


def sheet_columns(criteria: Sequence[str]) -> list[Column]:
    return [
        *WORK_COLUMNS,
        *(Column(c, max(12, len(c) + 2), choices=("yes", "no")) for c in criteria),
        Column("notes", 30, wrap=True),
        Column("record_ids", 30),
    ]


def sheet_rows(
    works: Mapping[str, Mapping[str, Any]],
    stage_ids: Sequence[str],
    criteria: Sequence[str],
    codes: StageCodes | None = None,
) -> list[dict[str, Any]]:
    """Rows for the stage's works, ordered by title, decisions pre-filled."""
    rows = []
    for wid in stage_ids:
        work = works[wid]
        row: dict[str, Any] = {
            "work_id": wid,
            "doi": work.get("doi"),
            "title": work.get("title"),
            "authors": "; ".join(work.get("authors") or []) or None,
            "year": work.get("year"),
            "journal": work.get("journal"),
            "abstract": work.get("abstract"),
            "record_ids": "; ".join(work.get("members") or []) or None,
        }
        if codes is not None:
            values, _, _ = combined_values(wid, codes, criteria)
            for c in criteria:
                row[c] = flag_text(values.get(c))
            notes = [n for n in (coded.notes(wid) for coded in codes.all()) if n]
            row["notes"] = "; ".join(dict.fromkeys(notes)) or None
        rows.append(row)
    rows.sort(key=lambda r: (fold(r["title"]), r["work_id"]))
    return rows


def write_sheet(
    xlsx: str | Path,
    csv: str | Path,
    rows: Sequence[Mapping[str, Any]],
    criteria: Sequence[str],
    *,
    title: str = "screening",
) -> int:
    columns = sheet_columns(criteria)
    write_xlsx(xlsx, columns, rows, sheet_title=title)
    return write_csv(csv, [c.name for c in columns], rows, bom=True)
