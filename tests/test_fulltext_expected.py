"""The status every copied real PDF must get, written down before the extractor was tuned.

The first six come from issue 6; the last three are our own calls made beforehand:
``issue-1113-evil-xobjects.pdf`` is listed as broken in the data README (its form XObjects
reference each other in a circle, so pdfminer refuses part of the content);
``simple1.pdf`` carries 40 letters ("Hello World" four times) and ``truetype_font_nomapping.pdf``
five unmapped glyphs on a page of vector drawing: neither has text enough to search.
"""

from __future__ import annotations

import pytest

from slr.fulltext.extract import Extractor
from slr.fulltext.search import SearchOptions, find_mentions

EXPECTED = {
    "linn.pdf": "no_text_layer",
    "skew.pdf": "no_text_layer",
    "pdf-with-jbig2.pdf": "no_text_layer",
    "aes-128.pdf": "encrypted",
    "aes-256.pdf": "encrypted",
    "invalid.pdf": "broken",
    "2020.acl-main.447.pdf": "ok",
    "issue-1113-evil-xobjects.pdf": "broken",
    "simple1.pdf": "no_text_layer",
    "truetype_font_nomapping.pdf": "no_text_layer",
}


@pytest.fixture(scope="module")
def extracted(request):
    folder = request.config.rootpath / "tests" / "fixtures" / "pdf"
    with Extractor(timeout=120) as extractor:
        return {name: extractor.extract(folder / name) for name in EXPECTED}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_status(extracted, name):
    result = extracted[name]
    assert result.status == EXPECTED[name], result.message


def test_non_ok_statuses_say_why(extracted):
    for name, result in extracted.items():
        if result.status != "ok":
            assert result.message, name


def test_s2orc_paper_has_exactly_one_anchor_mention(extracted):
    result = extracted["2020.acl-main.447.pdf"]
    assert result.pages == 15
    mentions = find_mentions(result.text, SearchOptions())
    assert len(mentions) == 1
    (mention,) = mentions
    assert mention.match == "citation-anchors"
    # "re-\nsearch" at the line end in the PDF is joined back into one word.
    assert mention.right.startswith("detection in research papers")
    assert mention.left.endswith("an algorithm for")
