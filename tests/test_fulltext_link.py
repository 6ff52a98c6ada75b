from __future__ import annotations

from pathlib import Path

import pytest

from slr.errors import InputError
from slr.fulltext.link import (
    Work,
    doi_forms,
    dois_in_name,
    dois_on_page,
    link_pdfs,
    load_screened,
    load_works,
    safe_stem,
    suggested_file_name,
)

SUN = Work(
    "W1",
    "Coordination of industrial symbiosis through anchoring",
    2017,
    "10.3390/su9040549",
    ("Sun, L.", "Spekkink, W."),
)
CHERTOW = Work(
    "W2", "Industrial symbiosis: literature and taxonomy", 2000, "10.1146/annurev.energy.25.1.313", ("Chertow, M.R.",)
)
UNDERSCORE = Work("W3", "Eco-industrial parks in China", 2012, "10.1002/(sici)1099-1719_x", ("Geng, Y.",))
NO_DOI = Work(
    "W4", "Anchor tenants and the emergence of eco-industrial networks in Denmark", 2009, None, ("Jacobsen, N.B.",)
)
EXCLUDED = Work(
    "W5", "Waste exchange networks in the United Kingdom", 2011, "10.1016/j.resconrec.2011.01.002", ("Paquin, R.",)
)
WORKS = [SUN, CHERTOW, UNDERSCORE, NO_DOI, EXCLUDED]
RETRIEVE = {"W1", "W2", "W3", "W4"}


def run(tmp_path: Path, names: list[str], pages: dict[str, str] | None = None, works=WORKS, retrieve=RETRIEVE):
    pages = pages or {}
    read = []

    def first_page(path: Path):
        read.append(path.name)
        return pages.get(path.name), None

    result = link_pdfs([tmp_path / n for n in names], works, retrieve, first_page, tmp_path)
    links = {row["file"]: (row["work_id"], row["matched_by"]) for row in result.links}
    return links, result.unlinked, read


def test_doi_in_the_file_name_in_its_usual_spellings(tmp_path):
    names = [
        "10.3390_su9040549.pdf",
        "Chertow2000_10.1146%2Fannurev.energy.25.1.313.pdf",
        "10.1002_(sici)1099-1719_x.pdf",
    ]
    links, unlinked, read = run(tmp_path, names)
    assert links == {
        "10.3390_su9040549.pdf": ("W1", "doi_filename"),
        "Chertow2000_10.1146%2Fannurev.energy.25.1.313.pdf": ("W2", "doi_filename"),
        "10.1002_(sici)1099-1719_x.pdf": ("W3", "doi_filename"),
    }
    assert read == []  # the first page is not opened when the name already says it
    assert [row["work_id"] for row in unlinked] == ["W4"]


def test_a_longer_doi_in_the_name_is_not_a_shorter_one():
    forms = {f: "10.3390/su9040549" for f in doi_forms("10.3390/su9040549")}
    assert dois_in_name("10.3390_su90405491", forms) == set()
    assert dois_in_name("10.3390_su9040549 (1)", forms) == {"10.3390/su9040549"}


def test_doi_on_the_first_page_even_across_a_line_break(tmp_path):
    pages = {
        "download.pdf": "Sustainability 2017, 9, 549; doi:10.3390/su9040549\nwww.mdpi.com",
        "scan0001.pdf": "Annu. Rev. Energy Environ. https://doi.org/10.1146/annurev.\nenergy.25.1.313 Copyright",
    }
    links, _, read = run(tmp_path, ["download.pdf", "scan0001.pdf"], pages)
    assert links == {"download.pdf": ("W1", "doi_first_page"), "scan0001.pdf": ("W2", "doi_first_page")}
    assert sorted(read) == ["download.pdf", "scan0001.pdf"]


def test_dois_on_page_ignores_unknown_dois():
    assert dois_on_page("see 10.9999/other and 10.3390/SU9040549.", {"10.3390/su9040549"}) == {"10.3390/su9040549"}


