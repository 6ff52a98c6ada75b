#!/usr/bin/env python3
"""Build the reproduction data of Sun et al. (2017) under data/ (see data/README.md).

    python scripts/build_reproduction_data.py extract --bib \\
        ../shared/data/isdata-org__industrial-symbiosis-literature/IndustrialSymbiosis.bib
    python scripts/build_reproduction_data.py build --seed 2017

``extract`` reads the real bibliography and the paper and writes data/sources/ (facts
only). ``build`` reads only committed inputs (data/sources/, config/published.yaml,
config/codebook.yaml) and writes everything else under data/; the same seed gives the
same bytes. ``check-clusters`` compares a deduplication result with the ground truth.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from reprodata import DEFAULT_SEED  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="stage", required=True)
    ex = sub.add_parser("extract", help="bibliographic facts from the real bibliography and Appendix C")
    ex.add_argument("--bib", type=Path, required=True, help="IndustrialSymbiosis.bib (isdata-org)")
    ex.add_argument(
        "--paper",
        type=Path,
        default=REPO.parent / "shared" / "reference" / "sun-2017-anchoring-paper.txt",
        help="the paper's text (for Appendix C's full references)",
    )
    ex.add_argument("--out", type=Path, default=REPO / "data" / "sources")
    ex.add_argument("--published", type=Path, default=REPO / "config" / "published.yaml")
    bd = sub.add_parser("build", help="exports, decisions and stand-in PDFs from the committed inputs")
    bd.add_argument("--seed", type=int, default=DEFAULT_SEED)
    bd.add_argument("--sources", type=Path, default=REPO / "data" / "sources")
    bd.add_argument("--config", type=Path, default=REPO / "config")
    bd.add_argument("--out", type=Path, default=REPO / "data", help="the data folder to write into")
    ck = sub.add_parser("check-clusters", help="compare a dedupe clusters.csv with the ground truth")
    ck.add_argument("clusters", type=Path, help="results/clusters.csv (record_id, work_id)")
    ck.add_argument("--provenance", type=Path, default=REPO / "data" / "raw" / "provenance.csv")
    ck.add_argument("--search", choices=["broad", "refined"], help="only the records of this search")
    args = parser.parse_args(argv)
    if args.stage == "check-clusters":
        from reprodata.truth import compare_clusters, report

        result = compare_clusters(args.clusters, args.provenance, args.search)
        print(report(result))
        return 1 if any(result[k] for k in ("false_merges", "missed_merges", "missing_records")) else 0
    if args.stage == "extract":
        from reprodata.stage_extract import run_extract

        run_extract(args.bib, args.paper, args.published, args.out)
    else:
        from reprodata.stage_build import run_build

        run_build(args.seed, args.sources, args.config, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
