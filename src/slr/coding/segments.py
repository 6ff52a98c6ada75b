"""Coded segments: the researchers' coding, read from our CSV/XLSX layout or a MAXQDA export.

Our layout (``data/coded/segments.csv``): ``study, doi, title, year, code, segment, page, coder,
provenance``. ``code`` is a codebook path, ``activity/<category>/<activity>`` or
``actor/<sector>/<actor type>``; ``study`` a work_id (or alias) or a citation; ``doi`` and
``title`` + ``year`` identify the work when ``study`` is empty or unknown.

MAXQDA's "export coded segments" table (Excel or CSV; MAXQDA 2018 to 2024, English or German
headers): ``Color, Document group, Document name, Code, [Code alias,] Beginning, End,
Weight score, Segment, [Comment,] Author | Created by, [Modified by, Modified,] Created, [Area,
Coverage %]`` plus any document variables. ``Document name`` is the PDF's file name without
extension (matched through the full-text links) or a citation; ``Code`` is a path through the
code system, separated by ``\\`` (older versions) or `` > `` (2020 and later); for PDF documents
``Beginning``/``End`` are page numbers. The first element of the path (the code system's top
code) says what kind of code it is through a root mapping (``Activities`` -> activity,
``Anchors`` -> actor, ...; ``ignore`` for top codes that are not part of the codebook).

Every row must name a known code and a work in the included set; otherwise the run stops with
one message that lists each bad row (file and line). The levels between a code's root and its
leaf must be where the codebook files the leaf: its category or anchoring type (an activity), its
sector (an actor type); an unknown or another level is a bad row, never refiled by the leaf.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from slr.codebook import Activity, ActorType, Codebook
from slr.errors import InputError
from slr.records import fold, normalise_doi

from .sheets import Sheet, fold_header, read_sheet
from .studies import StudyIndex

KINDS = ("activity", "actor", "ignore")

DEFAULT_ROOTS: dict[str, str] = {
    "activity": "activity",
    "activities": "activity",
    "anchoring activities": "activity",
    "actor": "actor",
    "actors": "actor",
    "anchors": "actor",
    "actor types": "actor",
}

# Our layout: folded header -> field.
OWN_COLUMNS = {
    "study": "study",
    "work_id": "study",
    "doi": "doi",
    "title": "title",
    "year": "year",
    "code": "code",
    "segment": "segment",
    "page": "page",
    "coder": "coder",
    "provenance": "provenance",
}

# MAXQDA export, English and German headers: folded header -> field.
MAXQDA_COLUMNS = {
    "document name": "document",
    "dokumentname": "document",
    "document group": "group",
    "dokumentgruppe": "group",
    "code": "code",
    "segment": "segment",
    "beginning": "begin",
    "begin": "begin",
    "anfang": "begin",
    "end": "end",
    "ende": "end",
    "comment": "comment",
    "kommentar": "comment",
    "created by": "coder",
    "erstellt von": "coder",
    "author": "author",
    "autor": "author",
    "modified by": "modifier",
    "geändert von": "modifier",
    "created": "created",
    "erstellt am": "created",
    "erstellt": "created",
    "weight score": "weight",
    "gewicht": "weight",
}


@dataclass(frozen=True)
class Segment:
    work_id: str
    code: Activity | ActorType
    segment: str | None
    page: str | None
    coder: str | None
    provenance: str | None
    study: str  # as the file names it
    source: str
    line: int

    @property
    def code_path(self) -> str:
        return self.code.code


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str
    fix: str


@dataclass
class Loaded:
    segments: list[Segment] = field(default_factory=list)
    files: list[tuple[str, str, int]] = field(default_factory=list)  # (path, layout, segment rows)
    ignored: int = 0  # MAXQDA rows under a root mapped to "ignore"


def parse_roots(pairs: Iterable[str]) -> dict[str, str]:
    """['Activities=activity', 'Memos=ignore'] -> folded root -> kind, over the defaults."""
    roots = dict(DEFAULT_ROOTS)
    for pair in pairs:
        name, sep, kind = pair.partition("=")
        kind = kind.strip().casefold()
        if not sep or not name.strip() or kind not in KINDS:
            raise ValueError(f"{pair!r}: expected ROOT=KIND with KIND one of {', '.join(KINDS)}")
        roots[fold(name)] = kind
    return roots


def _layout(header: list[str]) -> str | None:
    names = set(header)
    if ("document name" in names or "dokumentname" in names) and "code" in names:
        return "maxqda"
    if "code" in names and names & {"study", "work_id", "doi", "title"}:
        return "segments"
    return None


def _split_path(code: str, layout: str) -> list[str]:
    if layout == "maxqda":
        if "\\" in code:
            parts = code.split("\\")
        elif ">" in code:
            parts = re.split(r"\s*>\s*", code)
        else:
            parts = [code]
    else:
        parts = re.split(r"[/\\]", code)
    return [" ".join(p.split()) for p in parts if p.strip()]


class _Resolver:
    def __init__(self, book: Codebook, roots: Mapping[str, str]):
        self.book = book
        self.roots = roots
        self.categories = {fold(c): c for c in book.categories}
        self.types = {fold(t): t for t in book.types} | {fold(v["label"]): t for t, v in book.types.items()}
        self.sectors = {fold(a.sector): a.sector for a in book.actors}

    def code(self, raw: str, layout: str) -> tuple[Activity | ActorType | None, str | None, str]:
        """(entry, None, "") or (None, problem, fix); (None, None, "ignore") for ignored roots."""
        parts = _split_path(raw, layout)
        if not parts:
            return None, "the code is empty", "give every row a code"
        root = fold(parts[0])
        kind = self.roots.get(root)
        if kind is None:
            known = sorted({k for k, v in self.roots.items() if v != "ignore"})
            fix = (
                f"start the code with one of: {', '.join(known)}"
                if layout == "segments"
                else f"map it with --maxqda-root '{parts[0]}=activity|actor|ignore'"
            )
            return None, f"code {raw!r}: its top level {parts[0]!r} is not a known code root", fix
        if kind == "ignore":
            return None, None, "ignore"
        rest = parts[1:]
        if not rest:
            return None, f"code {raw!r} names only the root, not an {kind}", "code the segment with the leaf code"
        # A name may itself contain the separator ("Annoy / Tease"): try the longest tail that names
        # a code (names are compared folded, so the separator's place does not matter).
        for i in range(len(rest)):
            leaf = " ".join(rest[i:])
            entry = self.book.activity(leaf) if kind == "activity" else self.book.actor(leaf)
            if entry is not None:
                problem = self._check_levels(entry, rest[:i], raw)
                if problem:
                    return None, problem, "file the code under its codebook category, or fix the codebook"
                return entry, None, ""
        what = "activity" if kind == "activity" else "actor type"
        return (
            None,
            f"unknown {what} {rest[-1]!r} in code {raw!r}",
            f"use an {what} of config/codebook.yaml or add this wording as an alias there",
        )

    def _check_levels(self, entry: Activity | ActorType, levels: Sequence[str], raw: str) -> str | None:
        for level in levels:
            key = fold(level)
            if isinstance(entry, Activity):
                if key in self.categories and self.categories[key] != entry.category:
                    return (
                        f"code {raw!r} files {entry.name!r} under category {level!r}, "
                        f"the codebook under {entry.category!r}"
                    )
                if key in self.types and self.types[key] != entry.type:
                    return f"code {raw!r} files {entry.name!r} under {level!r}, the codebook under {entry.type!r}"
                if key not in self.categories and key not in self.types:
                    return (
                        f"code {raw!r} files {entry.name!r} under {level!r}, which is no category or anchoring type "
                        f"of the codebook (the codebook files it under {entry.category!r})"
                    )
            elif key not in self.sectors:
                return (
                    f"code {raw!r} files {entry.name!r} under {level!r}, which is no sector of the codebook "
                    f"(the codebook files it under {entry.sector!r})"
                )
            elif self.sectors[key] != entry.sector:
                return f"code {raw!r} files {entry.name!r} under sector {level!r}, the codebook under {entry.sector!r}"
        return None


def _study(index: StudyIndex, fields: Mapping[str, str | None], layout: str) -> tuple[set[str], str, str]:
    """(work_ids, how the row names the study, problem) - problem empty when one work was found."""
    tried: list[tuple[str, set[str]]] = []
    if layout == "maxqda":
        name = fields.get("document") or ""
        shown = name
        if name:
            tried.append((f"document {name!r}", index.by_file(name)))
            tried.append((f"document {name!r} as work_id", index.by_id(name)))
            tried.append((f"document {name!r} as citation", index.by_citation(name)))
    else:
        study, doi, title, year = (fields.get(k) or "" for k in ("study", "doi", "title", "year"))
        shown = study or doi or title
        if study:
            tried.append((f"study {study!r}", index.by_id(study)))
            if not doi and normalise_doi(study):
                tried.append((f"study {study!r} as DOI", index.by_doi(study)))
        if doi:
            tried.append((f"doi {doi!r}", index.by_doi(doi)))
        if title:
            tried.append((f"title {title[:60]!r}" + (f" ({year})" if year else ""), index.by_title(title, year)))
        if study:
            tried.append((f"study {study!r} as citation", index.by_citation(study)))
    if not tried:
        what = "Document name" if layout == "maxqda" else "study, doi or title"
        return set(), "", f"the row names no study (empty {what})"
    found = [(how, hits) for how, hits in tried if hits]
    if not found:
        return set(), shown, f"unknown study {shown!r}: no work matches"
    unique = [(how, next(iter(hits))) for how, hits in found if len(hits) == 1]
    chosen = {wid for _, wid in unique}
    if len(chosen) > 1:
        detail = "; ".join(f"{how} -> {index.describe(wid)}" for how, wid in unique)
        return set(), shown, f"the row's identifiers name different works ({detail})"
    for how, hits in found:
        # An ambiguous identifier is fine when another one picks one of the works it names.
        if len(hits) > 1 and not (chosen and chosen <= hits):
            names = ", ".join(sorted(index.describe(w) for w in hits))
            problem = f"{how} is ambiguous: it names {names}"
            if chosen:
                problem += f", but the row's other identifiers name {index.describe(next(iter(chosen)))}"
            return set(), shown, problem
    return chosen, shown, ""


_STUDY_FIX = {
    "maxqda": "name the MAXQDA document as its PDF is named in links.csv (without .pdf), or by its citation",
    "segments": "use a work_id (or alias) from works.csv, the DOI, the title and year, or the citation",
}


def load(
    paths: Sequence[str | Path],
    book: Codebook,
    index: StudyIndex,
    roots: Mapping[str, str] | None = None,
) -> Loaded:
    """Read every file; return the resolved segments or raise one InputError listing every bad row."""
    resolver = _Resolver(book, roots or DEFAULT_ROOTS)
    loaded = Loaded()
    problems: list[Problem] = []
    for path in paths:
        sheet = read_sheet(path, lambda header: _layout(header) is not None)
        layout = _layout([fold_header(h) for h in sheet.header])
        assert layout is not None
        n = _read_rows(sheet, layout, resolver, index, loaded, problems)
        loaded.files.append((str(path), layout, n))
    if problems:
        raise _combined(problems)
    return loaded


def _read_rows(
    sheet: Sheet,
    layout: str,
    resolver: _Resolver,
    index: StudyIndex,
    loaded: Loaded,
    problems: list[Problem],
) -> int:
    columns = OWN_COLUMNS if layout == "segments" else MAXQDA_COLUMNS
    mapping = {h: columns[fold_header(h)] for h in sheet.header if fold_header(h) in columns}
    n = 0
    for line, row in sheet.rows:
        fields: dict[str, str | None] = {}
        for header, name in mapping.items():
            if fields.get(name) is None:
                fields[name] = row.get(header)
        code_text = fields.get("code") or ""
        entry, problem, fix = resolver.code(code_text, layout)
        if fix == "ignore":
            loaded.ignored += 1
            continue
        work_ids, shown, study_problem = _study(index, fields, layout)
        if problem:
            problems.append(Problem(str(sheet.path), line, problem, fix))
        if study_problem:
            problems.append(Problem(str(sheet.path), line, study_problem, _STUDY_FIX[layout]))
        if problem or study_problem or entry is None:
            continue
        wid = next(iter(work_ids))
        if wid not in index.included_set:
            why = "hits.csv marks it not included" if wid in index.included.excluded else "it is not in hits.csv"
            problems.append(
                Problem(
                    str(sheet.path),
                    line,
                    f"study {shown!r} is {index.describe(wid)}, which is coded but not in the included set ({why})",
                    "code only the included studies, or check the full-text search (hits.csv)",
                )
            )
            continue
        n += 1
        loaded.segments.append(_segment(wid, entry, fields, layout, shown, sheet, line))
    return n


def _segment(
    wid: str,
    entry: Activity | ActorType,
    fields: Mapping[str, str | None],
    layout: str,
    shown: str,
    sheet: Sheet,
    line: int,
) -> Segment:
    page: str | None
    provenance: str | None
    if layout == "maxqda":
        begin, end = fields.get("begin"), fields.get("end")
        page = begin if not end or end == begin else f"{begin}-{end}"
        coder = fields.get("coder") or fields.get("author") or fields.get("modifier")
        provenance = f"MAXQDA export {sheet.path.name}" + (
            f", created {fields['created']}" if fields.get("created") else ""
        )
    else:
        page, coder, provenance = fields.get("page"), fields.get("coder"), fields.get("provenance")
    return Segment(wid, entry, fields.get("segment"), page, coder, provenance, shown, str(sheet.path), line)


def _combined(problems: list[Problem]) -> InputError:
    first = problems[0]
    count = Counter(p.fix for p in problems)
    fix = first.fix if len(count) == 1 else "correct each row listed (codes: config/codebook.yaml; studies: works.csv)"
    problem = first.message
    if len(problems) > 1:
        rest = "; ".join(f"{p.path}:{p.line}: {p.message}" for p in problems[1:])
        problem = f"{first.message} ({len(problems)} bad rows in all; also {rest})"
    return InputError(first.path, problem, fix, line=first.line)
