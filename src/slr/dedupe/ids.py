"""Work ids derived from content: the same works give the same ids on any machine, no registry.

A record's identity key is ``doi:<doi>`` when it has a DOI, else ``title:<folded title>|<year>``
(``record:<record_id>`` when it has neither). A work takes the smallest key of its members, DOI
keys first, and its id is ``W`` + the first 12 hex digits of the key's SHA-1. So a work's id
depends on its own members only: adding, removing or reordering unrelated exports changes
nothing. When two works merge, the surviving id is the one of the smaller key (a DOI beats a
title); the ids of the other member keys are listed as ``aliases``, so whatever id a part of the
work had before is still found.

Two works can share a smallest key (two different papers called "Editorial" in one year, or a
DOI a database gave to the wrong paper). The one holding the smallest record_id keeps the plain
id; each other gets the id of ``key#<its smallest record_id>``.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from slr.records import fold

from .normalise import doi_key

_NON_WORD = re.compile(r"[^\w\s]|_")


def fold_title(title: object) -> str:
    """``slr.records.fold`` (the folded title that decisions are re-attached by), with a fast
    path for plain ASCII text, where its HTML, LaTeX and accent steps change nothing."""
    if isinstance(title, str) and title.isascii() and not any(ch in title for ch in "&<\\"):
        return " ".join(_NON_WORD.sub(" ", title.lower()).split())
    return fold(title)


ID_HEX = 12


def identity_key(record: Mapping[str, Any]) -> tuple[int, str]:
    """(rank, key): DOI keys rank 0, title keys 1, bare record ids 2; smaller is preferred."""
    doi = doi_key(record.get("doi"))
    if doi:
        return (0, f"doi:{doi}")
    title = fold_title(record.get("title"))
    if title:
        year = record.get("year")
        return (1, f"title:{title}|{year if year is not None else ''}")
    return (2, f"record:{record['record_id']}")


def digest(key: str) -> str:
    return "W" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:ID_HEX]


def assign_ids(
    groups: Sequence[Sequence[Mapping[str, Any]]],
) -> tuple[list[str], list[list[str]]]:
    """Work id and aliases for each group of member records (one group per work)."""
    keyed: list[tuple[list[tuple[int, str]], str]] = []
    for members in groups:
        if len(members) == 1:
            keyed.append(([identity_key(members[0])], str(members[0]["record_id"])))
            continue
        keys = sorted({identity_key(r) for r in members})
        keyed.append((keys, min(str(r["record_id"]) for r in members)))
    by_key: dict[tuple[int, str], list[int]] = defaultdict(list)
    for n, (keys, _) in enumerate(keyed):
        by_key[keys[0]].append(n)
    ids = [""] * len(groups)
    for key, works in by_key.items():
        works.sort(key=lambda n: keyed[n][1])
        for rank, n in enumerate(works):
            ids[n] = digest(key[1]) if rank == 0 else digest(f"{key[1]}#{keyed[n][1]}")
    taken = set(ids)
    if len(taken) != len(ids):  # a 48-bit digest collision: make it impossible to go unnoticed
        seen: set[str] = set()
        for n, wid in enumerate(ids):
            if wid in seen:
                ids[n] = digest(f"{keyed[n][0][0][1]}#{keyed[n][1]}#collision")
            seen.add(ids[n])
        taken = set(ids)
    aliases: list[list[str]] = []
    for n, (keys, _) in enumerate(keyed):
        if len(keys) == 1:
            aliases.append([])
            continue
        own = ids[n]
        aliases.append(sorted({digest(k) for _, k in keys[1:]} - {own} - taken))
    return ids, aliases
