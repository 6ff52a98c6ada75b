"""Manual dedup decisions: ``data/coded/dedup_overrides.csv``.

Columns ``record_id_a, record_id_b, decision, note``; ``decision`` is ``same`` or ``different``
(any case). A researcher writes one row per pair the matcher got wrong. The file is checked
before anything is written: an unknown record id, a pair decided twice, or a pair decided both
ways stops the run and names every offending line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from slr.errors import InputError
from slr.textio import read_text

COLUMNS = ("record_id_a", "record_id_b", "decision", "note")
DECISIONS = ("same", "different")


@dataclass(frozen=True)
class Override:
    record_id_a: str
    record_id_b: str
    decision: str  # same | different
    note: str
    path: str
    line: int

    @property
    def pair(self) -> tuple[str, str]:
        a, b = sorted((self.record_id_a, self.record_id_b))
        return a, b

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def load_overrides(path: str | Path) -> list[Override]:
    """Read and check the file's shape (record ids are checked by ``check_known``)."""
    p = Path(path)
    if not p.is_file():
        raise InputError(p, "no such overrides file", "check the path, or leave the option out")
    text = read_text(p).text.lstrip("\ufeff")
    reader = csv.reader(text.splitlines(keepends=True))
    header = next(reader, None)
    if header is None:
        raise InputError(p, "the overrides file is empty", f"write a header line: {','.join(COLUMNS)}", line=1)
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS[:3] if c not in names]
    if missing:
        raise InputError(
            p, f"missing column(s) {', '.join(missing)}", f"the header must be {','.join(COLUMNS)}", line=1
        )
    col = {c: names.index(c) for c in COLUMNS if c in names}
    out: list[Override] = []
    problems: list[tuple[int, str]] = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str, row: list[str] = row) -> str:
            i = col.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        a, b, decision = cell("record_id_a"), cell("record_id_b"), cell("decision").lower()
        if not a or not b:
            problems.append((line, f"line {line}: a record id is empty"))
        elif a == b:
            problems.append((line, f"line {line}: both record ids are {a}"))
        elif decision not in DECISIONS:
            problems.append((line, f"line {line}: decision {cell('decision')!r} is not 'same' or 'different'"))
        else:
            out.append(Override(a, b, decision, cell("note"), str(p), line))
    seen: dict[tuple[str, str], Override] = {}
    for o in out:
        first = seen.get(o.pair)
        if first is None:
            seen[o.pair] = o
        elif first.decision != o.decision:
            problems.append(
                (first.line, f"lines {first.line} and {o.line}: {o.pair[0]} / {o.pair[1]} decided both ways")
            )
        else:
            problems.append((first.line, f"lines {first.line} and {o.line}: {o.pair[0]} / {o.pair[1]} decided twice"))
    if problems:
        raise InputError(
            p,
            "; ".join(text for _, text in problems),
            "fix these rows (record ids as in clusters.csv, decision same or different)",
            line=problems[0][0],
        )
    return out


def check_known(overrides: Iterable[Override], known: set[str]) -> None:
    """Every record id of the overrides must be one of the records being deduplicated."""
    unknown: list[Override] = []
    lines: list[str] = []
    for o in overrides:
        ids = [r for r in (o.record_id_a, o.record_id_b) if r not in known]
        if ids:
            unknown.append(o)
            lines.append(f"line {o.line}: {', '.join(ids)}")
    if unknown:
        raise InputError(
            unknown[0].path,
            f"unknown record id(s): {'; '.join(lines)}",
            "use record ids from clusters.csv (the exports may have changed), or delete these rows",
            line=unknown[0].line,
        )
