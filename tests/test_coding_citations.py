"""Author-year citations: expected strings are the paper's own (Table A1, Appendix C)."""

import pytest

from slr.coding import citations
from slr.coding.citations import Cited


def label(*authors: str, year: int | None = 2000, title: str = "T") -> str:
    return citations.base_label(Cited("W", authors, year, title))


@pytest.mark.parametrize(
    ("authors", "year", "expected"),
    [
        (("Lowe, E.A.",), 1997, "Lowe 1997"),
        (("Bansal, P.", "McKnight, B."), 2009, "Bansal and McKnight 2009"),
        (("Wolf, A.", "Eklund, M.", "Söderström, M."), 2007, "Wolf, Eklund and Söderström 2007"),
        (("Mannino, I.", "Ninka, E.", "Turvani, M.", "Chertow, M."), 2015, "Mannino et al. 2015"),
        (
            ("Cerceau, J.", "Mat, N.", "Junqua, G.", "Lin, L.", "Laforest, V.", "Gonzalez, C."),
            2014,
            "Cerceau et al. 2014",
        ),
        (("Costa, I.", "Ferrão, P."), 2010, "Costa and Ferrão 2010"),
        (
            ("Liwarska-Bizukojc, E.", "Bizukojc, M.", "Marcinkowski, A.", "Doniec, A."),
            2009,
            "Liwarska-Bizukojc et al. 2009",
        ),
        # particles: kept as spelt, capitalised only where the citation starts with one
        (
            ("Van Leeuwen, M.G.", "Vermeulen, W.J.V.", "Glasbergen, P."),
            2003,
            "Van Leeuwen, Vermeulen and Glasbergen 2003",
        ),
        (("Heeres, R.R.", "Vermeulen, W.J.V.", "de Walle, F.B."), 2004, "Heeres, Vermeulen and de Walle 2004"),
        (("von Malmborg, F.",), 2004, "Von Malmborg 2004"),
        (("Yu, C.", "De Jong, M.", "Dijkema, G.P.J."), 2014, "Yu, De Jong and Dijkema 2014"),
        (("Paquin, R.L.", "Howard-Grenville, J."), 2012, "Paquin and Howard-Grenville 2012"),
        (("World Bank",), 2001, "World Bank 2001"),
        (("Lowe, E.A.",), None, "Lowe n.d."),
    ],
)
def test_author_year_labels(authors, year, expected):
    assert label(*authors, year=year) == expected


def test_a_b_suffix_follows_title_order_not_input_order():
    crossroads = Cited("W2", ("Costa, I.", "Ferrão, P."), 2010, "Crossroads between resource recovery and IS")
    case_study = Cited("W1", ("Costa, I.", "Ferrao, P."), 2010, "A case study of industrial symbiosis development")
    labels = citations.assign([crossroads, case_study])
    # one label for both (accents do not separate them); each keeps the works table's spelling
    assert labels == {"W1": "Costa and Ferrao 2010a", "W2": "Costa and Ferrão 2010b"}


def test_no_suffix_when_labels_differ_and_suffix_for_et_al_clash():
    works = [
        Cited("G1", ("Gibbs, D.", "Deutz, P."), 2005, "Implementing industrial ecology?"),
        Cited(
            "G2", ("Gibbs, D.", "Deutz, P.", "Proctor, A."), 2005, "Industrial ecology and eco-industrial development"
        ),
        Cited("M1", ("Mannino, I.", "A, B.", "C, D.", "E, F."), 2015, "Zeta"),
        Cited("M2", ("Mannino, I.", "X, B.", "Y, D.", "Z, F."), 2015, "Alpha"),
        Cited("N1", ("Nobody, A.",), None, "B title"),
        Cited("N2", ("Nobody, A.",), None, "A title"),
    ]
    labels = citations.assign(works)
    assert labels["G1"] == "Gibbs and Deutz 2005"
    assert labels["G2"] == "Gibbs, Deutz and Proctor 2005"
    assert (labels["M2"], labels["M1"]) == ("Mannino et al. 2015a", "Mannino et al. 2015b")
    assert (labels["N2"], labels["N1"]) == ("Nobody n.d.-a", "Nobody n.d.-b")


def test_sorted_by_year_then_name_each_study_once():
    labels = {
        "a": "Zhu and Ruth 2014",
        "b": "Lowe 1997",
        "c": "Costa and Ferrão 2010b",
        "d": "Costa and Ferrão 2010a",
        "e": "Chertow and Miyata 2011",
        "f": "Bansal and McKnight 2009",
        "g": "Baas 2011",
    }
    years = {"a": 2014, "b": 1997, "c": 2010, "d": 2010, "e": 2011, "f": 2009, "g": 2011}
    got = citations.ordered(labels, years, ["a", "b", "c", "d", "e", "f", "g", "b", "a"])
    assert got == [
        "Lowe 1997",
        "Bansal and McKnight 2009",
        "Costa and Ferrão 2010a",
        "Costa and Ferrão 2010b",
        "Baas 2011",
        "Chertow and Miyata 2011",
        "Zhu and Ruth 2014",
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Heeres, Vermeulen & De Walle 2004", "Heeres, Vermeulen and de Walle 2004"),
        ("Fichtner et al., 2005", "Fichtner et al. 2005"),
        ("Wolf, Eklund and Söderström 2007", "Wolf, Eklund and Soderstrom 2007"),
        ("Costa & Ferrao 2010b", "Costa and Ferrão 2010b"),
    ],
)
def test_match_key_joins_spellings_of_one_citation(a, b):
    assert citations.match_key(a) == citations.match_key(b)


def test_match_key_keeps_the_letter_and_the_names_apart():
    assert citations.match_key("Costa and Ferrão 2010a") != citations.match_key("Costa and Ferrão 2010")
    assert citations.split_suffix(citations.match_key("Costa and Ferrão 2010a")) == ("costa and ferrao 2010", "a")
    assert citations.split_suffix(citations.match_key("Costa and Ferrão 2010")) == ("costa and ferrao 2010", "")


def test_spelling_ignores_style_punctuation_but_not_case_or_ampersand():
    assert citations.spelling("Veleva et al. 2015") == citations.spelling("Veleva et al., 2015")
    assert citations.spelling("Heeres, Vermeulen & De Walle 2004") != citations.spelling(
        "Heeres, Vermeulen and De Walle 2004"
    )
    assert citations.spelling("Heeres, Vermeulen and De Walle 2004") != citations.spelling(
        "Heeres, Vermeulen and de Walle 2004"
    )


def test_bibtex_keys_are_ascii_and_unique():
    works = [
        Cited("a", ("Van Leeuwen, M.G.",), 2003, "x"),
        Cited("b", ("Söderström, M.",), 2007, "x"),
        Cited("c", ("Costa, I.", "Ferrão, P."), 2010, "B"),
        Cited("d", ("Costa, I.", "Ferrão, P."), 2010, "A"),
        Cited("e", ("von Malmborg, F.",), 2004, "x"),
        Cited("f", ("Costa, I.", "Massard, G.", "Agarwal, A."), 2010, "C"),
    ]
    keys = citations.bibtex_keys(works)
    assert keys["a"] == "VanLeeuwen2003"
    assert keys["b"] == "Soderstrom2007"
    assert keys["e"] == "VonMalmborg2004"
    # three Costa 2010 keys: ordered by label then title
    assert (keys["d"], keys["c"], keys["f"]) == ("Costa2010a", "Costa2010b", "Costa2010c")
