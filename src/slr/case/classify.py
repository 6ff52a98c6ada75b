"""Classify a case's activities against the literature's taxonomy of anchoring activities.

Method (deterministic; every decision shows its evidence):

1. Each taxonomy activity of the codebook becomes a small weighted bag of features (stems and pairs
   of neighbouring stems, see ``tokens``): its name and aliases and its terms (weight 2; the single
   words of a multi-word term count half), its description (weight 1) and its category's name and
   description (weight 0.5). Each anchoring type becomes one more bag, from the type's description:
   the catch-all "this is physical (institutional) anchoring, but none of the listed activities".
2. A case activity (its label and description) is scored against every bag with Okapi BM25, the
   inverse document frequency taken over the bags: a word many activities share ("support") counts
   little, a word that marks one activity ("pipeline") counts much.
3. Coded literature segments, when given, are bags of their own; an activity's segment score is
   the best score among its segments, added with weight ``segment_weight``.
4. The best activity gives the taxonomy activity, its category and its type. The category is left
   empty (abstain) when a type's own description scores higher than every listed activity (the text
   is about anchoring of that type, but about something the taxonomy does not list, e.g. finance)
   or when the best activity scores below ``min_score`` (too little evidence for any).
5. The type is always given. On abstention it is the type whose best bag (activities and type
   description together) scores higher; with no evidence at all it is institutional, because
   physical anchoring is recognised by material content (flows, land, facilities) and an activity
   without any is organisational.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from slr.codebook import Activity, Codebook
from slr.errors import InputError

from .data import CaseActivity
from .segments import Segment
from .tokens import features, phrase_features, surfaces

INSTITUTIONAL = "institutional"
PHYSICAL = "physical"


@dataclass(frozen=True)
class Settings:
    """The classifier's knobs (documented in docs/architecture.md)."""

    k1: float = 1.2  # BM25 term-frequency saturation
    b: float = 0.5  # BM25 length normalisation
    name_weight: float = 2.0
    term_weight: float = 2.0
    part_weight: float = 0.5  # single words of a multi-word term, relative to the term
    description_weight: float = 1.0
    category_weight: float = 0.5
    type_weight: float = 1.0
    segment_weight: float = 0.5  # literature segments refine; the codebook leads
    min_score: float = 2.0  # below this the best activity is not evidence enough: abstain
    evidence_terms: int = 6


@dataclass
class Bag:
    """Something a case activity is matched with: a taxonomy activity, a type, or a literature segment."""

    key: str
    type: str
    activity: Activity | None
    counts: dict[str, float]
    label: str
    length: float = 0.0

    def __post_init__(self) -> None:
        self.length = float(sum(self.counts.values()))


@dataclass(frozen=True)
class Match:
    bag: Bag
    score: float
    contributions: tuple[tuple[str, float], ...]  # (feature, share of the score), largest first


@dataclass(frozen=True)
class Decision:
    """The classification of one case activity, and what decided it."""

    taxonomy_activity: str | None
    category: str | None
    anchoring: str
    anchoring_basis: str
    score: float
    runner_up: str | None
    runner_up_score: float
    evidence: str
    scores: dict[str, float] = field(default_factory=dict, repr=False, compare=False)


class _Index:
    """Okapi BM25 over a fixed set of bags."""

    def __init__(self, bags: Sequence[Bag], settings: Settings, background: Sequence[Bag] = ()) -> None:
        self.bags = list(bags)
        self.s = settings
        # Document frequencies over the bags and any background bags (segments are weighed against
        # the codebook too, so that a word only one segment uses still counts as telling).
        corpus = [*self.bags, *background]
        n = len(corpus)
        df: Counter[str] = Counter()
        for bag in corpus:
            df.update(bag.counts.keys())
        self.idf = {f: math.log(1.0 + (n - d + 0.5) / (d + 0.5)) for f, d in df.items()}
        self.avg = sum(b.length for b in self.bags) / len(self.bags) if self.bags else 1.0

    def match(self, query: Counter[str]) -> list[Match]:
        out = []
        k1, b = self.s.k1, self.s.b
        for bag in self.bags:
            norm = k1 * (1.0 - b + b * bag.length / self.avg)
            parts = []
            for feat, qn in sorted(query.items()):
                tf = bag.counts.get(feat)
                if not tf:
                    continue
                value = (1.0 + math.log(qn)) * self.idf[feat] * tf * (k1 + 1.0) / (tf + norm)
                parts.append((feat, value))
            parts.sort(key=lambda p: (-p[1], p[0]))
            out.append(Match(bag, math.fsum(v for _, v in parts), tuple(parts)))
        return out


