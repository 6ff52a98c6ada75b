"""The search sidecar ``data/raw/<search>/search.yaml``: what each export should contain.

It records, per export file, the database, query, date, the limits the search applied
(document types, years, languages) and the hit count the database reported. The
audit compares each export with it: a truncated download or a missing batch file
shows as a count below ``reported_hits``, and records outside the stated limits
(a 2016 paper, a conference paper) are listed one by one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from slr.errors import InputError
from slr.records import fold
from slr.yamlfile import read_yaml, validate

SIDECAR = "search.yaml"


@dataclass
class Limits:
    document_types: list[str] = field(default_factory=list)
    exclude_years: list[int] = field(default_factory=list)
    min_year: int | None = None
    max_year: int | None = None
    languages: list[str] = field(default_factory=list)


@dataclass
class ExportSpec:
    file: str
    database: str
    query: str | None = None
    date: str | None = None
    limits: Limits = field(default_factory=Limits)
    reported_hits: int | None = None


@dataclass
class SearchSpec:
    path: Path
    search: str
    description: str | None
    exports: list[ExportSpec]

    def export(self, name: str) -> ExportSpec | None:
        return next((e for e in self.exports if e.file == name), None)


def _schema() -> dict[str, Any]:
    text = resources.files("slr").joinpath("schemas/search.schema.yaml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text))


def load(path: str | Path, *, search: str | None = None) -> SearchSpec:
    """Read and validate a sidecar; ``search`` (the folder's search) must match its ``search``."""
    p = Path(path)
    fix = "see the search.yaml format in docs/architecture.md"
    doc = read_yaml(p, what="the search sidecar", fix=fix)
    validate(doc, _schema(), fix)
    data = doc.data
    if search is not None and data["search"] != search:
        raise InputError(
            p,
            f"search is {data['search']!r} but the folder belongs to search {search!r}",
            f"write search: {search}",
            line=doc.line(["search"]),
        )
    exports = []
    seen: set[str] = set()
    for i, item in enumerate(data["exports"]):
        if item["file"] in seen:
            raise InputError(
                p,
                f"export {item['file']!r} is listed twice",
                "list each export file once",
                line=doc.line(["exports", i]),
            )
        seen.add(item["file"])
        limits = Limits(**(item.get("limits") or {}))
        date = item.get("date")
        exports.append(
            ExportSpec(
                file=item["file"],
                database=item["database"],
                query=item.get("query"),
                date=date.isoformat() if isinstance(date, dt.date) else (str(date) if date is not None else None),
                limits=limits,
                reported_hits=item.get("reported_hits"),
            )
        )
    return SearchSpec(p, data["search"], data.get("description"), exports)


@dataclass
class Violation:
    record_id: str | None
    source_file: str | None
    source_line: int | None
    problem: str


def _types(value: object) -> set[str]:
    return {fold(part) for part in str(value or "").split(";") if fold(part)}


def check_limits(spec: ExportSpec, records: Iterable[Mapping[str, Any]]) -> list[Violation]:
    """Records that break the export's stated limits (each named with its file and line)."""
    limits = spec.limits
    allowed_types = {fold(t) for t in limits.document_types}
    allowed_languages = {fold(t) for t in limits.languages}
    out: list[Violation] = []
    for rec in records:
        problems = []
        year = rec.get("year")
        if year is not None:
            if year in limits.exclude_years:
                problems.append(f"year {year} is excluded")
            if limits.max_year is not None and year > limits.max_year:
                problems.append(f"year {year} is after {limits.max_year}")
            if limits.min_year is not None and year < limits.min_year:
                problems.append(f"year {year} is before {limits.min_year}")
        if allowed_types:
            types = _types(rec.get("doc_type"))
            if not types:
                problems.append("no document type")
            elif not types & allowed_types:
                problems.append(f"document type {rec.get('doc_type')!r} is not {', '.join(limits.document_types)}")
        if allowed_languages and rec.get("language"):
            languages = _types(rec.get("language"))
            if not languages & allowed_languages:
                problems.append(f"language {rec.get('language')!r} is not {', '.join(limits.languages)}")
        if problems:
            out.append(
                Violation(rec.get("record_id"), rec.get("source_file"), rec.get("source_line"), "; ".join(problems))
            )
    return out


# Files of a search folder that are not exports: the sidecar, README files (README, README.md,
# readme.txt, ...), hidden files (a leading dot: .DS_Store, unfinished downloads) and the files
# Windows hides in every folder. Everything else is an export: its format is recognised from its
# content, never its name, so an export with an unusual name (no suffix, .bak, an XLSX) is read,
# or refused by `slr ingest` with its reason, but never left out unseen.
_OS_FILES = frozenset({"thumbs.db", "desktop.ini"})


def is_export_name(name: str) -> bool:
    lower = name.lower()
    return not (
        name == SIDECAR
        or name.startswith(".")
        or lower == "readme"
        or lower.startswith("readme.")
        or lower in _OS_FILES
    )


def export_files(folder: str | Path) -> list[str]:
    """The export files of a search folder: every regular file but those that are not exports
    (``is_export_name``). workflow/rules/common.smk ingests exactly these."""
    p = Path(folder)
    if not p.is_dir():
        return []
    return sorted(f.name for f in p.iterdir() if f.is_file() and is_export_name(f.name))


def unread_entries(folder: str | Path) -> list[tuple[str, str]]:
    """Entries of a search folder that look like exports but are not regular files, with what
    they are: they are not read (a folder of exports, a FIFO or device would not be an export
    file), and the audit lists them so that none is left out unseen."""
    p = Path(folder)
    if not p.is_dir():
        return []
    out = []
    for f in sorted(p.iterdir(), key=lambda f: f.name):
        if not is_export_name(f.name) or f.is_file():
            continue
        if f.is_dir():
            what = "a folder; exports inside it are not read (move them into the search folder)"
        elif f.is_symlink() and not f.exists():
            what = "a link to nothing"
        else:
            what = "not a regular file (a pipe or a device)"
        out.append((f.name, what))
    return out
