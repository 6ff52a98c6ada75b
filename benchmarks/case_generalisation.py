"""Accuracy of the case classifier on activity files with gold labels (other cases than Qijiang).

Usage: python benchmarks/case_generalisation.py [FILE_OR_CASE_DIR ...] [--codebook config/codebook.yaml]

Without arguments it scores the evaluation sets in tests/fixtures/cases/ (see the README there for
when each was written). A case folder stands for its activities.csv; a CSV file needs only id,
description and the gold columns. Prints per-set and pooled accuracy of anchoring type and category.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from slr.case.classify import Classifier
from slr.case.data import load_activities
from slr.case.evaluate import evaluate, report
from slr.codebook import load as load_codebook

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "cases"
DEFAULT = [
    "kalundborg", "nisp", "ulsan", "kawasaki", "kwinana", "guitang", "sentences.csv", "rotterdam", "styria",
    "tianjin_teda", "devens", "landskrona", "kitakyushu", "handelo_norrkoping",
]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="*", type=Path)
    ap.add_argument("--codebook", type=Path, default=Path("config/codebook.yaml"))
    ap.add_argument("--confusion", action="store_true", help="print the pooled confusion matrices")
    args = ap.parse_args(argv)
    inputs = args.inputs or [FIXTURES / name for name in DEFAULT]
    clf = Classifier(load_codebook(args.codebook))
    pooled_acts, pooled_dec = [], []
    start = time.perf_counter()
    for path in inputs:
        file = path / "activities.csv" if path.is_dir() else path
        acts = load_activities(file, complete=False)
        decisions = [clf.classify(a.text) for a in acts]
        pooled_acts += acts
        pooled_dec += decisions
        line = [f"{path.name:14}"]
        for s in evaluate(acts, decisions):
            line.append(f"{s.label} {s.correct}/{s.total} ({100 * s.accuracy:.0f}%)")
        print("  ".join(line))
    elapsed = time.perf_counter() - start
    scores = evaluate(pooled_acts, pooled_dec)
    print("pooled        " + "  ".join(f"{s.label} {s.correct}/{s.total} ({100 * s.accuracy:.0f}%)" for s in scores))
    print(f"{len(pooled_acts)} activities in {elapsed:.2f} s")
    if args.confusion:
        print(report(scores, title="pooled"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
