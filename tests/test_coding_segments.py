"""Reading coded segments: our layout, MAXQDA exports (CSV and XLSX, several versions), and every
way a row can be wrong. Fixtures: tests/fixtures/coding (hand-made)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from coding_fixtures import DIR, load

from slr.coding import segments
from slr.errors import InputError


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """As MAXQDA writes it: text cells are text, even when they start with "="."""
    book = openpyxl.Workbook()
    sheet = book.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
    book.save(path)
    return path


OWN_HEADER = "study,doi,title,year,code,segment,page,coder,provenance\n"
CREATE = "activity/Contributing to synergies/Create opportunities for by-product and utility synergies"


def test_own_layout_resolves_every_kind_of_study_identifier():
    loaded = load(DIR / "segments.csv")
    assert len(loaded.segments) == 13 and loaded.files == [(str(DIR / "segments.csv"), "segments", 13)]
    by_line = {s.line: s for s in loaded.segments}
    assert by_line[2].work_id == "W01a1"  # work_id
    assert by_line[4].work_id == "W01a1"  # citation "Lowe 1997"
    assert by_line[4].code.name == "Make inventories and databases of inputs and outputs"  # Table A1 wording
    assert by_line[5].work_id == "W02b2"  # DOI in upper case
    assert by_line[6].work_id == "W08b8"  # title + year, title in another case
    assert by_line[7].work_id == "W05e5"  # "Costa and Ferrão 2010a"
    assert by_line[8].work_id == "W06f6"  # "Costa & Ferrao 2010b"
    assert by_line[9].work_id == "W04d4"  # an alias of the work
    assert by_line[9].code.name == "Power plant"  # actor alias "Power station"
    assert by_line[10].work_id == "W03c3"  # three authors with a diacritic
    assert by_line[11].work_id == "W07a7"  # particle "Van Leeuwen"
    assert by_line[12].work_id == "W09c9"  # "von Malmborg 2004"
    assert by_line[5].segment == 'Shared utilities; a "quoted" word.' and by_line[5].page == "30"
    assert by_line[2].coder == "DS" and by_line[2].provenance == "hand-made fixture"


def test_maxqda_csv_export_maps_document_names_and_backslash_paths():
    loaded = load(DIR / "maxqda_2022_export.csv", roots=("Memos=ignore",))
    got = [(s.work_id, s.code.code, s.page) for s in loaded.segments]
    assert got == [
        ("W01a1", CREATE, "3"),
        ("W08b8", "actor/private/Power plant", "987-988"),
        ("W05e5", "activity/Recruitment/Promote the area", "988"),  # document named by its citation
        ("W09c9", "activity/Spearheading projects/Be a role model", "340"),
    ]
    assert loaded.ignored == 1  # the Memos\ code
    heeres = loaded.segments[1]
    assert heeres.segment == 'Eco-industrial parks\nwith a power plant as "anchor tenant".'
    assert heeres.coder == "DS" and "maxqda_2022_export.csv" in (heeres.provenance or "")


def test_maxqda_unmapped_root_is_an_error_naming_the_option():
    with pytest.raises(InputError) as err:
        load(DIR / "maxqda_2022_export.csv")
    msg = err.value.message()
    assert "maxqda_2022_export.csv:7:" in msg and "'Memos'" in msg and "--maxqda-root" in msg


def test_maxqda_2024_xlsx_with_arrow_paths_code_alias_and_document_variables(tmp_path):
    header = [
        "Color",
        "Document group",
        "Document name",
        "Code",
        "Code alias",
        "Beginning",
        "End",
        "Segment",
        "Weight score",
        "Comment",
        "Modified by",
        "Modified",
        "Created by",
        "Created",
        "Other codes assigned to segment",
        "Country",
    ]
    when = dt.datetime(2016, 4, 5, 14, 2)
    rows = [
        header,
        [
            "#ff0000",
            "Studies",
            "Wolf2007",
            "Activities > Stimulating social interactions > Maintain close contact with relevant stakeholders",
            "",
            5,
            6,
            "Regular visits.",
            0,
            None,
            "MK",
            when,
            "MK",
            when,
            None,
            "SE",
        ],
        [
            "#ff0000",
            "Studies",
            "Bansal2009",
            "Anchors > public > Public Utilities",
            "PU",
            28,
            28,
            "=SUM(A1) is text here",
            100,
            "looks like a formula",
            "DS",
            when,
            "DS",
            when,
            "Other",
            "CA",
        ],
    ]
    path = write_xlsx(tmp_path / "export.xlsx", rows)
    loaded = load(path)
    assert [(s.work_id, s.code.code, s.page, s.coder) for s in loaded.segments] == [
        (
            "W03c3",
            "activity/Stimulating social interactions/Maintain close contact with relevant stakeholders",
            "5-6",
            "MK",
        ),
        ("W02b2", "actor/public/Public Utilities", "28", "DS"),
    ]
    assert loaded.segments[1].segment == "=SUM(A1) is text here"
    assert loaded.files == [(str(path), "maxqda", 2)]


def test_maxqda_german_headers_and_a_title_row_above_the_header(tmp_path):
    rows = [
        ["Liste der Codings"],
        [],
        [
            "Farbe",
            "Dokumentgruppe",
            "Dokumentname",
            "Code",
            "Anfang",
            "Ende",
            "Gewicht",
            "Segment",
            "Kommentar",
            "Autor",
            "Erstellt am",
            "Fläche",
            "Abdeckungsgrad %",
        ],
        [
            "#00ff00",
            "Studien",
            "VanLeeuwen2003",
            "Activities\\Recruitment\\Recruit other companies for establishment",
            150,
            150,
            0,
            "Acquisition of firms.",
            None,
            "DS",
            "05.04.2016",
            None,
            0.1,
        ],
    ]
    loaded = load(write_xlsx(tmp_path / "export_de.xlsx", rows))
    assert [(s.work_id, s.code.name, s.line) for s in loaded.segments] == [
        ("W07a7", "Recruit new companies for establishment", 4)
    ]


def test_semicolon_csv_and_a_name_with_the_separator_in_it(tmp_path):
    text = (
        "study;code;segment;page\n"
        "W02b2;activity\\Contributing to synergies\\Provide (share) utilities and services;x;1\n"
    )
    loaded = load(write_csv(tmp_path / "s.csv", text))
    assert loaded.segments[0].code.name == "Provide (share) utilities and services"


def test_maxqda_document_names_need_links_or_a_citation():
    # Without links.csv only documents named like a citation are found ("Lowe_1997" reads as
    # "Lowe 1997", "Costa and Ferrão 2010a" is one); the PDF-named ones are unknown.
    with pytest.raises(InputError) as err:
        load(DIR / "maxqda_2022_export.csv", roots=("Memos=ignore",), with_links=False)
    msg = err.value.message()
    assert ":3: unknown study 'Heeres et al 2004'" in msg and ":6: unknown study 'Malmborg2004'" in msg
    assert "2 bad rows in all" in msg


# ---------------------------------------------------------------- errors, each with file and line


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("W01a1,,,,activity/Contributing to synergies/Make synergies,x,1,,\n", r"unknown activity 'Make synergies'"),
        ("W01a1,,,,actor/private/Bakery,x,1,,\n", r"unknown actor type 'Bakery'"),
        (
            "W01a1,,,,activities/Knowledge support/Promote the area,x,1,,\n",
            r"files 'Promote the area' under category 'Knowledge support', the codebook under 'Recruitment'",
        ),
        ("W01a1,,,,actor/public/Power plant,x,1,,\n", r"under sector 'public', the codebook under 'private'"),
        ("W01a1,,,,themes/Anchoring,x,1,,\n", r"top level 'themes' is not a known code root"),
        ("W01a1,,,,activity,x,1,,\n", r"names only the root"),
        ("W01a1,,,,,x,1,,\n", r"the code is empty"),
        (f"Smith 1999,,,,{CREATE},x,1,,\n", r"unknown study 'Smith 1999'"),
        (f",,,,{CREATE},x,1,,\n", r"names no study"),
        (
            f"Costa and Ferrão 2010,,,,{CREATE},x,1,,\n",
            r"ambiguous: it names Costa and Ferrão 2010a \(W05e5\), "
            r"Costa and Ferrão 2010b \(W06f6\)",
        ),
        (f"W01a1,10.1111/j.1745-493x.2009.03175.x,,,{CREATE},x,1,,\n", r"identifiers name different works"),
        (
            f"W10d0,,,,{CREATE},x,1,,\n",
            r"Rescher 1996 \(W10d0\), which is coded but not in the included set "
            r"\(hits.csv marks it not included\)",
        ),
    ],
)
def test_each_bad_row_is_an_input_error_with_file_and_line(tmp_path, row, message):
    path = write_csv(tmp_path / "segments.csv", OWN_HEADER + f"W02b2,,,,{CREATE},ok,1,,\n" + row)
    with pytest.raises(InputError, match=message) as err:
        load(path)
    assert err.value.path == str(path) and err.value.line == 3


def test_every_bad_row_is_listed_in_one_message(tmp_path):
    text = OWN_HEADER + (
        "W01a1,,,,activity/Recruitment/Bake bread,x,1,,\n"
        f"W02b2,,,,{CREATE},fine,1,,\n"
        f"Nobody 2001,,,,{CREATE},x,1,,\n"
        "Nobody 2001,,,,actor/private/Bakery,x,1,,\n"
    )
    with pytest.raises(InputError) as err:
        load(write_csv(tmp_path / "s.csv", text))
    msg = err.value.message()
    assert msg.startswith(f"{tmp_path / 's.csv'}:2: unknown activity 'Bake bread'")
    assert "4 bad rows in all" in msg
    assert f"{tmp_path / 's.csv'}:4: unknown study 'Nobody 2001'" in msg
    assert f"{tmp_path / 's.csv'}:5: unknown actor type 'Bakery'" in msg
    assert f"{tmp_path / 's.csv'}:5: unknown study 'Nobody 2001'" in msg
    assert "\n" not in msg


def test_a_work_missing_from_hits_is_not_included(tmp_path):
    hits = (DIR / "hits.csv").read_text().replace("W11e1,Chertow2000.pdf,ok,2,2,yes\n", "")
    from slr.coding import studies

    works = studies.load_works(DIR / "works.csv")
    included = studies.load_included(write_csv(tmp_path / "hits.csv", hits), works)
    index = studies.StudyIndex(works, included)
    path = write_csv(tmp_path / "s.csv", OWN_HEADER + f"Chertow 2000,,,,{CREATE},x,1,,\n")
    from coding_fixtures import book

    with pytest.raises(InputError, match=r"not in the included set \(it is not in hits.csv\)"):
        segments.load([path], book(), index)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"the file is empty"),
        (b"\x00\x01\x02binary\x00", r"binary file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest of an old workbook", r"old Excel .xls"),
        (b"PK\x03\x04not really a zip", r"not a readable XLSX workbook"),
        (b"name,value\nx,1\n", r"no header row of coded segments"),
        (b'study,code,segment\nW01a1,"unterminated\n', r"bad\.csv:2: broken CSV"),
    ],
)
def test_bad_files(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        load(path)


def test_missing_file():
    with pytest.raises(InputError, match="no such file"):
        load(DIR / "does-not-exist.csv")


def test_root_mapping_option_is_checked():
    assert segments.parse_roots(["Codes des activités=activity"])["codes des activites"] == "activity"
    for bad in ("Activities", "Activities=", "=activity", "Activities=topic"):
        with pytest.raises(ValueError, match="expected ROOT=KIND"):
            segments.parse_roots([bad])


def test_a_doi_in_the_study_column_finds_the_work(tmp_path):
    path = write_csv(
        tmp_path / "s.csv", OWN_HEADER + "https://doi.org/10.1002/BSE.419,,,,actor/public/Municipality,x,1,,\n"
    )
    (seg,) = load(path).segments
    assert (seg.work_id, seg.code.name) == ("W09c9", "Public authority")


def test_an_ambiguous_citation_is_settled_by_the_doi_on_the_same_row(tmp_path):
    row = f"Costa and Ferrão 2010,10.1016/j.jclepro.2010.03.007,,,{CREATE},x,1,,\n"
    (seg,) = load(write_csv(tmp_path / "s.csv", OWN_HEADER + row)).segments
    assert seg.work_id == "W05e5"
    clash = f"Costa and Ferrão 2010,10.1002/bse.419,,,{CREATE},x,1,,\n"
    with pytest.raises(InputError, match=r"ambiguous: .* but the row's other identifiers name Von Malmborg 2004"):
        load(write_csv(tmp_path / "t.csv", OWN_HEADER + clash))


def test_a_pending_work_in_hits_is_not_included(tmp_path):
    """A PDF that could not be read leaves `included` empty: pending, neither in nor out."""
    hits = (
        (DIR / "hits.csv")
        .read_text()
        .replace("W11e1,Chertow2000.pdf,ok,2,2,yes\n", "W11e1,Chertow2000.pdf,encrypted,,,\n")
    )
    from slr.coding import studies

    works = studies.load_works(DIR / "works.csv")
    included = studies.load_included(write_csv(tmp_path / "hits.csv", hits), works)
    assert "W11e1" not in included.work_ids and "W11e1" not in included.excluded
