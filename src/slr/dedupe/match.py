"""From records to works: keys, candidate pairs, evidence, clusters, ids.

``deduplicate`` is pure (records in, works/clusters/pairs out); the CLI does the file I/O.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from rapidfuzz.distance import Indel

from slr.errors import InputError
from slr.records import Record

from .block import identifier_pairs, title_pairs, version_pairs
from .cluster import Clusters
from .compare import FIELDS, MERGE_AT, TITLE_CANDIDATE_MIN, Evidence, compare, compare_identifier, contained
from .ids import assign_ids
from .normalise import Keys, doi_key, pubmed_id
from .overrides import Override, check_known
from .works import work_row

PARALLEL_FROM = 20_000  # records; below this, forking costs more than it saves
_RULE_ORDER = {"override": 0, "doi": 1, "pubmed_id": 2, "title": 3, "title_prefix": 3}


@dataclass
class Result:
    works: list[dict[str, Any]]
    clusters: list[tuple[str, str]]
    pairs: list[dict[str, Any]]
    stats: dict[str, int] = field(default_factory=dict)


def title_evidence(records: Sequence[Record], indices: Sequence[int]) -> dict[tuple[int, int], Evidence]:
    """Evidence for the title-key candidate pairs among ``records[indices]`` that merge or are
    near misses (the others are dropped)."""
    keys = {i: Keys(i, records[i]) for i in indices}
    pairs = sorted(title_pairs(list(keys.values())))
    found: dict[tuple[int, int], Evidence] = {}
    if not pairs:
        return found
    left = [keys[i].compact for i, _ in pairs]
    right = [keys[j].compact for _, j in pairs]
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


def year_parts(records: Sequence[Record], parts: int) -> list[list[int]]:
    """Split record indices by publication year into ``parts`` overlapping by one year, so that
    every pair of records at most one year apart lies wholly in at least one part; records
    without a year go into every part (they are compared with every year)."""
    dated = sorted((r["year"], n) for n, r in enumerate(records) if r.get("year") is not None)
    undated = [n for n, r in enumerate(records) if r.get("year") is None]
    if parts < 2 or not dated:
        return [list(range(len(records)))]
    cuts = sorted({dated[len(dated) * k // parts][0] for k in range(1, parts)})
    bounds = [dated[0][0] - 1, *cuts, dated[-1][0] + 1]
    out: list[list[int]] = []
    for low, high in pairwise(bounds):
        # years (low, high] of its own, and the year after as the overlap
        out.append([n for year, n in dated if low < year <= high + 1] + undated)
    return [part for part in out if part]


_SHARED: list[Sequence[Record]] = []


def _part_evidence(indices: Sequence[int]) -> dict[tuple[int, int], Evidence]:
    return title_evidence(_SHARED[0], indices)


def evidence_for_candidates(
    records: Sequence[Record], workers: int = 1, parallel_from: int = PARALLEL_FROM
) -> dict[tuple[int, int], Evidence]:
    """Evidence for every candidate pair that merges or is a near miss.

    Identifier pairs first; title-key pairs then, split by year over ``workers`` processes
    (forked, so the records are not copied) when there are at least ``parallel_from`` records.
    The result does not depend on the split: each pair's evidence depends on that pair only.
    """
    dois = [doi_key(r.get("doi")) for r in records]
    pmids = [pubmed_id(r.get("extra")) for r in records]
    cache: dict[int, Keys] = {}

    def key(n: int) -> Keys:
        found = cache.get(n)
        if found is None:
            found = cache[n] = Keys(n, records[n])
        return found

    found: dict[tuple[int, int], Evidence] = {}
    ident = identifier_pairs(dois, pmids)
    for (i, j), rule in ident.items():
        found[(i, j)] = compare_identifier(key(i), key(j), rule)
    for i, j in sorted(version_pairs(dois) - ident.keys()):
        ev = compare(key(i), key(j))
        if ev.merged or ev.near_miss:
            found[(i, j)] = ev
    fork = "fork" in multiprocessing.get_all_start_methods()
    if workers > 1 and fork and len(records) >= parallel_from:
        parts = year_parts(records, workers)
        _SHARED[:] = [records]
        try:
            with multiprocessing.get_context("fork").Pool(len(parts)) as pool:
                results = pool.map(_part_evidence, parts)
        finally:
            _SHARED.clear()
    else:
        results = [title_evidence(records, range(len(records)))]
    for result in results:
        for pair, ev in result.items():
            found.setdefault(pair, ev)
    return found


def deduplicate(
    records: Sequence[Record],
    searches: Mapping[str, set[str]] | None = None,
    overrides: Sequence[Override] = (),
    workers: int = 1,
    parallel_from: int = PARALLEL_FROM,
) -> Result:
    """Cluster records into works. ``records`` have distinct record_ids."""
    searches = searches or {}
    order = sorted(range(len(records)), key=lambda n: str(records[n]["record_id"]))
    recs = [records[n] for n in order]
    index = {str(r["record_id"]): n for n, r in enumerate(recs)}
    if len(index) != len(recs):
        raise ValueError("deduplicate() needs distinct record_ids; load_records() merges repeats")
    check_known(overrides, set(index))
    found = evidence_for_candidates(recs, workers=workers, parallel_from=parallel_from)

    by_pair: dict[tuple[int, int], Override] = {}
    for o in overrides:
        i, j = index[o.record_id_a], index[o.record_id_b]
        by_pair[(min(i, j), max(i, j))] = o

    clusters = Clusters(len(recs), [doi_key(r.get("doi")) for r in recs], [pubmed_id(r.get("extra")) for r in recs])
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
    pair_rows = _pair_rows(recs, found, by_pair, refused, different, clusters)
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
                notes.append(f"DOIs differ only in their version suffix ({recs[i]['doi']}, {recs[j]['doi']})")
        if o is not None:
            row["decision"] = f"override_{o.decision}"
            row["rule"] = "override"
            notes.append(f"override {o.where}" + (f": {o.note}" if o.note else ""))
            doi_a, doi_b = recs[i].get("doi"), recs[j].get("doi")
            if o.decision == "same" and doi_a and doi_b and doi_a != doi_b:
                notes.append(f"different DOIs ({doi_a}, {doi_b}) joined by the override")
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
            if clusters.find(i) == clusters.find(j):
                notes.append("in one work all the same, through other matches")
        row["note"] = "; ".join(notes) or None
        rows.append(row)
    return rows


def _num(value: float | None) -> str | None:
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
