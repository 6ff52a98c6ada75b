"""From records to works: keys, candidate pairs, evidence, clusters, ids.

``deduplicate`` is pure (records in, works/clusters/pairs out); the CLI does the file I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import Indel

from slr.errors import InputError
from slr.records import Record

from .block import identifier_pairs, title_pairs
from .cluster import Clusters
from .compare import FIELDS, MERGE_AT, TITLE_CANDIDATE_MIN, Evidence, compare, compare_identifier, contained
from .ids import assign_ids
from .normalise import Keys, keys_of
from .overrides import Override, check_known
from .works import work_row

BULK_PAIRS = 200_000
_RULE_ORDER = {"override": 0, "doi": 1, "pubmed_id": 2, "title": 3, "title_prefix": 3}


@dataclass
class Result:
    works: list[dict[str, Any]]
    clusters: list[tuple[str, str]]
    pairs: list[dict[str, Any]]
    stats: dict[str, int] = field(default_factory=dict)


def evidence_for_candidates(keys: Sequence[Keys], workers: int = 1) -> dict[tuple[int, int], Evidence]:
    """Evidence for every candidate pair that merges or is a near miss (others are dropped)."""
    found: dict[tuple[int, int], Evidence] = {}
    ident = identifier_pairs(keys)
    for (i, j), rule in ident.items():
        found[(i, j)] = compare_identifier(keys[i], keys[j], rule)
    pairs = sorted(title_pairs(keys) - ident.keys())
    if not pairs:
        return found
    left = [keys[i].compact for i, _ in pairs]
    right = [keys[j].compact for _, j in pairs]
    if len(pairs) >= BULK_PAIRS:  # vectorised, on all cores (numpy's import pays off here only)
        from rapidfuzz.process import cpdist

        sims = cpdist(left, right, scorer=Indel.normalized_similarity, workers=workers).tolist()
    else:
        score = Indel.normalized_similarity
        sims = [score(x, y) for x, y in zip(left, right, strict=True)]
    for (i, j), sim in zip(pairs, sims, strict=True):
        sim *= 100.0
        a, b = keys[i], keys[j]
        if sim < TITLE_CANDIDATE_MIN and len(a.forms) == 1 == len(b.forms) and not contained(a.forms[0], b.forms[0]):
            continue
        ev = compare(a, b, sim)
        if ev.merged or ev.near_miss:
            found[(i, j)] = ev
    return found


def deduplicate(
    records: Sequence[Record],
    searches: Mapping[str, set[str]] | None = None,
    overrides: Sequence[Override] = (),
    workers: int = 1,
) -> Result:
    """Cluster records into works. ``records`` have distinct record_ids."""
    searches = searches or {}
    order = sorted(range(len(records)), key=lambda n: str(records[n]["record_id"]))
    recs = [records[n] for n in order]
    index = {str(r["record_id"]): n for n, r in enumerate(recs)}
    if len(index) != len(recs):
        raise ValueError("deduplicate() needs distinct record_ids; load_records() merges repeats")
    check_known(overrides, set(index))
    keys = [keys_of(n, r) for n, r in enumerate(recs)]
    found = evidence_for_candidates(keys, workers=workers)

    by_pair: dict[tuple[int, int], Override] = {}
    for o in overrides:
        i, j = index[o.record_id_a], index[o.record_id_b]
        by_pair[(min(i, j), max(i, j))] = o

    clusters = Clusters(len(recs), [k.doi for k in keys], [k.pmid for k in keys])
    different = [o for o in overrides if o.decision == "different"]
    for n, o in enumerate(different):
        clusters.forbid(n, index[o.record_id_a], index[o.record_id_b])

    edges: list[tuple[int, float, str, str, int, int]] = []
    for (i, j), o in by_pair.items():
        if o.decision == "same":
            edges.append((0, 0.0, recs[i]["record_id"], recs[j]["record_id"], i, j))
    for (i, j), ev in found.items():
        if ev.merged and (i, j) not in by_pair:
            edges.append((_RULE_ORDER[ev.rule], -ev.score, recs[i]["record_id"], recs[j]["record_id"], i, j))
    edges.sort()
    refused: dict[tuple[int, int], tuple[str, int | None]] = {}
    for priority, _, _, _, i, j in edges:
        reason, constraint = clusters.blocker(i, j, force=priority == 0)
        if reason == "override" and priority == 0:
            o, d = by_pair[(i, j)], different[constraint or 0]
            raise InputError(
                o.path,
                f"'same' for {o.record_id_a} / {o.record_id_b} (line {o.line}) joins records declared "
                f"'different' on line {d.line} ({d.record_id_a} / {d.record_id_b})",
                "decide which is right and delete the other row",
                line=o.line,
            )
        if reason:
            refused[(i, j)] = (reason, constraint)
        else:
            clusters.union(i, j)

    groups = clusters.groups(range(len(recs)))
    members = [[recs[n] for n in g] for g in groups]
    ids, aliases = assign_ids(members)
    work_of = [""] * len(recs)
    for wid, g in zip(ids, groups, strict=True):
        for n in g:
            work_of[n] = wid
    works = sorted(
        (work_row(wid, al, m, searches) for wid, al, m in zip(ids, aliases, members, strict=True)),
        key=lambda w: w["work_id"],
    )
    cluster_rows = sorted((str(r["record_id"]), work_of[n]) for n, r in enumerate(recs))
    pair_rows = _pair_rows(recs, keys, found, by_pair, refused, different, clusters)
    stats = {
        "records": len(recs),
        "works": len(works),
        "merged_pairs": sum(1 for p in pair_rows if p["decision"] == "merged"),
        "near_misses": sum(1 for p in pair_rows if p["decision"] == "near_miss"),
        "overrides": len(by_pair),
    }
    for p in pair_rows:
        if p["decision"] == "merged":
            stats[f"merged_by_{p['rule']}"] = stats.get(f"merged_by_{p['rule']}", 0) + 1
    return Result(works, cluster_rows, pair_rows, stats)


def _pair_rows(
    recs: Sequence[Record],
    keys: Sequence[Keys],
    found: Mapping[tuple[int, int], Evidence],
    by_pair: Mapping[tuple[int, int], Override],
    refused: Mapping[tuple[int, int], tuple[str, int | None]],
    different: Sequence[Override],
    clusters: Clusters,
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for pair in sorted(set(found) | set(by_pair)):
        i, j = pair
        ev = found.get(pair)
        o = by_pair.get(pair)
        row: dict[str, Any] = {"record_id_a": recs[i]["record_id"], "record_id_b": recs[j]["record_id"]}
        notes: list[str] = []
        if ev is not None:
            row.update(
                rule=ev.rule,
                score=_num(ev.score),
                title_similarity=_num(ev.title_similarity),
                doi=ev.doi or None,
            )
            for name in FIELDS:
                row["journal" if name == "venue" else name] = ev.points.get(name)
            if ev.doi == "version":
                notes.append(f"DOIs differ only in their version suffix ({keys[i].doi}, {keys[j].doi})")
        if o is not None:
            row["decision"] = f"override_{o.decision}"
            row["rule"] = "override"
            notes.append(f"override {o.where}" + (f": {o.note}" if o.note else ""))
            if o.decision == "same" and keys[i].doi and keys[j].doi and keys[i].doi != keys[j].doi:
                notes.append(f"different DOIs ({keys[i].doi}, {keys[j].doi}) joined by the override")
        elif ev is not None and ev.merged:
            if clusters.find(i) == clusters.find(j):
                row["decision"] = "merged"
            else:
                reason, constraint = refused.get(pair, ("", None))
                if reason == "override" and constraint is not None:
                    d = different[constraint]
                    row["decision"] = "override_different"
                    notes.append(
                        f"matched but not merged: it would join {d.record_id_a} and {d.record_id_b}, "
                        f"declared different in {d.where}"
                    )
                else:
                    row["decision"] = "near_miss"
                    what = "DOIs" if reason == "doi" else "PubMed IDs"
                    notes.append(f"matched but not merged: it would join works with different {what}")
        else:
            row["decision"] = "near_miss"
            if ev is not None:
                notes.append(ev.veto or f"score below {MERGE_AT}")
        row["note"] = "; ".join(notes) or None
        rows.append(row)
    return rows


def _num(value: float | None) -> str | None:
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
