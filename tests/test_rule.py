"""The inclusion rule is parsed and evaluated safely, in three-valued logic."""

from __future__ import annotations

import pytest

from slr.errors import InputError
from slr.screening.rule import parse_rule

CRITERIA = ["relevant_to_is", "empirical", "quantitative_assessment"]
RULE = "relevant_to_is and empirical and not quantitative_assessment"


@pytest.mark.parametrize(
    ("values", "verdict", "failed"),
    [
        ((True, True, False), True, []),
        ((True, True, True), False, ["quantitative_assessment"]),
        ((True, False, None), False, ["not empirical"]),
        ((False, None, None), False, ["not relevant_to_is"]),
        ((False, False, True), False, ["not relevant_to_is", "not empirical", "quantitative_assessment"]),
        ((True, True, None), None, []),
        ((None, None, None), None, []),
    ],
)
def test_paper_rule(values, verdict, failed):
    rule = parse_rule(RULE, CRITERIA)
    given = dict(zip(CRITERIA, values, strict=True))
    assert rule.evaluate(given) is verdict
    assert rule.failed(given) == failed


def test_or_and_parentheses():
    rule = parse_rule("(relevant_to_is or empirical) and not quantitative_assessment", CRITERIA)
    assert rule.evaluate({"relevant_to_is": False, "empirical": True, "quantitative_assessment": False}) is True
    assert rule.evaluate({"relevant_to_is": None, "empirical": True, "quantitative_assessment": False}) is True
    assert rule.evaluate({"relevant_to_is": False, "empirical": None, "quantitative_assessment": False}) is None
    assert rule.failed({"relevant_to_is": False, "empirical": False, "quantitative_assessment": False}) == [
        "not (relevant_to_is or empirical)"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('echo hacked')",
        "relevant_to_is.__class__",
        "empirical == True",
        "empirical + 1",
        "[empirical]",
        "lambda: empirical",
        "empirical if relevant_to_is else quantitative_assessment",
        "open('x')",
    ],
)
def test_rejects_anything_but_names_and_boolean_operators(text):
    with pytest.raises(InputError) as exc:
        parse_rule(text, CRITERIA, where="config/config.yaml", key="screening.abstract.include_if")
    message = exc.value.message()
    assert message.startswith("config/config.yaml: screening.abstract.include_if") and "may not contain" in message


def test_unknown_name_names_the_config_key():
    with pytest.raises(InputError) as exc:
        parse_rule("relevant and empirical", CRITERIA, where="config/config.yaml", key="screening.abstract.include_if")
    assert "screening.abstract.include_if" in exc.value.message() and "'relevant'" in exc.value.message()


@pytest.mark.parametrize("text", ["", "   ", "relevant_to_is and", "and empirical"])
def test_empty_or_broken_rule(text):
    with pytest.raises(InputError):
        parse_rule(text, CRITERIA)
