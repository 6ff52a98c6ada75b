"""The bad-input corpus (tests/bad_inputs/cases.yaml): each file through the real ``slr`` command.

Every file ends either in one-line errors that name the file and the line, row or record
(exit 2, no traceback, nothing written), or in a per-record status in the named output
(exit 0). Nothing is dropped silently and nothing crashes.
"""

from __future__ import annotations

import csv
import gzip
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from review_fixture import build, write_csv

HERE = Path(__file__).parent
CORPUS = HERE / "bad_inputs"
REPO = HERE.parent
CASES: list[dict[str, Any]] = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))["cases"]
CRITERIA = ["relevant_to_is", "empirical", "quantitative_assessment"]
KINDS = ("exports", "coded", "codebook", "cases", "pdfs", "config")


def layout(root: Path) -> Path:
    """A small review with everything the commands need besides the bad file.

    The review of tests/review_fixture.py (8 works, two searches, code files, full-text
    results), the project's codebook and config schema, the coding fixtures (works, hits,
    links of ten coded studies) under coding/, and the Kalundborg case under case/.
    """
    build(root)
    shutil.copy(REPO / "config" / "codebook.yaml", root / "config" / "codebook.yaml")
    (root / "workflow" / "schemas").mkdir(parents=True)
    shutil.copy(REPO / "workflow" / "schemas" / "config.schema.yaml", root / "workflow" / "schemas")
    shutil.copytree(HERE / "fixtures" / "coding", root / "coding")
    shutil.copytree(HERE / "fixtures" / "cases" / "kalundborg", root / "case")
    # abstract screening as the review's docstring decides it (Wa01, Wa02, Wa08 included)
    decided = [
        ("Wa01", "included", "", "yes", "yes", "no"),
        ("Wa02", "included", "", "yes", "yes", "no"),
        ("Wa03", "excluded", "quantitative_assessment", "yes", "yes", "yes"),
        ("Wa04", "excluded", "not empirical", "yes", "no", ""),
        ("Wa05", "excluded", "not relevant_to_is", "no", "", ""),
        ("Wa08", "included", "", "yes", "yes", "no"),
    ]
    write_csv(
        root / "results" / "screening" / "abstract_screened.csv",
        [
            "work_id",
            "decision",
            "reason",
            "relevant_to_is",
            "empirical",
            "quantitative_assessment",
            "code_file",
            "code_row",
        ],
        [(*row, "data/coded/abstract_screening.csv", str(n)) for n, row in enumerate(decided, start=2)],
    )
    return root


def place(case: dict[str, Any], root: Path) -> str:
    source = CORPUS / case["file"]
    name = source.name.removesuffix(".gz")
    target = case.get("place", f"input/{name}")
    dest = root / target
    dest.parent.mkdir(parents=True, exist_ok=True)
    if source.suffix == ".gz":
        dest.write_bytes(gzip.decompress(source.read_bytes()))
    else:
        shutil.copy(source, dest)
    return target


def test_the_corpus_covers_every_input_kind():
    files = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file()}
    listed = [c["file"] for c in CASES]
    assert len(listed) == len(set(listed)), "a file is listed twice"
    assert files - {"cases.yaml", "README.md"} == set(listed), "every corpus file has a case and every case a file"
    counts = {kind: sum(1 for f in listed if f.startswith(kind + "/")) for kind in KINDS}
    assert all(n >= 3 for n in counts.values()), counts
    assert len(listed) >= 25
    assert {c["expect"] for c in CASES} == {"error", "recorded"}


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_input(slr, tmp_path, case):
    root = layout(tmp_path / "review")
    target = place(case, root)
    args = [a.replace("{input}", target) for a in shlex.split(case["run"])]
    result = slr(*args, cwd=root)
    assert "Traceback" not in result.stderr, result.stderr
    if case["expect"] == "recorded":
        assert result.returncode == 0, result.stderr
        rows = _rows(root / case["output"])
        want = {k: str(v) for k, v in case["row"].items()}
        assert any(all(r.get(k) == v for k, v in want.items()) for r in rows), (want, rows)
        return
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), result.stderr
    first = lines[0]
    named = case.get("names", target)
    where = f"{named}:{case['at']}: " if "at" in case else f"{named}: record {case['record']}: "
    assert first.startswith(f"error: {where}"), (where, first)
    assert str(case["says"]) in first, first
    written = [p for p in (root / "out").rglob("*") if p.is_file()] if (root / "out").exists() else []
    assert written == [], written