def test_title_in_the_file_name(tmp_path):
    names = [
        "Sun_2017_Coordination of industrial symbiosis through anchoring.pdf",
        "Jacobsen - 2009 - Anchor tenants and the emergence of eco-industrial networks.pdf",  # cut short
        "Chertow et al. - 2000 - Industrial symbiosis literature and taxonomy.pdf",
    ]
    links, unlinked, _ = run(tmp_path, names)
    assert links == {
        names[0]: ("W1", "title_filename"),
        names[1]: ("W4", "title_filename"),
        names[2]: ("W2", "title_filename"),
    }
    assert [row["work_id"] for row in unlinked] == ["W3"]


def test_a_file_name_with_another_year_does_not_match(tmp_path):
    links, unlinked, _ = run(tmp_path, ["Sun_2005_Coordination of industrial symbiosis through anchoring.pdf"])
    assert links == {}
    assert unlinked[0]["kind"] == "unmatched_pdf"


def test_title_on_the_first_page(tmp_path):
    page = (
        "Journal of Industrial Ecology\nAnchor Tenants and the Emergence of Eco-Industrial\nNetworks in Denmark\nN.B."
    )
    links, _, _ = run(tmp_path, ["article.pdf"], {"article.pdf": page})
    assert links == {"article.pdf": ("W4", "title_first_page")}


def test_two_works_with_one_title_make_the_pdf_ambiguous(tmp_path):
    twin = Work("W6", SUN.title, 2017, None, ("Sun, L.",))
    links, unlinked, _ = run(
        tmp_path,
        ["Sun_2017_Coordination of industrial symbiosis through anchoring.pdf"],
        works=[*WORKS, twin],
        retrieve={*RETRIEVE, "W6"},
    )
    assert links == {}
    ambiguous = [row for row in unlinked if row["kind"] == "ambiguous_pdf"]
    assert len(ambiguous) == 1 and ambiguous[0]["work_id"] == "W1; W6"


def test_two_dois_in_one_name_are_ambiguous(tmp_path):
    links, unlinked, _ = run(tmp_path, ["10.3390_su9040549 and 10.1146_annurev.energy.25.1.313.pdf"])
    assert links == {}
    assert unlinked[0]["kind"] == "ambiguous_pdf"


def test_a_pdf_of_a_work_not_to_retrieve_is_reported_not_linked(tmp_path):
    links, unlinked, _ = run(tmp_path, ["10.1016_j.resconrec.2011.01.002.pdf"])
    assert links == {}
    (row,) = [r for r in unlinked if r["kind"] == "unmatched_pdf"]
    assert "W5" in row["note"] and "not among the works to retrieve" in row["note"]


def test_an_unknown_pdf_and_an_unknown_doi_are_reported(tmp_path):
    links, unlinked, _ = run(tmp_path, ["10.9999_nothing.pdf"], {"10.9999_nothing.pdf": "A page about fishing"})
    assert links == {}
    (row,) = [r for r in unlinked if r["kind"] == "unmatched_pdf"]
    assert "10.9999_nothing, which is no work's DOI" in row["note"]


def test_works_without_a_pdf_get_a_file_name_to_save_it_under(tmp_path):
    _, unlinked, _ = run(tmp_path, [])
    missing = {row["work_id"]: row["note"] for row in unlinked if row["kind"] == "missing_pdf"}
    assert set(missing) == RETRIEVE
    assert missing["W1"].endswith(str(tmp_path / "10.3390_su9040549.pdf"))
    assert missing["W4"].endswith(
        "jacobsen_2009_anchor_tenants_and_the_emergence_of_eco_industrial_networks_in_denmark.pdf"
    )


def test_suggested_names_link_back_to_their_work(tmp_path):
    names = [suggested_file_name(w) for w in (SUN, CHERTOW, UNDERSCORE, NO_DOI)]
    links, unlinked, _ = run(tmp_path, names)
    assert sorted(w for w, _ in links.values()) == ["W1", "W2", "W3", "W4"]
    assert unlinked == []


