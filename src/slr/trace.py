"""``slr trace QUERY``: the whole path of one work through the review.

A query is a work_id or alias, a DOI, an accession number (Scopus EID, WoS UT) or
words of the title. For the work found it shows its records (export file and line),
the merges that made it (pairs.csv), every decision about it with its code file and
row, the funnel stages it reached, its PDF link and status, the anchor search hits
and the codes assigned to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from slr.audit import Context
from slr.config import section
from slr.decisions import WorkIndex, read_codes
from slr.errors import UsageError
from slr.funnel import records_files
from slr.records import fold, iter_records, normalise_doi
from slr.results import read_table
from slr.spreadsheet import read_sheet

MAX_DETAILED = 5


def find(index: WorkIndex, query: str) -> list[str]:
    """Work ids for a query: an identifier first, else every work whose title holds all its words."""
    text = query.strip()
    if not text:
        return []
    found = index.resolve(text)
    if not found and normalise_doi(text):
        found = index.by_doi(text)
    if found:
        return sorted(found)
    words = fold(text).split()
    if not words:
        return []
    hits = []
    for wid, work in index.works.items():
        title = f" {fold(work.get('title'))} "
        if all(f" {w} " in title or (len(w) > 3 and w in title) for w in words):
            hits.append(wid)
    return sorted(hits, key=lambda w: (fold(index.works[w].get("title")), w))


def _fmt(row: Mapping[str, Any], skip: tuple[str, ...] = ()) -> str:
    return ", ".join(f"{k}={v}" for k, v in row.items() if v is not None and k not in skip)


def describe(ctx: Context, work_id: str) -> list[str]:
    assert ctx.index is not None
    work = ctx.index.works[work_id]
    out = [f"work {work_id}", f"  title:    {work.get('title')}"]
    authors = "; ".join(work.get("authors") or [])
    out.append(f"  authors:  {authors}")
    out.append(
        f"  year:     {work.get('year') or '-'}   journal: {work.get('journal') or '-'}   doi: {work.get('doi') or '-'}"
    )
    out.append(
        f"  searches: {', '.join(work.get('searches') or [])}   databases: {', '.join(work.get('databases') or [])}"
    )
    if work.get("aliases"):
        out.append(f"  aliases:  {', '.join(work['aliases'])}")

    members = set(work.get("members") or [])
    out.append("records:")
    found = 0
    records_dir = ctx.path("records_dir")
    for search in ctx.searches:
        current = ctx.records_files(search)
        for path in records_files(records_dir, search) if current is None else current:
            for rec in iter_records(path):
                if rec["record_id"] in members:
                    found += 1
                    out.append(
                        f"  {rec['record_id']} [{rec['database']}, {rec['search']}] "
                        f"{rec['source_file']}:{rec['source_line']} (in {path})"
                    )
    if not found:
        out.append(f"  members {', '.join(sorted(members)) or '(none)'}; no records files read")

    if ctx.exists("pairs"):
        pairs = read_table(ctx.path("pairs"), ("record_id_a", "record_id_b", "decision"))
        rows = [
            (r, line)
            for r, line in zip(pairs.rows, pairs.lines, strict=True)
            if r.get("record_id_a") in members or r.get("record_id_b") in members
        ]
        out.append("merges (pairs.csv):")
        out.extend(f"  {pairs.path}:{line} {_fmt(r)}" for r, line in rows)
        if not rows:
            out.append("  none: the work has one record or merged by identical accession")

    out.append("decisions:")
    n_dec = 0
    for label, files in _code_files(ctx):
        for path in ctx.existing(files):
            code_file = read_codes(path)
            for row in code_file.rows:
                if ctx.index.match(row.cells).work_id == work_id:
                    n_dec += 1
                    values = {
                        k: v
                        for k, v in row.cells.items()
                        if k not in ("title", "abstract", "authors", "journal", "doi", "year", "record_ids")
                    }
                    out.append(f"  {label}: {row.source} {_fmt(values)}")
    overrides = Path("data/coded/dedup_overrides.csv")
    if overrides.is_file():
        table = read_table(overrides, ("record_id_a", "record_id_b", "decision"))
        for r, line in zip(table.rows, table.lines, strict=True):
            if r.get("record_id_a") in members or r.get("record_id_b") in members:
                n_dec += 1
                out.append(f"  dedup override: {overrides}:{line} {_fmt(r)}")
    for key in ("pilot", "screened", "availability"):
        if ctx.exists(key):
            table = read_table(ctx.path(key), ("work_id",))
            for r, line in zip(table.rows, table.lines, strict=True):
                if r.get("work_id") == work_id:
                    out.append(f"  -> {ctx.path(key)}:{line} {_fmt(r, ('work_id',))}")
    if not n_dec:
        out.append("  no coded decision")

    out.append("funnel:")
    for stage in ctx.stages:
        if stage.members is not None:
            out.append(f"  {'yes' if work_id in stage.members else 'no ':<3} {stage.name}")
        elif stage.count is None and not stage.name.startswith("identified_"):
            out.append(f"  ... {stage.name} (pending)")

    out.append("full text:")
    pdf_files: list[str] = []
    if ctx.exists("links"):
        for r in read_table(ctx.path("links"), ("work_id", "file")).rows:
            if r.get("work_id") == work_id:
                pdf_files.append(r.get("file") or "")
                out.append(f"  linked: {_fmt(r, ('work_id',))}")
    if ctx.exists("manifest") and pdf_files:
        names = set(pdf_files) | {Path(f).name for f in pdf_files}
        for r in read_table(ctx.path("manifest"), ("file", "status")).rows:
            if r.get("file") in names or Path(r.get("file") or "").name in names:
                out.append(f"  pdf: {_fmt(r)}")
    if ctx.exists("hits"):
        for r in read_table(ctx.path("hits"), ("work_id",)).rows:
            if r.get("work_id") == work_id:
                out.append(f"  search: {_fmt(r, ('work_id',))}")
    if len(out) and out[-1] == "full text:":
        out.append("  nothing yet")

    out.append("codes:")
    n_codes = 0
    for segments in _segment_files(ctx):
        sheet = read_sheet(segments)
        if "study" not in sheet.columns or "code" not in sheet.columns:
            out.append(f"  {segments}: no study/code columns (a MAXQDA export is mapped by `slr tables`)")
            continue
        for seg in sheet.rows:
            study = seg.cells.get("study")
            if study is not None and work_id in ctx.index.resolve(str(study)):
                n_codes += 1
                page = seg.cells.get("page")
                out.append(f"  {segments}:{seg.row} {seg.cells.get('code')}" + (f" (p. {page})" if page else ""))
    if not n_codes:
        out.append("  none")
    return out


def _segment_files(ctx: Context) -> list[Path]:
    """Coded-segment files: the config's `coding.segments` (a path or a list) or the default."""
    value = section(ctx.config, "coding", "segments")
    if value is None:
        paths = [Path("data/coded/segments.csv")]
    elif isinstance(value, str):
        paths = [Path(value)]
    elif isinstance(value, list):
        paths = [Path(str(v)) for v in value]
    else:
        paths = []
    return [p for p in paths if p.is_file()]


def _code_files(ctx: Context) -> list[tuple[str, list[Path]]]:
    out = []
    for stage in ("pilot", "abstract"):
        for key in ("codes", "second_coder", "reconciled"):
            files = ctx.code_files("screening", stage, key)
            if files:
                out.append((f"{stage} {key}".replace(" codes", ""), files))
    files = ctx.code_files("availability", "codes")
    if files:
        out.append(("availability", files))
    return out


def trace(ctx: Context, query: str) -> str:
    if ctx.index is None:
        raise UsageError(f"{ctx.path('works')} does not exist yet: run the pipeline up to `slr dedupe` first")
    ids = find(ctx.index, query)
    if not ids:
        raise UsageError(f"no work matches {query!r} (tried work_id, alias, DOI, accession number and title words)")
    lines: list[str] = []
    if len(ids) > MAX_DETAILED:
        lines.append(f"{len(ids)} works match {query!r}; give more words or an identifier:")
        lines.extend(f"  {ctx.title(w)}" for w in ids)
        return "\n".join(lines) + "\n"
    for i, wid in enumerate(ids):
        if i:
            lines.append("")
        lines.extend(describe(ctx, wid))
    return "\n".join(lines) + "\n"
