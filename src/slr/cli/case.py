"""``slr case ...``: classify a case's activities, draw its narrative, compare cases."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from slr.atomic import outputs
from slr.case.classify import Classifier, check_gold, classified_rows, classify_activities
from slr.case.compare import CaseSummary, pairwise, sequences, side_by_side
from slr.case.data import load_activities, load_case, read_rows
from slr.case.evaluate import evaluate, report
from slr.case.indicators import indicators
from slr.case.narrative import (
    Classified,
    draw,
    load_classified,
    render_png,
    render_svg,
    table5_csv,
    table5_html,
    table5_markdown,
    table5_rows,
)
from slr.case.segments import Segment, load_segments
from slr.cli import PATH
from slr.codebook import Codebook
from slr.codebook import load as load_codebook
from slr.errors import UsageError
from slr.spreadsheet import csv_text

DEFAULT_CODEBOOK = Path("config/codebook.yaml")


def _csv_text(columns: Sequence[str], rows: Sequence[dict[str, str]]) -> str:
    """Case results are read in spreadsheets: formula-like text is neutralised (read_rows undoes it)."""
    return csv_text(columns, rows)


def _classifier(codebook: Path, segment_files: Sequence[Path]) -> tuple[Codebook, Classifier]:
    book = load_codebook(codebook)
    segments: list[Segment] = []
    for f in segment_files:
        found = load_segments(f, book)
        click.echo(found.summary(), err=True)
        segments.extend(found.segments)
    return book, Classifier(book, segments)


@click.group("case")
def case_group() -> None:
    """Classify a case's activities with the literature's taxonomy; Table 5, narrative graph, indicators."""


@case_group.command("classify")
@click.argument("activities", type=PATH)
@click.option("-o", "--output", required=True, type=PATH, help="classified.csv to write")
@click.option("--codebook", default=DEFAULT_CODEBOOK, show_default=True, type=PATH)
@click.option(
    "--segments",
    "segment_files",
    multiple=True,
    type=PATH,
    help="coded-segments CSV whose passages add evidence (repeatable)",
)
def classify_cmd(activities: Path, output: Path, codebook: Path, segment_files: tuple[Path, ...]) -> None:
    """Give each activity a taxonomy activity, category (or none), anchoring type, score and evidence.

    Prints accuracy and confusion matrices when the file has gold_anchoring / gold_category columns.
    """
    header, _ = read_rows(activities, ())
    acts = load_activities(activities, complete=False)
    book, clf = _classifier(codebook, segment_files)
    check_gold(acts, book, activities)
    decisions = classify_activities(acts, clf)
    columns, rows = classified_rows(header, acts, decisions)
    with outputs() as out:
        out.path(output).write_text(_csv_text(columns, rows), encoding="utf-8")
    abstained = sum(1 for d in decisions if d.category is None)
    click.echo(f"{len(acts)} activities classified ({abstained} without a category) -> {output}", err=True)
    scores = evaluate(acts, decisions)
    if scores:
        click.echo(report(scores, title=activities.parent.name or str(activities)))


@case_group.command("narrative")
@click.argument("case_dir", type=PATH)
@click.option("--classified", required=True, type=PATH, help="classified.csv of this case")
@click.option("--out-dir", required=True, type=PATH, help="folder for the results")
@click.option("--title", help="title of the table and graph (default: the case folder's name)")
def narrative_cmd(case_dir: Path, classified: Path, out_dir: Path, title: str | None) -> None:
    """Write table5.csv/.md/.html, narrative_graph.svg/.png and indicators.csv for a classified case."""
    case = load_case(case_dir)
    labels = load_classified(classified, case)
    name = title or case.name
    rows = table5_rows(case, labels)
    fig = draw(case, labels, f"Narrative graph: {name}")
    inds = indicators(case, {k: v.anchoring for k, v in labels.items()}, {k: v.category for k, v in labels.items()})
    ind_rows = [{"indicator": i.name, "value": i.value, "detail": i.detail} for i in inds]
    files: dict[str, str | bytes] = {
        "table5.csv": table5_csv(rows),
        "table5.md": table5_markdown(rows, f"Anchoring activities: {name}"),
        "table5.html": table5_html(rows, f"Anchoring activities: {name}"),
        "narrative_graph.svg": render_svg(fig),
        "narrative_graph.png": render_png(fig),
        "indicators.csv": _csv_text(("indicator", "value", "detail"), ind_rows),
    }
    with outputs() as out:
        for fname, data in files.items():
            target = out.path(out_dir / fname)
            if isinstance(data, bytes):
                target.write_bytes(data)
            else:
                target.write_text(data, encoding="utf-8")
    for i in inds:
        click.echo(f"{i.name}: {i.value}" + (f"  ({i.detail})" if i.detail else ""))
    click.echo(f"{len(files)} files -> {out_dir}", err=True)


@case_group.command("compare")
@click.argument("case_dirs", nargs=-1, required=True, type=PATH)
@click.option(
    "--results-dir",
    type=PATH,
    help="read each case's classification from RESULTS_DIR/<case>/classified.csv instead of classifying it",
)
@click.option("--codebook", default=DEFAULT_CODEBOOK, show_default=True, type=PATH)
@click.option("--segments", "segment_files", multiple=True, type=PATH)
@click.option("-o", "--output", type=PATH, help="side-by-side indicators CSV to write")
@click.option("--similarity", "similarity_out", type=PATH, help="pairwise similarity CSV")
def compare_cmd(
    case_dirs: tuple[Path, ...],
    results_dir: Path | None,
    codebook: Path,
    segment_files: tuple[Path, ...],
    output: Path | None,
    similarity_out: Path | None,
) -> None:
    """Lay several cases side by side: indicators and the similarity of their category sequences."""
    names = [d.name for d in case_dirs]
    if len(set(names)) != len(names):
        raise UsageError("two case folders have the same name; give folders with distinct names")
    clf = None
    summaries = []
    for d in case_dirs:
        case = load_case(d)
        if results_dir is not None:
            labels = load_classified(results_dir / case.name / "classified.csv", case)
        else:
            if clf is None:
                _, clf = _classifier(codebook, segment_files)
            decisions = classify_activities(case.activities, clf)
            labels = {
                a.id: Classified(dec.anchoring, dec.category, dec.taxonomy_activity)
                for a, dec in zip(case.activities, decisions, strict=True)
            }
        cats, types = sequences(case, labels)
        inds = indicators(case, {k: v.anchoring for k, v in labels.items()}, {k: v.category for k, v in labels.items()})
        summaries.append(CaseSummary(case.name, cats, types, tuple(inds)))
    columns, rows = side_by_side(summaries)
    pairs = pairwise(summaries)
    with outputs() as out:
        if output is not None:
            out.path(output).write_text(_csv_text(columns, rows), encoding="utf-8")
        if similarity_out is not None:
            pair_cols = ["case_a", "case_b", "category_similarity", "type_similarity", "length_a", "length_b"]
            out.path(similarity_out).write_text(_csv_text(pair_cols, pairs), encoding="utf-8")
    width = max(len(r["indicator"]) for r in rows)
    for r in rows:
        if r["indicator"] in ("category_sequence", "type_sequence"):
            continue
        click.echo(f"{r['indicator']:<{width}}  " + "  ".join(f"{r[n]:>12}" for n in names))
    for s in summaries:
        click.echo(f"{s.name}: " + " > ".join(s.categories))
    for p in pairs:
        click.echo(
            f"similarity {p['case_a']} ~ {p['case_b']}: categories {p['category_similarity']}, "
            f"types {p['type_similarity']}"
        )
