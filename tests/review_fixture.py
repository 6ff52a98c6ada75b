"""A small hand-made review (8 works, two searches) for the screening, funnel, audit and
trace tests. Every count the tests expect is derived by hand in the comments below.

Records (record_id per export):
  broad/scopus.csv:   2-s2.0-001, 002, 004, 005, 006, 008          -> identified_broad_scopus  6
  broad/wos.txt:      WOS:001, 003, 004, 007                       -> identified_broad_wos     4
  refined/scopus.csv: 2-s2.0-001, 002, 004, 005, 008               -> identified_refined_scopus 5
  refined/wos.txt:    WOS:001, 003, 004                            -> identified_refined_wos    3
Works: Wa01..Wa08 all in broad (broad_unique 8); refined: Wa01 02 03 04 05 08 (refined_unique 6).
Pilot (size 3, from broad): Wa06 yes/yes (relevant), Wa07 no/yes, Wa03 yes/no -> pilot_sample 3.
Abstract screening (relevant_to_is, empirical, quantitative_assessment):
  Wa01 y y n  included      Wa02 y y n  included       Wa08 y y n  included
  Wa03 y y y  excluded: quantitative_assessment
  Wa04 y n -  excluded: not empirical
  Wa05 n - -  excluded: not relevant_to_is               -> screened_included 3
Availability: Wa01 retrieved, Wa02 retrieved, Wa08 restricted_access -> not retrieved 1, retrieved 2
Links: Wa01 -> a.pdf, Wa02 -> b.pdf; manifest: both ok -> unreadable 0
Hits: Wa01 included (3 mentions), Wa02 not -> anchor_included 1 (no_anchor_mention 1)
Coded studies (appendixC.csv): Wa01 -> coded 1
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
from pathlib import Path

import yaml

from slr.records import WORK_FIELDS, make_record, split_authors, write_records

WORKS = [
    # work_id, title, authors, year, journal, doi, searches, databases, members, aliases, abstract
    (
        "Wa01",
        "Anchor tenants in eco-industrial parks",
        "Lowe, E.; Chertow, M.",
        2010,
        "J Ind Ecol",
        "10.1000/a",
        "broad; refined",
        "scopus; wos",
        "2-s2.0-001; WOS:001",
        "Wold01",
        "An empirical case study of governance and anchor firms in an industrial symbiosis park.",
    ),
    (
        "Wa02",
        "Industrial symbiosis in Kalundborg",
        "Jacobsen, N.",
        2004,
        "J Clean Prod",
        "10.1000/b",
        "broad; refined",
        "scopus",
        "2-s2.0-002",
        None,
        "A case study of cooperation and coordination between firms in a symbiosis network.",
    ),
    (
        "Wa03",
        "Life cycle assessment of by-product exchange",
        "Mattila, T.; Lehtoranta, S.",
        2012,
        "Resour Conserv",
        None,
        "broad; refined",
        "wos",
        "WOS:003",
        None,
        "We quantify the environmental impacts of by-product exchange with life cycle assessment.",
    ),
    (
        "Wa04",
        "Policy for industrial ecosystems",
        "Boons, F.",
        2008,
        "Ecol Econ",
        "10.1000/d",
        "broad; refined",
        "scopus; wos",
        "2-s2.0-004; WOS:004",
        None,
        "A conceptual essay on policy and planning for industrial ecosystems.",
    ),
    (
        "Wa05",
        "Recycling networks in China",
        "Yu, C.; De Jong, M.; Dijkema, G.",
        2014,
        "Waste Manage",
        "10.1000/e",
        "broad; refined",
        "scopus",
        "2-s2.0-005",
        None,
        "Municipal recycling network optimisation with a linear programming model.",
    ),
    (
        "Wa06",
        "Eco-industrial development theory",
        "Gibbs, D.",
        2001,
        "Geoforum",
        "10.1000/f",
        "broad",
        "scopus",
        "2-s2.0-006",
        None,
        "Governance of eco-industrial development examined in empirical case studies of parks.",
    ),
    (
        "Wa07",
        "Resource synergy modelling",
        "Zhu, J.; Ruth, M.",
        2015,
        "Ecol Model",
        "10.1000/g",
        "broad",
        "wos",
        "WOS:007",
        None,
        "A simulation model of resource synergy flows between plants.",
    ),
    (
        "Wa08",
        '=HYPERLINK("http://x") Governance of by-product synergy',
        "Veleva, V.",
        2011,
        "J Clean Prod",
        "10.1000/h",
        "broad; refined",
        "scopus",
        "2-s2.0-008",
        None,
        "Empirical study of by-product synergy governance and partnership in a regional network.",
    ),
]
WORK_COLUMNS = list(WORK_FIELDS)

EXPORTS = {
    ("broad", "scopus.csv"): ["2-s2.0-001", "2-s2.0-002", "2-s2.0-004", "2-s2.0-005", "2-s2.0-006", "2-s2.0-008"],
    ("broad", "wos.txt"): ["WOS:001", "WOS:003", "WOS:004", "WOS:007"],
    ("refined", "scopus.csv"): ["2-s2.0-001", "2-s2.0-002", "2-s2.0-004", "2-s2.0-005", "2-s2.0-008"],
    ("refined", "wos.txt"): ["WOS:001", "WOS:003", "WOS:004"],
}

PILOT = [("Wa06", "yes", "yes"), ("Wa07", "no", "yes"), ("Wa03", "yes", "no")]
ABSTRACT = [
    ("Wa01", "yes", "yes", "no"),
    ("Wa02", "Y", "1", "FALSE"),
    ("Wa03", "yes", "yes", "yes"),
    ("Wa04", "yes", "no", ""),
    ("Wa05", "no", "", ""),
    ("Wa08", "yes", "yes", "no"),
]
EXPECTED = {
    "identified_broad_scopus": 6,
    "identified_broad_wos": 4,
    "identified_refined_scopus": 5,
    "identified_refined_wos": 3,
    "broad_unique": 8,
    "pilot_sample": 3,
    "refined_unique": 6,
    "screened_included": 3,
    "fulltext_not_retrieved": 1,
    "fulltext_retrieved": 2,
    "fulltext_unreadable": 0,
    "anchor_included": 1,
    "coded": 1,
}


def write_csv(path: Path, header: list[str], rows: list[tuple | list]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def work_rows() -> list[dict]:
    rows = []
    for wid, title, authors, year, journal, doi, searches, dbs, members, aliases, abstract in WORKS:
        rows.append(
            {
                "work_id": wid,
                "title": title,
                "authors": authors,
                "year": year,
                "journal": journal,
                "doi": doi,
                "abstract": abstract,
                "doc_type": "Article",
                "databases": dbs,
                "searches": searches,
                "n_records": len(members.split(";")),
                "members": members,
                "aliases": aliases,
            }
        )
    return rows


def write_works(path: Path, rows: list[dict] | None = None) -> Path:
    rows = work_rows() if rows is None else rows
    return write_csv(path, WORK_COLUMNS, [[r.get(c) for c in WORK_COLUMNS] for r in rows])


def build(root: Path, *, stages: str = "all") -> Path:
    """Write the review into ``root``; ``stages`` 'all' or 'screening' (no full-text results yet)."""
    by_member = {m.strip(): w for w in WORKS for m in w[8].split(";")}
    for (search, name), ids in EXPORTS.items():
        raw = root / "data" / "raw" / search / name
        # The export, as a generic CSV `slr ingest` reads (the Snakemake test ingests it for real).
        write_csv(
            raw,
            ["ID", "database", "title", "author", "year", "journal", "doi", "type"],
            [
                (
                    rid,
                    "scopus" if rid.startswith("2-s2.0") else "wos",
                    by_member[rid][1],
                    by_member[rid][2],
                    by_member[rid][3],
                    by_member[rid][4],
                    by_member[rid][5],
                    "Article",
                )
                for rid in ids
            ],
        )
        records = []
        for line, rid in enumerate(ids, start=2):
            w = by_member[rid]
            records.append(
                make_record(
                    record_id=rid,
                    database="scopus" if rid.startswith("2-s2.0") else "wos",
                    search=search,
                    source_file=f"data/raw/{search}/{name}",
                    source_line=line,
                    title=w[1],
                    authors=split_authors(w[2]),
                    year=w[3],
                    doi=w[5],
                    doc_type="Article",
                )
            )
        out = root / "results" / "records" / search / f"{name}.csv"
        out.parent.mkdir(parents=True, exist_ok=True)
        write_records(records, out)
    write_works(root / "results" / "works.csv")
    for search in ("broad", "refined"):
        exports = [
            {
                "file": name,
                "database": "scopus" if name.startswith("scopus") else "wos",
                "query": "TS=(x)",
                "date": "2016-01-15",
                "limits": {"document_types": ["Article"], "exclude_years": [2016]},
                "reported_hits": len(ids),
            }
            for (s, name), ids in EXPORTS.items()
            if s == search
        ]
        sidecar = {"search": search, "description": f"{search} search", "exports": exports}
        (root / "data" / "raw" / search / "search.yaml").write_text(
            yaml.safe_dump(sidecar, sort_keys=False), encoding="utf-8"
        )
    coded = root / "data" / "coded"
    write_csv(coded / "pilot.csv", ["work_id", "governance_relevant", "empirical"], PILOT)
    write_csv(
        coded / "abstract_screening.csv",
        ["work_id", "title", "relevant_to_is", "empirical", "quantitative_assessment", "notes"],
        [(w, "", a, b, c, "") for w, a, b, c in ABSTRACT],
    )
    write_csv(
        coded / "fulltext.csv",
        ["work_id", "availability"],
        [("Wa01", "retrieved"), ("Wa02", "Retrieved"), ("Wa08", "restricted_access")],
    )
    config = {
        "searches": {"broad": {"dir": "data/raw/broad"}, "refined": {"dir": "data/raw/refined", "subset_of": "broad"}},
        "screening": {
            "pilot": {
                "search": "broad",
                "size": 3,
                "seed": 7,
                "criteria": ["governance_relevant", "empirical"],
                "relevant_if": "governance_relevant and empirical",
                "codes": ["data/coded/pilot.csv"],
            },
            "abstract": {
                "search": "refined",
                "criteria": ["relevant_to_is", "empirical", "quantitative_assessment"],
                "include_if": "relevant_to_is and empirical and not quantitative_assessment",
                "codes": ["data/coded/abstract_screening.csv"],
            },
        },
        "availability": {"codes": "data/coded/fulltext.csv", "reasons": ["restricted_access", "language"]},
        "expected": {k: v for k, v in EXPECTED.items() if not k.startswith("identified_")},
    }
    (root / "config").mkdir(exist_ok=True)
    (root / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    if stages == "all":
        fulltext = root / "results" / "fulltext"
        write_csv(
            fulltext / "links.csv",
            ["work_id", "file", "matched_by", "score"],
            [("Wa01", "data/fulltext/a.pdf", "doi", "1.0"), ("Wa02", "data/fulltext/b.pdf", "title", "0.97")],
        )
        write_csv(
            fulltext / "manifest.csv",
            ["file", "status", "pages", "chars", "message"],
            [("data/fulltext/a.pdf", "ok", "12", "50000", ""), ("data/fulltext/b.pdf", "ok", "9", "40000", "")],
        )
        write_csv(
            fulltext / "hits.csv",
            ["work_id", "file", "status", "mentions", "pages_with_mentions", "included"],
            [
                ("Wa01", "data/fulltext/a.pdf", "ok", "3", "2", "true"),
                ("Wa02", "data/fulltext/b.pdf", "ok", "0", "0", "false"),
            ],
        )
        write_csv(
            root / "results" / "tables" / "appendixC.csv",
            ["citation", "bibtex_key", "work_id", "title"],
            [("Lowe and Chertow 2010", "Lowe2010", "Wa01", "Anchor tenants in eco-industrial parks")],
        )
    return root


ABSTRACT_ARGS = ["--criteria", "relevant_to_is,empirical,quantitative_assessment", "--search", "refined"]
RULE = "relevant_to_is and empirical and not quantitative_assessment"
PILOT_ARGS = ["--criteria", "governance_relevant,empirical", "--search", "broad", "--sample", "3", "--seed", "7"]


def run_ok(slr, root: Path, *args):
    result = slr(*args, cwd=root)
    assert result.returncode == 0, result.stderr
    return result


def apply_screening(slr, root: Path) -> None:
    """`slr screening apply` for the pilot and the abstracts, then availability."""
    run_ok(
        slr,
        root,
        "screening",
        "apply",
        "results/works.csv",
        "data/coded/pilot.csv",
        *PILOT_ARGS,
        "--rule",
        "governance_relevant and empirical",
        "-o",
        "results/screening/pilot_screened.csv",
    )
    run_ok(
        slr,
        root,
        "screening",
        "apply",
        "results/works.csv",
        "data/coded/abstract_screening.csv",
        *ABSTRACT_ARGS,
        "--rule",
        RULE,
        "-o",
        "results/screening/abstract_screened.csv",
    )
    run_ok(
        slr,
        root,
        "screening",
        "availability",
        "results/works.csv",
        "results/screening/abstract_screened.csv",
        "data/coded/fulltext.csv",
        "--reasons",
        "restricted_access,language",
        "-o",
        "results/screening/availability.csv",
    )


FUNNEL_ARGS = [
    "funnel",
    "--searches",
    "broad,refined",
    "--records-dir",
    "results/records",
    "--works",
    "results/works.csv",
    "--pilot-search",
    "broad",
    "--pilot",
    "results/screening/pilot_screened.csv",
    "--screened",
    "results/screening/abstract_screened.csv",
    "--availability",
    "results/screening/availability.csv",
    "--links",
    "results/fulltext/links.csv",
    "--manifest",
    "results/fulltext/manifest.csv",
    "--hits",
    "results/fulltext/hits.csv",
    "--coded",
    "results/tables/appendixC.csv",
    "-o",
    "results/funnel.csv",
    "--reasons",
    "results/funnel_reasons.csv",
]


def screening_workflow(tmp_path: Path) -> tuple[Path, list[str], dict[str, str]]:
    """The hand-made review with the project's workflow up to screening (it has no coded segments
    or cases): (project folder, the snakemake command to add targets to, its environment)."""
    repo = Path(__file__).resolve().parent.parent
    root = build(tmp_path)
    shutil.rmtree(root / "results" / "records")  # ingested by the workflow itself
    shutil.copytree(repo / "workflow", root / "workflow")
    snakefile = (repo / "Snakefile").read_text(encoding="utf-8")
    head = snakefile[: snakefile.index('include: "workflow/rules/common.smk"')]
    (root / "Snakefile").write_text(
        head + 'include: "workflow/rules/common.smk"\ninclude: "workflow/rules/ingest.smk"\n'
        'include: "workflow/rules/screening.smk"\n\n\nrule all:\n    input:\n        rules.ingest_all.input,\n'
        "        lambda wc: screening_targets(),\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return root, [str(Path(sys.executable).parent / "snakemake"), "--cores", "2"], env
