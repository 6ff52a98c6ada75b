"""The pictures reviewers expect, drawn with matplotlib as SVG text."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator

matplotlib.rcParams["svg.hashsalt"] = "slr-report"  # stable ids: the same data gives the same page
matplotlib.rcParams["text.parse_math"] = False  # labels are data: "$" is a dollar sign, never mathtext

_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]


def _svg(fig: plt.Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return buf.getvalue()


def years_chart(series: Mapping[str, Sequence[int]], title: str, *, lines: bool = False) -> str:
    """Items per publication year for each named series: grouped bars, or one line per series
    (``lines``: stages shrink, so their lines nest)."""
    years = sorted({y for values in series.values() for y in values})
    fig, ax = plt.subplots(figsize=(9, 3.2))
    if not years:
        ax.text(0.5, 0.5, "no data yet", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return _svg(fig)
    span = list(range(years[0], years[-1] + 1)) if lines else years
    width = 0.8 / max(1, len(series))
    for i, (name, values) in enumerate(series.items()):
        counts = Counter(values)
        heights = [counts.get(y, 0) for y in span]
        label, color = f"{name} ({len(values)})", _COLORS[i % len(_COLORS)]
        if lines:
            ax.plot(span, heights, marker="o", markersize=3, label=label, color=color)
        else:
            xs = [y + (i - (len(series) - 1) / 2) * width for y in span]
            ax.bar(xs, heights, width=width, label=label, color=color)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("publication year")
    ax.set_ylabel("works")
    ax.legend(fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def overlap_chart(only_a: int, both: int, only_b: int, name_a: str, name_b: str) -> str:
    """One stacked bar: works found by one database only, by both, by the other only."""
    fig, ax = plt.subplots(figsize=(7, 1.6))
    parts = [(f"{name_a} only", only_a, _COLORS[0]), ("both", both, "#7f7f7f"), (f"{name_b} only", only_b, _COLORS[1])]
    left = 0
    for label, value, color in parts:
        ax.barh([0], [value], left=left, color=color, label=f"{label}: {value}")
        if value:
            ax.text(left + value / 2, 0, str(value), ha="center", va="center", color="white", fontsize=9)
        left += value
    ax.set_yticks([])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("works")
    ax.legend(fontsize=8, frameon=False, ncol=3, loc="upper center", bbox_to_anchor=(0.5, 1.6))
    ax.spines[["top", "right", "left"]].set_visible(False)
    return _svg(fig)
