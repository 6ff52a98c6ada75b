"""Aggregation on the hand-made segments in tests/fixtures/coding/segments.csv.

The 13 rows code 9 of the 10 included studies (Chertow 2000 is included but not coded; Rescher
1996 is not included). Counts worked out by hand from that file:
- Power plant: Heeres 2004 (title row), Mannino 2015 (alias "Power station"), von Malmborg 2004 = 3
- Public authority: Costa and Ferrão 2010b = 1; every other actor type 0
- Create opportunities...: Lowe 1997 (two segments, counted once), Costa 2010a, Heeres 2004, Mannino 2015 = 4
- Provide (share) utilities...: Bansal 2009 = 1 -> category "Contributing to synergies" = 5 studies
- institutional: Wolf 2007 (facilitate), Lowe 1997 (inventories), Van Leeuwen 2003 (recruit) = 3
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from coding_fixtures import DIR, coding, index
from pybtex.database import parse_string

from slr.coding import build, render
from slr.coding import tables as t

CREATE = "Create opportunities for by-product and utility synergies"


@pytest.fixture(scope="module")
def c():
    return coding()


def test_table1_counts_studies_per_actor_type_grouped_and_sorted(c):
    rows = t.table1(c)
    assert rows[0] == {"sector": "private", "actor_type": "Power plant", "studies": 3}
    assert [r["actor_type"] for r in rows[1:4]] == ["Brewery", "Business association", "Chemical plant"]  # 0, by name
    public = [r for r in rows if r["sector"] == "public"]
    assert public == [
        {"sector": "public", "actor_type": "Public authority", "studies": 1},
        {"sector": "public", "actor_type": "Public Utilities", "studies": 0},
    ]
    assert len(rows) == 16 and [r["sector"] for r in rows].index("public") == 14


def test_table2_counts_per_activity_category_and_type(c):
    rows = {(r["type"], r["category"], r["activity"]): r["studies"] for r in t.table2(c)}
    assert rows[("physical", "Contributing to synergies", CREATE)] == 4
    assert rows[("physical", "Contributing to synergies", "Provide (share) utilities and services")] == 1
    assert rows[("physical", "Contributing to synergies", "")] == 5
    assert rows[("physical", "Creating infrastructure", "")] == 0
    assert rows[("physical", "", "")] == 5
    assert rows[("institutional", "", "")] == 3
    assert rows[("institutional", "Knowledge support", "")] == 1
    assert rows[("institutional", "Recruitment", "Recruit new companies for establishment")] == 1
    assert len(rows) == 2 + 7 + 16


def test_table_a1_references_each_study_once_sorted_by_year(c):
    rows = {r["activity"]: r for r in t.table_a1(c)}
    assert rows[CREATE]["type"] == "P"
    assert rows[CREATE]["references"] == (
        "Lowe 1997; Heeres, Vermeulen and de Walle 2004; Costa and Ferrão 2010a; Mannino et al. 2015"
    )
    assert rows["Facilitate interaction between stakeholders"] == {
        "activity": "Facilitate interaction between stakeholders",
        "type": "I",
        "references": "Wolf, Eklund and Söderström 2007",
    }
    assert rows["Recruit new companies for establishment"]["references"] == "Van Leeuwen, Vermeulen and Glasbergen 2003"
    assert rows["Be a role model"]["references"] == ""
    assert list(rows) == [a.name for a in c.book.activities]


def test_matrix_and_cooccurrence(c):
    header, rows = t.matrix(c)
    assert header[:2] == ["work_id", "citation"] and len(header) == 2 + 16 + 16
    assert [r[1] for r in rows] == [
        "Lowe 1997",
        "Van Leeuwen, Vermeulen and Glasbergen 2003",
        "Heeres, Vermeulen and de Walle 2004",
        "Von Malmborg 2004",
        "Wolf, Eklund and Söderström 2007",
        "Bansal and McKnight 2009",
        "Costa and Ferrão 2010a",
        "Costa and Ferrão 2010b",
        "Mannino et al. 2015",
    ]
    lowe = rows[0]
    assert sum(lowe[2:]) == 2  # two activities, no actor
    col = header.index(f"activity/Contributing to synergies/{CREATE}")
    assert sum(r[col] for r in rows) == 4
    co_header, co_rows = t.cooccurrence(c)
    co = {r[0]: dict(zip(co_header[1:], r[1:], strict=True)) for r in co_rows}
    create = f"activity/Contributing to synergies/{CREATE}"
    assert co[create][create] == 4
    assert co[create]["actor/private/Power plant"] == 2  # Heeres, Mannino
    assert co["actor/private/Power plant"][create] == 2
    assert co[create]["activity/Knowledge support/Make inventories and databases of inputs and outputs"] == 1  # Lowe


def test_audit_lists_the_included_study_without_code_and_counts(c):
    assert t.uncoded(c, index().included_labels) == [
        {
            "work_id": "W11e1",
            "citation": "Chertow 2000",
            "title": "Industrial symbiosis: Literature and taxonomy",
            "file": "Chertow2000.pdf",
        }
    ]
    summary = {r["measure"]: r["value"] for r in t.summary(c)}
    assert summary["included_studies"] == 10 and summary["coded_studies"] == 9
    assert summary["included_not_coded"] == 1 and summary["segments"] == 13
    assert summary["coded_with_actor"] == 4 and summary["table1_mentions"] == 4
    behind = {(r["table"], r["row"]): r for r in t.row_studies(c)}
    assert behind[("table1", "private/Power plant")]["work_ids"] == "W08b8; W09c9; W04d4"
    assert behind[("tableA1", CREATE)]["studies"] == 4


def test_every_output_file_and_the_appendix(c):
    files = build.outputs(c, index().included_labels)
    for name in ("table1", "table2", "tableA1", "uncoded"):
        for fmt in render.FORMATS:
            assert f"{name}.{fmt}" in files
    for name in (
        "matrix.csv",
        "matrix.xlsx",
        "cooccurrence.csv",
        "appendixC.bib",
        "appendixC.csv",
        "appendixC.txt",
        "appendixC.md",
        "appendixC.html",
        "row_studies.csv",
        "coding_summary.csv",
        "segments_resolved.csv",
    ):
        assert name in files
    bib = parse_string(str(files["appendixC.bib"]), "bibtex")
    assert sorted(bib.entries) == sorted(
        [
            "Lowe1997",
            "VanLeeuwen2003",
            "Heeres2004",
            "VonMalmborg2004",
            "Wolf2007",
            "Bansal2009",
            "Costa2010a",
            "Costa2010b",
            "Mannino2015",
        ]
    )
    mannino = bib.entries["Mannino2015"]
    assert mannino.fields["title"] == r"{The role of anchors \& hubs: 50\% of the flows}"
    assert len(mannino.persons["author"]) == 4
    assert str(bib.entries["Heeres2004"].persons["author"][2]) == "de Walle, F.B."
    assert "The role of anchors & hubs: 50% of the flows" in str(files["appendixC.txt"])
    assert "anchors &amp; hubs" in str(files["appendixC.html"])
    book = openpyxl.load_workbook(io.BytesIO(files["matrix.xlsx"]))  # type: ignore[arg-type]
    assert book.sheetnames == ["matrix", "cooccurrence"]
    assert book["matrix"]["B2"].value == "Lowe 1997"


def test_data_is_escaped_in_every_format():
    cols, rows = ["name", "n"], [["a|b <i>x</i> & 50% _y_ {z} #1 ~ ^ \\", 3]]
    md = render.to_markdown(cols, rows, "Cap|tion")
    assert r"a\|b \<i\>x\</i\> & 50% \_y\_ \{z\} \#1 ~ ^ \\" in md and r"**Cap\|tion**" in md
    tex = render.to_latex(cols, rows, "50% & more")
    assert r"a|b <i>x</i> \& 50\% \_y\_ \{z\} \#1 \textasciitilde{} \textasciicircum{} \textbackslash{} & 3" in tex
    assert r"\caption{50\% \& more}" in tex
    html = render.to_html(cols, rows, "<script>alert(1)</script>")
    assert "<script>" not in html and "&lt;i&gt;x&lt;/i&gt; &amp; 50%" in html
    assert render.md_escape("&lt; stays text") == r"&amp;lt; stays text"
    assert render.to_csv(cols, [['a, "b"', 1]]) == 'name,n\n"a, ""b""",1\n'