def _add(counts: dict[str, float], feats: Iterable[tuple[str, float]], weight: float) -> None:
    for f, factor in feats:
        counts[f] = counts.get(f, 0.0) + weight * factor


def _text_feats(text: str) -> list[tuple[str, float]]:
    return [(f, float(n)) for f, n in features(text).items()]


def activity_bag(act: Activity, book: Codebook, s: Settings) -> Bag:
    counts: dict[str, float] = {}
    for name in (act.name, *act.aliases):
        _add(counts, phrase_features(name, s.part_weight), s.name_weight)
    for term in act.terms:
        _add(counts, phrase_features(term, s.part_weight), s.term_weight)
    _add(counts, _text_feats(act.description), s.description_weight)
    _add(counts, phrase_features(act.category, s.part_weight), s.category_weight)
    _add(counts, _text_feats(book.categories[act.category].get("description", "")), s.category_weight)
    return Bag(act.name, act.type, act, counts, act.name)


def type_bag(type_key: str, book: Codebook, s: Settings) -> Bag:
    info = book.types[type_key]
    counts: dict[str, float] = {}
    _add(counts, _text_feats(info.get("description", "")), s.type_weight)
    label = info.get("label", type_key)
    return Bag(f"type:{type_key}", type_key, None, counts, f"{label} (no listed activity)")


