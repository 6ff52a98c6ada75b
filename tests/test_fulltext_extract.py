"""Each extraction status, on PDFs made here or copied (tests/fixtures/pdf, see its README)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
from fulltext_pdfs import CID_FONT, body_lines, handmade_pdf, matplotlib_pdf, slow_pdf

from slr.errors import InputError, UsageError
from slr.fulltext import extract as extract_module
from slr.fulltext.extract import Extractor, Thresholds, classify, extract_files, merge_manifests, read_manifest, sniff
from slr.fulltext.extract import write_manifest as write_manifest_file

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"


@pytest.fixture(scope="module")
def extractor():
    with Extractor(timeout=60) as ex:
        yield ex


def test_ok_paper_with_hyphenation_ligatures_and_page_breaks(tmp_path, extractor):
    pdf = matplotlib_pdf(
        tmp_path / "paper.pdf",
        [
            [*body_lines(30), "the firm that was the an-", "chor of the park"],
            [*body_lines(30, offset=5), "an eco-", "industrial network"],
        ],
    )
    result = extractor.extract(pdf)
    assert result.status == "ok", result.message
    assert result.pages == 2
    page1, page2 = result.text.split("\f")
    assert "was the anchor of the park" in " ".join(page1.split())
    assert "an eco-industrial network" in " ".join(page2.split())
    assert result.chars == len(result.text) - 1


def test_ligature_and_soft_hyphen_glyphs_are_normalised(tmp_path, extractor):
    lines = [b"(The \\201nancial \\202ow of e\\200ort, o\\203ce and ba\\204e an\\205)", b"(chor tenant)"]
    pdf = handmade_pdf(tmp_path / "lig.pdf", [lines * 4])
    result = extractor.extract(pdf)
    assert result.status == "ok", result.message
    assert "The financial flow of effort, office and baffle anchor tenant" in result.text


def test_not_pdf_html_login_page(tmp_path, extractor):
    page = tmp_path / "paywall.pdf"
    page.write_text("<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Log in</body></html>")
    result = extractor.extract(page)
    assert (result.status, result.pages, result.text) == ("not_pdf", None, None)
    assert "HTML" in result.message


def test_not_pdf_zero_bytes(tmp_path, extractor):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = extractor.extract(empty)
    assert result.status == "not_pdf"
    assert "0 bytes" in result.message


def test_not_pdf_other_content(tmp_path, extractor):
    other = tmp_path / "image.pdf"
    other.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    assert extractor.extract(other).status == "not_pdf"


def test_broken_truncated_download(tmp_path, extractor):
    data = (FIXTURES / "2020.acl-main.447.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    result = extractor.extract(cut)
    assert result.status == "broken"
    assert "truncated" in result.message


def test_broken_unparsable(extractor):
    result = extractor.extract(FIXTURES / "invalid.pdf")
    assert result.status == "broken"
    assert "PDFSyntaxError" in result.message


def test_broken_garbage_between_header_and_eof(tmp_path, extractor):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.7\n" + b"this is not a pdf body\n" * 50 + b"%%EOF\n")
    assert extractor.extract(junk).status == "broken"


def test_encrypted_with_a_user_password(extractor):
    for name in ("aes-128.pdf", "aes-256.pdf"):
        result = extractor.extract(FIXTURES / name)
        assert result.status == "encrypted"
        assert "password" in result.message


def test_no_text_layer_scan(extractor):
    result = extractor.extract(FIXTURES / "linn.pdf")
    assert (result.status, result.pages, result.chars) == ("no_text_layer", 1, 0)


def test_no_text_layer_when_most_pages_are_empty(tmp_path, extractor):
    # a text cover page in front of three scanned (empty) pages
    pdf = matplotlib_pdf(tmp_path / "cover.pdf", [body_lines(30), [], [], []])
    result = extractor.extract(pdf)
    assert result.status == "no_text_layer"
    assert result.message.startswith("1 of 4 page(s)")


def test_ok_names_pages_without_text(tmp_path, extractor):
    pdf = matplotlib_pdf(tmp_path / "figure.pdf", [body_lines(30), [], body_lines(30, offset=3)])
    result = extractor.extract(pdf)
    assert result.status == "ok"
    assert result.message == "pages with little or no text: 2"


def test_garbled_cid_codes(tmp_path, extractor):
    pdf = handmade_pdf(tmp_path / "cid.pdf", [[b"<0041004200430044004500460047>"] * 40], font=CID_FONT)
    result = extractor.extract(pdf)
    assert result.status == "garbled"
    assert "(cid:NN)" in result.message


def test_garbled_words_run_together(tmp_path, extractor):
    lines = ["".join(line.split()) for line in body_lines(40)]
    result = extractor.extract(matplotlib_pdf(tmp_path / "runon.pdf", [lines]))
    assert result.status == "garbled"
    assert "spaces between words are lost" in result.message


def test_garbled_letters_spaced_apart(tmp_path, extractor):
    lines = [" ".join(line.replace(" ", "")) for line in body_lines(40, words_per_line=6)]
    result = extractor.extract(matplotlib_pdf(tmp_path / "spaced.pdf", [lines]))
    assert result.status == "garbled"
    assert "spaced apart" in result.message


def test_timeout_on_a_slow_pdf_then_the_next_pdf_still_works(tmp_path):
    slow = slow_pdf(tmp_path / "slow.pdf")
    fine = matplotlib_pdf(tmp_path / "fine.pdf", [body_lines(30)])
    with Extractor(timeout=1) as ex:
        started = time.perf_counter()
        result = ex.extract(slow)
        assert time.perf_counter() - started < 10
        assert result.status == "timeout"
        assert "1 s" in result.message
        assert ex.extract(fine).status == "ok"


def test_timeout_tiny_limit_on_a_real_paper():
    with Extractor(timeout=0.001) as ex:
        assert ex.extract(FIXTURES / "2020.acl-main.447.pdf").status == "timeout"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the stand-in parser reaches the child by fork")
def test_a_dying_extractor_is_broken_not_a_crash(tmp_path, monkeypatch):
    import os

    def die(path, maxpages=0):
        os._exit(3)

    monkeypatch.setattr(extract_module, "read_pages", die)
    with Extractor(timeout=30) as ex:
        result = ex.extract(FIXTURES / "simple1.pdf")
    assert result.status == "broken"
    assert "exit code 3" in result.message


def test_first_page_only(extractor):
    result = extractor.extract(FIXTURES / "2020.acl-main.447.pdf", maxpages=1)
    assert result.pages == 1
    assert "S2ORC" in result.text


def test_sniff_accepts_a_pdf_with_a_little_junk_in_front():
    assert sniff(b"\xef\xbb\xbf%PDF-1.4\n", b"trailer\n%%EOF\n", 100) is None
    assert sniff(b"%PDF-1.4\n", b"%%EOF\n\x00\x00\n", 100) is None


def test_classify_thresholds_are_settings():
    page = "word " * 30  # 120 non-space characters
    assert classify([page])[0] == "ok"
    assert classify([page], Thresholds(min_chars_per_page=200))[0] == "no_text_layer"
    assert classify([]) == ("broken", "the PDF has no pages")
    assert classify(["1 2 3 4 5 6 7 8 9 " * 20])[0] == "garbled"


# ------------------------------------------------------------------ cache and manifest


def test_each_pdf_is_extracted_once_and_cached(tmp_path):
    pdf = matplotlib_pdf(tmp_path / "a.pdf", [body_lines(30)])
    texts = tmp_path / "text"
    seen = []

    def progress(number, total, result, seconds, cached):
        seen.append((result.file, result.status, cached))

    first = extract_files([pdf], texts, progress=progress)
    second = extract_files([pdf], texts, progress=progress)
    assert seen == [("a.pdf", "ok", False), ("a.pdf", "ok", True)]
    assert first == second
    assert (texts / "a.txt").read_text(encoding="utf-8") == first[0].text
    sidecar = json.loads((texts / "a.json").read_text(encoding="utf-8"))
    assert sidecar["status"] == "ok" and len(sidecar["sha256"]) == 64


def test_a_changed_pdf_is_extracted_again_and_stale_text_removed(tmp_path):
    pdf = matplotlib_pdf(tmp_path / "a.pdf", [body_lines(30)])
    texts = tmp_path / "text"
    extract_files([pdf], texts)
    assert (texts / "a.txt").exists()
    pdf.write_text("<html>login</html>")
    (result,) = extract_files([pdf], texts)
    assert result.status == "not_pdf"
    assert not (texts / "a.txt").exists()


def test_timeout_is_retried_with_a_longer_limit_only(tmp_path):
    pdf = matplotlib_pdf(tmp_path / "a.pdf", [body_lines(30)])
    texts = tmp_path / "text"
    assert extract_files([pdf], texts, timeout=0.001)[0].status == "timeout"
    calls = []
    extract_files([pdf], texts, timeout=0.001, progress=lambda *a: calls.append(a[-1]))
    assert calls == [True]
    assert extract_files([pdf], texts, timeout=60)[0].status == "ok"


def test_two_pdfs_with_one_stem_refused(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one, two = tmp_path / "a" / "x.pdf", tmp_path / "b" / "x.pdf"
    one.write_bytes(b"")
    two.write_bytes(b"")
    with pytest.raises(UsageError, match=r"x\.txt"):
        extract_files([one, two], tmp_path / "text")


def test_missing_pdf_is_bad_input(tmp_path):
    with pytest.raises(InputError, match="no such PDF"):
        extract_files([tmp_path / "nope.pdf"], tmp_path / "text")


def test_manifest_round_trip_and_merge(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    write_manifest_file([{"file": "x.pdf", "status": "ok", "pages": 3, "chars": 900, "message": None}], a)
    write_manifest_file([{"file": "w.pdf", "status": "timeout", "message": "slow, really"}], b)
    assert a.read_text() == "file,status,pages,chars,message\nx.pdf,ok,3,900,\n"
    merged = merge_manifests([a, b])
    assert [(r["file"], r["status"], r["pages"], r["message"]) for r in merged] == [
        ("w.pdf", "timeout", None, "slow, really"),
        ("x.pdf", "ok", 3, None),
    ]
    with pytest.raises(InputError, match="also in"):
        merge_manifests([a, a])
    c = tmp_path / "c.csv"
    write_manifest_file([{"file": "x.PDF", "status": "ok"}], c)
    with pytest.raises(InputError, match=r"share the text file x\.txt"):
        merge_manifests([a, c])


def test_manifest_with_an_unknown_status_is_refused(tmp_path):
    bad = tmp_path / "m.csv"
    bad.write_text("file,status,pages,chars,message\nx.pdf,fine,1,1,\n")
    with pytest.raises(InputError) as err:
        read_manifest(bad)
    assert err.value.line == 2
