"""The narrative table (Table 5) and narrative graph (Figure 3) of a classified case.

Graph layout: one column per distinct order value, left to right; one lane per actor, ordered by
jurisdictional level from top (widest) to bottom (most local), then by first appearance. An
activity performed by several actors appears in each of their lanes (one node per activity-lane,
the nodes joined by a dashed line), so that every lane shows all an actor does. Activities of one
actor at the same order are stacked inside the lane. Each link is drawn once, as an arrow from the
later activity back to the earlier one it builds on, between the two nodes whose lanes are closest.
Nodes are coloured by anchoring type. SVG elements carry ids (``node-<activity>-<lane>``,
``link-<from>-<to>``) so that the drawing can be checked and styled.
"""

from __future__ import annotations

import html
import io
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from slr.coding.render import md_escape
from slr.errors import InputError
from slr.spreadsheet import csv_text

from .data import ANCHORING_TYPES, Case, CaseActivity, read_rows

if TYPE_CHECKING:  # matplotlib is imported only when a graph is drawn: it is slow to load
    from matplotlib.figure import Figure

COLOURS = {"physical": "#D55E00", "institutional": "#0072B2"}  # colour-blind safe pair
NODE_RADIUS_PT = 10.0
TABLE5_COLUMNS = ("phase", "id", "order", "activity", "actors", "anchoring", "category", "taxonomy_activity")


@dataclass(frozen=True)
class Classified:
    """What the narrative needs from classified.csv, per activity id."""

    anchoring: str
    category: str | None
    taxonomy_activity: str | None


def load_classified(path: str | Path, case: Case) -> dict[str, Classified]:
    """classified.csv (from ``slr case classify``) for the activities of ``case``, by id."""
    p = Path(path)
    _, rows = read_rows(p, ("id", "anchoring", "category"))
    out: dict[str, Classified] = {}
    known = {a.id for a in case.activities}
    for row in rows:
        c = row.cells
        act_id = c.get("id")
        if act_id not in known:
            raise InputError(
                p, f"activity {act_id!r} is not in {case.name}'s activities.csv",
                "classify this case's own activities.csv", line=row.line,
            )  # fmt: skip
        if act_id in out:
            raise InputError(p, f"activity {act_id!r} appears twice", "classify the case again", line=row.line)
        kind = c.get("anchoring")
        if kind not in ANCHORING_TYPES:
            raise InputError(
                p, f"anchoring {kind!r} of activity {act_id} is not physical or institutional",
                "classify the case again", line=row.line,
            )  # fmt: skip
        out[act_id] = Classified(kind, c.get("category"), c.get("taxonomy_activity"))
    missing = [a.id for a in case.activities if a.id not in out]
    if missing:
        raise InputError(
            p, f"no classification for activit{'y' if len(missing) == 1 else 'ies'} {', '.join(missing)}",
            "classify the case's current activities.csv again", line=1,
        )  # fmt: skip
    return out


# ------------------------------------------------------------------ Table 5


def table5_rows(case: Case, classified: Mapping[str, Classified]) -> list[dict[str, str]]:
    rows = []
    for a in sorted(case.activities, key=_position(case)):
        c = classified[a.id]
        rows.append(
            {
                "phase": a.phase or "",
                "id": a.id,
                "order": a.order_label,
                "activity": a.activity,
                "actors": "; ".join(a.actors),
                "anchoring": c.anchoring,
                "category": c.category or "",
                "taxonomy_activity": c.taxonomy_activity or "",
            }
        )
    return rows


def _position(case: Case) -> Callable[[CaseActivity], tuple[float, int]]:
    """Sort key: by order, then as listed in activities.csv."""
    index = {a.id: i for i, a in enumerate(case.activities)}
    return lambda a: (a.order, index[a.id])


def table5_csv(rows: Sequence[Mapping[str, str]]) -> str:
    """Formula-safe (``slr.spreadsheet``): the table is opened in spreadsheets."""
    return csv_text(TABLE5_COLUMNS, rows)


_HEADERS = ("Phase", "Id", "Order", "Activity", "Actor(s)", "Anchoring", "Category", "Taxonomy activity")


