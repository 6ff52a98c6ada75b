"""bib-dedupe's 25 hand-labelled record pairs (tests/fixtures/dedupe, MIT).

Each pair goes through the generic CSV reader, as `slr ingest` would read it, then dedupe.
The literal string "None" in the fixture means an empty field.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from slr.dedupe import deduplicate
from slr.readers import generic_csv

CASES = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "dedupe" / "bibdedupe_pair_test_cases.json").read_text()
)["cases"]


def as_records(case: dict) -> list[dict]:
    pair = [case["record_a"], case["record_b"]]
    columns = sorted({k for r in pair for k in r})
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for side, record in zip("ab", pair, strict=True):
        row = {k: "" if v == "None" else v for k, v in record.items()}
        row["ID"] = f"{side}:{record['ID']}"  # some pairs reuse one ID on both sides
        writer.writerow(row)
    return generic_csv.parse(buffer.getvalue(), Path("pair.csv"))


def test_there_are_25_cases_both_kinds():
    assert len(CASES) == 25
    assert sum(c["expected_duplicate"] for c in CASES) == 10


@pytest.mark.parametrize("case", [c for c in CASES if not c["expected_duplicate"]], ids=lambda c: c["id"])
def test_must_not_merge(case):
    assert len(deduplicate(as_records(case)).works) == 2


@pytest.mark.parametrize("case", [c for c in CASES if c["expected_duplicate"]], ids=lambda c: c["id"])
def test_duplicates_merge(case):
    assert len(deduplicate(as_records(case)).works) == 1
