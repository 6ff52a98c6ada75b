"""A case folder (`data/cases/<case>/`): its activities, actors and links, loaded and checked.

Every row is checked against ``workflow/schemas/case.schema.yaml`` and then against the other
files (actors named by an activity exist, links join known activities, links point back in time,
no cycles), so that a mistake stops the run with the file and line where it is, not somewhere in
the graph drawing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from slr.errors import InputError
from slr.records import fold
from slr.spreadsheet import unneutralise
from slr.textio import SHEET_AGAIN, read_text

COMPLETE_ACTIVITY = ("id", "order", "activity", "actors", "description")
ACTOR_COLUMNS = ("actor", "level", "sector")
LINK_COLUMNS = ("from", "to")
ANCHORING_TYPES = ("physical", "institutional")
ACTOR_SEPARATOR = ";"

_ORDER = re.compile(r"^[A-Za-z]*\s*([0-9]+(?:\.[0-9]+)?)$")


@cache
def schema() -> dict[str, Any]:
    text = resources.files("slr").joinpath("schemas/case.schema.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def levels() -> tuple[str, ...]:
    """Jurisdictional levels, top (widest) to bottom, as the case schema lists them."""
    return tuple(schema()["$defs"]["levels"]["enum"])


@dataclass(frozen=True)
class Row:
    """One data row of a CSV file: its cells (empty cells are None) and the line where it starts."""

    line: int
    cells: dict[str, str | None]


@dataclass(frozen=True)
class CaseActivity:
    id: str
    phase: str | None
    order_label: str
    order: float
    activity: str
    actors: tuple[str, ...]
    description: str
    gold_anchoring: str | None
    gold_category: str | None
    line: int
    row: dict[str, str | None] = field(repr=False, compare=False)

    @property
    def text(self) -> str:
        """What the classifier reads: the activity's label followed by its description."""
        return f"{self.activity}. {self.description}" if self.activity else self.description


@dataclass(frozen=True)
class Actor:
    name: str
    level: str
    sector: str
    line: int

    @property
    def depth(self) -> int:
        """0 for the widest jurisdiction; larger is more local."""
        return levels().index(self.level)


@dataclass(frozen=True)
class Link:
    source: str  # the later activity, which builds on ...
    target: str  # ... this earlier one
    line: int


@dataclass
class Case:
    name: str
    folder: Path | None
    activities: list[CaseActivity]
    actors: dict[str, Actor]
    links: list[Link]

    def activity(self, activity_id: str) -> CaseActivity:
        for act in self.activities:
            if act.id == activity_id:
                return act
        raise KeyError(activity_id)


# ------------------------------------------------------------------ reading CSV rows


def read_rows(path: str | Path, required: Iterable[str]) -> tuple[list[str], list[Row]]:
    """The header and rows of a CSV file; a missing required column stops at line 1."""
    p = Path(path)
    text = read_text(p, again=SHEET_AGAIN).text
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except StopIteration:
        raise InputError(p, "the file is empty", f"write a header line: {', '.join(required)}", line=1) from None
    except csv.Error as exc:
        raise InputError(p, f"not a readable CSV file ({exc})", "save it as CSV", line=1) from None
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise InputError(p, f"column {name!r} appears twice in the header", "keep one", line=1)
        seen.add(name)
    missing = [c for c in required if c not in seen]
    if missing:
        raise InputError(
            p,
            f"missing column(s) {', '.join(missing)} (found: {', '.join(header) or 'none'})",
            f"the header must name {', '.join(required)}",
            line=1,
        )
    rows: list[Row] = []
    start = reader.line_num + 1
    try:
        for values in reader:
            line = start
            start = reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                raise InputError(
                    p,
                    f"{len(values)} cells but the header names {len(header)} columns",
                    "quote cells that contain commas",
                    line=line,
                )
            cells: dict[str, str | None] = {}
            for name, value in zip(header, values, strict=False):
                clean = unneutralise(" ".join(value.split()))
                cells[name] = clean or None
            for name in header[len(values) :]:
                cells[name] = None
            rows.append(Row(line, cells))
    except csv.Error as exc:
        raise InputError(p, f"broken CSV ({exc})", "check the quotes on this line", line=start) from None
    return header, rows


