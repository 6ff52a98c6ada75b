from __future__ import annotations

from slr.fulltext.normalise import clean_characters, normalise_pages


def norm(text: str) -> str:
    return normalise_pages([text])[0]


def test_ligatures_become_letters():
    text = "\ufb01nancial \ufb02ow e\ufb00ort o\ufb03ce ba\ufb04e"
    assert clean_characters(text) == "financial flow effort office baffle"


def test_nfkc_folds_compatibility_characters():
    assert clean_characters("\uff21nchor\u00a0park") == "Anchor park"


def test_soft_hyphen_dropped_and_joined_at_line_end():
    assert norm("an\u00ad\nchor and soft\u00adhyphen") == "anchor and softhyphen"


def test_typesetter_hyphen_joined():
    assert norm("the an-\nchor tenant") == "the anchor tenant"


def test_joined_when_the_document_knows_the_word():
    # "co" is a keep-hyphen prefix, but the document spells "cooperation" elsewhere
    assert norm("cooperation matters.\nfirms co-\noperation") == "cooperation matters.\nfirms cooperation"


def test_compound_kept_when_the_first_part_is_a_known_prefix():
    assert norm("an eco-\nindustrial park") == "an eco-industrial park"


def test_compound_kept_when_the_document_uses_it_on_one_line():
    assert norm("user-driven design.\nIt is user-\ndriven") == "user-driven design.\nIt is user-driven"


def test_capitalised_second_part_keeps_hyphen_but_all_caps_heading_joins():
    assert norm("Euro-\nAmerican firms") == "Euro-American firms"
    assert norm("AN-\nCHORING") == "ANCHORING"


def test_part_of_a_longer_compound_keeps_hyphen():
    assert norm("an eco-industrial-\npark") == "an eco-industrial-park"


def test_digits_and_mid_line_hyphens_untouched():
    assert norm("COVID-\n19 and by-products") == "COVID-\n19 and by-products"


def test_one_blank_line_between_parts_still_joins():
    # pdfminer puts a blank line between text boxes; a word can be split across two boxes
    assert norm("was an-\n\nchor of") == "was anchor of"


def test_vocabulary_spans_pages_but_joins_stay_on_their_page():
    pages = normalise_pages(["research is hard", "re-\nsearch again", "an-"])
    assert pages == ["research is hard", "research again", "an-"]


def test_control_characters_removed():
    assert norm("a\x00b\x07c") == "a b c"
