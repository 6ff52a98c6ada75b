"""Generic CSV: any spreadsheet of references with recognisable column names.

Covers reference lists saved from Excel, Zotero or other tools, the labelled
deduplication benchmarks (``ID,title,year,author,...``) and IEEE Xplore's CSV
export (``Document Title``, ``Publication Title``, ``Start Page``/``End Page``,
authors "J. Shalf; P. Kogge"), PubMed's CSV (``Journal/Book``, authors "Wang C, Lizardo O"),
Lens.org's (``Author/s``, ``Issue Number``; the JATS or HTML tags its abstracts start with are dropped) and
Embase's (``Author Names``; its ``Source`` "Journal (2014) 3:3 (152-160). Date of
Publication: ..." gives journal, year, volume, issue and pages, and stays in ``extra``).
The ID column, when there is one, becomes ``record_id``. First and last page columns make
``pages`` (when there is no pages column) and stay in ``extra`` under their own names too.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from slr.errors import InputError
from slr.records import Record, clean, content_id, make_record, split_authors

from .combine import pages
from .csv_rows import refuse_inner_bom

FORMAT = "generic_csv"
DESCRIPTION = "CSV with common column names"

# Schema field -> accepted header names (compared case-insensitively, trimmed).
COLUMNS: dict[str, tuple[str, ...]] = {
    "record_id": ("id", "record_id", "key", "citation key", "citation_key"),
    "title": ("title", "document title", "article title", "primary title"),
    "authors": ("author", "authors", "author(s)", "author/s", "author names", "creator"),
    "year": ("year", "publication year", "py", "date"),
    "journal": (
        "journal",
        "source",
        "source title",
        "publication title",
        "journal/source",
        "journal/book",
        "publicationname",
        "secondary title",
    ),
    "volume": ("volume",),
    "issue": ("number", "issue", "issue number"),
    "pages": ("pages", "page", "page range"),
    "page_start": ("start page", "page start", "first page"),
    "page_end": ("end page", "page end", "last page"),
    "doi": ("doi",),
    "abstract": ("abstract", "abstract note"),
    "keywords": ("keywords", "author keywords", "manual tags"),
    "doc_type": ("entrytype", "type", "document type", "item type", "publication type"),
    "language": ("language",),
    "database": ("database",),
}
_LOOKUP = {alias: field for field, aliases in COLUMNS.items() for alias in aliases}
# Embase's Source column: 'Endoscopic Ultrasound (2014) 3:3 (152-160). Date of Publication: 2014'
_EMBASE_SOURCE = re.compile(
    r"(?P<journal>[^()]+?) \((?P<year>\d{4})\)(?: (?P<volume>[^\s:()]+)(?::(?P<issue>[^\s()]+))?)?"
    r"(?: \((?P<pages>[^()]*)\))?\.?(?: Date of Publication: .*)?"
)
_JATS_TAG = re.compile(r"</?(?:jats:)?[a-z][a-z0-9-]*(?:\s[^<>]{0,200})?>")
_DELIMITERS = (",", ";", "\t")


def _header_fields(line: str) -> tuple[str, list[str]] | None:
    best: tuple[str, list[str]] | None = None
    for delim in _DELIMITERS:
        try:
            cells = next(csv.reader([line], delimiter=delim))
        except (csv.Error, StopIteration):
            continue
        if len(cells) >= 2 and (best is None or len(cells) > len(best[1])):
            best = (delim, cells)
    return best


def sniff(head: str) -> bool:
    first = head.split("\n", 1)[0].strip("\r\ufeff")
    found = _header_fields(first)
    if found is None:
        return False
    _, cells = found
    return any(c.strip().lower() in _LOOKUP for c in cells)


def parse(text: str, path: Path) -> list[Record]:
    text = text.lstrip("\ufeff")
    refuse_inner_bom(text, path)
    first = text.split("\n", 1)[0].strip("\r")
    found = _header_fields(first)
    if found is None:
        raise InputError(path, "no CSV header found", "the first line must name the columns", line=1)
    delim, _ = found
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise InputError(path, f"the CSV header cannot be read ({exc})", "check the quoting", line=1) from None
    names = [h.strip().lstrip("\ufeff") for h in header]
    dupes = sorted({n for n in names if n and names.count(n) > 1})
    if dupes:
        raise InputError(path, f"duplicated column(s): {', '.join(dupes)}", "give every column a distinct name", line=1)
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for i, name in enumerate(names):
        field = _LOOKUP.get(name.lower())
        if field and field not in taken:
            mapping[i] = field
            taken.add(field)
    field_index = {field: i for i, field in mapping.items()}
    if "title" not in taken:
        raise InputError(
            path,
            f"this CSV has no title column (columns: {', '.join(names[:8])}{'...' if len(names) > 8 else ''})",
            "add a column named 'title' (and ideally 'author', 'year', 'journal', 'doi'), or export "
            "from Scopus/Web of Science directly",
            line=1,
        )
    records: list[Record] = []
    start = 2
    try:
        for row in reader:
            line = start
            start = reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(names) and any(c.strip() for c in row[len(names) :]):
                raise InputError(
                    path,
                    f"this row has {len(row)} cells but the header names {len(names)} columns",
                    "check for an unquoted delimiter in a value",
                    line=line,
                )
            fields: dict[str, object] = {}
            extra: dict[str, str] = {}
            for i, cell in enumerate(row[: len(names)]):
                if i in mapping:
                    fields[mapping[i]] = cell
                elif names[i] and clean(cell) is not None:
                    extra[names[i]] = cell
            start_page, end_page = fields.pop("page_start", None), fields.pop("page_end", None)
            for field, value in (("page_start", start_page), ("page_end", end_page)):
                if clean(value) is not None:
                    extra[names[field_index[field]]] = str(value)
            if "pages" not in fields:
                fields["pages"] = pages(start_page, end_page)
            source = clean(fields.get("journal"))
            if source and "year" not in fields and (embase := _EMBASE_SOURCE.fullmatch(source)):
                extra[names[field_index["journal"]]] = source
                parts = {k: v for k, v in embase.groupdict().items() if v}
                for field in ("volume", "issue", "pages"):
                    if field in parts and clean(fields.get(field)) is None:
                        fields[field] = parts[field]
                fields["journal"], fields["year"] = parts["journal"], parts["year"]
            abstract = fields.get("abstract")
            if isinstance(abstract, str) and ("<jats:" in abstract or _JATS_TAG.match(abstract.lstrip())):
                fields["abstract"] = _JATS_TAG.sub(" ", abstract)
            authors = split_authors(fields.pop("authors", None))
            database = (clean(fields.pop("database", None)) or "other").lower()
            record_id = clean(fields.pop("record_id", None))
            rec = make_record(
                authors=authors,
                database=database if database in ("scopus", "wos") else "other",
                source_file=str(path),
                source_line=line,
                extra=extra,
                **{k: v for k, v in fields.items()},
            )
            if record_id is None:
                record_id = content_id(rec["database"], rec["title"], rec["year"], rec["authors"], rec["doi"])
            rec["record_id"] = record_id
            # a row without a title is still a record (the deduplication benchmarks hold such
            # rows); it shows in the title fill rate that `slr ingest` prints
            records.append(rec)
    except csv.Error as exc:
        raise InputError(
            path,
            f"the CSV is malformed ({exc}): the file may be truncated or a quote is not closed",
            "export the file again",
            line=start,  # where the row that could not be read begins
        ) from None
    return records
