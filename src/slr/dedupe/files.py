"""Reading records files and writing works, clusters and pairs (the file edges of dedupe)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from slr.errors import InputError
from slr.records import RECORD_FIELDS, WORK_FIELDS, Record, fold

WORKS_COLUMNS = WORK_FIELDS
CLUSTERS_COLUMNS = ("record_id", "work_id")
PAIRS_COLUMNS = (
    "record_id_a",
    "record_id_b",
    "decision",
    "rule",
    "score",
    "title_similarity",
    "title",
    "year",
    "first_author",
    "authors",
    "journal",
    "volume",
    "pages",
    "abstract",
    "doi",
    "note",
)
_FILL = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "abstract", "keywords")


def iter_records(path: Path) -> Iterable[Record]:
    """Records of a records CSV (``slr ingest`` output), read lean: dedupe reads every record of
    every search, so this is the same reading as ``slr.records.iter_records`` without its
    per-cell overhead."""
    if not path.is_file():
        raise InputError(path, "no such file", "run `slr ingest` first or check the path")
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None:
            raise InputError(path, "the records file is empty", "run `slr ingest` again", line=1)
        missing = [f for f in RECORD_FIELDS if f not in header]
        if missing:
            raise InputError(
                path,
                f"not a records file: missing column(s) {', '.join(missing)}",
                "pass the output of `slr ingest`",
                line=1,
            )
        index = [header.index(f) for f in RECORD_FIELDS]
        width = max(index) + 1
        for row in reader:
            if len(row) < width:
                row = row + [""] * (width - len(row))
            rec: Record = {f: row[i] or None for f, i in zip(RECORD_FIELDS, index, strict=True)}
            authors = rec["authors"]
            rec["authors"] = [a for a in (t.strip() for t in authors.split(";")) if a] if authors else []
            try:
                rec["extra"] = json.loads(rec["extra"]) if rec["extra"] else {}
                for name in ("year", "source_line"):
                    if rec[name] is not None:
                        rec[name] = int(rec[name])
            except (ValueError, TypeError):
                raise InputError(
                    path,
                    "a year, source_line or extra cell is malformed",
                    "run `slr ingest` again",
                    line=reader.line_num,
                ) from None
            yield rec


def _filled(rec: Mapping[str, Any]) -> int:
    return sum(1 for f in _FILL if rec.get(f))


def _rank(rec: Mapping[str, Any]) -> tuple[int, str, int]:
    """Fullest copy first; ties by export file and line, so the input order never matters."""
    return (-_filled(rec), str(rec.get("source_file") or ""), int(rec.get("source_line") or 0))


def load_records(paths: Sequence[str | Path]) -> tuple[list[Record], dict[str, set[str]]]:
    """All records of all files, one per record_id, and the searches that found each.

    The same record_id in two files (a Scopus EID returned by two searches) is one record found
    by two searches; its fullest copy is kept. Two copies with different titles mean the ids
    are not accession numbers of one database, and stop the run.
    """
    kept: dict[str, tuple[Record, Path]] = {}
    searches: dict[str, set[str]] = {}
    for path in paths:
        p = Path(path)
        for rec in iter_records(p):
            rid = rec.get("record_id")
            if not rid:
                raise InputError(
                    p,
                    f"a record has no record_id (export line {rec.get('source_line')})",
                    "run `slr ingest` again on its export",
                )
            found = searches.setdefault(rid, set())
            if rec.get("search"):
                found.add(rec["search"])
            seen = kept.get(rid)
            if seen is None:
                kept[rid] = (rec, p)
                continue
            old, old_path = seen
            if fold(old.get("title")) != fold(rec.get("title")):
                raise InputError(
                    p,
                    f"record_id {rid} has the title {_short(rec.get('title'))} here but "
                    f"{_short(old.get('title'))} in {old_path}",
                    "the two exports disagree about one record id: check that both files come from the "
                    "same database, or give the records of a hand-made CSV distinct IDs",
                    record=rid,
                )
            if _rank(rec) < _rank(old):
                kept[rid] = (rec, p)
    return [rec for rec, _ in kept.values()], searches


def _short(title: object) -> str:
    text = str(title or "")
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _write(path: str | Path, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
            n += 1
    return n


def write_works(rows: Iterable[Mapping[str, Any]], path: str | Path) -> int:
    return _write(path, WORKS_COLUMNS, ([r.get(c) for c in WORKS_COLUMNS] for r in rows))


def write_clusters(rows: Iterable[tuple[str, str]], path: str | Path) -> int:
    return _write(path, CLUSTERS_COLUMNS, rows)


def write_pairs(rows: Iterable[Mapping[str, Any]], path: str | Path) -> int:
    return _write(path, PAIRS_COLUMNS, ([r.get(c) for c in PAIRS_COLUMNS] for r in rows))
