"""`slr case ...` as a user runs it: outputs, printed accuracy, one-line errors, no half-written files."""

from __future__ import annotations

import csv
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QIJIANG = REPO / "data" / "cases" / "qijiang"
CASES = Path(__file__).parent / "fixtures" / "cases"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_classify_then_narrative_for_qijiang(slr, tmp_path):
    classified = tmp_path / "qijiang" / "classified.csv"
    result = slr("case", "classify", QIJIANG / "activities.csv", "-o", classified, "--codebook",
                 REPO / "config" / "codebook.yaml")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "anchoring accuracy 10/10" in result.stdout and "gold \\ predicted" in result.stdout
    out = rows(classified)
    assert [r["id"] for r in out] == [f"a{i}" for i in range(1, 11)]
    assert all(r["anchoring"] in ("physical", "institutional") and r["evidence"] for r in out)
    assert out[0]["description"] and out[0]["gold_anchoring"] == "institutional"  # input columns kept

    out_dir = tmp_path / "results"
    result = slr("case", "narrative", QIJIANG, "--classified", classified, "--out-dir", out_dir)
    assert result.returncode == 0, result.stderr
    for name in ("table5.csv", "table5.md", "table5.html", "narrative_graph.svg", "narrative_graph.png",
                 "indicators.csv"):  # fmt: skip
        assert (out_dir / name).stat().st_size > 0, name
    root = ET.parse(out_dir / "narrative_graph.svg").getroot()
    nodes = [el.get("id") for el in root.iter() if (el.get("id") or "").startswith("node-")]
    assert len(nodes) == 12  # ten activities, two of them with two actors
    ind = {r["indicator"]: r["value"] for r in rows(out_dir / "indicators.csv")}
    assert ind["share_institutional"] == "0.700" and ind["actors_both_types"] == "2"
    assert "funnel_spearman" in result.stdout


def test_compare_cases(slr, tmp_path):
    out, sim = tmp_path / "compare.csv", tmp_path / "similarity.csv"
    result = slr("case", "compare", CASES / "kalundborg", CASES / "nisp", CASES / "ulsan", "-o", out,
                 "--similarity", sim, "--codebook", REPO / "config" / "codebook.yaml")  # fmt: skip
    assert result.returncode == 0, result.stderr
    table = rows(out)
    assert list(table[0]) == ["indicator", "kalundborg", "nisp", "ulsan"]
    assert {r["indicator"] for r in table} >= {"share_institutional", "funnel_spearman", "category_sequence"}
    pairs = rows(sim)
    assert [(p["case_a"], p["case_b"]) for p in pairs] == [("kalundborg", "nisp"), ("kalundborg", "ulsan"),
                                                           ("nisp", "ulsan")]  # fmt: skip
    assert all(0.0 <= float(p["category_similarity"]) <= 1.0 for p in pairs)


def test_compare_reads_classified_results(slr, tmp_path):
    results = tmp_path / "results"
    assert slr("case", "classify", QIJIANG / "activities.csv", "-o", results / "qijiang" / "classified.csv",
               "--codebook", REPO / "config" / "codebook.yaml").returncode == 0  # fmt: skip
    result = slr("case", "compare", QIJIANG, "--results-dir", results)
    assert result.returncode == 0, result.stderr
    assert "qijiang: Political and managerial support > Creating infrastructure" in result.stdout


def bad_run(slr, tmp_path, *args):
    result = slr(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_bad_case_file_is_one_line_error_and_no_output(slr, tmp_path):
    folder = tmp_path / "broken"
    shutil.copytree(QIJIANG, folder)
    text = (folder / "actors.csv").read_text(encoding="utf-8").replace("park,public", "estate,public")
    (folder / "actors.csv").write_text(text, encoding="utf-8")
    classified = tmp_path / "classified.csv"
    assert slr("case", "classify", folder / "activities.csv", "-o", classified, "--codebook",
               REPO / "config" / "codebook.yaml").returncode == 0  # fmt: skip
    out_dir = tmp_path / "out"
    line = bad_run(slr, tmp_path, "case", "narrative", folder, "--classified", classified, "--out-dir", out_dir)
    assert "actors.csv:5:" in line and "level" in line
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_bad_gold_category_stops_classify(slr, tmp_path):
    path = tmp_path / "activities.csv"
    path.write_text("id,order,activity,actors,description,gold_category\nx1,1,A,Firm,Text.,Funding\n", encoding="utf-8")
    out = tmp_path / "classified.csv"
    line = bad_run(slr, tmp_path, "case", "classify", path, "-o", out, "--codebook", REPO / "config" / "codebook.yaml")
    assert "activities.csv:2:" in line and "Funding" in line
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_classified_file_of_another_case_is_refused(slr, tmp_path):
    classified = tmp_path / "classified.csv"
    assert slr("case", "classify", CASES / "ulsan" / "activities.csv", "-o", classified, "--codebook",
               REPO / "config" / "codebook.yaml").returncode == 0  # fmt: skip
    line = bad_run(slr, tmp_path, "case", "narrative", QIJIANG, "--classified", classified, "--out-dir", tmp_path / "o")
    assert "classified.csv:2:" in line and "u1" in line


def test_classify_needs_only_id_and_description(slr, tmp_path):
    path = tmp_path / "activities.csv"
    path.write_text(
        "id,description\n"
        "e1,The paper mill sends its lime sludge to a cement kiln next door.\n"
        "e2,The town hall runs meetings where firms and officials talk about waste.\n",
        encoding="utf-8",
    )
    out = tmp_path / "classified.csv"
    result = slr("case", "classify", path, "-o", out, "--codebook", REPO / "config" / "codebook.yaml")
    assert result.returncode == 0, result.stderr
    got = {r["id"]: (r["anchoring"], r["category"]) for r in rows(out)}
    assert got == {
        "e1": ("physical", "Contributing to synergies"),
        "e2": ("institutional", "Stimulating social interactions"),
    }
    assert "accuracy" not in result.stdout  # no gold columns, nothing to score