def _display(rows: Sequence[Mapping[str, str]]) -> list[list[str]]:
    """Rows for reading: the phase named once at the start of its run, as in the paper."""
    out, last = [], None
    for r in rows:
        phase = r["phase"] if r["phase"] != last else ""
        last = r["phase"]
        out.append([phase, *(r[c] for c in TABLE5_COLUMNS[1:])])
    return out


def table5_markdown(rows: Sequence[Mapping[str, str]], title: str) -> str:
    """Escaped as the review tables' Markdown (``coding.render.md_escape``): ``|``, ``<``, ``*``, ... stay text."""
    lines = [f"**{md_escape(title)}**", "", "| " + " | ".join(_HEADERS) + " |", "|" + "---|" * len(_HEADERS)]
    lines += ["| " + " | ".join(md_escape(v) for v in r) + " |" for r in _display(rows)]
    return "\n".join(lines) + "\n"


def table5_html(rows: Sequence[Mapping[str, str]], title: str) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in _HEADERS)
    body = []
    for r, raw in zip(_display(rows), rows, strict=True):
        cells = "".join(f"<td>{html.escape(v)}</td>" for v in r)
        body.append(f'<tr class="{html.escape(raw["anchoring"])}">{cells}</tr>')
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>'
        f"{html.escape(title)}</title>\n<style>table{{border-collapse:collapse;font-family:sans-serif;font-size:13px}}"
        "th,td{border-bottom:1px solid #ccc;padding:3px 8px;text-align:left}"
        f"tr.physical td:nth-child(6){{color:{COLOURS['physical']}}}"
        f"tr.institutional td:nth-child(6){{color:{COLOURS['institutional']}}}</style></head>\n<body>\n"
        f"<table>\n<caption>{html.escape(title)}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody>\n</table>\n</body></html>\n"
    )


# ------------------------------------------------------------------ the narrative graph


@dataclass(frozen=True)
class Node:
    activity: CaseActivity
    lane: int
    x: float
    y: float


def lanes(case: Case) -> list[str]:
    """Actors that perform an activity, top to bottom: by level, then first appearance, then name."""
    first: dict[str, tuple[float, int]] = {}
    for i, a in enumerate(case.activities):
        for name in a.actors:
            first.setdefault(name, (a.order, i))
    return sorted(first, key=lambda n: (case.actors[n].depth, first[n], n))


def layout(case: Case) -> tuple[list[Node], list[str], list[float], dict[int, tuple[float, float]]]:
    """Nodes, lane names, column order values, and each lane's (top, bottom) y extent."""
    lane_names = lanes(case)
    lane_of = {n: i for i, n in enumerate(lane_names)}
    columns = sorted({a.order for a in case.activities})
    col_of = {o: i for i, o in enumerate(columns)}
    cells: dict[tuple[int, int], list[CaseActivity]] = {}
    for a in sorted(case.activities, key=_position(case)):
        for name in a.actors:
            cells.setdefault((lane_of[name], col_of[a.order]), []).append(a)
    depth = {i: max([len(v) for (ln, _), v in cells.items() if ln == i] or [1]) for i in range(len(lane_names))}
    extent: dict[int, tuple[float, float]] = {}
    y = 0.0
    for i in range(len(lane_names)):
        extent[i] = (y, y - depth[i])
        y -= depth[i]
    nodes = []
    for (ln, col), acts in sorted(cells.items()):
        top = extent[ln][0]
        for k, a in enumerate(acts):
            nodes.append(Node(a, ln, float(col), top - 0.5 - k))
    return nodes, lane_names, columns, extent


