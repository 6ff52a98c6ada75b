"""The Snakemake rules produce sheets, screened files, exports, funnel, PRISMA and audit from data/."""

from __future__ import annotations

import csv
import subprocess

import pytest
from review_fixture import EXPECTED, screening_workflow


@pytest.mark.slow
def test_snakemake_runs_the_screening_stages(tmp_path):
    root, cmd, env = screening_workflow(tmp_path)
    cmd = [*cmd, "--quiet"]
    result = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    with open(root / "results/funnel.csv", encoding="utf-8", newline="") as fh:
        counts = {r["stage"]: int(r["count"]) for r in csv.DictReader(fh)}
    assert counts == EXPECTED
    for path in [
        "screening/pilot.xlsx",
        "screening/abstract.csv",
        "screening/pilot_keywords.csv",
        "exports/abstract.ris",
        "exports/broad.bib",
        "prisma.svg",
        "prisma.png",
    ]:
        assert (root / "results" / path).is_file(), path
    assert (root / "results/audit.txt").read_text(encoding="utf-8").endswith("audit: every check passed\n")

    # Nothing to do on a second run; flipping one decision changes the funnel.
    again = subprocess.run([*cmd, "-n"], cwd=root, env=env, capture_output=True, text=True)
    assert "Nothing to be done" in again.stdout + again.stderr
    codes = root / "data/coded/abstract_screening.csv"
    codes.write_text(codes.read_text(encoding="utf-8").replace("Wa02,,Y,1,FALSE", "Wa02,,Y,1,TRUE"), encoding="utf-8")
    result = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with open(root / "results/funnel.csv", encoding="utf-8", newline="") as fh:
        counts = {r["stage"]: r["count"] for r in csv.DictReader(fh)}
    assert counts["screened_included"] == "2" and counts["fulltext_retrieved"] == "1"
    assert "MISMATCH: screened_included is 2, expected 3" in (root / "results/audit.txt").read_text(encoding="utf-8")