def _validate(row: Row, definition: str, path: Path) -> None:
    data = {k: v for k, v in row.cells.items() if v is not None}
    sub = {"$schema": schema()["$schema"], "$defs": schema()["$defs"], "$ref": f"#/$defs/{definition}"}
    errors = sorted(jsonschema.Draft202012Validator(sub).iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    err = errors[0]
    column = ".".join(str(p) for p in err.absolute_path)
    if err.validator == "required":
        problem = err.message.replace("is a required property", "is empty or missing")
        fix = "fill in every required cell"
    elif column:
        problem = f"column {column!r}: {err.message}"
        fix = _fix_hint(definition, column)
    else:
        problem = err.message
        fix = "see workflow/schemas/case.schema.yaml"
    raise InputError(path, problem, fix, line=row.line)


def _fix_hint(definition: str, column: str) -> str:
    hints = {
        "level": f"use one of: {', '.join(levels())}",
        "sector": "use public, private or mixed",
        "order": "write a number, optionally after a letter (t1, 1961)",
        "gold_anchoring": "write physical or institutional, or leave it empty",
        "id": "use letters, digits, '.', '_' or '-'",
        "from": "use an activity id",
        "to": "use an activity id",
    }
    return hints.get(column, "see workflow/schemas/case.schema.yaml")


def parse_order(label: str) -> float:
    match = _ORDER.match(label.strip())
    if not match:
        raise ValueError(label)
    return float(match.group(1))


def split_actors(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(part.strip() for part in value.split(ACTOR_SEPARATOR) if part.strip())


# ------------------------------------------------------------------ the three files


def load_activities(path: str | Path, complete: bool = True) -> list[CaseActivity]:
    """activities.csv; ids must be unique.

    ``complete=False`` is enough for the classifier: only ``id`` and ``description`` are required,
    a missing order counts as the row's position and a missing actor list as none.
    """
    p = Path(path)
    required = COMPLETE_ACTIVITY if complete else ("id", "description")
    _, rows = read_rows(p, required)
    if not rows:
        raise InputError(p, "no activities", "add one row per activity", line=1)
    out: list[CaseActivity] = []
    seen: dict[str, int] = {}
    for position, row in enumerate(rows, start=1):
        _validate(row, "activity", p)
        c = row.cells
        for column in required:
            if not c.get(column):
                raise InputError(p, f"{column!r} is empty", "fill in every required cell", line=row.line)
        act_id = str(c["id"])
        if act_id in seen:
            raise InputError(
                p,
                f"activity id {act_id!r} is used twice (first on line {seen[act_id]})",
                "give each activity its own id",
                line=row.line,
            )
        seen[act_id] = row.line
        actors = split_actors(c.get("actors"))
        if len({fold(a) for a in actors}) != len(actors):
            raise InputError(p, f"an actor is named twice in {c['actors']!r}", "name each actor once", line=row.line)
        order_label = c.get("order") or ""
        out.append(
            CaseActivity(
                id=act_id,
                phase=c.get("phase"),
                order_label=order_label,
                order=parse_order(order_label) if order_label else float(position),
                activity=c.get("activity") or "",
                actors=actors,
                description=str(c["description"]),
                gold_anchoring=c.get("gold_anchoring"),
                gold_category=c.get("gold_category"),
                line=row.line,
                row=dict(c),
            )
        )
    return out


def load_actors(path: str | Path) -> dict[str, Actor]:
    p = Path(path)
    _, rows = read_rows(p, ACTOR_COLUMNS)
    actors: dict[str, Actor] = {}
    keys: dict[str, Actor] = {}
    for row in rows:
        _validate(row, "actor", p)
        c = row.cells
        actor = Actor(str(c["actor"]), str(c["level"]), str(c["sector"]), row.line)
        key = fold(actor.name)
        if key in keys:
            raise InputError(
                p,
                f"actor {actor.name!r} is listed twice (first on line {keys[key].line})",
                "list each actor once",
                line=row.line,
            )
        keys[key] = actor
        actors[actor.name] = actor
    return actors


def load_links(path: str | Path) -> list[Link]:
    p = Path(path)
    _, rows = read_rows(p, LINK_COLUMNS)
    links: list[Link] = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        _validate(row, "link", p)
        src, dst = str(row.cells["from"]), str(row.cells["to"])
        if src == dst:
            raise InputError(p, f"activity {src!r} builds on itself", "remove this link", line=row.line)
        if (src, dst) in seen:
            raise InputError(
                p, f"link {src} -> {dst} is listed twice (first on line {seen[(src, dst)]})", "keep one", line=row.line
            )
        seen[(src, dst)] = row.line
        links.append(Link(src, dst, row.line))
    return links


def check_case(activities: list[CaseActivity], actors: Mapping[str, Actor], links: list[Link], folder: Path) -> None:
    """Cross-file checks: known actors, known link ends, links back in time, no cycles."""
    by_key = {fold(name): a for name, a in actors.items()}
    for act in activities:
        for name in act.actors:
            if fold(name) not in by_key:
                raise InputError(
                    folder / "activities.csv",
                    f"activity {act.id} names actor {name!r}, which actors.csv does not list",
                    "add the actor to actors.csv (with its level) or correct the spelling",
                    line=act.line,
                )
    by_id = {a.id: a for a in activities}
    links_path = folder / "links.csv"
    for link in links:
        for end in (link.source, link.target):
            if end not in by_id:
                raise InputError(
                    links_path,
                    f"link names activity {end!r}, which activities.csv does not have",
                    "use an id from activities.csv",
                    line=link.line,
                )
        src, dst = by_id[link.source], by_id[link.target]
        if dst.order > src.order:
            raise InputError(
                links_path,
                f"{link.source} (order {src.order_label}) is said to build on {link.target}, which comes later "
                f"(order {dst.order_label})",
                "`from` is the later activity and `to` the earlier one it builds on; swap them or fix the order",
                line=link.line,
            )
    _check_acyclic(links, links_path)


def _check_acyclic(links: list[Link], path: Path) -> None:
    graph: dict[str, list[Link]] = {}
    for link in links:
        graph.setdefault(link.source, []).append(link)
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: str, trail: list[Link]) -> None:
        state[node] = 1
        for link in graph.get(node, []):
            nxt = link.target
            if state.get(nxt) == 1:
                start = next(i for i, lk in enumerate(trail) if lk.source == nxt) if trail else 0
                cycle = [lk.source for lk in (*trail[start:], link)] + [nxt]
                raise InputError(
                    path,
                    f"links form a cycle: {' -> '.join(cycle)}",
                    "an activity cannot build, directly or indirectly, on itself; remove one of these links",
                    line=link.line,
                )
            if state.get(nxt) is None:
                visit(nxt, [*trail, link])
        state[node] = 2

    for link in links:
        if state.get(link.source) is None:
            visit(link.source, [])


def canonical_actor(actors: Mapping[str, Actor], name: str) -> Actor:
    key = fold(name)
    for actor_name, actor in actors.items():
        if fold(actor_name) == key:
            return actor
    raise KeyError(name)


def load_case(folder: str | Path) -> Case:
    """Load and check a whole case folder: activities.csv, actors.csv and (optional) links.csv."""
    f = Path(folder)
    if not f.is_dir():
        raise InputError(f, "no such case folder", "give the folder that holds activities.csv and actors.csv")
    for name in ("activities.csv", "actors.csv"):
        if not (f / name).is_file():
            raise InputError(f / name, "no such file", f"a case folder needs {name}")
    activities = load_activities(f / "activities.csv")
    actors = load_actors(f / "actors.csv")
    links = load_links(f / "links.csv") if (f / "links.csv").is_file() else []
    check_case(activities, actors, links, f)
    # Actor names as actors.csv spells them.
    fixed = [replace(act, actors=tuple(canonical_actor(actors, n).name for n in act.actors)) for act in activities]
    return Case(f.name, f, fixed, actors, links)
