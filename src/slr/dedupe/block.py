"""Candidate pairs: which records are worth comparing at all.

Comparing every record with every other grows with the square of the search; instead each
record gets a few blocking keys, computed from that record alone, and only records sharing a
key are compared. Because a key depends on one record only, whether two records are compared
never depends on what else is in the exports (which keeps work ids stable).

Keys (each with the record's kind, so an erratum is only compared with errata):

- ``doi`` base and PubMed ID: exact;
- the first 16 and the last 16 characters of the folded title without spaces (a typo, a
  dropped subtitle or a heading in front leaves at least one intact); the last 16 go with the
  first author's initial, and again with the first page when it is above 1, because one topic's
  titles often end alike ("... in eco-industrial parks"): unnarrowed, such an ending made a
  block of thousands of records;
- each pair of the three longest of the first eight title words, with the first author's
  initial (typos at both ends of the title, or a typo and a dropped subtitle);

and the same for an alternative title in brackets (a translation).

Title keys pair records whose years are at most one apart (a record without a year pairs with
every year); titles of three words or fewer ("Editorial", "Book review") also need the same
first-author surname, so that a common short title cannot make one huge block.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations

from .normalise import Keys, doi_base

KEY_CHARS = 16
LONG_WORD_MIN = 5
SHORT_TITLE_WORDS = 3
LEAD_WORDS = 8
LONG_WORDS = 3  # pairs of the three longest words: a typo in one leaves a pair intact


def title_keys(k: Keys) -> set[str]:
    out: set[str] = set()
    first = k.first_author
    pages = k.pages
    page = pages.starts[0] if pages and pages.starts[0] > 1 else None
    for form in k.forms:
        # the end of a title is shared by many titles of one topic ("... in industrial symbiosis",
        # "... after traumatic brain injury"), so the suffix key is narrowed by the first author's
        # initial, and once more by the first page (a name written another way round)
        suffix = form.compact[-KEY_CHARS:]
        keys = [f"p{k.kind}|{form.compact[:KEY_CHARS]}", f"s{k.kind}|{first[:1]}|{suffix}"]
        if page is not None:
            keys.append(f"s{k.kind}|p{page}|{suffix}")
        # longest first, ties alphabetical (two C-level sorts: deterministic whatever the hash seed)
        head = form.title.split()[:LEAD_WORDS]  # a dropped subtitle leaves these
        longest = sorted(sorted({w for w in head if len(w) >= LONG_WORD_MIN}), key=len, reverse=True)
        keys += [f"l{k.kind}|{first[:1]}|{' '.join(sorted(pair))}" for pair in combinations(longest[:LONG_WORDS], 2)]
        if form.words <= SHORT_TITLE_WORDS:
            keys = [f"{key}|{first}" for key in keys]
        out.update(keys)
    return out


def _pairs_by_year(members: Sequence[Keys], out: set[tuple[int, int]]) -> None:
    by_year: dict[int, list[int]] = defaultdict(list)
    undated: list[int] = []
    for k in members:
        if k.year is None:
            undated.append(k.index)
        else:
            by_year[k.year].append(k.index)
    for year, idx in by_year.items():
        out.update(_ordered(combinations(idx, 2)))
        nxt = by_year.get(year + 1)
        if nxt:
            out.update((min(i, j), max(i, j)) for i in idx for j in nxt)
    if undated:
        out.update(_ordered(combinations(undated, 2)))
        dated = [i for idx in by_year.values() for i in idx]
        out.update((min(i, j), max(i, j)) for i in undated for j in dated)


def _ordered(pairs: Iterable[tuple[int, int]]) -> Iterable[tuple[int, int]]:
    return ((i, j) if i < j else (j, i) for i, j in pairs)


def identifier_pairs(dois: Sequence[str | None], pmids: Sequence[str | None]) -> dict[tuple[int, int], str]:
    """Pairs of record indices sharing a DOI (``doi``) or, failing that, a PubMed ID (``pubmed_id``)."""
    by_doi: dict[str, list[int]] = defaultdict(list)
    by_pmid: dict[str, list[int]] = defaultdict(list)
    for n, (doi, pmid) in enumerate(zip(dois, pmids, strict=True)):
        if doi:
            by_doi[doi].append(n)
        if pmid:
            by_pmid[pmid].append(n)
    found: dict[tuple[int, int], str] = {}
    for idx in by_pmid.values():
        for pair in _ordered(combinations(idx, 2)):
            found[pair] = "pubmed_id"
    for idx in by_doi.values():
        for pair in _ordered(combinations(idx, 2)):
            found[pair] = "doi"
    return found


def version_pairs(dois: Sequence[str | None]) -> set[tuple[int, int]]:
    """Records whose DOIs differ only in a version suffix (Cochrane ``.pub2``/``.pub3``): they
    are compared on their titles and evidence."""
    by_base: dict[str, list[int]] = defaultdict(list)
    for n, doi in enumerate(dois):
        if doi:
            by_base[doi_base(doi) or doi].append(n)
    out: set[tuple[int, int]] = set()
    for idx in by_base.values():
        if len({dois[n] for n in idx}) > 1:
            out.update(_ordered((i, j) for i, j in combinations(idx, 2) if dois[i] != dois[j]))
    return out


def blocks_of(keys: Sequence[Keys]) -> list[list[Keys]]:
    """Records sharing a title key, one list per key held by two records or more."""
    first: dict[str, Keys] = {}
    shared: dict[str, list[Keys]] = {}
    for k in keys:
        for key in title_keys(k):
            seen = first.setdefault(key, k)
            if seen is not k:
                members = shared.get(key)
                if members is None:
                    shared[key] = [seen, k]
                else:
                    members.append(k)
    return list(shared.values())


def title_pairs(keys: Sequence[Keys]) -> set[tuple[int, int]]:
    """Pairs sharing a title key, years at most one apart."""
    out: set[tuple[int, int]] = set()
    for members in blocks_of(keys):
        _pairs_by_year(members, out)
    return out
