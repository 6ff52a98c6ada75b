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


# Lower-case name particles that belong to the surname (van der Post, de Condorcet, da Silva).
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "dello", "da", "das", "do", "dos", "du", "di", "la", "le",
     "ten", "ter", "te", "op", "zu", "zum", "zur", "af", "av"}
)  # fmt: skip
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
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
        # Zotero and BibTeX put a particle after the given names: 'Post, Rachel S. van der'
        given_tokens = given.split()
        moved: list[str] = []
        while len(given_tokens) > 1 and given_tokens[-1] in _PARTICLES:
            moved.insert(0, given_tokens.pop())
        if moved:
            surname, given = " ".join([*moved, surname]), " ".join(given_tokens)
        init = _initials(given)
        return f"{surname}, {init}" if init else surname
    tokens = text.split()
    if len(tokens) > 2 and tokens[-1].rstrip(".").lower() in _SUFFIXES:  # 'J. H. Laros III'
        tokens.pop()
    if len(tokens) == 1:
        return tokens[0]
    # PubMed / Vancouver: 'Hajj-Boutros G', 'Landry-Duval MA' - capital initials without dots
    last = tokens[-1]
    if last.isalpha() and last.isupper() and len(last) <= 4 and not (tokens[0].isalpha() and tokens[0].isupper()):
        return f"{' '.join(tokens[:-1])}, {_initials(last)}"
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


_DOTTED_INITIALS = re.compile(r"(?:[A-Z][a-z]?\.\s*-?\s*)+")
_ENDS_IN_INITIALS = re.compile(r"\S.*\s(?:[A-Z]{1,4}\.?|(?:[A-Z][a-z]?\.-?)+)")


def split_name_list(text: str) -> list[str] | None:
    """The authors of a comma-separated list in one of the forms databases write, else None.

    'Muri, H.I., Hjelme, D.R.' (Scopus before 2024, surname and initials each followed by a
    comma), 'Hajj-Boutros G, Landry-Duval MA.' (PubMed, Vancouver) and 'Liu R., Adler D.G.'
    (Embase, Scopus): each name 'Surname, I.I.'. A list in no such form (e.g. 'Smith, John')
    gives None: which commas separate people cannot be told.
    """
    pieces = [p.strip() for p in text.split(",")]
    if pieces and pieces[-1].lower() in ("et al", "et al."):
        pieces.pop()
    if len(pieces) < 2 or not all(pieces):
        return None
    surnames, given = pieces[0::2], pieces[1::2]
    if (
        len(pieces) % 2 == 0
        and all(_DOTTED_INITIALS.fullmatch(g) for g in given)
        and not any(_DOTTED_INITIALS.fullmatch(s) or _ENDS_IN_INITIALS.fullmatch(s) for s in surnames)
    ):
        names = [normalise_author(f"{s}, {g}") for s, g in zip(surnames, given, strict=True)]
    elif all(_ENDS_IN_INITIALS.fullmatch(p) for p in pieces):
        names = [normalise_author(p) for p in pieces]
    else:
        return None
    return [n for n in names if n]


def split_authors(value: object, sep: str | None = None) -> list[str]:
    """Split a field of several authors and normalise each.

    ``sep`` None guesses: ';' when present, else ' and ' (BibTeX), else a comma-separated list in
    a form ``split_name_list`` knows, else one author.
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
            listed = split_name_list(text) if text.count(",") > 1 or " " in text.partition(",")[0] else None
            if listed is not None:
                return listed
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


_PAGE_DASH = re.compile(r"\s*(?:-{1,3}|[\u2010-\u2015\u2212])\s*")


def normalise_pages(value: object) -> str | None:
    """A page range with one plain hyphen: '1261 – 1273', '46 - 61' and '46--61' give '46-61'."""
    text = clean(value)
    if text is None or text.isdigit():
        return text
    return _PAGE_DASH.sub("-", text)


def _line_number(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


# Fields whose value is dropped when it cannot be read ('20l5', 'not-a-doi'): kept in extra as "unreadable <field>".
UNREADABLE_KEPT = ("year", "doi")

# How make_record normalises each schema field (in schema order); the rest are cleaned.
_NORMALISE: dict[str, Callable[[Any], Any]] = {
    name: {
        "authors": _authors_list,
        "extra": _extra_dict,
        "year": normalise_year,
        "source_line": _line_number,
        "doi": normalise_doi,
        "pages": normalise_pages,
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
    rec = {name: normalise(get(name)) for name, normalise in _NORMALISE.items()}
    for name in UNREADABLE_KEPT:
        if rec[name] is None and (raw := clean(get(name))) is not None:
            rec["extra"][f"unreadable {name}"] = raw  # not a year / DOI: kept, never silently emptied
    return rec


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
