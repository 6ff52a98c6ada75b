"""Accuracy and speed of `slr dedupe` on labelled sets, side by side with bib-dedupe.

Each DIR is in the bib-dedupe layout: ``records_pre_merged.csv`` (ID,title,author,year,...)
and ``merged_record_ids.csv`` (one duplicate group per row, ids joined by ';'; unlisted
records are unique). Ours runs as two whole processes, ``slr ingest`` + ``slr dedupe``; the
time is the wall time of both. bib-dedupe (CoLRev's deduplicator) runs as one whole process
in its own environment, never ours:

    python3 -m venv /tmp/bdd && /tmp/bdd/bin/pip install bib-dedupe
    .venv/bin/python benchmarks/dedupe_accuracy.py --bib-dedupe-python /tmp/bdd/bin/python \\
        ../shared/data/CoLRev-Environment__bib-dedupe/{stroke,haematology,respiratory,special_cases}

Figures: pairwise precision, recall and F1 over all record pairs put in one work; duplicates
removed (records - works) against the true number (``--show-errors N`` lists false and missed
pairs). Some labelled sets count a paper and its erratum or a letter and its reply as duplicates;
`slr dedupe` keeps those apart on purpose, so their number and the recall of both tools without
them are printed too. `slr ingest` refuses a row without any title, so such rows (they are in no duplicate
group in these sets) are left out of the input given to both tools, and counted.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
SLR = [sys.executable, "-m", "slr"]

BIB_DEDUPE_SCRIPT = r"""
import sys, csv
import pandas as pd
from bib_dedupe.bib_dedupe import prep, block, match, cluster
df = pd.read_csv(sys.argv[1])
df["ID"] = df["ID"].astype(str)
records = prep(df)
pairs = block(records)
matched = match(pairs)
groups = cluster(matched)
with open(sys.argv[2], "w", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(["merged_ids"])
    for g in groups:
        w.writerow([";".join(sorted(map(str, g)))])
"""


def true_groups(folder: Path) -> list[set[str]]:
    with open(folder / "merged_record_ids.csv", newline="", encoding="utf-8") as fh:
        return [set(row["merged_ids"].split(";")) for row in csv.DictReader(fh) if row["merged_ids"].strip()]


def pairs_of(groups: list[set[str]]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for g in groups:
        out.update(combinations(sorted(g), 2))
    return out


def prepare(folder: Path, work: Path) -> tuple[Path, list[str], int]:
    """The records file without title-less rows; the ids kept; the number left out."""
    with open(folder / "records_pre_merged.csv", newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields = reader.fieldnames or []
        rows = list(reader)
    kept = [r for r in rows if (r.get("title") or "").strip()]
    out = work / "records_pre_merged.csv"
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(kept)
    return out, [r["ID"] for r in kept], len(rows) - len(kept)


def run(cmd: list[str]) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{result.stderr}")


def ours(records: Path, work: Path) -> tuple[list[set[str]], float]:
    start = time.perf_counter()
    run([*SLR, "ingest", str(records), "-o", str(work / "records.csv")])
    run(
        [
            *SLR,
            "dedupe",
            str(work / "records.csv"),
            "-o",
            str(work / "works.csv"),
            "--clusters",
            str(work / "clusters.csv"),
            "--pairs",
            str(work / "pairs.csv"),
        ]
    )
    elapsed = time.perf_counter() - start
    by_work: dict[str, set[str]] = {}
    with open(work / "clusters.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            by_work.setdefault(row["work_id"], set()).add(row["record_id"])
    return [g for g in by_work.values() if len(g) > 1], elapsed


def bib_dedupe(python: str, records: Path, work: Path) -> tuple[list[set[str]], float]:
    script = work / "run_bib_dedupe.py"
    script.write_text(BIB_DEDUPE_SCRIPT, encoding="utf-8")
    out = work / "bib_dedupe_groups.csv"
    start = time.perf_counter()
    run([python, str(script), str(records), str(out)])
    elapsed = time.perf_counter() - start
    with open(out, newline="", encoding="utf-8") as fh:
        return [set(r["merged_ids"].split(";")) for r in csv.DictReader(fh)], elapsed


def score(found: list[set[str]], truth: list[set[str]], n: int) -> dict[str, float]:
    fp, tp = pairs_of(found), pairs_of(truth)
    hit = len(fp & tp)
    precision = hit / len(fp) if fp else 1.0
    recall = hit / len(tp) if tp else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    removed = sum(len(g) - 1 for g in found)
    true_removed = sum(len(g) - 1 for g in truth)
    return {
        "P": precision,
        "R": recall,
        "F1": f1,
        "removed": removed,
        "true_removed": true_removed,
        "false_pairs": len(fp - tp),
        "missed_pairs": len(tp - fp),
    }


def by_design(records_csv: Path, truth: list[set[str]]) -> set[tuple[str, str]]:
    """Labelled duplicate pairs that our rules refuse on purpose: the two records are of different
    kinds (a paper and its erratum, a letter and the reply to it), as `slr dedupe` reads them."""
    from slr.dedupe.normalise import title_forms

    with open(records_csv, newline="", encoding="utf-8") as fh:
        kind = {r["record_id"]: title_forms(r["title"] or "", r["doc_type"] or None)[0] for r in csv.DictReader(fh)}
    return {(a, b) for a, b in pairs_of(truth) if kind.get(a) != kind.get(b)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--bib-dedupe-python", help="python of a venv with bib-dedupe installed")
    parser.add_argument("--show-errors", type=int, default=0, help="list this many false and missed pairs per set")
    args = parser.parse_args()
    header = (
        f"{'set':<14} {'tool':<10} {'records':>7} {'P':>6} {'R':>6} {'F1':>6} {'removed':>8} {'true':>5} {'time s':>7}"
    )
    print(header)
    print("-" * len(header))
    for folder in args.dirs:
        truth = true_groups(folder)
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            records, ids, left_out = prepare(folder, work)
            kept = set(ids)
            truth = [g & kept for g in truth if len(g & kept) > 1]
            results = [("slr", *ours(records, work))]
            if args.bib_dedupe_python:
                results.append(("bib-dedupe", *bib_dedupe(args.bib_dedupe_python, records, work)))
            for tool, found, elapsed in results:
                s = score(found, truth, len(ids))
                print(
                    f"{folder.name:<14} {tool:<10} {len(ids):>7} {s['P']:>6.3f} {s['R']:>6.3f} {s['F1']:>6.3f} "
                    f"{s['removed']:>8} {s['true_removed']:>5} {elapsed:>7.2f}"
                )
            if left_out:
                print(f"{'':<14} ({left_out} row(s) without a title left out for both tools)")
            forbidden = by_design(work / "records.csv", truth)
            if forbidden:
                kept_truth = pairs_of(truth) - forbidden
                recalls = ", ".join(
                    f"{tool} {len(pairs_of(found) & kept_truth) / len(kept_truth):.3f}" for tool, found, _ in results
                )
                print(
                    f"{'':<14} ({len(forbidden)} labelled pair(s) join a paper with its erratum, reply, comment or "
                    f"retraction, which must not merge here; recall without them: {recalls})"
                )
            if args.show_errors:
                _show(work, results[0][1], truth, args.show_errors)
    print("P/R/F1: pairwise over record pairs in one work; removed: records - works; time: whole processes")


def _show(work: Path, found: list[set[str]], truth: list[set[str]], limit: int) -> None:
    with open(work / "records.csv", newline="", encoding="utf-8") as fh:
        recs = {r["record_id"]: r for r in csv.DictReader(fh)}
    fp, tp = pairs_of(found), pairs_of(truth)
    for label, pairs in (("FALSE", sorted(fp - tp)), ("MISSED", sorted(tp - fp))):
        for a, b in pairs[:limit]:
            print(f"  {label} {a} / {b}")
            for rid in (a, b):
                r = recs[rid]
                print(
                    f"     {r['title'][:100]!r} | {r['year']} | {r['authors'][:50]} | {r['journal'][:40]} |"
                    f" {r['volume']} | {r['pages']}"
                )


if __name__ == "__main__":
    main()
