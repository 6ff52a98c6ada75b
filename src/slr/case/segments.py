"""Coded literature segments as extra evidence for the case classifier.

The coded-segments CSV (`study, doi, title, year, code, segment, page, coder, provenance`; a MAXQDA
"coded segments" export with `Document name, Code, Segment` columns is read too) pairs a passage of
a study with the taxonomy activity it was coded as. Real passages teach the classifier how the
literature words each activity. A row whose text only says that the code assignment was
reconstructed (no passage was available) carries no words of the literature and is skipped, as are
empty passages and codes outside the activity taxonomy (actor types, other code systems).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from slr.codebook import Activity, Codebook
from slr.errors import InputError
from slr.records import fold

from .data import read_rows

# Header spellings accepted for each column we use (folded).
_COLUMNS = {
    "code": ("code", "code path", "codes"),
    "segment": ("segment", "text", "coded segment"),
    "study": ("study", "document name", "document", "doc"),
    "page": ("page", "begin", "position"),
    "provenance": ("provenance",),
}
_RECONSTRUCTED = re.compile(r"\breconstruct", re.IGNORECASE)


@dataclass(frozen=True)
class Segment:
    activity: str  # taxonomy activity name
    text: str
    study: str | None
    page: str | None
    line: int


@dataclass
class SegmentSet:
    path: Path
    segments: list[Segment] = field(default_factory=list)
    reconstructed: int = 0
    empty: int = 0
    other_codes: int = 0

    def summary(self) -> str:
        return (
            f"{self.path}: {len(self.segments)} literature segment(s) used as evidence; skipped "
            f"{self.reconstructed} reconstructed code assignment(s), {self.empty} without text, "
            f"{self.other_codes} coded outside the activity taxonomy"
        )


def is_reconstructed(text: str | None, provenance: str | None) -> bool:
    """A row that records only that a code was assigned (no passage of the study)."""
    if provenance and _RECONSTRUCTED.search(provenance):
        return True
    if not text:
        return False
    folded = fold(text)
    return bool(_RECONSTRUCTED.search(folded)) and ("assign" in folded or "code" in folded)


def _column(header: list[str], name: str) -> str | None:
    wanted = _COLUMNS[name]
    for col in header:
        if fold(col) in wanted:
            return col
    return None


def load_segments(path: str | Path, codebook: Codebook) -> SegmentSet:
    p = Path(path)
    header, rows = read_rows(p, ())
    code_col, text_col = _column(header, "code"), _column(header, "segment")
    if code_col is None or text_col is None:
        raise InputError(
            p,
            f"no code and segment columns (found: {', '.join(header) or 'none'})",
            "give the coded-segments CSV (study, doi, title, year, code, segment, page, coder, provenance)",
            line=1,
        )
    study_col, page_col, prov_col = _column(header, "study"), _column(header, "page"), _column(header, "provenance")
    out = SegmentSet(p)
    for row in rows:
        code = row.cells.get(code_col)
        text = row.cells.get(text_col)
        prov = row.cells.get(prov_col) if prov_col else None
        parts = [x.strip() for x in (code or "").replace("\\", "/").split("/") if x.strip()]
        root = fold(parts[0]) if parts else ""
        if root not in ("activity", "activities"):
            out.other_codes += 1
            continue
        entry = codebook.resolve(code or "")
        if not isinstance(entry, Activity):
            raise InputError(
                p,
                f"code {code!r} names no activity of the codebook",
                "correct the code or add it to the codebook",
                line=row.line,
            )
        if is_reconstructed(text, prov):
            out.reconstructed += 1
            continue
        if not text:
            out.empty += 1
            continue
        out.segments.append(
            Segment(
                entry.name,
                text,
                row.cells.get(study_col) if study_col else None,
                row.cells.get(page_col) if page_col else None,
                row.line,
            )
        )
    return out
