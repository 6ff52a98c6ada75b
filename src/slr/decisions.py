"""Re-attach human decisions (code files in ``data/coded/``) to works.

Researchers code works in sheets that outlive any single run: searches are
re-exported, records merge, a DOI appears later, rows are re-ordered. A decision
therefore names its work by whatever identifiers the row carries, tried in a fixed
order - ``work_id`` (or one of the work's aliases), ``doi``, ``record_ids``
(accession numbers, matched against the works' members), then folded ``title`` +
``year`` - and the first identifier that names exactly one work wins.

A row that names no work, or several, and two rows that give one work different
values, are never resolved silently: they are collected and raised together
(``InputErrors``), each with its file and row, or handed to the audit.

The API is general (screening criteria, full-text availability, coded segments):

    index = WorkIndex(works)
    attached = attach(index, read_codes(path))
    coded = collect(attached, {"empirical": parse_flag})
    coded.raise_problems()
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slr.errors import InputError, InputErrors
from slr.records import fold, normalise_doi, normalise_year
from slr.results import split_list
from slr.spreadsheet import read_sheet

#: Identifier columns in the order they are tried.
KEY_ORDER: tuple[str, ...] = ("work_id", "doi", "record_ids", "title")
#: Header spellings accepted for the identifier columns (after lower-casing, spaces -> "_").
KEY_ALIASES: dict[str, str] = {
    "work_id": "work_id",
    "work": "work_id",
    "doi": "doi",
    "record_ids": "record_ids",
    "record_id": "record_ids",
    "accession": "record_ids",
    "accessions": "record_ids",
    "accession_numbers": "record_ids",
    "title": "title",
    "year": "year",
}

TRUE_WORDS = frozenset({"yes", "y", "1", "true"})
FALSE_WORDS = frozenset({"no", "n", "0", "false"})


@dataclass(frozen=True, order=True)
class Source:
    """Where a decision was written: a code file and its row (as the spreadsheet numbers it)."""

    file: str
    row: int

    def __str__(self) -> str:
        return f"{self.file}:{self.row}"


@dataclass
class CodeRow:
    source: Source
    cells: dict[str, Any]  # normalised column name -> value (None when empty)

    def describe(self) -> str:
        """The row's identifiers, for messages."""
        parts = []
        for key in ("work_id", "doi", "record_ids"):
            if self.cells.get(key) is not None:
                parts.append(f"{key} {self.cells[key]}")
        if self.cells.get("title") is not None:
            title = str(self.cells["title"])
            parts.append(f"title {title[:60]!r}" + ("..." if len(title) > 60 else ""))
        if self.cells.get("year") is not None:
            parts.append(f"year {self.cells['year']}")
        return ", ".join(parts) or "no identifier"


@dataclass
class CodeFile:
    path: Path
    columns: list[str]
    rows: list[CodeRow]


def read_codes(path: str | Path, *, value_columns: Sequence[str] = (), need_any: bool = True) -> CodeFile:
    """Read a code file (CSV or XLSX). It must have an identifier column and, when
    ``value_columns`` are given, at least one of them (``need_any``) or all of them."""
    sheet = read_sheet(path)
    columns = [KEY_ALIASES.get(c, c) for c in sheet.columns]
    if not any(k in columns for k in ("work_id", "doi", "record_ids", "title")):
        raise InputError(
            sheet.path,
            "no column identifies the work (work_id, doi, record_ids or title + year)",
            "keep the work_id column of the sheet the pipeline wrote",
            line=1,
        )
    if value_columns:
        present = [c for c in value_columns if c in columns]
        if (need_any and not present) or (not need_any and len(present) < len(value_columns)):
            missing = [c for c in value_columns if c not in columns]
            raise InputError(
                sheet.path,
                f"missing column(s) {', '.join(missing)}",
                "use the column names of the sheet the pipeline wrote",
                line=1,
            )
    rows = []
    for row in sheet.rows:
        cells = {KEY_ALIASES.get(k, k): v for k, v in row.cells.items()}
        rows.append(CodeRow(Source(str(sheet.path), row.row), cells))
    return CodeFile(sheet.path, columns, rows)


# ---------------------------------------------------------------- matching


@dataclass
class Match:
    work_id: str | None
    matched_by: str | None
    candidates: tuple[str, ...] = ()  # when the row names several works


