"""A living review, end to end with the real workflow: run, code, add and re-export exports, run
again - and no decision is lost, new works wait to be screened, merged works keep an id (the other
one becomes an alias), and the audit says what changed in each funnel stage since the last run."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from conftest import run_slr
from living_review import (
    FIXTURE,
    copy_notes,
    fill_sheet,
    make_review,
    read_csv,
    scopus_csv_to_ris,
    snakemake,
)

from slr.decisions import WorkIndex, load, one_of, parse_flag
from slr.results import read_works

PILOT = ["governance_relevant", "empirical"]
ABSTRACT = ["relevant_to_is", "empirical", "quantitative_assessment"]
CODE_FILES = {
    "data/coded/pilot.csv": {c: parse_flag for c in PILOT},
    "data/coded/abstract_screening.csv": {c: parse_flag for c in ABSTRACT},
    "data/coded/fulltext.csv": {"availability": one_of(["retrieved", "restricted_access", "language"])},
}
# The work split in two by the fixture (see tests/fixtures/living/README.md): its Scopus record
# carries the DOI, its WoS record a longer title, another year and no DOI; update.ris bridges them.
SCOPUS_HALF, WOS_HALF = "2-s2.0-84612776413", "WOS:000465991496696"
# The works update.ris adds (its last three records).
NEW_DOIS = {"10.1016/j.jenvman.2013.12.038", "10.99999/slr-repro.2007.0085", "10.99999/slr-repro.2000.0096"}


def run(root: Path) -> None:
    started = time.perf_counter()
    done = snakemake(root)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    print(f"snakemake run: {time.perf_counter() - started:.1f} s")


def attached(root: Path) -> dict[tuple[str, int], tuple[str, dict[str, object]]]:
    """Every coded row of every code file -> (the work it attaches to, its values)."""
    index = WorkIndex(read_works(root / "results" / "works.csv"))
    out: dict[tuple[str, int], tuple[str, dict[str, object]]] = {}
    for name, parsers in CODE_FILES.items():
        coded = load(index, [root / name], parsers)
        assert not coded.problems and not coded.attached.orphans and not coded.attached.ambiguous
        for work_id, rows in coded.attached.by_work.items():
            for row in rows:
                values = {k: parsers[k](row.row.cells.get(k)) for k in parsers}
                out[(name, row.source.row)] = (work_id, values)
    return out


def by_id(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {r["work_id"]: r for r in rows}


def counts(root: Path) -> dict[str, str]:
    return {r["stage"]: r["count"] for r in read_csv(root / "results" / "funnel.csv")}


def section(text: str, title: str) -> str:
    start = text.index(f"== {title}")
    end = text.find("\n== ", start + 1)
    return text[start : end if end != -1 else len(text)]


@pytest.mark.slow
def test_a_living_review_keeps_every_decision(tmp_path):
    root = make_review(tmp_path)
    results = root / "results"

    # 1. The exports alone: sheets to fill, and no previous run to compare with.
    run(root)
    audit = (results / "audit.txt").read_text(encoding="utf-8")
    assert "no previous run to compare with: this is the first run" in section(audit, "Changes since the last run")
    assert {r["decision"] for r in read_csv(results / "screening" / "abstract_screened.csv")} == {"to_screen"}

    # 2. The researcher fills the sheets and codes availability and segments, then runs again.
    notes = FIXTURE / "researcher"
    coded = root / "data" / "coded"
    assert fill_sheet(results / "screening" / "pilot.csv", notes / "pilot.csv", PILOT, coded / "pilot.csv") == 3
    n_abstract = fill_sheet(
        results / "screening" / "abstract.csv",
        notes / "abstract_screening.csv",
        ABSTRACT,
        coded / "abstract_screening.csv",
    )
    works1 = read_works(results / "works.csv")
    assert n_abstract == sum(1 for w in works1 if "refined" in w["searches"])  # every work coded
    known = {m for w in works1 for m in w["members"]}
    copy_notes(notes / "fulltext.csv", coded / "fulltext.csv", known)
    shutil.copy(notes / "segments.csv", coded / "segments.csv")
    run(root)
    before = attached(root)
    assert before  # the researcher's decisions attach
    works2 = {w["work_id"]: w for w in read_works(results / "works.csv")}
    screened2 = by_id(read_csv(results / "screening" / "abstract_screened.csv"))
    assert "to_screen" not in {r["decision"] for r in screened2.values()}
    counts2 = counts(root)
    assert int(counts2["coded"]) > 0 and int(counts2["anchor_included"]) > 0
    half = {rid: wid for wid, w in works2.items() for rid in w["members"] if rid in (SCOPUS_HALF, WOS_HALF)}
    doi_work, title_work = half[SCOPUS_HALF], half[WOS_HALF]
    assert doi_work != title_work  # two works before the bridge

    # 3. A new export overlapping the old ones, in both searches, and the refined Scopus CSV
    #    re-exported as RIS.
    for search in ("broad", "refined"):
        shutil.copy(FIXTURE / "update.ris", root / "data" / "raw" / search / "update.ris")
    refined = root / "data" / "raw" / "refined"
    scopus_csv_to_ris(refined / "scopus.csv", refined / "scopus.ris")
    (refined / "scopus.csv").unlink()
    run(root)

    # Every coded row still attaches, to the same work or to the work that absorbed it.
    after = attached(root)
    assert after.keys() == before.keys(), "decisions lost"
    works3 = {w["work_id"]: w for w in read_works(results / "works.csv")}
    moved = {}
    for key, (old_work, values) in before.items():
        new_work, new_values = after[key]
        assert new_values == values, key
        assert new_work == old_work or old_work in works3[new_work]["aliases"], (key, old_work, new_work)
        if new_work != old_work:
            moved[old_work] = new_work
    lost = [w for w in works2 if w not in works3 and not any(w in x["aliases"] for x in works3.values())]
    assert lost == []

    # The bridging record joined the two halves: the DOI work's id survives, the other is its alias,
    # and the decision coded on the old id attaches to the merged work.
    merged = [wid for wid, w in works3.items() if {SCOPUS_HALF, WOS_HALF} <= set(w["members"])]
    assert merged == [doi_work]
    assert title_work in works3[doi_work]["aliases"]
    assert moved == {title_work: doi_work}
    code_rows = read_csv(coded / "abstract_screening.csv")
    old_id_rows = [i for i, r in enumerate(code_rows, start=2) if r["work_id"] == title_work]
    assert old_id_rows and all(
        after[("data/coded/abstract_screening.csv", line)][0] == doi_work for line in old_id_rows
    )

    # Screening decisions are the same for every work coded before.
    screened3 = by_id(read_csv(results / "screening" / "abstract_screened.csv"))
    for wid, row in screened2.items():
        assert screened3[moved.get(wid, wid)]["decision"] == row["decision"], wid

    # The new works (and only they) wait to be screened, and the sheet lists them with blank criteria.
    new_works = {wid for wid in works3 if wid not in works2 and not set(works3[wid]["aliases"]) & set(works2)}
    assert {works3[w]["doi"] for w in new_works} == NEW_DOIS
    assert {w for w, r in screened3.items() if r["decision"] == "to_screen"} == new_works
    sheet = by_id(read_csv(results / "screening" / "abstract.csv"))
    assert all(not sheet[w][c] for w in new_works for c in ABSTRACT)
    # The re-formatted copies of known works (capitals, no DOI, full names, a DOI as URL) joined them.
    update = read_csv(results / "records" / "refined" / "update.ris.csv")
    clusters = {r["record_id"]: r["work_id"] for r in read_csv(results / "clusters.csv")}
    joined = {clusters[r["record_id"]] for r in update} - new_works
    assert joined <= set(works2) and len(joined) == len(update) - len(new_works)
    assert len(works3) == len(works2) + len(new_works) - 1

    # Later stages keep their decisions: availability, full texts and coded studies are unchanged.
    counts3 = counts(root)
    for stage in ("fulltext_not_retrieved", "fulltext_retrieved", "anchor_included", "coded", "pilot_sample"):
        assert counts3[stage] == counts2[stage], stage
    assert counts3["identified_refined_scopus"] == counts2["identified_refined_scopus"]  # CSV -> RIS

    # The audit says what changed in each stage since the last run.
    shown = run_slr("audit", cwd=root)
    assert shown.returncode == 0, shown.stderr
    changes = section(shown.stdout, "Changes since the last run")
    assert changes == section((results / "audit.txt").read_text(encoding="utf-8"), "Changes since the last run")
    assert "previous run: " in changes
    n_update = len(update)
    assert f"identified_refined_other: new stage -> {n_update}" in changes
    assert f"identified_broad_other: new stage -> {n_update}" in changes
    for stage in ("broad_unique", "refined_unique"):
        old, new = int(counts2[stage]), int(counts3[stage])
        assert f"{stage}: {old} -> {new} ({new - old:+d})" in changes
    block = changes[changes.index("refined_unique:") :]
    block = block[: block.index("\n", block.index(f"{title_work} "))]
    assert f"entered ({len(new_works)})" in block and all(w in block for w in new_works)
    assert f"left (1):\n      {title_work} " in block and f"merged into {doi_work} (in this stage)" in block
    assert f"screened_included: {counts2['screened_included']} -> {counts3['screened_included']}" in changes
    assert f"to_screen 0 -> {len(new_works)}" in changes
    unchanged = next(line for line in changes.splitlines() if line.startswith("unchanged: "))
    for stage in ("pilot_sample", "fulltext_retrieved", "anchor_included", "coded", "identified_refined_scopus"):
        assert stage in unchanged
    # ... and so does the report.
    report = (results / "report.html").read_text(encoding="utf-8")
    assert "Changes since the last run" in report and title_work in report
