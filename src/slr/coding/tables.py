"""Aggregate resolved segments into the review's tables. Pure: segments in, rows out.

A study counts once per row however many segments support it. Citations (and their a/b
suffixes) are computed over the coded studies, the reference list the tables belong to.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from slr.codebook import Activity, ActorType, Codebook
from slr.records import fold

from . import citations
from .segments import Loaded
from .studies import Included, Work

Row = dict[str, object]


@dataclass
class Coding:
    book: Codebook
    works: dict[str, Work]
    included: Included
    loaded: Loaded
    study_codes: dict[str, set[str]] = field(default_factory=dict)  # work_id -> code paths
    code_studies: dict[str, set[str]] = field(default_factory=dict)  # code path -> work_ids
    labels: dict[str, str] = field(default_factory=dict)  # coded work_id -> citation
    keys: dict[str, str] = field(default_factory=dict)  # coded work_id -> BibTeX key

    def __post_init__(self) -> None:
        study_codes: dict[str, set[str]] = defaultdict(set)
        code_studies: dict[str, set[str]] = defaultdict(set)
        for seg in self.loaded.segments:
            study_codes[seg.work_id].add(seg.code_path)
            code_studies[seg.code_path].add(seg.work_id)
        self.study_codes = dict(study_codes)
        self.code_studies = dict(code_studies)
        coded = [self.works[w].cited() for w in self.coded()]
        self.labels = citations.assign(coded)
        self.keys = citations.bibtex_keys(coded)

    def coded(self) -> list[str]:
        """Coded work_ids, by year then citation."""
        return sorted(self.study_codes, key=self._order)

    def _order(self, wid: str) -> tuple[int, str, str]:
        w = self.works[wid]
        year, name = citations.sort_key(citations.base_label(w.cited()), w.year)
        return year, name, fold(w.title)

    def studies(self, entries: list[Activity] | list[ActorType] | list[Activity | ActorType]) -> set[str]:
        found: set[str] = set()
        for entry in entries:
            found |= self.code_studies.get(entry.code, set())
        return found

    def refs(self, work_ids: set[str]) -> list[str]:
        years = {w: self.works[w].year for w in work_ids}
        return citations.ordered(self.labels, years, work_ids)

    def codes(self) -> list[Activity | ActorType]:
        return [*self.book.activities, *self.book.actors]


def type_letter(book: Codebook, type_key: str) -> str:
    """'physical' -> 'P', 'institutional' -> 'I' (the whole key if two types share a letter)."""
    letters = [t[:1].upper() for t in book.types]
    letter = type_key[:1].upper()
    return letter if letters.count(letter) == 1 else type_key


def table1(c: Coding) -> list[Row]:
    """Distinct studies per actor type, by sector (codebook order), most studies first."""
    rows: list[Row] = []
    for sector in dict.fromkeys(a.sector for a in c.book.actors):
        actors = [a for a in c.book.actors if a.sector == sector]
        counted = [(len(c.studies([a])), a.name) for a in actors]
        for n, name in sorted(counted, key=lambda t: (-t[0], fold(t[1]))):
            rows.append({"sector": sector, "actor_type": name, "studies": n})
    return rows


def table2(c: Coding) -> list[Row]:
    """The taxonomy with distinct studies per type, category and activity. A row with an empty
    activity is its category's total, one with empty category and activity its type's total."""
    rows: list[Row] = []
    for type_key in c.book.types:
        acts = [a for a in c.book.activities if a.type == type_key]
        rows.append({"type": type_key, "category": "", "activity": "", "studies": len(c.studies(acts))})
        for category in dict.fromkeys(a.category for a in acts):
            in_cat = [a for a in acts if a.category == category]
            rows.append({"type": type_key, "category": category, "activity": "", "studies": len(c.studies(in_cat))})
            for act in in_cat:
                rows.append(
                    {"type": type_key, "category": category, "activity": act.name, "studies": len(c.studies([act]))}
                )
    return rows


def table_a1(c: Coding) -> list[Row]:
    """Activity, P/I and the studies that observe it (author-year, by year then name)."""
    return [
        {
            "activity": act.name,
            "type": type_letter(c.book, act.type),
            "references": "; ".join(c.refs(c.studies([act]))),
        }
        for act in c.book.activities
    ]


def matrix(c: Coding) -> tuple[list[str], list[list[object]]]:
    """Coded studies x codebook codes, 1 when the study has at least one segment with the code."""
    codes = c.codes()
    header = ["work_id", "citation", *(e.code for e in codes)]
    rows: list[list[object]] = []
    for wid in c.coded():
        have = c.study_codes[wid]
        rows.append([wid, c.labels[wid], *(1 if e.code in have else 0 for e in codes)])
    return header, rows


def cooccurrence(c: Coding) -> tuple[list[str], list[list[object]]]:
    """Code x code: studies coded with both (the diagonal: studies coded with the code)."""
    codes = c.codes()
    header = ["code", *(e.code for e in codes)]
    rows: list[list[object]] = []
    for a in codes:
        sa = c.code_studies.get(a.code, set())
        rows.append([a.code, *(len(sa & c.code_studies.get(b.code, set())) for b in codes)])
    return header, rows


def uncoded(c: Coding, labels: dict[str, str]) -> list[Row]:
    """Included studies that no segment codes (``labels``: citations over the included set)."""
    return [
        {
            "work_id": wid,
            "citation": labels.get(wid, ""),
            "title": c.works[wid].title or "",
            "file": c.included.files.get(wid) or "",
        }
        for wid in c.included.work_ids
        if wid not in c.study_codes
    ]


def row_studies(c: Coding) -> list[Row]:
    """Which studies stand behind each table row (for tracing a count back to its segments)."""
    rows: list[Row] = []

    def add(table: str, row: str, wids: set[str]) -> None:
        ordered = sorted(wids, key=c._order)
        rows.append(
            {
                "table": table,
                "row": row,
                "studies": len(ordered),
                "work_ids": "; ".join(ordered),
                "references": "; ".join(c.labels[w] for w in ordered),
            }
        )

    for actor in c.book.actors:
        add("table1", f"{actor.sector}/{actor.name}", c.studies([actor]))
    for type_key in c.book.types:
        acts = [a for a in c.book.activities if a.type == type_key]
        add("table2", type_key, c.studies(acts))
        for category in dict.fromkeys(a.category for a in acts):
            add("table2", f"{type_key}/{category}", c.studies([a for a in acts if a.category == category]))
    for act in c.book.activities:
        add("tableA1", act.name, c.studies([act]))
    return rows


def summary(c: Coding) -> list[Row]:
    """Counts for the funnel and the audit (``coded_studies`` is the funnel's ``coded``)."""
    segs = c.loaded.segments
    with_activity = {s.work_id for s in segs if isinstance(s.code, Activity)}
    with_actor = {s.work_id for s in segs if isinstance(s.code, ActorType)}
    measures: list[tuple[str, int]] = [
        ("segment_files", len(c.loaded.files)),
        ("segments", len(segs)),
        ("segments_activity", sum(isinstance(s.code, Activity) for s in segs)),
        ("segments_actor", sum(isinstance(s.code, ActorType) for s in segs)),
        ("segments_ignored", c.loaded.ignored),
        ("included_studies", len(c.included.work_ids)),
        ("coded_studies", len(c.study_codes)),
        ("coded_with_activity", len(with_activity)),
        ("coded_with_actor", len(with_actor)),
        ("included_not_coded", sum(1 for w in c.included.work_ids if w not in c.study_codes)),
        ("table1_mentions", sum(len(c.studies([a])) for a in c.book.actors)),
    ]
    return [{"measure": m, "value": v} for m, v in measures]


def resolved_segments(c: Coding) -> list[Row]:
    """Every segment with the work and code it was resolved to, and where it came from."""
    return [
        {
            "work_id": s.work_id,
            "citation": c.labels[s.work_id],
            "code": s.code_path,
            "segment": s.segment or "",
            "page": s.page or "",
            "coder": s.coder or "",
            "provenance": s.provenance or "",
            "study": s.study,
            "source_file": s.source,
            "source_line": s.line,
        }
        for s in c.loaded.segments
    ]
