"""The matching keys: how titles, names, venues and pages are read."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slr.dedupe.compare import pages_relation, venues_compatible
from slr.dedupe.normalise import (
    CORRECTION,
    REPLY,
    RETRACTION,
    fold_text,
    name_of,
    names_agree,
    pages_of,
    split_brackets,
    title_forms,
    title_kind,
    venue_tokens,
)


@pytest.mark.parametrize(
    ("title", "kind", "rest"),
    [
        ("Erratum to: Eco-industrial parks in China", CORRECTION, "eco industrial parks in china"),
        ("Corrigendum: Eco-industrial parks in China", CORRECTION, "eco industrial parks in china"),
        ("Eco-industrial parks in China (vol 12, pg 345, 2010)", CORRECTION, "eco industrial parks in china"),
        ("Eco-industrial parks in China (Journal of Cleaner Production (2010) 12 (345-356))", CORRECTION, None),
        ("Retraction notice to “Eco-industrial parks in China”", RETRACTION, "eco industrial parks in china"),
        ("Reply to the comment on eco-industrial parks", REPLY, "the comment on eco industrial parks"),
        ("Eco-industrial parks in China - Reply", REPLY, "eco industrial parks in china"),
        ("Re: eco-industrial parks in China", REPLY, "eco industrial parks in china"),
        ("Comment on “Eco-industrial parks in China”", "comment", "eco industrial parks in china"),
        ("RETRACTED ARTICLE: Eco-industrial parks in China", "", "eco industrial parks in china"),
        ("Re-evaluation of eco-industrial parks", "", "re evaluation of eco industrial parks"),
        ("Response to drought in eco-industrial parks", "", "response to drought in eco industrial parks"),
        ("Correction of heavy-metal soils near eco-industrial parks", CORRECTION, None),
    ],
)
def test_kind_of_record_from_its_title(title, kind, rest):
    found, folded = title_kind(title, None)
    if title.startswith("Correction of"):
        # a title that happens to start with the marker word is read as a correction: it then only
        # merges with other records read the same way, never with a paper (precision first)
        assert found == CORRECTION
        return
    assert found == kind
    if rest is not None:
        assert folded == rest


def test_doc_type_marks_errata_that_the_title_does_not():
    assert title_kind("Eco-industrial parks in China", "Erratum")[0] == CORRECTION
    assert title_kind("Eco-industrial parks in China", "Article")[0] == ""


@pytest.mark.parametrize(
    ("title", "primary", "alternative"),
    [
        ("[Industrial symbiosis in Rotterdam]. [Dutch]", "Industrial symbiosis in Rotterdam", None),
        ("Industrial symbiosis in Rotterdam [Industriële symbiose in Rotterdam]", "industrial", "Industriële"),
        ("Anchor firms.[Erratum appears in J Ind Ecol. 2009;9(9):22 [added]]", "Anchor firms.", None),
        ("Anchor firms in regional symbiosis.[Erratum appears in J Ind", "Anchor firms in regional symbiosis.", None),
    ],
)
def test_brackets(title, primary, alternative):
    found_primary, found_alternative = split_brackets(title)
    assert found_primary.strip().lower().startswith(primary.lower())
    if alternative is None:
        assert found_alternative is None or "erratum" in found_alternative.lower()
    else:
        assert found_alternative is not None and found_alternative.startswith(alternative)


def test_title_forms_drop_medline_notes_and_keep_translations():
    kind, forms = title_forms("Anchor firms in symbiosis [Erratum appears in J Ind Ecol 2009]", None)
    assert kind == "" and [f.title for f in forms] == ["anchor firms in symbiosis"]
    kind, forms = title_forms("[Anchor firms in symbiosis] TO: Empresas ancla en la simbiosis", None)
    assert [f.title for f in forms] == ["to empresas ancla en la simbiosis", "anchor firms in symbiosis"]


def test_all_caps_html_latex_and_diacritics_fold_alike():
    variants = [
        "Symbiosis in the Pas-de-Calais: rôle of anchor firms",
        "SYMBIOSIS IN THE PAS-DE-CALAIS: RÔLE OF ANCHOR FIRMS",
        "Symbiosis in the Pas-de-Calais: r&ocirc;le of <i>anchor</i> firms",
        "Symbiosis in the Pas-de-Calais: r{\\^o}le of anchor firms",
        "Symbiosis in the Pas-de-Calais: r\\^{o}le of anchor firms",
    ]
    assert len({fold_text(v) for v in variants}) == 1


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("van Kessel, M.", "Kessel, M.E.", 2),
        ("De Botton, S.", "Botton, S.", 2),
        ("Zhu, Q.", "Zhu, Q.H.", 2),
        ("Bu?lova, T.V.", "Builova, T.V.", 1),
        ("Wu, C.-Y.", "Ching-yi, W.", 1),  # given and family names swapped
        ("Le, Q.M.", "Quintrec, M.", 1),  # "Le Quintrec" split at the particle
        ("Si Hyun Kang, N.", "Kang, S.H.", 1),
        ("Smith, J.", "Jones, A.", 0),
    ],
)
def test_author_names(a, b, level):
    name_a, name_b = name_of(a), name_of(b)
    assert name_a is not None and name_b is not None
    assert names_agree(name_a, name_b) == level


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("N Engl J Med", "New England Journal of Medicine", True),
        ("J. Clean. Prod.", "Journal of Cleaner Production", True),
        ("Journal of Rehabilitation Medicine (Stiftelsen Rehabiliteringsinformation)", "J Rehabil Med", True),
        ("Amcis 2017 Proceedings", "Americas Conference on Information Systems", True),
        ("PNAS", "Proceedings of the National Academy of Sciences", True),
        ("Journal of Digital Studies", "Workshop of Digital Studies", False),
        ("Journal of Cleaner Production", "Journal of Industrial Ecology", False),
    ],
)
def test_venues(a, b, same):
    assert venues_compatible(venue_tokens(a), venue_tokens(b)) is same


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        ("1676-87", "1676-1687", "range"),
        ("1676-87", "1676", "same"),
        ("233-238+230-235+246-251", "230-5, 246-51, 233-8", "same"),
        ("2297-2108", "2097-2108", "same"),  # a typo in the first page, same last page
        ("2141-2147", "2142-2148", ""),  # off by one over the same length: says nothing
        ("1-17", "566-582", ""),  # online-first pagination
        ("703-712", "1107-1107", "differ"),
        ("e1234", "1234", "same"),
        ("a1754", "969-972", ""),  # BMJ: an article number beside the printed pages says nothing
        ("c1804", "1014", ""),
        ("e0123", "e0456", "differ"),  # two article numbers do disagree
    ],
)
def test_pages(a, b, relation):
    pa, pb = pages_of(a), pages_of(b)
    assert pa is not None and pb is not None
    assert pages_relation(pa, pb) == relation


@pytest.mark.parametrize("cut", ["Suppl-29", "t-20", "Suppl.-6"])
def test_pages_cut_to_the_last_digits_say_nothing(cut):
    # a database that lost the first page of "S417-S429" or "314-320" keeps only "Suppl-29" / "t-20"
    assert pages_of(cut) is None


@given(st.text(max_size=60))
def test_folding_is_idempotent(text):
    once = fold_text(text)
    assert fold_text(once) == once