def test_formula_like_text_stays_text_in_the_workbook():
    # as in every sheet for spreadsheets (slr.spreadsheet): a ' in front, stored as text, like the CSV
    data = build._xlsx({"s": (["a"], [["=1+1"], ["+A1"], ["@SUM(A1)"], ["-0.5"], ["plain"], [3]])})
    sheet = openpyxl.load_workbook(io.BytesIO(data))["s"]
    assert [c.value for c in sheet["A"]] == ["a", "'=1+1", "'+A1", "'@SUM(A1)", "-0.5", "plain", 3]
    assert all(c.data_type != "f" for c in sheet["A"])
    assert render.to_csv(["a"], [["=1+1"], ["-0.5"]]) == "a\n'=1+1\n-0.5\n"


def test_one_study_coded_twice_with_one_code_counts_once(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        "study,code,segment\n"
        "W02b2,actor/private/Power plant,first\n"
        "Bansal and McKnight 2009,actor/private/Coal-fired power plant,second\n",
        encoding="utf-8",
    )
    c2 = coding(path)
    assert t.table1(c2)[0] == {"sector": "private", "actor_type": "Power plant", "studies": 1}
    assert len(c2.loaded.segments) == 2


def test_fixture_segment_file_has_thirteen_rows():
    assert len((DIR / "segments.csv").read_text(encoding="utf-8").splitlines()) == 14
