"""Each matching rule on hand-made records, and every case that must not merge."""

from __future__ import annotations

from slr.dedupe import deduplicate

from .conftest import pair_row, rec, same_work, works_of

BASE = {
    "authors": ["Chertow, M.R.", "Lombardi, D.R."],
    "year": 2005,
    "journal": "Environmental Science & Technology",
    "volume": "39",
    "pages": "6535-6541",
}
TITLE = "Quantifying economic and environmental benefits of co-located firms"


# ---------------------------------------------------------------- rules that merge


def test_same_doi_merges_even_when_everything_else_is_written_differently():
    a = rec("2-s2.0-1", TITLE, doi="10.1021/es050050+", **BASE)
    b = rec(
        "WOS:1",
        "QUANTIFYING THE BENEFITS OF CO-LOCATED FIRMS IN GUAYAMA",
        authors=["Chertow, Marian R."],
        year=2004,
        journal="Environ. Sci. Technol.",
        doi="https://doi.org/10.1021/ES050050+",
    )
    result = deduplicate([a, b])
    assert len(result.works) == 1
    assert pair_row(result, "2-s2.0-1", "WOS:1")["rule"] == "doi"


def test_same_pubmed_id_merges():
    a = rec("2-s2.0-1", TITLE, extra={"PubMed ID": "16190209"}, **BASE)
    b = rec("WOS:1", TITLE + " in Guayama", extra={"PM": "16190209"}, authors=["Chertow, M.R."])
    result = deduplicate([a, b])
    assert len(result.works) == 1
    assert pair_row(result, "2-s2.0-1", "WOS:1")["rule"] == "pubmed_id"


def test_scopus_and_wos_copy_without_doi_merge_on_title_and_evidence(guitang):
    scopus, wos = guitang
    result = deduplicate([scopus, wos])
    assert len(result.works) == 1
    row = pair_row(result, scopus["record_id"], wos["record_id"])
    assert row["decision"] == "merged" and row["rule"] == "title"
    assert row["title_similarity"] == "100" and row["year"] == 2 and row["journal"] == 2 and row["pages"] == 4
    work = result.works[0]
    assert work["databases"] == "scopus; wos"
    # the Scopus record is the most complete (it has the DOI): its fields, its capitals
    assert work["title"] == scopus["title"] and work["doi"] == "10.1162/jiec.2007.929"


def test_html_entities_latex_and_diacritics_are_folded():
    a = rec("2-s2.0-1", "Symbiosis in the Pas-de-Calais: r&ocirc;le of &quot;anchor&quot; firms", **BASE)
    b = rec("WOS:1", 'Symbiosis in the Pas-de-Calais: r{\\^o}le of "anchor" firms', **BASE)
    c = rec("h:3", "Symbiosis in the Pas de Calais: rôle of <i>anchor</i> firms", **BASE)
    assert works_of([a, b, c]) == [{"2-s2.0-1", "WOS:1", "h:3"}]


def test_subtitle_dropped_by_one_database_merges_when_the_rest_agrees():
    a = rec("2-s2.0-1", TITLE + ": the case of Kalundborg", **BASE)
    b = rec("WOS:1", TITLE, **BASE)
    result = deduplicate([a, b])
    assert len(result.works) == 1
    assert pair_row(result, "2-s2.0-1", "WOS:1")["rule"] == "title_prefix"


def test_translated_title_in_brackets():
    medline = rec("h:1", "[Industrial symbiosis in the port of Rotterdam]. [Dutch]", **BASE)
    scopus = rec("2-s2.0-1", "Industrial symbiosis in the port of Rotterdam [Industriële symbiose in de haven]", **BASE)
    wos = rec("WOS:1", "Industrial symbiosis in the port of Rotterdam", **BASE)
    assert works_of([medline, scopus, wos]) == [{"h:1", "2-s2.0-1", "WOS:1"}]


def test_typos_and_author_formats_still_merge():
    a = rec("2-s2.0-1", "Anchor tenants and the emergence of eco-industrial parks in Europe", **BASE)
    b = rec(
        "WOS:1",
        "Anchor tenants and the emergance of eco-industrial parks in Europe",
        **{**BASE, "authors": ["Chertow, Marian R.", "Lombardi, D. Rachel"]},
    )
    assert same_work([a, b], "2-s2.0-1", "WOS:1")


