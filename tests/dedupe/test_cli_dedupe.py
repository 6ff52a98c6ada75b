"""`slr dedupe` as a user runs it: files in, three CSVs out, one-line errors."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from slr.records import write_records

from .conftest import rec

WORKS = (
    "work_id,title,authors,year,journal,volume,issue,pages,doi,abstract,keywords,doc_type,language,"
    "databases,searches,n_records,members,aliases"
)
PAIRS_START = "record_id_a,record_id_b,decision,rule,score"


def read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def exports(tmp_path: Path) -> tuple[Path, Path]:
    shared = dict(
        authors=["Chertow, M.R."], year=2007, journal="Journal of Industrial Ecology", volume="11", pages="11-30"
    )
    title = "Uncovering industrial symbiosis"
    broad = [
        rec("2-s2.0-1", title, doi="10.1162/jiec.2007.1110", search="broad", source_file="scopus.csv", **shared),
        rec("WOS:1", title.upper(), search="broad", source_file="wos.txt", **shared),
        rec("2-s2.0-2", "Industrial ecology and the anchor tenant", search="broad", year=2001),
    ]
    refined = [rec("2-s2.0-1", title, doi="10.1162/jiec.2007.1110", search="refined", source_file="s2.csv", **shared)]
    a, b = tmp_path / "broad.csv", tmp_path / "refined.csv"
    write_records(broad, a)
    write_records(refined, b)
    return a, b


def test_dedupe_writes_works_clusters_and_pairs(slr, tmp_path):
    a, b = exports(tmp_path)
    out = tmp_path / "out"
    result = slr(
        "dedupe", a, b, "-o", out / "works.csv", "--clusters", out / "clusters.csv", "--pairs", out / "pairs.csv"
    )
    assert result.returncode == 0, result.stderr
    assert "3 records from 2 file(s) -> 2 works" in result.stderr
    assert (out / "works.csv").read_text(encoding="utf-8").splitlines()[0] == WORKS
    assert (out / "pairs.csv").read_text(encoding="utf-8").startswith(PAIRS_START)
    works = {w["members"]: w for w in read(out / "works.csv")}
    merged = works["2-s2.0-1; WOS:1"]
    # the Scopus record was found by both searches: one record, two searches
    assert (
        merged["searches"] == "broad; refined" and merged["databases"] == "scopus; wos" and merged["n_records"] == "2"
    )
    assert merged["title"] == "Uncovering industrial symbiosis"
    clusters = read(out / "clusters.csv")
    assert [c["record_id"] for c in clusters] == ["2-s2.0-1", "2-s2.0-2", "WOS:1"]  # one row per distinct record
    assert {c["work_id"] for c in clusters} == {w["work_id"] for w in works.values()}


def test_output_is_identical_on_a_fresh_run_whatever_the_hash_seed(tmp_path):
    a, b = exports(tmp_path)
    outputs = []
    for seed, files in (("1", [a, b]), ("2", [b, a])):
        out = tmp_path / f"run{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        args = [
            *map(str, files),
            "-o",
            str(out / "w.csv"),
            "--clusters",
            str(out / "c.csv"),
            "--pairs",
            str(out / "p.csv"),
        ]
        done = subprocess.run([sys.executable, "-m", "slr", "dedupe", *args], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        outputs.append([(out / name).read_bytes() for name in ("w.csv", "c.csv", "p.csv")])
    assert outputs[0] == outputs[1]


def test_one_record_id_with_two_titles_names_both_files_and_writes_nothing(slr, tmp_path):
    a, _ = exports(tmp_path)
    other = tmp_path / "other.csv"
    write_records([rec("2-s2.0-2", "A different paper altogether", search="refined")], other)
    out = tmp_path / "out"
    result = slr("dedupe", a, other, "-o", out / "works.csv", "--clusters", out / "clusters.csv")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "2-s2.0-2" in lines[0] and "other.csv" in lines[0] and "broad.csv" in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_unknown_override_ids_stop_the_run_before_any_output(slr, tmp_path):
    a, b = exports(tmp_path)
    overrides = tmp_path / "dedup_overrides.csv"
    overrides.write_text("record_id_a,record_id_b,decision,note\n2-s2.0-1,WOS:404,different,\n", encoding="utf-8")
    out = tmp_path / "out"
    result = slr("dedupe", a, b, "-o", out / "w.csv", "--clusters", out / "c.csv", "--overrides", overrides)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {overrides}:2: unknown record id(s): line 2: WOS:404")
    assert not (out / "w.csv").exists()


def test_not_a_records_file_is_refused(slr, tmp_path):
    bad = tmp_path / "export.csv"
    bad.write_text("Title,Authors\nx,y\n", encoding="utf-8")
    result = slr("dedupe", bad, "-o", tmp_path / "w.csv", "--clusters", tmp_path / "c.csv")
    assert result.returncode == 2 and "not a records file" in result.stderr and "Traceback" not in result.stderr
