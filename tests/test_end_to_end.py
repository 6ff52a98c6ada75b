"""End to end: the shipped data, through the real workflow, give the paper's figures.

Expected values come from the paper (config/published.yaml), never from a previous run.
The mutation tests change one decision and one coded segment in a copy and check that
every output follows: the numbers are computed, not copied from config.
"""

from __future__ import annotations

import csv
import re
import shutil

import pytest
from e2e_support import copy_project, funnel, published, rows, slr, snakemake

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]

PUB = published()


@pytest.fixture(scope="module")
def reproduced(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("review") / "project")
    result = snakemake(project)
    assert result.returncode == 0, result.stderr[-3000:]
    return project


def test_funnel_equals_the_published_counts(reproduced):
    f = PUB["funnel"]
    got = funnel(reproduced)
    assert got["broad_unique"] == str(f["broad_search_merged_deduplicated"])
    assert got["pilot_sample"] == str(f["pilot_abstracts_coded"])
    assert got["refined_unique"] == str(f["refined_search_merged_deduplicated"])
    assert got["screened_included"] == str(f["abstract_screening_included"])
    assert got["fulltext_not_retrieved"] == str(f["fulltext_unavailable"])
    assert got["fulltext_retrieved"] == str(f["fulltext_retrieved"])
    assert got["fulltext_unreadable"] == "0"
    assert got["anchor_included"] == str(f["anchor_mention_included"])
    assert got["coded"] == str(f["coded_reproducible"])
    # expected column = the published figure, and nothing pending
    for row in rows(reproduced / "results" / "funnel.csv"):
        assert row["count"] != "pending", row
        if row["expected"]:
            assert row["count"] == row["expected"], row


def test_strict_audit_passes(reproduced):
    result = slr(reproduced, "audit", "--strict")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert "audit: every check passed" in result.stdout


def test_table1_equals_the_paper(reproduced):
    computed = {
        (r["sector"], r["actor_type"]): int(r["studies"]) for r in rows(reproduced / "results/tables/table1.csv")
    }
    expected = {(sector, name): n for sector, items in PUB["table_1_actor_types"].items() for name, n in items.items()}
    assert computed == expected


def test_table2_lists_the_published_taxonomy(reproduced):
    computed = {(r["type"], r["category"], r["activity"]) for r in rows(reproduced / "results/tables/table2.csv")}
    for type_, categories in PUB["table_2_taxonomy"].items():
        for category, activities in categories.items():
            for activity in activities:
                assert (type_, category, activity) in computed


def test_table_a1_differs_only_by_the_papers_anomalies(reproduced):
    diffs = rows(reproduced / "results/tables/comparison.csv")
    assert diffs, "the paper's known anomalies must show up"
    assert [d["id"] for d in diffs if d["accepted"] != "yes"] == []
    # every known anomaly of the paper is among the accepted differences
    anomalies = {d["anomaly"] for d in diffs}
    assert set(PUB["known_anomalies"]) <= anomalies


def test_qijiang_anchoring_type_is_ten_of_ten(reproduced):
    gold = {a["id"]: a["anchoring"] for a in PUB["table_5_qijiang_case"]}
    computed = {r["id"]: r["anchoring"] for r in rows(reproduced / "results/cases/qijiang/classified.csv")}
    assert computed == gold


def test_report_and_diagram_show_the_computed_counts(reproduced):
    html = (reproduced / "results" / "report.html").read_text(encoding="utf-8")
    svg = (reproduced / "results" / "prisma.svg").read_text(encoding="utf-8")
    f = PUB["funnel"]
    for key in (
        "broad_search_merged_deduplicated",
        "refined_search_merged_deduplicated",
        "abstract_screening_included",
        "fulltext_retrieved",
        "anchor_mention_included",
        "coded_reproducible",
    ):
        assert re.search(rf"<td>{f[key]}</td>", html), key
    for key in (
        "refined_search_merged_deduplicated",
        "abstract_screening_included",
        "fulltext_unavailable",
        "fulltext_retrieved",
        "anchor_mention_included",
    ):
        assert f"n = {f[key]}" in svg, key


def test_nothing_to_do_on_a_second_run(reproduced):
    result = snakemake(reproduced, "--dry-run")
    assert result.returncode == 0
    assert "Nothing to be done" in result.stdout + result.stderr


def test_snakemake_report_works(reproduced):
    result = snakemake(reproduced, "--report", "results/snakemake_report.zip")
    assert result.returncode == 0, result.stderr[-2000:]
    assert (reproduced / "results" / "snakemake_report.zip").stat().st_size > 0


# ---------------------------------------------------------------- mutation


