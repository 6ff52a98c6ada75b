"""Hostile text from an export stays inert all the way to the report.

A tiny review runs through the real commands (ingest, dedupe, screening sheet/apply/kappa/
export, full-text link/extract/search, tables build, case classify/narrative, report) with
titles that a spreadsheet would run as formulas (``=``, ``+``, ``-``, ``@``), titles carrying
HTML that a browser would run, and a DOI that climbs out of its folder (``10.1000/../../x``).
Then every file written is checked by what it is for (docs/architecture.md, "Spreadsheet
safety"): CSV/XLSX for spreadsheets hold no formula-like cell; machine contracts hold the
text exactly; HTML holds it escaped; no suggested file name leaves its folder.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from fulltext_pdfs import body_lines, matplotlib_pdf
from hypothesis import given, settings
from hypothesis import strategies as st
from review_fixture import write_csv

from slr.fulltext.link import Work, suggested_file_name
from slr.results import read_works
from slr.spreadsheet import FORMULA_STARTS

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
ESCAPE_DOI = "10.1000/../../x"
# id, title, author, journal, doi (records h1-h4 and h6 get a PDF; h5's DOI has no PDF)
RECORDS = [
    (
        "h1",
        '=HYPERLINK("http://evil.example","x") anchor tenants in parks',
        "=Evil, A.",
        "J Invent Ecol",
        "10.9999/h.1",
    ),
    ("h2", "+SUM(1,2) industrial symbiosis networks", "Lin, C.", "+Journal", "10.9999/h.2"),
    ("h3", "-2+3 reasons for eco-industrial anchoring", "-Novak, P.", "J Invent Ecol", "10.9999/h.3"),
    ("h4", "@cmd by-product exchange around a refinery", "@Oster, K.", "@Journal", "10.9999/h.4"),
    ("h5", f"{SCRIPT} anchoring in science parks", "Smith, J.", "J Invent Ecol", ESCAPE_DOI),
    ("h6", f"{IMG} governance of utility sharing", "Jones, K.", "J Invent Ecol", "10.9999/h.6"),
]
TITLES = {r[1] for r in RECORDS}
SEGMENT = "=cmd|' /C calc'!A0 the refinery shares steam"
CODE = "activity/Contributing to synergies/Provide utilities and services"

# Machine contracts: read by a later stage, values kept exactly (never neutralised).
MACHINE = {
    "records/s/hostile.csv",
    "works.csv",
    "clusters.csv",
    "pairs.csv",
    "fulltext/links.csv",
    "fulltext/manifest.csv",
    "fulltext/hits.csv",
}


def run(slr, root: Path, *args: object) -> None:
    result = slr(*map(str, args), cwd=root)
    assert result.returncode == 0, (args, result.stderr)
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def review(tmp_path_factory) -> Path:
    from conftest import run_slr as slr

    root = tmp_path_factory.mktemp("hostile")
    write_csv(
        root / "data/raw/s/hostile.csv",
        ["ID", "title", "author", "year", "journal", "doi", "type"],
        [
            (rid, title, author, 2010 + i, journal, doi, "Article")
            for i, (rid, title, author, journal, doi) in enumerate(RECORDS)
        ],
    )
    (root / "config").mkdir()
    shutil.copy(REPO / "config/codebook.yaml", root / "config/codebook.yaml")
    run(slr, root, "ingest", "data/raw/s/hostile.csv", "--search", "s", "-o", "results/records/s/hostile.csv")
    run(slr, root, "dedupe", "results/records/s/hostile.csv", "-o", "results/works.csv",
        "--clusters", "results/clusters.csv", "--pairs", "results/pairs.csv")  # fmt: skip
    works = {w["doi"]: w["work_id"] for w in read_works(root / "results/works.csv")}
    crit = ["--criteria", "relevant,empirical"]
    run(slr, root, "screening", "sheet", "results/works.csv", "-o", "results/screening/abstract.xlsx", *crit)
    ids = [works[r[4].lower()] for r in RECORDS]
    write_csv(root / "data/coded/a.csv", ["work_id", "relevant", "empirical", "notes"],
              [(w, "yes", "yes", "=1+1 looks fine") for w in ids])  # fmt: skip
    write_csv(root / "data/coded/b.csv", ["work_id", "relevant", "empirical", "notes"],
              [(w, "no" if i % 2 else "yes", "yes", "@second coder") for i, w in enumerate(ids)])  # fmt: skip
    run(slr, root, "screening", "apply", "results/works.csv", "data/coded/a.csv", *crit,
        "--rule", "relevant and empirical", "-o", "results/screening/abstract_screened.csv")  # fmt: skip
    run(slr, root, "screening", "kappa", "results/works.csv", "--coder-a", "data/coded/a.csv",
        "--coder-b", "data/coded/b.csv", *crit, "-o", "results/screening/abstract_kappa.csv",
        "--conflicts", "results/screening/abstract_conflicts.xlsx")  # fmt: skip
    pdfs = root / "data/fulltext"
    pdfs.mkdir(parents=True)
    for rid, _title, _a, _j, doi in RECORDS:
        if doi != ESCAPE_DOI:
            lines = [f"=2+3 anchor -cmd tenants in study {rid}", *body_lines(40)]
            matplotlib_pdf(pdfs / f"{doi.replace('/', '_')}.pdf", [lines])
    run(slr, root, "fulltext", "link", "data/fulltext", "--works", "results/works.csv",
        "--screened", "results/screening/abstract_screened.csv", "-o", "results/fulltext/links.csv",
        "--unlinked", "results/fulltext/unlinked.csv")  # fmt: skip
    run(slr, root, "fulltext", "extract", *sorted(pdfs.glob("*.pdf")), "-o", "results/fulltext/manifest.csv",
        "--text-dir", "results/fulltext/text")  # fmt: skip
    run(slr, root, "fulltext", "search", "results/fulltext/text", "--links", "results/fulltext/links.csv",
        "--manifest", "results/fulltext/manifest.csv", "-o", "results/fulltext/hits.csv",
        "--kwic", "results/fulltext/kwic.csv")  # fmt: skip
    run(slr, root, "screening", "export", "results/works.csv", "--set", "results/screening/abstract_screened.csv",
        "--where", "decision=included", "--ris", "results/exports/abstract.ris",
        "--bib", "results/exports/abstract.bib", "--qda", "results/exports/abstract_qda.csv",
        "--links", "results/fulltext/links.csv")  # fmt: skip
    write_csv(root / "data/coded/segments.csv", ["study", "code", "segment", "page"],
              [(works[r[4]], CODE, SEGMENT, 1) for r in RECORDS if r[4] != ESCAPE_DOI])  # fmt: skip
    run(slr, root, "tables", "build", "data/coded/segments.csv", "--codebook", "config/codebook.yaml",
        "--works", "results/works.csv", "--included", "results/fulltext/hits.csv",
        "--links", "results/fulltext/links.csv", "--out-dir", "results/tables")  # fmt: skip
    case = root / "case"
    shutil.copytree(FIXTURES / "cases/kalundborg", case)
    with open(case / "activities.csv", encoding="utf-8", newline="") as fh:
        acts = list(csv.DictReader(fh))
    acts[0]["activity"] = f"=Piping lake water {SCRIPT}"
    acts[1]["activity"] = f"{IMG} contacts"
    write_csv(case / "activities.csv", list(acts[0]), [list(a.values()) for a in acts])
    run(slr, root, "case", "classify", "case/activities.csv", "--codebook", "config/codebook.yaml",
        "-o", "results/cases/case/classified.csv")  # fmt: skip
    run(slr, root, "case", "narrative", "case", "--classified", "results/cases/case/classified.csv",
        "--out-dir", "results/cases/case")  # fmt: skip
    run(slr, root, "report", "results", "-o", "results/report.html")
    return root


def _formula_like(value: str) -> bool:
    return value.startswith(FORMULA_STARTS) and not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", value)


def _files(root: Path, *suffixes: str) -> list[Path]:
    return sorted(p for p in (root / "results").rglob("*") if p.suffix in suffixes and "text" not in p.parts)


def test_every_sheet_for_spreadsheets_is_formula_safe(review):
    neutralised = set()  # files in which hostile text arrived (with its leading quote)
    for path in _files(review, ".csv"):
        rel = path.relative_to(review / "results").as_posix()
        if rel in MACHINE:
            continue
        with open(path, encoding="utf-8-sig", newline="") as fh:
            cells = [cell for row in csv.reader(fh) for cell in row]
        assert [c for c in cells if _formula_like(c)] == [], rel
        if any(c.startswith("'") and _formula_like(c[1:]) for c in cells):
            neutralised.add(rel)
    for path in _files(review, ".xlsx"):
        rel = path.relative_to(review / "results").as_posix()
        for sheet in openpyxl.load_workbook(path).worksheets:
            for row in sheet.iter_rows():
                for c in row:
                    assert c.data_type != "f", (rel, c.coordinate, c.value)
                    assert not (isinstance(c.value, str) and _formula_like(c.value)), (rel, c.value)
                    if isinstance(c.value, str) and c.value.startswith("'") and _formula_like(c.value[1:]):
                        neutralised.add(rel)
    must = {
        "screening/abstract.csv", "screening/abstract.xlsx", "screening/abstract_conflicts.csv",
        "screening/abstract_conflicts.xlsx", "exports/abstract_qda.csv", "fulltext/kwic.csv",
        "tables/appendixC.csv", "tables/tableA1.csv", "tables/segments_resolved.csv", "tables/matrix.csv",
        "tables/matrix.xlsx", "tables/row_studies.csv", "cases/case/table5.csv", "cases/case/classified.csv",
    }  # fmt: skip
    assert must <= neutralised, must - neutralised
    sheet = (review / "results/screening/abstract.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(" in sheet and "'+SUM(1,2)" in sheet and "'-2+3" in sheet and "'@cmd" in sheet
    kwic = (review / "results/fulltext/kwic.csv").read_text(encoding="utf-8")
    assert "'=2+3" in kwic and "'-cmd" in kwic
    assert "'=cmd|" in (review / "results/tables/segments_resolved.csv").read_text(encoding="utf-8")


def test_machine_contracts_keep_the_text_exactly(review):
    works = read_works(review / "results/works.csv")
    assert {w["title"] for w in works} == TITLES
    assert ESCAPE_DOI in {w["doi"] for w in works}
    with open(review / "results/records/s/hostile.csv", encoding="utf-8", newline="") as fh:
        assert {r["title"] for r in csv.DictReader(fh)} == TITLES


def test_the_screening_sheet_reads_back_as_the_original_text(review):
    from slr.spreadsheet import read_sheet

    for name in ("abstract.csv", "abstract.xlsx"):
        sheet = read_sheet(review / "results/screening" / name)
        assert {r.cells["title"] for r in sheet.rows} == TITLES


def test_html_shows_data_as_text(review):
    pages = _files(review, ".html")
    names = {p.relative_to(review / "results").as_posix() for p in pages}
    assert {"report.html", "tables/appendixC.html", "tables/tableA1.html", "cases/case/table5.html"} <= names
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text, page
    report = (review / "results/report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report  # the case's activity, escaped
    assert "&lt;img src=x onerror=alert(1)&gt;" in report
    assert "<script" not in report.lower()  # the page runs no script at all
    appendix = (review / "results/tables/appendixC.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in appendix  # h6's title, escaped
    table5 = (review / "results/cases/case/table5.html").read_text(encoding="utf-8")
    assert "=Piping lake water &lt;script&gt;alert(1)&lt;/script&gt;" in table5


def test_no_file_name_from_a_doi_or_title_leaves_its_folder(review):
    with open(review / "results/fulltext/unlinked.csv", encoding="utf-8", newline="") as fh:
        missing = [r for r in csv.DictReader(fh) if r["kind"] == "missing_pdf"]
    assert len(missing) == 1  # h5, whose DOI climbs out of the folder
    suggested = Path(re.search(r"(\S+\.pdf)", missing[0]["note"]).group(1))  # data/fulltext/<name>
    assert suggested.parent == Path("data/fulltext") and suggested.name == "10.1000_.._.._x.pdf"
    assert (review / suggested).resolve().parent == (review / "data/fulltext").resolve()
    # nothing was written outside the review
    assert not list(review.parent.glob("x*")) and not (review.parent.parent / "x").exists()


@settings(max_examples=150, deadline=None)
@given(doi=st.one_of(st.none(), st.text(max_size=80)), title=st.text(max_size=200), author=st.text(max_size=30))
def test_suggested_names_are_one_safe_path_component(doi, title, author):
    work = Work("W1", title, 2001, doi or None, (author,) if author else ())
    name = suggested_file_name(work)
    assert name.endswith(".pdf") and len(name.encode()) <= 255
    assert Path(name).name == name and name not in (".", "..") and not name.startswith(".")
    assert not re.search(r"[/\\\x00-\x1f:*?\"<>|]", name)
