"""Pilot keyword help: which words separate the relevant pilot abstracts from the rest.

After coding the pilot the authors read the abstracts to find terms for a more
specific search. This ranks candidate terms (words and two-word phrases of title,
abstract and keywords) by the log-odds ratio with an informative Dirichlet prior
(Monroe, Colaresi & Quinn 2008): the prior is the term's share in all works of the
pilot's search, so frequent words are not favoured by chance and rare ones are
shrunk towards zero. ``z`` > 0 favours the relevant works (terms to add with AND),
``z`` < 0 the irrelevant ones (candidates to exclude).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from slr import stopwords
from slr.records import fold

KEYWORD_COLUMNS = (
    "term",
    "favours",
    "z",
    "log_odds",
    "relevant_count",
    "irrelevant_count",
    "relevant_docs",
    "irrelevant_docs",
    "search_docs",
)


def work_text(work: Mapping[str, Any]) -> str:
    return " ".join(str(work.get(f) or "") for f in ("title", "abstract", "keywords"))


def terms(text: str) -> list[str]:
    """Words (3+ letters, not stop words, not numbers) and two-word phrases of adjacent ones."""
    words = fold(text).split()
    out: list[str] = []
    previous: str | None = None
    for word in words:
        keep = len(word) >= 3 and not word.isdigit() and word not in stopwords.ENGLISH
        if keep:
            out.append(word)
            if previous is not None:
                out.append(f"{previous} {word}")
        previous = word if keep else None
    return out


@dataclass
class Term:
    term: str
    z: float
    log_odds: float
    relevant_count: int
    irrelevant_count: int
    relevant_docs: int
    irrelevant_docs: int
    search_docs: int

    def row(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "favours": "relevant" if self.z > 0 else "irrelevant",
            "z": f"{self.z:.3f}",
            "log_odds": f"{self.log_odds:.4f}",
            "relevant_count": self.relevant_count,
            "irrelevant_count": self.irrelevant_count,
            "relevant_docs": self.relevant_docs,
            "irrelevant_docs": self.irrelevant_docs,
            "search_docs": self.search_docs,
        }


def _count(texts: Iterable[str]) -> tuple[Counter[str], Counter[str]]:
    tf: Counter[str] = Counter()
    df: Counter[str] = Counter()
    for text in texts:
        ts = terms(text)
        tf.update(ts)
        df.update(set(ts))
    return tf, df


def log_odds(
    relevant: Sequence[str],
    irrelevant: Sequence[str],
    background: Sequence[str],
    *,
    prior_weight: float | None = None,
    min_docs: int = 2,
) -> list[Term]:
    """Terms by z-score of the log-odds ratio (relevant vs irrelevant), highest first.

    ``background`` are the other texts of the pilot's search (not the pilot's own); the
    prior is estimated from them and the pilot texts together.

    ``prior_weight`` (alpha_0) is the prior's worth in tokens; by default as many as
    the pilot texts hold. Only terms in at least ``min_docs`` pilot texts are scored.
    """
    tf_i, df_i = _count(relevant)
    tf_j, df_j = _count(irrelevant)
    tf_bg, df_bg = _count([*background, *relevant, *irrelevant])
    n_i, n_j = sum(tf_i.values()), sum(tf_j.values())
    bg_total = sum(tf_bg.values())
    if not bg_total or not (n_i and n_j):
        return []
    a0 = float(prior_weight) if prior_weight else float(n_i + n_j)
    out: list[Term] = []
    for term in sorted(set(tf_i) | set(tf_j)):
        if df_i[term] + df_j[term] < min_docs:
            continue
        alpha = a0 * tf_bg[term] / bg_total
        yi, yj = tf_i[term], tf_j[term]
        delta = math.log((yi + alpha) / (n_i + a0 - yi - alpha)) - math.log((yj + alpha) / (n_j + a0 - yj - alpha))
        variance = 1.0 / (yi + alpha) + 1.0 / (yj + alpha)
        out.append(Term(term, delta / math.sqrt(variance), delta, yi, yj, df_i[term], df_j[term], df_bg[term]))
    out.sort(key=lambda t: (-t.z, t.term))
    return out


def top_terms(scored: Sequence[Term], top: int) -> list[Term]:
    """The ``top`` terms favouring each side (all when ``top`` is 0)."""
    if top <= 0 or len(scored) <= 2 * top:
        return list(scored)
    positive = [t for t in scored if t.z > 0][:top]
    negative = [t for t in reversed(scored) if t.z < 0][:top]
    return positive + list(reversed(negative))
