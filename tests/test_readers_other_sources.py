"""Exports from sources beyond Scopus and WoS that researchers also bring (PubMed, Embase, Lens,
JSTOR, Zotero, EndNote-like RIS), and name forms seen in real files. Expected values are read off
the fixture files by hand."""

from slr import readers
from slr.records import normalise_author, split_authors


def test_pubmed_csv_authors_and_journal(fixtures):
    loaded = readers.load(fixtures / "generic_csv" / "pubmed_colrev.csv")
    assert loaded.format == "generic_csv" and len(loaded.records) == 3
    first = loaded.records[0]
    # "Hajj-Boutros G, Landry-Duval MA, Comtois AS, Gouspillou G, Karelis AD."
    assert first["authors"] == [
        "Hajj-Boutros, G.",
        "Landry-Duval, M.A.",
        "Comtois, A.S.",
        "Gouspillou, G.",
        "Karelis, A.D.",
    ]
    assert first["journal"] == "Eur J Sport Sci"
    assert first["year"] == 2022
    assert first["doi"] == "10.1080/17461391.2021.2023656"
    assert loaded.records[1]["authors"] == ["Wang, C.", "Lizardo, O.", "Hachen, D.S."]


def test_embase_csv_source_gives_journal_year_volume_issue_pages(fixtures):
    loaded = readers.load(fixtures / "generic_csv" / "embase_asreview.csv")
    first, second, untitled = loaded.records
    assert first["authors"] == ["Liu, R.", "Adler, D.G."]
    assert (first["journal"], first["year"], first["volume"], first["issue"], first["pages"]) == (
        "Endoscopic Ultrasound",
        2014,
        "3",
        "3",
        "152-160",
    )
    # the whole Source string is kept
    assert first["extra"]["Source"] == "Endoscopic Ultrasound (2014) 3:3 (152-160). Date of Publication: 2014"
    # "International Journal of Surgery Case Reports (2019) 54 (83-86)": no issue
    assert (second["volume"], second["issue"], second["pages"]) == ("54", None, "83-86")
    # a row without a title is still a record (it shows in the title fill rate)
    assert untitled["title"] is None and untitled["authors"] == ["Quintanilla-Dieck, L.", "Penn, E.B."]


def test_lens_csv_authors_issue_type_and_jats_abstract(fixtures):
    first, second = readers.load(fixtures / "generic_csv" / "lens_invented.csv").records
    assert first["authors"] == ["Santos, M.", "van Dijk, J.", "Wei, L."]
    assert (first["issue"], first["pages"], first["doc_type"]) == ("2", "120-131", "journal article")
    assert first["abstract"] == "Firms in a port area traded waste heat through a shared pipeline."
    assert "<" not in second["abstract"] and "Anchor firms shaped" in second["abstract"]


def test_scopus_csv_with_surname_comma_initials_authors(fixtures):
    loaded = readers.load(fixtures / "scopus_csv" / "comma_initials_invented.csv")
    assert loaded.format == "scopus_csv"
    first, second = loaded.records
    assert first["authors"] == ["Lindqvist, A.-K.", "Van der Berg, J.M.", "Okafor, C."]
    assert second["authors"] == ["Moreau, P."]
    assert first["record_id"] == "2-s2.0-85000000001"


def test_jstor_ris_with_provider_lines(fixtures):
    loaded = readers.load(fixtures / "ris" / "jstor_colrev.ris")
    assert loaded.format == "ris" and len(loaded.records) == 4
    first = loaded.records[0]
    assert first["title"] == "This is the title - charset UTF-8 used"
    assert first["authors"] == ["Lastname, F."]
    assert (first["volume"], first["issue"], first["pages"], first["year"]) == ("56", "4", "30-33", 2016)


def test_ris_doc_type_is_not_a_doi_from_m3(fixtures):
    (rec,) = readers.load(fixtures / "ris" / "jabref_m3_doi.ris").records
    assert rec["doc_type"] == "JOUR"
    assert rec["extra"]["M3"] == "doi: 10.1063/1.4814070"  # kept, not lost
    assert rec["authors"] == ["Shi, Y.", "Beck, T.L."]


def test_ris_short_title_and_vo_volume(fixtures):
    (rec,) = readers.load(fixtures / "ris" / "rispy_short_title.ris").records
    assert rec["title"].startswith("Состояние рецепторного аппарата эндометрия")
    assert (rec["volume"], rec["issue"], rec["pages"]) == ("8", "3", "52-57")


def test_zotero_ris_particles_after_given_names(fixtures):
    records = readers.load(fixtures / "ris" / "zotero_particles_asreview.ris").records
    authors = [a for rec in records for a in rec["authors"]]
    # "Post, Rachel S. van der", "Saase, J. L. van", "Dijck, Benjamin van", "van der Torren, Adelheid ME"
    for name in ("van der Post, R.S.", "van Saase, J.L.", "van Dijck, B.", "van der Torren, A.M.E."):
        assert name in authors
    assert "Simkens, L.H.J." in authors  # "Simkens, Lieke HJ"


def test_bibtex_corporate_particles_single_field_names_and_page_dashes(fixtures):
    standard, berg, novak = readers.load(fixtures / "bibtex" / "corporate_particles_invented.bib").records
    assert standard["authors"] == ["TC 207/SC 1/WG 5"]
    assert berg["authors"] == ["van den Berg, A.", "Laros, J.H.", "World Bank"]
    assert novak["authors"] == ["Novak, A."]
    assert (berg["pages"], novak["pages"]) == ("46-61", "1261-1273")


def test_name_forms():
    assert split_authors("Muri, H.I., Hjelme, D.R.") == ["Muri, H.I.", "Hjelme, D.R."]
    assert split_authors("Smith J, Doe A, et al.") == ["Smith, J.", "Doe, A."]
    assert split_authors("Smith, John") == ["Smith, J."]  # one person: the comma is not a separator
    assert normalise_author("J. H. Laros III") == "Laros, J.H."
    assert normalise_author("Condorcet, Marquis de") == "de Condorcet, M."
    assert normalise_author("Van Leeuwen MG") == "Van Leeuwen, M.G."


def test_endnote_ris_keywords_one_per_line(tmp_path):
    path = tmp_path / "endnote.ris"
    path.write_text("TY  - JOUR\nTI  - A title\nAU  - Doe, Jane\nKW  - waste heat\nsymbiosis\nanchor tenant\nER  - \n")
    (rec,) = readers.load(path).records
    assert rec["keywords"] == "waste heat; symbiosis; anchor tenant"


def test_wos_medline_record_takes_pages_from_ps(tmp_path):
    path = tmp_path / "medline.isi"
    path.write_text(
        "FN ISI Export Format\nVR 1.0\nPT J\nAU Doe, J\nTI A title\nSO A JOURNAL\nPY 2003\nPS 2457-71\n"
        "UT MEDLINE:12345678\nER\n\nEF\n"
    )
    (rec,) = readers.load(path).records
    assert rec["pages"] == "2457-71"