def test_online_first_year_one_off_merges_with_the_same_authors_and_journal():
    issue = rec("2-s2.0-1", TITLE, doi="10.1080/12460125.2023.2197701", **{**BASE, "year": 2024, "pages": "566-582"})
    online = rec("WOS:1", TITLE, **{**BASE, "year": 2023, "volume": None, "pages": "1-17"})
    assert same_work([issue, online], "2-s2.0-1", "WOS:1")


# ---------------------------------------------------------------- must not merge


def test_empty_dois_never_match():
    # bibliometrix#495: every WoS record with an empty DOI was merged into one
    records = [rec(f"WOS:{n}", f"Study number {w} of symbiosis networks", doi="") for n, w in enumerate("abcdefgh")]
    assert all(r["doi"] is None for r in records)
    assert len(deduplicate(records).works) == 8


def test_erratum_corrigendum_reply_comment_retraction_stay_apart_from_the_paper():
    paper = rec("2-s2.0-1", TITLE, **BASE)
    others = [
        rec("2-s2.0-2", "Erratum: " + TITLE, **{**BASE, "pages": "7000"}),
        rec("2-s2.0-3", "Corrigendum to “" + TITLE + "”", **BASE),
        rec("WOS:4", TITLE + " (vol 39, pg 6535, 2005)", **{**BASE, "pages": "8000"}),
        rec("WOS:5", "Reply to: " + TITLE, **BASE),
        rec("WOS:6", "Comment on “" + TITLE + "”", **BASE),
        rec("WOS:7", "Retraction notice to: " + TITLE, **BASE),
        rec("WOS:8", TITLE + " - Reply", **BASE),
    ]
    for other in others:
        assert not same_work([paper, other], "2-s2.0-1", other["record_id"]), other["title"]


def test_a_retracted_article_flag_is_the_article_itself():
    paper = rec("2-s2.0-1", TITLE, **BASE)
    flagged = rec("WOS:1", "RETRACTED ARTICLE: " + TITLE, **BASE)
    assert same_work([paper, flagged], "2-s2.0-1", "WOS:1")


def test_two_errata_of_one_paper_merge_with_each_other_not_the_paper():
    paper = rec("2-s2.0-1", TITLE, **BASE)
    scopus_erratum = rec("2-s2.0-2", "Erratum: " + TITLE, **{**BASE, "pages": "7000"})
    wos_erratum = rec("WOS:3", TITLE + " (vol 39, pg 6535, 2005)", **{**BASE, "pages": "7000"})
    assert sorted(map(sorted, works_of([paper, scopus_erratum, wos_erratum]))) == [
        ["2-s2.0-1"],
        ["2-s2.0-2", "WOS:3"],
    ]


def test_part_1_and_part_2_stay_apart():
    a = rec("2-s2.0-1", TITLE + ", part 1: theory", **BASE)
    b = rec("2-s2.0-2", TITLE + ", part 2: theory", **{**BASE, "pages": "6542-6550"})
    assert not same_work([a, b], "2-s2.0-1", "2-s2.0-2")


def test_same_title_in_another_journal_is_another_work():
    a = rec("2-s2.0-1", TITLE, authors=["Smith, J."], year=2020, journal="Journal of Digital Studies")
    b = rec("2-s2.0-2", TITLE, authors=["Smith, J."], year=2020, journal="Journal of Industrial Ecology")
    assert not same_work([a, b], "2-s2.0-1", "2-s2.0-2")


def test_years_two_apart_never_merge():
    a = rec("2-s2.0-1", TITLE, **BASE)
    b = rec("2-s2.0-2", TITLE, **{**BASE, "year": 2007})
    assert not same_work([a, b], "2-s2.0-1", "2-s2.0-2")


