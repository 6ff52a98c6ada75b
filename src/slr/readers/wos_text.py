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

from .wos_fields import KNOWN_TAGS, LIST_TAGS, to_record

FORMAT = "wos_text"
DESCRIPTION = "Web of Science plain text"

_FIX = "export the records again from Web of Science as 'Plain text file' with 'Full record'"
_TAG = re.compile(r"[A-Z][A-Z0-9]\Z")
_SNIFF_FIRST = re.compile(r"(?:FN |PT [A-Z]\b)")
_FIELD_START = re.compile(r"\n(?! {3})")
# a line that is not a tag line, a continuation or blank; a continuation after a blank line
# (searched in "\n" + text + "\n", so that every line is preceded and followed by a line break)
_ODD = re.compile(r"\n(?:(?![A-Z][A-Z0-9](?: |\n)|   |[ \t]*(?:\n|\Z))|[ \t]*\n   )")
_FIELD = re.compile(r"^([A-Z][A-Z0-9])(?: ([^\n]*(?:\n   [^\n]*)*))?$", re.MULTILINE)
_CONTROL = frozenset({"ER", "EF", "FN", "VR"})
_SNIFF_TAGS = re.compile(r"^(?:PT|AU|TI|UT|SO) ", re.MULTILINE)


def sniff(head: str) -> bool:
    for raw in head.split("\n", 20):
        line = raw.strip("\r\ufeff")
        if line.strip():
            return bool(_SNIFF_FIRST.match(line)) and len(_SNIFF_TAGS.findall(head)) >= 2
    return False


def parse(text: str, path: Path) -> list[Record]:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.lstrip("\ufeff")
    quick = _parse_regular(text)
    if quick is None:
        return _parse_checked(text, path)
    records: list[Record] = []
    line, previous = 1, 0
    for offset, fields in quick:
        line += text.count("\n", previous, offset)
        previous = offset
        records.append(to_record(fields, path, line))
    return records


def _parse_regular(text: str) -> list[tuple[int, dict[str, str]]] | None:
    """(offset, fields) of every record of a regular file, found with one regex pass; None otherwise.

    A file with anything unusual (an odd line, a glued tag, a repeated tag, a missing ER or
    EF...) returns None and goes through ``_parse_checked``, which reads it line by line and
    names the line of the problem. Both give the same records for a regular file.
    """
    if text.startswith("   ") or _ODD.search(f"\n{text}\n"):
        return None
    out: list[tuple[int, dict[str, str]]] = []
    fields: dict[str, str] = {}
    start = -1
    ended = header = False
    for match in _FIELD.finditer(text):
        tag, value = match.group(1), match.group(2)
        if tag in _CONTROL:
            if value is not None and ("\n" in value or (tag in ("ER", "EF") and value.strip())):
                return None
            if tag == "ER":
                if start < 0:
                    return None
                out.append((start, fields))
                fields, start = {}, -1
            elif tag == "EF":
                if start >= 0:
                    return None
                ended = True
            elif start >= 0:
                return None  # FN/VR inside a record
            else:
                ended, header = False, True
            continue
        if ended or tag in fields:
            return None
        if start < 0:
            start, header = match.start(), True
        if value is None:
            fields[tag] = ""
        elif "\n" in value:
            parts = [part.strip() for part in value.split("\n")]
            fields[tag] = ("; " if tag in LIST_TAGS else " ").join(part for part in parts if part)
        else:
            fields[tag] = value.strip()
    if start >= 0 or not header or not ended:
        return None
    return out


def _parse_checked(text: str, path: Path) -> list[Record]:
    """Read line by line, raising InputError at the first line that breaks the layout."""
    records: list[Record] = []
    fields: dict[str, str] = {}
    first_line: dict[str, int] = {}
    start = 0  # line where the open record starts; 0 = no record open
    header_done = False
    ended = False  # saw EF
    lineno = 1
    end_line = 1
    # One chunk per field: a line and the continuation lines (three spaces) under it.
    # Splitting in C and handling a field at a time keeps long CR lists cheap.
    for chunk in _FIELD_START.split(text):
        chunk_line = lineno
        lineno += chunk.count("\n") + 1
        line, _, more = chunk.partition("\n")
        if chunk.strip():
            end_line = chunk_line + chunk.rstrip().count("\n")  # last line that holds text
        if not line.strip():
            if more.strip():
                _refuse(path, chunk_line + 1, "a continuation line (starting with spaces) with no field before it")
            continue
        if line.startswith("   "):
            _refuse(path, chunk_line, "a continuation line (starting with spaces) with no field before it")
        head = line[:2]
        if len(line) > 2 and line[2] != " ":
            # no space after the first two characters: only a known tag glued to its value
            if head in KNOWN_TAGS and head not in ("ER", "EF", "FN", "VR"):
                rest = line[2:]
            else:
                _refuse(path, chunk_line, f"an untagged line ({line[:40]!r}) inside the export")
        else:
            rest = line[3:]
        if not _TAG.match(head):
            _refuse(path, chunk_line, f"an untagged line ({line[:40]!r}) inside the export")
        if head in ("ER", "EF", "FN", "VR") and more.strip():
            _refuse(path, chunk_line + 1, f"a continuation line under '{head}', which takes none")
        if ended and head != "FN":
            _refuse(path, chunk_line, "text after the end-of-file line 'EF'")
        if head == "ER":
            if not start:
                _refuse(path, chunk_line, "an 'ER' (end of record) with no record open")
            records.append(to_record(fields, path, start))
            fields, first_line, start = {}, {}, 0
            continue
        if head == "EF":
            if start:
                raise InputError(
                    path,
                    f"the record that starts at line {start} has no 'ER' before the end-of-file line 'EF'",
                    _FIX,
                    line=chunk_line,
                )
            ended = True
            continue
        if head in ("FN", "VR") and not start:
            # header of the file (or of a further export appended to it)
            ended = False
            header_done = True
            continue
        if not start:
            start = chunk_line
            header_done = True
        if head in fields:
            raise InputError(
                path,
                f"field {head} appears twice in the record that starts at line {start} (first at line "
                f"{first_line[head]}): lines were moved or a record lost its 'ER'",
                _FIX,
                line=chunk_line,
            )
        if more:
            parts = [rest.strip(), *(part.strip() for part in more.split("\n"))]
            fields[head] = ("; " if head in LIST_TAGS else " ").join(part for part in parts if part)
        else:
            fields[head] = rest.strip()
        first_line[head] = chunk_line
    lineno = end_line
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


def _refuse(path: Path, line: int, problem: str) -> NoReturn:
    raise InputError(path, f"not a valid Web of Science plain-text file: {problem}", _FIX, line=line)
