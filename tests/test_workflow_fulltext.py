"""The full-text rules under Snakemake: batches, the merge, and a re-run that extracts nothing."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def snakemake(workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "fulltext_all", "--cores", "2", *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        env=env,
    )


@pytest.mark.slow
def test_fulltext_rules(tmp_path, fixtures):
    shutil.copy(REPO / "Snakefile", tmp_path)
    shutil.copytree(REPO / "workflow", tmp_path / "workflow")
    shutil.copytree(REPO / "config", tmp_path / "config")
    pdfs = tmp_path / "data" / "fulltext"
    pdfs.mkdir(parents=True)
    for name in ("simple1.pdf", "linn.pdf", "aes-128.pdf", "invalid.pdf", "skew.pdf"):
        shutil.copy(fixtures / "pdf" / name, pdfs / name)
    (tmp_path / "results" / "screening").mkdir(parents=True)
    (tmp_path / "results" / "works.csv").write_text("work_id,title,authors,year,doi\nW1,A title,,2017,10.1/a\n")
    (tmp_path / "results" / "screening" / "abstract_screened.csv").write_text("work_id,decision\nW1,included\n")
    config = tmp_path / "config" / "config.yaml"
    config.write_text(re.sub(r"batch_size: \d+", "batch_size: 2", config.read_text()))

    done = snakemake(tmp_path)
    assert done.returncode == 0, done.stderr
    batches = sorted(p.name for p in (tmp_path / "results" / "fulltext" / "batches").iterdir())
    assert len(batches) >= 2 and all(b.startswith("4-") for b in batches)
    with open(tmp_path / "results" / "fulltext" / "manifest.csv", newline="") as fp:
        statuses = {row["file"]: row["status"] for row in csv.DictReader(fp)}
    assert statuses == {
        "aes-128.pdf": "encrypted",
        "invalid.pdf": "broken",
        "linn.pdf": "no_text_layer",
        "simple1.pdf": "no_text_layer",
        "skew.pdf": "no_text_layer",
    }
    with open(tmp_path / "results" / "fulltext" / "unlinked.csv", newline="") as fp:
        assert {row["kind"] for row in csv.DictReader(fp)} == {"unmatched_pdf", "missing_pdf"}

    again = snakemake(tmp_path, "--dry-run")
    assert "Nothing to be done" in again.stdout + again.stderr

    shutil.copy(fixtures / "pdf" / "simple1.pdf", pdfs / "added.pdf")
    plan = snakemake(tmp_path, "--dry-run", "--quiet", "rules")
    extract_jobs = [line for line in plan.stdout.splitlines() if line.strip().startswith("fulltext_extract")]
    assert extract_jobs and extract_jobs[0].split()[-1] == "1", plan.stdout
