"""Ingest: read export files into one normalised records table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from slr import readers
from slr.errors import InputError
from slr.records import UNREADABLE_KEPT, Record, fold

FILL_FIELDS = ("title", "authors", "year", "doi", "abstract")


@dataclass
class FileSummary:
    path: Path
    format: str
    description: str
    encoding: str
    records: int
    fill: dict[str, float]

    unreadable: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        rates = "  ".join(f"{f} {self.fill[f]:.0%}" for f in FILL_FIELDS)
        text = (
            f"{self.path}: {self.description} [{self.format}, {self.encoding}], {self.records} records; filled: {rates}"
        )
        kept = ", ".join(f"{n} {name}" for name, n in self.unreadable.items() if n)
        if kept:
            text += f"; not readable, kept in extra as 'unreadable <field>': {kept}"
        return text


def unreadable_counts(records: Sequence[Record]) -> dict[str, int]:
    return {name: sum(1 for r in records if f"unreadable {name}" in (r.get("extra") or {})) for name in UNREADABLE_KEPT}


def fill_rates(records: Sequence[Record]) -> dict[str, float]:
    n = len(records) or 1
    return {f: sum(1 for r in records if r.get(f)) / n for f in FILL_FIELDS}


def check_record_ids(records: Sequence[Record], path: Path) -> None:
    """One export must not give one record id to two different papers.

    A database repeats a record when batches overlap (same id, same title: harmless, the
    deduplication merges them); two titles under one id mean a damaged or hand-edited file,
    and keeping both would silently attach one paper's decisions to the other."""
    first: dict[str, Record] = {}
    for rec in records:
        rid = rec.get("record_id")
        if not rid:
            continue
        earlier = first.setdefault(rid, rec)
        if earlier is not rec and fold(earlier.get("title") or "") != fold(rec.get("title") or ""):
            raise InputError(
                path,
                f"record id {rid} was already used at line {earlier.get('source_line')} for another title "
                f"({earlier.get('title')!r}, here {rec.get('title')!r})",
                "export the records again; in a hand-made file give each record its own ID",
                line=rec.get("source_line"),
            )


def ingest(paths: Sequence[str | Path], search: str | None = None) -> tuple[list[Record], list[FileSummary]]:
    """Read every file; all-or-nothing (the first bad file raises InputError)."""
    out: list[Record] = []
    summaries: list[FileSummary] = []
    for path in paths:
        loaded = readers.load(path)
        check_record_ids(loaded.records, Path(path))
        for rec in loaded.records:
            if search is not None:
                rec["search"] = search
        out.extend(loaded.records)
        summaries.append(
            FileSummary(
                Path(path),
                loaded.format,
                loaded.description,
                loaded.encoding,
                len(loaded.records),
                fill_rates(loaded.records),
                unreadable_counts(loaded.records),
            )
        )
    return out, summaries
