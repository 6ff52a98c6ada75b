"""The inclusion funnel, counted from the result files of each stage.

Every number is computed from data: records per search and database, unique works
per search, the pilot sample, the screening decisions, the availability codes, the
PDF links and statuses, the anchor search hits and the coded studies. A stage whose
input file does not exist yet is *pending* (written as ``pending``), never 0.
Each stage also keeps its set of work_ids (for the audit and ``slr trace``) and the
reasons that explain the works of the previous stage that did not reach it.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slr.decisions import BadValue, parse_flag
from slr.errors import InputError
from slr.records import iter_records
from slr.results import Table, read_table, read_works

PENDING = "pending"
FUNNEL_COLUMNS = ("stage", "count", "expected")
REASON_COLUMNS = ("stage", "reason", "count")
DATABASE_ORDER = ("scopus", "wos", "other")


@dataclass
class Stage:
    name: str
    count: int | None  # None = pending
    expected: int | None = None
    reasons: dict[str, int] = field(default_factory=dict)
    members: set[str] | None = None  # work_ids (None for record counts or pending)
    note: str | None = None

    @property
    def pending(self) -> bool:
        return self.count is None

    @property
    def difference(self) -> int | None:
        if self.count is None or self.expected is None:
            return None
        return self.count - self.expected


@dataclass
class FunnelInputs:
    """Where each stage's result file is; a path that does not exist makes its stages pending."""

    searches: Sequence[str]
    records_dir: Path | None = None
    # The records files of each search's current exports. When given for a search, only these count:
    # a records file left behind by an export that was removed or re-exported under another name is
    # ignored. A search not in the mapping counts every CSV in records_dir/<search>.
    records: Mapping[str, Sequence[Path]] | None = None
    works: Path | None = None
    pilot_search: str | None = None
    pilot: Path | None = None  # results/screening/pilot_screened.csv
    screened: Path | None = None  # results/screening/abstract_screened.csv
    availability: Path | None = None  # results/screening/availability.csv
    links: Path | None = None  # results/fulltext/links.csv
    manifest: Path | None = None  # results/fulltext/manifest.csv
    hits: Path | None = None  # results/fulltext/hits.csv
    coded: Path | None = None  # CSV with a work_id column, one row per coded study
    expected: Mapping[str, int] = field(default_factory=dict)


def _exists(path: Path | None) -> bool:
    return path is not None and Path(path).is_file()


def records_files(records_dir: Path, search: str) -> list[Path]:
    folder = Path(records_dir) / search
    return sorted(p for p in folder.glob("*.csv") if p.is_file()) if folder.is_dir() else []


def identified(records_dir: Path | None, search: str, files: Sequence[Path] | None = None) -> list[Stage]:
    """Distinct record_ids per database in the search's records files (``files``, else every
    CSV in ``records_dir/<search>``)."""
    if files is None:
        files = records_files(records_dir, search) if records_dir else []
    files = [Path(f) for f in files if Path(f).is_file()]
    if not files:
        return [Stage(f"identified_{search}", None, note="no records files yet (run `slr ingest`)")]
    ids: dict[str, set[str]] = {}
    for path in files:
        for rec in iter_records(path):
            if rec["record_id"]:
                ids.setdefault(rec["database"] or "other", set()).add(rec["record_id"])
    order = [db for db in DATABASE_ORDER if db in ids] + sorted(set(ids) - set(DATABASE_ORDER))
    return [Stage(f"identified_{search}_{db}", len(ids[db])) for db in order]


