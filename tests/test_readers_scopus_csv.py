"""Scopus CSV in its three layouts, and IEEE Xplore CSV through the generic CSV reader."""

from __future__ import annotations

import csv
import io

import pytest

from slr import readers
from slr.errors import InputError
from slr.readers.scopus_csv import scopus_authors


@pytest.fixture
def scopus(fixtures):
    return fixtures / "scopus_csv"


def test_2020_layout_with_surplus_funding_text_cells(scopus):
    loaded = readers.load(scopus / "litstudy_2020_layout.csv")
    assert (loaded.format, loaded.encoding) == ("scopus_csv", "utf-8-sig")
    phillips, azim, proceedings, mufins, heiner = loaded.records
    assert phillips["record_id"] == "2-s2.0-27344436659"
    assert phillips["database"] == "scopus"
    assert phillips["authors"][:3] == ["Phillips, J.C.", "Braun, R.", "Wang, W."]
    assert phillips["authors"][8] == "Kalé, L."
    assert (phillips["title"], phillips["year"]) == ("Scalable molecular dynamics with NAMD", 2005)
    assert phillips["journal"] == "Journal of Computational Chemistry"
    assert (phillips["volume"], phillips["issue"]) == ("26", "16")
    assert (phillips["pages"], phillips["doi"]) == ("1781-1802", "10.1002/jcc.20289")
    assert (phillips["doc_type"], phillips["language"]) == ("Review", "English")
    assert phillips["keywords"].startswith("Biomolecular simulation; Molecular dynamics; Parallel computing; Algor")
    assert phillips["extra"]["Author(s) ID"].startswith("57202138757;7402220509;")
    assert phillips["extra"]["Page start"] == "1781"
    # rows with one cell more than the header: the cell is a second funding text
    assert mufins["extra"]["Funding Text 2"].startswith("Development of MUFINS was funded by BBSR")
    assert mufins["extra"]["Source"] == "Scopus" and mufins["record_id"] == "2-s2.0-85030102047"
    assert mufins["doc_type"] == "Article" and mufins["language"] == "English"
    assert azim["pages"] == "107611-107624"
    assert proceedings["authors"] == []  # "[No author name available]"
    assert heiner["abstract"] is None  # "[No abstract available]"
    assert heiner["record_id"] == "2-s2.0-80054966651"


def test_old_41_column_layout(scopus):
    ferrao, proceedings, german = readers.load(scopus / "old_layout_invented.csv").records
    assert ferrao["record_id"] == "2-s2.0-70000000001"
    assert ferrao["authors"] == ["Ferrão, P.", "Van der Berg, M.G.", "Øster, K.-L."]
    assert ferrao["abstract"] == (
        'An invented abstract about anchor tenants, with a comma, and "quotes". It spans two lines.'
    )
    assert ferrao["keywords"] == "anchor tenant; industrial symbiosis; Eco-industrial park; Symbiosis"
    assert ferrao["doi"] == "10.9999/jie.2009.0042" and ferrao["pages"] == "512-530"
    assert proceedings["authors"] == [] and proceedings["abstract"] is None
    assert proceedings["extra"]["Art. No."] == "4700105"
    assert german["authors"] == ["Janko Wolfgang"]
    assert german["title"] == "Cooperation in the industrial park"
    assert german["extra"]["original_title"] == "Kooperation im Industriepark"


def test_eid_taken_from_the_link_when_there_is_no_eid_column(scopus):
    (rec,) = readers.load(scopus / "old_layout_no_eid_invented.csv").records
    assert rec["record_id"] == "2-s2.0-70000000001"


def test_2024_layout(scopus):
    loaded = readers.load(scopus / "layout_2024_invented.csv")
    assert (loaded.format, loaded.encoding) == ("scopus_csv", "utf-8")
    first, czech = loaded.records
    assert first["authors"] == ["Ferrão, P.", "Lin, C.-Y.", "Sa-Ambo, J.M."]
    assert first["extra"]["Author full names"].startswith("Ferrão, Paulo (70000000101)")
    assert first["doi"] == "10.9999/sust17021021" and first["issue"] is None
    assert first["keywords"] == "coordination; by-product exchange"
    assert czech["title"] == "Industrial symbiosis in a steel town"
    assert czech["extra"]["original_title"] == "Průmyslová symbióza v ocelářském městě"
    assert czech["doi"] is None and czech["language"] == "Czech"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Phillips J.C., Braun R.", ["Phillips, J.C.", "Braun, R."]),
        ("Liu F.; Li C.", ["Liu, F.", "Li, C."]),
        ("Nominé J.-P., Sanchez del Pulgar J.", ["Nominé, J.-P.", "Sanchez del Pulgar, J."]),
        ("Smith Jr. J.", ["Smith Jr., J."]),
        ("[No author name available]", []),
        ("Anon", ["Anon"]),
    ],
)
def test_scopus_author_lists(value, expected):
    assert scopus_authors(value) == expected


def _rows(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def _csv(rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def test_row_with_fewer_cells_than_the_header_is_refused(scopus):
    header, first, second = _rows(scopus / "layout_2024_invented.csv")
    with pytest.raises(InputError, match=r"cut\.csv:3: this row has 10 cells but the header names 45"):
        readers.loads(_csv([header, first, second[:10]]), "cut.csv")


def test_surplus_cells_that_are_not_funding_texts_are_refused(scopus):
    header, first, *_ = _rows(scopus / "old_layout_invented.csv")
    with pytest.raises(InputError, match=r"x\.csv:2: this row has 42 cells but the header names 41"):
        readers.loads(_csv([header, [*first, "surplus"]]), "x.csv")


def test_unclosed_quote_in_a_cut_scopus_file(scopus):
    text = (scopus / "layout_2024_invented.csv").read_text(encoding="utf-8")
    with pytest.raises(InputError) as err:
        readers.loads(text[: text.index("Invented abstract in English") + 5], "cut.csv")
    assert err.value.line == 3 and "quote is not closed" in err.value.problem


def test_ieee_xplore_csv_through_the_generic_mapping(fixtures):
    loaded = readers.load(fixtures / "generic_csv" / "litstudy_ieee.csv")
    assert loaded.format == "generic_csv"
    first, second, third = loaded.records
    assert first["title"] == 'Exascale Computing Trends: Adjusting to the "New Normal"\' for Computer Architecture'
    assert first["authors"] == ["Kogge, P.", "Shalf, J."]
    assert (first["journal"], first["year"], first["volume"], first["issue"]) == (
        "Computing in Science & Engineering",
        2013,
        "15",
        "6",
    )
    assert first["pages"] == "16-26"
    assert first["doi"] == "10.1109/mcse.2013.95"
    assert first["extra"]["Start Page"] == "16" and first["extra"]["End Page"] == "26"
    assert first["database"] == "other" and first["record_id"].startswith("h:")
    assert second["authors"][2] == "Nominé, J.-P."
    assert third["authors"][:2] == ["Elia, D.", "Fiore, S."]
