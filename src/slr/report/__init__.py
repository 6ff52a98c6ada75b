"""The HTML report: one self-contained page a researcher opens in a browser.

It only reads result files (the contracts in docs/architecture.md); a section
whose inputs do not exist yet says so instead of showing zeros. Every string
from data goes through Jinja's autoescaping; pictures are embedded as base64
data URIs, so the page needs no other file and runs no script.
"""

from __future__ import annotations

import base64
import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from slr.report import charts
from slr.spreadsheet import unneutralise

KWIC_SAMPLE = 30


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    source: str

    @property
    def empty(self) -> bool:
        return not self.rows


@dataclass
class Section:
    id: str
    title: str
    pending: str | None = None  # why the section cannot be shown yet
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def add_table(self, table: Table | None, caption: str = "", limit: int | None = None) -> None:
        if table is None:
            return
        rows = table.rows[:limit] if limit else table.rows
        more = len(table.rows) - len(rows)
        self.blocks.append({"kind": "table", "table": table, "rows": rows, "caption": caption, "more": more})

    def add_image(self, data: bytes, mime: str, alt: str, caption: str = "") -> None:
        uri = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
        self.blocks.append({"kind": "image", "uri": uri, "alt": alt, "caption": caption})

    def add_text(self, text: str, pre: bool = False) -> None:
        self.blocks.append({"kind": "pre" if pre else "text", "text": text})


def read_table(path: Path) -> Table | None:
    if not path.is_file():
        return None
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None:
            return Table([], [], str(path))
        # tables for spreadsheets carry a ' before formula-like text; the page shows the text itself
        return Table(header, [[unneutralise(v) for v in row] for row in reader], str(path))


def _rows(table: Table | None) -> list[dict[str, str]]:
    if table is None:
        return []
    return [dict(zip(table.columns, row, strict=False)) for row in table.rows]


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


def _year(value: str) -> int | None:
    return int(value) if value and value.isdigit() else None


def funnel_section(results: Path) -> Section:
    sec = Section("funnel", "Funnel and PRISMA 2020 flow")
    funnel = read_table(results / "funnel.csv")
    if funnel is None:
        sec.pending = "results/funnel.csv does not exist yet"
        return sec
    sec.add_table(funnel, "Each count is computed from the data; `expected` is the published figure.")
    sec.add_table(read_table(results / "funnel_reasons.csv"), "What explains each exclusion.")
    prisma = results / "prisma.svg"
    if prisma.is_file():
        sec.add_image(prisma.read_bytes(), "image/svg+xml", "PRISMA 2020 flow diagram", "PRISMA 2020 flow diagram")
    return sec


CHANGES_SHOWN = 10  # work ids shown per cell of the changes table


def changes_section(results: Path) -> Section:
    """What the last run changed in each funnel stage (the two newest funnels ``slr funnel
    --history`` kept); the audit lists every work with its title."""
    from slr import funnel_history
    from slr.errors import InputError

    sec = Section("changes", "Changes since the last run")
    folders = funnel_history.snapshots(results / "funnel_history")
    if len(folders) < 2:
        sec.pending = "there is no previous run to compare with (first run, or results/funnel_history was removed)"
        return sec
    try:
        now, before = funnel_history.read(folders[0]), funnel_history.read(folders[1])
    except InputError as exc:
        sec.pending = f"the kept funnels cannot be read ({exc.message()})"
        return sec

    def ids(values: list[str]) -> str:
        shown = "; ".join(values[:CHANGES_SHOWN])
        return shown + (f"; ... and {len(values) - CHANGES_SHOWN} more" if len(values) > CHANGES_SHOWN else "")

    changes = [c for c in funnel_history.diff(before, now) if c.changed]
    rows = [
        [
            c.stage,
            "new stage" if c.new else funnel_history.count_text(c.before),
            "stage gone" if c.gone else funnel_history.count_text(c.after),
            ids(c.entered),
            ids(c.left),
            "; ".join(f"{r} {a} -> {b}" for r, a, b in c.reasons),
        ]
        for c in changes
    ]
    caption = f"Run of {now.when()} against the run of {before.when()}."
    if not rows:
        sec.add_text(caption + " No funnel stage changed.")
        return sec
    sec.add_table(
        Table(["stage", "before", "now", "works entered", "works left", "reasons"], rows, "results/funnel_history"),
        caption + " Stages that did not change are not shown; the audit lists each work with its title.",
    )
    return sec


def audit_verdict(results: Path) -> str | None:
    path = results / "audit.txt"
    if not path.is_file():
        return None
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("audit:")]
    return lines[-1] if lines else None


def audit_section(results: Path) -> Section:
    sec = Section("audit", "Audit")
    path = results / "audit.txt"
    if not path.is_file():
        sec.pending = "results/audit.txt does not exist yet"
        return sec
    sec.add_text(path.read_text(encoding="utf-8"), pre=True)
    return sec