def test_a_second_pdf_of_one_work_is_flagged(tmp_path):
    links, unlinked, _ = run(tmp_path, ["10.3390_su9040549.pdf", "10.3390_su9040549 (1).pdf"])
    assert len(links) == 2
    (dup,) = [r for r in unlinked if r["kind"] == "duplicate_pdf"]
    assert dup["file"] == "10.3390_su9040549.pdf" and dup["work_id"] == "W1"


@pytest.mark.parametrize("doi", ["10.1000/../../x", "10.1000/..", "../../etc/passwd", "/abs/path", "..\\..\\x", ".."])
def test_names_made_from_a_doi_never_leave_their_folder(tmp_path, doi):
    name = suggested_file_name(Work("W", "t", None, doi))
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()
    assert safe_stem("10.1000/../../x") == "10.1000_.._.._x"


def test_names_made_from_a_title_never_leave_their_folder(tmp_path):
    name = suggested_file_name(Work("W", "../../../etc/passwd: a title", None, None, ("../x",)))
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()


# ------------------------------------------------------------------ inputs


def test_load_works_and_screened(tmp_path):
    works_csv = tmp_path / "works.csv"
    works_csv.write_text(
        "work_id,title,authors,year,doi,aliases\n"
        'W1,Coordination of industrial symbiosis through anchoring,"Sun, L.; Spekkink, W.",2017,'
        "https://doi.org/10.3390/SU9040549,Wold\n"
        "W2,Another,,2000,,\n",
        encoding="utf-8",
    )
    works = load_works(works_csv)
    assert works[0] == SUN.__class__("W1", SUN.title, 2017, "10.3390/su9040549", ("Sun, L.", "Spekkink, W."), 2)
    screened = tmp_path / "abstract_screened.csv"
    screened.write_text("work_id,decision,reason\nWold,included,\nW2,excluded,off topic\n", encoding="utf-8")
    assert load_screened(screened, works, {"Wold": "W1"}) == {"W1"}


