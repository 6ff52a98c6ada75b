"""The normalised record: one row per exported record, whatever the database.

Every reader returns records in this shape. Empty values are ``None`` (never
``""``), authors are a list of ``"Surname, I."`` strings, DOIs are bare and
lower-case, and every export field the schema does not name is kept in
``extra`` so nothing of the export is lost.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from slr.errors import InputError

RECORD_FIELDS: tuple[str, ...] = (
    "record_id",
    "database",
    "search",
    "source_file",
    "source_line",
    "title",
    "authors",
    "year",
    "journal",
    "volume",
    "issue",
    "pages",
    "doi",
    "abstract",
    "keywords",
    "doc_type",
    "language",
    "extra",
)

# One row per work in works.csv (written by `slr dedupe`, read by every later stage).
WORK_FIELDS: tuple[str, ...] = (
    "work_id",
    "title",
    "authors",
    "year",
    "journal",
    "volume",
    "issue",
    "pages",
    "doi",
    "abstract",
    "keywords",
    "doc_type",
    "language",
    "databases",
    "searches",
    "n_records",
    "members",
    "aliases",
)

DATABASES = ("scopus", "wos", "other")

Record = dict[str, Any]

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

# ---------------------------------------------------------------- normalisers

_DOI_PREFIX = re.compile(
    r"^(?:doi\s*:\s*|https?://(?:dx\.)?doi\.org/|https?://doi\.org/|doi\.org/|dx\.doi\.org/)", re.IGNORECASE
)
_DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")


def normalise_doi(value: object) -> str | None:
    """Bare, lower-case DOI, or None when the value is not a DOI."""
    text = clean(value)
    if text is None:
        return None
    # BibTeX exports escape characters inside DOIs ("10.1007/978-3-319-06692-9\\_11", "{10.1002/x}")
    text = re.sub(r"\\([_%&#$])", r"\1", text.strip()).replace("{", "").replace("}", "")
    previous = None
    while previous != text:
        previous = text
        text = _DOI_PREFIX.sub("", text).strip()
    text = text.rstrip(".,;").strip().lower()
    return text if _DOI_PATTERN.match(text) else None


def clean(value: object) -> str | None:
    """Strip a field; empty strings, whitespace and NaN become None."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN from pandas
        return None
    text = str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip() or None


def collapse(value: object) -> str | None:
    """Like clean, and fold runs of white space (incl. line breaks) into one space."""
    text = clean(value)
    if not text:
        return None
    # fast path for the usual ASCII field with single spaces only (the scans run in C)
    if text.isascii() and not (
        "  " in text or "\n" in text or "\t" in text or "\x0b" in text or "\x0c" in text
        or "\x1c" in text or "\x1d" in text or "\x1e" in text or "\x1f" in text
    ):  # fmt: skip
        return text
    return " ".join(text.split())


def normalise_year(value: object) -> int | None:
    text = clean(value)
    if text is None:
        return None
    match = re.search(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)", text)
    return int(match.group(1)) if match else None


_WOS_NAME = re.compile(r"([^\s,.;]+(?: [^\s,.;]+)*), ([A-Z]{1,4}|(?:[A-Z]\.)+)")
_INITIAL_TOKEN = re.compile(r"^(?:[A-Z][a-z]?\.?-?)+$")


def _initials(given: str) -> str:
    """'Jean-Pierre' -> 'J.-P.', 'M. R.' -> 'M.R.', 'JC' -> 'J.C.'."""
    parts: list[str] = []
    given = re.sub(r"\.?\s*-\s*", "-", given.strip())  # 'J. -P.' / 'J.-P.' -> 'J-P.'
    for token in re.split(r"[\s.]+", given):
        if not token:
            continue
        if "-" in token:
            pieces = [p for p in token.split("-") if p]
            if pieces:
                parts.append("-".join(p[0].upper()[0] + "." for p in pieces))
            continue
        if token.isupper() and len(token) <= 4 and token.isalpha():
            # WoS style "JC" = two initials
            parts.append("".join(ch + "." for ch in token))
            continue
        parts.append(token[0].upper()[0] + ".")  # 'ß'.upper() is 'SS': keep one letter
    return "".join(parts)


def normalise_author(name: object) -> str | None:
    """One author as 'Surname, I.I.' from the forms the databases use.

    'Phillips, J.C.' / 'Phillips, JC' / 'Phillips J.C.' (Scopus) / 'Phillips, James C.'
    / 'J. C. Phillips' (IEEE) all give 'Phillips, J.C.'.
    """
    if isinstance(name, str):
        quick = _WOS_NAME.fullmatch(name)
        if quick is not None:  # the common forms 'Powell, WW' and 'Powell, W.W.': same result, much faster
            given = quick.group(2)
            return f"{quick.group(1)}, {given if '.' in given else ''.join(ch + '.' for ch in given)}"
    text = collapse(name)
    if text is None:
        return None
    text = re.sub(r"\.\s+-\s*", ".-", text.strip(" ;,"))  # IEEE 'J. -P. Nominé'
    if not text:
        return None
    if "," in text:
        surname, _, given = text.partition(",")
        surname, given = surname.strip(), given.strip()
        if not given:
            return surname or None
        init = _initials(given)
        return f"{surname}, {init}" if init else surname
    tokens = text.split()
    if len(tokens) == 1:
        return tokens[0]
    # Scopus: 'Phillips J.C.' / 'Van Leeuwen M.G.' - trailing initials
    if _INITIAL_TOKEN.match(tokens[-1]) and any(c == "." for c in tokens[-1]):
        trailing: list[str] = []
        while len(tokens) > 1 and _INITIAL_TOKEN.match(tokens[-1]):
            trailing.insert(0, tokens.pop())
        return f"{' '.join(tokens)}, {_initials(' '.join(trailing))}"
    # 'J. C. Phillips' / 'James C. Phillips' - given names first
    leading: list[str] = []
    while len(tokens) > 1 and (_INITIAL_TOKEN.match(tokens[0]) or tokens[0][0].isupper()):
        leading.append(tokens.pop(0))
        if len(tokens) == 1:
            break
    surname = " ".join(tokens)
    return f"{surname}, {_initials(' '.join(leading))}" if leading else surname


