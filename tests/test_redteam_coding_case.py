"""Findings of the hostile-input red-team run on the coding and case stages, one test (or group)
per finding, each failing before its fix:

- P07, P08: `slr tables compare` reads published.yaml and accepted_anomalies.yaml with the strict
  YAML loader (`slr.yamlfile`): not UTF-8, a folder, a repeated key, an alias bomb are each one
  `error: FILE:LINE:` line, and the errors in their structure name the line;
- P10: text from the data ("$$", "$\\pi$") is drawn by matplotlib as plain text, never as mathtext;
- P11: a segment code under a category (or sector) the codebook does not have is a bad row;
- P17: table5.md escapes the data as the review tables' Markdown does.

Expected lines and texts are worked out by hand from the inputs written here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from coding_fixtures import CODEBOOK, DIR, load

from slr.case.data import load_case
from slr.case.narrative import Classified, table5_markdown, table5_rows
from slr.coding import compare
from slr.errors import InputError

REPO = Path(__file__).resolve().parent.parent
CREATE = "Create opportunities for by-product and utility synergies"
OWN_HEADER = "study,doi,title,year,code,segment,page,coder,provenance\n"


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


# ---------------------------------------------------------------- P07, P08: tables compare


VALID_PUBLISHED = "funnel:\n  coded: 1\n"
# Billion laughs: 'f' stands for 10 x 10 x 10 x 10 x 10 x 10 = 1,000,000 values once expanded.
ALIAS_BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
    "f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
)


@pytest.mark.parametrize(
    ("which", "content", "at", "says"),
    [
        (  # P07: Latin-1; the é is on line 5
            "published",
            b"funnel:\n  coded: 1\ntable_2_taxonomy:\n  physical:\n    Contributing to synergies: [Caf\xe9 steam]\n",
            ":5: ",
            "not UTF-8 text (byte 0xe9 here); save it as UTF-8; see config/published.yaml",
        ),
        (
            "accept",
            b"accepted:\n  - anomaly: Caf\xe9\n    ids: [table1/count/brewery]\n",
            ":2: ",
            "not UTF-8 text (byte 0xe9 here); save it as UTF-8; see config/accepted_anomalies.yaml",
        ),
        (  # P08 (a): the second value would silently win
            "published",
            b"funnel:\n  coded: 8\n  coded: 9\n",
            ":3: ",
            "the key 'coded' appears twice in one section (first at line 2)",
        ),
        (  # P08 (a): a second `accepted:` section would silently drop the first one's entries
            "accept",
            b"accepted:\n  - anomaly: a\n    ids: [x]\naccepted:\n  - anomaly: b\n    ids: [y]\n",
            ":4: ",
            "the key 'accepted' appears twice in one section (first at line 1)",
        ),
        (  # P08 (b)
            "published",
            ALIAS_BOMB.encode(),
            ":6: ",
            "'f' stands for more than 200,000 values once its aliases (*name) are expanded",
        ),
        (  # P08 (c): errors in the structure name their line
            "published",
            b"- a\n- b\n",
            ":1: ",
            "(top level): expected a mapping of sections",
        ),
        (
            "published",
            b"funnel:\n  coded: 1\ntable_a1_activity_references:\n"
            b"  - activity: A\n    type: P\n    references: [Lowe 1997]\n"
            b"  - activity: B\n    references: Lowe 1997\n",
            ":7: ",
            "table_a1_activity_references row 2: expected activity (text), type (P/I), references (list)",
        ),
        (
            "published",
            b"funnel:\n  coded: 1\nappendix_c_included_studies: Lowe 1997\n",
            ":3: ",
            "appendix_c_included_studies: expected a list of citations",
        ),
        (
            "accept",
            b"accepted:\n  - anomaly: a\n    ids: [x]\n  - anomaly: b\n    ids: []\n",
            ":5: ",
            "accepted entry 2: `ids` must be a non-empty list of difference ids",
        ),
        (
            "accept",
            b"accepted:\n  - anomaly: a\n    ids: [x]\n  - anomaly: b\n    why: c\n    ids: [y]\n",
            ":4: ",
            "accepted entry 2: expected the keys anomaly, ids (and note)",
        ),
    ],
)
def test_compare_yaml_is_read_strictly_with_lines(slr, tmp_path, which, content, at, says):
    bad = tmp_path / f"{which}.yaml"
    bad.write_bytes(content)
    published = bad if which == "published" else tmp_path / "published.yaml"
    if which == "accept":
        published.write_text(VALID_PUBLISHED, encoding="utf-8")
    out = tmp_path / "comparison.csv"
    args = ["tables", "compare", tmp_path / "no-results", published, "--codebook", CODEBOOK, "-o", out]
    if which == "accept":
        args += ["--accept", bad]
    line = one_error_line(slr(*args))
    assert line.startswith(f"error: {bad}{at}"), line
    assert says in line
    assert not out.exists()


@pytest.mark.parametrize("which", ["published", "accept"])
def test_compare_yaml_that_is_a_folder_is_one_error_line(slr, tmp_path, which):  # P07
    folder = tmp_path / f"{which}.yaml"
    folder.mkdir()
    published = folder if which == "published" else tmp_path / "published.yaml"
    if which == "accept":
        published.write_text(VALID_PUBLISHED, encoding="utf-8")
    args = ["tables", "compare", tmp_path / "no-results", published, "--codebook", CODEBOOK]
    if which == "accept":
        args += ["--accept", folder]
    line = one_error_line(slr(*args))
    assert line.startswith(f"error: {folder}: this is a folder, not a file")


def test_the_projects_published_and_accepted_files_load_strictly():
    published = REPO / "config" / "published.yaml"
    accept = REPO / "config" / "accepted_anomalies.yaml"
    doc = compare.load_yaml(published, "published tables", "config/published.yaml")
    pub = compare.parse_published(doc.data, published, doc)
    assert pub.funnel["anchor_mention_included"] == 45
    assert pub.appendix_c is not None and len(pub.appendix_c) == 43  # the paper's Appendix C
    doc = compare.load_yaml(accept, "accepted anomalies", "config/accepted_anomalies.yaml")
    assert len(compare.parse_accept(doc.data, accept, doc)) == 9  # nine `- anomaly:` entries


# ---------------------------------------------------------------- P10: "$" is text, not mathtext


def funnel_files(tmp_path: Path) -> tuple[Path, Path]:
    funnel_csv = tmp_path / "funnel.csv"
    funnel_csv.write_text("stage,count,expected\nidentified_refined_scopus,5,\nrefined_unique,4,\n", encoding="utf-8")
    reasons = tmp_path / "reasons.csv"
    reasons.write_text("stage,reason,count\n", encoding="utf-8")
    return funnel_csv, reasons


def test_prisma_labels_with_dollars_are_drawn_as_text(slr, tmp_path):
    funnel_csv, reasons = funnel_files(tmp_path)
    result = slr("prisma", funnel_csv, reasons, "-o", tmp_path / "p.svg", "--identification", "refined",
                 "--label", r"unreadable=unreadable ($$ per PDF) $\pi$")  # fmt: skip
    assert result.returncode == 0, result.stderr  # was: ParseException on "$$"
    svg = (tmp_path / "p.svg").read_text(encoding="utf-8")
    # the fulltext stages are pending: "  <label> (n = pending)" in the "Reports excluded" box
    assert r"unreadable ($$ per PDF) $\pi$ (n = pending)" in svg


def test_narrative_graph_names_and_title_with_dollars_are_drawn_as_text(slr, tmp_path):
    case = tmp_path / "dollars"
    case.mkdir()
    (case / "activities.csv").write_text(
        "id,phase,order,activity,actors,description\n"
        "a1,prep,1,Fees $5 to $9,Admin ($$ fund),The park admin sets fees.\n"
        "a2,run,2,Steam,Plant,The plant sells steam.\n",
        encoding="utf-8",
    )
    (case / "actors.csv").write_text(
        "actor,level,sector\nAdmin ($$ fund),park,public\nPlant,company,private\n", encoding="utf-8"
    )
    classified = tmp_path / "classified.csv"
    classified.write_text(
        "id,anchoring,category,taxonomy_activity\na1,institutional,,\na2,physical,,\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = slr("case", "narrative", case, "--classified", classified, "--out-dir", out, "--title", r"Case $\pi$ $$")
    assert result.returncode == 0, result.stderr  # was: ParseException on "$$"
    svg = (out / "narrative_graph.svg").read_text(encoding="utf-8")
    assert r"Narrative graph: Case $\pi$ $$" in svg  # the title
    assert "Admin ($$ fund)" in svg  # the actor's lane
    assert "Fees $5 to $9" in svg  # the activity under its node, not "5 to " in math italics


def test_report_chart_labels_with_dollars_are_drawn_as_text():
    # In a fresh interpreter: the setting is made where the charts module sets matplotlib up, and
    # another test of this process may have made it already.
    code = (
        "from slr.report import charts\n"
        r"print(charts.years_chart({'scopus $$': [2010], 'wos $\\pi$': [2011]}, 'by $\\pi$ and $$'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr  # was: ParseException on "$$"
    # The SVG draws text as glyph paths; mathtext would draw \pi as an italic (Oblique) glyph.
    assert "Oblique" not in result.stdout
    assert r"<!-- by $\pi$ and $$ -->" in result.stdout


# ---------------------------------------------------------------- P11: a category that does not exist


def write_segments(tmp_path: Path, row: str) -> Path:
    path = tmp_path / "segments.csv"
    path.write_text(OWN_HEADER + f"W02b2,,,,activity/Contributing to synergies/{CREATE},ok,1,,\n" + row, "utf-8")
    return path


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            f"activity/Nonexistent category/{CREATE}",
            f"code 'activity/Nonexistent category/{CREATE}' files '{CREATE}' under 'Nonexistent category', "
            "which is no category or anchoring type of the codebook "
            "(the codebook files it under 'Contributing to synergies')",
        ),
        (
            "actor/Nowhere/Power plant",
            "code 'actor/Nowhere/Power plant' files 'Power plant' under 'Nowhere', which is no sector "
            "of the codebook (the codebook files it under 'private')",
        ),
    ],
)
def test_a_code_under_a_level_the_codebook_lacks_is_a_bad_row(tmp_path, code, message):
    path = write_segments(tmp_path, f"W01a1,,,,{code},x,1,,\n")
    with pytest.raises(InputError) as err:
        load(path)
    assert err.value.path == str(path) and err.value.line == 3
    assert err.value.problem == message


def test_the_anchoring_type_as_a_level_is_still_a_known_level(tmp_path):
    path = write_segments(tmp_path, f"W01a1,,,,activity/Physical anchoring/Contributing to synergies/{CREATE},x,1,,\n")
    assert [s.code.name for s in load(path).segments] == [CREATE, CREATE]


def test_tables_build_stops_on_an_unknown_category(slr, tmp_path):
    bad = write_segments(tmp_path, f"W01a1,,,,activity/Nonexistent category/{CREATE},x,1,,\n")
    out = tmp_path / "tables"
    result = slr("tables", "build", bad, "--codebook", CODEBOOK, "--works", DIR / "works.csv",
                 "--included", DIR / "hits.csv", "--links", DIR / "links.csv", "--out-dir", out)  # fmt: skip
    line = one_error_line(result)
    assert line.startswith(f"error: {bad}:3: code 'activity/Nonexistent category/{CREATE}'")
    assert not out.exists() or not any(out.iterdir())


# ---------------------------------------------------------------- P17: table5.md escaped


def test_table5_markdown_escapes_the_data_like_the_review_tables(tmp_path):
    case = tmp_path / "hostile"
    case.mkdir()
    (case / "activities.csv").write_text(
        "id,phase,order,activity,actors,description\na1,prep,1,<script>alert(1)</script>,A|B *co*,The admin plans.\n",
        encoding="utf-8",
    )
    (case / "actors.csv").write_text("actor,level,sector\nA|B *co*,park,public\n", encoding="utf-8")
    labels = {"a1": Classified("institutional", None, None)}
    md = table5_markdown(table5_rows(load_case(case), labels), "Case <b>_x_</b>")
    lines = md.splitlines()
    assert lines[0] == r"**Case \<b\>\_x\_\</b\>**"
    assert lines[-1] == r"| prep | a1 | 1 | \<script\>alert(1)\</script\> | A\|B \*co\* | institutional |  |  |"
    assert "<script>" not in md
