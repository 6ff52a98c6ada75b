"""Several cases side by side: their indicators, and how alike their sequences of categories are.

A case's category sequence lists its activities' categories in order (ties in the order of
activities.csv); an activity for which the classifier abstained stands as ``(none: <type>)``.
Similarity = 1 - normalised Levenshtein distance (edits / length of the longer sequence): 1 for
identical sequences, 0 for sequences with nothing in the same place. The same is given for the
sequences of anchoring types.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from .data import Case
from .indicators import Indicator
from .narrative import Classified


@dataclass(frozen=True)
class CaseSummary:
    name: str
    categories: tuple[str, ...]
    types: tuple[str, ...]
    indicators: tuple[Indicator, ...]


def sequences(case: Case, classified: Mapping[str, Classified]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    index = {a.id: i for i, a in enumerate(case.activities)}
    acts = sorted(case.activities, key=lambda a: (a.order, index[a.id]))
    cats = tuple(classified[a.id].category or f"(none: {classified[a.id].anchoring})" for a in acts)
    types = tuple(classified[a.id].anchoring for a in acts)
    return cats, types


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """1 - Levenshtein distance / length of the longer sequence (1.0 for two empty sequences)."""
    if not a and not b:
        return 1.0
    return 1.0 - Levenshtein.distance(list(a), list(b)) / max(len(a), len(b))


def side_by_side(cases: Sequence[CaseSummary]) -> tuple[list[str], list[dict[str, str]]]:
    """One row per indicator, one column per case (plus each case's category sequence)."""
    names = [c.name for c in cases]
    order: list[str] = []
    for c in cases:
        for ind in c.indicators:
            if ind.name not in order:
                order.append(ind.name)
    rows = []
    for name in order:
        row = {"indicator": name}
        for c in cases:
            row[c.name] = next((i.value for i in c.indicators if i.name == name), "")
        rows.append(row)
    rows.append({"indicator": "category_sequence", **{c.name: " > ".join(c.categories) for c in cases}})
    rows.append({"indicator": "type_sequence", **{c.name: " > ".join(c.types) for c in cases}})
    return ["indicator", *names], rows


def pairwise(cases: Sequence[CaseSummary]) -> list[dict[str, str]]:
    rows = []
    for i, a in enumerate(cases):
        for b in cases[i + 1 :]:
            rows.append(
                {
                    "case_a": a.name,
                    "case_b": b.name,
                    "category_similarity": f"{similarity(a.categories, b.categories):.3f}",
                    "type_similarity": f"{similarity(a.types, b.types):.3f}",
                    "length_a": str(len(a.categories)),
                    "length_b": str(len(b.categories)),
                }
            )
    return rows
