"""Sequence indicators of a classified case (Section 6 of Sun et al. 2017, made measurable).

Definitions (also in docs/architecture.md):

- ``share_institutional``: institutional activities / all activities.
- ``first_physical_synergy``: the earliest activity (by order) classified as "Contributing to
  synergies" - the traditional physical anchoring of an anchor tenant. Ties: all of them.
- ``institutional_before_first_synergy`` / ``institutional_after_first_synergy``: institutional
  activities whose order is strictly earlier / strictly later than it (simultaneous ones are neither).
- ``institutional_preparation_precedes_synergy``: ``true`` when at least one institutional activity
  comes strictly before the first physical synergy and none strictly after it - the institutional
  groundwork is complete when physical synergies start (how Section 6 reads its case:
  "physical anchoring only comes into play when an institutional infrastructure has been put into
  place"); empty when the case has no synergy or no institutional activity.
- ``synergy_builds_on_institutional``: institutional activities among those the first physical
  synergy builds on, directly or through other activities (links.csv).
- ``funnel_spearman``: Spearman's rank correlation between order and jurisdictional level, over one
  observation per (activity, actor) pair; level is counted downwards (national < municipal <
  district < park < company), so a positive value means that later activities are performed at more
  local levels - the "funnel" of Section 6. ``funnel_spearman_institutional``: the same over
  institutional activities only. Empty when either variable is constant.
- ``actors_both_types``: actors who perform at least one physical and one institutional activity.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .classify import INSTITUTIONAL, PHYSICAL
from .data import Case

SYNERGY_CATEGORY = "Contributing to synergies"


@dataclass(frozen=True)
class Indicator:
    name: str
    value: str
    detail: str


def ranks(values: Sequence[float]) -> list[float]:
    """Ranks from 1, ties getting the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        mean_rank = (i + j) / 2.0 + 1.0
        for k in range(i, j + 1):
            out[order[k]] = mean_rank
        i = j + 1
    return out


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman's rho (Pearson correlation of the mid-ranks); None when undefined."""
    if len(x) != len(y) or len(x) < 2:
        return None
    rx, ry = ranks(x), ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = math.fsum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = math.fsum((a - mx) ** 2 for a in rx)
    syy = math.fsum((b - my) ** 2 for b in ry)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def ancestors(case: Case, activity_id: str) -> set[str]:
    """Every activity the given one builds on, directly or indirectly."""
    graph: dict[str, list[str]] = {}
    for link in case.links:
        graph.setdefault(link.source, []).append(link.target)
    seen: set[str] = set()
    stack = list(graph.get(activity_id, []))
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(graph.get(node, []))
    return seen


def indicators(case: Case, anchoring: Mapping[str, str], category: Mapping[str, str | None]) -> list[Indicator]:
    """All indicators of a case, given each activity's anchoring type and category (by id)."""
    acts = case.activities
    n = len(acts)
    inst = [a for a in acts if anchoring[a.id] == INSTITUTIONAL]
    out = [
        Indicator("activities", str(n), ""),
        Indicator("share_institutional", _fmt(len(inst) / n if n else None), f"{len(inst)} of {n}"),
    ]
    synergies = [a for a in acts if category.get(a.id) == SYNERGY_CATEGORY]
    if synergies:
        t0 = min(a.order for a in synergies)
        first = [a for a in synergies if a.order == t0]
        before = [a for a in inst if a.order < t0]
        after = [a for a in inst if a.order > t0]
        label = first[0].order_label
        out.append(Indicator("first_physical_synergy", "; ".join(a.id for a in first), f"order {label}"))
        out.append(Indicator("institutional_before_first_synergy", str(len(before)), _ids(before)))
        out.append(Indicator("institutional_after_first_synergy", str(len(after)), _ids(after)))
        if inst:
            value = "true" if before and not after else "false"
            detail = f"{len(before)} institutional before, {len(after)} after, order {label}"
        else:
            value, detail = "", "no institutional activity"
        out.append(Indicator("institutional_preparation_precedes_synergy", value, detail))
        built_on = set().union(*(ancestors(case, a.id) for a in first))
        inst_ids = {a.id for a in inst}
        prepared = [a for a in acts if a.id in built_on and a.id in inst_ids]
        out.append(Indicator("synergy_builds_on_institutional", str(len(prepared)), _ids(prepared)))
    else:
        for name in (
            "first_physical_synergy",
            "institutional_before_first_synergy",
            "institutional_after_first_synergy",
            "institutional_preparation_precedes_synergy",
            "synergy_builds_on_institutional",
        ):
            out.append(Indicator(name, "", "no activity classified as Contributing to synergies"))
    out.append(_funnel("funnel_spearman", case, acts))
    out.append(_funnel("funnel_spearman_institutional", case, inst))
    both = []
    for name in case.actors:
        kinds = {anchoring[a.id] for a in acts if name in a.actors}
        if {PHYSICAL, INSTITUTIONAL} <= kinds:
            both.append(name)
    out.append(Indicator("actors_both_types", str(len(both)), "; ".join(both)))
    return out


def _ids(acts: Sequence[object]) -> str:
    return "; ".join(getattr(a, "id", "") for a in acts)


def _funnel(name: str, case: Case, acts: Sequence) -> Indicator:
    x: list[float] = []
    y: list[float] = []
    for a in acts:
        for actor in a.actors:
            x.append(a.order)
            y.append(float(case.actors[actor].depth))
    rho = spearman(x, y)
    return Indicator(name, _fmt(rho), f"{len(x)} activity-actor pairs" + ("" if rho is not None else "; undefined"))