class WorkIndex:
    """Look works up by any identifier a decision (or a user's query) may carry."""

    def __init__(self, works: Iterable[Mapping[str, Any]]) -> None:
        self.works: dict[str, Mapping[str, Any]] = {}
        self._ids: dict[str, set[str]] = defaultdict(set)
        self._dois: dict[str, set[str]] = defaultdict(set)
        self._records: dict[str, set[str]] = defaultdict(set)
        self._titles: dict[tuple[str, int], set[str]] | None = None  # built on first use (folding is slow)
        for work in works:
            wid = str(work["work_id"])
            self.works[wid] = work
            self._ids[wid].add(wid)
            for alias in _as_list(work.get("aliases")):
                self._ids[alias].add(wid)
            doi = normalise_doi(work.get("doi"))
            if doi:
                self._dois[doi].add(wid)
            for rid in _as_list(work.get("members")):
                self._records[rid].add(wid)

    def __contains__(self, work_id: object) -> bool:
        return work_id in self.works

    def by_work_id(self, value: object) -> set[str]:
        """A work_id or alias. The work's own id wins over another work's alias."""
        text = str(value).strip() if value is not None else ""
        if text in self.works:
            return {text}
        return set(self._ids.get(text, ()))

    def by_doi(self, value: object) -> set[str]:
        doi = normalise_doi(value)
        return set(self._dois.get(doi, ())) if doi else set()

    def by_record_ids(self, value: object) -> set[str]:
        found: set[str] = set()
        for rid in _as_list(value):
            found |= self._records.get(rid, set())
        return found

    def by_title_year(self, title: object, year: object) -> set[str]:
        key_title, key_year = fold(title), normalise_year(year)
        if not key_title or not key_year:
            return set()
        if self._titles is None:
            self._titles = defaultdict(set)
            for wid, work in self.works.items():
                t, y = fold(work.get("title")), normalise_year(work.get("year"))
                if t and y:
                    self._titles[(t, y)].add(wid)
        return set(self._titles.get((key_title, key_year), ()))

    def match(self, cells: Mapping[str, Any]) -> Match:
        """The work a row names: the first identifier (in ``KEY_ORDER``) that names exactly one."""
        ambiguous: set[str] = set()
        for key in KEY_ORDER:
            value = cells.get(key)
            if value is None:
                continue
            if key == "work_id":
                found = self.by_work_id(value)
            elif key == "doi":
                found = self.by_doi(value)
            elif key == "record_ids":
                found = self.by_record_ids(value)
            else:
                found = self.by_title_year(value, cells.get("year"))
            if len(found) == 1:
                return Match(next(iter(found)), "title_year" if key == "title" else key)
            ambiguous |= found
        return Match(None, None, tuple(sorted(ambiguous)))

    def resolve(self, text: str) -> set[str]:
        """Works a single identifier names: work_id/alias, DOI or accession number."""
        text = text.strip()
        return self.by_work_id(text) or self.by_doi(text) or self.by_record_ids(text)


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        return [str(v).strip() for v in value if str(v).strip()]
    return split_list(value)


@dataclass
class AttachedRow:
    row: CodeRow
    work_id: str
    matched_by: str

    @property
    def source(self) -> Source:
        return self.row.source


@dataclass
class Attached:
    """Rows re-attached to works, and the rows that could not be."""

    by_work: dict[str, list[AttachedRow]] = field(default_factory=dict)
    orphans: list[CodeRow] = field(default_factory=list)
    ambiguous: list[tuple[CodeRow, tuple[str, ...]]] = field(default_factory=list)

    def rows(self) -> list[AttachedRow]:
        return sorted((r for rows in self.by_work.values() for r in rows), key=lambda r: r.source)

    def problems(self) -> list[InputError]:
        out: list[InputError] = []
        for row in self.orphans:
            out.append(
                InputError(
                    row.source.file,
                    f"this decision matches no work ({row.describe()})",
                    "correct its work_id/DOI/title against results/works.csv, or delete the row",
                    line=row.source.row,
                )
            )
        for row, candidates in self.ambiguous:
            out.append(
                InputError(
                    row.source.file,
                    f"this decision matches several works ({', '.join(candidates)}) by {row.describe()}",
                    "add the work_id of the one it is meant for",
                    line=row.source.row,
                )
            )
        return out


def attach(works: WorkIndex | Iterable[Mapping[str, Any]], rows: Iterable[CodeRow]) -> Attached:
    """Re-attach each row to its work (see the module docstring for the order)."""
    index = works if isinstance(works, WorkIndex) else WorkIndex(works)
    result = Attached()
    for row in rows:
        m = index.match(row.cells)
        if m.work_id is not None and m.matched_by is not None:
            result.by_work.setdefault(m.work_id, []).append(AttachedRow(row, m.work_id, m.matched_by))
        elif m.candidates:
            result.ambiguous.append((row, m.candidates))
        else:
            result.orphans.append(row)
    return result


# ---------------------------------------------------------------- values

Parser = Callable[[Any], Any]


