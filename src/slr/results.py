"""Readers for the result files that stages hand to each other (see docs/architecture.md).

Each reader checks the columns the contract names and returns plain dicts with
empty cells as None, so later stages and the audit never index a missing column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slr.errors import InputError
from slr.records import WORK_FIELDS
from slr.spreadsheet import unneutralise
from slr.textio import read_text

LIST_FIELDS = ("databases", "searches", "members", "aliases")


@dataclass
class Table:
    """A CSV result file: rows as dicts (None for empty), each with its line number."""

    path: Path
    columns: list[str]
    rows: list[dict[str, Any]]
    lines: list[int] = field(default_factory=list)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def read_table(
    path: str | Path, required: Sequence[str], *, what: str = "", made_by: str = "", exact: bool = False
) -> Table:
    """Read a result CSV and check it has the ``required`` columns.

    Files written for spreadsheets carry a ``'`` before formula-like text (``slr.spreadsheet``);
    it is removed here, unless ``exact`` (machine contracts such as works.csv, whose values are
    written and read back exactly as they are)."""
    p = Path(path)
    text = read_text(p).text
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise InputError(p, f"the {what or 'file'} is empty", f"run {made_by} again" if made_by else "", line=1)
        header = [h.strip() for h in header]
        missing = [c for c in required if c not in header]
        if missing:
            raise InputError(
                p,
                f"not a {what or 'file of this kind'}: missing column(s) {', '.join(missing)}",
                f"pass the output of {made_by}" if made_by else "check the file",
                line=1,
            )
        rows: list[dict[str, Any]] = []
        lines: list[int] = []
        start = 2
        for values in reader:
            if not any(v.strip() for v in values):
                start = reader.line_num + 1
                continue
            cells = {h: (values[i] if i < len(values) and values[i] != "" else None) for i, h in enumerate(header)}
            rows.append(cells if exact else {h: unneutralise(v) for h, v in cells.items()})
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(p, f"not a well-formed CSV ({exc})", "write the file again", line=reader.line_num) from None
    return Table(p, header, rows, lines)


def split_list(value: object) -> list[str]:
    """A ``; ``-joined list cell as a list (empty cell -> [])."""
    if value is None:
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


def read_works(path: str | Path) -> list[dict[str, Any]]:
    """``works.csv`` from ``slr dedupe``: lists split, year as int, authors as a list."""
    table = read_table(
        path,
        ("work_id", "title", "year", "doi", "searches", "members"),
        what="works file",
        made_by="`slr dedupe`",
        exact=True,
    )
    works: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row, line in zip(table.rows, table.lines, strict=True):
        work = {name: row.get(name) for name in WORK_FIELDS}
        for name in table.columns:
            work.setdefault(name, row.get(name))
        if not work["work_id"]:
            raise InputError(table.path, "a work has no work_id", "run `slr dedupe` again", line=line)
        if work["work_id"] in seen:
            raise InputError(
                table.path,
                f"work_id {work['work_id']} appears twice (also line {seen[work['work_id']]})",
                "run `slr dedupe` again",
                line=line,
            )
        seen[work["work_id"]] = line
        for name in LIST_FIELDS:
            work[name] = split_list(work.get(name))
        work["authors"] = split_list(work.get("authors"))  # already "Surname, I." from dedupe
        year = work.get("year")
        try:
            work["year"] = int(year) if year else None
        except ValueError:
            raise InputError(
                table.path, f"year {year!r} is not a number", "run `slr dedupe` again", line=line
            ) from None
        work["_line"] = line
        works.append(work)
    return works
