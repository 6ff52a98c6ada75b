"""Funnel counts and the PRISMA diagram on the hand-made review (counts derived by hand in
review_fixture's docstring)."""

from __future__ import annotations

import csv
import re

from review_fixture import EXPECTED, FUNNEL_ARGS, apply_screening, build, run_ok, write_csv

from slr import funnel


def read(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_funnel_counts_every_stage(slr, tmp_path):
    root = build(tmp_path)
    apply_screening(slr, root)
    run_ok(slr, root, *FUNNEL_ARGS, "--expected", "broad_unique=8", "--expected", "screened_included=257")
    rows = read(root / "results/funnel.csv")
    assert [r["stage"] for r in rows] == list(EXPECTED)  # exactly the contract's stages, in order
    assert {r["stage"]: int(r["count"]) for r in rows} == EXPECTED
    expected = {r["stage"]: r["expected"] for r in rows if r["expected"]}
    assert expected == {"broad_unique": "8", "screened_included": "257"}
    reasons = {(r["stage"], r["reason"]): int(r["count"]) for r in read(root / "results/funnel_reasons.csv")}
    assert reasons == {
        ("pilot_sample", "relevant"): 1,
        ("pilot_sample", "not governance_relevant"): 1,
        ("pilot_sample", "not empirical"): 1,
        ("screened_included", "quantitative_assessment"): 1,
        ("screened_included", "not empirical"): 1,
        ("screened_included", "not relevant_to_is"): 1,
        ("fulltext_not_retrieved", "restricted_access"): 1,
        ("anchor_included", "no_anchor_mention"): 1,
    }


def test_stages_without_inputs_are_pending(slr, tmp_path):
    root = build(tmp_path, stages="screening")
    run_ok(
        slr,
        root,
        "screening",
        "apply",
        "results/works.csv",
        "data/coded/abstract_screening.csv",
        "--criteria",
        "relevant_to_is,empirical,quantitative_assessment",
        "--search",
        "refined",
        "--rule",
        "relevant_to_is and empirical and not quantitative_assessment",
        "-o",
        "results/screening/abstract_screened.csv",
    )
    run_ok(slr, root, *FUNNEL_ARGS)
    counts = {r["stage"]: r["count"] for r in read(root / "results/funnel.csv")}
    assert counts["refined_unique"] == "6" and counts["screened_included"] == "3"
    for stage in (
        "pilot_sample",
        "fulltext_not_retrieved",
        "fulltext_retrieved",
        "fulltext_unreadable",
        "anchor_included",
        "coded",
    ):
        assert counts[stage] == "pending", stage

    # Before dedupe and ingest, everything is pending, nothing is zero.
    empty = tmp_path / "empty"
    empty.mkdir()
    run_ok(slr, empty, *FUNNEL_ARGS)
    counts = {r["stage"]: r["count"] for r in read(empty / "results/funnel.csv")}
    assert set(counts.values()) == {"pending"}
    assert "identified_broad" in counts and "broad_unique" in counts


def test_unreadable_and_unlinked_pdfs(slr, tmp_path):
    root = build(tmp_path)
    apply_screening(slr, root)
    # b.pdf is a scanned PDF; Wa01 also has a second, broken PDF (its ok PDF keeps it readable).
    write_csv(
        root / "results/fulltext/links.csv",
        ["work_id", "file", "matched_by", "score"],
        [
            ("Wa01", "data/fulltext/a.pdf", "doi", "1"),
            ("Wa01", "data/fulltext/a2.pdf", "doi", "1"),
            ("Wa02", "data/fulltext/b.pdf", "title", "1"),
        ],
    )
    write_csv(
        root / "results/fulltext/manifest.csv",
        ["file", "status", "pages", "chars", "message"],
        [("a.pdf", "ok", "1", "9", ""), ("a2.pdf", "broken", "", "", "x"), ("b.pdf", "no_text_layer", "3", "0", "")],
    )
    stages = funnel.by_name(
        funnel.compute(
            funnel.FunnelInputs(
                searches=["broad", "refined"],
                records_dir=root / "results/records",
                works=root / "results/works.csv",
                screened=root / "results/screening/abstract_screened.csv",
                availability=root / "results/screening/availability.csv",
                links=root / "results/fulltext/links.csv",
                manifest=root / "results/fulltext/manifest.csv",
                hits=root / "results/fulltext/hits.csv",
            )
        )
    )
    assert stages["fulltext_retrieved"].count == 2
    assert stages["fulltext_unreadable"].count == 1
    assert stages["fulltext_unreadable"].reasons == {"no_text_layer": 1}
    # Wa02 is unreadable, so it is neither included nor "no mention".
    assert stages["anchor_included"].count == 1
    assert stages["anchor_included"].reasons == {"no_anchor_mention": 0, "unreadable": 1}
    assert stages["coded"].count is None and "pilot_sample" not in stages  # no pilot configured

    # A work coded retrieved without a linked PDF is not counted as retrieved, and is explained.
    write_csv(
        root / "results/fulltext/links.csv",
        ["work_id", "file", "matched_by", "score"],
        [("Wa01", "data/fulltext/a.pdf", "doi", "1")],
    )
    stages = funnel.by_name(
        funnel.compute(
            funnel.FunnelInputs(
                searches=["refined"],
                screened=root / "results/screening/abstract_screened.csv",
                availability=root / "results/screening/availability.csv",
                links=root / "results/fulltext/links.csv",
            )
        )
    )
    assert stages["fulltext_retrieved"].count == 1
    assert stages["fulltext_retrieved"].reasons == {"retrieved_but_no_pdf_linked": 1}


def test_prisma_svg_and_png_from_the_funnel(slr, tmp_path):
    root = build(tmp_path)
    apply_screening(slr, root)
    run_ok(slr, root, *FUNNEL_ARGS)
    run_ok(
        slr,
        root,
        "prisma",
        "results/funnel.csv",
        "results/funnel_reasons.csv",
        "-o",
        "results/prisma.svg",
        "--png",
        "results/prisma.png",
        "--identification",
        "refined",
        "--development",
        "broad",
        "--label",
        "relevant_to_is=relevant to industrial symbiosis",
    )
    svg = (root / "results/prisma.svg").read_text(encoding="utf-8")
    png = (root / "results/prisma.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    # Numbers derived by hand: refined identified scopus 5 + wos 3 = 8, 6 unique -> 2 duplicates removed;
    # 6 screened, 3 excluded; 3 sought, 1 not retrieved; 2 assessed, 1 excluded; 1 included, 1 coded.
    for text in [
        "Scopus (n = 5)",
        "Web of Science (n = 3)",
        "duplicate records (n = 2)",
        "Records screened",
        "(n = 6)",
        "Records excluded (n = 3)",
        "not relevant to industrial symbiosis (n = 1)",
        "Reports not retrieved (n = 1)",
        "restricted access (n = 1)",
        "Reports excluded (n = 1)",
        "Unique records (n = 8)",
        "(n = 3; excludes nothing)",
        "of which coded (n = 1)",
    ]:
        assert text in svg, text
    assert "pending" not in svg


def test_prisma_draws_pending_stages(slr, tmp_path):
    funnel_csv = write_csv(
        tmp_path / "funnel.csv",
        ["stage", "count", "expected"],
        [
            ("identified_refined_scopus", "5", ""),
            ("refined_unique", "4", "666"),
            ("screened_included", "pending", "257"),
        ],
    )
    reasons = write_csv(tmp_path / "reasons.csv", ["stage", "reason", "count"], [])
    run_ok(slr, tmp_path, "prisma", funnel_csv, reasons, "-o", "p.svg", "--identification", "refined")
    svg = (tmp_path / "p.svg").read_text(encoding="utf-8")
    assert "Records screened" in svg and "(n = 4)" in svg and "Reports sought for retrieval" in svg
    assert "(n = pending)" in svg and "Records excluded (n = pending)" in svg


def test_only_the_current_exports_records_count(slr, tmp_path):
    """An export removed (or re-exported under another name) leaves its records file behind in
    results/records/; the workflow passes the current exports' files with --records and the audit
    finds them from the config, so the stale file counts for neither."""
    root = build(tmp_path)
    apply_screening(slr, root)
    stale = root / "results/records/broad/dropped.csv.csv"
    stale.write_text(
        (root / "results/records/broad/wos.txt.csv")
        .read_text(encoding="utf-8")
        .replace("WOS:00", "WOS:99"),  # four WoS records of an export no longer in data/raw/broad
        encoding="utf-8",
    )
    records = [
        f"results/records/{s}/{n}.csv"
        for s, n in (("broad", "scopus.csv"), ("broad", "wos.txt"), ("refined", "scopus.csv"), ("refined", "wos.txt"))
    ]
    run_ok(slr, root, *FUNNEL_ARGS, *[a for r in records for a in ("--records", r)])
    counts = {r["stage"]: int(r["count"]) for r in read(root / "results/funnel.csv")}
    assert counts["identified_broad_wos"] == EXPECTED["identified_broad_wos"]
    audit = slr("audit", cwd=root)
    shown = re.search(r"^identified_broad_wos +(\d+)", audit.stdout, re.MULTILINE)
    assert shown is not None and int(shown.group(1)) == EXPECTED["identified_broad_wos"]
    # Without --records every file in --records-dir counts, the stale one too.
    run_ok(slr, root, *FUNNEL_ARGS)
    counts = {r["stage"]: int(r["count"]) for r in read(root / "results/funnel.csv")}
    assert counts["identified_broad_wos"] == EXPECTED["identified_broad_wos"] + 4
    bad = slr(*FUNNEL_ARGS, "--records", "results/records/other/x.csv", cwd=root)
    assert bad.returncode == 2 and "is not one of the searches" in bad.stderr