class Classifier:
    """Built once from a codebook (and optional literature segments); then ``classify(text)``."""

    def __init__(self, book: Codebook, segments: Sequence[Segment] = (), settings: Settings | None = None) -> None:
        self.book = book
        self.s = settings or Settings()
        bags = [activity_bag(a, book, self.s) for a in book.activities]
        bags += [type_bag(t, book, self.s) for t in book.types]
        self.index = _Index(bags, self.s)
        by_name = {a.name: a for a in book.activities}
        self.segments = list(segments)
        seg_bags = [
            Bag(f"segment:{i}", by_name[seg.activity].type, by_name[seg.activity],
                {f: float(n) for f, n in features(seg.text).items()}, seg.activity)
            for i, seg in enumerate(self.segments)
        ]  # fmt: skip
        self.segment_index = _Index(seg_bags, self.s, background=bags) if seg_bags else None

    def classify(self, text: str) -> Decision:
        query = features(text)
        words = surfaces(text)
        matches = self.index.match(query)
        total = {m.bag.key: m.score for m in matches}
        seg_best: dict[str, Match] = {}
        if self.segment_index is not None:
            for m in self.segment_index.match(query):
                name = m.bag.label
                if m.score > 0 and (name not in seg_best or m.score > seg_best[name].score):
                    seg_best[name] = m
            for name, m in seg_best.items():
                total[name] += self.s.segment_weight * m.score
        ranked = sorted(matches, key=lambda m: (-total[m.bag.key], m.bag.key))
        best = ranked[0]
        best_act = next(m for m in ranked if m.bag.activity is not None)
        runner_act = next((m for m in ranked if m.bag.activity is not None and m is not best_act), None)
        scores = {k: round(v, 3) for k, v in total.items()}

        def show(m: Match) -> str:
            return self._evidence(m, seg_best.get(m.bag.key), words)

        if best is best_act and total[best.bag.key] >= self.s.min_score:
            act = best_act.bag.activity
            assert act is not None
            return Decision(
                act.name, act.category, act.type, "type of the best-matching activity",
                round(total[best.bag.key], 3),
                runner_act.bag.label if runner_act and total[runner_act.bag.key] > 0 else None,
                round(total[runner_act.bag.key], 3) if runner_act else 0.0,
                show(best), scores,
            )  # fmt: skip

        # Abstain on the category; the type is still decided.
        if best.bag.activity is None:
            why = f"abstained: the {best.bag.type} type description fits better than any listed activity"
        else:
            why = f"abstained: best activity scores {total[best.bag.key]:.2f}, below {self.s.min_score:g}"
        top_by_type = {t: next((m for m in ranked if m.bag.type == t), None) for t in self.book.types}
        candidates = [m for m in top_by_type.values() if m is not None and total[m.bag.key] > 0]
        if not candidates:
            anchoring = INSTITUTIONAL
            basis = "no evidence of material flows, land or facilities: institutional by default"
            evidence = why
        else:
            top = min(candidates, key=lambda m: (-total[m.bag.key], m.bag.key))
            anchoring = top.bag.type
            basis = f"category abstained; type of the best {anchoring} match ({top.bag.label})"
            evidence = f"{why}; {show(top)}"
        return Decision(
            None, None, anchoring, basis, round(total[best.bag.key], 3),
            best_act.bag.label if total[best_act.bag.key] > 0 else None,
            round(total[best_act.bag.key], 3),
            evidence, scores,
        )  # fmt: skip

    def _evidence(self, match: Match, seg: Match | None, words: dict[str, str]) -> str:
        shown = [
            f"{' '.join(words.get(p, p) for p in feat.split(' '))} ({value:.2f})"
            for feat, value in match.contributions[: self.s.evidence_terms]
        ]
        text = f"{match.bag.label}: {', '.join(shown)}" if shown else f"{match.bag.label}: no matching words"
        if seg is not None:
            s = self.segments[int(seg.bag.key.split(":")[1])]
            where = ", ".join(x for x in (s.study, f"p. {s.page}" if s.page else None) if x) or "segment"
            snippet = " ".join(s.text.split()[:12])
            text += f'; literature segment ({where}, {seg.score * self.s.segment_weight:.2f}): "{snippet} ..."'
        return text


# ------------------------------------------------------------------ a whole activities file

CLASSIFIED_COLUMNS = (
    "taxonomy_activity",
    "category",
    "anchoring",
    "anchoring_basis",
    "score",
    "runner_up",
    "runner_up_score",
    "evidence",
)


def check_gold(activities: Sequence[CaseActivity], book: Codebook, path: str | Path) -> None:
    """A gold category must be one of the codebook's categories (or empty, for "none fits")."""
    names = book.category_names()
    for a in activities:
        if a.gold_category and a.gold_category not in names:
            raise InputError(
                path,
                f"gold_category {a.gold_category!r} of activity {a.id} is not a category of the codebook",
                f"use one of: {', '.join(names)}; or leave it empty when none fits",
                line=a.line,
            )


def classify_activities(activities: Sequence[CaseActivity], clf: Classifier) -> list[Decision]:
    return [clf.classify(a.text) for a in activities]


def classified_rows(
    header: Sequence[str], activities: Sequence[CaseActivity], decisions: Sequence[Decision]
) -> tuple[list[str], list[dict[str, str]]]:
    """The input columns, unchanged, followed by the classifier's columns."""
    columns = [c for c in header if c not in CLASSIFIED_COLUMNS] + list(CLASSIFIED_COLUMNS)
    rows = []
    for a, d in zip(activities, decisions, strict=True):
        row = {c: a.row.get(c) or "" for c in header}
        row.update(
            taxonomy_activity=d.taxonomy_activity or "",
            category=d.category or "",
            anchoring=d.anchoring,
            anchoring_basis=d.anchoring_basis,
            score=f"{d.score:.3f}",
            runner_up=d.runner_up or "",
            runner_up_score=f"{d.runner_up_score:.3f}",
            evidence=d.evidence,
        )
        rows.append(row)
    return columns, rows