def records_section(results: Path) -> Section:
    """Search and deduplication: overlap of databases, merges, years by database and stage."""
    sec = Section("records", "Searches and deduplication")
    works = _rows(read_table(results / "works.csv"))
    if not works:
        sec.pending = "results/works.csv does not exist yet"
        return sec
    dbs = sorted({d for w in works for d in _split(w.get("databases", ""))})
    if len(dbs) >= 2:
        a, b = dbs[0], dbs[1]
        only_a = sum(1 for w in works if _split(w["databases"]) == [a])
        only_b = sum(1 for w in works if _split(w["databases"]) == [b])
        both = sum(1 for w in works if {a, b} <= set(_split(w["databases"])))
        sec.add_image(
            charts.overlap_chart(only_a, both, only_b, a, b).encode(),
            "image/svg+xml",
            "overlap of databases",
            f"Works found by {a} only, by both, by {b} only (all searches).",
        )
    pairs = _rows(read_table(results / "pairs.csv"))
    if pairs:
        counts: dict[tuple[str, str], int] = {}
        for p in pairs:
            key = (p.get("decision", ""), p.get("rule", ""))
            counts[key] = counts.get(key, 0) + 1
        summary = Table(
            ["decision", "rule", "pairs"], [[d, r, str(n)] for (d, r), n in sorted(counts.items())], "pairs.csv"
        )
        sec.add_table(summary, "Record pairs merged (and near misses left for manual review), by rule.")
    by_db: dict[str, list[int]] = {}
    for w in works:
        year = _year(w.get("year", ""))
        if year is None:
            continue
        for d in _split(w.get("databases", "")):
            by_db.setdefault(d, []).append(year)
    sec.add_image(
        charts.years_chart(by_db, "Works per publication year, by database").encode(),
        "image/svg+xml",
        "works per year by database",
    )
    stages = _stage_years(results, works)
    if stages:
        sec.add_image(
            charts.years_chart(stages, "Works per publication year, by stage", lines=True).encode(),
            "image/svg+xml",
            "works per year by stage",
        )
    return sec


def _stage_years(results: Path, works: list[dict[str, str]]) -> dict[str, list[int]]:
    year_of = {w["work_id"]: _year(w.get("year", "")) for w in works}
    stages: dict[str, list[int]] = {}
    searches = sorted({s for w in works for s in _split(w.get("searches", ""))})
    for s in searches:
        stages[f"{s} search"] = [y for w in works if s in _split(w.get("searches", "")) if (y := year_of[w["work_id"]])]
    screened = results / "screening"
    for path in sorted(screened.glob("*_screened.csv")) if screened.is_dir() else []:
        stage = path.name.removesuffix("_screened.csv")
        if stage == "pilot":
            continue  # the pilot refines the search strings; it includes nothing
        ids = [r["work_id"] for r in _rows(read_table(path)) if r.get("decision") == "included"]
        stages[f"{stage} included"] = [y for i in ids if (y := year_of.get(i))]
    hits = _rows(read_table(results / "fulltext" / "hits.csv"))
    if hits:
        ids = [r["work_id"] for r in hits if r.get("included", "").lower() in ("true", "yes", "1")]
        stages["anchor included"] = [y for i in ids if (y := year_of.get(i))]
    return stages


def tables_section(results: Path) -> Section:
    sec = Section("tables", "Review tables")
    folder = results / "tables"
    found = False
    for name, caption in (
        ("table1.csv", "Table 1: organisation types named as anchors (distinct studies)."),
        ("table2.csv", "Table 2: taxonomy of anchoring activities, with the number of studies."),
        ("tableA1.csv", "Table A1: the studies that observe each activity."),
    ):
        table = read_table(folder / name)
        if table is not None:
            found = True
            sec.add_table(table, caption)
    comparison = read_table(folder / "comparison.csv")
    if comparison is not None:
        keep: list[str] = [c for c in ("kind", "detail", "accepted", "anomaly") if c in comparison.columns]
        idx = [comparison.columns.index(c) for c in keep]
        shown = Table(
            keep, [[row[i] if i < len(row) else "" for i in idx] for row in comparison.rows], comparison.source
        )
        sec.add_table(
            shown,
            "Differences from the published tables: each accepted one is an anomaly of the paper itself.",
        )
    if not found:
        sec.pending = "results/tables/ does not exist yet"
    return sec


def kwic_section(results: Path) -> Section:
    sec = Section("kwic", "Full-text search: keyword in context")
    table = read_table(results / "fulltext" / "kwic.csv")
    if table is None:
        sec.pending = "results/fulltext/kwic.csv does not exist yet"
        return sec
    sec.add_table(
        table, f"A sample of the matches ({min(KWIC_SAMPLE, len(table.rows))} of {len(table.rows)}).", limit=KWIC_SAMPLE
    )
    return sec


def cases_section(results: Path) -> list[Section]:
    out = []
    folder = results / "cases"
    for case_dir in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []:
        sec = Section(f"case-{case_dir.name}", f"Case: {case_dir.name}")
        sec.add_table(read_table(case_dir / "table5.csv"), "Narrative table (cf. Table 5).")
        graph = case_dir / "narrative_graph.svg"
        if graph.is_file():
            sec.add_image(graph.read_bytes(), "image/svg+xml", "narrative graph", "Narrative graph (cf. Figure 3).")
        sec.add_table(read_table(case_dir / "classified.csv"), "Classification against the literature taxonomy.")
        sec.add_table(read_table(case_dir / "indicators.csv"), "Sequence indicators.")
        out.append(sec)
    return out


def build(results: str | Path, title: str) -> str:
    results = Path(results)
    sections = [
        funnel_section(results),
        changes_section(results),
        records_section(results),
        tables_section(results),
        kwic_section(results),
        *cases_section(results),
        audit_section(results),
    ]
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("slr", "report"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("report.html.j2").render(title=title, sections=sections, verdict=audit_verdict(results))
