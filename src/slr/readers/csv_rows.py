"""Rows of a CSV export with the line each row starts on, and one error type.

The csv module reports a broken file (an unclosed quote at the end of a cut
file, a stray quote) as ``csv.Error``; here that becomes an ``InputError``
naming the line, so the readers built on it never let a csv exception through.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from slr.errors import InputError


def header_cells(line: str, delimiter: str) -> list[str] | None:
    """The cells of a header line, or None when it cannot be read as CSV."""
    try:
        cells = next(csv.reader([line.strip("\r\ufeff")], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return None
    return [c.strip().lstrip("\ufeff") for c in cells]


def refuse_inner_bom(text: str, path: Path) -> None:
    """A byte-order mark starting a line past the first: two exports were joined or a row was pasted
    from another file. The csv module would shift that row's cells silently."""
    pos = text.find("\n\ufeff")
    if pos >= 0:
        raise InputError(
            path,
            "a byte-order mark (U+FEFF) starts this line: the file joins two exports or a row was pasted in",
            "keep each export in its own file, or remove the mark and save the file as UTF-8",
            line=text.count("\n", 0, pos) + 2,
        )


def iter_rows(text: str, path: Path, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """(line the row starts on, cells) for every row, the header included (line 1)."""
    text = text.lstrip("\ufeff")
    refuse_inner_bom(text, path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(
            path,
            f"the CSV is malformed ({exc}): the file may be truncated or a quote is not closed",
            "export the file again",
            line=start,
        ) from None
