"""CSV in and out for the full-text stage: the same cell conventions everywhere (None = empty cell)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from slr.atomic import OutputSet
from slr.errors import InputError
from slr.spreadsheet import LfWriter, neutralise


def read_table(path: Path, what: str, fix: str, required: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows with their line numbers; a missing file or column is an ``InputError``."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fp:
            reader = csv.DictReader(fp)
            fields = reader.fieldnames or []
            rows = [(line, row) for line, row in enumerate(reader, start=2)]
    except OSError as exc:
        raise InputError(path, f"cannot read {what} ({exc.strerror})", fix) from exc
    except (csv.Error, UnicodeDecodeError) as exc:
        raise InputError(path, f"{what} is not a readable UTF-8 CSV ({exc})", fix) from exc
    missing = [c for c in required if c not in fields]
    if missing:
        raise InputError(path, f"not {what}: missing column(s) {', '.join(missing)}", fix, line=1)
    return rows


def cell(row: dict[str, str], name: str) -> str:
    return (row.get(name) or "").strip()


def write_table(
    rows: Iterable[dict[str, Any]], fields: Sequence[str], path: Path, out: OutputSet, *, spreadsheet: bool = False
) -> int:
    """Write through an ``outputs()`` set so that a failed command leaves nothing half-written.

    ``spreadsheet`` for tables people read (kwic, unlinked): formula-like text is neutralised;
    the machine contracts (links, manifest, hits) keep every value exactly."""
    count = 0
    with open(out.path(path), "w", encoding="utf-8", newline="") as fp:
        writer = LfWriter(fp)  # LF line ends; a CR inside a cell (from a PDF's text) is quoted
        writer.writerow(list(fields))
        for row in rows:
            cells = ["" if row.get(k) is None else row[k] for k in fields]
            writer.writerow([neutralise(v) for v in cells] if spreadsheet else cells)
            count += 1
    return count
