"""A work's fields, merged from its member records.

Rule: members are ranked by completeness (how many of title, authors, year, journal, volume,
issue, pages, DOI, abstract, keywords they fill), then Scopus before Web of Science before
others (Scopus keeps the title's capitals, WoS often writes it in capitals), then by
record_id. Each field comes from the first member in that ranking that has it, so the most
complete member gives the work its fields and the others only fill its gaps. An ALL-CAPS
title is replaced by the first member's title in normal case, if any.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from slr.records import Record

FIELDS = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "abstract", "keywords")
COPIED = (*FIELDS, "doc_type", "language")
_DB_RANK = {"scopus": 0, "wos": 1}


def ranked(members: Sequence[Record]) -> list[Record]:
    return sorted(
        members,
        key=lambda r: (
            -sum(1 for f in FIELDS if r.get(f)),
            _DB_RANK.get(str(r.get("database")), 2),
            str(r["record_id"]),
        ),
    )


def merge_fields(members: Sequence[Record]) -> dict[str, Any]:
    order = ranked(members) if len(members) > 1 else members
    out: dict[str, Any] = {}
    for name in COPIED:
        out[name] = next((r[name] for r in order if r.get(name)), None)
    title = out.get("title")
    if title and title.isupper():
        out["title"] = next((r["title"] for r in order if r.get("title") and not r["title"].isupper()), title)
    if out.get("authors"):
        out["authors"] = "; ".join(out["authors"])
    return out


def work_row(
    work_id: str,
    aliases: Sequence[str],
    members: Sequence[Record],
    searches: Mapping[str, set[str]],
) -> dict[str, Any]:
    if len(members) == 1:  # most works: no merging to do
        rec = members[0]
        rid = str(rec["record_id"])
        row = {"work_id": work_id, **{name: rec.get(name) or None for name in COPIED}}
        row["authors"] = "; ".join(row["authors"]) if row["authors"] else None
        row["databases"] = str(rec.get("database") or "other")
        row["searches"] = "; ".join(sorted(searches.get(rid, ()))) or None
        row["n_records"] = 1
        row["members"] = rid
        row["aliases"] = "; ".join(aliases) or None
        return row
    row = {"work_id": work_id, **merge_fields(members)}
    ids = sorted(str(r["record_id"]) for r in members)
    row["databases"] = "; ".join(sorted({str(r.get("database") or "other") for r in members}))
    row["searches"] = "; ".join(sorted({s for rid in ids for s in searches.get(rid, ())})) or None
    row["n_records"] = len(ids)
    row["members"] = "; ".join(ids)
    row["aliases"] = "; ".join(aliases) or None
    return row