class BadValue(ValueError):
    """A cell that is not one of the allowed values; the message says what is allowed."""


def parse_flag(value: Any) -> bool | None:
    """yes/no/y/n/1/0/true/false in any case; empty = not coded (None)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text == "":
        return None
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise BadValue("write yes or no (y/n, 1/0, true/false in any case), or leave it empty")


def one_of(choices: Sequence[str]) -> Parser:
    """A parser accepting one of ``choices`` (any case, spaces or '-' for '_'); empty = None."""
    allowed = {c.lower(): c for c in choices}

    def parse(value: Any) -> str | None:
        if value is None:
            return None
        text = "_".join(str(value).strip().lower().replace("-", " ").split())
        if text == "":
            return None
        if text in allowed:
            return allowed[text]
        raise BadValue(f"write one of {', '.join(choices)}, or leave it empty")

    return parse


def flag_text(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


@dataclass
class Value:
    value: Any
    sources: list[Source]


@dataclass
class Coded:
    """Parsed values per work and column, with every problem found on the way."""

    values: dict[str, dict[str, Value]] = field(default_factory=dict)
    rows: dict[str, list[AttachedRow]] = field(default_factory=dict)
    problems: list[InputError] = field(default_factory=list)
    attached: Attached = field(default_factory=Attached)

    def get(self, work_id: str, column: str) -> Any:
        value = self.values.get(work_id, {}).get(column)
        return None if value is None else value.value

    def sources(self, work_id: str) -> list[Source]:
        return sorted({r.source for r in self.rows.get(work_id, [])})

    def notes(self, work_id: str) -> str | None:
        texts = [str(r.row.cells["notes"]) for r in self.rows.get(work_id, []) if r.row.cells.get("notes")]
        return "; ".join(dict.fromkeys(texts)) or None

    def raise_problems(self) -> None:
        if self.problems:
            raise InputErrors(self.problems)


def collect(attached: Attached, parsers: Mapping[str, Parser], *, problems: Iterable[InputError] = ()) -> Coded:
    """Parse each attached row's value columns and merge them per work.

    Invalid cells, and two rows that give one work different values for one column
    (in one file or across files), become problems; repeating the same value is fine.
    """
    coded = Coded(attached=attached, problems=[*problems, *attached.problems()])
    for work_id, rows in attached.by_work.items():
        coded.rows[work_id] = rows
        merged: dict[str, Value] = {}
        for arow in rows:  # in the order the files were given, then by row
            for column, parse in parsers.items():
                raw = arow.row.cells.get(column)
                try:
                    value = parse(raw)
                except BadValue as exc:
                    coded.problems.append(
                        InputError(
                            arow.source.file,
                            f"column {column!r} holds {str(raw)!r}",
                            str(exc),
                            line=arow.source.row,
                        )
                    )
                    continue
                if value is None:
                    continue
                held = merged.get(column)
                if held is None:
                    merged[column] = Value(value, [arow.source])
                elif held.value == value:
                    held.sources.append(arow.source)
                else:
                    first = held.sources[0]
                    where = "row " + str(first.row) if first.file == arow.source.file else str(first)
                    coded.problems.append(
                        InputError(
                            arow.source.file,
                            f"conflicting decisions for work {work_id}: {column} is {_show(value)} here but "
                            f"{_show(held.value)} in {where}",
                            "correct one of them (two coders: record the agreed value in the reconciled file)",
                            line=arow.source.row,
                        )
                    )
        coded.values[work_id] = merged
    # Invalid cells of rows that matched no work are reported too (with the orphan itself).
    for row in [*attached.orphans, *(r for r, _ in attached.ambiguous)]:
        for column, parse in parsers.items():
            try:
                parse(row.cells.get(column))
            except BadValue as exc:
                coded.problems.append(
                    InputError(
                        row.source.file,
                        f"column {column!r} holds {row.cells.get(column)!r}",
                        str(exc),
                        line=row.source.row,
                    )
                )
    coded.problems.sort(key=lambda e: (e.path or "", e.line or 0))
    return coded


def _show(value: Any) -> str:
    return flag_text(value) or "" if isinstance(value, bool) else str(value)


def load(
    works: WorkIndex | Iterable[Mapping[str, Any]],
    paths: Iterable[str | Path],
    parsers: Mapping[str, Parser],
    *,
    need_all_columns: bool = False,
) -> Coded:
    """Read code files, re-attach their rows and merge their values (problems collected, not raised)."""
    index = works if isinstance(works, WorkIndex) else WorkIndex(works)
    rows: list[CodeRow] = []
    for path in paths:
        rows.extend(read_codes(path, value_columns=list(parsers), need_any=not need_all_columns).rows)
    return collect(attach(index, rows), parsers)
