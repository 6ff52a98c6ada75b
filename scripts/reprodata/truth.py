"""Compare a deduplication result (results/clusters.csv) with the ground truth of the exports.

The ground truth is data/raw/provenance.csv: every record id with the work it belongs to. A
predicted work holding records of two true works is a false merge; a true work spread over two
predicted works is a missed merge.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .csvio import read_csv


def compare_clusters(clusters: Path, provenance: Path, search: str | None = None) -> dict[str, list]:
    truth = {r["record_id"]: r["work_key"] for r in read_csv(provenance) if search in (None, r["search"])}
    predicted = {r["record_id"]: r["work_id"] for r in read_csv(clusters)}
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_true: dict[str, set[str]] = defaultdict(set)
    unknown = sorted(rid for rid in predicted if rid not in truth)
    for rid, wid in predicted.items():
        if rid in truth:
            by_pred[wid].add(truth[rid])
            by_true[truth[rid]].add(wid)
    return {
        "false_merges": sorted((wid, sorted(keys)) for wid, keys in by_pred.items() if len(keys) > 1),
        "missed_merges": sorted((key, sorted(wids)) for key, wids in by_true.items() if len(wids) > 1),
        "unknown_records": unknown,
        "missing_records": sorted(rid for rid in truth if rid not in predicted),
        "predicted_works": [len(by_pred)],
        "true_works": [len(set(truth.values()))],
    }


def report(result: dict[str, list]) -> str:
    lines = [f"predicted works: {result['predicted_works'][0]}, true works: {result['true_works'][0]}"]
    for name in ("false_merges", "missed_merges", "unknown_records", "missing_records"):
        items = result[name]
        lines.append(f"{name.replace('_', ' ')}: {len(items)}")
        lines += [f"  {item}" for item in items[:20]]
    return "\n".join(lines)
