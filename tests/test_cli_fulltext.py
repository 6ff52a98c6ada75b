"""slr fulltext link / extract / merge / search as a user runs them."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fp:
        return list(csv.DictReader(fp))


@pytest.fixture
def review(fixtures, tmp_path) -> Path:
    """A PDF folder, works and screening decisions, as the stages before full text leave them."""
    pdfs = tmp_path / "data" / "fulltext"
    pdfs.mkdir(parents=True)
    shutil.copy(fixtures / "pdf" / "2020.acl-main.447.pdf", pdfs / "2020.acl-main.447.pdf")
    (pdfs / "10.3390_su9040549.pdf").write_bytes(b"")  # an interrupted download
    shutil.copy(fixtures / "pdf" / "linn.pdf", pdfs / "Chertow_2000_Industrial symbiosis literature and taxonomy.pdf")
    shutil.copy(fixtures / "pdf" / "aes-128.pdf", pdfs / "unknown.pdf")
    (pdfs / "notes.txt").write_text("not a PDF, not looked at")
    (tmp_path / "works.csv").write_text(
        "work_id,title,authors,year,doi\n"
        'W1,Coordination of industrial symbiosis through anchoring,"Sun, L.",2017,10.3390/su9040549\n'
        'W2,Industrial symbiosis: literature and taxonomy,"Chertow, M.R.",2000,10.1146/annurev.energy.25.1.313\n'
        'W3,S2ORC: The Semantic Scholar Open Research Corpus,"Lo, K.",2020,10.18653/v1/2020.acl-main.447\n'
        'W4,Anchor tenants in eco-industrial parks,"Jacobsen, N.B.",2009,\n'
        'W5,Waste exchanges,"Paquin, R.",2011,\n',
        encoding="utf-8",
    )
    (tmp_path / "abstract_screened.csv").write_text(
        "work_id,decision,reason\nW1,included,\nW2,included,\nW3,included,\nW4,included,\nW5,excluded,off topic\n",
        encoding="utf-8",
    )
    return tmp_path


def test_link_extract_search(slr, review):
    pdf_dir, out = review / "data" / "fulltext", review / "results" / "fulltext"
    result = slr(
        "fulltext",
        "link",
        pdf_dir,
        "--works",
        review / "works.csv",
        "--screened",
        review / "abstract_screened.csv",
        "-o",
        out / "links.csv",
        "--unlinked",
        out / "unlinked.csv",
    )
    assert result.returncode == 0, result.stderr
    links = {(r["work_id"], r["file"], r["matched_by"]) for r in read_csv(out / "links.csv")}
    assert links == {
        ("W1", "10.3390_su9040549.pdf", "doi_filename"),
        ("W2", "Chertow_2000_Industrial symbiosis literature and taxonomy.pdf", "title_filename"),
        ("W3", "2020.acl-main.447.pdf", "title_first_page"),
    }
    unlinked = {(r["kind"], r["file"], r["work_id"]) for r in read_csv(out / "unlinked.csv")}
    assert unlinked == {("unmatched_pdf", "unknown.pdf", ""), ("missing_pdf", "", "W4")}
    (unknown,) = [r for r in read_csv(out / "unlinked.csv") if r["file"] == "unknown.pdf"]
    assert "encrypted" in unknown["note"]

    pdfs = sorted(pdf_dir.glob("*.pdf"))
    result = slr("fulltext", "extract", *pdfs, "-o", out / "manifest.csv", "--text-dir", out / "text")
    assert result.returncode == 0, result.stderr
    assert "[4/4]" in result.stderr
    statuses = {r["file"]: r["status"] for r in read_csv(out / "manifest.csv")}
    assert statuses == {
        "10.3390_su9040549.pdf": "not_pdf",
        "2020.acl-main.447.pdf": "ok",
        "Chertow_2000_Industrial symbiosis literature and taxonomy.pdf": "no_text_layer",
        "unknown.pdf": "encrypted",
    }
    assert (out / "text" / "2020.acl-main.447.txt").exists()

    result = slr(
        "fulltext",
        "search",
        out / "text",
        "--pattern",
        "anchor",
        "-o",
        out / "hits.csv",
        "--kwic",
        out / "kwic.csv",
        "--links",
        out / "links.csv",
        "--manifest",
        out / "manifest.csv",
    )
    assert result.returncode == 0, result.stderr
    hits = {r["work_id"]: (r["status"], r["mentions"], r["included"]) for r in read_csv(out / "hits.csv")}
    assert hits == {"W1": ("not_pdf", "", ""), "W2": ("no_text_layer", "", ""), "W3": ("ok", "1", "yes")}
    (kwic,) = read_csv(out / "kwic.csv")
    assert (kwic["work_id"], kwic["match"]) == ("W3", "citation-anchors")
    assert "2 pending" in result.stderr

    # a rerun reads every PDF from the cache
    result = slr("fulltext", "extract", *pdfs, "-o", out / "manifest2.csv", "--text-dir", out / "text")
    assert result.stderr.count("cached") == 4
    assert (out / "manifest2.csv").read_text() == (out / "manifest.csv").read_text()


def test_link_takes_first_pages_from_the_extraction_cache(slr, review):
    """With --text-dir a PDF whose text was extracted is not read again: its first page comes from
    the cache. The cached text of the S2ORC paper is changed to carry W4's title, so the link shows
    where the page came from; a PDF changed since its extraction is read afresh."""
    pdf_dir, out = review / "data" / "fulltext", review / "results" / "fulltext"
    pdf = pdf_dir / "2020.acl-main.447.pdf"
    assert slr("fulltext", "extract", pdf, "-o", out / "manifest.csv", "--text-dir", out / "text").returncode == 0
    (out / "text" / "2020.acl-main.447.txt").write_text("Anchor tenants in eco-industrial parks\fpage two", "utf-8")
    args = [
        "fulltext",
        "link",
        pdf_dir,
        "--works",
        review / "works.csv",
        "--screened",
        review / "abstract_screened.csv",
    ]

    def linked(*extra):
        result = slr(*args, "-o", out / "links.csv", "--unlinked", out / "unlinked.csv", *extra)
        assert result.returncode == 0, result.stderr
        return {r["file"]: (r["work_id"], r["matched_by"]) for r in read_csv(out / "links.csv")}

    assert linked("--text-dir", out / "text")["2020.acl-main.447.pdf"] == ("W4", "title_first_page")
    assert linked()["2020.acl-main.447.pdf"] == ("W3", "title_first_page")
    with open(pdf, "ab") as fp:
        fp.write(b"\n% appended after the extraction\n")
    assert linked("--text-dir", out / "text")["2020.acl-main.447.pdf"] == ("W3", "title_first_page")


def test_search_options_on_the_command_line(slr, tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "a.txt").write_text("citationanchors here\nReferences\nAnchor, J. (2001)", encoding="utf-8")
    (tmp_path / "links.csv").write_text("work_id,file,matched_by,score\nW1,a.pdf,doi_filename,100\n")
    (tmp_path / "manifest.csv").write_text("file,status,pages,chars,message\na.pdf,ok,1,50,\n")
    common = [
        "--links",
        tmp_path / "links.csv",
        "--manifest",
        tmp_path / "manifest.csv",
        "--kwic",
        tmp_path / "kwic.csv",
        "-o",
        tmp_path / "hits.csv",
    ]

    def mentions(*options: str) -> str:
        result = slr("fulltext", "search", tmp_path / "text" / "a.txt", *common, *options)
        assert result.returncode == 0, result.stderr
        return read_csv(tmp_path / "hits.csv")[0]["mentions"]

    assert mentions() == "2"
    assert mentions("--word-start") == "1"
    assert mentions("--exclude-references") == "1"
    assert mentions("--word-start", "--exclude-references") == "0"
    slr("fulltext", "search", tmp_path / "text", *common, "--min-mentions", "3")
    assert read_csv(tmp_path / "hits.csv")[0]["included"] == "no"


def test_merge_batches(slr, tmp_path):
    (tmp_path / "b1.csv").write_text("file,status,pages,chars,message\nb.pdf,ok,2,900,\n")
    (tmp_path / "b2.csv").write_text("file,status,pages,chars,message\na.pdf,broken,,,truncated\n")
    result = slr("fulltext", "merge", tmp_path / "b1.csv", tmp_path / "b2.csv", "-o", tmp_path / "manifest.csv")
    assert result.returncode == 0, result.stderr
    assert [r["file"] for r in read_csv(tmp_path / "manifest.csv")] == ["a.pdf", "b.pdf"]


def assert_one_line_error(result, *words: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word in lines[0]


def test_bad_works_file_gives_one_line_error_and_no_output(slr, review):
    (review / "works.csv").write_text("id,name\n1,x\n")
    out = review / "links.csv"
    result = slr("fulltext", "link", review / "data" / "fulltext", "--works", review / "works.csv", "-o", out)
    assert_one_line_error(result, "works.csv:1", "title")
    assert not out.exists() and not list(review.glob("*.part"))


def test_missing_pdf_folder_is_bad_input(slr, review):
    result = slr("fulltext", "link", review / "nope", "--works", review / "works.csv", "-o", review / "l.csv")
    assert_one_line_error(result, "nope", "no such folder")


def test_search_with_a_bad_pattern_is_a_usage_error(slr, tmp_path):
    (tmp_path / "links.csv").write_text("work_id,file\n")
    (tmp_path / "manifest.csv").write_text("file,status,pages,chars,message\n")
    result = slr(
        "fulltext",
        "search",
        tmp_path,
        "--pattern",
        "anch(or",
        "-o",
        tmp_path / "h.csv",
        "--kwic",
        tmp_path / "k.csv",
        "--links",
        tmp_path / "links.csv",
        "--manifest",
        tmp_path / "manifest.csv",
    )
    assert_one_line_error(result, "regular expression")
    assert not (tmp_path / "h.csv").exists()


def test_search_with_a_link_missing_from_the_manifest(slr, tmp_path):
    (tmp_path / "links.csv").write_text("work_id,file\nW1,a.pdf\n")
    (tmp_path / "manifest.csv").write_text("file,status,pages,chars,message\n")
    result = slr(
        "fulltext",
        "search",
        tmp_path,
        "-o",
        tmp_path / "h.csv",
        "--kwic",
        tmp_path / "k.csv",
        "--links",
        tmp_path / "links.csv",
        "--manifest",
        tmp_path / "manifest.csv",
    )
    assert_one_line_error(result, "links.csv:2", "a.pdf")
