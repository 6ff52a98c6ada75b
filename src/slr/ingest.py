"""Ingest: read export files into one normalised records table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from slr import readers
from slr.records import Record

FILL_FIELDS = ("title", "authors", "year", "doi", "abstract")


@dataclass
class FileSummary:
    path: Path
    format: str
    description: str
    encoding: str
    records: int
    fill: dict[str, float]

    def line(self) -> str:
        rates = "  ".join(f"{f} {self.fill[f]:.0%}" for f in FILL_FIELDS)
        return (
            f"{self.path}: {self.description} [{self.format}, {self.encoding}], {self.records} records; filled: {rates}"
        )


def fill_rates(records: Sequence[Record]) -> dict[str, float]:
    n = len(records) or 1
    return {f: sum(1 for r in records if r.get(f)) / n for f in FILL_FIELDS}


def ingest(paths: Sequence[str | Path], search: str | None = None) -> tuple[list[Record], list[FileSummary]]:
    """Read every file; all-or-nothing (the first bad file raises InputError)."""
    out: list[Record] = []
    summaries: list[FileSummary] = []
    for path in paths:
        loaded = readers.load(path)
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
            )
        )
    return out, summaries
