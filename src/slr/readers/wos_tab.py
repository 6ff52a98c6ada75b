"""Web of Science "Tab-delimited file" export (UTF-8 or the UTF-16LE "Windows" flavour).

The first line names the fields with the same two-letter tags as the plain
text export (``PT AU ... UT``); each further line is one record, values
separated by tabs, multi-valued fields joined by "; ". The data lines end
with one tab more than the header (an empty last field), which is accepted.
WoS writes no quoting, so a line is split on tabs as it is. The UTF-16 files
come with a BOM and CRLF line ends; decoding is done before this reader.
"""

from __future__ import annotations

import re
from pathlib import Path

from slr.errors import InputError
from slr.records import Record

from .wos_fields import to_record

FORMAT = "wos_tab"
DESCRIPTION = "Web of Science tab-delimited"

_FIX = "export the records again from Web of Science as 'Tab-delimited file' with 'Full record'"
_TAG = re.compile(r"[A-Z][A-Z0-9]\Z")


def _header(line: str) -> list[str] | None:
    cells = [c.strip() for c in line.strip("\r\ufeff").split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return cells if cells else None


def sniff(head: str) -> bool:
    cells = _header(head.split("\n", 1)[0])
    if not cells or len(cells) < 5:
        return False
    return all(_TAG.match(c) for c in cells) and "UT" in cells and ("TI" in cells or "PT" in cells)


def parse(text: str, path: Path) -> list[Record]:
    lines = text.split("\n")
    names = _header(lines[0])
    if not names:
        raise InputError(path, "the header line naming the fields is empty", _FIX, line=1)
    bad = [c for c in names if not _TAG.match(c)]
    if bad:
        raise InputError(path, f"the header holds names that are not WoS field tags ({bad[0]!r})", _FIX, line=1)
    dupes = sorted({c for c in names if names.count(c) > 1})
    if dupes:
        raise InputError(path, f"the header names field(s) {', '.join(dupes)} twice", _FIX, line=1)
    width = len(names)
    records: list[Record] = []
    for lineno, raw in enumerate(lines[1:], 2):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) < width:
            raise InputError(
                path,
                f"this line has {len(cells)} fields but the header names {width}: the file is truncated or a "
                "line was broken in two",
                _FIX,
                line=lineno,
            )
        if any(c.strip() for c in cells[width:]):
            raise InputError(
                path,
                f"this line has {len(cells)} fields but the header names {width}: a value holds a tab or a "
                "line was joined to another",
                _FIX,
                line=lineno,
            )
        fields = {name: value.strip() for name, value in zip(names, cells, strict=False) if value.strip()}
        records.append(to_record(fields, path, lineno))
    return records
