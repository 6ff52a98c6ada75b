"""`slr trace` finds a work by every kind of query and shows its whole path."""

from __future__ import annotations

import pytest
from review_fixture import apply_screening, build, write_csv


@pytest.fixture
def review(slr, tmp_path):
    root = build(tmp_path)
    apply_screening(slr, root)
    write_csv(
        root / "results/pairs.csv",
        ["record_id_a", "record_id_b", "decision", "rule", "score"],
        [("2-s2.0-001", "WOS:001", "merged", "doi", "1.0"), ("2-s2.0-002", "WOS:003", "near_miss", "title", "0.81")],
    )
    write_csv(
        root / "data/coded/segments.csv",
        ["study", "code", "segment", "page", "coder", "provenance"],
        [
            ("Wold01", "actor/private/Power plant", "the power plant anchors", "4", "A", "test"),
            ("Wa02", "activity/Recruitment/Promote the area", "x", "", "A", "test"),
        ],
    )
    return root


@pytest.mark.parametrize(
    "query",
    [
        "Wa01",
        "Wold01",
        "10.1000/A",
        "https://doi.org/10.1000/a",
        "2-s2.0-001",
        "WOS:001",
        "anchor tenants eco",
        "ANCHOR TENANTS IN ECO-INDUSTRIAL PARKS",
    ],
)
def test_trace_finds_the_work_by_any_query(slr, review, query):
    result = slr("trace", query, cwd=review)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("work Wa01\n") and out.count("\nwork ") == 0
    assert "2-s2.0-001 [scopus, broad]" in out and "data/raw/broad/scopus.csv:2" in out
    assert "WOS:001 [wos, refined]" in out and "data/raw/refined/wos.txt:2" in out
    assert "results/pairs.csv:2 record_id_a=2-s2.0-001, record_id_b=WOS:001, decision=merged" in out
    assert "abstract: data/coded/abstract_screening.csv:2" in out and "quantitative_assessment=no" in out
    assert "availability: data/coded/fulltext.csv:2 work_id=Wa01, availability=retrieved" in out
    assert "results/screening/abstract_screened.csv:2 decision=included" in out
    assert "yes anchor_included" in out and "no  fulltext_unreadable" in out
    assert "linked: file=data/fulltext/a.pdf" in out and "status=ok" in out and "mentions=3" in out
    assert "data/coded/segments.csv:2 actor/private/Power plant (p. 4)" in out


def test_trace_of_an_excluded_and_an_unretrieved_work(slr, review):
    out = slr("trace", "Recycling networks in China", cwd=review).stdout
    assert "reason=not relevant_to_is" in out and "no  screened_included" in out
    out = slr("trace", "2-s2.0-008", cwd=review).stdout
    assert "decision=not_retrieved, reason=restricted_access" in out and "yes fulltext_not_retrieved" in out


def test_trace_title_words_matching_several_works(slr, review):
    out = slr("trace", "by-product", cwd=review).stdout
    assert out.startswith("work Wa08\n") and "\nwork Wa03\n" in out  # ordered by title


def test_trace_unknown_query(slr, review):
    result = slr("trace", "no such paper", cwd=review)
    assert result.returncode == 2 and result.stderr.startswith("error: no work matches 'no such paper'")
