"""Accuracy and confusion matrices of the classifier against gold labels in a case file.

A gold category left empty means "nothing in the taxonomy fits"; the classifier agrees only if it
abstains too. Only rows that carry a gold label count for that label.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .classify import Decision
from .data import CaseActivity

ABSTAIN = "(abstain)"


@dataclass(frozen=True)
class Score:
    label: str  # "anchoring" or "category"
    correct: int
    total: int
    confusion: dict[tuple[str, str], int]  # (gold, predicted) -> count

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else float("nan")


def evaluate(activities: Sequence[CaseActivity], decisions: Sequence[Decision]) -> list[Score]:
    """One Score for anchoring type (if any row has gold_anchoring) and one for category."""
    scores = []
    type_pairs = [
        (a.gold_anchoring, d.anchoring) for a, d in zip(activities, decisions, strict=True) if a.gold_anchoring
    ]
    if type_pairs:
        scores.append(_score("anchoring", type_pairs))
    has_category = any("gold_category" in a.row for a in activities)
    if has_category:
        cat_pairs = [
            (a.gold_category or ABSTAIN, d.category or ABSTAIN) for a, d in zip(activities, decisions, strict=True)
        ]
        scores.append(_score("category", cat_pairs))
    return scores


def _score(label: str, pairs: Sequence[tuple[str, str]]) -> Score:
    confusion: dict[tuple[str, str], int] = {}
    for gold, pred in pairs:
        confusion[(gold, pred)] = confusion.get((gold, pred), 0) + 1
    correct = sum(n for (g, p), n in confusion.items() if g == p)
    return Score(label, correct, len(pairs), confusion)


def confusion_table(score: Score) -> str:
    """Rows gold, columns predicted, as aligned text."""
    labels = sorted({g for g, _ in score.confusion} | {p for _, p in score.confusion}, key=lambda s: (s == ABSTAIN, s))
    corner = "gold \\ predicted"
    width = max(len(x) for x in [*labels, corner])
    short = [_short(lb) for lb in labels]
    col = max(4, *(len(s) for s in short))
    lines = [f"{corner:<{width}}  " + " ".join(f"{s:>{col}}" for s in short)]
    for g in labels:
        counts = [score.confusion.get((g, p), 0) for p in labels]
        if not any(counts):
            continue
        lines.append(f"{g:<{width}}  " + " ".join(f"{(str(n) if n else '.'):>{col}}" for n in counts))
    if any(s != lb for s, lb in zip(short, labels, strict=True)):
        lines.append("columns: " + "; ".join(f"{s} = {lb}" for s, lb in zip(short, labels, strict=True) if s != lb))
    return "\n".join(lines)


def _short(label: str) -> str:
    if len(label) <= 13:
        return label
    words = [w for w in label.replace("(", "").replace(")", "").split() if w.lower() not in ("and", "to", "of")]
    return "".join(w[0].upper() for w in words)


def report(scores: Sequence[Score], title: str = "") -> str:
    out = []
    for s in scores:
        head = f"{title}: " if title else ""
        out.append(f"{head}{s.label} accuracy {s.correct}/{s.total} ({100 * s.accuracy:.0f}%)")
        out.append(confusion_table(s))
    return "\n".join(out)
