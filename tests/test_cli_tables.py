"""`slr tables build` and `slr tables compare` as a user runs them."""

from __future__ import annotations

import csv

from coding_fixtures import CODEBOOK, DIR

BUILD = (
    "tables",
    "build",
    "--codebook",
    CODEBOOK,
    "--works",
    DIR / "works.csv",
    "--included",
    DIR / "hits.csv",
    "--links",
    DIR / "links.csv",
)


def test_build_writes_every_table(slr, tmp_path):
    out = tmp_path / "tables"
    result = slr(
        *BUILD, DIR / "segments.csv", DIR / "maxqda_2022_export.csv", "--maxqda-root", "Memos=ignore", "--out-dir", out
    )
    assert result.returncode == 0, result.stderr
    assert "13 segments (segments)" in result.stderr and "4 segments (maxqda)" in result.stderr
    assert "17 segments, 9 of 10 included studies coded (1 not coded)" in result.stderr
    with open(out / "tableA1.csv", encoding="utf-8") as fh:
        rows = {r["activity"]: r["references"] for r in csv.DictReader(fh)}
    # the MAXQDA export adds Costa 2010a (Promote the area) and von Malmborg (Be a role model)
    assert rows["Promote the area"] == "Costa and Ferrão 2010a"
    assert rows["Be a role model"] == "Von Malmborg 2004"
    assert rows["Create opportunities for by-product and utility synergies"].startswith("Lowe 1997; Heeres")
    assert (out / "table1.tex").is_file() and (out / "matrix.xlsx").is_file() and (out / "appendixC.bib").is_file()
    assert not list(out.glob("*.part")) and not list(out.glob(".*"))


def test_bad_segment_row_is_one_line_exit_2_and_no_output(slr, tmp_path):
    bad = tmp_path / "segments.csv"
    bad.write_text(
        "study,code\nW01a1,activity/Recruitment/Bake bread\nNobody 2001,actor/private/Brewery\n", encoding="utf-8"
    )
    out = tmp_path / "tables"
    result = slr(*BUILD, bad, "--out-dir", out)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {bad}:2: unknown activity 'Bake bread'")
    assert f"{bad}:3: unknown study 'Nobody 2001'" in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_bad_root_option_is_a_usage_error(slr, tmp_path):
    result = slr(*BUILD, DIR / "segments.csv", "--maxqda-root", "Memos", "--out-dir", tmp_path)
    assert result.returncode == 2 and "error: --maxqda-root 'Memos': expected ROOT=KIND" in result.stderr


def test_compare_strict_fails_on_unaccepted_and_passes_when_accepted(slr, tmp_path):
    out = tmp_path / "tables"
    assert slr(*BUILD, DIR / "segments.csv", "--out-dir", out).returncode == 0
    published = tmp_path / "published.yaml"
    published.write_text("table_1_actor_types:\n  private: {Power plant: 3, Brewery: 1}\n", encoding="utf-8")
    report = tmp_path / "comparison.csv"
    result = slr("tables", "compare", out, published, "--codebook", CODEBOOK, "--strict", "-o", report)
    assert result.returncode == 1
    assert "DIFFERENT table1/count/brewery: published 1 studies, computed 0" in result.stdout
    assert (
        "error: 2 difference(s) not accepted: table1/count/brewery, table1/row-only-in-computed/public-authority"
        in result.stderr
    )
    assert report.is_file()  # the report is written even when the check fails
    accept = tmp_path / "accept.yaml"
    accept.write_text(
        "accepted:\n  - anomaly: Brewery\n    ids: [table1/count/brewery]\n"
        "  - anomaly: subset\n    ids: [table1/row-only-in-computed/public-authority]\n",
        encoding="utf-8",
    )
    result = slr("tables", "compare", out, published, "--codebook", CODEBOOK, "--accept", accept, "--strict")
    assert result.returncode == 0, result.stderr
    assert "accepted  table1/count/brewery" in result.stdout
    assert "2 difference(s): 2 accepted, 0 not accepted" in result.stderr


def test_compare_without_strict_reports_and_exits_0(slr, tmp_path):
    out = tmp_path / "tables"
    assert slr(*BUILD, DIR / "segments.csv", "--out-dir", out).returncode == 0
    published = tmp_path / "published.yaml"
    published.write_text("appendix_c_included_studies: ['Rescher 1996']\n", encoding="utf-8")
    result = slr("tables", "compare", out, published, "--codebook", CODEBOOK)
    assert result.returncode == 0
    assert "DIFFERENT appendixC/not-coded/rescher-1996" in result.stdout


def test_compare_bad_yaml_is_one_line(slr, tmp_path):
    published = tmp_path / "published.yaml"
    published.write_text("funnel: [\n", encoding="utf-8")
    result = slr("tables", "compare", tmp_path, published, "--codebook", CODEBOOK)
    assert result.returncode == 2 and result.stderr.startswith(f"error: {published}:")
    assert "not valid YAML" in result.stderr and len(result.stderr.strip().splitlines()) == 1
