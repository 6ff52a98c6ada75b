from __future__ import annotations

from pathlib import Path

import pytest
from fulltext_pdfs import body_lines, matplotlib_pdf

from slr.errors import InputError, UsageError
from slr.fulltext.extract import Extractor
from slr.fulltext.search import SearchOptions, compile_pattern, find_mentions, reference_list_start, search_links


def matches(text: str, **options) -> list[str]:
    return [m.match for m in find_mentions(text, SearchOptions(**options))]


def test_default_pattern_matches_variations_anywhere_in_a_word_case_insensitively():
    text = "An Anchor tenant; anchoring, anchored and citationanchors, citation-anchors. Not: anch or ranch."
    assert matches(text) == ["Anchor", "anchoring", "anchored", "citationanchors", "citation-anchors"]


def test_word_start_is_stricter():
    text = "Anchors and citation-anchors, but not citationanchors or reanchoring."
    assert matches(text, word_start=True) == ["Anchors", "citation-anchors"]


def test_kwic_gives_ten_words_either_side_and_the_page():
    before = " ".join(f"b{i}" for i in range(1, 16))
    after = " ".join(f"a{i}" for i in range(1, 16))
    text = f"page one\f{before}\n(anchoring), {after}"
    (mention,) = find_mentions(text, SearchOptions())
    assert mention.page == 2
    assert mention.match == "anchoring"
    assert mention.left == " ".join(f"b{i}" for i in range(6, 16))
    assert mention.right == " ".join(f"a{i}" for i in range(1, 11))


def test_short_context_near_the_page_edges():
    (mention,) = find_mentions("two words anchor", SearchOptions())
    assert (mention.left, mention.right) == ("two words", "")


def test_custom_pattern_is_a_regular_expression():
    assert matches("symbiosis and symbiotic links", pattern=r"symbio(sis|tic)") == ["symbiosis", "symbiotic"]


@pytest.mark.parametrize("pattern", ["", "  ", "a*", "(unclosed"])
def test_unusable_patterns_are_refused(pattern):
    with pytest.raises(UsageError):
        SearchOptions(pattern)


def test_reference_list_found_at_the_last_heading_on_its_own_line():
    text = "Body cites the References below.\nReferences\nA\n\fMore\n7. REFERENCES\nanchor ref"
    assert text[reference_list_start(text) :].startswith("7. REFERENCES")
    assert reference_list_start("no list here; see references in the text") is None


def test_reference_list_can_be_left_out():
    text = "anchor in the body\n\nReferences\n\nSmith (2010) Anchor tenants."
    assert len(find_mentions(text, SearchOptions())) == 2
    assert len(find_mentions(text, SearchOptions(include_references=False))) == 1


def test_reference_list_in_a_generated_pdf(tmp_path):
    pdf = matplotlib_pdf(
        tmp_path / "refs.pdf",
        [body_lines(40), [*body_lines(20, offset=7), "References", "Smith, J. (2010). Anchor tenants in parks."]],
    )
    with Extractor(timeout=60) as ex:
        text = ex.extract(pdf).text
    everything = find_mentions(text, SearchOptions())
    assert [(m.page, m.match) for m in everything] == [(2, "Anchor")]
    assert find_mentions(text, SearchOptions(include_references=False)) == []


# ------------------------------------------------------------------ per work


def manifest_row(name: str, status: str, line: int) -> dict:
    return {"file": name, "status": status, "pages": None, "chars": None, "message": None, "line": line}


@pytest.fixture
def texts(tmp_path) -> dict[str, Path]:
    (tmp_path / "one.txt").write_text("anchor here\fnothing\fanchors again, anchoring", encoding="utf-8")
    (tmp_path / "two.txt").write_text("no mention at all", encoding="utf-8")
    (tmp_path / "three.txt").write_text("a single anchor", encoding="utf-8")
    return {p.stem: p for p in tmp_path.glob("*.txt")}


def test_hits_per_work_with_pending_statuses(texts):
    links = [
        {"work_id": "W1", "file": "one.pdf"},
        {"work_id": "W2", "file": "two.pdf"},
        {"work_id": "W3", "file": "three.pdf"},
        {"work_id": "W4", "file": "scan.pdf"},
        {"work_id": "W5", "file": "locked.pdf"},
    ]
    manifest = [
        manifest_row("one.pdf", "ok", 2),
        manifest_row("two.pdf", "ok", 3),
        manifest_row("three.pdf", "ok", 4),
        manifest_row("scan.pdf", "no_text_layer", 5),
        manifest_row("locked.pdf", "encrypted", 6),
    ]
    result = search_links(links, manifest, texts, SearchOptions(), min_mentions=2)
    rows = [(h["work_id"], h["status"], h["mentions"], h["pages_with_mentions"], h["included"]) for h in result.hits]
    assert rows == [
        ("W1", "ok", 3, "1; 3", "yes"),
        ("W2", "ok", 0, None, "no"),
        ("W3", "ok", 1, "1", "no"),
        ("W4", "no_text_layer", None, None, None),
        ("W5", "encrypted", None, None, None),
    ]
    assert [(k["work_id"], k["page"], k["match"]) for k in result.kwic] == [
        ("W1", 1, "anchor"),
        ("W1", 3, "anchors"),
        ("W1", 3, "anchoring"),
        ("W3", 1, "anchor"),
    ]


def test_a_link_without_a_manifest_row_is_bad_input(texts):
    with pytest.raises(InputError) as err:
        search_links([{"work_id": "W1", "file": "gone.pdf", "line": 7}], [], texts, SearchOptions())
    assert err.value.line == 7


def test_an_ok_pdf_without_its_text_is_bad_input(texts):
    with pytest.raises(InputError, match=r"lost\.txt"):
        search_links(
            [{"work_id": "W1", "file": "lost.pdf"}], [manifest_row("lost.pdf", "ok", 2)], texts, SearchOptions()
        )


def test_min_mentions_must_be_positive(texts):
    with pytest.raises(UsageError):
        search_links([], [], texts, SearchOptions(), min_mentions=0)


@pytest.mark.parametrize("pattern", [r"(\w+\s?)+\$\$", "(a+)+", "(a*b)*", "(x{2,})+"])
def test_pattern_with_nested_repetition_is_refused(pattern):
    # such a pattern backtracks for hours on a long text without a match
    with pytest.raises(UsageError, match="repeats a group that itself repeats"):
        compile_pattern(pattern)


@pytest.mark.parametrize("pattern", ["anchor", "anchor(s|ing)?", "(ab)+", r"\(a+\)+", "(?:an-?chor)+"])
def test_patterns_without_nested_repetition_pass(pattern):
    assert compile_pattern(pattern).pattern == pattern
