"""The inclusion rule (``relevant_to_is and empirical and not quantitative_assessment``).

The rule comes from a config file, so it is parsed, never ``eval``-ed: only names,
``and``, ``or``, ``not`` and parentheses are accepted. It is evaluated in three-valued
logic so that a partly coded work is decided when the coded criteria already decide
it (``relevant_to_is = no`` excludes whatever the other columns say) and stays
"to screen" otherwise. ``failed`` explains an exclusion in the rule's own terms.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from slr.errors import InputError

Truth = bool | None


@dataclass(frozen=True)
class Rule:
    text: str
    tree: ast.expr
    names: tuple[str, ...]

    def evaluate(self, values: Mapping[str, Truth]) -> Truth:
        """True/False, or None when the criteria coded so far do not decide."""
        return _eval(self.tree, values)

    def failed(self, values: Mapping[str, Truth]) -> list[str]:
        """Why the rule is False: the top-level conjuncts that are False, as text
        (``not empirical``, ``quantitative_assessment``); the whole rule otherwise."""
        parts = _conjuncts(self.tree)
        failing = [p for p in parts if _eval(p, values) is False]
        if not failing:
            return []
        return [_explain(p) for p in failing]


def parse_rule(text: str, criteria: Sequence[str], *, where: str = "config", key: str = "include_if") -> Rule:
    """Parse ``text``; any construct other than names/and/or/not, or a name that is not
    one of ``criteria``, is an InputError naming the config key."""
    if not text or not text.strip():
        raise InputError(where, f"{key} is empty", f"write a rule over {', '.join(criteria)}")
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        raise InputError(
            where,
            f"{key} {text!r} is not a valid rule ({exc.msg})",
            "use criterion names with and, or, not and parentheses",
        ) from None
    names: list[str] = []
    _check(tree, set(criteria), names, text, where, key)
    return Rule(text.strip(), tree, tuple(dict.fromkeys(names)))


def _check(node: ast.AST, allowed: set[str], names: list[str], text: str, where: str, key: str) -> None:
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And | ast.Or):
        for value in node.values:
            _check(value, allowed, names, text, where, key)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _check(node.operand, allowed, names, text, where, key)
    elif isinstance(node, ast.Name):
        if node.id not in allowed:
            raise InputError(
                where,
                f"{key} {text!r} names {node.id!r}, which is not a criterion",
                f"use only {', '.join(sorted(allowed))} (or add it to the criteria)",
            )
        names.append(node.id)
    else:
        snippet = ast.get_source_segment(text.strip(), node) or type(node).__name__
        raise InputError(
            where,
            f"{key} {text!r} contains {snippet!r}, which a rule may not contain",
            "use only criterion names, and, or, not and parentheses",
        )


def _eval(node: ast.expr, values: Mapping[str, Truth]) -> Truth:
    if isinstance(node, ast.Name):
        return values.get(node.id)
    if isinstance(node, ast.UnaryOp):
        inner = _eval(node.operand, values)
        return None if inner is None else not inner
    if isinstance(node, ast.BoolOp):
        results = [_eval(v, values) for v in node.values]
        if isinstance(node.op, ast.And):
            if any(r is False for r in results):
                return False
            return None if any(r is None for r in results) else True
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False
    raise TypeError(f"unchecked rule node {type(node).__name__}")  # parse_rule rejects these


def _conjuncts(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        return [part for value in node.values for part in _conjuncts(value)]
    return [node]


def _explain(node: ast.expr) -> str:
    """The condition that made ``node`` False, e.g. ``not empirical`` for ``empirical``."""
    if isinstance(node, ast.Name):
        return f"not {node.id}"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not) and isinstance(node.operand, ast.Name):
        return node.operand.id
    return f"not ({ast.unparse(node)})"