@pytest.fixture(scope="module")
def mutated(reproduced, tmp_path_factory):
    """A copy of the reproduced review with one screening decision flipped and one segment re-coded,
    run again incrementally (as a researcher would after editing data/coded/)."""
    project = tmp_path_factory.mktemp("mutated") / "project"
    shutil.copytree(reproduced, project, symlinks=True)
    works = {r["work_id"]: r for r in rows(project / "results/works.csv")}
    hits = {r["work_id"]: r for r in rows(project / "results/fulltext/hits.csv")}
    # a screened-in, retrieved work whose full text does not mention anchor, identified by DOI
    victim = next(w for w, h in sorted(hits.items()) if h["included"] == "no" and works[w]["doi"])
    doi = works[victim]["doi"]
    codes = project / "data/coded/abstract_screening.csv"
    with open(codes, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, data = reader.fieldnames, list(reader)
    (row,) = [r for r in data if r["doi"] == doi]
    assert (row["relevant_to_is"], row["empirical"], row["quantitative_assessment"]) == ("yes", "yes", "no")
    row["quantitative_assessment"] = "yes"
    with open(codes, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(data)
    segments = project / "data/coded/segments.csv"
    text = segments.read_text(encoding="utf-8")
    promote = "activity/Recruitment/Promote the area"
    assert text.count(promote) == 1  # Table A1: only Martin and Eklund 2011 promote the area
    segments.write_text(text.replace(promote, "activity/Recruitment/Recruit new companies for establishment"))
    result = snakemake(project)
    assert result.returncode == 0, result.stderr[-3000:]
    return project, victim


def test_mutation_changes_the_funnel(reproduced, mutated):
    project, victim = mutated
    before, after = funnel(reproduced), funnel(project)
    assert int(after["screened_included"]) == int(before["screened_included"]) - 1
    assert int(after["fulltext_retrieved"]) == int(before["fulltext_retrieved"]) - 1
    assert after["anchor_included"] == before["anchor_included"]
    assert after["broad_unique"] == before["broad_unique"]
    screened = {r["work_id"]: r for r in rows(project / "results/screening/abstract_screened.csv")}
    assert screened[victim]["decision"] == "excluded"


def test_mutation_changes_the_diagram(reproduced, mutated):
    project, _ = mutated
    n = int(funnel(reproduced)["screened_included"]) - 1
    svg = (project / "results/prisma.svg").read_text(encoding="utf-8")
    assert "Reports sought for retrieval" in svg and f"n = {n}" in svg


def test_mutation_changes_the_tables(mutated):
    project, _ = mutated
    a1 = {r["activity"]: r["references"] for r in rows(project / "results/tables/tableA1.csv")}
    assert "Martin and Eklund 2011" in a1["Recruit new companies for establishment"]
    assert "Martin and Eklund 2011" not in a1.get("Promote the area", "")
    t2 = {r["activity"]: int(r["studies"]) for r in rows(project / "results/tables/table2.csv") if r["activity"]}
    (published_row,) = [
        r for r in PUB["table_a1_activity_references"] if r["activity"] == "Recruit other companies for establishment"
    ]
    recruit = len(published_row["references"])
    assert t2["Recruit new companies for establishment"] == recruit + 1
    assert t2.get("Promote the area", 0) == 0


def test_mutation_fails_the_strict_audit_and_shows_in_the_report(reproduced, mutated):
    project, _ = mutated
    audit = slr(project, "audit", "--strict")
    assert audit.returncode == 1
    assert "MISMATCH" in audit.stdout and "screened_included" in audit.stdout
    html = (project / "results/report.html").read_text(encoding="utf-8")
    n = int(funnel(reproduced)["screened_included"]) - 1
    assert re.search(rf"<td>screened_included</td>\s*<td>{n}</td>", html)
    assert "promote-the-area" in html or "Promote the area" in html


# ---------------------------------------------------------------- in a real browser


@pytest.fixture(scope="module")
def browser():
    from e2e_support import find_or_install_chromium

    binary, why = find_or_install_chromium()
    if binary is None:
        pytest.skip(f"headless Chromium unavailable: {why}")
    return binary


def test_report_renders_in_headless_chromium(reproduced, browser, tmp_path):
    from e2e_support import chromium

    page = (reproduced / "results" / "report.html").as_uri()
    shot = tmp_path / "report.png"
    result = chromium(browser, tmp_path / "profile-a", f"--screenshot={shot}", "--window-size=1280,4000", page)
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", result.stderr[-2000:]
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
    dom = chromium(browser, tmp_path / "profile-b", "--dump-dom", page).stdout.decode("utf-8")
    text = re.sub(r"<[^>]+>", " ", dom)
    f = PUB["funnel"]
    for stage, n in (
        ("broad_unique", f["broad_search_merged_deduplicated"]),
        ("refined_unique", f["refined_search_merged_deduplicated"]),
        ("screened_included", f["abstract_screening_included"]),
        ("fulltext_retrieved", f["fulltext_retrieved"]),
        ("anchor_included", f["anchor_mention_included"]),
        ("coded", f["coded_reproducible"]),
    ):
        assert re.search(rf"\b{stage}\s+{n}\b", text), stage
    assert "<script" not in dom.lower()