def test_screened_work_not_in_works_is_bad_input(tmp_path):
    screened = tmp_path / "s.csv"
    screened.write_text("work_id,decision\nW1,included\nW9,included\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_screened(screened, [SUN])
    assert err.value.line == 3


def test_works_without_a_title_column_is_bad_input(tmp_path):
    bad = tmp_path / "works.csv"
    bad.write_text("work_id,doi\nW1,10.1/x\n", encoding="utf-8")
    with pytest.raises(InputError, match="title"):
        load_works(bad)


HAIFA = Work("W7", "How park management bodies shape eco-industrial development in Haifa", 2013, None, ("Wu, J.",))
VALENCIA = Work("W8", "How park management bodies shape eco-industrial parks in Valencia", 2014, None, ("Wu, J.",))


def test_a_name_that_fits_two_titles_is_settled_by_the_first_page(tmp_path):
    name = "Wu_2014_How_park_management_bodies_shape_eco-industrial.pdf"
    page = "STAND-IN\nHow park management bodies shape eco-industrial parks in Valencia\nJ. Wu\n"
    links, unlinked, _ = run(tmp_path, [name], {name: page}, works=[HAIFA, VALENCIA], retrieve={"W7", "W8"})
    assert links == {name: ("W8", "title_first_page")}
    links, unlinked, _ = run(tmp_path, [name], {}, works=[HAIFA, VALENCIA], retrieve={"W7", "W8"})
    assert links == {}
    assert [(r["kind"], r["work_id"]) for r in unlinked if r["file"]] == [("ambiguous_pdf", "W7; W8")]


def test_a_short_cut_title_needs_the_author_and_year(tmp_path):
    work = Work(
        "W9",
        "Industrial symbiosis networks and the role of anchor tenants in Kalundborg",
        2009,
        None,
        ("Jacobsen, N.B.",),
    )
    links, _, _ = run(tmp_path, ["Jacobsen_2009_Industrial_symbiosis_networks.pdf"], works=[work], retrieve={"W9"})
    assert links == {"Jacobsen_2009_Industrial_symbiosis_networks.pdf": ("W9", "title_filename")}
    links, _, _ = run(tmp_path, ["Industrial_symbiosis_networks.pdf"], works=[work], retrieve={"W9"})
    assert links == {}


def test_screening_titles_quickly_finds_every_work_that_full_scoring_would():
    """``name_scores`` screens titles with rapidfuzz before scoring; on names made to fall near
    the threshold (titles sharing words, cut short, with typos, other years, author names in
    front, years inside titles) it must keep every work that scoring all of them keeps."""
    import random

    from slr.fulltext.link import TITLE_THRESHOLD, _Linker, name_title_score, name_tokens

    rng = random.Random(5)
    vocab = [
        "heat",
        "steam",
        "slag",
        "water",
        "park",
        "firms",
        "cement",
        "reuse",
        "network",
        "policy",
        "trust",
        "waste",
        "energy",
    ]
    surnames = ["Lee", "Park", "Kim", "Van Berg", "Costa", "Jun Park"]
    works = []
    for n in range(400):
        title = " ".join(rng.choice(vocab) for _ in range(rng.randint(3, 12)))
        if rng.random() < 0.05:
            title += f" in {rng.randint(1995, 2015)}"
        year = rng.choice([None, *range(1998, 2016)])
        works.append(Work(f"W{n}", title, year, None, (f"{rng.choice(surnames)}, A.",)))
    linker = _Linker(works, None)
    checked = 0
    for _ in range(300):
        w = rng.choice(works)
        words = w.title.split()
        words = words[: rng.randint(2, len(words))]
        if rng.random() < 0.4:
            i = rng.randrange(len(words))
            words[i] = words[i][:-1] + "x"
        parts = []
        if rng.random() < 0.5:
            parts.append(w.authors[0].split(",")[0].replace(" ", "_"))
        if rng.random() < 0.6:
            parts.append(str((w.year or 2005) + rng.choice([-2, -1, 0, 1])))
        tokens, years = name_tokens("_".join([*parts, *words]))
        full = {x.work_id: name_title_score(tokens, years, x) for x in works}
        fast = linker.name_scores(tokens, years)
        keep = {k: v for k, v in full.items() if v >= TITLE_THRESHOLD}
        assert {k: v for k, v in fast.items() if v >= TITLE_THRESHOLD} == keep, (tokens, years)
        checked += bool(keep)
    assert checked > 100  # the names did reach the threshold often enough to test something


def test_the_page_title_screen_passes_every_title_found_on_the_page():
    """``TitleGrams`` may only drop titles that cannot reach ``FIRST_PAGE_THRESHOLD``: on pages that
    hold titles with typos (up to the 1-in-10 the threshold allows), cut short or not at all, every
    title rapidfuzz finds on the page is among the candidates, and most others are not."""
    import random

    from rapidfuzz import fuzz

    from slr.fulltext.link import FIRST_PAGE_THRESHOLD, TitleGrams

    rng = random.Random(11)
    words = ["".join(rng.choice("abcdefghiklmnoprstuvy") for _ in range(rng.randint(2, 9))) for _ in range(300)]
    titles = [" ".join(rng.choice(words) for _ in range(rng.randint(4, 14))) for _ in range(500)]
    titles = [t for t in titles if len(t) >= 25]
    grams = TitleGrams(titles)
    found = screened = 0
    for _ in range(120):
        parts = [" ".join(rng.choice(words) for _ in range(rng.randint(20, 200)))]
        for title in rng.sample(titles, 3):
            chars = list(title)
            for _ in range(rng.randint(0, len(title) // 8)):
                i = rng.randrange(len(chars))
                op = rng.random()
                if op < 0.4:
                    chars[i] = rng.choice("abcdefghij ")
                elif op < 0.7:
                    del chars[i]
                else:
                    chars.insert(i, rng.choice("abcdefghij "))
            parts.insert(rng.randrange(len(parts) + 1), "".join(chars)[: rng.choice([len(chars), 30])])
        page = " ".join(parts)[:6000]
        candidates = set(grams.candidates(page))
        on_page = {n for n, t in enumerate(titles) if fuzz.partial_ratio(page, t) >= FIRST_PAGE_THRESHOLD}
        assert on_page <= candidates
        found += len(on_page)
        screened += len(titles) - len(candidates)
    assert found > 100 and screened > 0.5 * 120 * len(titles)