def split_authors(value: object, sep: str | None = None) -> list[str]:
    """Split a field of several authors and normalise each.

    ``sep`` None guesses: ';' when present, else ' and ' (BibTeX), else one author.
    """
    text = clean(value)
    if text is None:
        return []
    if sep is None:
        if ";" in text:
            sep = ";"
        elif re.search(r"\s+and\s+", text):
            parts = re.split(r"\s+and\s+", text)
            return [a for a in (normalise_author(p) for p in parts) if a]
        else:
            sep = "\n"
    return [a for a in (normalise_author(p) for p in text.split(sep)) if a]


_TAGS = re.compile(r"<[^>]{0,200}>")


def fold(text: object) -> str:
    """A matching key for free text: HTML/LaTeX removed, accents stripped, lower-case,
    punctuation dropped, white space collapsed. Never used for display."""
    value = clean(text)
    if value is None:
        return ""
    value = html.unescape(value)
    value = _TAGS.sub(" ", value)
    value = re.sub(r"\\[a-zA-Z]+\s*", "", value)  # LaTeX commands like \textit
    if not value.isascii():  # ASCII has no accents to strip
        value = unicodedata.normalize("NFKD", value)
        value = "".join(ch for ch in value if not unicodedata.combining(ch))
    value = value.casefold()
    value = re.sub(r"[^\w\s]|_", " ", value)
    return " ".join(value.split())


# ---------------------------------------------------------------- records


def content_id(database: str, title: str | None, year: object, authors: list[str], doi: str | None) -> str:
    """A stable record id for exports that carry no accession number or ID column."""
    key = "|".join([database, fold(title), str(year or ""), fold(authors[0] if authors else ""), doi or ""])
    return "h:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _authors_list(value: Any) -> list[str]:
    return list(value) if value else []


def _extra_dict(value: Any) -> dict[str, Any]:
    return {
        k: v
        for k, v in (value or {}).items()
        if (v.strip() if isinstance(v, str) else clean(v) is not None)  # str: the fast, same test
    }


def _line_number(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


# How make_record normalises each schema field (in schema order); the rest are cleaned.
_NORMALISE: dict[str, Callable[[Any], Any]] = {
    name: {
        "authors": _authors_list,
        "extra": _extra_dict,
        "year": normalise_year,
        "source_line": _line_number,
        "doi": normalise_doi,
        "title": collapse,
        "journal": collapse,
        "abstract": collapse,
        "keywords": collapse,
    }.get(name, clean)
    for name in RECORD_FIELDS
}


def make_record(**fields: Any) -> Record:
    """Build a record with every schema field; strings cleaned, empties None."""
    if not fields.keys() <= _NORMALISE.keys():
        raise TypeError(f"unknown record fields: {sorted(fields.keys() - _NORMALISE.keys())}")
    get = fields.get
    return {name: normalise(get(name)) for name, normalise in _NORMALISE.items()}


def _cell(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name == "authors":
        return "; ".join(value)
    if name == "extra":
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    return str(value)


def write_records(records: Iterable[Mapping[str, Any]], path: str | Path) -> int:
    """Write records as CSV (the caller handles atomicity). Returns the count."""
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(RECORD_FIELDS)
        for rec in records:
            writer.writerow([_cell(f, rec.get(f)) for f in RECORD_FIELDS])
            n += 1
    return n


def iter_records(path: str | Path) -> Iterator[Record]:
    """Read a records CSV written by ``write_records``."""
    p = Path(path)
    if not p.is_file():
        raise InputError(p, "no such file", "run `slr ingest` first or check the path")
    with open(p, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None:
            raise InputError(p, "the records file is empty", "run `slr ingest` again", line=1)
        missing = [f for f in RECORD_FIELDS if f not in header]
        if missing:
            raise InputError(
                p,
                f"not a records file: missing column(s) {', '.join(missing)}",
                "pass the output of `slr ingest`",
                line=1,
            )
        index = {name: header.index(name) for name in RECORD_FIELDS}
        for row in reader:
            raw = {name: (row[i] if i < len(row) else "") for name, i in index.items()}
            yield _from_cells(raw, p, reader.line_num)


def _from_cells(raw: Mapping[str, str], path: Path, line: int) -> Record:
    rec: Record = {}
    for name in RECORD_FIELDS:
        text = raw.get(name, "")
        if name == "authors":
            rec[name] = [a for a in (t.strip() for t in text.split(";")) if a] if text else []
        elif name == "extra":
            try:
                rec[name] = json.loads(text) if text else {}
            except json.JSONDecodeError:
                raise InputError(
                    path, "the 'extra' column is not valid JSON", "run `slr ingest` again", line=line
                ) from None
        elif name in ("year", "source_line"):
            rec[name] = int(text) if text else None
        else:
            rec[name] = text if text != "" else None
    return rec


def read_records(path: str | Path) -> list[Record]:
    return list(iter_records(path))
