"""Which works a screening stage covers: a search's works, or a seeded sample of them.

The pilot sample is drawn by ranking works on a keyed hash of (seed, work_id) and
taking the first ``size``: the same works, seed and size give the same sample on any
machine and in any row order. Once a pilot code file exists, the sample IS the coded
works (frozen): adding exports later changes the population, never the pilot.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from slr.errors import UsageError


def in_search(works: Iterable[Mapping[str, Any]], search: str | None) -> list[Mapping[str, Any]]:
    """The works a search found (all works when ``search`` is None)."""
    return [w for w in works if search is None or search in (w.get("searches") or [])]


def rank_key(seed: int, work_id: str) -> str:
    return hashlib.sha256(f"{seed}\x00{work_id}".encode()).hexdigest()


def draw_sample(works: Sequence[Mapping[str, Any]], size: int, seed: int) -> list[str]:
    """``size`` work_ids drawn reproducibly (all of them when there are fewer)."""
    if size < 1:
        raise UsageError(f"the sample size must be at least 1 (got {size})")
    ranked = sorted(works, key=lambda w: rank_key(seed, str(w["work_id"])))
    return [str(w["work_id"]) for w in ranked[:size]]


@dataclass
class StageSet:
    """The works of a stage and how they were chosen."""

    work_ids: list[str]
    how: str  # "search", "sample drawn", "sample frozen by codes"
    requested: int | None = None  # the sample size asked for


def stage_set(
    works: Sequence[Mapping[str, Any]],
    *,
    search: str | None = None,
    sample: int | None = None,
    seed: int | None = None,
    coded_ids: Iterable[str] = (),
) -> StageSet:
    """The works a stage screens. With ``sample``, the coded works when there are any
    (frozen), else a fresh draw from the search's works."""
    population = in_search(works, search)
    if sample is None:
        return StageSet([str(w["work_id"]) for w in population], "search")
    if seed is None:
        raise UsageError("a sample needs a seed (--seed) so that it can be drawn again")
    coded = sorted(set(coded_ids))
    if coded:
        return StageSet(coded, "sample frozen by codes", sample)
    return StageSet(draw_sample(population, sample, seed), "sample drawn", sample)
