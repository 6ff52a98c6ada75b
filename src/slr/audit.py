"""``slr audit``: every count next to what was published, and everything that explains it.

The audit reads the config and whatever result files exist, and runs a list of
sections (``SECTIONS``). Each section is a function ``(Context) -> Section | None``
that reads only the files it needs and returns lines to print and failures (one
line each). ``--strict`` turns any failure into exit status 1. Later stages plug in
by appending their own section function to ``SECTIONS`` (tables comparison, case
accuracy, ...); a section whose inputs do not exist yet says so instead of failing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from slr import funnel as funnel_mod
from slr import searchfile
from slr.config import load_config, section
from slr.decisions import BadValue, Coded, WorkIndex, load, one_of, parse_flag
from slr.errors import CheckFailed, InputError
from slr.records import iter_records
from slr.results import read_table, read_works
from slr.screening.availability import RETRIEVED

# Where each stage's result file lives under the results folder (the Snakemake rules write these).
RESULT_FILES: dict[str, str] = {
    "records_dir": "records",
    "works": "works.csv",
    "clusters": "clusters.csv",
    "pairs": "pairs.csv",
    "pilot": "screening/pilot_screened.csv",
    "screened": "screening/abstract_screened.csv",
    "availability": "screening/availability.csv",
    "links": "fulltext/links.csv",
    "manifest": "fulltext/manifest.csv",
    "hits": "fulltext/hits.csv",
    "coded": "tables/appendixC.csv",  # keep equal to slr.cli.audit.CODED_DEFAULT
    "comparison": "tables/comparison.csv",
    "uncoded": "tables/uncoded.csv",
    "cases_dir": "cases",
    "funnel_history": "funnel_history",
}
LIST_LIMIT = 200  # list at most this many items per problem kind, then say how many more


@dataclass
class Section:
    title: str
    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


class Context:
    """The config and result files, read once and shared by the sections."""

    def __init__(
        self,
        config_path: str | Path = "config/config.yaml",
        results: str | Path = "results",
        overrides: dict[str, Path] | None = None,
    ) -> None:
        self.config_path = Path(config_path)
        self.config: dict[str, Any] = load_config(self.config_path)
        self.results = Path(results)
        self.paths = {k: self.results / v for k, v in RESULT_FILES.items()}
        self.paths.update(overrides or {})

    def path(self, key: str) -> Path:
        return self.paths[key]

    def exists(self, key: str) -> bool:
        return self.paths[key].exists()

    @property
    def searches(self) -> list[str]:
        return list((self.config.get("searches") or {}).keys())

    def records_files(self, search: str) -> list[Path] | None:
        """The records files of the search's current exports (``records/<search>/<export>.csv`` for
        each export in its folder), or None when the folder is not here (then every records file
        counts). A records file of an export that was removed or renamed is not one of them."""
        spec = (self.config.get("searches") or {}).get(search) or {}
        folder = Path(spec["dir"]) if isinstance(spec, dict) and spec.get("dir") else None
        if folder is None or not folder.is_dir():
            return None
        base = self.path("records_dir") / search
        return [p for name in searchfile.export_files(folder) if (p := base / f"{name}.csv").is_file()]

    @cached_property
    def works(self) -> list[dict[str, Any]] | None:
        return read_works(self.path("works")) if self.exists("works") else None

    @cached_property
    def index(self) -> WorkIndex | None:
        return WorkIndex(self.works) if self.works is not None else None

    @cached_property
    def stages(self) -> list[funnel_mod.Stage]:
        p = self.paths
        return funnel_mod.compute(
            funnel_mod.FunnelInputs(
                searches=self.searches,
                records_dir=p["records_dir"],
                records={s: files for s in self.searches if (files := self.records_files(s)) is not None},
                works=p["works"],
                pilot_search=section(self.config, "screening", "pilot", "search"),
                pilot=p["pilot"],
                screened=p["screened"],
                availability=p["availability"],
                links=p["links"],
                manifest=p["manifest"],
                hits=p["hits"],
                coded=p["coded"],
                expected=self.config.get("expected") or {},
            )
        )

    def stage(self, name: str) -> funnel_mod.Stage | None:
        return next((s for s in self.stages if s.name == name), None)

    def code_files(self, *keys: str) -> list[Path]:
        value = section(self.config, *keys)
        if value is None:
            return []
        items = [value] if isinstance(value, str) else list(value)
        return [Path(v) for v in items]

    def existing(self, paths: list[Path]) -> list[Path]:
        return [p for p in paths if p.is_file()]

    def title(self, work_id: str) -> str:
        if self.index is not None and work_id in self.index:
            title = self.index.works[work_id].get("title") or ""
            return f"{work_id} {str(title)[:70]!r}"
        return work_id


def _limited(items: list[str], limit: int = LIST_LIMIT, indent: str = "") -> list[str]:
    if len(items) <= limit:
        return items
    return [*items[:limit], f"{indent}... and {len(items) - limit} more"]


# ---------------------------------------------------------------- sections


def funnel_section(ctx: Context) -> Section:
    sec = Section("Funnel: computed from the data vs the published counts")
    width = max(len(s.name) for s in ctx.stages)
    sec.lines.append(f"{'stage':<{width}}  {'count':>8}  {'expected':>8}  {'difference':>10}")
    for s in ctx.stages:
        count = funnel_mod.PENDING if s.count is None else str(s.count)
        expected = "" if s.expected is None else str(s.expected)
        diff = "" if s.difference is None else f"{s.difference:+d}"
        mark = ""
        if s.expected is not None and s.count is None:
            mark = "  <- pending"
            sec.failures.append(
                f"{s.name} is pending ({s.note or 'its input does not exist yet'}); expected {s.expected}"
            )
        elif s.difference:
            mark = "  <- MISMATCH"
            sec.failures.append(f"{s.name} is {s.count}, expected {s.expected} ({s.difference:+d})")
        sec.lines.append(f"{s.name:<{width}}  {count:>8}  {expected:>8}  {diff:>10}{mark}")
    known = {s.name for s in ctx.stages}
    for name in sorted(set(ctx.config.get("expected") or {}) - known):
        sec.failures.append(f"expected count for {name!r}, which is not a funnel stage (see docs/architecture.md)")
    return sec


CHANGE_LIMIT = 20  # works listed per stage and direction in "changes since the last run"


def changes_section(ctx: Context) -> Section:
    """What changed in each funnel stage since the previous run (``slr funnel --history``): counts
    old -> new, the works that entered or left each stage, reasons whose counts moved. Informational:
    never a mismatch, and nothing else depends on the kept funnels."""
    from slr import funnel_history

    sec = Section("Changes since the last run")
    history = ctx.path("funnel_history")
    current = funnel_history.snapshot(ctx.stages, ctx.works)
    try:
        before = funnel_history.previous(history, current)
    except InputError as exc:
        sec.lines.append(f"the kept funnel cannot be read ({exc.message()}); the next run starts a new history")
        return sec
    if before is None:
        sec.lines.append(
            f"no previous run to compare with: this is the first run (or {history} was removed); "
            "the next run will list what changed"
        )
        return sec
    sec.lines.append(f"previous run: {before.when()}; this run: {current.when()}")
    changes = funnel_history.diff(before, current)
    changed = [c for c in changes if c.changed]
    if not changed:
        sec.lines.append("no change in any funnel stage")
        return sec
    for ch in changed:
        sec.lines.append(funnel_history.describe(ch))
        for label, ids, titles in (("entered", ch.entered, current.titles), ("left", ch.left, before.titles)):
            if not ids:
                continue
            sec.lines.append(f"    {label} ({len(ids)}):")
            items = []
            for wid in ids:
                item = f"      {wid} {(titles.get(wid) or '')[:70]!r}"
                if label == "left":
                    item += _where_now(ctx, ch.stage, wid)
                items.append(item)
            sec.lines.extend(_limited(items, CHANGE_LIMIT, indent="      "))
        if ch.reasons:
            sec.lines.append("    reasons: " + "; ".join(f"{reason} {old} -> {new}" for reason, old, new in ch.reasons))
    same = [c.stage for c in changes if not c.changed]
    if same:
        sec.lines.append(f"unchanged: {', '.join(same)}")
    return sec


def _where_now(ctx: Context, stage: str, work_id: str) -> str:
    """Why a work left a stage: merged into another work (its id is now an alias), or gone."""
    if ctx.index is None:
        return ""
    now = ctx.index.by_work_id(work_id) - {work_id}
    if now:
        target = sorted(now)[0]
        inside = ctx.stage(stage)
        where = " (in this stage)" if inside and inside.members and target in inside.members else ""
        return f" -> merged into {target}{where}: the id is now its alias"
    if work_id not in ctx.index:
        return " -> no longer a work (its records are gone)"
    return ""


def exclusions_section(ctx: Context) -> Section:
    """Each drop between stages, explained by reasons that add up to it."""
    sec = Section("What explains each exclusion")
    get = ctx.stage
    for s in ctx.stages:
        if s.reasons:
            sec.lines.append(f"{s.name}:")
            sec.lines.extend(f"    {reason}: {n}" for reason, n in s.reasons.items())

    def check(label: str, before: int | None, parts: dict[str, int | None]) -> None:
        if before is None or any(v is None for v in parts.values()):
            return
        total = sum(v or 0 for v in parts.values())
        detail = " + ".join(f"{k} {v}" for k, v in parts.items())
        if total == before:
            sec.lines.append(f"ok: {label} {before} = {detail}")
        else:
            sec.failures.append(f"{label} {before} != {detail} (= {total}): some works are unaccounted for")

    screening = section(ctx.config, "screening", "abstract", "search")
    unique = get(f"{screening}_unique") if screening else None
    screened = get("screened_included")
    if unique and screened and screened.count is not None and unique.count is not None:
        excluded = {k: v for k, v in screened.reasons.items()}
        check(f"{screening}_unique", unique.count, {"screened_included": screened.count, **excluded})
    nr, rt = get("fulltext_not_retrieved"), get("fulltext_retrieved")
    if screened and nr and rt:
        extra = {k: v for k, v in rt.reasons.items()}
        check(
            "screened_included",
            screened.count,
            {"fulltext_not_retrieved": nr.count, "fulltext_retrieved": rt.count, **extra},
        )
    anchor, unreadable = get("anchor_included"), get("fulltext_unreadable")
    if rt and anchor and unreadable and anchor.count is not None:
        check(
            "fulltext_retrieved",
            rt.count,
            {
                "anchor_included": anchor.count,
                "no_anchor_mention": anchor.reasons.get("no_anchor_mention", 0),
                "fulltext_unreadable": unreadable.count,
            },
        )
        if anchor.reasons.get("outside_readable_retrieved"):
            sec.failures.append(
                f"{anchor.reasons['outside_readable_retrieved']} work(s) in hits.csv are marked "
                "included but were not retrieved and readable"
            )
    coded = get("coded")
    if coded and coded.count is not None:
        for reason in ("coded_but_not_included", "included_but_not_coded"):
            if coded.reasons.get(reason):
                sec.lines.append(f"note: {coded.reasons[reason]} {reason.replace('_', ' ')}")
    if not sec.lines and not sec.failures:
        sec.lines.append("no stage has been decided yet")
    return sec


def searches_section(ctx: Context) -> Section:
    """Each export against its search.yaml: record counts, missing files, stated limits."""
    sec = Section("Searches: exports vs search.yaml")
    for search in ctx.searches:
        folder = Path(ctx.config["searches"][search]["dir"])
        sidecar = folder / searchfile.SIDECAR
        files = searchfile.export_files(folder)
        for name, what in searchfile.unread_entries(folder):
            sec.failures.append(f"{folder / name}: not read as an export: {what}")
        if not sidecar.is_file():
            sec.lines.append(
                f"{search}: no {sidecar} (record counts and limits not checked); {len(files)} export file(s)"
            )
            continue
        spec = searchfile.load(sidecar, search=search)
        listed = {e.file for e in spec.exports}
        for name in sorted(set(files) - listed):
            sec.failures.append(f"{folder / name}: export not described in {sidecar}")
        for export in spec.exports:
            source = folder / export.file
            records_path = ctx.path("records_dir") / search / f"{export.file}.csv"
            if not source.is_file():
                sec.failures.append(
                    f"{sidecar}: export {export.file} is listed but missing from {folder} "
                    "(a batch file not downloaded?)"
                )
                continue
            if not records_path.is_file():
                sec.lines.append(f"{search}/{export.file}: not ingested yet ({records_path} missing)")
                continue
            records = list(iter_records(records_path))
            n = len(records)
            databases = Counter(r["database"] for r in records)
            if export.reported_hits is None:
                sec.lines.append(f"{search}/{export.file} [{export.database}]: {n} records (no reported_hits)")
            elif n == export.reported_hits:
                sec.lines.append(f"ok: {search}/{export.file} [{export.database}]: {n} records = reported hits")
            else:
                hint = (
                    "a truncated download or a missing batch file?"
                    if n < export.reported_hits
                    else "more records than the database reported: a duplicated or wrong file?"
                )
                sec.failures.append(
                    f"{search}/{export.file}: {n} records but the database reported {export.reported_hits} ({hint})"
                )
            other = sorted(db for db in databases if db != export.database)
            if other:
                sec.failures.append(
                    f"{search}/{export.file}: search.yaml says {export.database} but "
                    f"{sum(databases[d] for d in other)} record(s) read as {', '.join(other)}"
                )
            violations = searchfile.check_limits(export, records)
            if violations:
                sec.failures.append(f"{search}/{export.file}: {len(violations)} record(s) outside the stated limits")
                sec.lines.extend(
                    _limited(
                        [
                            f"    {v.source_file or export.file}:{v.source_line or '?'} {v.record_id}: {v.problem}"
                            for v in violations
                        ]
                    )
                )
    return sec


def subset_section(ctx: Context) -> Section | None:
    pairs = [
        (s, spec["subset_of"])
        for s, spec in (ctx.config.get("searches") or {}).items()
        if isinstance(spec, dict) and spec.get("subset_of")
    ]
    if not pairs:
        return None
    sec = Section("Searches: subsets")
    if ctx.works is None:
        sec.lines.append("works.csv does not exist yet")
        return sec
    for child, parent in pairs:
        outside = [w for w in ctx.works if child in w["searches"] and parent not in w["searches"]]
        n_child = sum(1 for w in ctx.works if child in w["searches"])
        if outside:
            sec.failures.append(
                f"{len(outside)} of {n_child} works of the {child} search are not in the {parent} search"
            )
            sec.lines.extend(_limited([f"    {ctx.title(w['work_id'])}" for w in outside]))
        else:
            sec.lines.append(f"ok: all {n_child} works of the {child} search are in the {parent} search")
    return sec


def _load_codes(ctx: Context, files: list[Path], parsers: dict[str, Any]) -> Coded | None:
    existing = ctx.existing(files)
    if ctx.index is None or not existing:
        return None
    return load(ctx.index, existing, parsers)


def pilot_section(ctx: Context) -> Section | None:
    pilot = section(ctx.config, "screening", "pilot")
    if not pilot:
        return None
    sec = Section("Pilot sample")
    files = ctx.code_files("screening", "pilot", "codes")
    coded = _load_codes(ctx, files, {c: parse_flag for c in pilot["criteria"]})
    if coded is None:
        sec.lines.append("no pilot codes yet (or no works.csv): the sample is drawn, not frozen")
        return sec
    ids = set(coded.rows)
    size = pilot["size"]
    line = f"{len(ids)} works in {', '.join(str(p) for p in ctx.existing(files))} (configured size {size})"
    if len(ids) == size:
        sec.lines.append("ok: " + line)
    else:
        sec.failures.append(f"the frozen pilot sample has {len(ids)} works, the config says size {size}")
    assert ctx.index is not None
    outside = sorted(wid for wid in ids if pilot["search"] not in ctx.index.works[wid].get("searches", []))
    if outside:
        sec.failures.append(f"{len(outside)} pilot work(s) are not in the {pilot['search']} search")
        sec.lines.extend(_limited([f"    {ctx.title(w)}" for w in outside]))
    else:
        sec.lines.append(f"ok: every pilot work is in the {pilot['search']} search")
    return sec


def decisions_section(ctx: Context) -> Section:
    """Code files re-attached to the works: orphans, conflicts, invalid values, works left to code."""
    sec = Section("Decisions (data/coded) re-attached to works")
    if ctx.index is None:
        sec.lines.append("works.csv does not exist yet")
        return sec
    groups: list[tuple[str, list[Path], dict[str, Any]]] = []
    for stage in ("pilot", "abstract"):
        criteria = section(ctx.config, "screening", stage, "criteria")
        if criteria:
            parsers = {c: parse_flag for c in criteria}
            for key in ("codes", "second_coder", "reconciled"):
                groups.append((f"{stage} {key}", ctx.code_files("screening", stage, key), parsers))
    reasons = section(ctx.config, "availability", "reasons")
    if reasons:
        groups.append(
            ("availability", ctx.code_files("availability", "codes"), {"availability": one_of([RETRIEVED, *reasons])})
        )
    for label, files, parsers in groups:
        existing = ctx.existing(files)
        if not files:
            continue
        if not existing:
            sec.lines.append(f"{label}: {', '.join(map(str, files))} not written yet")
            continue
        try:
            coded = load(ctx.index, existing, parsers)
        except InputError as exc:
            sec.failures.append(exc.message())
            continue
        n_rows = sum(len(r) for r in coded.attached.by_work.values())
        sec.lines.append(f"{label}: {n_rows} row(s) attached to {len(coded.rows)} work(s)")
        by: Counter[str] = Counter(r.matched_by for rows in coded.attached.by_work.values() for r in rows)
        if set(by) - {"work_id"}:
            sec.lines.append("    matched by " + ", ".join(f"{k} {v}" for k, v in sorted(by.items())))
        for problem in coded.problems:
            sec.failures.append(problem.message())
    for key, stage_name in (("pilot", "pilot"), ("screened", "abstract screening")):
        if ctx.exists(key):
            table = read_table(ctx.path(key), ("work_id", "decision"))
            left = [r["work_id"] for r in table.rows if r.get("decision") == "to_screen"]
            if left:
                sec.failures.append(f"{len(left)} work(s) still to screen in the {stage_name} (see {ctx.path(key)})")
    if ctx.exists("availability"):
        table = read_table(ctx.path("availability"), ("work_id", "decision"))
        tally = Counter(r.get("decision") for r in table.rows)
        if tally.get("to_code"):
            sec.failures.append(f"{tally['to_code']} screened-in work(s) have no availability code yet")
        if tally.get("not_screened_in"):
            sec.lines.append(
                f"note: {tally['not_screened_in']} availability code(s) are for works no longer screened in (ignored)"
            )
    return sec


def fulltext_section(ctx: Context) -> Section | None:
    unreadable, retrieved = ctx.stage("fulltext_unreadable"), ctx.stage("fulltext_retrieved")
    if unreadable is None or retrieved is None:
        return None
    sec = Section("Full texts")
    if retrieved.reasons.get("retrieved_but_no_pdf_linked"):
        sec.failures.append(
            f"{retrieved.reasons['retrieved_but_no_pdf_linked']} work(s) coded retrieved have no "
            "PDF linked (see results/fulltext/unlinked.csv)"
        )
    if unreadable.count is None:
        sec.lines.append("PDF statuses not known yet")
    elif unreadable.count == 0:
        sec.lines.append(f"ok: every retrieved PDF is readable ({retrieved.count} works)")
    else:
        sec.failures.append(
            f"{unreadable.count} retrieved work(s) have no readable PDF: they are pending, "
            "not 'no mention' (fix by OCR or another download)"
        )
        sec.lines.extend(_limited([f"    {ctx.title(w)}" for w in sorted(unreadable.members or [])]))
    return sec


def dedup_section(ctx: Context) -> Section | None:
    if not ctx.exists("pairs"):
        return None
    sec = Section("Deduplication")
    table = read_table(
        ctx.path("pairs"), ("record_id_a", "record_id_b", "decision"), what="pairs file", made_by="`slr dedupe`"
    )
    tally = Counter(r.get("decision") or "no decision" for r in table.rows)
    sec.lines.append(", ".join(f"{v} {k}" for k, v in sorted(tally.items())) or "no pairs")
    if tally.get("near_miss"):
        sec.lines.append(
            f"note: {tally['near_miss']} near-miss pair(s) to review (results/pairs.csv); record a "
            "decision in data/coded/dedup_overrides.csv"
        )
    if ctx.works is not None:
        multi = sum(1 for w in ctx.works if len(w["databases"]) > 1)
        sec.lines.append(f"{len(ctx.works)} works, {multi} found in more than one database")
    return sec


def tables_section(ctx: Context) -> Section | None:
    """The computed tables against the published ones (``slr tables compare``): every difference
    not accepted as a known anomaly of the paper is a mismatch."""
    if not ctx.exists("comparison"):
        return None
    sec = Section("Tables vs the published tables")
    table = read_table(
        ctx.path("comparison"),
        ("id", "kind", "detail", "accepted"),
        what="comparison file",
        made_by="`slr tables compare`",
    )
    accepted = []
    for r, line in zip(table.rows, table.lines, strict=True):
        try:
            is_accepted = parse_flag(r.get("accepted"))
        except BadValue as exc:
            raise InputError(table.path, f"accepted is {r.get('accepted')!r}", str(exc), line=line) from None
        if is_accepted:
            accepted.append(r)
            sec.lines.append(f"accepted: {r['id']} ({r.get('anomaly') or 'known anomaly'})")
        else:
            sec.failures.append(f"{r['id']}: {r.get('detail') or r.get('kind')}")
    if not table.rows:
        sec.lines.append("ok: the computed tables equal the published ones")
    elif not sec.failures:
        sec.lines.append(f"ok: the only differences are {len(accepted)} accepted anomalies")
    return sec


def coding_section(ctx: Context) -> Section | None:
    """Included studies that carry no code: listed, so that each gap is a decision, not an accident."""
    if not ctx.exists("uncoded"):
        return None
    sec = Section("Coding")
    table = read_table(ctx.path("uncoded"), ("work_id",), what="uncoded studies file", made_by="`slr tables build`")
    coded = ctx.stage("coded")
    included = ctx.stage("anchor_included")
    if coded is not None and coded.count is not None and included is not None and included.count is not None:
        sec.lines.append(f"{coded.count} of {included.count} included studies carry at least one code")
    if table.rows:
        sec.lines.append(f"{len(table.rows)} included stud(ies) with no code (results/tables/uncoded.csv):")
        sec.lines.extend(
            _limited(
                [f"    {r['work_id']} {r.get('citation') or ''} {str(r.get('title') or '')[:60]!r}" for r in table.rows]
            )
        )
    return sec


def cases_section(ctx: Context) -> Section | None:
    """Each case's classification against the labels its authors gave (``gold_anchoring``): a type the
    classifier does not reproduce is a mismatch; category agreement is reported (gold categories may
    be a reader's reconstruction)."""
    folder = ctx.path("cases_dir")
    files = sorted(folder.glob("*/classified.csv")) if folder.is_dir() else []
    if not files:
        return None
    sec = Section("Cases")
    for path in files:
        table = read_table(path, ("id", "anchoring"), what="classified case file", made_by="`slr case classify`")
        name = path.parent.name
        gold = [r for r in table.rows if r.get("gold_anchoring")]
        if not gold:
            sec.lines.append(f"{name}: {len(table.rows)} activities classified (no gold labels to compare)")
            continue
        wrong = [r for r in gold if r["gold_anchoring"].strip().lower() != (r.get("anchoring") or "").lower()]
        sec.lines.append(f"{name}: anchoring type {len(gold) - len(wrong)}/{len(gold)} agree with the gold labels")
        for r in wrong:
            sec.failures.append(
                f"{name} {r['id']} {r.get('activity') or ''!r}: classified {r.get('anchoring')!r}, "
                f"gold {r['gold_anchoring']!r}"
            )
        cat = table.rows if "gold_category" in table.columns else []  # empty gold = nothing fits
        if cat:
            agree = sum(1 for r in cat if (r.get("gold_category") or "") == (r.get("category") or ""))
            sec.lines.append(f"{name}: category {agree}/{len(cat)} agree with gold_category (a reconstruction)")
    return sec


SectionFn = Callable[[Context], Section | None]
#: The audit's sections, in print order. Later stages append theirs.
SECTIONS: list[SectionFn] = [
    funnel_section,
    changes_section,
    exclusions_section,
    searches_section,
    subset_section,
    pilot_section,
    decisions_section,
    fulltext_section,
    tables_section,
    coding_section,
    cases_section,
    dedup_section,
]


def run(ctx: Context, sections: list[SectionFn] | None = None) -> list[Section]:
    return [s for s in (fn(ctx) for fn in (sections or SECTIONS)) if s is not None]


def render(sections: list[Section]) -> str:
    out: list[str] = []
    for sec in sections:
        out.append(f"== {sec.title}")
        out.extend(sec.lines)
        out.extend(f"MISMATCH: {f}" for f in sec.failures)
        out.append("")
    failures = sum(len(s.failures) for s in sections)
    out.append(f"audit: {failures} mismatch(es)" if failures else "audit: every check passed")
    return "\n".join(out) + "\n"


def check(sections: list[Section]) -> None:
    """Raise CheckFailed when any section failed (``--strict``)."""
    failures = sum(len(s.failures) for s in sections)
    if failures:
        raise CheckFailed(f"the audit found {failures} mismatch(es) (listed above)")
