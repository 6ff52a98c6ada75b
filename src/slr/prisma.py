"""PRISMA 2020 flow diagram drawn from the computed funnel (never from typed numbers).

The identification search (the refined one in the reproduced review) fills the
standard boxes: records per database, duplicates removed, records screened and
excluded with reasons, reports sought / not retrieved / assessed / excluded, and
studies included. The development search (broad) and the pilot sample are drawn in
a separate, dashed column as search development: they exclude nothing. A stage that
is pending is drawn as pending (grey, dashed, "n = pending"), never as 0.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from slr.funnel import Stage

DATABASE_LABELS = {"scopus": "Scopus", "wos": "Web of Science", "other": "other sources"}
REASON_LABELS = {
    "no_anchor_mention": "no mention of the search term",
    "unreadable": "PDF unreadable",
    "to_screen": "not yet screened",
}
INK = "#1a1a1a"
PENDING_INK = "#8a8a8a"


@dataclass
class Box:
    text: str
    pending: bool = False


def n(count: int | None) -> str:
    return "pending" if count is None else f"{count:,}"


def _label(key: str, labels: Mapping[str, str]) -> str:
    if key in labels:
        return labels[key]
    if key in REASON_LABELS:
        return REASON_LABELS[key]
    if key.startswith("not ") and key[4:] in labels:
        return "not " + labels[key[4:]]
    return key.replace("_", " ")


def _reason_lines(reasons: Mapping[str, int], labels: Mapping[str, str], skip: Sequence[str] = ()) -> list[str]:
    return [f"  {_label(k, labels)} (n = {v:,})" for k, v in reasons.items() if k not in skip]


def boxes(
    stages: Sequence[Stage],
    *,
    identification: str,
    development: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> dict[str, Box]:
    """The text of every box, keyed by position name."""
    labels = dict(labels or {})
    by = {s.name: s for s in stages}

    def get(name: str) -> Stage:
        return by.get(name) or Stage(name, None)

    def identified(search: str) -> tuple[list[str], int | None]:
        rows = [s for s in stages if s.name.startswith(f"identified_{search}_")]
        if not rows or any(s.count is None for s in rows):
            return ["  (n = pending)"], None
        lines = [
            f"  {DATABASE_LABELS.get(s.name.rsplit('_', 1)[1], s.name.rsplit('_', 1)[1])} (n = {n(s.count)})"
            for s in rows
        ]
        return lines, sum(s.count or 0 for s in rows)

    out: dict[str, Box] = {}
    id_lines, id_total = identified(identification)
    unique = get(f"{identification}_unique")
    out["identified"] = Box("Records identified from databases\n" + "\n".join(id_lines), id_total is None)
    dup = None if id_total is None or unique.count is None else id_total - unique.count
    out["duplicates"] = Box(f"Records removed before screening:\n  duplicate records (n = {n(dup)})", dup is None)

    screened = get("screened_included")
    out["screened"] = Box(f"Records screened\n(n = {n(unique.count)})", unique.count is None)
    excluded_n = None if unique.count is None or screened.count is None else unique.count - screened.count
    excluded_reasons = {k: v for k, v in screened.reasons.items()}
    out["excluded"] = Box(
        "\n".join([f"Records excluded (n = {n(excluded_n)})", *_reason_lines(excluded_reasons, labels)]),
        excluded_n is None,
    )

    out["sought"] = Box(f"Reports sought for retrieval\n(n = {n(screened.count)})", screened.count is None)
    not_retrieved = get("fulltext_not_retrieved")
    out["not_retrieved"] = Box(
        "\n".join(
            [f"Reports not retrieved (n = {n(not_retrieved.count)})", *_reason_lines(not_retrieved.reasons, labels)]
        ),
        not_retrieved.count is None,
    )
    retrieved = get("fulltext_retrieved")
    extra = _reason_lines(retrieved.reasons, labels)
    out["assessed"] = Box(
        "\n".join(
            [
                f"Reports assessed for eligibility\n(n = {n(retrieved.count)})",
                *(["not counted:", *extra] if extra else []),
            ]
        ),
        retrieved.count is None,
    )
    anchor = get("anchor_included")
    unreadable = get("fulltext_unreadable")
    no_mention = anchor.reasons.get("no_anchor_mention")
    assessed_excluded = None if retrieved.count is None or anchor.count is None else retrieved.count - anchor.count
    out["assessed_excluded"] = Box(
        "\n".join(
            [
                f"Reports excluded (n = {n(assessed_excluded)})",
                f"  {_label('no_anchor_mention', labels)} (n = {n(no_mention if anchor.count is not None else None)})",
                f"  {_label('unreadable', labels)} (n = {n(unreadable.count)})",
            ]
        ),
        assessed_excluded is None,
    )
    coded = get("coded")
    out["included"] = Box(
        f"Studies included in review\n(n = {n(anchor.count)})\nof which coded (n = {n(coded.count)})",
        anchor.count is None,
    )

    if development:
        dev_lines, _ = identified(development)
        dev_unique = get(f"{development}_unique")
        out["development"] = Box(
            "\n".join(
                [
                    f"Search development: {development} search",
                    "Records identified",
                    *dev_lines,
                    f"Unique records (n = {n(dev_unique.count)})",
                ]
            ),
            dev_unique.count is None,
        )
        pilot = get("pilot_sample")
        out["pilot"] = Box(
            f"Pilot: random sample coded\nto refine the search strings\n(n = {n(pilot.count)}; excludes nothing)",
            pilot.count is None,
        )
    return out


def draw(
    stages: Sequence[Stage],
    svg: str | Path,
    png: str | Path | None = None,
    *,
    identification: str,
    development: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> dict[str, Box]:
    """Draw the diagram to ``svg`` (text kept as text, so it is searchable) and ``png``."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    matplotlib.rcParams["text.parse_math"] = False  # labels come from the config: "$" is a dollar, never mathtext
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    content = boxes(stages, identification=identification, development=development, labels=labels)
    has_dev = "development" in content
    width = 14.6 if has_dev else 10.6
    fig = Figure(figsize=(width, 11.3))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(1.2, 12.5)
    ax.axis("off")

    x_dev, x_main, x_side = 0.75, (4.8 if has_dev else 0.8), (9.8 if has_dev else 5.8)
    w_main, w_side, w_dev = 4.2, 4.6, 3.6
    rows = {"identification": 10.6, "screening": 8.4, "sought": 6.4, "assessed": 4.4, "included": 2.4}
    heights = {"identification": 1.5, "screening": 1.7, "sought": 1.4, "assessed": 1.6, "included": 1.3}

    def box(x: float, y: float, w: float, h: float, b: Box, *, dashed: bool = False, fill: str = "white") -> None:
        pending = b.pending
        edge = PENDING_INK if pending else INK
        patch = FancyBboxPatch(
            (x, y - h / 2),
            w,
            h,
            boxstyle="round,pad=0.02,rounding_size=0.08",
            linewidth=1.2,
            edgecolor=edge,
            facecolor="#f2f2f2" if pending else fill,
            linestyle="--" if (dashed or pending) else "-",
        )
        ax.add_patch(patch)
        ax.text(x + 0.15, y, b.text, ha="left", va="center", fontsize=9.5, color=edge, family="DejaVu Sans")

    def arrow(x1: float, y1: float, x2: float, y2: float, dashed: bool = False) -> None:
        ax.add_patch(
            FancyArrowPatch(
                (x1, y1),
                (x2, y2),
                arrowstyle="-|>",
                mutation_scale=12,
                color=INK,
                linewidth=1.1,
                linestyle="--" if dashed else "-",
            )
        )

    # Title band and stage labels
    ax.add_patch(
        FancyBboxPatch(
            (x_main, 11.9),
            x_side + w_side - x_main,
            0.45,
            boxstyle="round,pad=0.02",
            facecolor="#dfe9f5",
            edgecolor=INK,
            linewidth=1,
        )
    )
    ax.text(
        (x_main + x_side + w_side) / 2,
        12.12,
        "Identification of studies via databases and registers",
        ha="center",
        va="center",
        fontsize=11,
        weight="bold",
        color=INK,
    )
    for label, (top, bottom) in {
        "Identification": (11.6, 9.6),
        "Screening": (9.4, 3.45),
        "Included": (3.2, 1.6),
    }.items():
        lx = 0.15
        ax.add_patch(
            FancyBboxPatch(
                (lx, bottom),
                0.35,
                top - bottom,
                boxstyle="round,pad=0.02",
                facecolor="#dfe9f5",
                edgecolor=INK,
                linewidth=1,
            )
        )
        ax.text(
            lx + 0.175,
            (top + bottom) / 2,
            label,
            rotation=90,
            ha="center",
            va="center",
            fontsize=10,
            weight="bold",
            color=INK,
        )

    main = [
        ("identification", "identified"),
        ("screening", "screened"),
        ("sought", "sought"),
        ("assessed", "assessed"),
        ("included", "included"),
    ]
    side = {
        "identification": "duplicates",
        "screening": "excluded",
        "sought": "not_retrieved",
        "assessed": "assessed_excluded",
    }
    for row, key in main:
        box(x_main, rows[row], w_main, heights[row], content[key])
        if row in side:
            side_h = max(heights[row], 0.35 * (content[side[row]].text.count("\n") + 1) + 0.3)
            box(x_side, rows[row], w_side, side_h, content[side[row]])
            arrow(x_main + w_main, rows[row], x_side, rows[row])
    order = [r for r, _ in main]
    for upper, lower in itertools.pairwise(order):
        arrow(
            x_main + w_main / 2, rows[upper] - heights[upper] / 2, x_main + w_main / 2, rows[lower] + heights[lower] / 2
        )

    if has_dev:
        dev_h = 0.33 * (content["development"].text.count("\n") + 1) + 0.3
        box(x_dev, rows["identification"], w_dev, dev_h, content["development"], dashed=True, fill="#fbfbf4")
        box(x_dev, rows["screening"], w_dev, 1.3, content["pilot"], dashed=True, fill="#fbfbf4")
        arrow(
            x_dev + w_dev / 2,
            rows["identification"] - dev_h / 2,
            x_dev + w_dev / 2,
            rows["screening"] + 0.65,
            dashed=True,
        )
        arrow(x_dev + w_dev, rows["screening"] + 0.3, x_main, rows["identification"] - 0.45, dashed=True)
        ax.text(
            x_dev + w_dev / 2,
            rows["screening"] - 1.05,
            "search development,\nnot exclusions",
            ha="center",
            va="top",
            fontsize=9,
            style="italic",
            color=PENDING_INK,
        )

    meta = {"Date": None}
    import matplotlib as mpl

    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "slr-prisma"}):
        fig.savefig(svg, format="svg", metadata=meta)
    if png is not None:
        fig.savefig(png, format="png", dpi=150, metadata={"Software": None})
    return content