def _decisions(table: Table, what: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for row, line in zip(table.rows, table.lines, strict=True):
        if not row.get("work_id"):
            raise InputError(table.path, "a row has no work_id", f"write the {what} again", line=line)
        out[row["work_id"]] = row
    return out


def _screening_stage(name: str, path: Path, included_label: str | None = None) -> Stage:
    table = read_table(path, ("work_id", "decision", "reason"), what="screened file", made_by="`slr screening apply`")
    rows = _decisions(table, "screened file")
    included = {wid for wid, r in rows.items() if r["decision"] == "included"}
    reasons: Counter[str] = Counter()
    if included_label:
        reasons[included_label] = len(included)
    for r in rows.values():
        if r["decision"] == "excluded":
            reasons[(r.get("reason") or "no reason recorded").split(";")[0].strip()] += 1
        elif r["decision"] != "included":
            reasons[r["decision"] or "no decision"] += 1
    return Stage(name, len(included), reasons=dict(reasons), members=included)


def _ordered(tally: Counter[str]) -> dict[str, int]:
    """Reasons counted over a set of works, most common first, then by name: the same order
    in every run (a set's order changes from one process to the next)."""
    return dict(sorted(tally.items(), key=lambda item: (-item[1], item[0])))


def _flag(value: Any, path: Path, line: int, column: str) -> bool:
    try:
        return bool(parse_flag(value))
    except BadValue as exc:
        raise InputError(path, f"column {column!r} holds {value!r}", str(exc), line=line) from None


def load_works(inputs: FunnelInputs) -> list[dict[str, Any]] | None:
    """works.csv, or None when it does not exist yet."""
    return read_works(inputs.works) if inputs.works is not None and _exists(inputs.works) else None


def compute(inputs: FunnelInputs, works: list[dict[str, Any]] | None = None) -> list[Stage]:
    """All funnel stages in pipeline order, with expected counts attached. ``works``: the rows of
    ``inputs.works`` when the caller has read them already (see ``load_works``)."""
    stages: list[Stage] = []
    for search in inputs.searches:
        given = None if inputs.records is None else inputs.records.get(search)
        stages.extend(identified(inputs.records_dir, search, given))

    if works is None:
        works = load_works(inputs)
    for search in inputs.searches:
        if works is None:
            stages.append(Stage(f"{search}_unique", None, note="no works file yet (run `slr dedupe`)"))
        else:
            found = {w["work_id"] for w in works if search in w["searches"]}
            stages.append(Stage(f"{search}_unique", len(found), members=found))
        if search == inputs.pilot_search:
            if _exists(inputs.pilot):
                assert inputs.pilot is not None
                pilot = _screening_stage("pilot_sample", inputs.pilot, included_label="relevant")
                table = read_table(inputs.pilot, ("work_id",))
                pilot.members = {r["work_id"] for r in table.rows}
                pilot.count = len(pilot.members)
                stages.append(pilot)
            else:
                stages.append(Stage("pilot_sample", None, note="pilot not applied yet"))

    # Abstract screening
    if _exists(inputs.screened):
        assert inputs.screened is not None
        screened = _screening_stage("screened_included", inputs.screened)
    else:
        screened = Stage("screened_included", None, note="abstract screening not applied yet")
    stages.append(screened)

    # Availability of full texts
    retrieved_coded: set[str] | None = None
    not_retrieved = Stage("fulltext_not_retrieved", None, note="no availability codes applied yet")
    to_code: set[str] = set()
    if _exists(inputs.availability):
        assert inputs.availability is not None
        table = read_table(
            inputs.availability,
            ("work_id", "decision", "reason"),
            what="availability file",
            made_by="`slr screening availability`",
        )
        rows = _decisions(table, "availability file")
        wanted = screened.members if screened.members is not None else set(rows)
        nr = {wid for wid, r in rows.items() if r["decision"] == "not_retrieved" and wid in wanted}
        tally = Counter(rows[wid].get("reason") or "no reason recorded" for wid in nr)
        not_retrieved = Stage("fulltext_not_retrieved", len(nr), reasons=_ordered(tally), members=nr)
        retrieved_coded = {wid for wid, r in rows.items() if r["decision"] == "retrieved" and wid in wanted}
        to_code = {wid for wid, r in rows.items() if r["decision"] == "to_code" and wid in wanted}
        to_code |= wanted - set(rows)
    stages.append(not_retrieved)

    # Retrieved = coded retrieved and linked to a PDF
    pdfs: dict[str, list[str]] = {}
    if _exists(inputs.links):
        assert inputs.links is not None
        links = read_table(inputs.links, ("work_id", "file"), what="links file", made_by="`slr fulltext link`")
        for row in links.rows:
            if row.get("work_id") and row.get("file"):
                pdfs.setdefault(row["work_id"], []).append(row["file"])
    if retrieved_coded is None or not _exists(inputs.links):
        retrieved = Stage("fulltext_retrieved", None, note="needs availability codes and results/fulltext/links.csv")
    else:
        linked = {wid for wid in retrieved_coded if wid in pdfs}
        reasons: dict[str, int] = {}
        if retrieved_coded - linked:
            reasons["retrieved_but_no_pdf_linked"] = len(retrieved_coded - linked)
        if to_code:
            reasons["availability_not_coded"] = len(to_code)
        retrieved = Stage("fulltext_retrieved", len(linked), reasons=reasons, members=linked)
    stages.append(retrieved)

    # Unreadable = retrieved works with no linked PDF whose status is ok
    readable: set[str] | None = None
    if retrieved.members is None or not _exists(inputs.manifest):
        unreadable = Stage("fulltext_unreadable", None, note="needs results/fulltext/manifest.csv")
    else:
        assert inputs.manifest is not None
        manifest = read_table(inputs.manifest, ("file", "status"), what="manifest", made_by="`slr fulltext extract`")
        status: dict[str, str] = {}
        for row in manifest.rows:
            if row.get("file"):
                status[row["file"]] = row.get("status") or "no status"
                status.setdefault(Path(row["file"]).name, row.get("status") or "no status")
        bad: dict[str, str] = {}
        for wid in retrieved.members:
            states = [status.get(f, status.get(Path(f).name, "not_extracted")) for f in pdfs[wid]]
            if "ok" not in states:
                bad[wid] = states[0]
        unreadable = Stage("fulltext_unreadable", len(bad), reasons=_ordered(Counter(bad.values())), members=set(bad))
        readable = retrieved.members - set(bad)
    stages.append(unreadable)

    # Anchor search
    anchor_included: set[str] | None = None
    if _exists(inputs.hits):
        assert inputs.hits is not None
        hits = read_table(inputs.hits, ("work_id", "included"), what="hits file", made_by="`slr fulltext search`")
        found = set()
        searched = set()
        for row, line in zip(hits.rows, hits.lines, strict=True):
            if not row.get("work_id"):
                continue
            searched.add(row["work_id"])
            if _flag(row.get("included"), hits.path, line, "included"):
                found.add(row["work_id"])
        reasons = {}
        base = readable if readable is not None else retrieved.members
        if base is not None:
            if found - base:
                reasons["outside_readable_retrieved"] = len(found - base)
            found &= base
            reasons["no_anchor_mention"] = len(base - found)
        if unreadable.count:
            reasons["unreadable"] = unreadable.count
        anchor_included = found
        stages.append(Stage("anchor_included", len(found), reasons=reasons, members=found))
    else:
        stages.append(Stage("anchor_included", None, note="needs results/fulltext/hits.csv"))

    # Coded studies
    if _exists(inputs.coded):
        assert inputs.coded is not None
        coded_table = read_table(inputs.coded, ("work_id",), what="coded studies file")
        coded_ids = {r["work_id"] for r in coded_table.rows if r.get("work_id")}
        reasons = {}
        if anchor_included is not None:
            if coded_ids - anchor_included:
                reasons["coded_but_not_included"] = len(coded_ids - anchor_included)
            if anchor_included - coded_ids:
                reasons["included_but_not_coded"] = len(anchor_included - coded_ids)
            coded_ids &= anchor_included
        stages.append(Stage("coded", len(coded_ids), reasons=reasons, members=coded_ids))
    else:
        stages.append(Stage("coded", None, note="needs the coded studies file"))

    for stage in stages:
        stage.expected = inputs.expected.get(stage.name)
    return stages


def write(stages: Iterable[Stage], funnel_path: str | Path, reasons_path: str | Path) -> None:
    stages = list(stages)
    with open(funnel_path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(FUNNEL_COLUMNS)
        for s in stages:
            w.writerow([s.name, PENDING if s.count is None else s.count, "" if s.expected is None else s.expected])
    with open(reasons_path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(REASON_COLUMNS)
        for s in stages:
            for reason, n in s.reasons.items():
                w.writerow([s.name, reason, n])


def read(funnel_path: str | Path, reasons_path: str | Path | None = None) -> list[Stage]:
    """Read ``funnel.csv`` (and ``funnel_reasons.csv``) back, e.g. for the PRISMA diagram."""
    table = read_table(funnel_path, FUNNEL_COLUMNS, what="funnel file", made_by="`slr funnel`")
    stages: list[Stage] = []
    for row, line in zip(table.rows, table.lines, strict=True):
        count = _int_or_pending(row.get("count"), table.path, line, "count")
        expected = _int_or_pending(row.get("expected"), table.path, line, "expected", allow_pending=False)
        stages.append(Stage(row["stage"] or "", count, expected))
    if reasons_path is not None and Path(reasons_path).is_file():
        by_name = {s.name: s for s in stages}
        reasons = read_table(reasons_path, REASON_COLUMNS, what="funnel reasons file", made_by="`slr funnel`")
        for row, line in zip(reasons.rows, reasons.lines, strict=True):
            n = _int_or_pending(row.get("count"), reasons.path, line, "count", allow_pending=False)
            if row.get("stage") in by_name and row.get("reason") and n is not None:
                by_name[row["stage"]].reasons[row["reason"]] = n
    return stages


def _int_or_pending(value: Any, path: Path, line: int, column: str, allow_pending: bool = True) -> int | None:
    if value is None or (allow_pending and value == PENDING):
        return None
    try:
        return int(value)
    except ValueError:
        raise InputError(
            path, f"{column} {value!r} is not a whole number", "run `slr funnel` again", line=line
        ) from None


def by_name(stages: Iterable[Stage]) -> dict[str, Stage]:
    return {s.name: s for s in stages}
