"""Web of Science "Plain text file" export (tagged, one field per line).

Layout: a header (``FN Clarivate Analytics Web of Science`` or the older
``FN Thomson Reuters Web of Science``, then ``VR 1.0``), records of two-letter
tags each followed by a space and the value, long values continued on lines
that start with three spaces, ``ER`` closing each record and ``EF`` closing
the file. Blank lines between records are ignored.

The file is refused (``InputError`` with the line) when it cannot be a
complete, unedited export:

- a line that is neither a tagged line, a three-space continuation, ``ER``,
  ``EF`` nor blank (an untagged line), or a continuation with no field before it;
- a tag that appears twice in one record (WoS writes each tag once: a repeated
  tag means lines were moved, or a record lost its ``ER``);
- a record without ``ER`` at the end of the file, or a file without ``EF``
  (the download or a copy was cut off).

One legacy quirk is accepted: a known tag glued to its value without the
space (``AUGilles, H``), which old exports contain.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NoReturn

from slr.errors import InputError
from slr.records import Record

from .combine import split_lines
from .wos_fields import KNOWN_TAGS, join_lines, to_record

FORMAT = "wos_text"
DESCRIPTION = "Web of Science plain text"

_FIX = "export the records again from Web of Science as 'Plain text file' with 'Full record'"
_TAG = re.compile(r"[A-Z][A-Z0-9]\Z")
_SNIFF_FIRST = re.compile(r"(?:FN |PT [A-Z]\b)")
_SNIFF_TAGS = re.compile(r"^(?:PT|AU|TI|UT|SO) ", re.MULTILINE)


def sniff(head: str) -> bool:
    for raw in head.split("\n", 20):
        line = raw.strip("\r\ufeff")
        if line.strip():
            return bool(_SNIFF_FIRST.match(line)) and len(_SNIFF_TAGS.findall(head)) >= 2
    return False


def parse(text: str, path: Path) -> list[Record]:
    records: list[Record] = []
    fields: dict[str, list[str]] = {}
    first_line: dict[str, int] = {}
    start = 0  # line where the open record starts; 0 = no record open
    tag = ""
    header_done = False
    ended = False  # saw EF
    lineno = 0
    for lineno, line in enumerate(split_lines(text), 1):
        if line.startswith("   "):
            if not start or not tag:
                _refuse(path, lineno, "a continuation line (starting with spaces) with no field before it")
            fields[tag].append(line.strip())
            continue
        if not line.strip():
            continue
        head = line[:2]
        rest = line[3:] if len(line) > 2 and line[2] == " " else None
        if rest is None and len(line) > 2:
            # no space after the first two characters: only a known tag glued to its value
            if head in KNOWN_TAGS and head not in ("ER", "EF", "FN", "VR"):
                rest = line[2:]
            else:
                _refuse(path, lineno, f"an untagged line ({line[:40]!r}) inside the export")
        elif rest is None:
            rest = ""
        if not _TAG.match(head):
            _refuse(path, lineno, f"an untagged line ({line[:40]!r}) inside the export")
        if ended and head != "FN":
            _refuse(path, lineno, "text after the end-of-file line 'EF'")
        if head == "ER":
            if not start:
                _refuse(path, lineno, "an 'ER' (end of record) with no record open")
            records.append(_finish(fields, path, start))
            fields, first_line, start, tag = {}, {}, 0, ""
            continue
        if head == "EF":
            if start:
                raise InputError(
                    path,
                    f"the record that starts at line {start} has no 'ER' before the end-of-file line 'EF'",
                    _FIX,
                    line=lineno,
                )
            ended = True
            continue
        if head in ("FN", "VR") and not start:
            # header of the file (or of a further export appended to it)
            ended = False
            header_done = True
            continue
        if not start:
            start = lineno
            header_done = True
        if head in fields:
            raise InputError(
                path,
                f"field {head} appears twice in the record that starts at line {start} (first at line "
                f"{first_line[head]}): lines were moved or a record lost its 'ER'",
                _FIX,
                line=lineno,
            )
        tag = head
        fields[tag] = [rest.strip()]
        first_line[tag] = lineno
    if start:
        raise InputError(
            path,
            f"the record that starts at line {start} has no 'ER': the file is truncated",
            _FIX,
            line=lineno,
        )
    if not header_done:
        raise InputError(path, "no Web of Science records in the file", _FIX, line=1)
    if not ended:
        raise InputError(
            path,
            "the file ends without the end-of-file line 'EF': it is truncated or was edited",
            _FIX,
            line=lineno,
        )
    return records


def _finish(fields: dict[str, list[str]], path: Path, start: int) -> Record:
    joined = {tag: join_lines(tag, [v for v in lines if v]) for tag, lines in fields.items()}
    return to_record(joined, path, start)


def _refuse(path: Path, line: int, problem: str) -> NoReturn:
    raise InputError(path, f"not a valid Web of Science plain-text file: {problem}", _FIX, line=line)
