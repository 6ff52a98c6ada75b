from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from slr.dedupe import Result, deduplicate
from slr.records import Record, make_record


def rec(record_id: str, title: str | None, **fields: Any) -> Record:
    """A normalised record; authors given as 'Surname, I.' strings."""
    fields.setdefault("database", "scopus" if record_id.startswith("2-s2.0") else "wos")
    return make_record(record_id=record_id, title=title, **fields)


def works_of(records: Sequence[Record], **kwargs: Any) -> list[set[str]]:
    """The works as sets of record ids."""
    result = deduplicate(records, **kwargs)
    return [set(w["members"].split("; ")) for w in result.works]


def same_work(records: Sequence[Record], a: str, b: str) -> bool:
    return any({a, b} <= members for members in works_of(records))


def pair_row(result: Result, a: str, b: str) -> dict[str, Any] | None:
    x, y = sorted((a, b))
    return next((p for p in result.pairs if p["record_id_a"] == x and p["record_id_b"] == y), None)


@pytest.fixture
def guitang() -> tuple[Record, Record]:
    """One paper as Scopus and Web of Science export it (hand-made from the paper's metadata)."""
    scopus = rec(
        "2-s2.0-34147119385",
        "Industrial symbiosis in China: A case study of the Guitang Group",
        authors=["Zhu, Q.", "Lowe, E.A.", "Wei, Y.-A.", "Barnes, D."],
        year=2007,
        journal="Journal of Industrial Ecology",
        volume="11",
        issue="1",
        pages="31-42",
        doi="10.1162/jiec.2007.929",
    )
    wos = rec(
        "WOS:000245873900004",
        "INDUSTRIAL SYMBIOSIS IN CHINA: A CASE STUDY OF THE GUITANG GROUP",
        authors=["Zhu, Q.H.", "Lowe, E.A.", "Wei, Y.A.", "Barnes, D."],
        year=2007,
        journal="JOURNAL OF INDUSTRIAL ECOLOGY",
        volume="11",
        issue="1",
        pages="31-42",
    )
    return scopus, wos