def draw(case: Case, classified: Mapping[str, Classified], title: str) -> Figure:
    import matplotlib as mpl
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch, Patch
    from matplotlib.transforms import offset_copy

    mpl.rcParams["text.parse_math"] = False  # names and titles are data: "$" is a dollar sign, never mathtext
    nodes, lane_names, columns, extent = layout(case)
    height = -min(b for _, b in extent.values()) if extent else 1.0
    fig = Figure(figsize=(2.2 + 1.35 * len(columns), 1.2 + 1.05 * height))
    ax = fig.add_axes((0.2, 0.1, 0.78, 0.82))
    ax.set_xlim(-0.6, len(columns) - 0.4)
    ax.set_ylim(-height, 0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(range(len(columns)))
    labels: dict[float, str] = {}
    for a in case.activities:
        labels.setdefault(a.order, a.order_label)
    ax.set_xticklabels([labels[c] for c in columns])
    ax.tick_params(axis="x", length=0)
    ax.set_yticks([(t + b) / 2 for t, b in extent.values()])
    ax.set_yticklabels([f"{n}\n({case.actors[n].level})" for n in lane_names], fontsize=8)
    ax.tick_params(axis="y", length=0)
    for i, (_top, bottom) in extent.items():
        if i < len(lane_names) - 1:
            ax.axhline(bottom, color="#bbbbbb", lw=0.6, ls=":")
    ax.set_title(title, fontsize=10)
    by_act: dict[str, list[Node]] = {}
    for nd in nodes:
        by_act.setdefault(nd.activity.id, []).append(nd)
    beside = offset_copy(ax.transData, fig=fig, x=-(NODE_RADIUS_PT + 3), units="points")
    for group in by_act.values():
        if len(group) > 1:
            ys = [g.y for g in group]
            ax.add_line(
                Line2D([group[0].x] * 2, [min(ys), max(ys)], color="#777777", lw=1, ls="--", zorder=1, transform=beside)
            )
    for nd in nodes:
        kind = classified[nd.activity.id].anchoring
        ax.scatter([nd.x], [nd.y], s=(2 * NODE_RADIUS_PT) ** 2, c=COLOURS.get(kind, "#999999"), edgecolors="black",
                   linewidths=0.6, zorder=3, gid=f"node-{nd.activity.id}-{nd.lane}")  # fmt: skip
        ax.text(nd.x, nd.y, nd.activity.id, ha="center", va="center", color="white", fontsize=8, zorder=4,
                fontweight="bold")  # fmt: skip
        short = textwrap.shorten(nd.activity.activity, width=34, placeholder="...")
        ax.annotate("\n".join(textwrap.wrap(short, 17)), (nd.x, nd.y), xytext=(0, -NODE_RADIUS_PT - 2),
                    textcoords="offset points", ha="center", va="top", fontsize=5.5, color="#333333",
                    zorder=4)  # fmt: skip
    for link in case.links:
        src, dst = by_act[link.source], by_act[link.target]
        start, end = min(
            ((s, d) for s in src for d in dst), key=lambda p: (abs(p[0].lane - p[1].lane), p[0].lane, p[1].lane)
        )
        arrow = FancyArrowPatch(
            (start.x, start.y), (end.x, end.y), arrowstyle="-|>", mutation_scale=9, color="#444444", lw=0.8,
            shrinkA=NODE_RADIUS_PT + 1, shrinkB=NODE_RADIUS_PT + 1, connectionstyle=_curve(start, end), zorder=2,
        )  # fmt: skip
        arrow.set_gid(f"link-{link.source}-{link.target}")
        ax.add_patch(arrow)
    legend = [
        Patch(facecolor=COLOURS["physical"], edgecolor="black", label="physical anchoring"),
        Patch(facecolor=COLOURS["institutional"], edgecolor="black", label="institutional anchoring"),
        Line2D([], [], color="#444444", lw=0.8, marker=">", markersize=4, label="builds on (points back in time)"),
        Line2D([], [], color="#777777", lw=1, ls="--", label="same activity, several actors"),
    ]
    fig.legend(handles=legend, loc="lower center", ncol=4, fontsize=7, frameon=False)
    return fig


def _curve(a: Node, b: Node) -> str:
    # Arrows between nodes of one lane bend so that they do not run through the nodes between them.
    if a.y == b.y and abs(a.x - b.x) > 1:
        return "arc3,rad=0.25"
    return "arc3,rad=0.0"


def render_svg(fig: Figure) -> bytes:
    import matplotlib as mpl
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    buf = io.BytesIO()
    FigureCanvasSVG(fig)
    with mpl.rc_context({"svg.hashsalt": "slr-narrative", "svg.fonttype": "none"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


def render_png(fig: Figure, dpi: int = 200) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    buf = io.BytesIO()
    FigureCanvasAgg(fig)
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()
