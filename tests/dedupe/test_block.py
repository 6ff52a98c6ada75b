"""Blocking: which records are compared at all. A title ending shared by a whole topic must not
make one huge block (a 100k-record search took minutes and gigabytes), and narrowing it must not
lose a duplicate that only the title's end reveals."""

from __future__ import annotations

from slr.dedupe.block import title_pairs
from slr.dedupe.normalise import Keys

from .conftest import rec, same_work

ENDING = "in eco-industrial parks"


def _pairs(records):
    keys = [Keys(n, r) for n, r in enumerate(records)]
    return {(records[i]["record_id"], records[j]["record_id"]) for i, j in title_pairs(keys)}


def test_titles_ending_alike_are_compared_only_with_a_like_first_author_or_first_page():
    records = [
        rec("a", f"Heat cascades between refineries {ENDING}", authors=["Lee, K."], year=2010),
        rec("b", f"Municipal planning of water reuse {ENDING}", authors=["Kim, S."], year=2010),
        rec("c", f"Trust among plant managers {ENDING}", authors=["Lopez, M."], year=2010),
        rec("d", f"Zoning rules for new tenants {ENDING}", authors=["Kim, J."], year=2011, pages="100-110"),
        rec("e", f"Slag markets and cement kilns {ENDING}", authors=["Park, H."], year=2010, pages="100-114"),
        rec("f", f"Biogas from sugar residues {ENDING}", authors=["Quist, A."], year=2010, pages="1-14"),
        rec("g", f"Steam sharing contracts {ENDING}", authors=["Ng, B."], year=2010, pages="1-9"),
    ]
    pairs = _pairs(records)
    assert ("a", "c") in pairs  # same initial
    assert ("b", "d") in pairs  # same initial, a year apart
    assert ("d", "e") in pairs  # same first page
    assert ("a", "b") not in pairs and ("c", "e") not in pairs
    assert ("f", "g") not in pairs  # page 1 says nothing: many articles start there


def test_a_heading_in_front_and_a_name_written_the_other_way_round_still_merge():
    # Only the end of the title is shared (a heading in front of one), and the first author's
    # name is read family-name-last in one database: the first page still brings them together.
    shared = {"year": 2009, "journal": "Journal of Industrial Ecology", "volume": "5", "pages": "556-557"}
    scopus = rec("2-s2.0-1", "Can district heating networks outlive their anchor plant?", authors=["Jun Park, M."],
                 **shared)  # fmt: skip
    wos = rec(
        "WOS:1",
        "Urban energy systems: can district heating networks outlive their anchor plant?",
        authors=["Park, M.J."],
        **shared,
    )
    assert same_work([scopus, wos], "2-s2.0-1", "WOS:1")
