"""The classifier's text features: Porter stems, British/American spelling, stem pairs."""

from __future__ import annotations

import pytest

from slr.case.tokens import content_stems, features, phrase_features, porter

# Examples from Porter (1980), "An algorithm for suffix stripping", with the stems the full
# algorithm gives.
PORTER = {
    "caresses": "caress", "ponies": "poni", "ties": "ti", "cats": "cat", "feed": "feed", "agreed": "agre",
    "plastered": "plaster", "motoring": "motor", "sing": "sing", "conflated": "conflat", "troubled": "troubl",
    "sized": "size", "hopping": "hop", "tanned": "tan", "falling": "fall", "hissing": "hiss", "fizzed": "fizz",
    "failing": "fail", "filing": "file", "happy": "happi", "sky": "sky", "relational": "relat",
    "conditional": "condit", "rational": "ration", "hopeful": "hope", "goodness": "good",
    "adjustment": "adjust", "adoption": "adopt", "generalizations": "gener", "oscillators": "oscil",
    "allowance": "allow", "inference": "infer", "airliner": "airlin", "replacement": "replac",
    "dependent": "depend", "effective": "effect", "bowdlerize": "bowdler", "probate": "probat", "rate": "rate",
    "cease": "ceas", "controlling": "control",
}  # fmt: skip


@pytest.mark.parametrize(("word", "expected"), sorted(PORTER.items()))
def test_porter_examples(word, expected):
    assert porter(word) == expected


def test_inflections_meet():
    assert len({*content_stems("supplies supplied supplying supply")}) == 1
    assert content_stems("organise organisation") == content_stems("organize organization")
    assert content_stems("harbour programme") == content_stems("harbor program")


def test_stop_words_and_numbers_are_dropped():
    assert content_stems("In 2012 the firms and the town") == ["firm", "town"]


def test_features_hold_stems_and_neighbouring_pairs():
    f = features("waste heat goes to the district heating network")
    assert f["wast heat"] == 1 and f["district heat"] == 1 and f["heat"] == 2


def test_multi_word_term_counts_its_words_at_part_weight():
    assert dict(phrase_features("waste management law", 0.5)) == {
        "wast": 0.5, "manag": 0.5, "law": 0.5, "wast manag": 1.0, "manag law": 1.0,
    }  # fmt: skip
    assert phrase_features("pipeline") == [("pipelin", 1.0)]
