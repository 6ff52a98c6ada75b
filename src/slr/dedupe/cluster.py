"""Union-find with cannot-link constraints: matches become works, overrides are respected.

Edges are applied strongest first: overrides ``same``, then shared DOIs, shared PubMed IDs, then
title matches by falling score (ties by record ids, so the order never depends on the input
order). An edge is refused when it would put into one work

- two records an override declares ``different`` (the override wins even when the matches
  join them only through other records: the weakest link on the way is the one left out), or
- two different DOIs or PubMed IDs (one record without a DOI matching two records with
  different DOIs must not chain them together). An override ``same`` may do this.

Refused edges are reported, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterable

from .normalise import doi_base


class Clusters:
    def __init__(self, n: int, dois: list[str | None], pmids: list[str | None]) -> None:
        self.parent = list(range(n))
        self.size = [1] * n
        self.doi = dois
        self.pmid = pmids
        # the DOIs and PubMed IDs of merged works (a record alone has just its own)
        self.dois: dict[int, set[str]] = {}
        self.pmids: dict[int, set[str]] = {}
        self.cannot: dict[int, dict[int, int]] = {}  # root -> {constraint: side}

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def forbid(self, constraint: int, i: int, j: int) -> None:
        """Records i and j (constraint number ``constraint``) must never be in one work."""
        self.cannot.setdefault(self.find(i), {})[constraint] = 0
        self.cannot.setdefault(self.find(j), {})[constraint] = 1

    def blocker(self, i: int, j: int, force: bool = False) -> tuple[str, int | None]:
        """Why i and j cannot be joined: ("override", constraint), ("doi"|"pmid", None), or ("", None)."""
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return "", None
        ci, cj = self.cannot.get(ri, {}), self.cannot.get(rj, {})
        if len(ci) > len(cj):
            ci, cj = cj, ci
        for constraint, side in ci.items():
            if cj.get(constraint, side) != side:
                return "override", constraint
        if not force:
            di, dj = _ids(self.dois, self.doi, ri), _ids(self.dois, self.doi, rj)
            if di and dj and not _compatible(di, dj):
                return "doi", None
            pi, pj = _ids(self.pmids, self.pmid, ri), _ids(self.pmids, self.pmid, rj)
            if pi and pj and pi != pj:
                return "pmid", None
        return "", None

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return
        if self.size[ri] < self.size[rj]:
            ri, rj = rj, ri
        self.parent[rj] = ri
        self.size[ri] += self.size[rj]
        for store, own in ((self.dois, self.doi), (self.pmids, self.pmid)):
            merged = (_ids(store, own, ri) or set()) | (_ids(store, own, rj) or set())
            store.pop(rj, None)
            if merged:
                store[ri] = merged
        if rj in self.cannot:
            self.cannot.setdefault(ri, {}).update(self.cannot.pop(rj))

    def groups(self, order: Iterable[int]) -> list[list[int]]:
        out: dict[int, list[int]] = {}
        for i in order:
            out.setdefault(self.find(i), []).append(i)
        return list(out.values())


def _ids(store: dict[int, set[str]], own: list[str | None], root: int) -> set[str] | None:
    found = store.get(root)
    if found is not None:
        return found
    value = own[root]
    return {value} if value else None


def _compatible(a: set[str], b: set[str]) -> bool:
    """DOI sets agree when every DOI of one shares its base (no ``.pubN``) with one of the other."""
    return _bases(a) == _bases(b) or bool(a & b)


def _bases(dois: set[str]) -> set[str]:
    return {doi_base(d) or d for d in dois}
