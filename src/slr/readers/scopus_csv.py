"""Scopus CSV export, in the three layouts researchers have on disk.

- old (up to about 2019): 41 columns, authors separated by commas
  (``Yagai T., Kimura Y.``, in some exports ``Muri, H.I., Hjelme, D.R.``), no ``Author(s) ID``;
- 2020-23: a BOM, an ``Author(s) ID`` column, authors still comma-separated,
  ``Funding Text 1``.. columns (rows may hold more funding texts than the
  header names: the surplus cells are the further ``Funding Text N``);
- 2024 and later: no BOM, every cell quoted, authors separated by ``;``
  (``Liu F.; Li C.``) and an ``Author full names`` column.

``record_id`` is the EID column, or the ``eid=`` of the ``Link`` URL when an
export has no EID column. Scopus placeholders such as ``[No abstract
available]`` are empty values. A non-English record's title "English title
[original title]" is split: the bracketed original goes to ``extra`` as
``original_title`` (the same holds for Scopus RIS and BibTeX). Every column the schema does not name, and the
columns combined into one field (author and index keywords, first and last
page), are kept in ``extra`` under their Scopus names.
"""

from __future__ import annotations

import re
from pathlib import Path

from slr.errors import InputError
from slr.records import Record, clean, collapse, content_id, make_record, normalise_author, split_name_list

from .combine import join_keywords, pages, scopus_eid, split_scopus_title
from .csv_rows import header_cells, iter_rows

FORMAT = "scopus_csv"
DESCRIPTION = "Scopus CSV"

_FIX = "export the search again from Scopus as CSV (all information)"

# Scopus column -> schema field (one to one; these columns are not repeated in extra).
_DIRECT = {
    "Title": "title",
    "Year": "year",
    "Source title": "journal",
    "Volume": "volume",
    "Issue": "issue",
    "DOI": "doi",
    "Abstract": "abstract",
    "Document Type": "doc_type",
    "Language of Original Document": "language",
    "EID": "record_id",
}
_PLACEHOLDER = re.compile(r"^\[No [a-z ]+ available\]$")
_FUNDING_TEXT = re.compile(r"^Funding Text (\d+)$")
_SCOPUS_NAME = re.compile(r"([^\s,;.]+(?: [^\s,;]+)*?) ((?:[A-Z]\.(?:-[A-Z]\.)?)+)")
_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.-?)+$")
_SURNAME_COMMA_INITIALS = re.compile(r"[^,]+, (?:[A-Z][a-z]?\.-?)+(?:,|$)")


def sniff(head: str) -> bool:
    cells = header_cells(head.split("\n", 1)[0], ",")
    if not cells:
        return False
    names = set(cells)
    return {"Title", "Source title"} <= names and ("EID" in names or "Link" in names)


def scopus_authors(value: str | None) -> list[str]:
    """'Phillips J.C., Braun R.' (before 2024) or 'Liu F.; Li C.' (2024+) -> ['Phillips, J.C.', ...].

    A name without trailing initials ('Janko Wolfgang', 'Anon') is kept as Scopus wrote
    it: which word is the surname cannot be told.
    """
    text = clean(value)
    if text is None or _PLACEHOLDER.match(text):
        return []
    if ";" not in text and _SURNAME_COMMA_INITIALS.match(text):  # 'Muri, H.I., Hjelme, D.R.' (some 2017-20 exports)
        listed = split_name_list(text)
        if listed is not None:
            return listed
    out: list[str] = []
    for piece in text.split(";" if ";" in text else ","):
        quick = _SCOPUS_NAME.fullmatch(piece.strip())
        if quick is not None:  # 'Phillips J.C.' -> 'Phillips, J.C.' without the general parser
            out.append(f"{quick.group(1)}, {quick.group(2)}")
            continue
        name = collapse(piece)
        if not name or _PLACEHOLDER.match(name):
            continue
        tokens = name.split()
        if len(tokens) > 1 and _INITIALS.match(tokens[-1]):
            name = normalise_author(name) or name
        out.append(name)
    return out


def parse(text: str, path: Path) -> list[Record]:
    rows = iter_rows(text, path, ",")
    first = next(rows, None)
    if first is None:
        raise InputError(path, "the file is empty", _FIX, line=1)
    header = first[1]
    names = [h.strip().lstrip("\ufeff") for h in header]
    if "Title" not in names:
        raise InputError(path, "this Scopus CSV has no 'Title' column", _FIX, line=1)
    dupes = sorted({n for n in names if n and names.count(n) > 1})
    if dupes:
        raise InputError(path, f"duplicated column(s): {', '.join(dupes)}", _FIX, line=1)
    funding = [i for i, n in enumerate(names) if _FUNDING_TEXT.match(n)]
    records: list[Record] = []
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        row_names = _names_for(row, names, funding, path, line)
        # every non-empty cell, stripped, under its column name; placeholders are empty values
        cells = {name: value for name, value in zip(row_names, map(str.strip, row), strict=False) if value}
        for name in [n for n, v in cells.items() if v[0] == "[" and _PLACEHOLDER.match(v)]:
            del cells[name]
        cells.pop("Authors", None)
        values = {target: cells.pop(name) for name, target in _DIRECT.items() if name in cells}
        extra = cells
        record_id = values.pop("record_id", None) or scopus_eid(extra.get("Link"))
        values["title"], original = split_scopus_title(values.get("title"), values.get("language"))  # type: ignore[assignment]
        if original:
            extra["original_title"] = original
        rec = make_record(
            database="scopus",
            source_file=str(path),
            source_line=line,
            authors=scopus_authors(row[row_names.index("Authors")] if "Authors" in row_names else None),
            pages=pages(extra.get("Page start"), extra.get("Page end")),
            keywords=join_keywords(extra.get("Author Keywords"), extra.get("Index Keywords")),
            extra=extra,
            **values,
        )
        rec["record_id"] = record_id or content_id("scopus", rec["title"], rec["year"], rec["authors"], rec["doi"])
        records.append(rec)
    return records


def _names_for(row: list[str], names: list[str], funding: list[int], path: Path, line: int) -> list[str]:
    """Column names for one row: the header, plus names for surplus funding-text cells."""
    if len(row) == len(names):
        return names
    if len(row) < len(names):
        raise InputError(
            path,
            f"this row has {len(row)} cells but the header names {len(names)} columns: the file is truncated "
            "or a row was broken",
            _FIX,
            line=line,
        )
    surplus = len(row) - len(names)
    if not funding:
        raise InputError(
            path,
            f"this row has {len(row)} cells but the header names {len(names)} columns",
            _FIX,
            line=line,
        )
    last = funding[-1]
    match = _FUNDING_TEXT.match(names[last])
    number = int(match.group(1)) if match else len(funding)
    added = [f"Funding Text {number + k + 1}" for k in range(surplus)]
    row_names = names[: last + 1] + added + names[last + 1 :]
    if "EID" in row_names:
        eid = row[row_names.index("EID")].strip()
        if eid and not eid.startswith("2-s2.0-"):
            raise InputError(
                path,
                f"this row has {len(row)} cells but the header names {len(names)} columns, and the extra cells "
                "are not funding texts (the EID column does not hold an EID)",
                _FIX,
                line=line,
            )
    return row_names