def test_different_dois_never_merge_on_title():
    a = rec("2-s2.0-1", TITLE, doi="10.1000/a.1", **BASE)
    b = rec("2-s2.0-2", TITLE, doi="10.1000/a.2", **BASE)
    result = deduplicate([a, b])
    assert len(result.works) == 2
    row = pair_row(result, "2-s2.0-1", "2-s2.0-2")
    assert row["decision"] == "near_miss" and "different DOIs" in row["note"]


def test_same_doi_with_unrelated_titles_is_not_merged_and_is_reported():
    # bib-dedupe's attili_2018_vs_annabi_mcgann_2019 case: a database gave one paper's DOI to another
    a = rec(
        "2-s2.0-1",
        "Understanding information privacy assimilation in IT organizations using multi-site case studies",
        authors=["Attili, V.S.P.", "Mathew, S.K."],
        year=2018,
        doi="10.17705/1cais.04204",
    )
    b = rec(
        "2-s2.0-2",
        "MISunderstood: a longitudinal analysis of major misperceptions",
        authors=["Annabi, H.", "McGann, S.T."],
        year=2019,
        doi="10.17705/1cais.04204",
    )
    result = deduplicate([a, b])
    assert len(result.works) == 2
    row = pair_row(result, "2-s2.0-1", "2-s2.0-2")
    assert row["decision"] == "near_miss" and row["rule"] == "doi" and "titles differ" in row["note"]


def test_a_record_without_doi_does_not_chain_two_different_dois():
    a = rec("2-s2.0-1", TITLE, doi="10.1000/a.1", **BASE)
    middle = rec("WOS:2", TITLE, **BASE)
    c = rec("2-s2.0-3", TITLE, doi="10.1000/a.2", **BASE)
    works = works_of([a, middle, c])
    assert not any({"2-s2.0-1", "2-s2.0-3"} <= w for w in works)
    assert len(works) == 2


def test_placeholder_and_generic_short_titles_do_not_merge_unrelated_records():
    records = [
        rec("h:1", "UNKNOWN", authors=["Hall, D."], year=2020, journal="AMCIS"),
        rec("h:2", "Unknown", authors=["Patel, N."], year=2020, journal="AMCIS"),
        rec("h:3", "Editorial", authors=["Jones, A."], year=2015, journal="Journal of Cleaner Production"),
        rec("h:4", "Editorial", authors=["Brown, B."], year=2015, journal="Journal of Cleaner Production"),
    ]
    assert len(deduplicate(records).works) == 4


def test_one_page_item_with_the_same_title_in_the_same_volume_is_not_the_paper():
    # an erratum MEDLINE does not mark: same title, same volume, one page elsewhere in it
    paper = rec("h:1", TITLE, **{**BASE, "pages": "703-712"})
    notice = rec("h:2", TITLE, **{**BASE, "pages": "1107-1107"})
    assert not same_work([paper, notice], "h:1", "h:2")


def test_pairs_list_every_merged_pair_with_its_evidence(guitang):
    scopus, wos = guitang
    third = rec("h:3", scopus["title"], authors=["Zhu, Qinghua"], year=2007, doi="10.1162/jiec.2007.929")
    result = deduplicate([scopus, wos, third])
    assert len(result.works) == 1
    decisions = {(p["record_id_a"], p["record_id_b"]): (p["decision"], p["rule"]) for p in result.pairs}
    assert decisions[("2-s2.0-34147119385", "h:3")] == ("merged", "doi")
    assert decisions[("2-s2.0-34147119385", "WOS:000245873900004")] == ("merged", "title")
    assert all(set(p) >= {"score", "title_similarity", "year", "first_author", "journal"} for p in result.pairs)


def test_escaped_doi_from_bibtex_is_the_same_doi():
    # WoS BibTeX writes 10.1007/978-3-319-06692-9\_11; Scopus writes the DOI plainly
    a = rec("2-s2.0-1", TITLE, doi="10.1007/978-3-319-06692-9_11", **BASE)
    b = rec("WOS:1", TITLE.upper(), **BASE)
    b["doi"] = "10.1007/978-3-319-06692-9\\_11"
    result = deduplicate([a, b])
    row = pair_row(result, "2-s2.0-1", "WOS:1")
    assert (row["decision"], row["rule"], row["doi"]) == ("merged", "doi", "same")
