"""RIS (``TY  - JOUR`` ... ``ER  -``): Scopus RIS, Web of Science RIS and any other RIS.

Each line is a two-character tag, two spaces, a hyphen, a space and the value;
a line without a tag continues the previous field (Scopus puts its reference
list and WoS its citation counts on such lines). ``TY`` opens a record and
``ER`` closes it. A record still open at the next ``TY`` or at the end of the
file means the file was cut or edited and is refused with the line.

Some tools lose line breaks and glue a tag to the end of the previous value
("...Manhattan, KS 66506 USAAD  - Kansas State Univ"); such a glued
``XX  - `` is read as the start of a new field, since real text does not
contain that sequence.

The database is told from the content of each record: Scopus (``DB  -
Scopus`` or a scopus.com ``UR``) with ``record_id`` the EID from the URL; Web
of Science (an ``AN``/``UT`` holding ``WOS:...``) with ``record_id`` that
accession; anything else is ``other`` with a content id.

Line breaks may be LF, CRLF or a lone CR (some exporters mix them); each
counts as one line. JSTOR writes "Provider: / Database: / Content:" lines before
its records; they describe the export, not a record, and are skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

from slr.errors import InputError
from slr.records import Record, content_id, make_record, split_authors

from .combine import is_bare_year, join_keywords, pages, scopus_eid, split_lines, split_scopus_title, wos_ut

FORMAT = "ris"
DESCRIPTION = "RIS"

_FIX = "export the records again as RIS and check the download finished"
_LINE = re.compile(r"([A-Z][A-Z0-9]) {1,2}-(?: |$)")
_GLUED = re.compile(r"(?<=\S)(?=[A-Z][A-Z0-9]  - )")
_PREAMBLE = re.compile(r"(?:Provider|Database|Content): ")  # JSTOR's lines before each record
_NOT_A_TYPE = re.compile(r"(?i)doi:|10\.\d{4,9}/|https?://")

# Tag -> schema field, first tag present wins (RIS writers disagree on the journal tag).
_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("TI", "T1", "ST"),  # ST, the short title, only when there is no other
    "journal": ("JF", "T2", "JO", "JA", "J2"),
    "year": ("PY", "Y1", "DA"),
    "volume": ("VL", "VO"),
    "issue": ("IS",),
    "doi": ("DO", "DI"),
    "abstract": ("AB", "N2"),
    "language": ("LA",),
}
_AUTHOR_TAGS = ("AU", "A1")
# Lists whose items are joined by "; " (one item per tag line); other repeated tags by a line break.
_LIST_TAGS = frozenset({"AU", "A1", "A2", "A3", "A4", "ED", "KW", "AD", "C3", "SN", "UR", "L1", "L2", "L4"})


def sniff(head: str) -> bool:
    for raw in head.split("\n", 20):
        line = raw.strip("\r\ufeff ")
        if line and not _PREAMBLE.match(line):
            return line.startswith("TY") and bool(_LINE.match(line))
    return False


def parse(text: str, path: Path) -> list[Record]:
    raw_records: list[tuple[int, dict[str, list[str]]]] = []
    fields: dict[str, list[str]] = {}
    start = 0
    last: list[str] | None = None
    lineno = last_text = 0
    for lineno, line in enumerate(split_lines(text), 1):
        match = _LINE.match(line)
        if match is None:
            if not line.strip():
                continue
            if not start and _PREAMBLE.match(line):
                continue
            last_text = lineno
            if not start or last is None:
                raise InputError(
                    path,
                    f"text outside a record ({line.strip()[:40]!r}): every record starts with a 'TY' line",
                    _FIX,
                    line=lineno,
                )
            last[-1] = f"{last[-1]}\n{line.strip()}"
            continue
        tag = match.group(1)
        value = line[match.end() :].strip()
        last_text = lineno
        if tag == "TY":
            if start:
                raise InputError(
                    path,
                    f"the record that starts at line {start} has no end-of-record line 'ER' before the next record: "
                    "the file was cut or edited",
                    _FIX,
                    line=lineno,
                )
            start, fields, last = lineno, {"TY": [value]}, None
            continue
        if not start:
            raise InputError(
                path, f"a '{tag}' line outside a record: every record starts with a 'TY' line", _FIX, line=lineno
            )
        if tag == "ER":
            raw_records.append((start, fields))
            start, fields, last = 0, {}, None
            continue
        if "  - " not in value:  # the usual case: one field on the line
            last = fields.setdefault(tag, [])
            last.append(value)
            continue
        pieces = _GLUED.split(value)
        last = _add(fields, tag, pieces[0])
        for piece in pieces[1:]:
            glued = _LINE.match(piece)
            if glued is None:  # pragma: no cover - the split only happens before a tag
                continue
            last = _add(fields, glued.group(1), piece[glued.end() :].strip())
    if start:
        raise InputError(
            path,
            f"the record that starts at line {start} has no end-of-record line 'ER': the file is truncated",
            _FIX,
            line=last_text,
        )
    if not raw_records:
        raise InputError(path, "no RIS records in the file", _FIX, line=1)
    return [_record(fields, path, line) for line, fields in raw_records]


def _add(fields: dict[str, list[str]], tag: str, value: str) -> list[str]:
    values = fields.setdefault(tag, [])
    values.append(value)
    return values


def _first(fields: dict[str, list[str]], tags: tuple[str, ...]) -> tuple[str | None, str | None]:
    for tag in tags:
        for value in fields.get(tag, ()):
            if value.strip():
                return tag, value
    return None, None


def _record(fields: dict[str, list[str]], path: Path, line: int) -> Record:
    joined = {
        tag: values[0] if len(values) == 1 else ("; " if tag in _LIST_TAGS else "\n").join(v for v in values if v)
        for tag, values in fields.items()
    }
    used: set[str] = set()
    values: dict[str, object] = {}
    for field, tags in _FIELDS.items():
        tag, value = _first(fields, tags)
        if tag is not None:
            values[field] = value
            # a tag leaves extra only when the schema field holds all of it (a date keeps its day)
            if len(fields[tag]) == 1 and (field != "year" or is_bare_year(value)):
                used.add(tag)
    author_tag, _ = _first(fields, _AUTHOR_TAGS)
    authors: list[str] = []
    if author_tag is not None:
        authors = [name for value in fields[author_tag] for name in split_authors(value, ";")]
        used.add(author_tag)
    m3 = joined.get("M3")  # Scopus writes the document type here; some writers a DOI
    doc_type = m3 if m3 and not _NOT_A_TYPE.match(m3) else joined.get("TY")
    database = _database(joined)
    record_id = None
    if database == "scopus":
        record_id = scopus_eid(joined.get("UR"), joined.get("AN"), joined.get("L2"))
    elif database == "wos":
        record_id = wos_ut(joined.get("AN"), joined.get("UT"), joined.get("N1"))
    extra = {tag: value for tag, value in joined.items() if tag not in used}
    if database == "scopus":
        values["title"], original = split_scopus_title(values.get("title"), values.get("language"))  # type: ignore[arg-type]
        if original:
            extra["original_title"] = original
    rec = make_record(
        database=database or "other",
        source_file=str(path),
        source_line=line,
        authors=authors,
        pages=_pages(joined.get("SP"), joined.get("EP")),
        # EndNote writes one keyword per line under a single KW tag
        keywords=join_keywords(joined.get("KW", "").replace("\n", ";")),
        doc_type=doc_type,
        extra=extra,
        **values,
    )
    rec["record_id"] = record_id or content_id(rec["database"], rec["title"], rec["year"], rec["authors"], rec["doi"])
    return rec


def _pages(start: str | None, end: str | None) -> str | None:
    """'SP-EP'; an SP that already holds a range ('1535-41') is the pages on its own."""
    if start and "-" in start:
        return start
    return pages(start, end)


def _database(joined: dict[str, str]) -> str | None:
    if "scopus" in joined.get("DB", "").lower() or "scopus.com" in joined.get("UR", ""):
        return "scopus"
    if wos_ut(joined.get("AN"), joined.get("UT")) or "Web of Science" in joined.get("N1", ""):
        return "wos"
    return None
