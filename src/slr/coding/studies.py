"""The works a coder can mean, the included set, and how to find the one a coded row names.

Inputs (file contracts in docs/architecture.md): ``results/works.csv`` (bibliographic data and
``aliases``), ``results/fulltext/hits.csv`` (``included``) and, for MAXQDA document names,
``results/fulltext/links.csv`` (which PDF belongs to which work).

A study is identified by, in this order: a work_id or one of its aliases; a DOI; a folded title
plus year; an author-year citation ("Costa and Ferrão 2010a", computed over the included studies)
or the BibTeX key Appendix C gives it; for MAXQDA rows also the PDF file name without extension.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from slr.errors import InputError
from slr.records import fold, normalise_doi, normalise_year

from . import citations
from .citations import Cited

TRUE = {"yes", "y", "1", "true", "included", "x"}
FALSE = {"no", "n", "0", "false", "excluded"}


@dataclass(frozen=True)
class Work:
    work_id: str
    title: str | None
    authors: tuple[str, ...]
    year: int | None
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    doc_type: str | None = None
    aliases: tuple[str, ...] = ()

    def cited(self) -> Cited:
        return Cited(self.work_id, self.authors, self.year, self.title)


def _read_csv(path: Path, required: Iterable[str], what: str, fix: str) -> list[tuple[int, dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(path, f"no such file (the {what})", fix) from None
    except UnicodeDecodeError:
        raise InputError(path, f"the {what} is not UTF-8", fix) from None
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = reader.fieldnames or []
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(path, f"not the {what}: missing column(s) {', '.join(missing)}", fix, line=1)
    rows: list[tuple[int, dict[str, str]]] = []
    start = 2
    for row in reader:
        rows.append((start, {k: (v or "").strip() for k, v in row.items() if k is not None}))
        start = reader.line_num + 1
    return rows


def _opt(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def load_works(path: str | Path) -> dict[str, Work]:
    p = Path(path)
    fix = "pass the works.csv written by `slr dedupe`"
    works: dict[str, Work] = {}
    for line, row in _read_csv(p, ("work_id", "title", "authors", "year"), "works table", fix):
        wid = row["work_id"]
        if not wid:
            raise InputError(p, "a work without work_id", fix, line=line)
        if wid in works:
            raise InputError(p, f"work_id {wid} appears twice", fix, line=line)
        year = normalise_year(row["year"]) if row["year"] else None
        if row["year"] and year is None:
            raise InputError(p, f"year {row['year']!r} is not a year", fix, line=line)
        works[wid] = Work(
            work_id=wid,
            title=_opt(row.get("title")),
            authors=tuple(a.strip() for a in row["authors"].split(";") if a.strip()),
            year=year,
            journal=_opt(row.get("journal")),
            volume=_opt(row.get("volume")),
            issue=_opt(row.get("issue")),
            pages=_opt(row.get("pages")),
            doi=normalise_doi(row.get("doi")),
            doc_type=_opt(row.get("doc_type")),
            aliases=tuple(a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()),
        )
    return works


def truth(value: str) -> bool | None:
    v = value.strip().casefold()
    if v in TRUE:
        return True
    if v in FALSE:
        return False
    return None


@dataclass
class Included:
    """The included studies (in hits.csv order) and the PDF each was found in."""

    work_ids: list[str]
    files: dict[str, str | None]
    excluded: set[str] = field(default_factory=set)


def load_included(path: str | Path, works: dict[str, Work]) -> Included:
    p = Path(path)
    fix = "pass the hits.csv written by `slr fulltext search`"
    inc = Included([], {})
    for line, row in _read_csv(p, ("work_id", "included"), "full-text hits table", fix):
        wid = row["work_id"]
        if not wid:
            continue  # a PDF that matched no work; the full-text stage reports it
        if not (row["included"] or "").strip():
            continue  # pending: the PDF is not readable yet, so the work is neither in nor out
        flag = truth(row["included"])
        if flag is None:
            raise InputError(p, f"included={row['included']!r} is not yes/no", fix, line=line)
        if wid not in works:
            raise InputError(
                p, f"work {wid} is not in the works table", "run dedupe and the full-text stage again", line=line
            )
        if flag and wid not in inc.files:
            inc.work_ids.append(wid)
            inc.files[wid] = _opt(row.get("file"))
        elif not flag:
            inc.excluded.add(wid)
    return inc


def load_links(path: str | Path, works: dict[str, Work]) -> dict[str, list[str]]:
    """PDF file stem -> work_ids linked to it (usually one)."""
    p = Path(path)
    fix = "pass the links.csv written by `slr fulltext link`"
    stems: dict[str, list[str]] = defaultdict(list)
    for line, row in _read_csv(p, ("work_id", "file"), "full-text links table", fix):
        wid, file = row["work_id"], row["file"]
        if not wid or not file:
            continue
        if wid not in works:
            raise InputError(p, f"work {wid} is not in the works table", "run `slr fulltext link` again", line=line)
        stem = Path(file.replace("\\", "/")).stem
        if wid not in stems[stem]:
            stems[stem].append(wid)
    return dict(stems)


class StudyIndex:
    """Every way a coded row may name a work, each mapped to the work_ids it could mean."""

    def __init__(self, works: dict[str, Work], included: Included, links: dict[str, list[str]] | None = None):
        self.works = works
        self.included = included
        self.included_set = set(included.work_ids)
        self._ids: dict[str, set[str]] = defaultdict(set)
        self._dois: dict[str, set[str]] = defaultdict(set)
        self._titles: dict[tuple[str, int | None], set[str]] = defaultdict(set)
        for w in works.values():
            self._ids[w.work_id].add(w.work_id)
            for alias in w.aliases:
                self._ids[alias].add(w.work_id)
            if w.doi:
                self._dois[w.doi].add(w.work_id)
            if w.title:
                self._titles[(fold(w.title), w.year)].add(w.work_id)
        self._files: dict[str, set[str]] = defaultdict(set)
        self._files_folded: dict[str, set[str]] = defaultdict(set)
        for stem, wids in (links or {}).items():
            self._files[stem].update(wids)
            self._files_folded[fold(stem)].update(wids)
        # Citation labels are computed over the included studies (so "2010a/b" means what the
        # tables will print), then over all works to explain "coded but not included".
        self.included_labels = citations.assign(works[w].cited() for w in included.work_ids)
        self._cites_included = self._citation_index(self.included_labels, [works[w] for w in included.work_ids])
        all_labels = citations.assign(w.cited() for w in works.values())
        self._cites_all = self._citation_index(all_labels, list(works.values()))

    @staticmethod
    def _citation_index(labels: dict[str, str], works: list[Work]) -> dict[str, set[str]]:
        index: dict[str, set[str]] = defaultdict(set)
        for wid, label in labels.items():
            index[citations.match_key(label)].add(wid)
        # The bare label ("Costa and Ferrão 2010") names every study that shares it.
        for w in works:
            index[citations.match_key(citations.base_label(w.cited()))].add(w.work_id)
        for wid, key in citations.bibtex_keys(w.cited() for w in works).items():
            index[key.casefold()].add(wid)
        return index

    def by_id(self, value: str) -> set[str]:
        return set(self._ids.get(value.strip(), ()))

    def by_doi(self, value: str) -> set[str]:
        doi = normalise_doi(value)
        return set(self._dois.get(doi, ())) if doi else set()

    def by_title(self, title: str, year: str | None) -> set[str]:
        y = normalise_year(year) if year else None
        hits = set(self._titles.get((fold(title), y), ()))
        if not hits and y is None:
            hits = {wid for (t, _), wids in self._titles.items() if t == fold(title) for wid in wids}
        return hits

    def by_citation(self, value: str) -> set[str]:
        for index in (self._cites_included, self._cites_all):
            hits = index.get(citations.match_key(value)) or index.get(value.strip().casefold())
            if hits:
                return set(hits)
        return set()

    def by_file(self, name: str) -> set[str]:
        stem = name.strip()
        for candidate in (stem, Path(stem.replace("\\", "/")).stem):
            if candidate in self._files:
                return set(self._files[candidate])
        return set(self._files_folded.get(fold(Path(stem.replace("\\", "/")).stem), ()))

    def describe(self, work_id: str) -> str:
        w = self.works[work_id]
        label = self.included_labels.get(work_id) or citations.base_label(w.cited())
        return f"{label} ({work_id})"
