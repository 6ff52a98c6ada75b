import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from slr.readers.combine import join_keywords
from slr.records import (
    RECORD_FIELDS,
    clean,
    collapse,
    fold,
    make_record,
    normalise_author,
    normalise_doi,
    read_records,
    split_authors,
    write_records,
)


@pytest.mark.parametrize(
    ("raw", "doi"),
    [
        ("10.1016/j.jclepro.2009.10.002", "10.1016/j.jclepro.2009.10.002"),
        ("https://doi.org/10.1016/J.JCLEPRO.2009.10.002", "10.1016/j.jclepro.2009.10.002"),
        ("http://dx.doi.org/10.1002/bse.692", "10.1002/bse.692"),
        ("doi:10.3390/su9040549.", "10.3390/su9040549"),
        ("DOI: 10.3390/su9040549", "10.3390/su9040549"),
        ("", None),
        ("   ", None),
        ("not a doi", None),
        ("10.12/too-short-prefix", None),
        ("10.1007/978-3-319-06692-9\\_11", "10.1007/978-3-319-06692-9_11"),  # WoS BibTeX escapes "_"
        ("{10.1002/bse.692}", "10.1002/bse.692"),
        (None, None),
    ],
)
def test_normalise_doi(raw, doi):
    assert normalise_doi(raw) == doi


@pytest.mark.parametrize(
    ("raw", "author"),
    [
        ("Phillips, J.C.", "Phillips, J.C."),
        ("Phillips, JC", "Phillips, J.C."),
        ("Phillips J.C.", "Phillips, J.C."),
        ("Phillips, James C.", "Phillips, J.C."),
        ("J. C. Phillips", "Phillips, J.C."),
        ("Zhai, Q. J.", "Zhai, Q.J."),
        ("Van Leeuwen M.G.", "Van Leeuwen, M.G."),
        ("van Leeuwen, Marjan G.", "van Leeuwen, M.G."),
        ("Nominé, J.-P.", "Nominé, J.-P."),
        ("J. -P. Nominé", "Nominé, J.-P."),
        ("Costa, Inês", "Costa, I."),
        ("  ", None),
    ],
)
def test_normalise_author(raw, author):
    assert normalise_author(raw) == author


def test_split_authors_forms():
    assert split_authors("Liu F.; Li C.") == ["Liu, F.", "Li, C."]
    assert split_authors("Deng, Chaoqun and Ravichandran, T.") == ["Deng, C.", "Ravichandran, T."]
    assert split_authors("P. Kogge; J. Shalf") == ["Kogge, P.", "Shalf, J."]
    assert split_authors(None) == []


def test_fold_removes_markup_case_and_accents():
    assert fold("<i>Eco-Industrial</i> Parks: Östergötland &amp; \\textit{Rotterdam}") == (
        "eco industrial parks ostergotland rotterdam"
    )


def test_make_record_turns_empty_into_none():
    rec = make_record(record_id="x", title="  ", doi="", year="", abstract="\n")
    assert rec["title"] is None and rec["doi"] is None and rec["year"] is None and rec["abstract"] is None
    assert set(rec) == set(RECORD_FIELDS)


doi_like = st.from_regex(r"10\.\d{4,6}/[A-Za-z0-9.()_-]{1,20}", fullmatch=True)


@given(st.one_of(doi_like, st.text()))
def test_doi_normaliser_is_idempotent(value):
    once = normalise_doi(value)
    assert normalise_doi(once) == once


spacey_text = st.text(alphabet=st.sampled_from(list("ab; \t\n\r\x0c\x1f\xa0\u2003é")), max_size=30)
ascii_spacey_text = st.text(alphabet=st.sampled_from(list("ab; \t\x0b\x0c\x1c\x1d\x1e\x1f")), max_size=12)


@given(st.one_of(spacey_text, ascii_spacey_text, st.text()))
@example("a\tb")
@example("a\x0cb")
@example("a\x1fb")
@example("a  b")
@example("a\r\nb")
@example("a\xa0b")
def test_collapse_folds_every_white_space_run(value):
    # the fast path for plain ASCII must give what the general rule gives
    text = clean(value)
    assert collapse(value) == (" ".join(text.split()) or None if text else None)


@given(st.lists(st.one_of(st.none(), spacey_text), max_size=3))
def test_keywords_joined_then_collapsed_as_items(values):
    # join_keywords leaves inner white space to make_record; together they fold each item
    items = [" ".join(k.split()) for v in values if v for k in v.split(";")]
    expected = "; ".join(k for k in items if k) or None
    assert make_record(keywords=join_keywords(*values))["keywords"] == expected


@given(st.text())
def test_fold_is_idempotent(value):
    assert fold(fold(value)) == fold(value)


name_part = st.text(
    alphabet=st.characters(whitelist_categories=("Lu", "Ll"), max_codepoint=0x24F), min_size=1, max_size=12
)


@given(name_part, st.lists(name_part, min_size=0, max_size=3))
def test_author_normaliser_is_idempotent(surname, given_names):
    raw = f"{surname}, {' '.join(given_names)}" if given_names else surname
    once = normalise_author(raw)
    assert normalise_author(once) == once


text_field = st.one_of(st.none(), st.text(min_size=1, max_size=40).map(lambda s: " ".join(s.split()) or None))


@given(
    title=text_field,
    abstract=text_field,
    year=st.one_of(st.none(), st.integers(1900, 2030)),
    authors=st.lists(name_part.map(lambda s: f"{s}, A."), max_size=4),
    extra=st.dictionaries(
        st.text(min_size=1, max_size=10), st.text(min_size=1, max_size=20).filter(lambda s: s.strip())
    ),
)
def test_records_round_trip_through_csv(tmp_path_factory, title, abstract, year, authors, extra):
    path = tmp_path_factory.mktemp("rt") / "records.csv"
    rec = make_record(
        record_id="r1", database="scopus", title=title, abstract=abstract, year=year, authors=authors, extra=extra
    )
    write_records([rec], path)
    assert read_records(path) == [rec]


def test_unreadable_year_and_doi_are_kept_in_extra():
    rec = make_record(record_id="x", title="T", year="20l5", doi="not-a-doi")
    assert rec["year"] is None and rec["doi"] is None
    assert rec["extra"] == {"unreadable year": "20l5", "unreadable doi": "not-a-doi"}
    fine = make_record(record_id="y", title="T", year="2015", doi="10.1000/abc")
    assert fine["extra"] == {}
